"""How a poll's state reads in the panel's list and heading."""

STATE_LABELS = {"draft": "Not opened yet", "open": "OPEN — taking votes", "closed": "Closed"}
