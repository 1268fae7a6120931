"""Cleaning text that came from a person (a phone, an import, a form) before it is kept.

One rule, used where text enters (server, imports, forms) and again, defensively, where it
leaves (the workbook). What is removed: C0/C1 control characters other than tab and newline,
U+FFFE/U+FFFF and the other noncharacters, and lone surrogates, which XML (and so every
spreadsheet) forbids. Everything else is kept exactly as typed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

# XML 1.0 allows tab, newline and carriage return among the C0 controls; we also drop CR
# (a stray "\r" from a pasted Windows line ending) and the C1 controls (never typed on purpose).
_FORBIDDEN = re.compile(
    "[\x00-\x08\x0b\x0c\x0d\x0e-\x1f\x7f-\x9f"  # C0 (not tab, LF), DEL, C1
    "\ud800-\udfff"  # lone surrogates (a str can hold them; UTF-8 and XML cannot)
    "\ufdd0-\ufdef\ufffe\uffff"  # noncharacters in the BMP
    "]"
    # noncharacters at the end of every supplementary plane (U+1FFFE, U+1FFFF, …)
    "|[\U0001fffe\U0001ffff\U0002fffe\U0002ffff\U0003fffe\U0003ffff\U0004fffe\U0004ffff"
    "\U0005fffe\U0005ffff\U0006fffe\U0006ffff\U0007fffe\U0007ffff\U0008fffe\U0008ffff"
    "\U0009fffe\U0009ffff\U000afffe\U000affff\U000bfffe\U000bffff\U000cfffe\U000cffff"
    "\U000dfffe\U000dffff\U000efffe\U000effff\U000ffffe\U000fffff\U0010fffe\U0010ffff]"
)

# Excel's limit on the characters in one cell.
EXCEL_CELL_LIMIT = 32_767


def clean_text(value: str, *, single_line: bool = False) -> str:
    """`value` with every character XML forbids removed; tabs and newlines kept.

    `single_line` also folds any run of whitespace (newlines included) to one space and trims
    the ends — for names, options and short answers.
    """
    text = _FORBIDDEN.sub("", value)
    if single_line:
        text = " ".join(text.split())
    return text


def has_forbidden(value: str) -> bool:
    return _FORBIDDEN.search(value) is not None


def name_key(value: str) -> str:
    """The key two names are matched on: Unicode-aware (NFKC, casefold), spaces folded.

    Distinct names in any script stay distinct ("Łódź Pharma" is not "Lodz Pharma" and not
    "東京メディカル"); only case, compatibility forms and spacing are ignored.
    """
    return " ".join(unicodedata.normalize("NFKC", clean_text(value)).casefold().split())


def clean_json_text(value: str) -> str:
    """A JSON document with every string in it cleaned (`clean_text`).

    JSON escapes control characters ("\\u000b"), so cleaning the document's text would leave them
    to come back when it is read; this cleans the values themselves. Text that is not JSON is
    cleaned as text.
    """
    import json

    try:
        data = json.loads(value)
    except ValueError:
        return clean_text(value)
    return json.dumps(clean_value(data), ensure_ascii=False)


def clean_value(data: Any) -> Any:
    """Every text inside `data` (a phone's answer, a parsed JSON document: strings, lists,
    objects and their keys) cleaned by `clean_text`; numbers and the rest as they are."""
    if isinstance(data, str):
        return clean_text(data)
    if isinstance(data, list):
        return [clean_value(v) for v in data]
    if isinstance(data, dict):
        return {clean_text(str(k)): clean_value(v) for k, v in data.items()}
    return data
