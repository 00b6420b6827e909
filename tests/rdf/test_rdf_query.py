"""SPARQL on what to_graph builds: graph.query works; query() and the helpers over many models."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from rdflib import Literal, URIRef

import openactive_checkout as oc
from openactive_checkout.graph import (
    CheckoutLink,
    checkout_links,
    query,
    sessions_by_start_date,
    to_graph,
)
from tests.conftest import EXAMPLES, seed_json
from tests.rdf.rdf_corpus import all_documents

FEED = json.loads((EXAMPLES / "feed-scheduled-sessions.json").read_text(encoding="utf-8"))


def _session(number: int, start: str, name: str | None = None) -> oc.JsonLdNode:
    document: dict[str, Any] = {
        "@context": "https://openactive.io/",
        "@type": "ScheduledSession",
        "@id": f"https://example.com/sessions/{number}",
        "startDate": start,
    }
    if name:
        document["name"] = name
    return oc.loads(document)


def _checkout_response(opportunity: str, url: str) -> oc.JsonLdNode:
    document = seed_json("response")
    document["imin:initialOrder"]["orderedItem"][0]["orderedItem"]["id"] = opportunity
    document["potentialAction"][0]["target"] = url
    return oc.loads(document)


def test_rdflib_query_works_on_a_built_graph() -> None:
    graph = to_graph(oc.loads(seed_json("response")))
    result = graph.query("SELECT ?url WHERE { ?a a schema:OrderAction ; schema:target ?url }")
    urls = [str(row[0]) for row in result]  # type: ignore[index]
    assert urls == ["https://checkout.example.com/opendata/BQokikJOvBiI2H"]


def test_query_over_many_models() -> None:
    models = [oc.loads(document) for _, document in all_documents()]
    graph = to_graph(models)
    result = query(graph, "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a oa:ScheduledSession }")
    assert result.variables == ("n",)
    expected = len({m.id for m in models if type(m).__name__ == "ScheduledSession"})
    assert int(str(result.rows[0][0])) >= expected >= 5
    by_type = query(graph, "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t")
    assert len(by_type) > 30


def test_checkout_links_lists_every_opportunity_with_its_url() -> None:
    models = [
        _checkout_response("https://example.com/sessions/2", "https://checkout.example.com/b"),
        _checkout_response("https://example.com/sessions/1", "https://checkout.example.com/a"),
        oc.loads(seed_json("request")),  # no URL yet: not listed
        oc.loads(seed_json("error")),
    ]
    links = checkout_links(to_graph(models))
    assert links == [
        CheckoutLink(
            opportunity="https://example.com/sessions/1",
            opportunity_types=("https://openactive.io/ScheduledSession",),
            checkout_url="https://checkout.example.com/a",
            session=None,
        ),
        CheckoutLink(
            opportunity="https://example.com/sessions/2",
            opportunity_types=("https://openactive.io/ScheduledSession",),
            checkout_url="https://checkout.example.com/b",
            session=None,
        ),
    ]


def test_sessions_by_start_date_orders_by_instant_not_text() -> None:
    models = [
        _session(1, "2025-03-01T10:00:00+01:00", "later text, earlier instant"),
        _session(2, "2025-03-01T09:30:00Z", "Yoga"),
        _session(3, "2025-02-01T09:00:00Z"),
        oc.loads(seed_json("error")),
    ]
    sessions = sessions_by_start_date(to_graph(models))
    assert [s.id for s in sessions] == [
        "https://example.com/sessions/3",
        "https://example.com/sessions/1",
        "https://example.com/sessions/2",
    ]
    assert sessions[2].name == "Yoga"
    assert sessions[1].start_text == "2025-03-01T10:00:00+01:00"
    assert sessions[0].types == ("https://openactive.io/ScheduledSession",)


def test_sessions_by_start_date_filters_by_range_and_type() -> None:
    models = [_session(n, f"2025-03-{n:02d}T10:00:00Z") for n in range(1, 11)]
    models.append(oc.loads({"@context": "https://openactive.io/", "@type": "Slot",
                            "@id": "https://example.com/slots/1",
                            "startDate": "2025-03-05T12:00:00Z"}))  # fmt: skip
    graph = to_graph(models)
    start, end = datetime(2025, 3, 3, tzinfo=UTC), datetime(2025, 3, 6, tzinfo=UTC)
    inside = sessions_by_start_date(graph, start=start, end=end)
    assert [s.id for s in inside] == [
        "https://example.com/sessions/3",
        "https://example.com/sessions/4",
        "https://example.com/sessions/5",
        "https://example.com/slots/1",
    ]
    slots = sessions_by_start_date(graph, types=["Slot"])
    assert [s.id for s in slots] == ["https://example.com/slots/1"]
    assert len(sessions_by_start_date(graph, types="https://openactive.io/ScheduledSession")) == 10
    with pytest.raises(oc.DataError, match="timezone-aware"):
        sessions_by_start_date(graph, start=datetime(2025, 3, 3))


def test_sessions_from_a_feed() -> None:
    models = [oc.loads(item["data"]) for item in FEED["items"] if item.get("data")]
    sessions = sessions_by_start_date(to_graph(models))
    assert len(sessions) == len(models)
    starts = [s.start_date for s in sessions]
    assert starts == sorted(starts)  # type: ignore[type-var]


def test_query_result_shapes() -> None:
    graph = to_graph(oc.loads(seed_json("response")))
    select = query(graph, "SELECT ?name ?nothing WHERE { ?s schema:name ?name "
                          "OPTIONAL { ?s schema:nothing ?nothing } } ORDER BY ?name")  # fmt: skip
    assert select.rows == ((Literal("Checkout"), None), (Literal("Example"), None))
    assert select.dicts() == [{"name": Literal("Checkout")}, {"name": Literal("Example")}]
    table = select.to_table().splitlines()
    assert table[0].split() == ["name", "nothing"]
    assert table[2].split() == ['"Checkout"', "-"]
    assert table[-1] == "(2 rows)"
    payload = select.to_json()
    assert payload["head"] == {"vars": ["name", "nothing"]}
    assert payload["results"]["bindings"][0] == {"name": {"type": "literal", "value": "Checkout"}}
    ask = query(graph, "ASK { ?s a imin:CheckoutSession }")
    assert ask.kind == "ask"
    assert ask.boolean is True
    assert ask.to_json() == {"head": {}, "boolean": True}
    construct = query(graph, "CONSTRUCT { ?s schema:label ?n } WHERE { ?s schema:name ?n }")
    assert construct.kind == "graph"
    assert len(construct) == 2
    assert construct.rows[0][1] == URIRef("https://schema.org/label")


def test_a_query_that_does_not_parse_is_a_data_error() -> None:
    graph = to_graph(oc.loads(seed_json("error")))
    with pytest.raises(oc.DataError, match="SPARQL query failed"):
        query(graph, "SELECT WHERE {")
    with pytest.raises(oc.DataError, match="expected an rdflib Graph"):
        query({"not": "a graph"}, "ASK {}")
