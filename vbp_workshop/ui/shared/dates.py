"""Dates on screen: shown as the system's locale writes them (QLocale's short format: 24/11/2026
in the UK, 11/24/26 in the US), read back in that form first, then as the core reads a typed date
(ISO or day first, `core.numbers.parse_date`). The file always holds ISO (YYYY-MM-DD)."""

from __future__ import annotations

from PySide6.QtCore import QDate, QLocale, Qt

from vbp_workshop.core.steps.checks import parse_date


def show_date(iso: str) -> str:
    """The stored ISO date as the locale writes it; anything that is not a date, as it is."""
    day = QDate.fromString(str(iso or "")[:10], Qt.DateFormat.ISODate)
    if not day.isValid():
        return str(iso or "")
    locale = QLocale()
    if locale.language() == QLocale.Language.C:  # no convention of its own ("24 11 2026"): ISO
        return day.toString(Qt.DateFormat.ISODate)
    return locale.toString(day, QLocale.FormatType.ShortFormat)


def read_date(text: str) -> str:
    """What a person typed as ISO: the locale's own short or long form first (so a date shown
    is read back as the same day), then ISO or day first. '' stays ''; ValueError says why not."""
    s = str(text or "").strip()
    if not s:
        return ""
    locale = QLocale()
    for form in (QLocale.FormatType.ShortFormat, QLocale.FormatType.LongFormat):
        day = locale.toDate(s, locale.dateFormat(form), 1950)  # "yy": 1950-2049
        if day.isValid():
            return day.toString(Qt.DateFormat.ISODate)
    return parse_date(s)


def date_hint() -> str:
    """An example date for a placeholder, as the locale writes it."""
    return f"e.g. {show_date('2026-11-24')}"
