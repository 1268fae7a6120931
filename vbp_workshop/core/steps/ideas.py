"""Ideas activities: the room's own words, collected on phones, merged, voted on and adopted.

An activity belongs to a step and a target (what its ideas become: ambition statements,
barriers, rules …). Phones submit ideas while it is open (`core/intake/ideas.py`); the facilitator
approves, hides, rewords and merges them; chosen ideas become the options of a new poll; after
the vote the winners are adopted into the step's record. Every change here is a batch of plain
edits for `Session.edit` / `operations.apply_edits`, so each one is undoable for free.

An idea's status: "new" (just submitted), "approved", "hidden" or "merged" (into `merged_into`,
a new idea the facilitator made from it and others; the sources keep their text and supports).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.model.changes import Edit, Insert, Update, now_iso
from vbp_workshop.core.model.poll import Poll, kind_of
from vbp_workshop.core.model.text import clean_text
from vbp_workshop.core.operations.polls import new_poll_edit
from vbp_workshop.core.operations.steps import step_field_edit
from vbp_workshop.core.polls import queries

NEW, APPROVED, HIDDEN, MERGED = "new", "approved", "hidden", "merged"
MAX_LEN_LIMIT = 280  # the longest idea a facilitator may allow: a card, not an essay
DEFAULT_MAX_LEN = 140
DEFAULT_PER_DEVICE = 5


@dataclass(frozen=True)
class Target:
    key: str
    label: str  # plural, as the facilitator reads it
    table: str  # where an adopted idea goes ("steps": a list in the step's fields)
    column: str
    step: int


TARGETS: dict[str, Target] = {t.key: t for t in (
    Target("goals", "Partner goals", "steps", "room_goals", 1),
    Target("ambitions", "Ambition statements", "ambitions", "text", 1),
    Target("barriers", "Barriers", "barriers", "text", 2),
    Target("rules", "Rules", "rules", "text", 3),
    Target("glossary", "Glossary terms", "glossary", "term", 3),
    Target("pilots", "Pilot ideas", "pilots", "name", 4),
    Target("lessons", "Lessons learned", "lessons", "text", 5),
)}

# Kinds a set of ideas can be promoted to, and the settings each gets.
PROMOTE_KINDS: dict[str, tuple[str, dict[str, Any]]] = {
    "points": ("Spread your dots across the ideas you support", {"budget": 10}),
    "ranking": ("Rank the ideas, most important first", {}),
    "matrix": ("Place each idea by effort (left to right) and impact (bottom to top)",
               {"x_label": "Effort", "y_label": "Impact"}),
    "fist": ("How far can you support each idea? (fist-to-five)", {}),
}

# Merge suggestions compare the ideas' content words, not their letters: a letter score
# (rapidfuzz token_set/sort ratio, the rule before) gave "Reduce admissions"/"Reduce
# readmissions" 94 and "Nobody owns the pathway"/"Nobody funds the pathway" 92, above "GP
# practices have no time for searches"/"GPs have no time to run searches" at 79. So: drop the
# little words (STOP), bring word forms together (plural, -ing, -ed, a digit and its word, a few
# synonyms), let a typo in a long word match ("attaks"/"attacks", same first letter), then
# suggest a pair when (a) one idea's words are all in the other with at most a third more, or
# (b) their words overlap by SUGGEST_AT (Dice). One content word swapped for another in a short
# idea ("owns"/"funds", "budgets"/"targets") is a different idea. Chosen on a labelled set of
# room-like pairs (tests/core/test_ideas.py: DUPLICATES and DISTINCT).
SUGGEST_AT = 0.8
PREFILTER = 50.0  # the letter score below which no pair reaches the word rule
STOP = frozenset("""a an the and or but of to in on at for from by with without into onto across
between among per via as than then so that this these those it its their our your his her they
we you i is are be been being was were am has have had do does did doing done can could should
would will shall may might must need needs needed get gets got make makes made take takes run all
every each some any more most much many very too also just really not no one single""".split())
SYNONYMS = {"quicker": "faster", "quick": "fast", "quickly": "fast", "sooner": "earlier",
            "nobody": "noone", "organization": "organisation", "organizations": "organisations"}
NUMBER_WORDS = {str(n): w for n, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve".split())}


def _stem(word: str) -> str:
    word = NUMBER_WORDS.get(SYNONYMS.get(word, word), SYNONYMS.get(word, word))
    for suffix in ("ies", "ing", "ly", "ed", "es", "s"):
        keep = 4 if suffix == "ly" else 2
        if word.endswith(suffix) and len(word) - len(suffix) >= keep and not word.endswith("ss"):
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def content_words(text: str) -> frozenset[str]:
    """An idea's words that carry its meaning, in one form each (see SUGGEST_AT)."""
    low = text.lower().replace("’", "'").replace("'s", "").replace("n't", " not")
    return frozenset(_stem(t) for t in re.findall(r"[^\W_]+", low) if t not in STOP)


def _same_word(a: str, b: str) -> bool:
    from rapidfuzz import fuzz

    return a == b or (min(len(a), len(b)) >= 5 and a[0] == b[0] and fuzz.ratio(a, b) >= 85)


def duplicate_score(a: str | frozenset[str], b: str | frozenset[str]) -> float:
    """0-100: how far two ideas read as the same idea; 0 unless the rule suggests them."""
    wa = content_words(a) if isinstance(a, str) else a
    wb = content_words(b) if isinstance(b, str) else b
    if not wa or not wb:
        return 0.0
    only_a = [x for x in wa if not any(_same_word(x, y) for y in wb)]
    only_b = [y for y in wb if not any(_same_word(y, x) for x in wa)]
    dice = (len(wa) - len(only_a) + len(wb) - len(only_b)) / (len(wa) + len(wb))
    (short, missing), (long_, extra) = sorted(((wa, only_a), (wb, only_b)), key=lambda p: len(p[0]))
    contained = not missing and len(short) >= 2 and len(extra) <= max(1, len(long_) // 3)
    return round(100 * dice, 1) if contained or dice >= SUGGEST_AT else 0.0


def new_activity_edit(step: int, target: str, prompt: str, *, approval: bool = False,
                      supports: bool = True, max_len: int = DEFAULT_MAX_LEN,
                      max_per_device: int = DEFAULT_PER_DEVICE) -> Insert:
    if target not in TARGETS:
        raise ValueError(f"unknown ideas target {target!r}")
    return Insert("idea_activities", {
        "step": step, "target": target, "prompt": clean_text(prompt, single_line=True),
        "approval": int(approval), "supports": int(supports),
        "max_len": max(10, min(MAX_LEN_LIMIT, int(max_len))),
        "max_per_device": max(1, min(50, int(max_per_device))),
    })


# Where each step starts: the template offers one ideas activity per step (a draft until opened).
STARTERS = (
    (1, "ambitions", "What should be different for a patient on this pathway in three years?"),
    (2, "barriers", "What stands in the way of this partnership working?"),
    (3, "rules", "Which rule would help us work well together?"),
    (4, "pilots", "Which pilot could we start soon and learn from?"),
    (5, "lessons", "What have we learned that others should know?"),
)


def starter_activity_edits() -> list[Edit]:
    return [new_activity_edit(step, target, prompt) for step, target, prompt in STARTERS]


# -- reading --------------------------------------------------------------------------------------

def activities(store: Store, step: int | None = None) -> list[dict[str, Any]]:
    if step is None:
        return store.rows("idea_activities")
    return store.rows("idea_activities", "step = ?", (step,))


def ideas_of(store: Store, activity_id: int) -> list[dict[str, Any]]:
    return store.rows("ideas", "activity_id = ?", (activity_id,), order="id")


def supporters(store: Store, activity_id: int) -> dict[int, set[str]]:
    """Each idea's supporting devices, a merged idea's including its sources' (once each)."""
    own: dict[int, set[str]] = {}
    for r in store.conn.execute(
            "SELECT s.idea_id, s.device FROM idea_supports s JOIN ideas i ON i.id = s.idea_id "
            "WHERE i.activity_id = ?", (activity_id,)):
        own.setdefault(int(r[0]), set()).add(str(r[1]))
    rows = ideas_of(store, activity_id)
    children: dict[int, list[int]] = {}
    for r in rows:
        if r["merged_into"] is not None:
            children.setdefault(int(r["merged_into"]), []).append(int(r["id"]))
    out: dict[int, set[str]] = {}

    def collect(i: int, seen: frozenset[int] = frozenset()) -> set[str]:
        if i in out:
            return out[i]
        found = set(own.get(i, ()))
        for c in children.get(i, []):
            if c not in seen:
                found |= collect(c, seen | {i})
        out[i] = found
        return found
    for r in rows:
        collect(int(r["id"]))
    return out


def visible(activity: dict[str, Any], idea: dict[str, Any]) -> bool:
    """May the room (phones, projector) see this idea? Hidden and merged sources never."""
    if idea["status"] == APPROVED:
        return True
    return idea["status"] == NEW and not activity["approval"]


def board(store: Store, activity_id: int) -> list[dict[str, Any]]:
    """The ideas the room sees, with their support counts (never who), oldest first."""
    activity = store.row("idea_activities", activity_id)
    if activity is None:
        return []
    counts = supporters(store, activity_id)
    return [{"id": int(r["id"]), "text": r["text"], "supports": len(counts.get(int(r["id"]), ()))}
            for r in ideas_of(store, activity_id) if visible(activity, r)]


def sources(store: Store, idea_id: int) -> list[dict[str, Any]]:
    """The submitted ideas a merged idea was made from (all the way down), or the idea itself."""
    row = store.row("ideas", idea_id)
    if row is None:
        return []
    kids = store.rows("ideas", "merged_into = ?", (idea_id,), order="id")
    if not kids:
        return [row]
    return [leaf for k in kids for leaf in sources(store, int(k["id"]))]


def trail(store: Store, idea_id: int) -> dict[str, Any]:
    """submitted (count, groups) → merged → voted (poll, round, result) → adopted (when, who)."""
    row = store.row("ideas", idea_id)
    if row is None:
        return {}
    leaves = [s for s in sources(store, idea_id) if s["device"]]
    merged = [s["text"] for s in store.rows("ideas", "merged_into = ?", (idea_id,), order="id")]
    out: dict[str, Any] = {"submitted": len(leaves), "groups": shown_groups(store, leaves),
                           "merged_from": merged}
    if row["poll_id"] is not None:
        poll = store.row("polls", int(row["poll_id"]))
        out["voted"] = {"poll": int(row["poll_id"]), "question": poll["question"] if poll else "",
                        "round": row["poll_round"], "result": row["result"]}
    if row["adopted_at"]:
        out["adopted"] = {"into": row["adopted_table"], "at": row["adopted_at"], "by": row["adopted_by"]}
    return out


def shown_groups(store: Store, leaves: list[dict[str, Any]]) -> dict[str, int]:
    """How many of an idea's senders were in each stakeholder group, by the rule every result
    by group follows (`queries.min_group`, merged as `sectors.group_ballots_in_sectors`
    merges ballots): a group below the smallest size merges within its sector, then into
    "other", and is left out when still too small — a group of one is never named."""
    from vbp_workshop.core.polls.sectors import group_ballots_in_sectors

    split = group_ballots_in_sectors([{"grp": s["grp"] or ""} for s in leaves], queries.min_group(store))
    return {g: len(bs) for g, bs in sorted(split.items())}


def groups_text(groups: dict[str, int], submitted: int) -> str:
    """`shown_groups` as words: "Clinician group 3, Other (merged) 4", and how many are left out."""
    from vbp_workshop.core.model.domain import GROUP_LABELS

    named = ", ".join(f"{GROUP_LABELS.get(g, g)} {n}" for g, n in groups.items())
    withheld = submitted - sum(groups.values())
    if withheld:
        rest = f"{withheld} in groups too small to name"
        return f"{named}, {rest}" if named else rest
    return named


def trail_text(t: dict[str, Any]) -> str:
    """The trail as one line for a workbook cell or a tooltip."""
    parts = []
    if t.get("submitted"):
        parts.append(f"submitted {t['submitted']}× ({groups_text(t['groups'], t['submitted'])})")
    if t.get("merged_from"):
        parts.append(f"merged from {len(t['merged_from'])}")
    if "voted" in t:
        v = t["voted"]
        parts.append(f"voted in poll {v['poll']} round {v['round']}: {v['result'] or 'no result'}")
    if "adopted" in t:
        a = t["adopted"]
        parts.append(f"adopted into {a['into']} {a['at'][:16].replace('T', ' ')} by {a['by'] or 'facilitator'}")
    return " → ".join(parts)


# -- moderation: each returns edits for Session.edit (undoable) ---------------------------------

def status_edits(store: Store, idea_ids: list[int], status: str) -> list[Edit]:
    if status not in (NEW, APPROVED, HIDDEN):
        raise ValueError(status)
    return [Update("ideas", i, {"status": status}) for i in idea_ids
            if (r := store.row("ideas", i)) is not None and r["status"] != MERGED]


def approval_edits(store: Store, activity_id: int, approval: bool) -> list[Edit]:
    """Switch an activity's "show only after I approve" on or off; it applies at once to every
    idea of the activity (`visible` reads it), those already sent included."""
    activity = store.row("idea_activities", activity_id)
    if activity is None or bool(activity["approval"]) == approval:
        return []
    return [Update("idea_activities", activity_id, {"approval": int(approval)})]


def reword_edit(store: Store, idea_id: int, text: str) -> list[Edit]:
    row = store.row("ideas", idea_id)
    clean = clean_text(text, single_line=True)[:MAX_LEN_LIMIT]
    if row is None or not clean or clean == row["text"]:
        return []
    return [Update("ideas", idea_id, {"text": clean})]


def merge_edits(store: Store, idea_ids: list[int], text: str = "", at: str = "") -> list[Edit]:
    """One new idea made of `idea_ids` (worded as `text`, or as the most supported source), made
    at `at` (default now); the sources stay, marked merged into it, with their supports."""
    # A hidden idea is never merged: its words would reach the room inside the merged one.
    rows = [r for i in dict.fromkeys(idea_ids) if (r := store.row("ideas", i)) and r["status"] in (NEW, APPROVED)]
    if len(rows) < 2 or len({r["activity_id"] for r in rows}) != 1:
        return []
    counts = supporters(store, int(rows[0]["activity_id"]))
    wording = clean_text(text, single_line=True)[:MAX_LEN_LIMIT] or max(
        rows, key=lambda r: (len(counts.get(int(r["id"]), ())), -int(r["id"])))["text"]
    new_id = store.next_id("ideas")
    edits: list[Edit] = [Insert("ideas", {"id": new_id, "activity_id": rows[0]["activity_id"],
                                          "text": wording, "status": APPROVED, "created_at": at or now_iso()})]
    edits += [Update("ideas", int(r["id"]), {"status": MERGED, "merged_into": new_id}) for r in rows]
    return edits


def suggest_merges(store: Store, activity_id: int) -> list[tuple[int, int, float]]:
    """Pairs of live ideas that read as the same idea: (id, id, score), best first."""
    return suggest_among(ideas_of(store, activity_id))


def suggest_among(ideas_rows: list[dict[str, Any]]) -> list[tuple[int, int, float]]:
    """`suggest_merges` over rows already read (a screen shows the pairs of the rows it shows)."""
    return MergeSuggester().update(ideas_rows)


class MergeSuggester:
    """Merge suggestions kept up to date as ideas arrive: each update scores only the ideas that
    are new or reworded against the others (measured: scoring 600 ideas all against all took
    ~0.6 s of the GUI thread; a drain of a few new ones takes a few ms)."""

    def __init__(self) -> None:
        self._texts: dict[int, str] = {}
        self._pairs: dict[tuple[int, int], float] = {}
        self._words: dict[int, frozenset[str]] = {}

    def update(self, ideas_rows: list[dict[str, Any]]) -> list[tuple[int, int, float]]:
        # Imported here: a checkout whose environment predates the dependency still runs the rest.
        from rapidfuzz import fuzz, process

        live = {int(r["id"]): str(r["text"]) for r in ideas_rows if r["status"] in (NEW, APPROVED)}
        changed = [i for i, t in live.items() if self._texts.get(i) != t]
        gone = set(self._texts) - set(live)
        if gone or changed:
            drop = gone | set(changed)
            self._pairs = {k: v for k, v in self._pairs.items() if not drop.intersection(k)}
            for i in drop:
                self._words.pop(i, None)
        self._texts = dict(live)
        if changed:
            for i in changed:
                self._words[i] = content_words(live[i])
            ids = list(live)
            joined = {i: " ".join(sorted(self._words[i])) for i in ids}
            # A quick letter score first (rapidfuzz, in C) keeps the word rule to likely pairs.
            near = process.cdist([joined[i] for i in changed], [joined[i] for i in ids],
                                 scorer=fuzz.token_set_ratio, score_cutoff=PREFILTER)
            for a, b in zip(*near.nonzero(), strict=True):
                x, y = changed[int(a)], ids[int(b)]
                key = (min(x, y), max(x, y))
                if x == y or key in self._pairs:
                    continue
                score = duplicate_score(self._words[x], self._words[y])
                if score:
                    self._pairs[key] = score
        return sorted(((a, b, s) for (a, b), s in self._pairs.items()), key=lambda x: (-x[2], x[0], x[1]))


# -- promote and adopt --------------------------------------------------------------------------

def promote_edits(store: Store, activity_id: int, idea_ids: list[int], kind: str,
                  question: str = "") -> list[Edit]:
    """A new poll of `kind` whose options are the chosen ideas (in that order), ready to open."""
    activity = store.row("idea_activities", activity_id)
    if activity is None or kind not in PROMOTE_KINDS:
        return []
    rows = [r for i in dict.fromkeys(idea_ids) if (r := store.row("ideas", i))
            and r["activity_id"] == activity_id and r["status"] in (NEW, APPROVED)]
    if len(rows) < 2:
        return []
    default_q, settings = PROMOTE_KINDS[kind]
    poll_id = store.next_id("polls")
    step, tag = int(activity["step"]), f"ideas:{activity_id}"
    question = clean_text(question, single_line=True) or default_q
    link: Edit = Update("idea_activities", activity_id, {"poll_id": poll_id})  # after the poll exists
    edits: list[Edit] = []
    if not kind_of(kind).needs_options:  # e.g. fist-to-five, consent on one proposal: a poll per idea
        for n, r in enumerate(rows):
            edits.append(Insert("polls", {**new_poll_edit(step, kind, r["text"], [], {}, tag).values,
                                          "id": poll_id + n}))
            edits.append(Update("ideas", int(r["id"]), {"poll_id": poll_id + n, "poll_option": 0,
                                                        "status": APPROVED}))
        return [*edits, link]
    waiting = _waiting_poll(store, activity, kind)
    if waiting is not None:
        # The step's own vote on this list (the template's "spread your dots across the ambition
        # statements", filled from the list when it opens) becomes the vote on the ideas, rather
        # than a second vote of the same kind beside it: its options are the ideas, its filling
        # stops (it would put the list back over them), its question stays unless one is given.
        poll_id = waiting.id
        kept = {k: v for k, v in waiting.settings.items() if k != "fill_from"}
        values: dict[str, Any] = {"options": json.dumps([r["text"] for r in rows], ensure_ascii=False),
                                  "settings": json.dumps(kept, ensure_ascii=False)}
        if question != default_q:
            values["question"] = question
        edits += [Update("polls", poll_id, values), Update("idea_activities", activity_id, {"poll_id": poll_id})]
    else:
        edits.append(Insert("polls", {**new_poll_edit(step, kind, question, [r["text"] for r in rows],
                                                              dict(settings), tag).values, "id": poll_id}))
        edits.append(link)
    edits += [Update("ideas", int(r["id"]), {"poll_id": poll_id, "poll_option": n, "status": APPROVED})
              for n, r in enumerate(rows)]
    return edits


def _waiting_poll(store: Store, activity: dict[str, Any], kind: str) -> Poll | None:
    """The step's unanswered, unopened poll of `kind` that fills its options from the list this
    activity's ideas are adopted into, and that no ideas are in yet (None when there is none)."""
    target = TARGETS.get(str(activity["target"]))
    if target is None:
        return None
    for poll in queries.polls(store, int(activity["step"])):
        if (poll.kind == kind and poll.settings.get("fill_from") == target.table and not poll.is_open
                and not queries.answer_count(store, poll.id) and not store.find("ideas", poll_id=poll.id)):
            return poll
    return None


def scores(poll: Poll, t: Any) -> list[float]:
    """One number per option (per poll for a kind without options), higher is better, from the
    kind's tally (`PollKind.scores`)."""
    return poll.plugin.scores(poll, t)


def results(store: Store, activity_id: int) -> list[tuple[dict[str, Any], float, int]]:
    """The promoted ideas with their score and rank (1 = best) in their poll's current round."""
    promoted = [r for r in ideas_of(store, activity_id) if r["poll_id"] is not None and r["poll_option"] is not None]
    by_poll: dict[int, list[float]] = {}
    polls: dict[int, Poll] = {}
    for pid in {int(r["poll_id"]) for r in promoted}:
        if store.row("polls", pid) is None:
            continue
        poll = polls[pid] = queries.get_poll(store, pid)
        t = queries.round_tally(store, poll)
        if t.respondents:
            by_poll[pid] = scores(poll, t)
    voted = [(r, by_poll[int(r["poll_id"])][int(r["poll_option"])]) for r in promoted
             if int(r["poll_id"]) in by_poll and int(r["poll_option"]) < len(by_poll[int(r["poll_id"])])]
    ordered = sorted(voted, key=lambda x: -x[1])
    # Ties share a rank, the next rank skips (1, 2, 2, 4): "standard competition" ranking.
    ranks = [1 + sum(other > s for _r, other in ordered) for _r, s in ordered]
    return [({**r, "round": polls[int(r["poll_id"])].round}, s, n) for (r, s), n in zip(ordered, ranks, strict=True)]


def rank_label(rank: int, ranks: list[int]) -> str:
    """A rank as people write it: "2=" when another idea shares it."""
    return f"{rank}=" if ranks.count(rank) > 1 else str(rank)


def adopt_edits(store: Store, activity_id: int, idea_ids: list[int] | None = None, top: int = 1,
                by: str = "", at: str = "") -> list[Edit]:
    """Record the vote on every promoted idea and adopt the winners (the `top` best, or the
    ideas named) into the step's record; each adopted idea keeps where it went, when (`at`,
    default now), by whom. Ideas tied at the cut share their rank, so all of them are adopted
    (top 2 of 1, 2=, 2=)."""
    activity = store.row("idea_activities", activity_id)
    ranked = results(store, activity_id)
    if activity is None or not ranked:
        return []
    target = TARGETS[activity["target"]]
    chosen = set(idea_ids) if idea_ids is not None else {int(r["id"]) for r, _s, n in ranked if n <= top}
    stamp = at or now_iso()
    edits: list[Edit] = []
    goals = list(store.step_fields(target.step).get(target.column, [])) if target.table == "steps" else []
    ranks = [n for _r, _s, n in ranked]
    for row, score, rank in ranked:
        result = f"rank {rank_label(rank, ranks)} of {len(ranked)}, score {score:g}"
        values: dict[str, Any] = {"poll_round": row["round"], "result": result}
        if int(row["id"]) in chosen and not row["adopted_at"]:
            if target.table == "steps":
                goals.append(row["text"])
                adopted_id = target.step
            else:
                adopted_id = store.next_id(target.table) + sum(isinstance(e, Insert) for e in edits)
                edits.append(Insert(target.table, {"id": adopted_id, target.column: row["text"]}))
            values.update(adopted_table=target.table, adopted_id=adopted_id, adopted_at=stamp,
                          adopted_by=clean_text(by, single_line=True) or store.workshop().get("facilitator", ""))
        edits.append(Update("ideas", int(row["id"]), values))
    if target.table == "steps" and goals:
        edits.append(step_field_edit(store, target.step, target.column, goals))
    return edits


def public_activity(activity: dict[str, Any]) -> dict[str, Any]:
    """What a phone is told about an open activity."""
    target = TARGETS.get(activity["target"])
    return {"id": int(activity["id"]), "prompt": activity["prompt"],
            "target": target.label if target else "", "max_len": int(activity["max_len"]),
            "max_per_device": int(activity["max_per_device"]), "supports": bool(activity["supports"])}
