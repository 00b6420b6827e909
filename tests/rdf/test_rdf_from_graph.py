"""from_graph reads a node of a graph back into its model; to_graph(from_graph(g)) is g."""

from __future__ import annotations

from typing import Any

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef
from rdflib.namespace import RDF, XSD

import openactive_checkout as oc
from openactive_checkout.graph import from_graph, to_graph
from openactive_checkout.vocab.imin import CheckoutSession
from openactive_checkout.vocab.openactive import ScheduledSession
from tests.conftest import seed_json
from tests.jsonld.graphs import isomorphic
from tests.rdf.rdf_corpus import all_documents

CASES = all_documents()
SCHEMA = rdflib.Namespace("https://schema.org/")


@pytest.mark.parametrize(("name", "document"), CASES, ids=[name for name, _ in CASES])
def test_every_example_reads_back_to_the_same_graph(name: str, document: Any) -> None:
    model = oc.loads(document)
    graph = to_graph(model)
    back = from_graph(graph)
    assert type(back) is type(model)
    assert isomorphic(to_graph(back), graph), name


def test_a_checkout_session_reads_back_to_an_equal_model() -> None:
    model = oc.loads(seed_json("response"))
    back = from_graph(to_graph(model))
    assert isinstance(back, CheckoutSession)
    assert back == model
    assert back.checkout_url == "https://checkout.example.com/opendata/BQokikJOvBiI2H"
    assert oc.to_jsonld(back) == oc.to_jsonld(model)


def test_the_root_can_be_chosen_among_several() -> None:
    request, error = oc.loads(seed_json("request")), oc.loads(seed_json("error"))
    session = oc.loads(
        {
            "@context": "https://openactive.io/",
            "@type": "ScheduledSession",
            "@id": "https://example.com/sessions/1",
            "name": "Yoga",
        }
    )
    graph = to_graph([request, error, session])
    with pytest.raises(oc.DataError, match="3 root nodes") as caught:
        from_graph(graph)
    assert "<https://example.com/sessions/1>" in str(caught.value)
    chosen = from_graph(graph, "https://example.com/sessions/1")
    assert chosen == session
    blank_root = next(s for s in graph.subjects(RDF.type, SCHEMA.UnavailableOpportunityError))
    assert from_graph(graph, blank_root) == error


def test_an_empty_graph_or_unknown_root_is_an_error() -> None:
    with pytest.raises(oc.DataError, match="empty"):
        from_graph(rdflib.Graph())
    with pytest.raises(oc.DataError, match="no triples about"):
        from_graph(to_graph(oc.loads(seed_json("error"))), "https://example.com/nothing")
    with pytest.raises(oc.DataError, match="expected an rdflib Graph"):
        from_graph({"@type": "Event"})  # type: ignore[arg-type]


def test_a_cycle_has_no_root_unless_one_is_named() -> None:
    a, b = URIRef("https://example.com/a"), URIRef("https://example.com/b")
    graph = rdflib.Graph()
    graph.add((a, RDF.type, SCHEMA.Event))
    graph.add((a, SCHEMA.superEvent, b))
    graph.add((b, SCHEMA.subEvent, a))
    with pytest.raises(oc.DataError, match="no root"):
        from_graph(graph)
    model = from_graph(graph, a)
    assert isomorphic(to_graph(model), graph)


def test_unreachable_triples_are_an_error_not_dropped() -> None:
    graph = rdflib.Graph()
    root, a, b = URIRef("https://e.com/root"), URIRef("https://e.com/a"), URIRef("https://e.com/b")
    graph.add((root, SCHEMA.name, Literal("root")))
    graph.add((a, SCHEMA.knows, b))  # a cycle that nothing reaches
    graph.add((b, SCHEMA.knows, a))
    with pytest.raises(oc.DataError, match="not reachable"):
        from_graph(graph)


def test_any_rdf_reads_back_to_the_same_graph() -> None:
    turtle = """
    @prefix schema: <https://schema.org/> .
    @prefix oa: <https://openactive.io/> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    @prefix ex: <https://example.com/> .
    ex:s a oa:ScheduledSession ;
        schema:name "Yoga", "Yoga"@en, "Yóga"@fr ;
        schema:startDate "2025-01-01T10:00:00Z" ;
        schema:maximumAttendeeCapacity 12, 13 ;
        schema:price 10.5, 1.0e0 ;
        ex:when "2025-01-01"^^xsd:date ;
        ex:flag true, "1"^^xsd:boolean ;
        ex:list ( "a" 2 ex:x ) ;
        ex:shared _:s ;
        ex:again _:s ;
        schema:offers [ a schema:Offer ; schema:price 7 ; schema:url ex:pay ] .
    _:s ex:p "q" .
    """
    graph = rdflib.Graph().parse(data=turtle, format="turtle")
    model = from_graph(graph)
    assert model.id == "https://example.com/s"
    assert isomorphic(to_graph(model), graph)
    assert isinstance(model, ScheduledSession)
    assert model.maximum_attendee_capacity in (12, 13)  # one value fits, the other is kept
    assert len(to_graph(model)) == len(graph)


def test_blank_node_only_referenced_twice_keeps_its_identity() -> None:
    graph = rdflib.Graph()
    root, shared = URIRef("https://e.com/root"), BNode()
    graph.add((root, RDF.type, SCHEMA.Event))
    graph.add((root, SCHEMA.location, shared))
    graph.add((root, SCHEMA.organizer, shared))
    graph.add((shared, SCHEMA.name, Literal("x")))
    graph.add((shared, SCHEMA.price, Literal("3", datatype=XSD.integer)))
    back = to_graph(from_graph(graph))
    assert isomorphic(back, graph)
    assert len({o for o in back.objects(None, None) if isinstance(o, BNode)}) == 1
