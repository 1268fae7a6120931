"""The data model: Poll, Ballot, Tally and what a kind of poll is, change records (edits, origins,
events), the room's view, and the workshop domain's words and value rules (text, numbers).
Imports nothing else from core."""
