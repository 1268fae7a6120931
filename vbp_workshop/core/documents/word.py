"""A document's blocks as a Word file (python-docx): real headings (Heading 1–3, so the navigation
pane and the accessibility checker work), numbered and bulleted lists, tables with a repeated
header row, A4 with 20 mm margins, and the product's neutral look (dark blue headings, Arial).

Every text goes into a run's text (`<w:t>`), never into a field: nothing typed can become a
field code, a hyperlink or a macro (a .docx holds no macros). Characters XML forbids are removed
(core/model/text.py), a tab or a line break typed is kept as Word's own tab and break.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

from vbp_workshop import __version__
from vbp_workshop.core.documents.blocks import Chart, Document, Facts, Gap, Heading, Items, PageBreak, Para, Table
from vbp_workshop.core.model.text import clean_text

INK = RGBColor(0x1A, 0x1A, 0x1A)
HEADING = RGBColor(0x12, 0x35, 0x5B)  # the product's dark blue (style.qss)
MUTED = RGBColor(0x55, 0x55, 0x55)
GAP = RGBColor(0x5C, 0x44, 0x00)  # the product's amber text: a section still to agree
DRAFT = RGBColor(0x9F, 0x1D, 0x1D)
HEADER_FILL = "EEF3F9"
FONT = "Arial"
PAGE_W, MARGIN = 210, 20  # mm: A4 portrait


def _t(text: str) -> str:
    return clean_text(str(text))


def _font(style: Any, size: float, colour: RGBColor, bold: bool | None = None, italic: bool | None = None) -> None:
    f = style.font
    f.name = FONT
    f.size = Pt(size)
    f.color.rgb = colour
    f.bold = bold
    f.italic = italic
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(theme), None)


def _styles(doc: Any) -> None:
    styles = doc.styles
    _font(styles["Normal"], 10.5, INK)
    lang = OxmlElement("w:lang")  # the document's language, for spelling and screen readers
    lang.set(qn("w:val"), "en-GB")
    lang.set(qn("w:eastAsia"), "en-GB")
    styles["Normal"].element.get_or_add_rPr().append(lang)
    styles["Normal"].paragraph_format.space_after = Pt(4)
    for level, size in ((1, 15), (2, 12.5), (3, 11)):
        style = styles[f"Heading {level}"]
        _font(style, size, HEADING, bold=True, italic=False)
        style.paragraph_format.space_before = Pt(14 if level == 1 else 10)
        style.paragraph_format.space_after = Pt(4)
        style.paragraph_format.keep_with_next = True
    _font(styles["Title"], 20, HEADING, bold=True)
    _font(styles["Subtitle"], 12, MUTED, italic=False)
    for name, size, colour, bold, italic in (("Lead", 12, INK, None, None), ("Note", 9, MUTED, None, None),
                                             ("Not agreed", 10.5, GAP, None, True),
                                             ("Draft notice", 11, DRAFT, True, None)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = styles["Normal"]
        style.quick_style = True
        _font(style, size, colour, bold, italic)


def _a4(doc: Any, draft: str, title: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = Mm(PAGE_W), Mm(297)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Mm(MARGIN))
    header = section.header.paragraphs[0]
    header.text = _t(draft)
    header.style = doc.styles["Draft notice"] if draft else doc.styles["Note"]
    footer = section.footer.paragraphs[0]
    footer.text = _t(title)
    footer.style = doc.styles["Note"]


class _Lists:
    """A numbered list restarts at 1: each gets its own numbering instance over the template's
    "List Number" definition (python-docx alone would continue the previous list's numbers)."""

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.numbering = doc.part.numbering_part.element
        style = doc.styles["List Number"].element
        num_id = style.pPr.numPr.numId.val
        num = next(n for n in self.numbering.findall(qn("w:num")) if n.numId == num_id)
        self.abstract = num.abstractNumId.val

    def new(self) -> int:
        num = self.numbering.add_num(self.abstract)
        override = OxmlElement("w:lvlOverride")
        override.set(qn("w:ilvl"), "0")
        start = OxmlElement("w:startOverride")
        start.set(qn("w:val"), "1")
        override.append(start)
        num.append(override)
        return int(num.numId)


class _Writer:
    """Paragraphs by style id: python-docx looks a style up among all the template's styles on
    every paragraph (measured: two thirds of the time for the demo's PID); the ids are read once."""

    NAMES = ("Normal", "Title", "Subtitle", "Heading 1", "Heading 2", "Heading 3", "Lead", "Note", "Not agreed",
             "Draft notice", "List Number", "List Bullet", "Table Grid")

    def __init__(self, doc: Any) -> None:
        self.doc = doc
        self.ids = {name: doc.styles[name].style_id for name in self.NAMES}

    def para(self, text: str, style: str) -> Any:
        p = self.doc.add_paragraph(_t(text))
        if style != "Normal":
            p._p.style = self.ids[style]
        return p


def _number(paragraph: Any, num_id: int) -> None:
    ppr = paragraph._p.get_or_add_pPr()
    numpr = ppr.get_or_add_numPr()
    numpr.get_or_add_ilvl().val = 0
    numpr.get_or_add_numId().val = num_id


def _shade(cell: Any, fill: str) -> None:
    shd = OxmlElement("w:shd")
    shd.set(qn("w:val"), "clear")
    shd.set(qn("w:color"), "auto")
    shd.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shd)


def _repeat_header(row: Any) -> None:
    trpr = row._tr.get_or_add_trPr()
    el = OxmlElement("w:tblHeader")
    el.set(qn("w:val"), "true")
    trpr.append(el)


def _cell_text(cell: Any, text: str, bold: bool = False) -> None:
    p = cell.paragraphs[0]
    p.paragraph_format.space_after = Pt(0)
    run = p.add_run(_t(text))
    run.bold = bold or None


def _table(w: _Writer, headers: list[str], rows: list[list[str]], widths: list[float], header: bool = True) -> None:
    doc = w.doc
    n = max([len(headers)] + [len(r) for r in rows])
    table = doc.add_table(rows=0, cols=n)
    table._tbl.tblStyle_val = w.ids["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.LEFT
    rel = widths if len(widths) == n else [1.0] * n
    usable = PAGE_W - 2 * MARGIN
    mm = [usable * w / sum(rel) for w in rel]
    if header:
        cells = table.add_row().cells
        for cell, text in zip(cells, headers, strict=False):
            _cell_text(cell, text, bold=True)
            _shade(cell, HEADER_FILL)
        _repeat_header(table.rows[0])
    for r in rows:
        cells = table.add_row().cells
        for i, cell in enumerate(cells):
            _cell_text(cell, r[i] if i < len(r) else "", bold=not header and i == 0)
    table.autofit = False
    for col, width in zip(table._tbl.tblGrid.gridCol_lst, mm, strict=True):  # LibreOffice reads the grid
        col.w = Mm(width)
    for row in table.rows:
        for cell, width in zip(row.cells, mm, strict=True):
            cell.width = Mm(width)
    w.para("", "Note").paragraph_format.space_after = Pt(2)


def build_docx(document: Document) -> Any:
    """The python-docx document for `document` (not yet saved)."""
    doc = docx.Document()
    _styles(doc)
    _a4(doc, document.draft, document.title)
    lists = _Lists(doc)
    w = _Writer(doc)
    w.para(document.title, "Title")
    if document.subtitle:
        w.para(document.subtitle, "Subtitle")
    for b in document.blocks:
        if isinstance(b, Heading):
            w.para(b.text, f"Heading {min(3, max(1, b.level))}")
        elif isinstance(b, Para):
            p = w.para(b.text, {"lead": "Lead", "note": "Note", "draft": "Draft notice"}.get(b.style, "Normal"))
            if b.style == "label":
                for run in p.runs:
                    run.bold = True
        elif isinstance(b, Gap):
            w.para(b.text, "Not agreed")
        elif isinstance(b, Items):
            num = lists.new() if b.numbered else 0
            for item in b.items:
                p = w.para(item, "List Number" if b.numbered else "List Bullet")
                if num:
                    _number(p, num)
        elif isinstance(b, Table):
            _table(w, b.headers, b.rows, b.widths)
        elif isinstance(b, Facts):
            _table(w, [], [[k, v] for k, v in b.rows], [1, 2.6], header=False)
        elif isinstance(b, PageBreak):
            doc.add_page_break()  # type: ignore[no-untyped-call]
        elif isinstance(b, Chart):  # Word documents carry no charts: say what the hand-out shows
            w.para(f"{b.title}: see the hand-out.", "Note")
    props = doc.core_properties
    props.title = _t(document.title)[:250]
    props.subject = document.subject
    props.keywords = document.keywords
    props.author = "VBP Workshop"
    props.last_modified_by = "VBP Workshop"
    props.comments = f"Drafted by VBP Workshop {__version__} from the workshop's record"
    props.category = "Draft" if document.draft else ""
    props.revision = 1
    props.created = props.modified = datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    return doc


def write_docx(document: Document, path: Path) -> Path:
    build_docx(document).save(str(path))
    return path

