"""The suite's graph comparison (``graphs.isomorphic``) answers exactly as rdflib's does."""

from __future__ import annotations

import random

import pytest
import rdflib
from rdflib.compare import isomorphic as rdflib_isomorphic

import openactive_checkout as oc
from openactive_checkout.rdf import to_graph
from tests.conftest import seed_json
from tests.jsonld import graphs
from tests.jsonld.graphs import isomorphic

EX = rdflib.Namespace("https://example.com/")


def renamed(graph: rdflib.Graph, rng: random.Random) -> rdflib.Graph:
    """The same graph with new blank node names, triples added in another order."""
    names: dict[rdflib.BNode, rdflib.BNode] = {}
    triples = list(graph)
    rng.shuffle(triples)
    out = rdflib.Graph()
    for triple in triples:
        out.add(
            tuple(  # type: ignore[arg-type]
                names.setdefault(t, rdflib.BNode()) if isinstance(t, rdflib.BNode) else t
                for t in triple
            )
        )
    return out


def triangles_and_hexagon() -> tuple[rdflib.Graph, rdflib.Graph]:
    """Two triangles and one hexagon of blank nodes: colours alone do not tell them apart
    (every node has one edge in and one out)."""
    triangles, hexagon = rdflib.Graph(), rdflib.Graph()
    nodes = [rdflib.BNode() for _ in range(6)]
    for i in range(3):
        triangles.add((nodes[i], EX.next, nodes[(i + 1) % 3]))
        triangles.add((nodes[3 + i], EX.next, nodes[3 + (i + 1) % 3]))
    for i in range(6):
        hexagon.add((nodes[i], EX.next, nodes[(i + 1) % 6]))
    return triangles, hexagon


def test_renamed_blank_nodes_are_paired_without_rdflib(monkeypatch: pytest.MonkeyPatch) -> None:
    seeds = to_graph([oc.loads(seed_json(name)) for name in ("request", "response", "error")])
    assert any(isinstance(t, rdflib.BNode) for triple in seeds for t in triple)
    twins = rdflib.Graph()  # two equal children: blank nodes that look alike
    for _ in range(2):
        child = rdflib.BNode()
        twins.add((EX.parent, EX.child, child))
        twins.add((child, EX.name, rdflib.Literal("same")))
    triangles, _ = triangles_and_hexagon()

    def refuse(left: rdflib.Graph, right: rdflib.Graph) -> bool:
        raise AssertionError("rdflib was asked")

    monkeypatch.setattr(graphs, "rdflib_isomorphic", refuse)
    for seed, graph in enumerate((seeds, twins, triangles)):
        assert isomorphic(graph, renamed(graph, random.Random(seed)))


def test_graphs_that_differ_get_rdflibs_answer() -> None:
    triangles, hexagon = triangles_and_hexagon()
    assert not isomorphic(triangles, hexagon)
    assert not rdflib_isomorphic(triangles, hexagon)
    seeds = to_graph(oc.loads(seed_json("response")))
    other = renamed(seeds, random.Random(4))
    other.remove((None, rdflib.URIRef("https://schema.org/name"), None))
    other.add((EX.extra, EX.p, rdflib.Literal("x")))
    assert not isomorphic(seeds, other)


def random_graph(rng: random.Random) -> rdflib.Graph:
    nodes: list[rdflib.term.Node] = [rdflib.BNode() for _ in range(rng.randint(1, 7))]
    nodes += [EX.a, EX.b]
    objects = [*nodes, rdflib.Literal("x"), rdflib.Literal("x", lang="en"), rdflib.Literal(1)]
    graph = rdflib.Graph()
    for _ in range(rng.randint(1, 14)):
        graph.add((rng.choice(nodes), rng.choice([EX.p, EX.q]), rng.choice(objects)))  # type: ignore[arg-type]
    return graph


def changed(graph: rdflib.Graph, rng: random.Random) -> rdflib.Graph:
    """One triple's object replaced (sometimes by one that means the same graph)."""
    triples = list(graph)
    s, p, o = triples.pop(rng.randrange(len(triples)))
    out = rdflib.Graph()
    for triple in triples:
        out.add(triple)
    out.add((s, p, rng.choice([o, EX.a, rdflib.Literal("x"), rdflib.Literal("y")])))
    return out


def test_random_graphs_get_rdflibs_answer() -> None:
    rng = random.Random(7)
    answers = []
    for _ in range(300):
        graph = random_graph(rng)
        other = renamed(graph, rng)
        if rng.random() < 0.5:
            other = changed(other, rng)
        answer = rdflib_isomorphic(graph, other)
        assert isomorphic(graph, other) == answer, (graph.serialize(format="nt"), other)
        answers.append(answer)
    assert 50 < sum(answers) < 250  # both answers are well represented
