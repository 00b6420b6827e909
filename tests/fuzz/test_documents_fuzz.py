"""Fuzzing the document side: whatever goes into ``loads``, ``validate``, ``to_graph``,
``from_graph``, ``query`` and the command line, only our own errors come out (and the CLI
exits 0, 1 or 2, with a message, never a traceback).

The examples are derandomized and few, so the suite stays fast and stable; set
``OC_FUZZ_EXAMPLES=100000`` for a deeper, random run (docs/security.md).
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import given
from hypothesis import strategies as st
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, XSD

import openactive_checkout as oc
from openactive_checkout.cli import run
from openactive_checkout.rdf import query, serialize
from tests.fuzz.documents import documents, fuzz_settings, json_values, texts

OURS = oc.OpenActiveCheckoutError


@fuzz_settings(40)
@given(texts)
def test_loads_of_text_raises_only_our_errors(text: str) -> None:
    with contextlib.suppress(OURS):
        oc.loads(text)


@fuzz_settings(40)
@given(documents() | json_values)
def test_loads_of_values_raises_only_our_errors(value: Any) -> None:
    with contextlib.suppress(OURS):
        oc.loads(value)


@fuzz_settings(50)
@given(texts | documents() | json_values)
def test_validate_always_gives_a_report_that_is_json(document: Any) -> None:
    report = oc.validate(document)  # text that is not JSON is a finding, not an exception
    json.dumps(report.to_dict(), allow_nan=False)  # NaN and infinities are not JSON


@fuzz_settings(40)
@given(documents())
def test_to_graph_and_from_graph_raise_only_our_errors(document: dict[str, Any]) -> None:
    try:
        graph = oc.to_graph(oc.loads(document))
    except OURS:
        return
    with contextlib.suppress(OURS):  # a lone surrogate in a literal has no UTF-8 N-Triples
        serialize(graph, "nt")
    with contextlib.suppress(OURS):
        oc.from_graph(graph)


NODES = [URIRef("https://ex.org/a"), URIRef("https://ex.org/b"), BNode("x"), BNode("y"), RDF.nil]
PREDICATES = [RDF.type, RDF.first, RDF.rest, URIRef("https://schema.org/name"),
              URIRef("https://schema.org/subEvent"), URIRef("https://ex.org/p")]  # fmt: skip
LITERALS = [Literal("x"), Literal("x", lang="en"), Literal("1e400", datatype=XSD.double),
            Literal("99" * 300, datatype=XSD.integer), Literal("not a date", datatype=XSD.date),
            Literal(10**30), Literal(1.5), Literal("a\ud800b")]  # fmt: skip
TYPES = [URIRef("https://schema.org/Event"), URIRef("https://openactive.io/ScheduledSession"),
         URIRef("https://ex.org/T")]  # fmt: skip


@st.composite
def graphs(draw: st.DrawFn) -> Graph:
    """Random triples, plus long chains of linked nodes and long RDF lists."""
    graph = Graph()
    for s, p, o in draw(
        st.lists(
            st.tuples(
                st.sampled_from(NODES[:4]),
                st.sampled_from(PREDICATES),
                st.sampled_from(NODES + LITERALS + TYPES),
            ),
            max_size=12,
        )
    ):
        graph.add((s, p, o))
    length = draw(st.sampled_from([0, 3, 60, 2000]))
    shape = draw(st.sampled_from(["chain", "list", "bnode-chain"]))
    previous: Any = NODES[0]
    for index in range(length):
        if shape == "list":
            cell = BNode(f"c{index}")
            graph.add((previous, RDF.rest if index else URIRef("https://ex.org/l"), cell))
            graph.add((cell, RDF.first, Literal(index)))
            previous = cell
        else:
            node = URIRef(f"https://ex.org/n{index}") if shape == "chain" else BNode(f"n{index}")
            graph.add((previous, URIRef("https://schema.org/subEvent"), node))
            previous = node
    if shape == "list" and length:
        graph.add((previous, RDF.rest, RDF.nil))
    return graph


@fuzz_settings(30)
@given(graphs(), st.sampled_from([None, "https://ex.org/a", "https://ex.org/a b", BNode("x")]))
def test_from_graph_raises_only_our_errors(graph: Graph, root: Any) -> None:
    with contextlib.suppress(OURS):
        model = oc.from_graph(graph, root)
        oc.to_graph(model)


QUERIES = [
    "SELECT * WHERE { ?s ?p ?o }",
    "SELECT * WHERE { SERVICE <http://127.0.0.1:9/sparql> { ?s ?p ?o } }",
    "SELECT * FROM <file:///etc/passwd> WHERE { ?s ?p ?o }",
    "SELECT (1/0 AS ?x) WHERE {}",
    "SELECT * WHERE { ?s <https://ex.org/p>* ?o }",
    "ASK { ?s a schema:Event }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "SELECT * WHERE { ?s ?p",
]


@fuzz_settings(20)
@given(graphs(), st.sampled_from(QUERIES) | st.text(max_size=30))
def test_query_raises_only_our_errors(graph: Graph, sparql: str) -> None:
    with contextlib.suppress(OURS):
        query(graph, sparql)


COMMANDS = [
    ["show"],
    ["validate"],
    ["validate", "--format", "json"],
    ["convert", "--to", "nt"],
    ["convert", "--to", "turtle"],
    ["convert", "--to", "xml"],
    ["convert", "--to", "jsonld"],
    ["query", "--sparql", "SELECT * WHERE { ?s ?p ?o }"],
]


def _strict_stream() -> io.TextIOWrapper:
    """A UTF-8 text stream as standard output is: it cannot hold a lone surrogate."""
    return io.TextIOWrapper(io.BytesIO(), encoding="utf-8", errors="strict")


@fuzz_settings(30)
@given(
    st.lists(texts, min_size=1, max_size=3),
    st.sampled_from(COMMANDS),
    st.sampled_from(["json", "ndjson"]),
)
def test_the_cli_exits_0_1_or_2_without_a_traceback(
    inputs: list[str], command: list[str], layout: str
) -> None:
    with tempfile.TemporaryDirectory() as directory:
        files = []
        if layout == "ndjson":  # one file, a document per line
            path = Path(directory) / "in.ndjson"
            path.write_bytes(
                "\n".join(t.replace("\n", " ") for t in inputs).encode("utf-8", "surrogatepass")
            )
            files.append(str(path))
        else:
            for index, text in enumerate(inputs):
                path = Path(directory) / f"in{index}.json"
                path.write_bytes(text.encode("utf-8", "surrogatepass"))
                files.append(str(path))
        if command[0] == "show":
            files = files[:1]
        stdout, stderr = _strict_stream(), _strict_stream()
        code = run([command[0], *files, *command[1:]], stdout, stderr)
        stderr.flush()
        assert code in (0, 1, 2)
        assert b"Traceback" not in stderr.buffer.getvalue()  # type: ignore[attr-defined]
