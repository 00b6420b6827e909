"""Hostile and broken input gets our errors, naming the place, and no network access."""

from __future__ import annotations

import json
import socket
from typing import Any

import pytest

import openactive_checkout as oc
from openactive_checkout.jsonld import MAX_DEPTH
from tests.conftest import seed_json


def _request(**changes: Any) -> dict[str, Any]:
    doc = seed_json("request")
    doc.update(changes)
    return doc


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"@context": "https://openactive.io/", ', "malformed JSON at line 1 column"),
        ('{"a": 1,}', "malformed JSON"),
        (b"\xff\xfe\x00", "not UTF-8"),
        ("[1, 2]", "must be a JSON object, not an array"),
        ('"text"', "must be a JSON object, not a string"),
        ("null", "must be a JSON object, not null"),
        ("42", "must be a JSON object, not a number"),
    ],
)
def test_unreadable_documents(data: str | bytes, message: str) -> None:
    with pytest.raises(oc.DataError, match=message) as info:
        oc.loads(data)
    assert info.value.json_path == "$"


def test_the_seed_page_trailing_comma_is_malformed_json() -> None:
    text = json.dumps(seed_json("response"), indent=2).replace(
        '"https://checkout.example.com/opendata/BQokikJOvBiI2H"',
        '"https://checkout.example.com/opendata/BQokikJOvBiI2H",',
    )
    with pytest.raises(oc.DataError, match=r"malformed JSON at line \d+"):
        oc.loads(text)


@pytest.mark.parametrize(
    ("opportunity_id", "message"),
    [
        ("https://example.com/a b", "must be an IRI"),
        ("", "must be an IRI"),
        ("@id", "must be an IRI"),
        (42, "must be a string"),
    ],
)
def test_non_iri_ids(opportunity_id: Any, message: str) -> None:
    doc = seed_json("request")
    doc["imin:initialOrder"]["orderedItem"][0]["orderedItem"]["id"] = opportunity_id
    with pytest.raises(oc.DataError, match=message) as info:
        oc.loads(doc)
    assert info.value.json_path == '$["imin:initialOrder"].orderedItem[0].orderedItem.id'


def test_a_non_iri_id_on_the_normalising_road() -> None:
    doc = seed_json("request")
    doc["@context"] = ["https://imin.co/", "https://openactive.io/"]  # not canonical
    doc["imin:initialOrder"]["orderedItem"][0]["orderedItem"]["@id"] = "sessions 1"
    del doc["imin:initialOrder"]["orderedItem"][0]["orderedItem"]["id"]
    with pytest.raises(oc.DataError, match="must be an IRI") as info:
        oc.loads(doc)
    assert info.value.json_path == '$["imin:initialOrder"].orderedItem[0].orderedItem["@id"]'


def test_nesting_deeper_than_the_limit_is_refused_before_any_recursion() -> None:
    deep: Any = "leaf"
    for _ in range(MAX_DEPTH + 5):
        deep = {"ext:x": deep}
    doc = _request(**{"ext:deep": deep})
    with pytest.raises(oc.DataError, match=f"deeper than {MAX_DEPTH}"):
        oc.loads(doc)


def test_very_deep_json_text_is_not_a_recursion_error() -> None:
    text = "[" * 100_000 + "]" * 100_000
    with pytest.raises(oc.DataError, match="deeper than"):
        oc.loads(text)


def test_an_unbundled_context_names_its_url() -> None:
    doc = _request(**{"@context": ["https://openactive.io/", "https://example.com/ctx.jsonld"]})
    with pytest.raises(oc.ContextError, match=r"example\.com/ctx\.jsonld") as info:
        oc.loads(doc)
    assert info.value.url == "https://example.com/ctx.jsonld"


def test_an_unbundled_nested_context_names_its_url() -> None:
    doc = seed_json("request")
    doc["imin:initialOrder"]["@context"] = "https://example.com/nested.jsonld"
    with pytest.raises(oc.ContextError, match=r"nested\.jsonld"):
        oc.loads(doc)


def test_a_caller_loader_opts_in_to_other_contexts() -> None:
    requested = []

    def loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
        requested.append(url)
        return {
            "contentType": "application/ld+json",
            "contextUrl": None,
            "documentUrl": url,
            "document": {"@context": {"ext": "https://example.com/ext#"}},
        }

    doc = _request(
        **{"@context": ["https://openactive.io/", "https://imin.co/", "https://example.com/c"]}
    )
    doc["ext:colour"] = "red"
    model = oc.loads(doc, document_loader=loader)
    assert "https://example.com/c" in requested
    assert model.model_extra == {"ext:colour": "red"}


def test_no_socket_is_opened_while_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    opened: list[Any] = []

    class Refused(socket.socket):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            opened.append(args)
            raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", Refused)
    monkeypatch.setattr(socket, "create_connection", Refused)
    hostile = _request(**{"@context": ["https://openactive.io/", "https://evil.example/ctx"]})
    with pytest.raises(oc.ContextError):
        oc.loads(hostile)
    reordered = _request(**{"@context": ["https://imin.co/", "https://openactive.io/"]})
    assert isinstance(oc.loads(reordered), oc.CheckoutSession)
    assert opened == []


@pytest.mark.parametrize(
    ("change", "path", "message"),
    [
        ({"broker": 5}, '$["imin:initialOrder"].broker', "expected Organization"),
        ({"broker": {"type": "Organization", "name": 5}}, '$["imin:initialOrder"].broker.name',
         "string"),
        ({"orderedItem": [{"type": "OrderItem", "position": "first"}]},
         '$["imin:initialOrder"].orderedItem[0].position', "integer"),
        ({"type": 7}, '$["imin:initialOrder"]["@type"]', "type must be a string"),
        ({"@unknown": 1}, '$["imin:initialOrder"]["@unknown"]', "has no meaning"),
    ],
)  # fmt: skip
def test_wrong_values_name_their_place(change: dict[str, Any], path: str, message: str) -> None:
    doc = seed_json("response")
    doc["imin:initialOrder"].update(change)
    with pytest.raises(oc.DataError, match=message) as info:
        oc.loads(doc)
    assert info.value.json_path == path


def test_a_bad_date_names_its_place() -> None:
    doc = {
        "@context": "https://openactive.io/",
        "@type": "ScheduledSession",
        "@id": "https://example.com/sessions/1",
        "startDate": "next tuesday",
    }
    with pytest.raises(oc.DataError, match="ISO 8601") as info:
        oc.loads(doc)
    assert info.value.json_path == "$.startDate"


def test_several_top_level_nodes_are_refused() -> None:
    doc = {
        "@context": "https://openactive.io/",
        "@graph": [{"@type": "Organization", "name": "A"}, {"@type": "Organization", "name": "B"}],
    }
    with pytest.raises(oc.DataError, match="2 top-level nodes"):
        oc.loads(doc)


def test_errors_are_value_errors_and_ours() -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - the point is the stdlib base class
        oc.loads("{")
    assert issubclass(oc.DataError, oc.OpenActiveCheckoutError)
    assert issubclass(oc.ContextError, oc.OpenActiveCheckoutError)


def test_a_key_that_would_be_dropped_is_reported() -> None:
    doc = {"@context": {"name": "https://schema.org/name"}, "@type": "https://schema.org/Thing",
           "name": "x", "colour": "red"}  # fmt: skip
    with pytest.raises(oc.DataError, match="'colour' has no meaning") as info:
        oc.loads(doc)
    assert info.value.json_path == "$.colour"


@pytest.mark.parametrize(
    ("definition", "keyword"),
    [
        ({"@id": []}, "@id"),
        ({"@id": False}, "@id"),
        ({"@type": 5}, "@type"),
        ({"@reverse": None}, "@reverse"),
    ],
)
def test_a_term_definition_with_a_keyword_that_is_not_a_string(
    definition: dict[str, Any], keyword: str
) -> None:
    """JSON-LD 1.1 (Create Term Definition): invalid IRI/type mappings are context errors."""
    doc = {"@context": ["https://openactive.io/", {"t": definition}], "@type": "Event"}
    with pytest.raises(oc.ContextError, match=f"term 't' has a {keyword} that is not a string"):
        oc.loads(doc)


def test_an_id_holding_a_control_character_is_no_iri() -> None:
    # RFC 3987: no IRI holds controls (issue 15 item 10); both roads refuse it
    for context in ("https://openactive.io/", ["https://openactive.io/", "https://openactive.io/"]):
        doc = {"@context": context, "@type": "Event", "@id": "https://ex.org/a\u0001b"}
        with pytest.raises(oc.DataError) as info:
            oc.loads(doc)
        assert info.value.json_path == '$["@id"]'


def test_an_integer_too_long_for_json_text_is_a_data_error_when_written() -> None:
    model = oc.loads(
        {"@context": "https://openactive.io/", "@type": "Event", "https://ex.org/q": 10**4400}
    )
    for indent in (None, 2):
        with pytest.raises(oc.DataError, match="cannot be written as JSON text"):
            oc.dumps(model, indent=indent)
