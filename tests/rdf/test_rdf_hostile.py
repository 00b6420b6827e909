"""Hostile documents and graphs for the RDF functions: our errors only, shared blank nodes kept,
linear RDF lists, queries with no side effects."""

from __future__ import annotations

import http.server
import itertools
import threading
from collections.abc import Iterator
from typing import Any

import pytest
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.namespace import RDF

import openactive_checkout as oc
from openactive_checkout.rdf import query, sessions_by_start_date

CONTEXT = "https://openactive.io/"
SUB_EVENT = URIRef("https://schema.org/subEvent")


def _event(**extra: Any) -> dict[str, Any]:
    return {"@context": CONTEXT, "@type": "Event", "@id": "https://ex.org/e", **extra}


@pytest.mark.parametrize("digits", [309, 400, 4000])
@pytest.mark.parametrize("key", ["maximumAttendeeCapacity", "https://ex.org/n"])
def test_integers_beyond_a_double_are_a_data_error_naming_the_place(digits: int, key: str) -> None:
    model = oc.loads(_event(**{key: int("9" * digits)}))
    with pytest.raises(oc.DataError, match="too large for an xsd:double") as caught:
        oc.to_graph(model)
    assert caught.value.path == (key,)


def test_value_objects_beyond_a_double_are_a_data_error() -> None:
    double = "http://www.w3.org/2001/XMLSchema#double"
    model = oc.loads(_event(**{"https://ex.org/n": {"@value": 10**400, "@type": double}}))
    with pytest.raises(oc.DataError, match="too large"):
        oc.to_graph(model)


@pytest.mark.parametrize(
    ("document", "place"),
    [
        (_event(**{"@id": "https://ex.org/a\u0001b"}), ("@id",)),
        (_event(**{"@id": "https://ex.org/a\u007fb"}), ("@id",)),
        (_event(**{"@id": "https://ex.org/\ud800"}), ("@id",)),
        (_event(**{"https://ex.org/p\u0002": "x"}), ("https://ex.org/p\u0002",)),
        (_event(**{"https://ex.org/q": {"@id": "https://ex.org/a\u0001"}}), ("https://ex.org/q",)),
        (
            {"@context": [CONTEXT, {"ext": "https://ex.org/\u0001/"}], "@type": "Event",
             "ext:p": "x"},
            ("ext:p",),
        ),
    ],
)  # fmt: skip
def test_iris_with_characters_no_iri_may_hold_are_refused(
    document: dict[str, Any], place: tuple[str, ...]
) -> None:
    # loads refuses an @id no IRI may be; what it keeps verbatim, to_graph refuses
    with pytest.raises(
        oc.DataError, match=r"no IRI may contain|must be an IRI|is not an IRI"
    ) as caught:
        oc.to_graph(oc.loads(document))
    assert caught.value.path[: len(place)] == place


def test_a_blank_node_shared_with_properties_read_by_pyld_stays_one_node() -> None:
    document = _event(
        location={"@type": "Place", "@id": "_:p"},
        **{"https://ex.org/q": [{"@id": "_:p"}, {"@value": "x", "@language": "en"}]},
    )
    graph = oc.to_graph(oc.loads(document))
    blanks = {term for triple in graph for term in triple if isinstance(term, BNode)}
    assert len(blanks) == 1
    (place,) = blanks
    assert (URIRef("https://ex.org/e"), URIRef("https://ex.org/q"), place) in graph
    assert (URIRef("https://ex.org/e"), URIRef("https://schema.org/location"), place) in graph
    assert (
        URIRef("https://ex.org/e"),
        URIRef("https://ex.org/q"),
        Literal("x", lang="en"),
    ) in graph


def test_blank_node_labels_inside_pyld_properties_are_shared_among_themselves() -> None:
    document = _event(**{
        "https://ex.org/a": {"@id": "_:n", "https://ex.org/v": {"@value": "v", "@language": "fr"}},
        "https://ex.org/b": {"@id": "_:n"},
    })  # fmt: skip
    graph = oc.to_graph(oc.loads(document))
    assert len({t for triple in graph for t in triple if isinstance(t, BNode)}) == 1


def _chain(length: int, *, blank: bool = False) -> Graph:
    graph = Graph()
    nodes = [
        BNode(f"n{i}") if blank and i else URIRef(f"https://ex.org/{i}") for i in range(length + 1)
    ]
    graph.add((nodes[0], RDF.type, URIRef("https://schema.org/Event")))
    for a, b in itertools.pairwise(nodes):
        graph.add((a, SUB_EVENT, b))
    return graph


@pytest.mark.parametrize("blank", [False, True])
def test_a_chain_deeper_than_a_document_may_nest_is_a_data_error(blank: bool) -> None:
    with pytest.raises(oc.DataError, match="nests too deeply"):
        oc.from_graph(_chain(2000, blank=blank))


def test_a_chain_within_the_depth_limit_reads_back() -> None:
    graph = _chain(40)
    assert len(oc.to_graph(oc.from_graph(graph))) == len(graph)


def test_a_long_rdf_list_reads_back_whole() -> None:
    graph = Graph()
    head = BNode()
    Collection(graph, head, [Literal(i) for i in range(5000)])
    graph.add((URIRef("https://ex.org/s"), URIRef("https://ex.org/l"), head))
    model = oc.from_graph(graph)
    items = model.model_extra["https://ex.org/l"]  # type: ignore[index]
    assert items == {"@list": list(range(5000))}


def test_from_graph_refuses_roots_that_are_no_iri() -> None:
    graph = _chain(2)
    with pytest.raises(oc.DataError, match="no IRI may contain"):
        oc.from_graph(graph, "https://ex.org/a b")
    with pytest.raises(oc.DataError, match="root must be"):
        oc.from_graph(graph, 42)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "kind", ["https://ex.org/a>b", "https://ex.org/a b", "https://x/\u0001", "_:x"]
)
def test_sessions_by_start_date_refuses_types_that_are_no_iri(kind: str) -> None:
    with pytest.raises(oc.DataError):
        sessions_by_start_date(Graph(), types=[kind])


# -- query: no side effects ----------------------------------------------------------------


@pytest.fixture
def listener() -> Iterator[tuple[str, list[str]]]:
    """A loopback HTTP server recording the paths asked for."""
    hits: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            hits.append(self.path)
            self.send_response(404)
            self.end_headers()

        do_POST = do_GET  # noqa: N815 - the name http.server looks for

        def log_message(self, *args: Any) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", hits
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def _dataset() -> Dataset:
    dataset = Dataset()
    dataset.graph(URIRef("https://ex.org/g")).add(
        (URIRef("https://ex.org/s"), URIRef("https://ex.org/p"), Literal(1))
    )
    return dataset


@pytest.mark.network
@pytest.mark.parametrize(
    "template",
    [
        "SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
        "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE SILENT <{url}/s> {{ ?s ?p ?o }} }} }} }}",
        "SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
        "SELECT * FROM NAMED <{url}/named.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    ],
)
def test_queries_reaching_outside_the_dataset_are_refused(
    listener: tuple[str, list[str]], template: str
) -> None:
    url, hits = listener
    with pytest.raises(oc.DataError, match="allow_external=True"):
        query(_dataset(), template.format(url=url))
    assert hits == []


@pytest.mark.parametrize("path", ["/etc/passwd", "/etc/hostname"])
def test_from_a_local_file_is_refused(path: str) -> None:
    with pytest.raises(oc.DataError, match=r"FROM <file://.*> names a graph"):
        query(_dataset(), f"SELECT * FROM <file://{path}> WHERE {{ ?s ?p ?o }}")


@pytest.mark.filterwarnings("ignore:Dataset.default_context is deprecated")  # rdflib's own
def test_from_a_graph_the_dataset_holds_is_allowed() -> None:
    result = query(_dataset(), "SELECT ?o FROM <https://ex.org/g> WHERE { ?s ?p ?o }")
    assert [row[0] for row in result.rows] == [Literal(1)]


@pytest.mark.network
def test_allow_external_lets_a_service_call_through(listener: tuple[str, list[str]]) -> None:
    url, hits = listener
    with pytest.raises(oc.DataError, match="SPARQL query failed"):  # the 404, as our error
        query(Graph(), f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
              allow_external=True)  # fmt: skip
    assert hits


def test_a_service_is_refused_on_oxigraph_too() -> None:
    pyoxigraph = pytest.importorskip("pyoxigraph")
    with pytest.raises(oc.DataError, match="SERVICE"):
        query(pyoxigraph.Store(), "SELECT * WHERE { service <http://127.0.0.1:9/x> { ?s ?p ?o } }")
    assert len(query(pyoxigraph.Store(), "SELECT ?service WHERE { ?service ?p ?o }")) == 0


def test_errors_met_while_results_are_read_are_ours() -> None:
    graph = _chain(3)
    with pytest.raises(oc.DataError):
        query(graph, "SELECT * WHERE { GRAPH ?g { ?s ?p ?o } } ")


def test_a_model_built_in_code_nested_beyond_the_stack_is_a_data_error() -> None:
    from openactive_checkout.vocab import Place

    place = Place(name="innermost")
    for _ in range(3000):
        place = Place(contained_in_place=place)
    with pytest.raises(oc.DataError, match="nests too deeply"):
        oc.to_graph(oc.Event(location=place))


def test_what_pyld_itself_fails_on_is_a_data_error() -> None:
    # A nested context pyld does not check: pyld raised TypeError.
    document = _event(**{"https://ex.org/q": {"@context": {"t": {"@id": []}}, "t": 1}})
    with pytest.raises(oc.DataError, match="pyld cannot turn"):
        oc.to_graph(oc.loads(document))
