"""The five steps' records beyond their tables: checks (RACI, metrics, RAG), investment balance,
planning records of the later steps, ideas, the summary, the template and the demo workshop."""

# Registers step 3's readiness rule with the operations (a rule of the steps, checked in every batch).
from vbp_workshop.core.steps import joint_working as joint_working
