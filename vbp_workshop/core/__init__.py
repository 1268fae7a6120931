"""The workshop domain, the workshop file and the Excel workbook. Qt-free by contract.

Read it as floors, each importing only the floors below it (import-linter's "core layers"
contract in pyproject.toml):

- `workbook` — the Excel workbook (export, imports) | `intake` — the phones' votes and ideas,
  written on their own thread;
- `steps` — the steps' records: checks, balance, planning, ideas, the template, the demo;
- `operations` — every write: edits, live actions, step fields, poll definitions;
- `polls` — the kinds, tallies, sector splits, spreads, divergence, reading polls from the file;
- `file` — the workshop file: the SQLite store, its schema and upgrades;
- `model` — Poll, Ballot, Tally, PollKind, change records, the room's view, the domain's words;
  it imports nothing else from core.

Importing the package registers the poll kinds with the model (`polls.kinds`), so a `Poll`
knows its kind wherever it is used (the GUI, the vote server's process, a test).
"""

from vbp_workshop.core.polls import kinds as _kinds  # noqa: F401 - registers the poll kinds
