"""JSON text in and out (``_json``): msgspec where it gives exactly what the standard library
gives, the standard library otherwise. Checked against ``json.loads``/``json.dumps`` on the
pinned examples, on generated values and text, and on the edge cases of strict JSON."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import openactive_checkout as oc
from openactive_checkout.jsonld._json import decode, encode

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**80), 2**80)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(), inner, max_size=4),
    max_leaves=20,
)


def _stdlib(text: str) -> tuple[str, Any]:
    try:
        return "ok", json.loads(text)
    except ValueError:
        return "error", None


def _ours(text: str) -> tuple[str, Any]:
    try:
        return "ok", decode(text)
    except oc.DataError:
        return "error", None


def _same(a: Any, b: Any) -> bool:
    """Equal JSON values, with types (1 and 1.0 and True differ) and -0.0 told apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float):
        return a == b and math.copysign(1, a) == math.copysign(1, b)
    return bool(a == b)


def _positional_floats(text: str) -> str:
    """Python's spelling of exponents (1e+16, 1e-05) in msgspec's (1e16, 0.00001) form is
    the one difference allowed: compare texts with every number re-spelled by Python."""
    return re.sub(r"-?\d+(\.\d+)?([eE][-+]?\d+)?", lambda m: repr(float(m.group())), text)


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_reading_gives_what_json_loads_gives(value: Any) -> None:
    for text in (json.dumps(value), json.dumps(value, ensure_ascii=False, indent=1)):
        assert _same(decode(text), json.loads(text))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet='{}[],:"\\ 0123456789.eE+-tfnrulsaNIy\x00\n\ud800', max_size=30))
def test_any_text_is_accepted_exactly_when_json_loads_accepts_it(text: str) -> None:
    # NaN, Infinity and numbers too large for a float are refused by both (ours on purpose).
    expected = _stdlib(text)
    if expected[0] == "ok" and any(
        isinstance(v, float) and not math.isfinite(v) for v in _floats(expected[1])
    ):
        expected = ("error", None)
    got = _ours(text)
    assert got[0] == expected[0]
    assert _same(got[1], expected[1])


def _floats(value: Any) -> list[Any]:
    if isinstance(value, dict):
        return [f for v in value.values() for f in _floats(v)]
    if isinstance(value, list):
        return [f for v in value for f in _floats(v)]
    return [value] if isinstance(value, float) else []


@pytest.mark.parametrize(
    "text",
    [
        '"a\x01b"', "\ufeff{}", "01", "[1,]", '{"a":1,}', "1.", ".5", "-", "1e", '"\\x41"',
        "True", "[1 2]", '{"a":1}x', "\x0c[1]", "{1:2}", '"abc', "'a'", "NaN", "[Infinity]",
        "[-Infinity]", "1e400", "-1e400", "[1" + "0" * 400 + ".5]", "1" * 5000,
    ],
)  # fmt: skip
def test_what_strict_json_refuses_is_a_data_error(text: str) -> None:
    with pytest.raises(oc.DataError):
        decode(text)


@pytest.mark.parametrize(
    "text",
    [
        ' {"a" : 1 } ', '"\\u00e9"', '"\\ud83d\\ude00"', '"\\ud800"', '"\ud800"', '"\x7f"',
        '"\u2028"', "1e-400", "123.456e+2", "-0", "-0.0", "[-1.0e0]", '"\\/"', "1" * 4000,
        '{"a":1,"a":2}', '{"a":1,"b":2,"a":3}', "[" * 150 + "]" * 150,
    ],
)  # fmt: skip
def test_what_json_loads_accepts_reads_the_same(text: str) -> None:
    assert _same(decode(text), json.loads(text))


@settings(max_examples=300, deadline=None)
@given(json_values)
def test_writing_gives_json_dumps_text_but_for_float_exponents(value: Any) -> None:
    ours = encode(value)
    expected = json.dumps(value, ensure_ascii=False, separators=(",", ":"))
    assert _same(json.loads(ours), value)
    if ours != expected:
        assert _positional_floats(ours) == _positional_floats(expected)


def test_text_that_is_not_valid_unicode_is_written_by_the_standard_library() -> None:
    assert encode({"a": "\ud800"}) == '{"a":"\ud800"}'


class _Text(str):
    pass


class _Float(float):  # as numpy.float64 is
    pass


def test_subclasses_of_json_types_and_odd_keys_are_written_as_json_dumps_writes_them() -> None:
    value = {"a": _Text("x"), "b": [_Float(1.5), True], True: None, 2: 1}
    assert encode(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_a_model_holding_subclasses_of_json_types_is_written() -> None:
    place = oc.loads({"@context": "https://openactive.io/", "@type": "Place", "name": "x"})
    place.name = _Text("Leisure centre")
    place.__pydantic_extra__ = {"https://example.com/x": [_Float(2.5)]}
    assert json.loads(oc.dumps(place)) == {
        "@context": "https://openactive.io/",
        "@type": "Place",
        "name": "Leisure centre",
        "https://example.com/x": [2.5],
    }


def test_every_pinned_example_reads_and_writes_as_the_standard_library_does(
    data_models_dir: Path,
) -> None:
    paths = sorted((data_models_dir / "versions" / "2.x" / "examples").rglob("*.json"))
    assert len(paths) > 30
    for path in paths:
        text = path.read_text(encoding="utf-8")
        value = decode(text)
        assert _same(value, json.loads(text)), path.name
        assert encode(value) == json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def test_a_model_holding_a_non_finite_float_is_a_data_error_when_written() -> None:
    place = oc.loads({"@context": "https://openactive.io/", "@type": "Place", "ext:x": 1})
    place.__pydantic_extra__ = {"https://example.com/x": math.inf}
    with pytest.raises(oc.DataError, match="not a JSON number"):
        oc.dumps(place)
