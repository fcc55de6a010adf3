"""The composition root: settings, reference data, the `cswatch` CLI and the scheduler wiring.

The one package that imports both `ingest` and `alerts`.
"""
