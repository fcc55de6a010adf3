"""Pure extractors: bytes or text in, typed records out; no I/O."""
