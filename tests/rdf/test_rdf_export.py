"""Export: every format parses back to the same graph, whole-graph and streaming alike."""

from __future__ import annotations

import io
import warnings
from typing import Any

import pytest
import rdflib
from rdflib import BNode, Literal, URIRef

import openactive_checkout as oc
from openactive_checkout.graph import FORMATS, serialize, to_graph
from openactive_checkout.rdf._stream import WRITERS
from tests.conftest import seed_json
from tests.jsonld.graphs import isomorphic
from tests.rdf.rdf_corpus import seed_documents

RDFLIB_PARSERS = {
    "turtle": "turtle",
    "nt": "nt",
    "nquads": "nquads",
    "jsonld": "json-ld",
    "xml": "xml",
    "trig": "trig",
}

AWKWARD = {
    "@context": ["https://openactive.io/", "https://openactive.io/ns-beta"],
    "@type": "ScheduledSession",
    "@id": "https://example.com/sessions/1?a=1&b=%3C2%3E#x",
    "name": 'Quotes " and \\ and\nnewlines\r and tabs\t and ünïcödé 🧘',
    "beta:price": 10.5,
    "beta:big": 10**22,
    "beta:flag": False,
    "alternateName": {"@value": "Salle", "@language": "fr"},
    "beta:custom": {"@value": "x", "@type": "https://example.com/datatype#t"},
    "https://example.com/vocab/odd-name_1": "local name with a dash",
    "beta:list": {"@list": ["a", 1]},
    "beta:blank": {"name": "inner"},
}


def parse_back(text: str, name: str) -> rdflib.Graph:
    """What an RDF tool reads from ``text`` (named-graph formats: all their triples)."""
    with warnings.catch_warnings():
        # rdflib 7.6's own JSON-LD, N-Quads and TriG parsers use its deprecated Dataset API.
        warnings.simplefilter("ignore", DeprecationWarning)
        return _parse(text, name)


def _parse(text: str, name: str) -> rdflib.Graph:
    if name in ("nquads", "trig"):
        dataset = rdflib.Dataset()
        dataset.parse(data=text, format=RDFLIB_PARSERS[name])
        graph = rdflib.Graph()
        for triple in dataset.triples((None, None, None)):
            graph.add(triple)
        return graph
    return rdflib.Graph().parse(data=text, format=RDFLIB_PARSERS[name])


def _graphs() -> list[tuple[str, rdflib.Graph]]:
    models = [oc.loads(document) for _, document in seed_documents()]
    return [("seeds", to_graph(models)), ("awkward", to_graph(oc.loads(AWKWARD)))]


@pytest.mark.parametrize("name", list(RDFLIB_PARSERS))
@pytest.mark.parametrize(("label", "graph"), _graphs(), ids=["seeds", "awkward"])
def test_serialize_parses_back(name: str, label: str, graph: rdflib.Graph) -> None:
    assert isomorphic(parse_back(serialize(graph, name), name), graph), label


@pytest.mark.parametrize("name", list(RDFLIB_PARSERS))
def test_streaming_writers_parse_back(name: str) -> None:
    models = [oc.loads(document) for _, document in seed_documents()] + [oc.loads(AWKWARD)]
    out = io.StringIO()
    writer = WRITERS[name](out)
    writer.start()
    for model in models:
        writer.write(list(to_graph(model)))
    writer.close()
    assert isomorphic(parse_back(out.getvalue(), name), to_graph(models))


def test_streaming_turtle_declares_the_prefixes_once() -> None:
    out = io.StringIO()
    writer = WRITERS["turtle"](out)
    writer.start()
    for _ in range(3):
        writer.write(list(to_graph(oc.loads(seed_json("response")))))
    writer.close()
    assert out.getvalue().count("@prefix schema:") == 1
    assert "schema:potentialAction" in out.getvalue()


def test_xml_refuses_what_xml_cannot_hold() -> None:
    graph = to_graph(oc.loads({**AWKWARD, "name": "bell \x07"}))
    writer = WRITERS["xml"](io.StringIO())
    with pytest.raises(oc.DataError, match="XML cannot hold"):
        writer.write(list(graph))
    no_local_name = to_graph(oc.loads({**AWKWARD, "https://example.com/vocab#": "x"}))
    with pytest.raises(oc.DataError, match="RDF/XML"):
        WRITERS["xml"](io.StringIO()).write(list(no_local_name))
    with pytest.raises(oc.DataError, match="cannot be written as xml"):
        serialize(no_local_name, "xml")
    for name in ("turtle", "nt", "trig", "jsonld"):  # the other formats write any IRI
        assert isomorphic(parse_back(serialize(no_local_name, name), name), no_local_name)


def test_blank_node_labels_are_safe_in_every_syntax() -> None:
    subject = BNode("not safe: spaces & 1st")
    triples: list[Any] = [(subject, URIRef("https://schema.org/name"), Literal("x"))]
    for name in RDFLIB_PARSERS:
        out = io.StringIO()
        writer = WRITERS[name](out)
        writer.start()
        writer.write(triples)
        writer.close()
        assert len(parse_back(out.getvalue(), name)) == 1, name


def test_format_names() -> None:
    assert {FORMATS[n] for n in ("ttl", "n-triples", "json-ld", "rdf/xml", "nq", "trig")} == {
        "turtle", "nt", "jsonld", "xml", "nquads", "trig"}  # fmt: skip
    graph = to_graph(oc.loads(seed_json("error")))
    assert isomorphic(parse_back(serialize(graph, "TriG"), "trig"), graph)
    with pytest.raises(oc.DataError, match="unknown RDF format"):
        serialize(rdflib.Graph(), "yaml")
    with pytest.raises(oc.DataError, match="expected an rdflib Graph"):
        serialize("not a graph", "nt")
