"""Ideas in the core: merge suggestions on real near-duplicates, merge keeping sources and
supports, promote to a poll, vote, adopt into the step's record with the trail, and undo."""

from __future__ import annotations

from typing import Any

import pytest

from vbp_workshop.core.file.store import Store
from vbp_workshop.core.intake.ideas import derive, room, set_state
from vbp_workshop.core.intake.votes import Vote, VoteWriter
from vbp_workshop.core.model.changes import Edit, Insert
from vbp_workshop.core.model.room import LiveState
from vbp_workshop.core.operations import apply_edits, close_poll, open_poll
from vbp_workshop.core.polls import queries
from vbp_workshop.core.steps import ideas


def add(store: Store, aid: int, text: str, grp: str = "pharma", device: str = "") -> int:
    n = store.next_id("ideas")
    store.apply([Insert("ideas", {"activity_id": aid, "text": text, "submitted": text, "grp": grp,
                                  "device": device or f"d-{n}", "uid": f"u{n:08d}", "status": "new"})])
    return n


def support(store: Store, idea_id: int, *devices: str) -> None:
    store.apply([Insert("idea_supports", {"idea_id": idea_id, "device": d}) for d in devices])


@pytest.fixture
def live(store: Store) -> LiveState:
    return LiveState(store.workshop()["join_code"])


def activity(store: Store, live: LiveState, target: str = "ambitions", step: int = 1) -> int:
    apply_edits(store, live, [ideas.new_activity_edit(step, target, "What should change for patients?")])
    return int(store.scalar("SELECT MAX(id) FROM idea_activities"))


def do(store: Store, live: LiveState, edits: list[Edit]) -> list[Edit]:
    assert edits, "the operation built no edits"
    return apply_edits(store, live, edits)


# A small labelled set of room-like pairs: obvious duplicates (the same idea in other words'
# forms, order, spelling, with little words or a word more) and distinct ideas that share most
# of their words. The letter rule before suggested none of the first four duplicates and five of
# the distinct ones.
DUPLICATES = [
    ("GP practices have no time for searches", "GPs have no time to run searches"),
    ("Share data", "Sharing data"),
    ("Share outcome data across all partners every quarter", "Share outcome data with all partners quarterly"),
    ("Cut the wait for a lipid clinic to four weeks", "Cut waits for lipid clinics to 4 weeks"),
    ("Every GP practice finds its high-risk patients", "Every GP practice should find their high risk patients"),
    ("Data-sharing agreements take months to sign", "data sharing agreements take months to sign!"),
    ("Patients are asked too late", "Patients asked too late"),
    ("Budgets are set per organisation, not per pathway", "Budgets set per organisation not pathway"),
    ("Faster access to new medicines", "Quicker access to new medicines"),
    ("Fewer emergency admissions for COPD", "Fewer COPD emergency admissions"),
    ("Fewer second heart attacks in the first year", "Fewer second heart attaks in first year"),
    ("A single shared care record", "One shared care record"),
    ("Clinicians don't trust industry motives", "Clinicians do not trust industry's motives"),
]
BACKGROUND = ["Joint training for staff", "Joint governance board", "Reduce waiting times",
              "Publish results together", "This partner is useless", "Nobody owns the budget for prevention"]
DISTINCT = [
    ("Reduce admissions", "Reduce readmissions"),
    ("Nobody owns the pathway end to end", "Nobody funds the pathway end to end"),
    ("Budgets are set per organisation, not per pathway", "Targets are set per organisation, not per pathway"),
    ("Share outcome data across all partners every quarter", "Share cost data across all partners every year"),
    ("Patients know their cholesterol numbers", "Patients know their blood pressure numbers"),
    ("Cut the wait for a lipid clinic to four weeks", "Cut the wait for cardiac rehab to four weeks"),
    ("Fewer second heart attacks in the first year", "Fewer strokes in the first year"),
    ("Patients are asked too late", "Patients are discharged too early"),
    ("Every GP practice finds its high-risk patients", "Every GP practice has a pharmacist"),
    ("Data sharing agreements take months to sign", "Contracts take months to sign"),
    ("trust", "More trust between partners"),
]


@pytest.mark.parametrize(("a", "b", "suggested"), [*((a, b, True) for a, b in DUPLICATES),
                                                   *((a, b, False) for a, b in DISTINCT)])
def test_obvious_duplicates_are_suggested_and_distinct_ideas_are_not(store: Store, live: LiveState, a: str,
                                                                     b: str, suggested: bool) -> None:
    """Among other ideas of the room, all at once and arriving one by one."""
    aid = activity(store, live)
    others = [add(store, aid, text) for text in BACKGROUND]
    ia, ib = add(store, aid, a), add(store, aid, b)
    pairs = {(x, y) for x, y, _s in ideas.suggest_merges(store, aid)}
    assert ((ia, ib) in pairs) is suggested
    assert not any(x in others or y in others for x, y in pairs)
    kept = ideas.MergeSuggester()  # arriving one by one finds the same
    rows = ideas.ideas_of(store, aid)
    for n in range(1, len(rows) + 1):
        found = kept.update(rows[:n])
    assert ((ia, ib) in {(x, y) for x, y, _s in found}) is suggested


@pytest.mark.parametrize(("a", "b", "suggested"), [
    ("More trust between partners", "more trust between the partners!", True),
    ("Faster access to new medicines", "Quicker access to new medicines", True),
    ("Publish results together", "publish the results, together", True),
    ("More trust between partners", "Shared data between partners", False),
    ("trust", "More trust between partners", False),  # contained, not the same idea
    ("Reduce hospital readmissions", "Reduce waiting times", False),
    ("Joint training for staff", "Joint governance board", False),
])
def test_merge_suggestions_on_real_near_duplicates(store: Store, live: LiveState, a: str, b: str,
                                                   suggested: bool) -> None:
    aid = activity(store, live)
    ia, ib = add(store, aid, a), add(store, aid, b)
    add(store, aid, "Something else entirely about budgets")
    pairs = {(x, y) for x, y, _s in ideas.suggest_merges(store, aid)}
    assert ((ia, ib) in pairs) is suggested


def test_hidden_ideas_are_neither_suggested_nor_merged(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    ia, ib = add(store, aid, "More trust between partners"), add(store, aid, "more trust between the partners!")
    do(store, live, ideas.status_edits(store, [ia], "hidden"))
    assert ideas.suggest_merges(store, aid) == []
    assert ideas.merge_edits(store, [ia, ib]) == []


def test_merge_keeps_sources_and_supports_once_per_device_and_undoes(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    a = add(store, aid, "More trust between partners", "pharma")
    b = add(store, aid, "more trust between the partners!", "patient")
    support(store, a, "d-x", "d-y")
    support(store, b, "d-y", "d-z")  # d-y supported both: counts once on the merged idea
    undo = do(store, live, ideas.merge_edits(store, [a, b], "More trust between the partners"))
    merged = int(store.scalar("SELECT MAX(id) FROM ideas"))
    board = ideas.board(store, aid)
    assert board == [{"id": merged, "text": "More trust between the partners", "supports": 3}]
    assert {r["id"] for r in ideas.sources(store, merged)} == {a, b}
    t = ideas.trail(store, merged)
    assert t["submitted"] == 2 and len(t["merged_from"]) == 2
    assert t["groups"] == {}  # two groups of one: neither is named (the smallest group is 3)
    assert "2 in groups too small to name" in ideas.trail_text(t)
    apply_edits(store, live, undo)
    assert [i["id"] for i in ideas.board(store, aid)] == [a, b]
    assert store.row("ideas", merged) is None


def test_hide_and_reword_undo(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    a = add(store, aid, "Sharred data")
    undo = do(store, live, ideas.reword_edit(store, a, "Shared data\x07  "))
    assert store.row("ideas", a)["text"] == "Shared data"  # type: ignore[index]
    assert store.row("ideas", a)["submitted"] == "Sharred data"  # type: ignore[index] - the phone's words kept
    apply_edits(store, live, undo)
    assert store.row("ideas", a)["text"] == "Sharred data"  # type: ignore[index]
    undo = do(store, live, ideas.status_edits(store, [a], "hidden"))
    assert ideas.board(store, aid) == []
    apply_edits(store, live, undo)
    assert len(ideas.board(store, aid)) == 1


def test_hidden_idea_never_reaches_the_phones_view(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    a, b = add(store, aid, "Visible one"), add(store, aid, "Insulting one")
    do(store, live, ideas.status_edits(store, [b], "hidden"))
    set_state(store, aid, "open")
    r = room(live, store.path)
    derive(store, r.live)
    snap = r.live.snapshot()
    assert [i["id"] for i in snap["ideas"]] == [a]
    assert not r.live.supportable(b) and r.live.supportable(a)


def vote(writer: VoteWriter, poll_id: int, n: int, answer: Any) -> None:
    writer.vote(Vote(poll_id, 1, f"d-{n}", "pharma", answer, f"ballot{n:06d}"))


@pytest.mark.parametrize(("target", "table", "column"), [
    ("ambitions", "ambitions", "text"), ("barriers", "barriers", "text"), ("rules", "rules", "text"),
    ("pilots", "pilots", "name"), ("lessons", "lessons", "text"), ("glossary", "glossary", "term")])
def test_promote_vote_adopt_with_trail_and_undo(store: Store, live: LiveState, target: str, table: str,
                                                column: str) -> None:
    aid = activity(store, live, target)
    a, b, c = (add(store, aid, t) for t in ("Shared outcome data", "Joint board", "Patient panel"))
    h = add(store, aid, "hidden one")
    do(store, live, ideas.status_edits(store, [h], "hidden"))
    undo_promote = do(store, live, ideas.promote_edits(store, aid, [a, b, c, h], "points"))
    poll = queries.get_poll(store, int(store.row("idea_activities", aid)["poll_id"]))  # type: ignore[index]
    assert poll.kind == "points" and poll.options == ("Shared outcome data", "Joint board", "Patient panel")
    assert poll.step == 1
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        open_poll(store, live, poll.id)
        vote(writer, poll.id, 1, {"1": 7, "0": 3})
        vote(writer, poll.id, 2, {"1": 5, "2": 5})
        close_poll(store, live, poll.id)
    finally:
        writer.stop()
    before = len(store.rows(table))
    undo_adopt = do(store, live, ideas.adopt_edits(store, aid, top=1, by="Dr Facilitator"))
    adopted = store.rows(table)
    assert len(adopted) == before + 1 and adopted[-1][column] == "Joint board"
    row = store.row("ideas", b)
    assert row is not None and row["adopted_table"] == table and row["adopted_id"] == adopted[-1]["id"]
    t = ideas.trail(store, b)
    assert t["voted"]["poll"] == poll.id and t["voted"]["result"].startswith("rank 1 of 3, score 12")
    assert t["adopted"]["by"] == "Dr Facilitator"
    assert "adopted into" in ideas.trail_text(t)
    assert store.row("ideas", a)["adopted_at"] == ""  # type: ignore[index] - a loser is not adopted
    apply_edits(store, live, undo_adopt)
    assert len(store.rows(table)) == before and store.row("ideas", b)["adopted_at"] == ""  # type: ignore[index]
    del undo_promote


def test_undo_promote_removes_the_poll(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    a, b = add(store, aid, "One"), add(store, aid, "Two")
    polls_before = len(queries.polls(store))
    undo = do(store, live, ideas.promote_edits(store, aid, [a, b], "ranking"))
    assert len(queries.polls(store)) == polls_before + 1
    apply_edits(store, live, undo)
    assert len(queries.polls(store)) == polls_before
    assert store.row("ideas", a)["poll_id"] is None  # type: ignore[index]


def test_goals_are_adopted_into_step_one(store: Store, live: LiveState) -> None:
    aid = activity(store, live, "goals")
    a, b = add(store, aid, "Earlier diagnosis"), add(store, aid, "Lower cost")
    do(store, live, ideas.promote_edits(store, aid, [a, b], "fist"))
    fist_a, fist_b = (int(store.row("ideas", i)["poll_id"]) for i in (a, b))  # type: ignore[index]
    assert fist_a != fist_b and queries.get_poll(store, fist_a).question == "Earlier diagnosis"
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        for poll_id, level in ((fist_a, 5), (fist_b, 2)):
            open_poll(store, live, poll_id)
            vote(writer, poll_id, 1, level)
    finally:
        writer.stop()
    do(store, live, ideas.adopt_edits(store, aid))
    assert store.step_fields(1)["room_goals"] == ["Earlier diagnosis"]


def test_the_ideas_sheet_shows_the_trail_and_never_a_hidden_idea(store: Store, live: LiveState, tmp_path) -> None:
    import openpyxl

    from vbp_workshop.core.workbook.export import export_workbook

    aid = activity(store, live, "barriers", step=2)
    a = add(store, aid, "Data sharing agreements take months", "pharma")
    b = add(store, aid, "data-sharing agreements take MONTHS", "patient")
    c = add(store, aid, "=HYPERLINK(\"http://x\")", "payer")  # a formula-looking idea stays text
    h = add(store, aid, "SECRET insult about a partner", "other")
    support(store, a, "d-1", "d-2")
    do(store, live, ideas.status_edits(store, [h], "hidden"))
    do(store, live, ideas.merge_edits(store, [a, b], "Data-sharing agreements take months"))
    merged = int(store.rows("ideas", "merged_into IS NULL AND status = 'approved'")[-1]["id"])
    do(store, live, ideas.promote_edits(store, aid, [merged, c], "points"))
    poll_id = int(store.row("idea_activities", aid)["poll_id"])  # type: ignore[index]
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        open_poll(store, live, poll_id)
        vote(writer, poll_id, 1, {"0": 6, "1": 4})
        close_poll(store, live, poll_id)
    finally:
        writer.stop()
    do(store, live, ideas.adopt_edits(store, aid, by="Sam"))
    out = export_workbook(store, tmp_path / "w.xlsx")
    wb = openpyxl.load_workbook(out)
    assert "SECRET" not in "".join(str(v) for ws in wb for row in ws.iter_rows(values_only=True) for v in row if v)
    ws = wb["Ideas"]
    rows = [r for r in ws.iter_rows(values_only=True) if r and r[0]]
    header = next(r for r in rows if r[0] == "Idea")
    body = {r[0]: dict(zip(header, r, strict=False)) for r in rows[rows.index(header) + 1:]}
    top = body["Data-sharing agreements take months"]
    assert top["Submitted"] == 2 and top["Supports"] == 2 and top["Adopted"] == "yes" and top["Into"] == "barriers"
    assert "Data sharing agreements take months" in top["Merged from"] and top["By"] == "Sam"
    assert top["Result"].startswith("rank 1 of 2") and "adopted into barriers" in top["Trail"]
    assert body['=HYPERLINK("http://x")']["Adopted"] == "no"
    formula = next(c for row in ws.iter_rows() for c in row if c.value == '=HYPERLINK("http://x")')
    assert formula.data_type == "s"  # text, never a formula
    assert store.rows("barriers")[-1]["text"] == "Data-sharing agreements take months"
    step = [r for r in wb["2 Trust"].iter_rows(values_only=True) if r and r[0]]
    trail_row = next(r for r in step if r[0] == "Data-sharing agreements take months")
    assert "submitted 2×" in trail_row[1] and "adopted into barriers" in trail_row[1]  # the trail on the step's sheet


def test_the_template_offers_an_activity_where_each_step_starts(store: Store) -> None:
    acts = ideas.activities(store)
    assert [(a["step"], a["target"], a["state"]) for a in acts] == [
        (1, "ambitions", "draft"), (2, "barriers", "draft"), (3, "rules", "draft"), (4, "pilots", "draft"),
        (5, "lessons", "draft")]


def test_the_demo_holds_a_finished_activity(demo: Store) -> None:
    done = [a for a in ideas.activities(demo) if a["poll_id"] is not None]
    assert len(done) == 1
    aid = int(done[0]["id"])
    rows = ideas.ideas_of(demo, aid)
    assert {r["status"] for r in rows} >= {"merged", "hidden", "approved"}
    adopted = [r for r in rows if r["adopted_at"]]
    assert len(adopted) == 2 and all(r["adopted_table"] == "barriers" for r in adopted)
    assert {r["text"] for r in adopted} <= {b["text"] for b in demo.rows("barriers")}
    top = next(r for r in adopted if r["result"].startswith("rank 1"))
    t = ideas.trail(demo, int(top["id"]))
    assert t["submitted"] >= 1 and "voted" in t and "adopted" in t
    hidden = next(r for r in rows if r["status"] == "hidden")
    assert hidden["text"] not in {i["text"] for i in ideas.board(demo, aid)}


def test_merge_suggestions_kept_up_to_date_match_a_fresh_count(store: Store, live: LiveState) -> None:
    aid = activity(store, live)
    texts = ["More trust between partners", "Share outcome data", "more trust between the partners!",
             "share the outcome data", "Joint governance board", "A joint governance board"]
    kept = ideas.MergeSuggester()
    for t in texts:  # one idea per drain, as they arrive
        add(store, aid, t)
        kept.update(ideas.ideas_of(store, aid))
    rows = ideas.ideas_of(store, aid)
    do(store, live, ideas.reword_edit(store, int(rows[5]["id"]), "Publish results together"))
    do(store, live, ideas.status_edits(store, [int(rows[1]["id"])], "hidden"))
    rows = ideas.ideas_of(store, aid)
    fresh = ideas.MergeSuggester().update(rows)
    assert kept.update(rows) == fresh
    assert {(a, b) for a, b, _s in fresh} == {(int(rows[0]["id"]), int(rows[2]["id"]))}


@pytest.mark.parametrize(("target", "step", "kind"), [("ambitions", 1, "points"), ("pilots", 4, "matrix")])
def test_promoting_the_steps_ideas_uses_the_steps_own_vote(store: Store, live: LiveState, target: str,
                                                           step: int, kind: str) -> None:
    """Step 1 ended with two dot votes: the template's (filled from the ambition statements)
    and the one made from the room's ideas. The ideas go into the step's own vote instead."""
    own = [p for p in queries.polls(store, step) if p.kind == kind and p.settings.get("fill_from") == target]
    assert len(own) == 1, "the template has the step's own vote on this list"
    aid = activity(store, live, target, step)
    ids = [add(store, aid, t) for t in ("Shared outcome data", "Joint board", "Patient panel")]
    before = queries.polls(store)
    undo = do(store, live, ideas.promote_edits(store, aid, ids, kind))
    after = queries.polls(store)
    assert len(after) == len(before)
    assert [p for p in after if p.step == step and p.kind == kind] == [queries.get_poll(store, own[0].id)]
    poll = queries.get_poll(store, own[0].id)
    assert poll.options == ("Shared outcome data", "Joint board", "Patient panel")
    assert poll.question == own[0].question and "fill_from" not in poll.settings
    assert int(store.row("idea_activities", aid)["poll_id"]) == poll.id  # type: ignore[index]
    open_poll(store, live, poll.id)  # opening keeps the ideas (it no longer fills from the list)
    assert queries.get_poll(store, poll.id).options == poll.options
    close_poll(store, live, poll.id)
    # A second promote (the step's vote now holds ideas) makes a poll of its own.
    more = [add(store, aid, t) for t in ("Another", "And another")]
    do(store, live, ideas.promote_edits(store, aid, more, kind))
    assert len(queries.polls(store)) == len(before) + 1
    del undo


def test_the_steps_own_vote_comes_back_on_undo(store: Store, live: LiveState) -> None:
    own = next(p for p in queries.polls(store, 1) if p.kind == "points")
    aid = activity(store, live)
    ids = [add(store, aid, t) for t in ("One idea", "Two ideas")]
    undo = do(store, live, ideas.promote_edits(store, aid, ids, "points"))
    apply_edits(store, live, undo)
    assert queries.get_poll(store, own.id) == own


def test_tied_ideas_share_a_rank(store: Store, live: LiveState) -> None:
    aid = activity(store, live, "barriers", 2)
    a, b, c, d = (add(store, aid, t) for t in ("Alpha", "Beta", "Gamma", "Delta"))
    do(store, live, ideas.promote_edits(store, aid, [a, b, c, d], "points"))
    poll = queries.get_poll(store, int(store.row("idea_activities", aid)["poll_id"]))  # type: ignore[index]
    writer = VoteWriter(store.path, live)
    writer.start()
    try:
        open_poll(store, live, poll.id)
        vote(writer, poll.id, 1, {"0": 6, "1": 2, "2": 2})
        vote(writer, poll.id, 2, {"1": 3, "2": 3, "3": 4})
        close_poll(store, live, poll.id)
    finally:
        writer.stop()
    ranked = {int(r["id"]): n for r, _s, n in ideas.results(store, aid)}
    assert ranked == {a: 1, b: 2, c: 2, d: 4}
    do(store, live, ideas.adopt_edits(store, aid, top=2))
    results = {i: store.row("ideas", i)["result"] for i in (a, b, c, d)}  # type: ignore[index]
    assert results[a].startswith("rank 1 of 4") and results[d].startswith("rank 4 of 4")
    assert results[b].startswith("rank 2= of 4") and results[c].startswith("rank 2= of 4")
    # Top 2 adopts both ideas tied for second: they share the rank.
    assert all(store.row("ideas", i)["adopted_at"] for i in (a, b, c))  # type: ignore[index]
    assert not store.row("ideas", d)["adopted_at"]  # type: ignore[index]
