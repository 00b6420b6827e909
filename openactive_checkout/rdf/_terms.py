"""RDF terms for the graph builders: namespaces, JSON-LD's literal rules, term factories.

Literals follow JSON-LD 1.1's toRdf algorithm as pyld implements it (``true`` is
``xsd:boolean``, integral numbers below 10^21 are ``xsd:integer``, every other number is an
``xsd:double``, strings are plain literals), written in the lexical form rdflib gives a
literal it parses with its default settings ("1.05E1"^^xsd:double, pyld's canonical form,
reads as "10.5"). So a graph built here is equal, triple for triple, to rdflib's parse of
pyld's N-Quads; and since every literal is built with an explicit ``normalize`` argument,
``rdflib.NORMALIZE_LITERALS`` (which pySHACL flips while it runs) never changes the result.

A term factory makes the terms of one RDF library (rdflib here, pyoxigraph in
``_oxigraph``) from strings, so one builder serves every backend.
"""

from __future__ import annotations

import math
import re
import secrets
from functools import lru_cache
from itertools import count
from typing import Generic, Protocol, TypeVar

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import DataError
from ._names import (
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
)

_NOT_IN_IRI = re.compile(r'[\x00-\x20<>"{}|^`\\\x7f-\x9f\ud800-\udfff]')
"""What no IRI may hold (RFC 3987; the N-Triples ``IRIREF`` rule): controls, space,
``<>"{}|^`\\`` and (not being characters) lone surrogates."""


def checked_iri(iri: str) -> str:
    """``iri``, if it holds nothing an IRI may not; else DataError naming the character."""
    bad = _NOT_IN_IRI.search(iri)
    if bad is not None:
        shown = repr(iri if len(iri) <= 200 else iri[:200] + "...")
        raise DataError(
            f"{shown} is not an IRI: it holds {bad.group()!r} (U+{ord(bad.group()):04X}), "
            "which no IRI may contain"
        )
    return iri


T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class TermFactory(Protocol[T_co]):
    """Makes the RDF terms of one library from strings (lexical forms already final)."""

    def iri(self, value: str) -> T_co:
        """A named node from the vocabulary (predicates, types, datatypes: may be cached)."""
        ...

    def resource(self, value: str) -> T_co:
        """A named node for a node's ``@id`` or an ``@id``-coerced value."""
        ...

    def blank(self) -> T_co:
        """A fresh blank node."""
        ...

    def plain(self, value: str) -> T_co:
        """A plain (``xsd:string``) literal."""
        ...

    def typed(self, lexical: str, datatype: str) -> T_co:
        """A literal with a datatype other than ``xsd:string`` and ``rdf:langString``."""
        ...

    def lang(self, value: str, language: str) -> T_co:
        """A language-tagged string."""
        ...


Triple = tuple[T, T, T]

_CACHE_LIMIT = 50_000


class RdflibTerms:
    """rdflib terms; vocabulary IRIs and typed literals are cached (terms are immutable)."""

    __slots__ = ("_blank_prefix", "_counter")

    def __init__(self) -> None:
        # Blank node labels unique to this factory: a random prefix and a counter (cheaper
        # than rdflib's own uuid per node, and never equal to another graph's labels).
        self._blank_prefix = "b" + secrets.token_hex(6) + "x"
        self._counter = count()

    def iri(self, value: str) -> Node:
        term = _IRIS.get(value)
        if term is None:
            if len(_IRIS) >= _CACHE_LIMIT:
                _IRIS.clear()
            term = _IRIS[value] = URIRef(value)
        return term

    def resource(self, value: str) -> Node:
        return URIRef(value)

    def blank(self) -> Node:
        return BNode(f"{self._blank_prefix}{next(self._counter)}")

    def plain(self, value: str) -> Node:
        return Literal(value, normalize=False)

    def typed(self, lexical: str, datatype: str) -> Node:
        key = (lexical, datatype)
        term = _TYPED.get(key)
        if term is None:
            if len(_TYPED) >= _CACHE_LIMIT:
                _TYPED.clear()
            term = _TYPED[key] = Literal(lexical, datatype=URIRef(datatype), normalize=False)
        return term

    def lang(self, value: str, language: str) -> Node:
        try:
            return Literal(value, lang=language, normalize=False)
        except ValueError:
            raise DataError(f"{language!r} is not a valid language tag") from None


_IRIS: dict[str, Node] = {}
_TYPED: dict[tuple[str, str], Node] = {}


class Literals(Generic[T]):
    """JSON values to literals of one factory, by JSON-LD's rules (see the module docstring)."""

    __slots__ = ("factory", "false", "true")

    def __init__(self, factory: TermFactory[T]) -> None:
        self.factory = factory
        self.true = factory.typed("true", XSD_BOOLEAN)
        self.false = factory.typed("false", XSD_BOOLEAN)

    def number(self, value: int | float) -> T:
        """A JSON number or boolean as JSON-LD turns it into RDF."""
        if value is True:
            return self.true
        if value is False:
            return self.false
        lexical, datatype = number_lexical(value)
        return self.factory.typed(lexical, datatype)

    def value_object(self, value: object, datatype: str | None) -> T:
        """A value object's ``@value`` (and expanded ``@type``) as a literal."""
        lexical, datatype = value_object_lexical(value, datatype)
        if datatype == XSD_STRING:
            return self.factory.plain(lexical)
        return self.factory.typed(normal_lexical(lexical, datatype), datatype)


def number_lexical(value: int | float) -> tuple[str, str]:
    """(lexical form, datatype) of a JSON number (not a boolean)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            raise DataError(f"{value} is not a JSON number")
        if not value.is_integer() or abs(value) >= 1e21:
            return double_lexical(value), XSD_DOUBLE
        return str(int(value)), XSD_INTEGER
    if abs(value) >= 10**21:
        return double_lexical(as_double(value)), XSD_DOUBLE
    return str(value), XSD_INTEGER


def as_double(value: int | float) -> float:
    """A number as the double JSON-LD writes it; DataError when it has none (an integer
    beyond the largest double: pyld fails on it, and ``INF`` would change its meaning)."""
    try:
        return float(value)
    except OverflowError:
        raise DataError(
            f"the integer {_digits(value)} is too large for an xsd:double (at most about 1.8E308)"
        ) from None


def _digits(value: int | float) -> str:
    sign = "-" if value < 0 else ""
    try:
        text = str(abs(value))
    except ValueError:  # more digits than Python writes (sys.get_int_max_str_digits)
        return f"{sign}{int(abs(value)).bit_length()}-bit integer"
    return f"{sign}{text[:12]}...({len(text)} digits)" if len(text) > 30 else sign + text


def value_object_lexical(value: object, datatype: str | None) -> tuple[str, str]:
    """(lexical form before normalisation, datatype) for ``{"@value": value, "@type": ...}``,
    following pyld's ``_object_to_rdf`` step by step."""
    if isinstance(value, bool):
        return ("true" if value else "false"), datatype or XSD_BOOLEAN
    if isinstance(value, float) and not value.is_integer():
        if not math.isfinite(value):
            raise DataError(f"{value} is not a JSON number")
        return pyld_double(value), datatype or XSD_DOUBLE
    if datatype == XSD_DOUBLE:
        try:
            as_float = float(value)  # type: ignore[arg-type]
        except (TypeError, ValueError):
            if not isinstance(value, str):
                raise DataError(f"{value!r} cannot be a literal") from None
            return value, XSD_DOUBLE
        except OverflowError:
            as_float = as_double(value)  # type: ignore[arg-type]
        return pyld_double(as_float), XSD_DOUBLE
    if isinstance(value, int | float):
        if abs(value) >= 1e21:
            return pyld_double(as_double(value)), datatype or XSD_DOUBLE
        return str(int(value)), datatype or XSD_INTEGER
    if isinstance(value, str):
        return value, datatype or XSD_STRING
    raise DataError(f"{value!r} cannot be a literal")


_DOUBLE_EXPONENT = re.compile(r"(\d)0*E\+?(-)?0*(\d)")


def pyld_double(value: float) -> str:
    """pyld's canonical ``xsd:double`` lexical form (``1.05E1``)."""
    return _DOUBLE_EXPONENT.sub(r"\1E\2\3", f"{value:1.15E}")


@lru_cache(maxsize=8192)
def double_lexical(value: float) -> str:
    """The lexical form of a JSON number that JSON-LD makes an ``xsd:double``, as rdflib
    reads pyld's canonical form (``10.5`` for ``1.05E1``)."""
    return normal_lexical(pyld_double(value), XSD_DOUBLE)


@lru_cache(maxsize=8192)
def normal_lexical(lexical: str, datatype: str) -> str:
    """``lexical`` as rdflib normalises a parsed literal of ``datatype`` (by default)."""
    return str(Literal(lexical, datatype=URIRef(datatype), normalize=True))
