"""Value formats OpenActive requires: ISO 8601 dates, times, datetimes and durations, RFC 5545
``BYDAY`` values, and HTML detection.

The checks are as strict as the official validator's (which parses with moment.js in strict
mode): a DateTime is ``YYYY-MM-DDThh:mm:ss`` plus ``Z`` or an offset, with no fractional
seconds; a Time is ``hh:mm`` or ``hh:mm:ss`` with no offset; calendar dates must exist.
"""

from __future__ import annotations

import html.entities
import math
import re
from typing import Any

from ._js import js_to_number, js_trim

_DATETIME_RE = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})"
    r"(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)"
)
_DATE_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_DATE_COMPACT_RE = re.compile(r"([0-9]{4})([0-9]{2})([0-9]{2})")
_TIME_RE = re.compile(r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_TIME_OFFSET_RE = re.compile(
    r"([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?)"
)
_DURATION_RE = re.compile(
    r"P(("
    r"([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+H)?([0-9]+M)?([0-9]+(?:[,.][0-9]+)?S)"
    r"|([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+H)?([0-9]+(?:[,.][0-9]+)?M)"
    r"|([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+(?:[,.][0-9]+)?H)"
    r"|([0-9]+Y)?([0-9]+M)?([0-9]+(?:[,.][0-9]+)?D)"
    r"|([0-9]+Y)?([0-9]+(?:[,.][0-9]+)?M)"
    r"|([0-9]+(?:[,.][0-9]+)?Y)"
    r")|([0-9]+W))"
)
_WEEKDAYS = frozenset({"MO", "TU", "WE", "TH", "FR", "SA", "SU"})
_BYDAY_RE = re.compile(r"([+-]?[0-9]{1,2})([A-Z]{2})")


def _valid_date(year: int, month: int, day: int) -> bool:
    if not 1 <= month <= 12:
        return False
    leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
    days = (31, 29 if leap else 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31)[month - 1]
    return 1 <= day <= days


def _valid_clock(hour: int, minute: int, second: int) -> bool:
    if hour == 24:
        return minute == 0 and second == 0
    return 0 <= hour <= 23 and 0 <= minute <= 59 and 0 <= second <= 59


def _valid_offset(offset: str) -> bool:
    if offset in ("Z", "z"):
        return True
    digits = offset[1:].replace(":", "")
    hours = int(digits[:2])
    minutes = int(digits[2:] or 0)
    total = hours * 60 + minutes
    return minutes <= 59 and total <= (14 * 60 if offset[0] == "+" else 12 * 60)


def is_datetime(value: Any) -> bool:
    """``YYYY-MM-DDThh:mm:ss`` with ``Z`` or an offset (``+01:00``, ``+0100``, ``+01``)."""
    if not isinstance(value, str):
        return False
    match = _DATETIME_RE.fullmatch(value)
    if match is None:
        return False
    year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
    return (
        _valid_date(year, month, day)
        and _valid_clock(hour, minute, second)
        and _valid_offset(match.group(7))
    )


def is_date(value: Any) -> bool:
    """``YYYY-MM-DD`` or ``YYYYMMDD``, a date that exists."""
    if not isinstance(value, str):
        return False
    match = _DATE_RE.fullmatch(value) or _DATE_COMPACT_RE.fullmatch(value)
    return match is not None and _valid_date(*(int(g) for g in match.groups()))


def is_time(value: Any) -> bool:
    """``hh:mm`` or ``hh:mm:ss`` (local time, no offset)."""
    if not isinstance(value, str):
        return False
    match = _TIME_RE.fullmatch(value)
    return match is not None and _valid_clock(
        int(match.group(1)), int(match.group(2)), int(match.group(3) or 0)
    )


def is_time_with_offset(value: str) -> bool:
    """A valid time followed by a time zone designator (which OpenActive forbids)."""
    match = _TIME_OFFSET_RE.fullmatch(value)
    return (
        match is not None
        and _valid_clock(int(match.group(1)), int(match.group(2)), int(match.group(3) or 0))
        and _valid_offset(match.group(4))
    )


def is_duration(value: Any) -> bool:
    """An ISO 8601 duration (``PT1H30M``, ``P1D``, ``P2W``); only the last unit may have a
    fraction."""
    return isinstance(value, str) and _DURATION_RE.fullmatch(value) is not None


# -- zero durations: what moment.js makes of a value ---------------------------------------

_ASP_NET_RE = re.compile(r"(-|\+)?(?:([0-9]*)[. ])?([0-9]+):([0-9]+)(?::([0-9]+)(\.[0-9]*)?)?")
_ISO_DURATION_RE = re.compile(
    r"(-|\+)?P(?:([-+]?[0-9,.]*)Y)?(?:([-+]?[0-9,.]*)M)?(?:([-+]?[0-9,.]*)W)?"
    r"(?:([-+]?[0-9,.]*)D)?(?:T(?:([-+]?[0-9,.]*)H)?(?:([-+]?[0-9,.]*)M)?"
    r"(?:([-+]?[0-9,.]*)S)?)?"
)


def _parse_iso_part(text: str | None, sign: int) -> float:
    if not text:
        return 0.0
    match = re.match(
        r"\s*[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?", text.replace(",", ".", 1)
    )
    return (float(match.group(0)) if match else 0.0) * sign


def duration_is_zero(value: Any) -> bool:
    """Whether moment.js reads ``value`` as a zero-length duration.

    Unparseable strings read as zero, so a garbled duration counts as zero too.
    """
    number = js_to_number(value)
    units: dict[str, float] = {}
    if not math.isnan(number):
        units["ms"] = number
    elif isinstance(value, str) and (match := _ASP_NET_RE.fullmatch(value)):
        sign = -1 if match.group(1) == "-" else 1
        units = {
            "d": _to_int(match.group(2)) * sign,
            "h": _to_int(match.group(3)) * sign,
            "m": _to_int(match.group(4)) * sign,
            "s": _to_int(match.group(5)) * sign,
            "ms": round(float(match.group(6) or 0) * 1000) * sign,
        }
    elif isinstance(value, str) and (match := _ISO_DURATION_RE.fullmatch(value)):
        sign = -1 if match.group(1) == "-" else 1
        names = ("y", "M", "w", "d", "h", "m", "s")
        units = {n: _parse_iso_part(match.group(i + 2), sign) for i, n in enumerate(names)}
    elif isinstance(value, dict):
        units = _object_units(value)
    if not _duration_valid(units):
        return False
    milliseconds = (
        units.get("ms", 0)
        + units.get("s", 0) * 1e3
        + units.get("m", 0) * 6e4
        + units.get("h", 0) * 3.6e6
    )
    days = units.get("d", 0) + units.get("w", 0) * 7
    months = units.get("M", 0) + units.get("y", 0) * 12
    total = (
        milliseconds
        + days * 864e5
        + math.fmod(months, 12) * 2592e6
        + math.trunc(months / 12) * 31536e6
    )
    return total == 0


_UNIT_ALIASES = {
    "y": "y", "year": "y", "years": "y",
    "M": "M", "month": "M", "months": "M",
    "w": "w", "week": "w", "weeks": "w", "isoWeek": "w", "isoWeeks": "w", "W": "w",
    "d": "d", "day": "d", "days": "d", "D": "d",
    "h": "h", "hour": "h", "hours": "h",
    "m": "m", "minute": "m", "minutes": "m",
    "s": "s", "second": "s", "seconds": "s",
    "ms": "ms", "millisecond": "ms", "milliseconds": "ms",
    "Q": "Q", "quarter": "Q", "quarters": "Q",
}  # fmt: skip


def _object_units(value: dict[str, Any]) -> dict[str, float]:
    """The duration moment.js reads from an object: its unit keys (``hours``, ``m``...)."""
    units: dict[str, float] = {}
    for key, amount in value.items():
        unit = _UNIT_ALIASES.get(key) or _UNIT_ALIASES.get(key.lower())
        if unit is not None:
            units[unit] = js_to_number(amount)
    if "Q" in units:
        units["M"] = units.get("M", 0) + units.pop("Q") * 3
    return units


def _to_int(text: str | None) -> int:
    return int(text) if text else 0


def _duration_valid(units: dict[str, float]) -> bool:
    if any(math.isnan(v) for v in units.values()):
        return False
    order = ("y", "M", "w", "d", "h", "m", "s", "ms")
    has_decimal = False
    for unit in order:
        amount = units.get(unit, 0)
        if amount:
            if has_decimal:
                return False
            if math.isfinite(amount) and amount != math.trunc(amount):
                has_decimal = True
    return True


# -- BYDAY -----------------------------------------------------------------------------


def is_byday(value: str) -> bool:
    """An RFC 5545 ``BYDAY`` component for one weekday (``MO``, ``+1MO``, ``-1FR``)."""
    if "," in value:
        return False
    day = value.split(";", 1)[0]
    if len(day) == 2:
        return day in _WEEKDAYS
    match = _BYDAY_RE.fullmatch(day)
    return match is not None and match.group(2) in _WEEKDAYS and int(match.group(1)) != 0


# -- HTML ------------------------------------------------------------------------------

_ENTITY_RE = re.compile(r"&(#?[A-Za-z0-9_]+);?")
_ENTITY_NAMES = frozenset(name.rstrip(";") for name in html.entities.html5)


def _strip_tags(text: str) -> str:
    """Remove tags the way the ``striptags`` package does (state machine, no allowed tags)."""
    output: list[str] = []
    state = "plain"
    buffer = ""
    depth = 0
    quote = ""
    for char in text:
        if state == "plain":
            if char == "<":
                state = "html"
                buffer += char
            else:
                output.append(char)
        elif state == "html":
            if char == "<":
                if not quote:
                    depth += 1
            elif char == ">":
                if quote:
                    continue
                if depth:
                    depth -= 1
                    continue
                quote = ""
                state = "plain"
                buffer = ""
            elif char in "\"'":
                quote = "" if char == quote else quote or char
                buffer += char
            elif char == "-":
                if buffer == "<!-":
                    state = "comment"
                buffer += char
            elif char in " \n":
                if buffer == "<":
                    state = "plain"
                    output.append("< ")
                    buffer = ""
                    continue
                buffer += char
            else:
                buffer += char
        elif char == ">":
            if buffer[-2:] == "--":
                state = "plain"
            buffer = ""
        else:
            buffer += char
    return "".join(output)


def _decodes(entity: str) -> bool:
    if entity.startswith("#"):
        digits = entity[2:] if entity[1:2] == "x" else entity[1:]
        base = 16 if entity[1:2] == "x" else 10
        pattern = r"[0-9a-fA-F]+" if base == 16 else r"[0-9]+"
        return re.match(pattern, digits) is not None
    return entity in _ENTITY_NAMES


def contains_html(text: str) -> bool:
    """Whether stripping tags or decoding entities changes the (trimmed) text."""
    if "<" not in text and "&" not in text:
        return False
    stripped = _strip_tags(text) if "<" in text else text
    if js_trim(stripped) != js_trim(text):
        return True
    return any(_decodes(m.group(1)) for m in _ENTITY_RE.finditer(stripped))
