"""Validation online (the published documents, by default), offline (``documents="none"``)
and with the caller's own documents: activities and extension properties."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from openactive_checkout.validation import (
    ValidationDocuments,
    ValidationModeError,
    validate,
)
from openactive_checkout.validation._examples import _event

YOGA = "https://openactive.io/activity-list#bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e"
LIST = "https://openactive.io/activity-list"
NS_BETA = "https://openactive.io/ns-beta"


def activity(**fields: Any) -> dict[str, Any]:
    found = {"@type": "Concept", "@id": YOGA, "inScheme": LIST, "prefLabel": "Yoga"}
    found.update(fields)
    return {k: v for k, v in found.items() if v is not None}


def codes(doc: Any, **options: Any) -> list[tuple[str, str]]:
    report = validate(doc, mode="RPDEFeed", **options)
    return sorted(
        (i.code, i.json_path)
        for i in report
        if i.code.startswith(("activity", "beta", "extension", "context", "superseded"))
    )


def test_an_activity_of_the_list_passes_online_and_fails_offline() -> None:
    doc = _event(activity=[activity()])
    assert validate(doc).conforms
    assert codes(doc) == []
    assert codes(doc, documents="none") == [
        ("activity-list-unavailable", "$.activity[0]"),
        ("activity-not-in-list", "$.activity[0]"),
    ]


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"prefLabel": "YOGA"}, []),  # labels match ignoring case
        ({"@id": None}, []),  # a label alone is enough
        ({"prefLabel": None}, []),
        ({"prefLabel": "Yoga class"}, [("activity-label-mismatch", "$.activity[0]")]),
        (
            {"@id": f"{LIST}#00000000-0000-4000-8000-000000000000"},
            [("activity-id-mismatch", "$.activity[0]")],
        ),
        (
            {"@id": f"{LIST}#00000000-0000-4000-8000-000000000000", "prefLabel": "Sky Knitting"},
            [("activity-not-in-list", "$.activity[0]")],
        ),
        (
            {"inScheme": "https://openactive.io/activity-list/activity-list.jsonld"},
            [("activity-list-outdated", "$.activity[0]")],
        ),
        ({"inScheme": None}, [("activity-list-unofficial", "$.activity[0]")]),
        (
            {"inScheme": "https://example.com/list"},
            [
                ("activity-list-unavailable", "$.activity[0]"),
                ("activity-list-unofficial", "$.activity[0]"),
                ("activity-not-in-list", "$.activity[0]"),
            ],
        ),
    ],
)
def test_activities_are_checked_as_the_official_validator_checks_them(
    fields: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(_event(activity=[activity(**fields)])) == expected


def test_a_callers_own_activity_list() -> None:
    mine = {
        "@context": "https://openactive.io/",
        "@id": "https://example.com/list",
        "@type": "ConceptScheme",
        "concept": [{"id": "https://example.com/list#pilates", "prefLabel": "Mat Pilates"}],
    }
    doc = _event(
        activity=[
            activity(
                **{"@id": "https://example.com/list#pilates", "prefLabel": "Mat Pilates"},
                inScheme="https://example.com/list",
            )
        ]
    )
    documents = ValidationDocuments({"https://example.com/list": mine})
    assert codes(doc, documents=documents) == [("activity-list-unofficial", "$.activity[0]")]
    # the index is built once and kept by the documents object
    first = documents.concept_list("https://example.com/list")
    assert first is documents.concept_list("https://example.com/list")
    assert first is not None
    assert first.by_label == {"mat pilates": 0}
    # a plain mapping adds to the published documents
    assert codes(doc, documents={"https://example.com/list": mine}) == codes(
        doc, documents=documents
    )


def beta(**fields: Any) -> dict[str, Any]:
    return _event(_at_context=["https://openactive.io/", NS_BETA], **fields)


@pytest.mark.parametrize(
    ("doc", "expected"),
    [
        (beta(beta__isWheelchairAccessible=True), []),
        (
            beta(beta__isWheelchairAccesible=True),
            [("beta-not-defined", '$["beta:isWheelchairAccesible"]')],
        ),
        (beta(beta__partySize=2), [("beta-not-in-domain", '$["beta:partySize"]')]),
        (
            _event(beta__isWheelchairAccessible=True),  # no ns-beta in @context
            [("beta-not-defined", '$["beta:isWheelchairAccessible"]')],
        ),
        (
            beta(**{"https://openactive.io/ns-beta#isWheelchairAccessible": True}),
            [],
        ),
        (
            _event(
                _at_context=["https://openactive.io/", "https://imin.co/"],
                imin__membershipRequired=True,
            ),
            [("extension-not-in-domain", '$["imin:membershipRequired"]')],
        ),
        (
            _event(
                _at_context=["https://openactive.io/", "https://example.com/ns"],
                ex__colour="blue",
            ),
            [("context-not-loaded", '$["ex:colour"]'), ("extension-not-defined", '$["ex:colour"]')],
        ),
    ],
)
def test_extension_properties_are_looked_up_in_their_namespace(
    doc: dict[str, Any], expected: list[tuple[str, str]]
) -> None:
    assert codes(doc) == expected


def test_superseded_beta_terms() -> None:
    doc = beta(_at_type="CourseInstance", beta__course="https://example.com/courses/1")
    assert ("superseded-property-in-feed", '$["beta:course"]') in codes(doc)
    report = validate(doc, mode="BookableRPDEFeed")
    assert "superseded-property" in {i.code for i in report.failures}


def test_a_callers_own_namespace_document() -> None:
    namespace = {
        "@context": ["https://openactive.io/ns-extension", {"ex": "https://example.com/ns#"}],
        "@graph": [
            {"@id": "ex:colour", "@type": "Property", "domainIncludes": ["schema:Event"]},
            {"@id": "ex:shade", "@type": "Property", "domainIncludes": ["schema:Place"]},
        ],
    }
    documents = {"https://example.com/ns": namespace}
    context = ["https://openactive.io/", "https://example.com/ns"]
    assert codes(_event(_at_context=context, ex__colour="blue"), documents=documents) == []
    assert codes(_event(_at_context=context, ex__shade="blue"), documents=documents) == [
        ("extension-not-in-domain", '$["ex:shade"]')
    ]
    assert namespace["@context"][0] == "https://openactive.io/ns-extension"  # not changed


def test_the_offline_mode_reports_every_extension_context_as_not_loaded() -> None:
    doc = beta(beta__isWheelchairAccessible=True)
    assert codes(doc, documents="none") == [
        ("beta-not-defined", '$["beta:isWheelchairAccessible"]'),
        ("context-not-loaded", '$["beta:isWheelchairAccessible"]'),
    ]


@pytest.mark.parametrize("documents", ["online", 3, {1: {}}])
def test_bad_documents_options_are_the_callers_mistake(documents: Any) -> None:
    with pytest.raises(ValidationModeError):
        validate(_event(), documents=documents)


def test_validating_does_not_change_the_published_documents() -> None:
    from openactive_checkout.jsonld import published_document

    before = copy.deepcopy(published_document(NS_BETA))
    validate(beta(beta__isWheelchairAccessible=True))
    assert published_document(NS_BETA) == before


def test_a_scheme_model_is_a_document_too() -> None:
    from openactive_checkout.concepts import ConceptScheme
    from openactive_checkout.jsonld import loads

    scheme = loads(
        {
            "@context": "https://openactive.io/",
            "@type": "ConceptScheme",
            "@id": "https://example.com/list",
            "concept": [
                {"@type": "Concept", "@id": "https://example.com/list#a", "prefLabel": "Swim"}
            ],
        },
        model=ConceptScheme,
    )
    doc = _event(
        activity=[
            activity(
                **{"@id": "https://example.com/list#a"},
                prefLabel="swim",
                inScheme="https://example.com/list",
            )
        ]
    )
    assert codes(doc, documents={"https://example.com/list": scheme}) == [
        ("activity-list-unofficial", "$.activity[0]")
    ]
