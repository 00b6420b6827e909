"""JSON text in and out: msgspec's C codec where it gives exactly what the standard library
gives, the standard library where it does not.

Reading: msgspec decodes about twice as fast as ``json.loads``. It refuses all that strict
JSON refuses (NaN, Infinity, numbers too large for a float, malformed text), and also text
that is not valid Unicode (a lone surrogate, ``"\\ud800"``, which ``json.loads`` accepts).
Whatever it refuses is read again by the standard library, which either accepts it (the
surrogate) or names the line and column of the fault; what is accepted, and what it becomes,
is therefore exactly what ``json.loads`` gives (tested on the pinned examples and on
generated text).

Writing: msgspec's compact text is ``json.dumps(..., ensure_ascii=False, separators=(",",
":"))``'s, but for floats of 1e16 and more or below 1e-4, which it writes as ``1e16`` and
``0.00001`` (Python: ``1e+16``, ``1e-05``; the same JSON number). What msgspec refuses
(text that is not valid Unicode, subclasses of ``str``, ``int`` and ``float``, keys such as
``True``) is written by the standard library.

msgspec is imported on first use, so ``import openactive_checkout`` stays light.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from typing import Any

from ..errors import DataError
from ._nodes import MAX_DEPTH

_decode: Callable[[str], Any] | None = None
_encode: Callable[[Any], bytes] | None = None


def _load_msgspec() -> tuple[Callable[[str], Any], Callable[[Any], bytes]]:
    global _decode, _encode  # noqa: PLW0603 - the codec is built once, on first use
    import msgspec

    _decode = msgspec.json.Decoder().decode
    _encode = msgspec.json.Encoder().encode
    return _decode, _encode


def decode(text: str) -> Any:
    """The JSON value of ``text``, exactly as ``json.loads`` gives it; DataError if it is
    not strict JSON (see the module docstring)."""
    fast = _decode or _load_msgspec()[0]
    try:
        return fast(text)
    except Exception:  # whatever msgspec refuses, the standard library judges below
        pass
    try:
        return _STRICT.decode(text)
    except json.JSONDecodeError as exc:
        raise DataError(malformed(exc)) from None
    except RecursionError:
        raise DataError(f"the document nests deeper than {MAX_DEPTH} levels") from None
    except DataError:
        raise  # NaN, Infinity, a number too large: said by the hooks below
    except ValueError as exc:  # an integer of more digits than Python converts
        raise DataError(f"a number in the document cannot be read: {exc}") from None


def malformed(exc: json.JSONDecodeError) -> str:
    """What is wrong with JSON text the standard library could not read, and where."""
    return f"malformed JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"


def encode(document: Any) -> str:
    """``document`` (JSON values only, floats finite) as compact JSON text."""
    fast = _encode or _load_msgspec()[1]
    try:
        return fast(document).decode()
    except (UnicodeEncodeError, TypeError, OverflowError, ValueError):
        # A lone surrogate, which UTF-8 cannot hold; a subclass of str, int or float (a
        # numpy float, say) or a key that is not text or a number, which msgspec refuses;
        # an integer beyond 64 bits or with more digits than Python writes as text.
        pass
    try:
        return _COMPACT.encode(document)
    except ValueError as exc:  # an integer with more digits than Python writes as text
        raise DataError(f"the document cannot be written as JSON text: {exc}") from None


def finite(value: float) -> float:
    """``value``, if it can be written as a JSON number (NaN and infinities cannot)."""
    if not math.isfinite(value):
        raise DataError(f"{value} is not a JSON number")
    return value


def _not_json(name: str) -> Any:
    raise DataError(f"{name} is not a JSON number")


def _finite_float(text: str) -> float:
    value = float(text)
    if value in (math.inf, -math.inf):
        raise DataError(f"the number {text[:40]} is too large for a JSON number")
    return value


_STRICT = json.JSONDecoder(parse_constant=_not_json, parse_float=_finite_float)
"""The standard library's reader, strict: no NaN or Infinity, no number too large for a
float (built once: json.loads with options builds a decoder per call)."""

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"))
"""The standard library's compact writer, for text that is not valid Unicode."""
