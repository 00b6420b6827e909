"""The optional Oxigraph backend (``pip install openactive-checkout[oxigraph]``).

The same builder as for rdflib, with pyoxigraph terms: the triples are identical (same IRIs,
same lexical forms), stored in a pyoxigraph ``Store`` (Rust, in memory or on disk), queried
and serialised natively.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

from .._optional import require
from ..errors import DataError
from ..jsonld._base import JsonLdNode
from ._build import GraphBuilder
from ._extras import with_path

BATCH_TEXT = 4_000_000
"""Characters of N-Triples loaded into a store per transaction."""


def pyoxigraph() -> Any:
    """The pyoxigraph module, or MissingExtraError (an ImportError) saying how to install it."""
    return require("pyoxigraph", extra="oxigraph")


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
        try:
            return self._literal(value)
        except ValueError:
            raise _not_unicode(value) from None

    def typed(self, lexical: str, datatype: str) -> Any:
        key = (lexical, datatype)
        term = self._typed.get(key)
        if term is None:
            try:
                term = self._literal(lexical, datatype=self.iri(datatype))
            except ValueError:
                raise _not_unicode(lexical) from None
            self._typed[key] = term
        return term

    def lang(self, value: str, language: str) -> Any:
        if _SURROGATE.search(value):
            raise _not_unicode(value)
        try:
            return self._literal(value, language=language)
        except ValueError:
            raise DataError(f"{language!r} is not a valid language tag") from None


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _not_unicode(value: str) -> DataError:
    """The literal Oxigraph refuses: text holding a lone surrogate (not a character)."""
    return DataError(
        f"the literal {value[:80]!r} holds a lone surrogate, which Oxigraph cannot hold"
    )


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
    """See :func:`openactive_checkout.graph.to_oxigraph`.

    The triples are handed over as N-Triples text (built without term objects) and parsed by
    Oxigraph, in transactions of a few megabytes: faster than making pyoxigraph terms one by
    one. A model that fails adds nothing; the models before it are in the store.
    """
    from ._stream import NTriplesTerms, ntriples

    ox = pyoxigraph()
    if store is None:
        store = ox.Store()
    elif not is_store(store):
        raise DataError(f"expected a pyoxigraph Store, not {type(store).__name__}")
    single = isinstance(models, JsonLdNode)
    items: Iterable[JsonLdNode] = [models] if isinstance(models, JsonLdNode) else models
    builder = GraphBuilder(NTriplesTerms())
    batch: list[tuple[int, str]] = []
    size = 0
    try:
        for index, model in enumerate(items):
            try:
                text = ntriples(builder.triples(model))
            except DataError as exc:
                raise exc if single else with_path(exc, index) from None
            batch.append((index, text))
            size += len(text)
            if size >= BATCH_TEXT:
                load_ntriples(store, batch, single=single)
                batch, size = [], 0
    finally:
        load_ntriples(store, batch, single=single)
    return store


def load_ntriples(
    store: Any,
    batch: list[tuple[int, str]],
    *,
    single: bool = False,
    on_error: Callable[[int, DataError], None] | None = None,
) -> None:
    """Load the N-Triples of several models (index, text) in one transaction. If Oxigraph
    refuses them (an IRI it does not accept), load them one by one: a refused model is a
    DataError naming its index, or is passed to ``on_error`` and the rest go on."""
    if not batch:
        return
    n_triples = pyoxigraph().RdfFormat.N_TRIPLES
    try:
        store.load("".join(text for _, text in batch), format=n_triples)
        return
    except (SyntaxError, ValueError):
        pass
    for index, text in batch:
        try:
            store.load(text, format=n_triples)
        except (SyntaxError, ValueError) as exc:
            message = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            error = DataError(
                f"Oxigraph does not accept these triples: {message}",
                path=() if single else (index,),
            )
            if on_error is None:
                raise error from None
            on_error(index, error)
