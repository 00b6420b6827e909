"""Hostile input to validate(): deep nesting and integers of any length are findings (or
values read as JavaScript reads them), never RecursionError, ValueError or OverflowError."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest

from openactive_checkout import validate
from openactive_checkout.cli import run
from openactive_checkout.validation import Severity

EVENT = '{"@context":"https://openactive.io/","@type":"Event",'


@pytest.mark.parametrize("depth", [1000, 5000])
def test_text_nested_too_deeply_is_one_invalid_json_failure(depth: int) -> None:
    report = validate("[" * depth + "]" * depth)
    assert [(i.code, i.severity) for i in report] == [("invalid-json", Severity.FAILURE)]
    assert "nests too deeply" in report.issues[0].message


def test_a_parsed_value_nested_too_deeply_is_one_invalid_json_failure() -> None:
    value: object = 1
    for _ in range(3000):
        value = {"@type": "Place", "containedInPlace": value}
    report = validate({"@context": "https://openactive.io/", "@type": "Event", "location": value})
    assert [i.code for i in report] == ["invalid-json"]


def test_documents_within_the_depth_limit_are_validated() -> None:
    nested = '{"@type":"Place","containedInPlace":' * 45 + "1" + "}" * 45
    report = validate(EVENT + '"location":' + nested + "}")
    assert report.issues
    assert all(i.code != "invalid-json" for i in report)
    deepest = max(report, key=lambda i: len(i.path))
    assert deepest.json_path.startswith("$.location.containedInPlace.containedInPlace.")


@pytest.mark.parametrize("depth", [101, 300, 950])
def test_documents_nested_deeper_than_loads_reads_are_one_failure(depth: int) -> None:
    # Their findings would grow with the square of the depth (each holds its path).
    nested: object = 1
    for _ in range(depth):
        nested = {"@type": "Place", "containedInPlace": nested}
    report = validate({"@context": "https://openactive.io/", "@type": "Event", "location": nested})
    assert [i.code for i in report] == ["invalid-json"]
    assert "deeper than 100 levels" in report.issues[0].message
    assert report.issues[0].path[:2] == ("location", "containedInPlace")


def test_page_items_nested_too_deeply_are_a_failure_of_their_own(tmp_path: Path) -> None:
    deep = '{"@type":"Place","containedInPlace":' * 200 + "1" + "}" * 200
    item = '{"state":"updated","kind":"Event","id":"%s","modified":1,"data":%s}'
    good = EVENT + '"name":"x"}'
    page = tmp_path / "page.json"
    page.write_text('{"items":[' + item % ("a", deep) + "," + item % ("b", good) + '],"next":"x"}')
    out, err = io.StringIO(), io.StringIO()
    assert run(["validate", str(page), "--format", "json"], out, err) == 2
    issues = json.loads(out.getvalue())["files"][0]["documents"][0]["issues"]
    deep_issues = [i for i in issues if i["code"] == "invalid-json"]
    assert [i["path"][:2] for i in deep_issues] == [["items", 0]]
    assert any(i["path"][:2] == ["items", 1] for i in issues if i["code"] != "invalid-json")


@pytest.mark.parametrize("digits", [22, 309, 400, 4300, 4301, 20000])
@pytest.mark.parametrize("sign", ["", "-"])
@pytest.mark.parametrize("key", ["maximumAttendeeCapacity", "name", "https://ex.org/n"])
def test_integers_of_any_length_are_read_as_javascript_reads_them(
    digits: int, sign: str, key: str
) -> None:
    report = validate(EVENT + f'"{key}":{sign}{"9" * digits}}}')
    assert all(i.code != "invalid-json" for i in report)
    as_json = json.dumps(report.to_dict(), allow_nan=False)  # JSON.stringify(Infinity) is null
    assert "Infinity" not in as_json


def test_a_price_beyond_a_double_is_judged_not_crashed() -> None:
    report = validate(EVENT + '"offers":[{"@type":"Offer","price":' + "9" * 400 + "}]}")
    assert report.issues  # judged like any document


def test_non_finite_values_in_issues_become_null_in_json() -> None:
    report = validate({"@context": "https://openactive.io/", "@type": "Event", "name": 10**400})
    name = [i for i in report if i.path == ("name",)]
    assert name
    assert all(i.to_dict()["value"] is None for i in name)
    assert math.isinf(float("1e400"))  # the value JavaScript holds for it


@pytest.mark.shacl
def test_the_shacl_engine_reads_integers_beyond_a_double() -> None:
    text = EVENT + '"maximumAttendeeCapacity":' + "9" * 400 + "}"
    report = validate(text, engine="shacl")
    assert report.issues
    assert all(i.code != "invalid-json" for i in report)
