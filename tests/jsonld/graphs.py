"""The meaning of a JSON-LD document: pyld's ``to_rdf`` with the bundled loader, as rdflib."""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic as rdflib_isomorphic

from openactive_checkout.jsonld import pyld_document_loader as document_loader


def graph_of(document: Any) -> rdflib.Graph:
    """The RDF graph of a JSON-LD document (a parsed object)."""
    nquads = jsonld.to_rdf(
        copy.deepcopy(document),
        {"documentLoader": document_loader(), "format": "application/n-quads", "base": ""},
    )
    graph = rdflib.Graph()
    # Default-graph N-Quads are N-Triples; rdflib 7.6's nquads parser warns internally.
    graph.parse(data=nquads, format="nt")
    return graph


def same_graph(left: Any, right: Any) -> bool:
    """Whether two JSON-LD documents mean the same thing."""
    return isomorphic(graph_of(left), graph_of(right))


def isomorphic(left: rdflib.Graph, right: rdflib.Graph) -> bool:
    """Exactly ``rdflib.compare.isomorphic(left, right)``, but quick on the usual graphs.

    rdflib's canonical hashing takes seconds on a graph with a few dozen blank nodes. Here a
    pairing of the blank nodes is looked for first, by colour refinement (a blank node's
    colour comes from what surrounds it, which any isomorphism keeps) and, where blank nodes
    look alike (the same address given twice, say), by choosing one and refining again. A
    pairing is only accepted when it maps the triples of one graph exactly onto the other's,
    so a True here is always right; when no pairing is found (non-isomorphic graphs, too many
    choices, graphs other than plain ``rdflib.Graph``), rdflib decides.
    """
    if (
        type(left) is rdflib.Graph
        and type(right) is rdflib.Graph
        and len(left) == len(right)
        and _paired(left, right)
    ):
        return True
    return bool(rdflib_isomorphic(left, right))


#: How many complete pairings to check before leaving the question to rdflib.
_PAIRINGS = 64

Neighbours = dict[Any, list[tuple[str, str, Any]]]


def _paired(left: rdflib.Graph, right: rdflib.Graph) -> bool:
    """Whether a pairing of blank nodes maps the triples of ``left`` onto those of ``right``."""
    triples, target = list(left), set(right)
    around = [_neighbours(left), _neighbours(right)]
    if len(around[0]) != len(around[1]):
        return False
    checked = 0

    def search(colours: list[dict[Any, int]]) -> bool:
        nonlocal checked
        colours = [_refine(n, c) for n, c in zip(around, colours, strict=True)]
        classes: list[dict[int, list[Any]]] = [{}, {}]
        for side in (0, 1):
            for node, colour in colours[side].items():
                classes[side].setdefault(colour, []).append(node)
        left_classes, right_classes = classes
        if {c: len(n) for c, n in left_classes.items()} != {
            c: len(n) for c, n in right_classes.items()
        }:
            return False
        alike = [colour for colour, nodes in left_classes.items() if len(nodes) > 1]
        if not alike:
            checked += 1
            pairing = {nodes[0]: right_classes[c][0] for c, nodes in left_classes.items()}
            return {tuple(pairing.get(t, t) for t in triple) for triple in triples} == target
        colour = min(alike)
        chosen = hash(("chosen", colour))
        node = left_classes[colour][0]
        for other in right_classes[colour]:
            if checked >= _PAIRINGS:
                return False
            if search([{**colours[0], node: chosen}, {**colours[1], other: chosen}]):
                return True
        return False

    return search([dict.fromkeys(around[0], 0), dict.fromkeys(around[1], 0)])


def _neighbours(graph: rdflib.Graph) -> Neighbours:
    """Each blank node's triples: direction, predicate and the node at the other end."""
    found: Neighbours = {}
    for s, p, o in graph:
        if isinstance(s, rdflib.BNode):
            found.setdefault(s, []).append(("out", p.n3(), o))
        if isinstance(o, rdflib.BNode):
            found.setdefault(o, []).append(("in", p.n3(), s))
    return found


def _refine(around: Neighbours, colour: dict[Any, int]) -> dict[Any, int]:
    """Colour refinement: a node's next colour is its colour and the colours (or terms) of its
    neighbours, until the number of colours stops growing."""

    def seen(term: Any) -> str:
        return f"_:{colour[term]}" if isinstance(term, rdflib.BNode) else str(term.n3())

    count = len(set(colour.values()))
    while True:
        colour = {
            node: hash((colour[node], tuple(sorted(Counter(
                (way, p, seen(other)) for way, p, other in edges
            ).items()))))
            for node, edges in around.items()
        }  # fmt: skip
        if len(set(colour.values())) <= count:
            return colour
        count = len(set(colour.values()))
