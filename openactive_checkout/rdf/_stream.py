"""Streaming RDF writers: triples written as they come, one document at a time, so a feed of
any length is converted in constant memory.

Each writer takes batches of rdflib triples (``write``) between a header and a footer
(``close``). Turtle and TriG declare every known prefix once, up front; RDF/XML declares them
on the root element and any other namespace on the property element that needs it; JSON-LD is
the expanded form (full IRIs, no context to fetch), one node object per subject.
"""

from __future__ import annotations

import json
import re
import secrets
from collections.abc import Iterable
from itertools import count
from typing import TextIO
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from ..errors import DataError
from ._names import CORE_PREFIXES, PREFIXES, RDF_TYPE, XSD_STRING

Triples = Iterable[tuple[Node, Node, Node]]

_ALL_PREFIXES = {**CORE_PREFIXES, **PREFIXES}
_IRI_ESCAPES = re.compile(r'[\x00-\x20<>"{}|^`\\]')
_STRING_ESCAPES = {"\\": "\\\\", '"': '\\"', "\n": "\\n", "\r": "\\r"}
_STRING_SPECIAL = re.compile(r'[\\"\n\r\ud800-\udfff]')
_BLANK_LABEL = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_LOCAL_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_-]*")
_XML_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*$")
_XML_FORBIDDEN = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def iri_ref(iri: str) -> str:
    """``<iri>`` with the characters N-Triples forbids written as ``\\uXXXX``."""
    return "<" + _IRI_ESCAPES.sub(lambda m: f"\\u{ord(m.group()):04X}", iri) + ">"


def string(text: str) -> str:
    """A quoted N-Triples string; a lone surrogate (no UTF-8 holds it) as its ``\\uXXXX``."""
    return '"' + _STRING_SPECIAL.sub(_string_escape, text) + '"'


def _string_escape(match: re.Match[str]) -> str:
    char = match.group()
    return _STRING_ESCAPES.get(char) or f"\\u{ord(char):04X}"


_LANGUAGE_TAG = re.compile(r"[a-zA-Z]+(-[a-zA-Z0-9]+)*")


class NTriplesTerms:
    """Terms as N-Triples text: the fastest way from models to N-Triples (no term objects).

    A term factory for the graph builder; vocabulary IRIs and typed literals are cached.
    """

    __slots__ = ("_blank_prefix", "_counter", "_iris", "_typed")

    def __init__(self) -> None:
        self._blank_prefix = "_:b" + secrets.token_hex(6) + "x"
        self._counter = count()
        self._iris: dict[str, str] = {}
        self._typed: dict[tuple[str, str], str] = {}

    def iri(self, value: str) -> str:
        term = self._iris.get(value)
        if term is None:
            term = self._iris[value] = iri_ref(value)
        return term

    def resource(self, value: str) -> str:
        return iri_ref(value)

    def blank(self) -> str:
        return f"{self._blank_prefix}{next(self._counter)}"

    def plain(self, value: str) -> str:
        return string(value)

    def typed(self, lexical: str, datatype: str) -> str:
        key = (lexical, datatype)
        term = self._typed.get(key)
        if term is None:
            term = self._typed[key] = f"{string(lexical)}^^{self.iri(datatype)}"
        return term

    def lang(self, value: str, language: str) -> str:
        if not _LANGUAGE_TAG.fullmatch(language):
            raise DataError(f"{language!r} is not a valid language tag")
        return f"{string(value)}@{language}"


def ntriples(triples: Iterable[tuple[str, str, str]]) -> str:
    """N-Triples lines for triples of :class:`NTriplesTerms` terms."""
    return "".join([f"{s} {p} {o} .\n" for s, p, o in triples])


class _Labels:
    """Blank node labels safe in every syntax (rdflib's own when they already are)."""

    def __init__(self) -> None:
        self.labels: dict[Node, str] = {}

    def __call__(self, node: Node) -> str:
        label = self.labels.get(node)
        if label is None:
            text = str(node)
            label = text if _BLANK_LABEL.fullmatch(text) else f"b{len(self.labels)}x"
            if len(self.labels) > 100_000:  # labels of past documents are never needed again
                self.labels.clear()
            self.labels[node] = label
        return label


class TripleWriter:
    """N-Triples (also valid N-Quads: every triple is in the default graph)."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.label = _Labels()

    def start(self) -> None:
        """Write the header."""

    def write(self, triples: Triples) -> None:
        """Write a batch of triples (a document's)."""
        term = self.term
        self.out.write("".join(f"{term(s)} {term(p)} {term(o)} .\n" for s, p, o in triples))

    def close(self) -> None:
        """Write the footer."""

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return iri_ref(str(node))
        if isinstance(node, BNode):
            return "_:" + self.label(node)
        if isinstance(node, Literal):
            text = string(str(node))
            if node.language:
                return f"{text}@{node.language}"
            if node.datatype is not None and str(node.datatype) != XSD_STRING:
                return f"{text}^^{self.term(node.datatype)}"
            return text
        raise DataError(f"cannot write a {type(node).__name__} as RDF")


class TurtleWriter(TripleWriter):
    """Turtle: the prefixes once, then each subject's triples grouped."""

    def start(self) -> None:
        self.out.write("".join(f"@prefix {p}: <{i}> .\n" for p, i in _ALL_PREFIXES.items()))

    def term(self, node: Node) -> str:
        if isinstance(node, URIRef):
            return self.name(str(node))
        return super().term(node)

    def name(self, iri: str) -> str:
        for prefix, namespace in _ALL_PREFIXES.items():
            if iri.startswith(namespace) and _LOCAL_NAME.fullmatch(iri[len(namespace) :]):
                return f"{prefix}:{iri[len(namespace) :]}"
        return iri_ref(iri)

    def write(self, triples: Triples) -> None:
        self.out.write(self.block(triples))

    def block(self, triples: Triples, indent: str = "") -> str:
        subjects: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in triples:
            subjects.setdefault(s, []).append((p, o))
        term, parts = self.term, []
        for subject, pairs in subjects.items():
            body = f" ;\n{indent}    ".join(
                f"{'a' if str(p) == RDF_TYPE else term(p)} {term(o)}" for p, o in pairs
            )
            parts.append(f"{indent}{term(subject)} {body} .\n")
        return "".join(parts)


class TrigWriter(TurtleWriter):
    """TriG: each document's triples in a default-graph block."""

    def write(self, triples: Triples) -> None:
        self.out.write("{\n" + self.block(triples, "    ") + "}\n")


class JsonLdWriter(TripleWriter):
    """Expanded JSON-LD: one array of node objects, one per subject and document."""

    def start(self) -> None:
        self.out.write("[")
        self.first = True

    def write(self, triples: Triples) -> None:
        nodes: dict[Node, dict[str, list[object]]] = {}
        for s, p, o in triples:
            node = nodes.setdefault(s, {})
            if str(p) == RDF_TYPE and isinstance(o, URIRef):
                node.setdefault("@type", []).append(str(o))
            else:
                node.setdefault(str(p), []).append(self.value(o))
        for subject, node in nodes.items():
            ident = str(subject) if isinstance(subject, URIRef) else "_:" + self.label(subject)
            text = json.dumps({"@id": ident, **node}, ensure_ascii=False)
            self.out.write(("\n" if self.first else ",\n") + text)
            self.first = False

    def value(self, node: Node) -> dict[str, str]:
        if isinstance(node, URIRef):
            return {"@id": str(node)}
        if isinstance(node, BNode):
            return {"@id": "_:" + self.label(node)}
        if isinstance(node, Literal):
            if node.language:
                return {"@value": str(node), "@language": node.language}
            if node.datatype is not None and str(node.datatype) != XSD_STRING:
                return {"@value": str(node), "@type": str(node.datatype)}
            return {"@value": str(node)}
        raise DataError(f"cannot write a {type(node).__name__} as RDF")

    def close(self) -> None:
        self.out.write("\n]\n")


class XmlWriter(TripleWriter):
    """RDF/XML: one ``rdf:Description`` per subject and document."""

    def start(self) -> None:
        names = "".join(f"\n   xmlns:{p}={quoteattr(i)}" for p, i in _ALL_PREFIXES.items())
        self.out.write(f'<?xml version="1.0" encoding="utf-8"?>\n<rdf:RDF{names}>\n')

    def write(self, triples: Triples) -> None:
        subjects: dict[Node, list[tuple[Node, Node]]] = {}
        for s, p, o in triples:
            subjects.setdefault(s, []).append((p, o))
        parts = []
        for subject, pairs in subjects.items():
            about = (
                f"rdf:about={quoteattr(str(subject))}" if isinstance(subject, URIRef)
                else f'rdf:nodeID="{self.label(subject)}"'
            )  # fmt: skip
            parts.append(f"  <rdf:Description {about}>\n")
            parts += [self.property(str(p), o) for p, o in pairs]
            parts.append("  </rdf:Description>\n")
        self.out.write("".join(parts))

    def close(self) -> None:
        self.out.write("</rdf:RDF>\n")

    def property(self, predicate: str, obj: Node) -> str:
        element, declare = self.qname(predicate)
        if isinstance(obj, URIRef):
            return f"    <{element}{declare} rdf:resource={quoteattr(str(obj))}/>\n"
        if isinstance(obj, BNode):
            return f'    <{element}{declare} rdf:nodeID="{self.label(obj)}"/>\n'
        text = str(obj)
        if _XML_FORBIDDEN.search(text):
            raise DataError(f"the literal {text!r} has characters XML cannot hold")
        attributes = declare
        if isinstance(obj, Literal) and obj.language:
            attributes += f" xml:lang={quoteattr(obj.language)}"
        elif (
            isinstance(obj, Literal)
            and obj.datatype is not None
            and str(obj.datatype) != XSD_STRING
        ):
            attributes += f" rdf:datatype={quoteattr(str(obj.datatype))}"
        # A raw carriage return would read back as a line feed (XML end-of-line handling).
        return f"    <{element}{attributes}>{escape(text, {chr(13): '&#13;'})}</{element}>\n"

    def qname(self, iri: str) -> tuple[str, str]:
        """(element name, namespace declaration to add) for a property IRI."""
        for prefix, namespace in _ALL_PREFIXES.items():
            local = iri[len(namespace) :]
            if iri.startswith(namespace) and _XML_NAME.match(local):
                return f"{prefix}:{local}", ""
        match = re.search(r"[A-Za-z_][A-Za-z0-9_.-]*$", iri)
        if match is None or match.start() == 0:
            raise DataError(f"the property {iri!r} cannot be written in RDF/XML")
        namespace = iri[: match.start()]
        return f"ns0:{match.group()}", f" xmlns:ns0={quoteattr(namespace)}"


WRITERS: dict[str, type[TripleWriter]] = {
    "nt": TripleWriter,
    "nquads": TripleWriter,
    "turtle": TurtleWriter,
    "trig": TrigWriter,
    "jsonld": JsonLdWriter,
    "xml": XmlWriter,
}
