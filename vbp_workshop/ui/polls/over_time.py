"""A repeated poll over time: the earlier days' answers (core/steps/partnership.py), then this
day's rounds, side by side in the group chart, on the facilitator's screen and the projector."""

from __future__ import annotations

from vbp_workshop.core.model.poll import Poll
from vbp_workshop.core.model.tally import Tally
from vbp_workshop.core.polls.tally import tally
from vbp_workshop.core.steps import partnership
from vbp_workshop.core.steps.partnership import comparable, earlier
from vbp_workshop.ui.session import Session


def has_earlier(session: Session, poll: Poll) -> bool:
    return partnership.has_earlier(session.store, poll)


def can_compare(session: Session, poll: Poll) -> bool:
    return poll.kind != "text" and (poll.round > 1 or has_earlier(session, poll))


def compared(session: Session, poll: Poll) -> tuple[dict[str, Tally], dict[str, str]]:
    """(key -> tally, key -> label): each earlier day, then each of today's rounds, oldest first."""
    groups: dict[str, Tally] = {}
    labels: dict[str, str] = {}
    days = [e for e in earlier(session.store, poll.target) if comparable(e.poll, poll)]
    for i, e in enumerate(days):
        groups[f"day{i}"], labels[f"day{i}"] = tally(e.poll, e.ballots), e.label
    for r in range(1, poll.round + 1):
        groups[f"round{r}"] = session.round_tally(poll, r)
        labels[f"round{r}"] = ("Today" if poll.round == 1 else f"Today, round {r}") if days else f"Round {r}"
    return groups, labels
