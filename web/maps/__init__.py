"""The hex map of England's councils: a committed layout file and the script that builds it."""
