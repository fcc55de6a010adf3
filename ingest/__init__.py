"""Sources, polite HTTP, extraction and the SQLModel tables of facts.

Data flows one way: sources -> extraction -> storage. Nothing here imports `alerts` or `config`;
settings arrive as plain arguments from the composition root (`config`).
"""
