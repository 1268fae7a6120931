"""How a poll's state reads in the panel's list and heading."""

from vbp_workshop.core.model.poll import Poll

STATE_LABELS = {"draft": "Not opened yet", "open": "OPEN — taking votes", "closed": "Closed"}
# An open poll while phone voting is off takes no phone's vote: it never says "taking votes" then.
OPEN_PHONES_OFF = "Open — phones off, hands only"
OPEN_PHONES_OFF_TIP = "No phone can answer while phone voting is off: start phone voting, or count hands."


def state_label(poll: Poll, phones_on: bool) -> str:
    return OPEN_PHONES_OFF if poll.is_open and not phones_on else STATE_LABELS[poll.state]


def state_key(poll: Poll, phones_on: bool) -> str:
    """The state the style sheet colours by ("open_off": open, but no phone can vote)."""
    return "open_off" if poll.is_open and not phones_on else poll.state
