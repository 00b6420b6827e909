"""The native engine: the public API, every registered code, and the format checks."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import openactive_checkout
from openactive_checkout.validation import (
    CODES,
    MODES,
    RULES,
    Issue,
    Severity,
    ValidationModeError,
    ValidationReport,
    validate,
)
from openactive_checkout.validation._examples import EXAMPLE_DOCUMENTS, EXAMPLES
from openactive_checkout.validation._formats import (
    contains_html,
    duration_is_zero,
    is_byday,
    is_date,
    is_datetime,
    is_duration,
    is_time,
)
from openactive_checkout.validation._spec import spec
from openactive_checkout.validation._terms import qualify
from openactive_checkout.validation._typos import closest

EVENT_MODE, EVENT = EXAMPLES["recommended-field-missing"]
SLOT = {
    "@context": "https://openactive.io/",
    "@type": "Slot",
    "@id": "https://example.com/slots/1",
    "facilityUse": "https://example.com/facility-uses/1",
    "startDate": "2024-05-01T10:00:00Z",
    "endDate": "2024-05-01T11:00:00Z",
    "duration": "PT1H",
    "remainingUses": 1,
    "maximumUses": 1,
    "offers": [
        {
            "@type": "Offer",
            "@id": "https://example.com/offers/1",
            "price": 5,
            "priceCurrency": "GBP",
        }
    ],
}


def codes(report: ValidationReport) -> set[str]:
    return {issue.code for issue in report}


# -- API -----------------------------------------------------------------------------------


def test_report_shape_and_verdict() -> None:
    report = validate(SLOT, mode="RPDEFeed")
    assert isinstance(report, ValidationReport)
    assert report.mode == "RPDEFeed"
    assert report.engine == "native"
    assert report.conforms  # warnings and suggestions only
    assert all(isinstance(issue, Issue) for issue in report)
    assert report.by_severity("warning")
    assert not report.failures
    as_dict = report.to_dict()
    assert as_dict["conforms"] is True
    json.dumps(as_dict)  # JSON-ready


def test_a_failure_makes_the_report_not_conform() -> None:
    doc = copy.deepcopy(SLOT)
    del doc["facilityUse"]
    report = validate(doc, mode="RPDEFeed")
    assert not report.conforms
    (failure,) = report.failures
    assert failure.code == "required-field-missing"
    assert failure.severity is Severity.FAILURE
    assert failure.path == ("facilityUse",)
    assert failure.json_path == "$.facilityUse"
    with pytest.raises(openactive_checkout.DataError) as raised:
        report.raise_for_failures()
    assert raised.value.path == ("facilityUse",)
    validate(SLOT).raise_for_failures()  # no failures: no exception


def test_json_paths_are_written_as_the_official_validator_writes_them() -> None:
    doc = copy.deepcopy(SLOT)
    doc["@id"] = "not a url"
    doc["offers"][0]["priceCurrency"] = "XYZ"
    paths = {i.json_path for i in validate(doc).failures}
    assert paths == {'$["@id"]', "$.offers[0].priceCurrency"}


def test_text_and_bytes_are_parsed() -> None:
    text = json.dumps(EVENT)
    assert validate(text).issues == validate(EVENT).issues
    assert validate(text.encode("utf-8")).issues == validate(EVENT).issues


@pytest.mark.parametrize(
    "raw", ['{"@type": "Event",', b"\xff\xfe not utf-8", "", "[1, 2"], ids=repr
)
def test_unparseable_input_is_one_failure_not_an_exception(raw: str | bytes) -> None:
    report = validate(raw)
    assert not report.conforms
    (issue,) = report.issues
    assert issue.code == "invalid-json"
    assert issue.json_path == "$"


def test_a_model_is_validated_as_its_wire_json() -> None:
    session = openactive_checkout.loads(
        json.dumps(
            {
                "@context": ["https://openactive.io/", "https://imin.co/"],
                "type": "imin:CheckoutSession",
                "imin:initialOrder": {
                    "type": "OrderQuote",
                    "orderedItem": [
                        {
                            "type": "OrderItem",
                            "orderedItem": {
                                "type": "ScheduledSession",
                                "id": "https://example.com/sessions/1",
                            },
                        }
                    ],
                },
            }
        )
    )
    wire = openactive_checkout.to_jsonld(session)
    assert (
        validate(session, mode="IminCheckoutRequest").issues
        == validate(wire, mode="IminCheckoutRequest").issues
    )


def test_unknown_mode_and_engine_raise_our_error() -> None:
    with pytest.raises(ValidationModeError, match="unknown validation mode 'C3Request'"):
        validate(EVENT, mode="C3Request")
    with pytest.raises(ValidationModeError, match="engine"):
        validate(EVENT, engine="fast")  # type: ignore[arg-type]
    assert issubclass(ValidationModeError, openactive_checkout.OpenActiveCheckoutError)


def test_modes_are_the_24_openactive_modes_and_the_imin_profiles() -> None:
    assert len(MODES) == 27
    assert MODES[-3:] == ("IminCheckoutRequest", "IminCheckoutResponse", "IminCheckoutError")


def test_the_document_is_not_modified() -> None:
    doc = copy.deepcopy(EVENT)
    validate(doc, mode="C1Request")
    assert doc == EVENT


# -- the registry ----------------------------------------------------------------------


def test_every_code_has_an_example() -> None:
    assert set(EXAMPLES) == set(CODES)


@pytest.mark.parametrize("code", sorted(CODES))
def test_each_example_produces_its_code(code: str) -> None:
    mode, doc = EXAMPLES[code]
    report = validate(doc, mode=mode, documents=EXAMPLE_DOCUMENTS.get(code, {}))
    found = [issue for issue in report if issue.code == code]
    assert found, [i.code for i in report]
    assert all(issue.severity is CODES[code].severity for issue in found)


def test_rules_have_docstrings_and_codes() -> None:
    for rule in RULES.values():
        assert rule.doc, rule.name
        assert rule.codes, rule.name


# -- how keys and types are read ---------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("type", (None, None, "@type", "type")),
        ("@type", (None, None, "@type", "type")),
        ("name", ("schema", "https://schema.org/", "name", None)),
        ("schema:name", ("schema", "https://schema.org/", "name", None)),
        (
            "https://openactive.io/activity",
            ("oa", "https://openactive.io/", "activity", "activity"),
        ),
        ("Concept", ("skos", "http://www.w3.org/2004/02/skos/core#", "Concept", "Concept")),
        ("skos:Concept", ("skos", "http://www.w3.org/2004/02/skos/core#", "Concept", "Concept")),
        ("beta:foo", (None, None, "beta:foo", None)),
    ],
)
def test_keys_are_qualified_like_the_validator(value: str, expected: tuple[Any, ...]) -> None:
    assert tuple(qualify(value, spec().context)) == expected


def test_unknown_properties_get_edit_distance_suggestions() -> None:
    doc = copy.deepcopy(EVENT)
    doc["startDtae"] = doc.pop("startDate")
    doc["Duration"] = doc.pop("duration")
    messages = {i.json_path: i.message for i in validate(doc) if i.code == "field-not-in-spec"}
    assert "Did you mean `startDate`?" in messages["$.startDtae"]
    assert "Did you mean `duration`?" in messages["$.Duration"]
    assert closest("zzzzzzzz", ["startDate", "name"]) is None


# -- formats -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("2018-01-27T12:00:00Z", True),
        ("2018-01-27T12:00:00+01:00", True),
        ("2018-01-27T12:00:00+0100", True),
        ("2018-01-27T12:00:00+01", True),
        ("2018-01-27T24:00:00Z", True),
        ("2016-02-29T00:00:00Z", True),
        ("2018-01-27T12:00:00+14:00", True),
        ("2018-01-27T12:00:00", False),
        ("2018-01-27T12:00:00.000Z", False),
        ("2018-02-30T12:00:00Z", False),
        ("2018-01-27T23:60:00Z", False),
        ("2018-01-27 12:00:00Z", False),
        ("2018-01-27T12:00:00+14:01", False),
        ("2018-01-27T12:00:00-12:30", False),
    ],
)
def test_datetime_format(value: str, valid: bool) -> None:
    assert is_datetime(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("12:00", True), ("12:00:00", True), ("24:00", True), ("9:00", False), ("12:00Z", False)],
)
def test_time_format(value: str, valid: bool) -> None:
    assert is_time(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [("2018-01-27", True), ("20180127", True), ("2018-02-30", False), ("2018-1-27", False)],
)
def test_date_format(value: str, valid: bool) -> None:
    assert is_date(value) is valid


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("PT1H30M", True),
        ("P1D", True),
        ("P2W", True),
        ("PT1.5H", True),
        ("PT1.5H30M", False),
        ("P", False),
        ("1 hour", False),
    ],
)
def test_duration_format(value: str, valid: bool) -> None:
    assert is_duration(value) is valid


@pytest.mark.parametrize(
    ("value", "zero"),
    [
        ("PT0S", True),
        ("P0D", True),
        ("abc", True),
        ("", True),
        (None, True),
        ("PT1H", False),
        ("P1W", False),
        (5, False),
        ("-PT1H", False),
    ],
)
def test_zero_durations_as_moment_reads_them(value: object, zero: bool) -> None:
    assert duration_is_zero(value) is zero


@pytest.mark.parametrize(
    ("value", "valid"),
    [
        ("MO", True),
        ("+1MO", True),
        ("-1FR", True),
        ("53MO", True),
        ("mo", False),
        ("0MO", False),
        ("+100MO", False),
        ("MON", False),
        ("MO,TU", False),
    ],
)
def test_byday(value: str, valid: bool) -> None:
    assert is_byday(value) is valid


@pytest.mark.parametrize(
    ("text", "html"),
    [
        ("Yoga", False),
        ("a < b", False),
        ("<b>Yoga</b>", True),
        ("Fish &amp; chips", True),
        ("R&D", False),
        ("ends with <", True),
        ("&#65;", True),
        ("&#xZZ;", False),
    ],
)
def test_html_detection(text: str, html: bool) -> None:
    assert contains_html(text) is html
