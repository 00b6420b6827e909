"""JavaScript value semantics the official validator's checks depend on.

The validator is JavaScript: ``String(5.0)`` is ``"5"``, ``+"0x10"`` is 16, ``" x ".trim()``
trims Unicode spaces. These helpers give the same answers for JSON values, so that borderline
values (an integral float, a numeric string) are judged the same way.
"""

from __future__ import annotations

import json
import math
import re
from typing import Any

_JS_SPACE = (
    " \t\n\v\f\r\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008"
    "\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
)
_DECIMAL_RE = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")


_INT_DIGITS = 4000
"""Integers longer than this are read as doubles: ``int()`` refuses more than 4300 digits
(``sys.get_int_max_str_digits``), and any integer of more than 309 digits is ``Infinity``
to ``JSON.parse`` anyway."""


def _js_int(text: str) -> int | float:
    return int(text) if len(text) <= _INT_DIGITS else float(text)


JSON_DECODER = json.JSONDecoder(parse_int=_js_int)
"""The standard library's reader, with integers of any length accepted (as ``JSON.parse``
does). It still raises ``RecursionError`` for text nesting deeper than the interpreter's
recursion limit: callers turn that into an ``invalid-json`` finding."""


def js_trim(text: str) -> str:
    """``String.prototype.trim``."""
    return text.strip(_JS_SPACE)


def js_float(value: float) -> float:
    """The double JavaScript holds for a JSON number: an integer beyond the double range
    (``float()`` overflows) is ``Infinity``, as ``JSON.parse`` reads it."""
    try:
        return float(value)
    except OverflowError:
        return math.inf if value > 0 else -math.inf


def js_number_text(value: float) -> str:
    """``String(number)``."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value) if abs(value) < 10**21 else js_number_text(js_float(value))
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value.is_integer() and abs(value) < 1e21:
        return str(int(value))
    text = repr(value)
    if "e" in text:
        mantissa, exponent = text.split("e")
        sign = "-" if exponent.startswith("-") else "+"
        text = f"{mantissa}e{sign}{int(exponent.lstrip('+-'))}"
    return text


def js_string(value: Any) -> str:
    """``String(value)`` for a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return js_number_text(value)
    if isinstance(value, list):
        return ",".join("" if v is None else js_string(v) for v in value)
    if isinstance(value, dict):
        return "[object Object]"
    return str(value)


def js_to_number(value: Any) -> float:
    """Unary ``+value`` for a JSON value (NaN when it is not a number)."""
    if value is None or value is False:
        return 0.0
    if value is True:
        return 1.0
    if isinstance(value, int | float):
        return js_float(value)
    if isinstance(value, dict):
        return math.nan
    text = js_trim(js_string(value))
    if not text:
        return 0.0
    for prefix, base in (("0x", 16), ("0o", 8), ("0b", 2)):
        if text[:2].lower() == prefix:
            try:
                return js_float(int(text[2:], base))
            except ValueError:
                return math.nan
    if text in ("Infinity", "+Infinity"):
        return math.inf
    if text == "-Infinity":
        return -math.inf
    if _DECIMAL_RE.fullmatch(text):
        return float(text)
    return math.nan


def js_truthy(value: Any) -> bool:
    """JavaScript truthiness (``[]`` and ``{}`` are true, ``0`` and ``""`` false)."""
    if value is None or value is False:
        return False
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0 and not math.isnan(value)
    if isinstance(value, str):
        return value != ""
    return True


def js_strict_equal(a: Any, b: Any) -> bool:
    """``a === b`` for JSON values (objects and arrays are never equal to each other)."""
    if isinstance(a, dict | list) or isinstance(b, dict | list):
        return False
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return js_float(a) == js_float(b)
    return type(a) is type(b) and a == b


def js_less_than(a: Any, b: Any) -> bool:
    """``a < b`` for JSON values."""
    if isinstance(a, dict | list):
        a = js_string(a)
    if isinstance(b, dict | list):
        b = js_string(b)
    if isinstance(a, str) and isinstance(b, str):
        return a.encode("utf-16-be") < b.encode("utf-16-be")
    x, y = js_to_number(a), js_to_number(b)
    return x < y


def js_round(value: float) -> float:
    """``Math.round`` (halves round towards +infinity)."""
    return float(math.floor(value + 0.5)) if math.isfinite(value) else value
