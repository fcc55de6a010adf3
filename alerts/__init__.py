"""Change detection, subscribers, digests and delivery (issue 4).

Reads ingest's tables; ingest never imports this package.
"""
