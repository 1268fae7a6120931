"""Checks the steps show: RACI rules (step 3), metric validity (step 4), RAG status (step 5).

Step 2's investment balance is `steps.balance`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model import numbers
from vbp_workshop.core.model.changes import Row
from vbp_workshop.core.steps.spc import MetricReading, pilot_starts, read_metric

# -- step 3: RACI -------------------------------------------------------------------------------


class RaciError(ValueError):
    pass


def check_raci_assignment(store: Store, activity_id: int, partner_id: int, role: str) -> None:
    """Refuse a second Accountable for an activity, with a message that says what to do."""
    if role != "A":
        return
    for r in store.rows("raci", "activity_id = ? AND role = 'A' AND partner_id != ?",
                        (activity_id, partner_id)):
        other = store.row("partners", r["partner_id"])
        name = other["name"] if other else "another partner"
        activity = store.row("activities", activity_id) or {"name": "this activity"}
        raise RaciError(
            f"“{activity['name']}” already has an Accountable partner ({name}). An activity "
            "has exactly one Accountable: change that one to R, C or I first."
        )


def raci_problems(store: Store) -> dict[int, str]:
    """activity id -> what is wrong with its Accountable (none / several)."""
    problems = {}
    for a in store.rows("activities"):
        n = store.scalar("SELECT COUNT(*) FROM raci WHERE activity_id = ? AND role = 'A'", (a["id"],))
        if n == 0:
            problems[a["id"]] = "No Accountable partner yet"
        elif n > 1:
            problems[a["id"]] = f"{n} Accountable partners: exactly one is needed"
    return problems


# -- step 4: metrics ----------------------------------------------------------------------------

NUMERIC_METRIC_FIELDS = ("baseline_value", "target_value")
DATE_FIELDS = ("baseline_date", "target_date")


def parse_number(text: Any) -> float | None:
    """A number typed in a form: '' -> None; otherwise `numbers.parse_number`, the one rule.

    A form cell does not know the metric's unit, so a percent sign is read as the number before
    it ("45%" is 45), and a lone "," before three digits groups thousands ("1,200" is 1200, as an
    English form reads it) while any other decimal comma is a decimal ("58,5" is 58.5, never 585).
    """
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        return numbers.parse_number(text, "%", style="point")
    except numbers.NumberError as exc:
        raise ValueError(f"“{text}” {exc}." if isinstance(text, str) else "Enter a finite number.") from None


def parse_date(text: Any) -> str:
    """'' -> ''; a date as ISO or day first (`numbers.parse_date`) -> YYYY-MM-DD; anything else
    raises ValueError."""
    s = str(text or "").strip()
    if not s:
        return ""
    try:
        return numbers.parse_date(s)
    except numbers.NumberError:
        raise ValueError(f"“{s}” is not a date: write it {numbers.DATE_HINT}.") from None


def is_rate(metric: Row) -> bool:
    unit = str(metric.get("unit") or "").lower()
    return bool(str(metric.get("numerator") or "").strip()) or "%" in unit or "rate" in unit \
        or unit.startswith("per ") or " per " in unit


def metric_problems(metric: Row) -> dict[str, str]:
    """field -> message, for every rule the metric breaks."""
    out: dict[str, str] = {}
    if not str(metric.get("name") or "").strip():
        out["name"] = "Give the metric a name."
    for f in NUMERIC_METRIC_FIELDS:
        try:
            parse_number(metric.get(f))
        except ValueError as exc:
            out[f] = str(exc)
    dates = {}
    for f in DATE_FIELDS:
        try:
            dates[f] = parse_date(metric.get(f))
        except ValueError as exc:
            out[f] = str(exc)
    if dates.get("baseline_date") and dates.get("target_date") and \
            dates["target_date"] <= dates["baseline_date"]:
        out["target_date"] = "The target date must be after the baseline date."
    if is_rate(metric) and not str(metric.get("denominator") or "").strip():
        out["denominator"] = "A rate needs a denominator (who is counted in the total)."
    if "baseline_value" not in out and "target_value" not in out:
        b, t = parse_number(metric.get("baseline_value")), parse_number(metric.get("target_value"))
        if b is not None and t is not None and b != t:
            lower = metric.get("direction") == "lower"
            if lower and t > b:
                out["target_value"] = "Lower is better, but the target is above the baseline."
            if not lower and t < b:
                out["target_value"] = "Higher is better, but the target is below the baseline."
    return out


# -- step 5: red / amber / green ----------------------------------------------------------------

# The one palette for a metric's status, on screen and in the workbook (hex, as Qt and Excel take it).
RAG_COLOURS = {"green": "#1b7f3b", "amber": "#b86e00", "red": "#c0262d", "grey": "#6b7280"}
RAG_LABELS = {"green": "Green", "amber": "Amber", "red": "Red", "grey": "No data"}


@dataclass(frozen=True)
class Rag:
    status: str  # "green" | "amber" | "red" | "grey"
    progress: float | None  # share of the way from baseline to target (1.0 = met)
    latest: float | None
    reason: str


def latest_actual(actuals: list[Row]) -> Row | None:
    dated = [a for a in actuals if a.get("value") is not None]
    return max(dated, key=lambda a: (a.get("date") or "", a["id"])) if dated else None


def rag(metric: Row, actuals: list[Row]) -> Rag:
    """Status from baseline, target and the latest actual; direction-aware.

    Progress is the share of the distance from baseline to target covered. Where both dates
    are known, it is compared with the share of time elapsed at the actual's date: on track
    (within 10 points) is green, at least half the expected progress is amber, less is red.
    """
    latest = latest_actual(actuals)
    target = _num(metric.get("target_value"))
    baseline = _num(metric.get("baseline_value"))
    lower = metric.get("direction") == "lower"
    if latest is None:
        return Rag("grey", None, None, "No actual value yet.")
    value = float(latest["value"])
    if target is None:
        return Rag("grey", None, value, "No target set.")
    met = value <= target if lower else value >= target
    if met:
        return Rag("green", 1.0, value, "Target met.")
    if baseline is None or baseline == target:
        return Rag("amber", None, value, "Target not met yet (no baseline to measure progress).")
    progress = (value - baseline) / (target - baseline)
    if progress < 0:
        return Rag("red", progress, value, "Moving away from the target.")
    expected = _elapsed(metric.get("baseline_date"), metric.get("target_date"), latest.get("date"))
    if expected is None:
        expected = 1.0
    if progress >= expected - 0.1:
        return Rag("green", progress, value, f"On track: {progress:.0%} of the way.")
    if progress >= expected / 2:
        return Rag("amber", progress, value, f"Behind: {progress:.0%} of the way, {expected:.0%} expected.")
    return Rag("red", progress, value, f"Off track: {progress:.0%} of the way, {expected:.0%} expected.")


def _num(v: Any) -> float | None:
    try:
        return parse_number(v)
    except ValueError:
        return None


def _elapsed(start: Any, end: Any, at: Any) -> float | None:
    try:
        s, e, a = (date.fromisoformat(str(x)) for x in (start, end, at))
    except ValueError:
        return None
    if e <= s:
        return None
    return min(1.0, max(0.0, (a - s).days / (e - s).days))


def metric_readings(store: Store) -> list[tuple[Row, MetricReading]]:
    """Each metric with its statistical-process-control reading (core/spc.py): its actuals read
    from its pilot's start date, not from the baseline date."""
    actuals: dict[int, list[Row]] = {}
    for a in store.rows("actuals"):
        actuals.setdefault(a["metric_id"], []).append(a)
    starts = pilot_starts(store.rows("pilots"))
    return [(m, read_metric(m, actuals.get(m["id"], []), starts.get(m["pilot_id"], "")))
            for m in store.rows("metrics")]
