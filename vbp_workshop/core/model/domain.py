"""Names and fixed vocabularies of the workshop domain (shared by the file, UI, server, export)."""

from __future__ import annotations

from enum import StrEnum


class Stakeholder(StrEnum):
    PATIENT = "patient"
    PHARMA = "pharma"
    MEDTECH = "medtech"
    CLINICIAN = "clinician"
    PROVIDER = "provider"
    PAYER = "payer"
    POLICY = "policy"
    LOCAL_AUTHORITY = "local_authority"
    ACADEMIA = "academia"
    HIN = "hin"
    OTHER = "other"

    @property
    def label(self) -> str:
        return STAKEHOLDER_LABELS[self]


STAKEHOLDER_LABELS: dict[Stakeholder, str] = {
    Stakeholder.PATIENT: "Patient organisation",
    Stakeholder.PHARMA: "Life sciences — pharma",
    Stakeholder.MEDTECH: "Life sciences — medtech",
    Stakeholder.CLINICIAN: "Clinician group",
    Stakeholder.PROVIDER: "Provider (NHS trust, GP federation)",
    Stakeholder.PAYER: "Payer / commissioner (ICB)",
    Stakeholder.POLICY: "Policymaker",
    Stakeholder.LOCAL_AUTHORITY: "Local authority and public health",
    Stakeholder.ACADEMIA: "Academia and research",
    Stakeholder.HIN: "Health Innovation Network",
    Stakeholder.OTHER: "Other",
}



# Every stakeholder group belongs to a sector, the unit the partnership survey compares (NHS vs
# industry). Clinicians count as NHS: in a UK partnership the clinicians in the room are almost
# always NHS-employed and speak for NHS services (a clinician from a company registers as pharma
# or medtech). Payers here are the NHS commissioners (ICBs).
SECTOR_LABELS: dict[str, str] = {"nhs": "NHS", "industry": "Industry", "patients": "Patients and public",
                                 "wider": "Local government, academia, policy, third sector"}
SECTOR_OF: dict[str, str] = {
    Stakeholder.PROVIDER: "nhs", Stakeholder.PAYER: "nhs", Stakeholder.CLINICIAN: "nhs",
    Stakeholder.PHARMA: "industry", Stakeholder.MEDTECH: "industry",
    Stakeholder.PATIENT: "patients", Stakeholder.POLICY: "wider", Stakeholder.OTHER: "wider",
    # A Population Health Partnership adds the council and public health, universities and the
    # regional Health Innovation Network: none of them NHS or industry.
    Stakeholder.LOCAL_AUTHORITY: "wider", Stakeholder.ACADEMIA: "wider", Stakeholder.HIN: "wider",
}
# A sector's small groups merged within it (shown when they reach the smallest group size).
SECTOR_REST: dict[str, str] = {s: f"{s}_rest" for s in SECTOR_LABELS}

# Results by stakeholder group show a group on its own only from this many respondents (the
# workshop's own setting, `workshop.min_group_size`, overrides it); smaller groups merge.
DEFAULT_MIN_GROUP = 3

# The label a group gets when it is too small to be shown on its own.
OTHER_GROUP = "other"
NO_GROUP = ""
GROUP_LABELS: dict[str, str] = {**{s.value: STAKEHOLDER_LABELS[s] for s in Stakeholder},
                                OTHER_GROUP: "Other (merged)", NO_GROUP: "Not given",
                                **{k: f"{SECTOR_LABELS[s]}: other groups (merged)" for s, k in SECTOR_REST.items()}}


class StepStatus(StrEnum):
    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"

    @property
    def label(self) -> str:
        return {"not_started": "Not started", "in_progress": "In progress", "done": "Done"}[
            self.value
        ]


STEP_TITLES: dict[int, str] = {
    1: "Define a shared ambition",
    2: "Build trust and relationships",
    3: "Establish collaboration rules",
    4: "Pilot projects",
    5: "Evaluate and scale",
}



def step_label(step: int) -> str:
    """How a step is named on a page title and a workbook sheet: "Step 2 · Build trust …"."""
    return f"Step {step} · {STEP_TITLES[step]}"


# How a step is offered in a list (agenda items, actions): "2. Build trust and relationships".
NUMBERED_STEPS: dict[int, str] = {k: f"{k}. {v}" for k, v in STEP_TITLES.items()}

ALIGNMENT_CHOICES = {"": "—", "yes": "Yes", "reservations": "With reservations", "not_yet": "Not yet"}
RESOURCES = ("time", "money", "data", "skills")
CONTRIBUTION_LEVELS = {0: "None", 1: "Some", 2: "Significant", 3: "Major"}
BARRIER_KINDS = {"hard": "Hard", "soft": "Soft"}
RACI_ROLES = ("R", "A", "C", "I")
RULE_CATEGORIES = {
    "decision": "Decision making",
    "data": "Data sharing",
    "ig": "Information governance (DPIA, controller/processor, Caldicott)",
    "ip": "Intellectual property",
    "funding": "Funding flows",
    "risk_gain": "Risk and gain sharing",
    "outcome_payment": "Outcome-based payment",
    "exit": "Exit and termination",
    "coi": "Conflicts of interest",
    "publication": "Publication",
    "other": "Other",
}
METRIC_TYPES = {
    "outcome": "Patient outcome",
    "process": "Process",
    "intermediate": "Intermediate (biomarker)",
    "experience": "Experience of care",
    "cost": "Cost",
}
DIRECTIONS = {"higher": "Higher is better", "lower": "Lower is better"}
ACTION_KINDS = {"decision": "Decision", "action": "Action"}
ACTION_STATUSES = {"open": "Open", "done": "Done", "dropped": "Dropped"}
DECISIONS = {"": "—", "scale": "Scale", "adapt": "Adapt", "stop": "Stop"}
