"""The built-in demo: a fictional cardiovascular secondary-prevention partnership, mid-day.

Built in code from fixed seeds, so every run gives the same workshop — its join code apart: each
copy gets its own, as every workshop file does — and the shipped program is never modified. All
organisations and people are invented.
"""

from __future__ import annotations

import contextlib
import json
import random
import time
from pathlib import Path
from typing import Any

from vbp_workshop.core.file.store import FileLock, Store, WorkshopFileError
from vbp_workshop.core.model.changes import Edit, Insert, Update
from vbp_workshop.core.model.domain import RESOURCES
from vbp_workshop.core.model.poll import Poll, encode
from vbp_workshop.core.operations.polls import apply_result_edits, new_poll_edit
from vbp_workshop.core.operations.steps import step_field_edit
from vbp_workshop.core.steps.ideas_demo import add_demo_ideas
from vbp_workshop.core.steps.partnership import start_review_day
from vbp_workshop.core.steps.template import new_workshop

PARTNERS = [
    ("Northbridge Integrated Care Board", "payer",
     "Fewer repeat heart attacks and strokes across the system; evidence that spend on "
     "prevention pays back; fairer access in the most deprived wards."),
    ("Riverside Hospitals NHS Foundation Trust", "provider",
     "Shorter, more reliable pathway from discharge to cardiac rehab; fewer readmissions."),
    ("Eastmoor Community Health NHS Trust", "provider",
     "Community teams that can titrate lipid and blood-pressure treatment without referral."),
    ("Northbridge GP Federation", "provider",
     "Practices that can find and recall patients at risk, with less manual searching."),
    ("Halden Pharmaceuticals UK", "pharma",
     "Reach the patients who would benefit from guideline lipid therapy; real-world evidence "
     "of outcomes; a model other systems can adopt."),
    ("HeartVoice Patient Network", "patient",
     "Patients who understand their risk and have a say in their care; attention to "
     "quality of life, not only numbers."),
    ("Northbridge Cardiology Clinical Network", "clinician",
     "Care that follows current NICE guidance everywhere in the system; shared data on "
     "variation between practices."),
]

# Participants per partner (index into PARTNERS), with a few roles; names are optional.
PEOPLE = [
    (0, "Dr Amira Khan", "Director of Population Health"), (0, "", "Finance lead"),
    (0, "Tom Reilly", "Programme manager"), (0, "", "Commissioning manager"),
    (0, "", "Data analyst"), (1, "Prof. Helen Ward", "Consultant cardiologist"),
    (1, "", "Cardiac rehab lead"), (1, "James Osei", "Divisional director"),
    (1, "", "Specialist nurse"), (1, "", "Pharmacist"), (2, "Priya Nair", "Community matron"),
    (2, "", "Service manager"), (2, "", "Pharmacist"), (2, "", "Physiotherapist"),
    (3, "Dr Sam Patel", "GP partner"), (3, "", "Practice manager"), (3, "", "Practice nurse"),
    (3, "", "Clinical pharmacist"), (3, "", "GP"), (4, "Laura Beck", "Partnership director"),
    (4, "", "Medical affairs"), (4, "", "Real-world evidence lead"), (4, "", "Market access"),
    (4, "", "Compliance"), (5, "Margaret Doyle", "Patient representative"),
    (5, "", "Patient representative"), (5, "", "Carer representative"),
    (5, "", "Volunteer coordinator"), (6, "Dr Chen Li", "Network clinical lead"),
    (6, "", "Consultant cardiologist"), (6, "", "Registrar"), (6, "", "Lipid specialist"),
]

AMBITIONS = [
    ("By 2030, fewer people in Northbridge have a second heart attack or stroke, and those "
     "at risk feel in control of their care.", 1),
    ("Every eligible patient in Northbridge is on guideline lipid therapy within 90 days of "
     "a cardiac event.", 0),
    ("Halve unwarranted variation in secondary prevention between practices by 2028.", 0),
]

CONTRIB = {  # partner index -> levels for time, money, data, skills
    0: (2, 2, 3, 1), 1: (2, 1, 2, 3), 2: (2, 0, 1, 2), 3: (2, 0, 2, 1),
    4: (2, 3, 1, 2), 5: (2, 0, 0, 1), 6: (2, 0, 1, 3),
}

BARRIERS = [
    ("hard", "Clinicians have no protected time for the project", "Backfill from the ICB budget"),
    ("hard", "GP systems record lipid results inconsistently", "Agree one search and code set"),
    ("hard", "Successes elsewhere are not adopted here", "Visit the Eastshire pilot sites"),
    ("soft", "Suspicion that the partnership is about selling a product",
     "Publish the agreement summary; product-neutral pathway"),
    ("soft", "Low trust after a previous project ended abruptly", "Agree the exit strategy now"),
]

ACTIVITIES = [
    ("Steering group and overall delivery", {0: "A", 1: "C", 4: "C", 5: "C", 6: "R"}),
    ("Patient identification and recall", {3: "A", 0: "C", 2: "R", 5: "I"}),
    ("Data extraction and outcome reporting", {0: "A", 1: "R", 3: "R", 4: "I"}),
    ("Clinical protocol and guideline alignment", {6: "A", 1: "R", 4: "I", 5: "C"}),
    ("Patient information materials", {5: "A", 4: "C", 6: "C"}),
    ("Project management and funding administration", {4: "R", 0: "C"}),  # no A: flagged
]

RULES = [
    ("decision", "The steering group decides by consent; unresolved issues go to the sponsors "
     "within two weeks."),
    ("data", "Only aggregated, anonymised data leave NHS systems; Halden never sees "
     "patient-level data."),
    ("ip", "Materials produced jointly are owned jointly and free for NHS use."),
    ("funding", "Halden's funding pays for backfill and analysis only, through the ICB, "
     "and is disclosed as a transfer of value."),
    ("coi", "Every member declares interests at the first meeting and when they change."),
    ("publication", "Results are published whatever they show. Every party consents to the wording "
     "before anything is published, and consent to the wording is never used to hold a result back."),
    ("ig", "A DPIA is completed before any data flow; each trust stays controller of its data and the "
     "ICB's analytics unit processes them under one data-sharing agreement; Caldicott guardians approve "
     "any use of patient-identifiable data."),
    ("exit", "Any party may leave with three months' notice; patient data stay with the NHS, jointly made "
     "materials stay free for NHS use, and funding already committed to running work is honoured."),
]

GLOSSARY = [
    ("Secondary prevention", "Treatment and support after a first cardiovascular event to "
     "prevent another."),
    ("Outcome", "A change in a patient's health, as opposed to an activity done to them."),
    ("Value", "Outcomes that matter to patients, relative to the cost of achieving them over "
     "the whole cycle of care."),
    ("Pilot", "A time-limited test in a few sites, with success defined before it starts."),
]

MILESTONES = [
    ("Written agreement signed", "2026-12-01"), ("Executive summary published", "2026-12-04"),
    ("Pilots start", "2026-12-07"), ("Review day", "2027-06-10"),
    ("Scale decision", "2027-12-01"),
]
DESIGN_DAY, REVIEW_DAY, PILOTS_START = "2026-11-24", "2027-06-10", "2026-12-07"
# The evaluation plan decided on the design day, per chosen pilot: go, adapt, stop.
PLANS = {1: ("LDL at target shows a sustained shift up, heading for 70%",
             "A shift up, but too slow to reach 70% within a year",
             "No signal after six monthly points, or pharmacist time cannot be found"),
         2: ("Uptake shows a shift up towards 60%",
             "No signal: redesign the referral and read it again",
             "Uptake falls, or patients report the call as unwelcome")}

PILOTS = [
    ("Lipid optimisation clinics in primary care",
     "Pharmacist-led virtual clinics for patients after an event.", 1,
     "Within 12 months, 70% of eligible patients reach their LDL-cholesterol target."),
    ("Direct referral to cardiac rehab at discharge",
     "Automatic referral with a follow-up call within a week.", 1,
     "Uptake of cardiac rehabilitation rises from 38% to 60%."),
    ("Patient risk dashboard", "Patients see their own risk factors in the NHS app.", 0, ""),
    ("Community blood-pressure checks", "Checks in pharmacies and faith venues.", 0, ""),
]

METRICS = [
    # pilot, name, type, unit, numerator, denominator, direction, base, bdate, target, tdate
    (0, "Patients at LDL-cholesterol target", "intermediate", "%",
     "Patients with LDL-C ≤ 2.0 mmol/L", "Patients with a cardiac event in the last 2 years",
     "higher", 41.0, "2026-09-30", 70.0, "2027-12-31", "GP records (federation search)",
     "Monthly", "GP Federation data lead"),
    (0, "Repeat MI or stroke within 12 months", "outcome", "per 1,000 patients",
     "Repeat events", "Patients after a first event", "lower", 48.0, "2026-09-30", 38.0,
     "2028-03-31", "Hospital episode statistics", "Quarterly", "ICB analyst"),
    (1, "Cardiac rehab uptake", "process", "%", "Eligible patients starting rehab within 28 days",
     "Eligible patients discharged after a heart attack or cardiac procedure (not those referred: referral "
     "is what the pilot changes)", "higher", 38.0, "2026-09-30", 60.0, "2027-09-30",
     "Rehab service records", "Monthly", "Riverside rehab lead"),
    (1, "Patients who felt involved in decisions", "experience", "%", "Answering 'yes, definitely'",
     "Survey respondents", "higher", 55.0, "2026-10-31", 75.0, "2027-10-31",
     "Patient experience survey", "Quarterly", "HeartVoice"),
    (0, "Cost per patient reaching target", "cost", "£", "", "", "lower", 410.0,
     "2026-09-30", 320.0, "2027-12-31", "ICB finance", "Quarterly", "ICB finance lead"),
]

# The design day's data pack: monthly points before the day (the baselines are measured, not
# guessed in the room). The review day adds the months since the pilots began.
ACTUALS = {0: list(zip(("2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"),
                       (40.0, 41.0, 40.0, 42.0, 41.0, 41.0), strict=True)),
           2: list(zip(("2026-05-31", "2026-06-30", "2026-07-31", "2026-08-31", "2026-09-30", "2026-10-31"),
                       (38.0, 37.0, 39.0, 38.0, 36.0, 38.0), strict=True))}
SINCE = ("2026-12-31", "2027-01-31", "2027-02-28", "2027-03-31", "2027-04-30", "2027-05-31")
REVIEW_ACTUALS = {0: list(zip(SINCE, (44.0, 47.0, 49.0, 52.0, 54.0, 55.0), strict=True)),
                  1: [("2027-03-31", 47.0)],
                  2: list(zip(SINCE, (39.0, 37.0, 40.0, 38.0, 39.0, 37.0), strict=True)),
                  3: [("2027-03-31", 61.0)], 4: [("2027-03-31", 390.0)]}


# What the later steps record (core/steps/planning.py): partner ids are PARTNERS' positions + 1.
STEP1_FIELDS = {
    "triple_win": {"ambition": ["patients", "nhs", "industry"], "partner:1": ["patients", "nhs"],
                   "partner:2": ["nhs"], "partner:3": ["patients", "nhs"], "partner:4": ["nhs"],
                   "partner:5": ["industry", "patients"], "partner:6": ["patients"], "partner:7": ["patients"]},
    "scope_kind": "pathway",
    "nhs_priorities": "Cardiovascular disease is a priority of the ICB's joint forward plan and of the "
                      "national CVD prevention programme; lipid optimisation follows NICE guidance.",
    "scope": "Adults in Northbridge after a heart attack, stroke or TIA, from discharge to the first year "
             "of follow-up in primary care.",
    "boundaries": "No promotion of any product; no patient-level data leave NHS systems; primary "
                  "prevention and heart failure are out of scope.",
}
STEP4_FIELDS = {
    "metric_plan": {"1": {"tier": "intermediate", "case_mix": "age, sex, diabetes, deprivation decile",
                          "time_points": "baseline, 3, 6 and 12 months"},
                    "2": {"tier": "sustainability", "case_mix": "age, sex, prior events, smoking",
                          "time_points": "12 months, then yearly for 5 years"},
                    "3": {"tier": "process", "case_mix": "", "time_points": "monthly"},
                    "4": {"tier": "experience", "case_mix": "age, first language",
                          "time_points": "6 weeks after discharge"},
                    "5": {"tier": "cost", "case_mix": "", "time_points": "quarterly"}},
    "pilot_scale": {"1": "Built on the federation's standard search and a shared protocol any PCN can run.",
                    "2": "Referral built into the discharge letter template used across the region."},
}
STEP5_FIELDS = {
    "share_plan": {"what": "A two-page case study and the results read by the evaluation plan",
                   "where": "The ICB website and the regional health innovation network's newsletter",
                   "when": "After the review day (June 2027)"},
    "publish_consent": {"1": True, "2": True, "3": True, "4": True, "5": True, "6": False, "7": True},
}
# What the review day records in step 5: decisions dated that day, read against the plan.
REVIEW_FIELDS = {
    "pilot_decisions": {"1": {"decision": "go", "reasons": "A shift up in LDL at target since the clinics began "
                              "(six months above the baseline median); pharmacist time found.",
                              "date": REVIEW_DAY, "who": "Steering group"},
                        "2": {"decision": "adapt", "reasons": "No signal in rehab uptake after six months: redesign "
                              "the referral and read it again.", "date": REVIEW_DAY, "who": "Steering group"}},
    "decision": "adapt",
    "rationale": "Scale the lipid clinics; redesign the rehab referral before scaling it.",
    "case_study": "Seven Northbridge partners agreed one ambition: fewer second heart attacks and strokes. From "
                  "December 2026 to May 2027, patients at their LDL-cholesterol target in the pilot practices rose "
                  "from a steady 41% (the median of May to October 2026) to 55%, a shift beyond the usual "
                  "month-to-month variation; the neighbouring practices without the clinics stayed near 42%. Cardiac "
                  "rehabilitation uptake has not changed yet, and its referral is being redesigned.",
}


def _lean(group: str, nhs: float, industry: float, patient: float) -> float:
    return {"pharma": industry, "medtech": industry, "patient": patient}.get(group, nhs)


# The survey's pattern (State of the Relationship, 2019): both sectors rate every attribute as
# important; NHS satisfaction is lowest on mutual trust and on a shared vision; speed of decision
# making is a shared complaint. Mean satisfaction per trust-pulse attribute: (NHS, industry, patients).
SATISFACTION = [(2.0, 3.4, 2.8), (2.2, 3.5, 3.0), (2.9, 3.7, 2.9), (2.8, 3.6, 3.2), (2.8, 2.9, 2.7), (3.0, 3.8, 3.1)]
# Readiness on the five conditions and tools/processes/people: (NHS, industry, patients).
READINESS = [(3.8, 3.2, 3.0), (2.4, 2.9, 2.6), (2.9, 3.4, 2.8), (3.1, 3.0, 3.4), (2.0, 2.6, 2.5),
             (2.5, 3.0, 2.7), (2.8, 2.6, 2.9), (3.3, 3.5, 3.2)]
# Set-up time expected (under 3, 3-6, 6-12, over 12 months): industry under 6, the NHS 6 to 12.
TIMELINE = {"nhs": [1, 3, 12, 4], "industry": [3, 7, 0, 0], "patients": [2, 3, 3, 1]}


def build_demo(path: Path | str) -> Store:
    """Write the demo workshop to `path` (a new file) and return it open."""
    rng = random.Random(20261122)
    store = new_workshop(
        path, "Northbridge Heart Health Partnership — design day",
        partnership="Northbridge Heart Health Partnership",
        pathway="Secondary prevention of cardiovascular disease",
        date="2026-11-24", venue="Northbridge Civic Centre, Room 2",
        facilitator="Jo Marsh (Northbridge Health Innovation Network)",
    )
    edits: list[Edit] = []
    for i, (name, kind, goals) in enumerate(PARTNERS, 1):
        edits.append(Insert("partners", {"id": i, "name": name, "stakeholder": kind, "goals": goals}))
    for i, (partner, name, role) in enumerate(PEOPLE, 1):
        edits.append(Insert("participants", {"id": i, "display_name": name,
                                             "partner_id": partner + 1, "role": role}))
    statuses = ["yes", "yes", "reservations", "yes", "yes", "reservations", "yes"]
    notes = {2: "Needs assurance on community staffing", 5: "Wants quality of life measured"}
    for i in range(len(PARTNERS)):
        edits.append(Insert("alignment", {"partner_id": i + 1, "status": statuses[i],
                                          "note": notes.get(i, "")}))
        for r, level in zip(RESOURCES, CONTRIB[i], strict=True):
            edits.append(Insert("contributions", {"partner_id": i + 1, "resource": r, "level": level}))
    edits += [Insert("ambitions", {"text": t, "chosen": c}) for t, c in AMBITIONS]
    edits += [Insert("barriers", {"kind": k, "text": t, "note": n}) for k, t, n in BARRIERS]
    for a, (name, roles) in enumerate(ACTIVITIES, 1):
        edits.append(Insert("activities", {"id": a, "name": name}))
        edits += [Insert("raci", {"activity_id": a, "partner_id": p + 1, "role": r})
                  for p, r in roles.items()]
    edits += [Insert("rules", {"id": i, "category": c, "text": t}) for i, (c, t) in enumerate(RULES, 1)]
    edits += [Insert("glossary", {"term": t, "meaning": m}) for t, m in GLOSSARY]
    edits += [Insert("milestones", {"what": w, "date": d}) for w, d in MILESTONES]
    for i, (name, desc, chosen, success) in enumerate(PILOTS, 1):
        go, adapt, stop = PLANS.get(i, ("", "", ""))
        plan = {"start_date": PILOTS_START, "review_date": REVIEW_DAY} if chosen else {}
        edits.append(Insert("pilots", {"id": i, "name": name, "description": desc, "chosen": chosen,
                                       "success": success, "go_criteria": go, "adapt_criteria": adapt,
                                       "stop_criteria": stop, **plan}))
    for i, m in enumerate(METRICS, 1):
        keys = ("pilot_id", "name", "type", "unit", "numerator", "denominator", "direction",
                "baseline_value", "baseline_date", "target_value", "target_date", "source",
                "frequency", "owner")
        row: dict[str, Any] = dict(zip(keys, m, strict=True))
        row["pilot_id"] = int(row["pilot_id"]) + 1
        row["definition"] = f"{row['numerator']} ÷ {row['denominator']}" if row["denominator"] else row["name"]
        edits.append(Insert("metrics", {"id": i, **row}))
        edits += [Insert("actuals", {"metric_id": i, "date": d, "value": v})
                  for d, v in ACTUALS.get(i - 1, [])]
    edits += [
        Update("steps", 1, {"status": "done", "checklist": json.dumps([0, 1, 2, 3, 4]),
                            "fields": json.dumps(STEP1_FIELDS)}),
        Update("steps", 2, {"status": "done", "checklist": json.dumps([0, 2, 3, 4]),
                            "fields": json.dumps({"risk_appetite": "Moderate: willing to fund "
                                                  "two pilots with no guarantee of success."})}),
        Update("steps", 3, {"status": "in_progress", "checklist": json.dumps([1, 2]),
                            "fields": json.dumps({
                                "decision_rules": "Consent in the steering group; sponsors "
                                "settle what it cannot within two weeks.",
                                "joint_working": {"pooled": True, "patients": True,
                                                  "no_inducement": True, "exit": True}})}),
        Update("steps", 4, {"status": "in_progress", "checklist": json.dumps([0, 1]),
                            "fields": json.dumps(STEP4_FIELDS)}),
        # The design day plans step 5 (criteria, review date, data); nothing has run yet.
        Update("steps", 5, {"status": "in_progress", "fields": json.dumps(STEP5_FIELDS)}),
    ]
    edits += [
        Insert("actions", {"kind": "decision", "step": 1, "what": "Shared ambition adopted "
                           "(statement 1)", "owner": "Steering group", "status": "done"}),
        Insert("actions", {"kind": "action", "step": 3, "what": "Draft the written agreement "
                           "and its executive summary", "owner": "Tom Reilly (ICB)",
                           "due": "2026-12-19", "status": "open"}),
        Insert("actions", {"kind": "action", "step": 3, "what": "Name the Accountable partner "
                           "for project management", "owner": "Steering group",
                           "due": "2026-12-05", "status": "open"}),
        Insert("actions", {"kind": "action", "step": 4, "what": "Confirm the GP search for LDL-C",
                           "owner": "Dr Sam Patel", "due": "2027-01-15", "status": "open"}),
    ]
    store.apply(edits, origin="demo")
    _cast_votes(store, rng)
    add_demo_ideas(store)  # a finished ideas activity: collected, merged, voted, adopted
    return store


OWN_STREAM = {(2, "agreement", "readiness"), (2, "single", "timeline")}


def _cast_votes(store: Store, rng: random.Random) -> None:
    extra = random.Random(20261125)  # polls added later draw from here, so the others stay the same
    estimates = random.Random(20261126)  # the pilot's target (a number poll), added later still
    ids = random.Random(20261127)  # pseudonyms, token hashes and ballot ids: the same on every run
    devices = []
    for partner, _name, _role in PEOPLE:
        grp = PARTNERS[partner][1]
        devices.append(("d-" + ids.randbytes(6).hex(), grp))
    edits: list[Edit] = [Insert("devices", {"token_hash": ids.randbytes(32).hex(), "pseudonym": d,
                                            "grp": g, "joined_at": "2026-11-24T09:05:00"})
                         for d, g in devices]
    # A consent poll per rule, as the rules table makes them.
    for rule in store.rows("rules"):
        edits.append(new_poll_edit(3, "fist", f"Consent: {rule['text']}", [], {},
                                   f"rule:{rule['id']}"))
    store.apply(edits, origin="demo")
    polls = {(p["step"], p["kind"], p["target"]): p for p in store.rows("polls")}
    pilots = [p["name"] for p in store.rows("pilots")]
    ambitions = [a["text"] for a in store.rows("ambitions")]
    store.apply([
        Update("polls", polls[(1, "points", "")]["id"], {"options": json.dumps(ambitions)}),
        Update("polls", polls[(4, "matrix", "pilots")]["id"], {"options": json.dumps(pilots)}),
    ], origin="demo")

    def answer(poll: Poll, grp: str) -> Any:
        n = len(poll.options)
        k = poll.kind
        if k == "points":
            return {"0": 6, "1": 3, "2": 1} if rng.random() < 0.6 else {"0": 4, "1": 4, "2": 2}
        if k == "fist":
            if poll.step == 1 and rng.random() < 0.15:  # objections before the wording was fixed
                return rng.choice([1, 2])
            return min(5, max(3, round(rng.gauss(4.2, 0.7))))
        if k == "importance":
            return {str(i): [min(5, max(1, round(rng.gauss(4.5, 0.5)))),
                             min(5, max(1, round(rng.gauss(_lean(grp, *SATISFACTION[i % 6]), 0.7))))]
                    for i in range(n)}
        if k == "scale":
            return min(poll.scale_range[1], max(0, round(rng.gauss(_lean(grp, 4.5, 6.5, 5.0), 1.5))))
        if k == "multiple":
            return sorted(rng.sample(range(n), 3))
        if k == "agreement" and poll.target == "readiness":  # its own stream: the others stay as they were
            return {str(i): min(5, max(1, round(extra.gauss(_lean(grp, *READINESS[i % 8]), 0.8)))) for i in range(n)}
        if k == "agreement":
            # The survey's means (NHS, industry) for the first three; its "encourage or mandate"
            # asked two things at once, so the demo asks each: most encourage, the NHS is split on
            # mandating.
            means = [_lean(grp, 3.6, 3.0, 3.4), _lean(grp, 4.1, 3.8, 4.0),
                     _lean(grp, 3.8, 4.1, 3.5), _lean(grp, 4.2, 4.3, 4.2), _lean(grp, 3.2, 4.0, 3.8)]
            out = {str(i): min(5, max(1, round(rng.gauss(means[i % 5], 0.8)))) for i in range(n)}
            if n == 5 and grp in ("provider", "payer", "clinician"):
                out["4"] = extra.choices([1, 2, 4, 5], weights=[7, 1, 1, 8])[0]
            return out
        if k == "single" and poll.target == "timeline":
            sector = {"pharma": "industry", "medtech": "industry", "patient": "patients"}.get(grp, "nhs")
            return extra.choices(range(4), weights=TIMELINE[sector])[0]
        if k == "single":
            return rng.choices(range(n), weights=[3, 5, 2, 1][:n])[0]
        if k == "matrix":
            spots = [(2.0, 4.3), (2.8, 3.9), (4.2, 2.4), (3.6, 2.0)]
            return {str(i): [min(5, max(1, round(rng.gauss(spots[i][0], 0.7)))),
                             min(5, max(1, round(rng.gauss(spots[i][1], 0.7))))] for i in range(n)}
        if k == "number":  # the readmission cut to aim for: the NHS cautious, industry bolder
            cut = round(min(50.0, max(0.0, estimates.gauss(_lean(grp, 12.0, 20.0, 15.0), 4.0))), 1)
            return int(cut) if cut.is_integer() else cut  # the canonical form, as a phone's is stored
        if k == "text":
            return rng.choice(["Fewer second heart attacks", "Patients know their numbers",
                               "One team across hospital and community care",
                               "No one waits for cardiac rehab", "Patients know their cholesterol target"])
        return None

    vote_on = [(1, "points", ""), (1, "fist", ""), (1, "text", ""), (2, "importance", "trust"),
               (2, "scale", ""), (2, "multiple", ""), (2, "agreement", ""), (3, "single", ""),
               (4, "matrix", "pilots")]
    vote_on += [(3, "fist", f"rule:{r['id']}") for r in store.rows("rules")][:4]  # 2 rules not voted yet
    vote_on += [(2, "agreement", "readiness"), (2, "single", "timeline")]  # later: from `extra`
    vote_on += [(4, "number", "")]  # later still: from `estimates`
    edits = []
    for key in vote_on:
        row = polls.get(key) or next(p for p in store.rows("polls") if (p["step"], p["kind"], p["target"]) == key)
        poll = Poll.from_row(store.row("polls", row["id"]) or row)
        stream = estimates if key[1] == "number" else extra if key in OWN_STREAM else rng
        turnout = devices[: stream.randint(24, len(devices))]
        for voter, grp in turnout:
            a = answer(poll, grp)
            edits.append(Insert("ballots", {
                "poll_id": poll.id, "round": 1, "voter": voter, "grp": grp, "source": "phone",
                "answer": encode(a), "ballot_uid": ids.randbytes(8).hex(),
                "created_at": "2026-11-24T10:15:00", "updated_at": "2026-11-24T10:15:00"}))
        edits.append(Insert("poll_rounds", {"poll_id": poll.id, "round": 1,
                                            "opened_at": "2026-11-24T10:12:00",
                                            "closed_at": "2026-11-24T10:16:00"}))
        edits.append(Update("polls", poll.id, {"state": "closed", "revealed": 1}))
    # The metric ranking (options from the metric register), and a re-vote on the ambition:
    # round 1 had objections, round 2 after discussion reached consensus.
    ranking = next(p for p in store.rows("polls") if p["kind"] == "ranking")
    metric_names = [m["name"] for m in store.rows("metrics")]
    edits.append(Update("polls", ranking["id"], {"options": json.dumps(metric_names), "state": "closed",
                                                  "revealed": 1}))
    edits.append(Insert("poll_rounds", {"poll_id": ranking["id"], "round": 1, "opened_at": "2026-11-24T14:40:00",
                                        "closed_at": "2026-11-24T14:44:00"}))
    for voter, grp in devices[:27]:
        order = sorted(range(len(metric_names)), key=lambda i: rng.random() + (0.4 if i in (0, 1) else 0) * -1)
        edits.append(Insert("ballots", {
            "poll_id": ranking["id"], "round": 1, "voter": voter, "grp": grp, "answer": encode(order[:4]),
            "ballot_uid": ids.randbytes(8).hex(), "created_at": "2026-11-24T14:42:00",
            "updated_at": "2026-11-24T14:42:00"}))
    ambition_fist = polls[(1, "fist", "")]
    edits.append(Update("polls", ambition_fist["id"], {"round": 2}))
    edits.append(Insert("poll_rounds", {"poll_id": ambition_fist["id"], "round": 2,
                                        "opened_at": "2026-11-24T10:40:00", "closed_at": "2026-11-24T10:43:00"}))
    for voter, grp in devices[:30]:
        edits.append(Insert("ballots", {
            "poll_id": ambition_fist["id"], "round": 2, "voter": voter, "grp": grp,
            "answer": encode(min(5, max(3, round(rng.gauss(4.4, 0.6))))), "ballot_uid": ids.randbytes(8).hex(),
            "created_at": "2026-11-24T10:42:00", "updated_at": "2026-11-24T10:42:00"}))
    # A hand count, as when two latecomers had no phones.
    single = polls[(3, "single", "")]
    edits.append(Insert("ballots", {"poll_id": single["id"], "round": 1, "voter": "hand-demo",
                                    "grp": "patient", "source": "hand", "weight": 2,
                                    "answer": encode(1), "created_at": "2026-11-24T11:02:00",
                                    "updated_at": "2026-11-24T11:02:00"}))
    store.apply(edits, origin="demo")
    # Carry consent and 2×2 results into the rules and pilots, as the live panel does.
    for p in store.rows("polls", "state = 'closed'"):
        poll = Poll.from_row(p)
        result_edits = apply_result_edits(store, poll)
        if result_edits:
            store.apply(result_edits, origin="demo")


def prune_demo_copies(folder: Path, keep_days: float = 7.0) -> list[Path]:
    """Delete demo copies older than `keep_days` from `folder`; never one that is open.

    Never fails: a copy that cannot be checked or removed (open in another window, held by a
    virus scanner or a sync client, gone meanwhile) is left for next time and the others go.
    """
    removed = []
    cutoff = time.time() - keep_days * 86400
    for path in sorted(Path(folder).glob("demo-*.vbpw")):
        try:
            if path.stat().st_mtime > cutoff:
                continue
            lock = FileLock(path)  # refused while a window has it open
        except (WorkshopFileError, OSError):
            continue
        try:
            # The lock is on NAME.vbpw.lock, not on the file: nothing of ours holds the file
            # open while it is removed (Windows refuses to remove an open file: WinError 32).
            path.unlink(missing_ok=True)  # first: a copy a scanner holds stays whole
        except OSError:
            continue
        finally:
            lock.release()
        for part in (Path(f"{path}-wal"), Path(f"{path}-shm")):
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)
        removed.append(path)
    return removed


def build_review_demo(design: Store, path: Path | str) -> Store:
    """The demo's review day, six months after the design day, started from it as a facilitator
    would (core/steps/partnership.py): the months since the pilots began, the room's answers
    again, lessons, and go / adapt / stop decisions dated that day."""
    rng = random.Random(20270610)
    ids = random.Random(20270611)  # pseudonyms, token hashes and ballot ids: the same on every run
    store = start_review_day(design, path, date=REVIEW_DAY)
    edits: list[Edit] = []
    for i, points in REVIEW_ACTUALS.items():
        edits += [Insert("actuals", {"metric_id": i + 1, "date": d, "value": v}) for d, v in points]
    edits.append(Update("metrics", 1, {
        "comparator": "Neighbouring practices without the clinics, same search: 41% in October 2026, 42% in May 2027",
        "attribution": "NICE's lipid guidance changed in 2026 for every practice, the comparators included"}))
    edits += [Insert("lessons", {"text": t}) for t in (
        "Pharmacist time, not the search, was the bottleneck in the first month.",
        "Patients valued a named contact more than the dashboard.",
        "Referral at discharge needs the ward's own champion: the letter template alone changed nothing.",
    )]
    edits.append(Update("steps", 5, {"status": "done"}))
    edits.append(Insert("actions", {"kind": "decision", "step": 5, "what": "Scale the lipid clinics; adapt the "
                                    "rehab referral", "owner": "Steering group", "due": REVIEW_DAY, "status": "done"}))
    devices = [("r-" + ids.randbytes(6).hex(), PARTNERS[partner][1]) for partner, _n, _r in PEOPLE]
    edits += [Insert("devices", {"token_hash": ids.randbytes(32).hex(), "pseudonym": d, "grp": g,
                                 "joined_at": f"{REVIEW_DAY}T09:05:00"}) for d, g in devices]
    store.apply(edits, origin="demo")
    for key, value in REVIEW_FIELDS.items():  # each field through the one place that writes them
        store.apply([step_field_edit(store, 5, key, value)], origin="demo")
    ballots: list[Edit] = []
    for p in store.rows("polls"):
        poll = Poll.from_row(p)
        for d, grp in devices:
            a = _review_answer(poll, grp, rng)
            if a is not None:
                ballots.append(Insert("ballots", {
                    "poll_id": poll.id, "round": 1, "voter": d, "grp": grp, "source": "phone", "weight": 1,
                    "answer": encode(a), "ballot_uid": ids.randbytes(8).hex(),
                    "created_at": f"{REVIEW_DAY}T11:00:00", "updated_at": f"{REVIEW_DAY}T11:00:00"}))
        ballots.append(Update("polls", poll.id, {"state": "closed", "revealed": 1}))
    store.apply(ballots, origin="demo")
    return store


def _review_answer(poll: Poll, grp: str, rng: random.Random) -> Any:
    """Six months on: trust and readiness a little higher, most of all for the NHS."""
    n = len(poll.options)
    if poll.kind == "importance":
        return {str(i): [min(5, max(1, round(rng.gauss(4.5, 0.5)))),
                         min(5, max(1, round(rng.gauss(_lean(grp, *SATISFACTION[i % 6]) + 0.6, 0.7))))]
                for i in range(n)}
    if poll.kind == "agreement":
        return {str(i): min(5, max(1, round(rng.gauss(_lean(grp, *READINESS[i % 8]) + 0.4, 0.8)))) for i in range(n)}
    if poll.kind == "single":
        return rng.choices(range(n), weights=[4, 5, 1][:n] + [1] * max(0, n - 3))[0]
    if poll.kind == "fist":
        return min(5, max(3, round(rng.gauss(4.3, 0.6))))
    if poll.kind == "scale":
        return min(poll.scale_range[1], max(poll.scale_range[0], round(rng.gauss(7.5, 1.2))))
    return None
