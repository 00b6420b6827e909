"""to_graph means what the JSON-LD means: isomorphic to pyld's to_rdf (read by rdflib) for
every seed and pinned example, for models built in code, and for extension properties."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
import rdflib
from rdflib import Literal, URIRef
from rdflib.namespace import RDF, XSD

import openactive_checkout as oc
from openactive_checkout.graph import PREFIXES, to_graph
from openactive_checkout.vocab.enums import EventStatusType
from openactive_checkout.vocab.openactive import (
    Concept,
    Offer,
    ScheduledSession,
    Slot,
)
from tests.conftest import seed_json
from tests.jsonld.graphs import isomorphic
from tests.rdf.rdf_corpus import all_documents, pinned_documents, pyld_graph

SCHEMA = rdflib.Namespace("https://schema.org/")
OA = rdflib.Namespace("https://openactive.io/")
CASES = all_documents()


@pytest.mark.parametrize(("name", "document"), CASES, ids=[name for name, _ in CASES])
def test_the_graph_of_every_example_is_its_json_ld_meaning(name: str, document: Any) -> None:
    model = oc.loads(document)
    graph = to_graph(model)
    assert isomorphic(graph, pyld_graph(document)), name
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(model))), name


def test_every_pinned_example_is_in_the_corpus(data_models_dir: Any) -> None:
    assert len(pinned_documents()) >= 35


def _objects(graph: rdflib.Graph, predicate: URIRef) -> list[Any]:
    return list(graph.objects(None, predicate))


def test_literals_are_typed_as_json_ld_types_numbers() -> None:
    offer = Offer(
        id="https://example.com/offers/1",
        price=Decimal("10.50"),
        name="Adult",
        allow_customer_cancellation_full_refund=True,
    )
    session = ScheduledSession(
        id="https://example.com/sessions/1",
        maximum_attendee_capacity=20,
        event_status=EventStatusType("https://schema.org/EventScheduled"),
        super_event="https://example.com/series/1",
        offers=[offer, Offer(price=Decimal("7"))],
    )
    graph = to_graph(session)
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(session)))
    prices = {(str(o), o.datatype) for o in _objects(graph, SCHEMA.price)}
    # 10.50 has a fraction: xsd:double, in the form rdflib reads pyld's "1.05E1" as.
    assert prices == {("10.5", XSD.double), ("7", XSD.integer)}
    assert _objects(graph, SCHEMA.maximumAttendeeCapacity) == [Literal("20", datatype=XSD.integer)]
    assert _objects(graph, OA.allowCustomerCancellationFullRefund) == [
        Literal("true", datatype=XSD.boolean)
    ]
    # An enum value and a URL in a property the context does not coerce are plain literals.
    assert _objects(graph, SCHEMA.eventStatus) == [Literal("https://schema.org/EventScheduled")]
    assert _objects(graph, SCHEMA.superEvent) == [Literal("https://example.com/series/1")]
    assert (URIRef("https://example.com/sessions/1"), RDF.type, OA.ScheduledSession) in graph


def test_only_id_coerced_terms_make_iris_from_strings() -> None:
    slot = Slot(id="https://example.com/slots/1", facility_use="https://example.com/facility/1")
    graph = to_graph(slot)
    assert _objects(graph, OA.facilityUse) == [URIRef("https://example.com/facility/1")]
    concept = Concept(in_scheme="https://openactive.io/activity-list", pref_label="Yoga")
    graph = to_graph(concept)
    skos_in_scheme = URIRef("http://www.w3.org/2004/02/skos/core#inScheme")
    assert _objects(graph, skos_in_scheme) == [Literal("https://openactive.io/activity-list")]
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(concept)))


SESSION = {
    "@context": ["https://openactive.io/", "https://openactive.io/ns-beta"],
    "@type": "ScheduledSession",
    "@id": "https://example.com/sessions/9",
    "name": "Yoga",
}

EXTENSIONS: dict[str, dict[str, Any]] = {
    "beta boolean": {"beta:isWheelchairAccessible": True},
    "full IRI key": {"https://example.com/ns#rating": 4.5},
    "unprefixed schema.org term": {"sameAs": "https://example.com/yoga"},
    "coerced term as extension": {"accessPass": "https://example.com/pass/1"},
    "numbers": {"beta:big": 10**22, "beta:whole": 3.0, "beta:tenth": 0.1, "beta:neg": -7},
    "typed values": {
        "beta:time": {"@value": "10:00", "@type": "xsd:time"},
        "beta:padded": {"@value": "05", "@type": "xsd:integer"},
        "beta:double": {"@value": "1.5", "@type": "xsd:double"},
        "beta:flag": {"@value": True, "@type": "xsd:string"},
        "beta:custom": {"@value": "x", "@type": "https://example.com/datatype"},
    },
    "nested nodes": {
        "beta:venue": {
            "@type": "Place",
            "@id": "https://example.com/places/1",
            "name": "Hall",
            "geo": {"@type": "GeoCoordinates", "latitude": 51.5074, "longitude": -0.1278},
        }
    },
    "node without id": {"beta:host": {"@type": "Person", "name": "Sam", "beta:age": 40}},
    "list": {"beta:sequence": {"@list": ["a", 1, {"@id": "https://example.com/x"}]}},
    "empty list": {"beta:nothing": {"@list": []}},
    "reverse": {"@reverse": {"subEvent": {"@id": "https://example.com/series/9"}}},
    "reverse term": {"concepts": [{"@id": "https://example.com/c/1", "@type": "Concept"}]},
    "shared blank node": {
        "beta:a": {"@id": "_:shared", "name": "x"},
        "beta:b": {"@id": "_:shared"},
    },
    "language tag (pyld fallback)": {"alternateName": {"@value": "Salle", "@language": "fr"}},
    "index (pyld fallback)": {"beta:tagged": {"@value": "v", "@index": "i"}},
    "set": {"beta:set": {"@set": ["a", "b"]}},
    "array of mixed values": {"beta:mixed": ["a", 2, False, {"@id": "https://example.com/y"}]},
}


@pytest.mark.parametrize("extras", EXTENSIONS.values(), ids=list(EXTENSIONS))
def test_extension_properties_mean_what_their_json_ld_means(extras: dict[str, Any]) -> None:
    document = {**SESSION, **extras}
    model = oc.loads(document)
    graph = to_graph(model)
    assert isomorphic(graph, pyld_graph(document))
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(model)))


@pytest.mark.parametrize("extras", EXTENSIONS.values(), ids=list(EXTENSIONS))
def test_extension_properties_of_models_built_in_code(extras: dict[str, Any]) -> None:
    model = ScheduledSession.model_validate({"@id": "https://example.com/sessions/9", **extras})
    graph = to_graph(model)
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(model)))


def test_ns_extension_terms_follow_the_document_context() -> None:
    # With the imin context (which includes ns-extension) "comment" is rdfs:comment.
    document = {
        "@context": ["https://openactive.io/", "https://imin.co/"],
        "type": "imin:CheckoutSession",
        "comment": "note",
    }
    graph = to_graph(oc.loads(document))
    assert isomorphic(graph, pyld_graph(document))
    assert _objects(graph, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"))


def test_many_models_share_one_graph_and_never_merge_blank_nodes() -> None:
    error = oc.loads(seed_json("error"))  # a blank root node: 2 triples
    assert len(to_graph([error, error, error])) == 3 * len(to_graph(error)) == 6
    request = oc.loads(seed_json("request"))  # blank nodes, and one opportunity with an @id
    assert len(to_graph([request, request])) == 2 * len(to_graph(request)) - 1
    identified = oc.loads(SESSION)
    assert len(to_graph([identified, identified])) == len(to_graph(identified))
    everything = [oc.loads(document) for _, document in CASES]
    graph = to_graph(everything)
    assert len(graph) > 2000
    assert len(graph) <= sum(len(to_graph(model)) for model in everything)


def test_a_new_graph_binds_the_openactive_prefixes() -> None:
    bound = dict(to_graph(oc.loads(SESSION)).namespaces())
    for prefix, namespace in PREFIXES.items():
        assert bound[prefix] == URIRef(namespace)


def test_adding_to_a_graph_keeps_its_triples_and_its_prefixes() -> None:
    graph = rdflib.Graph(bind_namespaces="none")
    graph.bind("schema", "http://schema.org/")
    existing = (URIRef("https://example.com/a"), RDF.type, URIRef("https://example.com/T"))
    graph.add(existing)
    result = to_graph(oc.loads(SESSION), graph=graph)
    assert result is graph
    assert existing in graph
    assert len(graph) == 1 + len(to_graph(oc.loads(SESSION)))
    bound = dict(graph.namespaces())
    assert bound["schema"] == URIRef("http://schema.org/")  # the graph's own binding stays
    assert URIRef("https://schema.org/") in bound.values()


def test_a_dataset_receives_the_triples_in_its_default_graph() -> None:
    dataset = rdflib.Dataset()
    to_graph(oc.loads(SESSION), graph=dataset)
    assert len(dataset.default_graph) == len(to_graph(oc.loads(SESSION)))


def test_a_non_iri_is_an_error_naming_the_place() -> None:
    slot = Slot(facility_use="facility 1")  # (a relative reference is resolved as pyld does)
    with pytest.raises(oc.DataError) as caught:
        to_graph(slot)
    assert caught.value.json_path == "$.facilityUse"
    session = ScheduledSession(offers=[Offer(), Offer.model_validate({"beta:x": {"@id": "r l"}})])
    with pytest.raises(oc.DataError) as caught:
        to_graph([ScheduledSession(), session])
    assert caught.value.json_path == '$[1].offers[1]["beta:x"]["@id"]'


def test_a_failing_model_adds_nothing() -> None:
    graph = rdflib.Graph()
    with pytest.raises(oc.DataError):
        to_graph([oc.loads(SESSION), Slot(facility_use="not an iri")], graph=graph)
    assert len(graph) == len(to_graph(oc.loads(SESSION)))


def test_what_is_not_a_model_is_a_data_error() -> None:
    with pytest.raises(oc.DataError, match="expected a model"):
        to_graph([{"@type": "Event"}])  # type: ignore[list-item]


def test_a_key_no_context_defines_is_an_error() -> None:
    model = ScheduledSession.model_validate({"@nope": 1})
    with pytest.raises(oc.DataError, match="no meaning"):
        to_graph(model)


def test_named_graphs_in_extensions_are_refused() -> None:
    model = oc.loads({**SESSION, "beta:g": {"@graph": [{"@id": "https://e.com/a", "name": "x"}]}})
    with pytest.raises(oc.DataError, match="named graphs"):
        to_graph(model)
