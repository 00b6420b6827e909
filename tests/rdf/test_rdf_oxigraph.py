"""The Oxigraph backend (extra ``oxigraph``) gives the same graphs and query results."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
import rdflib

import openactive_checkout as oc
from openactive_checkout.cli import run
from openactive_checkout.graph import (
    checkout_links,
    query,
    serialize,
    sessions_by_start_date,
    to_graph,
    to_oxigraph,
)
from tests.conftest import EXAMPLES, seed_json
from tests.jsonld.graphs import isomorphic
from tests.rdf.rdf_corpus import all_documents
from tests.rdf.test_rdf_export import RDFLIB_PARSERS, parse_back

ox = pytest.importorskip(
    "pyoxigraph", reason="the Oxigraph backend is the optional extra 'oxigraph' (pyoxigraph)"
)
CASES = all_documents()


def _as_rdflib(store: Any) -> rdflib.Graph:
    text = store.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=ox.DefaultGraph()).decode()
    return rdflib.Graph().parse(data=text, format="nt")


@pytest.mark.parametrize(("name", "document"), CASES, ids=[name for name, _ in CASES])
def test_the_store_holds_the_same_graph(name: str, document: Any) -> None:
    model = oc.loads(document)
    assert isomorphic(_as_rdflib(to_oxigraph(model)), to_graph(model)), name


def test_many_models_and_an_existing_store() -> None:
    models = [oc.loads(document) for _, document in CASES]
    store = ox.Store()
    store.add(ox.Quad(ox.NamedNode("https://e.com/a"), ox.NamedNode("https://e.com/p"),
                      ox.Literal("kept")))  # fmt: skip
    assert to_oxigraph(models, store=store) is store
    assert len(store) == len(to_graph(models)) + 1


def test_query_results_are_the_same() -> None:
    models = [oc.loads(document) for _, document in CASES]
    graph, store = to_graph(models), to_oxigraph(models)
    text = "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER(isIRI(?s) && isLiteral(?o)) }"
    rows = query(graph, text).rows
    assert len(rows) > 200
    assert sorted(query(store, text).rows) == sorted(rows)
    counted = "SELECT ?t (COUNT(?s) AS ?n) WHERE { ?s a ?t } GROUP BY ?t ORDER BY ?t"
    assert query(store, counted).rows == query(graph, counted).rows
    assert query(store, "ASK { ?s a oa:ScheduledSession }").boolean is True
    assert sessions_by_start_date(store) == sessions_by_start_date(graph)
    responses = [oc.loads(seed_json("response")), oc.loads(seed_json("request"))]
    assert checkout_links(to_oxigraph(responses)) == checkout_links(to_graph(responses))
    construct = "CONSTRUCT { ?s schema:label ?n } WHERE { ?s schema:name ?n }"
    assert len(query(store, construct)) == len(query(graph, construct))
    with pytest.raises(oc.DataError, match="SPARQL query failed"):
        query(store, "SELECT WHERE {")


@pytest.mark.parametrize("name", list(RDFLIB_PARSERS))
def test_store_export_parses_back(name: str) -> None:
    models = [oc.loads(document) for _, document in CASES[:12]]
    assert isomorphic(parse_back(serialize(to_oxigraph(models), name), name), to_graph(models))


@pytest.mark.parametrize("name", list(RDFLIB_PARSERS))
def test_cli_oxigraph_output_means_the_same(name: str) -> None:
    feed = str(EXAMPLES / "feed-scheduled-sessions.json")
    outputs = []
    for backend in ("rdflib", "oxigraph"):
        out = io.StringIO()
        assert run(["convert", feed, "--to", name, "--backend", backend], out, io.StringIO()) == 0
        outputs.append(parse_back(out.getvalue(), name))
    assert isomorphic(*outputs)
    assert len(outputs[0]) > 40


def test_cli_query_on_oxigraph() -> None:
    out = io.StringIO()
    code = run(["query", str(EXAMPLES / "feed-scheduled-sessions.json"), "--backend", "oxigraph",
                "--sparql", "SELECT (COUNT(*) AS ?n) WHERE { ?s a oa:ScheduledSession }"],
               out, io.StringIO())  # fmt: skip
    assert code == 0
    assert '"4"^^<http://www.w3.org/2001/XMLSchema#integer>' in out.getvalue()


def test_iris_oxigraph_refuses_are_data_errors_naming_the_model() -> None:
    good = oc.loads(seed_json("error"))
    bad = oc.loads({**seed_json("error"), "beta:link": {"@id": "https://example.com/%zz"}})
    store = ox.Store()
    with pytest.raises(oc.DataError, match="Oxigraph does not accept") as caught:
        to_oxigraph([good, good, bad, good], store=store)
    assert caught.value.json_path == "$[2]"
    assert len(store) == 2 * len(to_graph(good))  # the models before it, whole
    with pytest.raises(oc.DataError, match="percent encoding"):
        to_oxigraph(bad)


def test_cli_reports_what_oxigraph_refuses(tmp_path: Any) -> None:
    good = json.dumps(seed_json("error"))
    bad = json.dumps({**seed_json("error"), "beta:link": {"@id": "https://example.com/%zz"}})
    path = tmp_path / "feed.ndjson"
    path.write_text(f"{good}\n{bad}\n{good}\n", encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    sparql = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
    code = run(["query", str(path), "--backend", "oxigraph", "--sparql", sparql], out, err)
    assert code == 1
    assert "line 2" in err.getvalue()
    assert '"4"^^' in out.getvalue()
