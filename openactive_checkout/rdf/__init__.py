"""Models as RDF: rdflib graphs (or an Oxigraph store), back again, SPARQL and export.

* :func:`to_graph` builds the triples straight from the models (no JSON-LD text, no
  expansion). The graph is the one the model's JSON-LD means, exactly as rdflib reads pyld's
  ``to_rdf`` output: only the OpenActive context's ``@id``-coerced terms make IRIs from
  strings, other URL strings and enum values are plain literals, numbers are typed as
  JSON-LD types them, extension properties are included.
* :func:`from_graph` reads one node of a graph back into its model.
* :func:`query`, :func:`checkout_links` and :func:`sessions_by_start_date` run SPARQL on a
  graph (or an Oxigraph store); :func:`serialize` writes Turtle, N-Triples, N-Quads, JSON-LD,
  RDF/XML or TriG.
* :func:`to_oxigraph` (extra ``oxigraph``) builds the same triples into a pyoxigraph ``Store``.

Nothing here changes rdflib's settings: literals are built with an explicit ``normalize``, so
a graph is the same before, during and after a pySHACL run.

Owns the triple builder (``_build``, with ``_extras`` for extension properties and ``_pyld``
for what only pyld can expand), terms (``_terms``, ``_names``), reading back (``_read``),
export and streaming writers (``_export``, ``_stream``), SPARQL (``_query``, ``_questions``),
the Oxigraph backend (``_oxigraph``), the CLI's document input (``_input``) and the opt-in
SKOS triples of the concepts a graph uses (``_concepts``).
:mod:`openactive_checkout.graph` is the older public face of this package.

May import: errors, jsonld, vocab, concepts.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..jsonld._base import JsonLdNode
from ._names import CORE_PREFIXES, PREFIXES

if TYPE_CHECKING:
    from rdflib import Graph
    from rdflib.term import Node

    from ..concepts import Scheme
    from ._export import FORMATS
    from ._query import QueryResult
    from ._questions import (
        CHECKOUT_LINKS_QUERY,
        SESSIONS_QUERY,
        CheckoutLink,
        Session,
        checkout_links,
        sessions_by_start_date,
    )

# rdflib loads with the first of these names used (or the first function called), not with
# the package: the CLI and the parts of this package that need no rdflib start without it.
_LAZY = {
    "FORMATS": "._export",
    "QueryResult": "._query",
    "CHECKOUT_LINKS_QUERY": "._questions",
    "SESSIONS_QUERY": "._questions",
    "CheckoutLink": "._questions",
    "Session": "._questions",
    "checkout_links": "._questions",
    "sessions_by_start_date": "._questions",
}

__all__ = [
    "CHECKOUT_LINKS_QUERY",
    "CORE_PREFIXES",
    "FORMATS",
    "PREFIXES",
    "SESSIONS_QUERY",
    "CheckoutLink",
    "QueryResult",
    "Session",
    "checkout_links",
    "from_graph",
    "query",
    "serialize",
    "sessions_by_start_date",
    "to_graph",
    "to_oxigraph",
]


def to_graph(
    model_or_models: JsonLdNode | Iterable[JsonLdNode],
    *,
    graph: Graph | None = None,
    concepts: bool | Iterable[Scheme] = False,
) -> Graph:
    """The RDF graph of a model, or of many models in one graph.

    The triples are those of the model's JSON-LD (:func:`~openactive_checkout.to_jsonld`):
    the same as pyld's ``to_rdf`` of that document, read by rdflib. Blank nodes of different
    models never merge; nodes with the same ``@id`` do. ``graph`` adds to an existing graph
    (its own prefix bindings are kept); otherwise a new graph is returned with the
    ``schema``, ``oa``, ``beta``, ``imin``, ``pending``, ``skos``, ``dc`` and ``dcat``
    prefixes bound.

    ``concepts`` (opt-in) adds the SKOS triples of the concepts the graph uses: with
    ``True``, of the published schemes (activity list, facility types, accessibility
    support); or of the given :class:`~openactive_checkout.concepts.Scheme` s. Each concept
    found gets its ``rdf:type``, ``skos:prefLabel`` and ``skos:broader`` links, and so do its
    ancestors, so SPARQL can follow ``skos:broader+``.

    Raises :class:`~openactive_checkout.DataError` for a model that has no RDF meaning (a
    relative IRI, a key no context defines), naming the place; a model that fails adds no
    triples.
    """
    from ._graph import add_models, bind_prefixes, new_graph

    if graph is None:
        graph = new_graph()
    else:
        bind_prefixes(graph, override=False)
    graph = add_models(graph, model_or_models)
    if concepts is not False:
        from ._concepts import add_concepts, published_schemes

        add_concepts(graph, published_schemes() if concepts is True else concepts)
    return graph


def from_graph(graph: Graph, root: str | Node | None = None) -> JsonLdNode:
    """Read the node ``root`` of ``graph`` (and everything it links to) into its model.

    ``root`` is an IRI (or an rdflib term); by default the graph's single root node, the one
    subject no triple points to. The node's ``rdf:type`` picks the model class; predicates
    the model does not define are kept as extension properties. ``to_graph(from_graph(g))``
    is isomorphic to ``g`` for every graph ``to_graph`` makes, and for any graph whose
    literals are in rdflib's normal form.

    Raises :class:`~openactive_checkout.DataError` when there is no root, or several (the
    message lists them), or when a value does not fit its model.
    """
    from ._read import read_graph

    return read_graph(graph, root)


def to_oxigraph(model_or_models: JsonLdNode | Iterable[JsonLdNode], *, store: Any = None) -> Any:
    """The same triples as :func:`to_graph`, in a pyoxigraph ``Store`` (extra ``oxigraph``).

    For large feeds: building, querying and serialising are done in Rust. ``store`` adds to
    an existing store (in memory or on disk); models are streamed, a few thousand triples at
    a time. Raises :class:`~openactive_checkout.errors.MissingExtraError` (an ImportError)
    when pyoxigraph is not installed.
    """
    from ._oxigraph import to_oxigraph as build

    return build(model_or_models, store)


def query(source: Graph | Any, sparql: str, *, allow_external: bool = False) -> QueryResult:
    """Run a SPARQL query on an rdflib Graph or a pyoxigraph Store.

    The prefixes of :data:`PREFIXES` and :data:`CORE_PREFIXES` may be used without being
    declared. The result has the same shape (and rdflib terms) whichever engine ran it. A
    query that does not parse or run (including an error met while its results are read) is
    a :class:`~openactive_checkout.DataError`.

    A query only reads ``source``: ``SERVICE`` (an HTTP request to another endpoint) and,
    on an rdflib ``Dataset``, ``FROM``/``FROM NAMED`` naming a graph the dataset does not
    hold (which rdflib would read from that file or URL) are a DataError before anything
    runs, unless ``allow_external=True``.
    """
    from ._query import run_query

    return run_query(source, sparql, allow_external=allow_external)


def serialize(source: Graph | Any, format: str = "turtle") -> str:
    """A graph (or pyoxigraph Store) as text: ``turtle``, ``nt``, ``nquads``, ``jsonld``,
    ``xml`` (RDF/XML) or ``trig`` (see :data:`FORMATS` for the other accepted names).

    N-Quads and TriG put the triples in the default graph; JSON-LD is the expanded form (no
    context to fetch). Every output parses back to the same graph.
    """
    from ._export import serialize as write

    return write(source, format)


def __getattr__(name: str) -> Any:
    """Load what needs rdflib on first use (see ``_LAZY``)."""
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY))
