"""The optional Oxigraph backend (``pip install openactive-checkout[oxigraph]``).

The same builder as for rdflib, with pyoxigraph terms: the triples are identical (same IRIs,
same lexical forms), stored in a pyoxigraph ``Store`` (Rust, in memory or on disk), queried
and serialised natively.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from importlib import import_module
from typing import Any

from ._rdf_build import GraphBuilder
from ._rdf_extras import with_path
from .errors import DataError
from .vocab._base import JsonLdNode

BATCH = 50_000
"""Quads added to a store per transaction."""


def pyoxigraph() -> Any:
    """The pyoxigraph module, or an ImportError saying how to install it."""
    try:
        return import_module("pyoxigraph")
    except ImportError:
        raise ImportError(
            "the Oxigraph backend needs pyoxigraph: pip install 'openactive-checkout[oxigraph]'"
        ) from None


def is_store(value: object) -> bool:
    """Whether ``value`` is a pyoxigraph Store (without importing pyoxigraph)."""
    return type(value).__module__ == "pyoxigraph" and type(value).__name__ == "Store"


class OxigraphTerms:
    """pyoxigraph terms; vocabulary IRIs and typed literals are cached."""

    __slots__ = ("_blank", "_iris", "_literal", "_named", "_typed")

    def __init__(self) -> None:
        ox = pyoxigraph()
        self._named = ox.NamedNode
        self._blank = ox.BlankNode
        self._literal = ox.Literal
        self._iris: dict[str, Any] = {}
        self._typed: dict[tuple[str, str], Any] = {}

    def iri(self, value: str) -> Any:
        term = self._iris.get(value)
        if term is None:
            term = self._iris[value] = self.resource(value)
        return term

    def resource(self, value: str) -> Any:
        try:
            return self._named(value)
        except ValueError as exc:
            raise DataError(f"{value!r} is not an IRI Oxigraph accepts ({exc})") from None

    def blank(self) -> Any:
        return self._blank()

    def plain(self, value: str) -> Any:
        return self._literal(value)

    def typed(self, lexical: str, datatype: str) -> Any:
        key = (lexical, datatype)
        term = self._typed.get(key)
        if term is None:
            term = self._typed[key] = self._literal(lexical, datatype=self.iri(datatype))
        return term

    def lang(self, value: str, language: str) -> Any:
        try:
            return self._literal(value, language=language)
        except ValueError:
            raise DataError(f"{language!r} is not a valid language tag") from None


def term_triples(
    models: Iterable[JsonLdNode], *, single: bool = False
) -> Iterator[tuple[Any, Any, Any]]:
    """(subject, predicate, object) pyoxigraph terms of each model in turn, lazily."""
    builder = GraphBuilder(OxigraphTerms())
    for index, model in enumerate(models):
        try:
            triples = builder.triples(model)
        except DataError as exc:
            raise exc if single else with_path(exc, index) from None
        yield from triples


def iter_triples(models: Iterable[JsonLdNode]) -> Iterator[Any]:
    """pyoxigraph ``Triple`` objects of each model in turn (one model in memory at a time)."""
    make = pyoxigraph().Triple
    for s, p, o in term_triples(models):
        yield make(s, p, o)


def to_oxigraph(models: JsonLdNode | Iterable[JsonLdNode], store: Any = None) -> Any:
    """See :func:`openactive_checkout.graph.to_oxigraph`."""
    ox = pyoxigraph()
    if store is None:
        store = ox.Store()
    elif not is_store(store):
        raise DataError(f"expected a pyoxigraph Store, not {type(store).__name__}")
    single = isinstance(models, JsonLdNode)
    items: Iterable[JsonLdNode] = [models] if isinstance(models, JsonLdNode) else models
    make, batch = ox.Quad, []
    for s, p, o in term_triples(items, single=single):
        batch.append(make(s, p, o))
        if len(batch) >= BATCH:
            store.extend(batch)
            batch = []
    if batch:
        store.extend(batch)
    return store
