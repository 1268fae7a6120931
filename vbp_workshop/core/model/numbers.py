"""One rule for reading a number or a date that a person typed (an import, a form).

Decimal commas and points, thousands separators (",", ".", spaces, apostrophes) and a percent
sign are read against the metric's unit; whatever could mean two things is refused, never
guessed. "58,5" is 58.5; "1.234,5" and "1,234.5" are 1234.5; "1,234" is refused unless the
other values of the same column say which separator is the decimal one; "58%" is 58 when the
unit is a percentage and refused otherwise; a spreadsheet cell formatted as a percentage
(0.58 shown as 58%) is read as 58 for a percentage unit.

Messages say what is wrong with the value; the caller adds the sheet, row and column.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any

# Spaces people (and spreadsheet programs) put between thousands: space, no-break space,
# narrow no-break space, thin space; and the apostrophes used in Switzerland.
_GROUPING_SPACES = re.compile("[ \u00a0\u202f\u2009'\u2019]")
_SHAPE = re.compile(r"^[+-]?(\d[\d.,]*)$")
_MINUS = str.maketrans({"\u2212": "-", "\u2013": "-"})


class NumberError(ValueError):
    """The text is not a number that can be read without guessing; the message says why."""


def is_percent_unit(unit: str) -> bool:
    u = unit.strip().casefold()
    return u in {"%", "percent", "per cent", "percentage", "pct"} or u.startswith("%") or "percent" in u


def decimal_style(values: Iterable[Any]) -> str:
    """"comma", "point" or "" — which decimal separator a column's texts use, when any of them
    shows it unambiguously (and none contradicts it)."""
    seen = set()
    for v in values:
        if not isinstance(v, str):
            continue
        s = _digits_only(v)
        if s is None:
            continue
        commas, points = s.count(","), s.count(".")
        if commas and points:
            seen.add("comma" if s.rfind(",") > s.rfind(".") else "point")
        elif commas == 1 and not _three_after(s, ","):
            seen.add("comma")
        elif points == 1 and not _three_after(s, "."):
            seen.add("point")
        elif commas > 1:
            seen.add("point")  # 1,234,567: commas group thousands
        elif points > 1:
            seen.add("comma")
    return seen.pop() if len(seen) == 1 else ""


def parse_number(value: Any, unit: str = "", *, percent_format: bool = False, style: str = "") -> float:
    """The number `value` means for a metric measured in `unit`.

    `percent_format`: the spreadsheet cell is formatted as a percentage (it holds 0.58 for 58%).
    `style`: the column's decimal separator from `decimal_style`, used only to settle "1,234".
    """
    percent_unit = is_percent_unit(unit)
    if isinstance(value, bool) or value is None:
        raise NumberError("is not a number")
    if isinstance(value, int | float):
        number = float(value)
        if not math.isfinite(number):
            raise NumberError("is not a number")
        if percent_format:
            if not percent_unit:
                raise NumberError(f"is a percentage, but the metric's unit is “{unit or 'none'}”; "
                                  "type the value in the metric's unit")
            number *= 100
        return number
    text = str(value).strip().translate(_MINUS)
    if not text:
        raise NumberError("is empty")
    percent = text.endswith("%")
    if percent:
        text = text[:-1].strip()
        if not percent_unit:
            raise NumberError(f"is a percentage, but the metric's unit is “{unit or 'none'}”; "
                              "type the value in the metric's unit")
    sign = -1.0 if text.startswith("-") else 1.0
    body = _digits_only(text)
    if body is None:
        raise NumberError("is not a number")
    number = sign * _read(body, style)
    return number


def _digits_only(text: str) -> str | None:
    s = _GROUPING_SPACES.sub("", text.strip().translate(_MINUS))
    m = _SHAPE.match(s)
    return m.group(1) if m else None


def _three_after(s: str, sep: str) -> bool:
    return len(s) - s.rfind(sep) - 1 == 3


def _groups_ok(integer: str, sep: str) -> bool:
    parts = integer.split(sep)
    return 1 <= len(parts[0]) <= 3 and all(len(p) == 3 for p in parts[1:])


def _read(s: str, style: str) -> float:
    commas, points = s.count(","), s.count(".")
    if not commas and not points:
        return float(s)
    if commas and points:
        dec, thousands = (",", ".") if s.rfind(",") > s.rfind(".") else (".", ",")
        integer, _, fraction = s.rpartition(dec)
        if s.count(dec) != 1 or not fraction or not _groups_ok(integer, thousands):
            raise NumberError("mixes “,” and “.” in a way that cannot be read")
        return float(integer.replace(thousands, "") + "." + fraction)
    sep = "," if commas else "."
    if s.count(sep) > 1:
        if not _groups_ok(s, sep):
            raise NumberError(f"has “{sep}” where neither a decimal nor a thousands separator fits")
        return float(s.replace(sep, ""))
    integer, _, fraction = s.partition(sep)
    if not integer or not fraction:
        raise NumberError("is not a number")
    if len(fraction) != 3 or integer == "0" or len(integer) > 3:
        return float(integer + "." + fraction)  # 58,5 · 0,125 · 1234,567: only a decimal fits
    # "1,234" / "1.234": a thousands separator or a decimal one. The column may say which.
    decimal = {"comma": ",", "point": "."}.get(style)
    if decimal is None:
        raise NumberError(f"could be {integer}{fraction} or {integer}.{fraction}; "
                          f"write it as {integer}{fraction} or as {integer}.{fraction}")
    return float(integer + "." + fraction) if decimal == sep else float(integer + fraction)


def ten_times_off(value: float, baseline: float | None, target: float | None) -> bool:
    """True when `value` looks like a slip of a factor of ten (or a hundred): far outside the
    baseline–target range while ten or a hundred times more, or less, would sit inside it — a
    missing decimal comma (585 for 58.5), a percentage read as a fraction (0.58 for 58) — or
    more than ten times off the range in any case. The person confirms; nothing is refused."""
    known = [abs(x) for x in (baseline, target) if x is not None and math.isfinite(x)]
    if not known or not math.isfinite(value) or not value:
        return False
    low, high = min(known) / 2, max(known) * 2  # "near the range": within a factor of two

    def near(v: float) -> bool:
        return low <= abs(v) <= high

    if near(value) or not high:
        return False
    if abs(value) > 10 * max(known) or (min(known) and abs(value) < min(known) / 10):
        return True
    return any(near(value * f) for f in (10, 100, 0.1, 0.01))


MONTHS = {m: n for n, names in enumerate((
    ("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"), ("may",), ("jun", "june"),
    ("jul", "july"), ("aug", "august"), ("sep", "sept", "september"), ("oct", "october"),
    ("nov", "november"), ("dec", "december")), 1) for m in names}
DATE_HINT = "day/month/year, e.g. 24/11/2026, or 2026-11-24"


def parse_date(value: Any) -> str:
    """An ISO date (YYYY-MM-DD) from a spreadsheet date or a text a person typed: ISO
    ("2026-11-24"), or day first as the UK writes it ("24/11/2026", "24-11-26", "24.11.2026",
    "24 Nov 2026", "24 November 2026"); a two-digit year is this century. Anything else,
    and a date that does not exist ("31/02/2027", "11/24/2026"), is refused."""
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    text = str(value or "").strip()
    if not text:
        raise NumberError("is empty")
    try:
        if re.match(r"^\d{4}-\d{1,2}-\d{1,2}([T ].*)?$", text):
            y, m, d = (int(x) for x in re.split(r"[-T ]", text)[:3])
            return date(y, m, d).isoformat()
        numeric = re.fullmatch(r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4}|\d{2})", text)
        named = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?[\s\-/.]*([A-Za-z]+)\.?,?[\s\-/.]*(\d{4}|\d{2})", text)
        if numeric:
            d, m, y = (int(x) for x in numeric.groups())
        elif named and named.group(2).lower() in MONTHS:
            d, m, y = int(named.group(1)), MONTHS[named.group(2).lower()], int(named.group(3))
        else:
            raise ValueError(text)
        return date(y + 2000 if y < 100 else y, m, d).isoformat()
    except ValueError:
        raise NumberError(f"is not a date ({DATE_HINT})") from None


def parse_id(value: Any) -> int:
    """A whole-number ID: 7, 7.0 or "7"; never "nan", "7.5", "1e3" or empty."""
    if isinstance(value, bool) or value is None:
        raise NumberError("is empty" if value is None else "is not an ID")
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer():
            return int(value)
        raise NumberError("is not a whole number")
    text = str(value).strip()
    if not text:
        raise NumberError("is empty")
    if not re.fullmatch(r"\d{1,18}(\.0+)?", text):
        raise NumberError("is not an ID (a whole number)")
    return int(text.split(".")[0])
