"""The five steps' records beyond their tables: checks (RACI, metrics, RAG), investment balance,
planning records of the later steps, ideas, the summary, the template and the demo workshop."""
