"""The workshop file's schema and its upgrade path.

Each entry of MIGRATIONS brings a file from version N to N+1; the file's version is the
number of entries applied. An entry is SQL, or a function that rewrites rows given the
connection; either runs in one transaction with the version bump. Never edit a released
entry: add one.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from vbp_workshop.core.file.hand_count_upgrade import count_people

APPLICATION_ID = 0x56425057  # "VBPW": tells a workshop file from any other SQLite file

MIGRATIONS: list[str | Callable[[sqlite3.Connection], None]] = [
    # 1: the workshop, partners, participants, agenda, steps, decisions and actions
    """
    CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE workshop(
        id INTEGER PRIMARY KEY CHECK (id = 1),
        title TEXT NOT NULL DEFAULT '', partnership TEXT NOT NULL DEFAULT '',
        pathway TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
        venue TEXT NOT NULL DEFAULT '', facilitator TEXT NOT NULL DEFAULT '',
        min_group_size INTEGER NOT NULL DEFAULT 3, join_code TEXT NOT NULL DEFAULT '');
    CREATE TABLE partners(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL DEFAULT '',
        stakeholder TEXT NOT NULL DEFAULT 'other', goals TEXT NOT NULL DEFAULT '');
    CREATE TABLE participants(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0,
        display_name TEXT NOT NULL DEFAULT '',
        partner_id INTEGER REFERENCES partners(id) ON DELETE SET NULL,
        role TEXT NOT NULL DEFAULT '');
    CREATE TABLE agenda(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, title TEXT NOT NULL DEFAULT '',
        step INTEGER NOT NULL DEFAULT 0, planned_min INTEGER NOT NULL DEFAULT 30,
        actual_min INTEGER, notes TEXT NOT NULL DEFAULT '');
    CREATE TABLE steps(
        id INTEGER PRIMARY KEY, status TEXT NOT NULL DEFAULT 'not_started',
        checklist TEXT NOT NULL DEFAULT '[]', fields TEXT NOT NULL DEFAULT '{}');
    CREATE TABLE actions(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL DEFAULT 'action', step INTEGER NOT NULL DEFAULT 0,
        what TEXT NOT NULL DEFAULT '', owner TEXT NOT NULL DEFAULT '',
        due TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'open');
    """,
    # 2: the content of the five steps, polls and ballots
    """
    CREATE TABLE ambitions(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL DEFAULT '',
        chosen INTEGER NOT NULL DEFAULT 0);
    CREATE TABLE alignment(
        id INTEGER PRIMARY KEY,
        partner_id INTEGER NOT NULL UNIQUE REFERENCES partners(id) ON DELETE CASCADE,
        status TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '');
    CREATE TABLE contributions(
        id INTEGER PRIMARY KEY,
        partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
        resource TEXT NOT NULL, level INTEGER NOT NULL DEFAULT 0, note TEXT NOT NULL DEFAULT '',
        UNIQUE(partner_id, resource));
    CREATE TABLE barriers(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, kind TEXT NOT NULL DEFAULT 'hard',
        text TEXT NOT NULL DEFAULT '', note TEXT NOT NULL DEFAULT '');
    CREATE TABLE activities(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL DEFAULT '');
    CREATE TABLE raci(
        id INTEGER PRIMARY KEY,
        activity_id INTEGER NOT NULL REFERENCES activities(id) ON DELETE CASCADE,
        partner_id INTEGER NOT NULL REFERENCES partners(id) ON DELETE CASCADE,
        role TEXT NOT NULL, UNIQUE(activity_id, partner_id));
    CREATE TABLE rules(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0,
        category TEXT NOT NULL DEFAULT 'decision', text TEXT NOT NULL DEFAULT '',
        poll_id INTEGER REFERENCES polls(id) ON DELETE SET NULL,
        consent TEXT NOT NULL DEFAULT '');
    CREATE TABLE glossary(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, term TEXT NOT NULL DEFAULT '',
        meaning TEXT NOT NULL DEFAULT '');
    CREATE TABLE milestones(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, what TEXT NOT NULL DEFAULT '',
        date TEXT NOT NULL DEFAULT '');
    CREATE TABLE pilots(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, name TEXT NOT NULL DEFAULT '',
        description TEXT NOT NULL DEFAULT '', impact REAL, effort REAL,
        chosen INTEGER NOT NULL DEFAULT 0, success TEXT NOT NULL DEFAULT '');
    CREATE TABLE metrics(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0,
        pilot_id INTEGER REFERENCES pilots(id) ON DELETE SET NULL,
        name TEXT NOT NULL DEFAULT '', definition TEXT NOT NULL DEFAULT '',
        type TEXT NOT NULL DEFAULT 'outcome', unit TEXT NOT NULL DEFAULT '',
        numerator TEXT NOT NULL DEFAULT '', denominator TEXT NOT NULL DEFAULT '',
        direction TEXT NOT NULL DEFAULT 'higher',
        baseline_value REAL, baseline_date TEXT NOT NULL DEFAULT '',
        target_value REAL, target_date TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT '', frequency TEXT NOT NULL DEFAULT '',
        owner TEXT NOT NULL DEFAULT '');
    CREATE TABLE actuals(
        id INTEGER PRIMARY KEY,
        metric_id INTEGER NOT NULL REFERENCES metrics(id) ON DELETE CASCADE,
        date TEXT NOT NULL DEFAULT '', value REAL, note TEXT NOT NULL DEFAULT '');
    CREATE TABLE lessons(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, text TEXT NOT NULL DEFAULT '');
    CREATE TABLE polls(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, step INTEGER NOT NULL DEFAULT 0,
        kind TEXT NOT NULL, question TEXT NOT NULL DEFAULT '',
        options TEXT NOT NULL DEFAULT '[]', settings TEXT NOT NULL DEFAULT '{}',
        privacy TEXT NOT NULL DEFAULT 'anonymous', state TEXT NOT NULL DEFAULT 'draft',
        revealed INTEGER NOT NULL DEFAULT 0, round INTEGER NOT NULL DEFAULT 1,
        target TEXT NOT NULL DEFAULT '');
    CREATE TABLE poll_rounds(
        id INTEGER PRIMARY KEY, poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
        round INTEGER NOT NULL, opened_at TEXT NOT NULL DEFAULT '',
        closed_at TEXT NOT NULL DEFAULT '', UNIQUE(poll_id, round));
    CREATE TABLE devices(
        id INTEGER PRIMARY KEY, token_hash TEXT NOT NULL UNIQUE, pseudonym TEXT NOT NULL UNIQUE,
        grp TEXT NOT NULL DEFAULT '', joined_at TEXT NOT NULL DEFAULT '');
    CREATE TABLE ballots(
        id INTEGER PRIMARY KEY, poll_id INTEGER NOT NULL REFERENCES polls(id) ON DELETE CASCADE,
        round INTEGER NOT NULL, voter TEXT NOT NULL, grp TEXT NOT NULL DEFAULT '',
        source TEXT NOT NULL DEFAULT 'phone', weight INTEGER NOT NULL DEFAULT 1,
        answer TEXT NOT NULL, ballot_uid TEXT NOT NULL DEFAULT '',
        hidden INTEGER NOT NULL DEFAULT 0,
        created_at TEXT NOT NULL DEFAULT '', updated_at TEXT NOT NULL DEFAULT '',
        UNIQUE(poll_id, round, voter));
    CREATE INDEX ballots_poll ON ballots(poll_id, round);
    """,
    # 3: ideas activities: the room's own words, collected on phones, merged, voted, adopted
    """
    CREATE TABLE idea_activities(
        id INTEGER PRIMARY KEY, pos INTEGER NOT NULL DEFAULT 0, step INTEGER NOT NULL DEFAULT 0,
        target TEXT NOT NULL DEFAULT 'ambitions', prompt TEXT NOT NULL DEFAULT '',
        state TEXT NOT NULL DEFAULT 'draft', approval INTEGER NOT NULL DEFAULT 0,
        supports INTEGER NOT NULL DEFAULT 1, max_len INTEGER NOT NULL DEFAULT 140,
        max_per_device INTEGER NOT NULL DEFAULT 5,
        poll_id INTEGER REFERENCES polls(id) ON DELETE SET NULL,
        opened_at TEXT NOT NULL DEFAULT '', closed_at TEXT NOT NULL DEFAULT '');
    CREATE TABLE ideas(
        id INTEGER PRIMARY KEY,
        activity_id INTEGER NOT NULL REFERENCES idea_activities(id) ON DELETE CASCADE,
        text TEXT NOT NULL DEFAULT '', submitted TEXT NOT NULL DEFAULT '',
        grp TEXT NOT NULL DEFAULT '', device TEXT NOT NULL DEFAULT '',
        uid TEXT NOT NULL DEFAULT '', status TEXT NOT NULL DEFAULT 'new',
        merged_into INTEGER, poll_id INTEGER, poll_round INTEGER, poll_option INTEGER,
        result TEXT NOT NULL DEFAULT '', adopted_table TEXT NOT NULL DEFAULT '',
        adopted_id INTEGER, adopted_at TEXT NOT NULL DEFAULT '',
        adopted_by TEXT NOT NULL DEFAULT '', created_at TEXT NOT NULL DEFAULT '');
    CREATE UNIQUE INDEX ideas_uid ON ideas(activity_id, device, uid) WHERE uid != '';
    CREATE TABLE idea_supports(
        id INTEGER PRIMARY KEY, idea_id INTEGER NOT NULL REFERENCES ideas(id) ON DELETE CASCADE,
        device TEXT NOT NULL, created_at TEXT NOT NULL DEFAULT '', UNIQUE(idea_id, device));
    """,
    # 4: hand counts saved by earlier builds count people, not hands (see hand_count_upgrade)
    count_people,
    # 5: the workshop's own id, which phones keep their answers under (a phone's memory of one
    # workshop is never carried into another that numbers its polls the same way)
    "INSERT OR IGNORE INTO meta(key, value) VALUES ('workshop_uid', lower(hex(randomblob(16))))",
    # 6: a partnership over time. A pilot's start date (its metrics are read from there, not from
    # the baseline date) and its evaluation plan decided on the design day (go / adapt / stop
    # criteria, the review date); a metric's comparator and what else changed; and, in a review
    # day's file, the earlier workshops' repeated polls (anonymous ballots) to compare with.
    """
    ALTER TABLE pilots ADD COLUMN start_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE pilots ADD COLUMN go_criteria TEXT NOT NULL DEFAULT '';
    ALTER TABLE pilots ADD COLUMN adapt_criteria TEXT NOT NULL DEFAULT '';
    ALTER TABLE pilots ADD COLUMN stop_criteria TEXT NOT NULL DEFAULT '';
    ALTER TABLE pilots ADD COLUMN review_date TEXT NOT NULL DEFAULT '';
    ALTER TABLE metrics ADD COLUMN comparator TEXT NOT NULL DEFAULT '';
    ALTER TABLE metrics ADD COLUMN attribution TEXT NOT NULL DEFAULT '';
    CREATE TABLE earlier_sessions(
        id INTEGER PRIMARY KEY, session TEXT NOT NULL DEFAULT '', date TEXT NOT NULL DEFAULT '',
        target TEXT NOT NULL DEFAULT '', kind TEXT NOT NULL, question TEXT NOT NULL DEFAULT '',
        options TEXT NOT NULL DEFAULT '[]', settings TEXT NOT NULL DEFAULT '{}',
        ballots TEXT NOT NULL DEFAULT '[]');
    """,
]

SCHEMA_VERSION = len(MIGRATIONS)
WORKSHOP_UID = "workshop_uid"  # the meta key of the workshop's id (migration 5)


def workshop_uid(conn: sqlite3.Connection) -> str:
    """The workshop's id, as the phones are told it ("" in a file older than format 5)."""
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (WORKSHOP_UID,)).fetchone()
    return str(row[0]) if row else ""

# Tables the facilitator edits through Store.apply; each has an integer `id`.
SINGLETONS = {"workshop"}
