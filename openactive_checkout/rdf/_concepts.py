"""The SKOS triples of the concepts a graph uses (opt-in for :func:`to_graph`): each concept
of a known scheme that is a node of the graph gets its type, ``prefLabel`` and ``broader``
links, and so do all its ancestors, so that SPARQL can follow ``skos:broader+``
(every session whose activity is a kind of Yoga)."""

from __future__ import annotations

from collections.abc import Iterable

from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import SKOS

from ..concepts import Scheme, accessibility_support, activity_list, facility_types


def published_schemes() -> list[Scheme]:
    """The published schemes bundled with the library."""
    return [activity_list(), facility_types(), accessibility_support()]


def add_concepts(graph: Graph, schemes: Iterable[Scheme]) -> Graph:
    """Add to ``graph`` the SKOS triples of the concepts of ``schemes`` it uses."""
    known = list(schemes)
    used = sorted(
        {str(s) for s in graph.subjects(RDF.type, SKOS.Concept) if isinstance(s, URIRef)}
        | {str(o) for o in graph.objects(None, SKOS.broader) if isinstance(o, URIRef)}
    )
    for iri in used:
        for scheme in known:
            if iri not in scheme:
                continue
            chain = [scheme.concept(iri), *scheme.ancestors(iri)]
            for concept in chain:
                assert concept.id is not None
                node = URIRef(concept.id)
                graph.add((node, RDF.type, SKOS.Concept))
                if concept.pref_label is not None:
                    graph.add((node, SKOS.prefLabel, Literal(concept.pref_label)))
                for parent in scheme.broader(concept.id):
                    assert parent.id is not None
                    graph.add((node, SKOS.broader, URIRef(parent.id)))
            break
    return graph
