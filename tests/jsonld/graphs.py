"""The meaning of a JSON-LD document: pyld's ``to_rdf`` with the bundled loader, as rdflib."""

from __future__ import annotations

import copy
from typing import Any

import rdflib
from pyld import jsonld
from rdflib.compare import isomorphic

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
