"""rdflib graphs: new graphs with the prefixes bound, and bulk addition of built triples."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import ConjunctiveGraph, Dataset, Graph
from rdflib.term import Node

from ..errors import DataError
from ..jsonld._base import JsonLdNode
from ._build import GraphBuilder
from ._extras import with_path
from ._names import PREFIXES
from ._terms import RdflibTerms


def new_graph() -> Graph:
    """An empty in-memory graph with the RDF core and OpenActive prefixes bound."""
    graph = Graph(bind_namespaces="core")
    bind_prefixes(graph, override=True)
    return graph


def bind_prefixes(graph: Graph, *, override: bool) -> None:
    """Bind :data:`PREFIXES` (keeping the graph's own bindings unless ``override``)."""
    manager = graph.namespace_manager
    for prefix, namespace in PREFIXES.items():
        manager.bind(prefix, namespace, override=override)


def add_models(graph: Graph, models: JsonLdNode | Iterable[JsonLdNode]) -> Graph:
    """Add the triples of one model or many to ``graph``; each model is added whole or not
    at all (a DataError names the model's index and the place in it)."""
    single = isinstance(models, JsonLdNode)
    items: Iterable[JsonLdNode] = [models] if isinstance(models, JsonLdNode) else models
    builder = GraphBuilder(RdflibTerms())
    # A dataset receives the triples in its default graph.
    if isinstance(graph, Dataset):
        target = graph.default_graph
    elif isinstance(graph, ConjunctiveGraph):
        target = graph.default_context
    else:
        target = graph
    # A plain Graph adds straight to its store (what Graph.add does after its checks).
    store_add = target.store.add if type(target) is Graph else None
    for index, model in enumerate(items):
        try:
            triples: list[tuple[Node, Node, Node]] = builder.triples(model)
        except DataError as exc:
            raise exc if single else with_path(exc, index) from None
        if store_add is not None:
            for triple in triples:
                store_add(triple, target, False)
        else:
            for triple in triples:
                target.add(triple)
    return graph
