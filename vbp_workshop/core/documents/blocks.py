"""What a document is made of, before it is Word or PDF: headings, paragraphs, lists, tables
and (in the hand-out) charts. The PID, the executive summary and the hand-out are each a list
of these blocks (`pid.py`, `summary.py`, `handout.py`); `docx.py` writes one as Word, the ui's
hand-out writer as PDF. Every text a block holds is cleaned when it is written (core/model/text.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field

# What a section the workshop did not fill says, never an empty heading.
NOT_AGREED = "Not agreed at the workshop"


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 1  # 1 = a section (Word's Heading 1), 2 and 3 below it


@dataclass(frozen=True)
class Para:
    text: str
    style: str = ""  # "" (body), "lead" (larger), "note" (small, grey), "label" (bold), "draft"


@dataclass(frozen=True)
class Facts:
    """Label–value pairs (a two-column table in Word, lines in the hand-out)."""

    rows: list[tuple[str, str]]


@dataclass(frozen=True)
class Items:
    items: list[str]
    numbered: bool = False


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    widths: list[float] = field(default_factory=list)  # relative widths of the columns


@dataclass(frozen=True)
class Gap:
    """A section the workshop left empty: "Not agreed at the workshop: <what>."."""

    what: str

    @property
    def text(self) -> str:
        what = self.what.rstrip(".")
        return f"{NOT_AGREED}: {what}."


@dataclass(frozen=True)
class Chart:
    """A chart drawn as on the projector (the hand-out only): which one, and what it shows."""

    key: str  # "trust", "pilots", "readiness"
    poll_id: int
    title: str
    caption: str


@dataclass(frozen=True)
class PageBreak:
    pass


Block = Heading | Para | Facts | Items | Table | Gap | Chart | PageBreak


@dataclass
class Document:
    title: str
    subtitle: str
    blocks: list[Block]
    draft: str = ""  # when set, every page says so (the header) and so does the top of the first
    subject: str = ""
    keywords: str = ""

    def text(self) -> str:
        """Every text the document holds, one block a line (for tests and searches)."""
        out = [self.title, self.subtitle, self.draft]
        for b in self.blocks:
            if isinstance(b, Heading | Para | Gap):
                out.append(b.text)
            elif isinstance(b, Facts):
                out += [f"{k}: {v}" for k, v in b.rows]
            elif isinstance(b, Items):
                out += b.items
            elif isinstance(b, Table):
                out += [" | ".join(b.headers), *(" | ".join(r) for r in b.rows)]
            elif isinstance(b, Chart):
                out += [b.title, b.caption]
        return "\n".join(x for x in out if x)
