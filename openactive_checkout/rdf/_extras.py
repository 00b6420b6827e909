"""Extension properties to triples: compact JSON-LD interpreted under the document's context.

A model keeps the properties it does not define verbatim (``model_extra``), as compact
JSON-LD under the document's ``@context``. :class:`Emitter` turns them into triples the way
JSON-LD's expansion and toRdf would: terms, CURIEs and IRIs as keys, ``@id`` coercion,
``@reverse``, nested node objects, value objects and ``@list``. Whatever it does not model
(language tags, ``@graph``, ``@index``, scoped contexts, a context that is not simple) is
handed to pyld for that node alone, so the result is always what the JSON-LD means.
"""

from __future__ import annotations

import uuid
from typing import Any, Generic, TypeVar

from ..errors import DataError, PathPart
from ..jsonld._context import ActiveContext, is_absolute_iri, resolve_reference
from ..jsonld._writer import _plain
from ._names import RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE
from ._pyld import dataset_triples, pyld_dataset, pyld_expand
from ._terms import Literals, TermFactory, Triple, checked_iri

T = TypeVar("T")

_VALUE_KEYS = frozenset({"@value", "@type"})


class _UnsupportedError(Exception):
    """Something only pyld interprets: the node's extension properties go to pyld."""


def with_path(exc: DataError, *parts: PathPart) -> DataError:
    """The same error, located under ``parts``."""
    return type(exc)(exc.reason, path=(*parts, *exc.path))


class Emitter(Generic[T]):
    """Triples for the JSON-LD of one document (its context, its blank node labels)."""

    def __init__(
        self, factory: TermFactory[T], literals: Literals[T], ctx: ActiveContext, context: Any
    ) -> None:
        self.factory = factory
        self.literals = literals
        self.ctx = ctx
        self.context_value = context
        self.blanks: dict[str, T] = {}
        self.triples: list[Triple[T]] = []

    # -- IRIs ------------------------------------------------------------------------------

    def node_term(self, value: str) -> T:
        """The term for an ``@id`` (or an ``@id``-coerced string) written in the document."""
        if value.startswith("_:"):
            term = self.blanks.get(value)
            if term is None:
                term = self.blanks[value] = self.factory.blank()
            return term
        iri = self.ctx.expand_reference(value)
        if iri is None:
            raise DataError(f"{value!r} is not an IRI")
        if iri.startswith("_:"):
            return self.node_term(iri)
        return self.factory.resource(checked_iri(resolve_reference(iri)))  # relative: as pyld

    def type_iri(self, value: Any) -> str:
        """An ``@type`` value written in the document, expanded."""
        if not isinstance(value, str):
            raise DataError(f"a type must be a string, not {value!r}")
        iri = self.ctx.expand_iri(value, vocab=True)
        if iri is None or iri.startswith("@") or not is_absolute_iri(iri):
            raise DataError(f"the type {value!r} has no IRI under the document's @context")
        return checked_iri(iri)

    # -- extension properties --------------------------------------------------------------

    def extras(self, subject: T, extras: dict[str, Any]) -> None:
        """Triples for a node's extension properties (pyld for what is not modelled here)."""
        mark = len(self.triples)
        try:
            if not self.ctx.simple:
                raise _UnsupportedError
            for key, value in extras.items():
                try:
                    self.property(subject, key, value)
                except DataError as exc:
                    raise with_path(exc, key) from None
        except _UnsupportedError:
            del self.triples[mark:]
            self.with_pyld(subject, extras)

    def property(self, subject: T, key: str, value: Any) -> None:
        if value is None:
            return
        term = self.ctx.resolve_key(key)
        if term is None or term.iri is None:
            raise DataError(
                f"the key {key!r} has no meaning under the document's @context and would be "
                "dropped by any JSON-LD processor"
            )
        iri = term.iri
        if iri == "@reverse":
            self.reverse_block(subject, value)
            return
        if iri[0] == "@" or not term.simple:
            raise _UnsupportedError
        predicate = self.factory.iri(checked_iri(iri))
        add = self.triples.append
        for index, item in enumerate(value if isinstance(value, list) else [value]):
            if item is None:
                continue
            try:
                if term.reverse:
                    add((self.reference(item, term.coerce_id), predicate, subject))
                    continue
                obj = self.object(item, term.coerce_id)
            except DataError as exc:
                raise with_path(exc, index) if isinstance(value, list) else exc from None
            if obj is not None:
                add((subject, predicate, obj))

    def reverse_block(self, subject: T, block: Any) -> None:
        if not isinstance(block, dict):
            raise _UnsupportedError
        for key, value in block.items():
            term = self.ctx.resolve_key(key)
            if term is None or term.iri is None or term.iri[0] == "@" or term.reverse:
                raise _UnsupportedError
            predicate = self.factory.iri(checked_iri(term.iri))
            for item in value if isinstance(value, list) else [value]:
                if item is not None:
                    self.triples.append((self.reference(item, term.coerce_id), predicate, subject))

    def reference(self, item: Any, coerce_id: bool) -> T:
        """The subject a reverse property's value stands for (a node, or a coerced IRI)."""
        if isinstance(item, str) and coerce_id:
            return self.node_term(item)
        if isinstance(item, dict) and not any(
            (t := self.ctx.resolve_key(k)) is not None and t.iri in ("@value", "@list", "@set")
            for k in item
        ):
            node = self.object(item, coerce_id)
            if node is not None:
                return node
        raise _UnsupportedError  # pyld reports the invalid reverse property value

    def object(self, item: Any, coerce_id: bool) -> T | None:
        """The object term for one value of a property (None for a JSON null)."""
        if isinstance(item, str):
            return self.node_term(item) if coerce_id else self.factory.plain(item)
        if isinstance(item, bool | int | float):
            return self.literals.number(item)
        if isinstance(item, dict):
            return self.object_map(item, coerce_id)
        if item is None:
            return None
        if isinstance(item, list):
            raise _UnsupportedError  # an array in an array
        return self.object(_plain(item), coerce_id)  # a model or a scalar given in code

    def object_map(self, obj: dict[str, Any], coerce_id: bool) -> T | None:
        keywords: dict[str, str] = {}
        for key in obj:
            term = self.ctx.resolve_key(key)
            if term is None or term.iri is None:
                raise DataError(
                    f"the key {key!r} has no meaning under the document's @context and would "
                    "be dropped by any JSON-LD processor"
                )
            if term.iri[0] == "@":
                keywords[term.iri] = key
        if "@context" in keywords:
            raise _UnsupportedError
        if "@value" in keywords:
            if set(keywords) - _VALUE_KEYS or len(obj) != len(keywords):
                raise _UnsupportedError  # language, direction, index, or an invalid value object
            value = obj[keywords["@value"]]
            if value is None:
                return None
            if isinstance(value, dict | list):
                raise _UnsupportedError
            datatype = None
            if "@type" in keywords:
                written = obj[keywords["@type"]]
                if written == "@json":
                    raise _UnsupportedError
                datatype = self.type_iri(written)
            return self.literals.value_object(value, datatype)
        if "@list" in keywords:
            if len(obj) != 1:
                raise _UnsupportedError
            return self.list_object(obj[keywords["@list"]], coerce_id)
        if set(keywords) - {"@id", "@type", "@reverse"}:
            raise _UnsupportedError  # @set, @graph, @included, @nest, @index, ...
        return self.node_object(obj, keywords)

    def list_object(self, items: Any, coerce_id: bool) -> T:
        terms: list[T] = []
        for index, item in enumerate(items if isinstance(items, list) else [items]):
            if isinstance(item, list):
                raise _UnsupportedError
            try:
                term = self.object(item, coerce_id)
            except DataError as exc:
                raise with_path(exc, "@list", index) from None
            if term is not None:
                terms.append(term)
        factory = self.factory
        if not terms:
            return factory.iri(RDF_NIL)
        first, rest = factory.iri(RDF_FIRST), factory.iri(RDF_REST)
        head = node = factory.blank()
        add = self.triples.append
        for index, term in enumerate(terms):
            add((node, first, term))
            following = factory.blank() if index + 1 < len(terms) else factory.iri(RDF_NIL)
            add((node, rest, following))
            node = following
        return head

    def node_object(self, obj: dict[str, Any], keywords: dict[str, str]) -> T:
        id_key = keywords.get("@id")
        type_key = keywords.get("@type")
        if id_key is not None:
            written = obj[id_key]
            if not isinstance(written, str):
                raise DataError(f"an @id must be a string, not {written!r}", path=(id_key,))
            try:
                subject = self.node_term(written)
            except DataError as exc:
                raise with_path(exc, id_key) from None
        else:
            subject = self.factory.blank()
        if type_key is not None:
            rdf_type = self.factory.iri(RDF_TYPE)
            written_types = obj[type_key]
            for written in written_types if isinstance(written_types, list) else [written_types]:
                try:
                    iri = self.type_iri(written)
                except DataError as exc:
                    raise with_path(exc, type_key) from None
                self.triples.append((subject, rdf_type, self.factory.iri(iri)))
        for key, value in obj.items():
            if key in (id_key, type_key):
                continue
            try:
                self.property(subject, key, value)
            except DataError as exc:
                raise with_path(exc, key) from None
        return subject

    # -- pyld ------------------------------------------------------------------------------

    def with_pyld(self, subject: T, extras: dict[str, Any]) -> None:
        """The extension properties of one node, through pyld's toRdf (the node itself
        stands in as a fresh IRI, replaced by its term afterwards).

        pyld relabels blank nodes, so a label the document also uses elsewhere (``_:p``)
        would become a second node: in pyld's expansion of the properties every blank node
        identifier is replaced by a stand-in IRI mapped back to the document's own node."""
        marker = f"urn:uuid:{uuid.uuid4()}"
        subject_id = marker + ":node"
        document: dict[str, Any] = {"@context": self.context_value, "@id": subject_id}
        for key, value in extras.items():
            if value is not None:
                document[key] = _plain(value)
        named: dict[str, T] = {subject_id: subject}
        expanded = pyld_expand(document)
        labels = _stand_in_blank_nodes(expanded, marker + ":blank:")
        for label, stand_in in labels.items():
            named[stand_in] = self.node_term(label)
        self.triples.extend(dataset_triples(pyld_dataset(expanded), self.factory, named))


def _stand_in_blank_nodes(expanded: Any, prefix: str) -> dict[str, str]:
    """Replace, in place, every blank node identifier of an expanded document (node ids and
    node types; value objects are left alone) by ``prefix`` + a number; the labels found ->
    their stand-ins. Walked without recursion."""
    labels: dict[str, str] = {}

    def stand_in(label: Any) -> Any:
        if not (isinstance(label, str) and label.startswith("_:")):
            return label
        found = labels.get(label)
        if found is None:
            found = labels[label] = f"{prefix}{len(labels)}"
        return found

    stack: list[Any] = [expanded]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            if "@value" in item:
                continue
            if "@id" in item:
                item["@id"] = stand_in(item["@id"])
            types = item.get("@type")
            if isinstance(types, list):
                item["@type"] = [stand_in(t) for t in types]
            stack.extend(v for k, v in item.items() if k not in ("@id", "@type"))
    return labels
