"""Extension properties looked up in their namespace documents, as the official validator's
graph helper (``GraphHelper.isPropertyInClass``) does when it runs online.

A namespace document (``https://openactive.io/ns-beta``, ``https://imin.co/``, a
publisher's own) lists term definitions: ``{"@id": "beta:distance", "@type": "Property",
"domainIncludes": ["schema:Event"], "supersededBy": ...}``. A property is *found* when an item
that is not a class has it as ``@id``; it is then in the node's *domain* when one of its
``domainIncludes`` (or ``rdfs:domain``) is the node's class or one of that class's
ancestors. Names are compared in all their spellings (CURIE, full IRI, alias) against the
document's own context merged over OpenActive's, exactly as the validator compares them.

The class ancestry of each OpenActive model (through the OpenActive graph and schema.org's
vocabulary, which only the generator reads) is part of the generated requirement data
(``classGraphs``); a namespace document's own ``rdfs:Class`` definitions come first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from ._js import js_truthy
from ._terms import MISSING, Qualified, qualify

RDFS = "http://www.w3.org/2000/01/rdf-schema#"

FOUND = 1
NOT_FOUND = 2
NOT_IN_DOMAIN = 3
DOMAIN_NOT_FOUND = 4

_DEPTH_LIMIT = 64


@dataclass(frozen=True)
class Lookup:
    """The answer for one (property, class): a code above, the term that supersedes the
    property (when found and superseded), the domains (when not in them)."""

    code: int
    superseded_by: Any = None
    domains: tuple[str, ...] = ()


def merge_graph_context(value: Any) -> dict[str, Any]:
    """A document's ``@context`` flattened as the graph helper flattens it."""
    merged: dict[str, Any] = {}
    if isinstance(value, list):
        for part in value:
            if isinstance(part, dict):
                merged.update(part)
    elif isinstance(value, dict):
        merged.update(value)
    return merged


class GraphSpec:
    """One document of term definitions (a namespace document, OpenActive's graph,
    schema.org's vocabulary) as the validator's graph helper reads it."""

    def __init__(self, doc: Any, oa_context: Mapping[str, Any]) -> None:
        self.has_context = isinstance(doc, dict) and "@context" in doc
        own = merge_graph_context(doc.get("@context")) if isinstance(doc, dict) else {}
        self.context: dict[str, Any] = {**oa_context, **own}
        self._qualified: dict[str, Qualified] = {}
        self._lookups: dict[tuple[str, str], Lookup] = {}
        self.items = self._items(doc)

    def _items(self, doc: Any) -> list[Any]:
        if isinstance(doc, list):
            return list(doc)
        if not isinstance(doc, dict):
            return []
        if "@graph" not in doc:
            return [value for key, value in doc.items() if not key.startswith("@")]
        graph = doc["@graph"]
        if isinstance(graph, list):
            return graph
        items: list[Any] = []
        if isinstance(graph, dict) and isinstance(graph.get("@context"), dict):
            for key, definition in graph["@context"].items():
                if not isinstance(definition, dict) or "@reverse" not in definition:
                    continue
                reverse = definition["@reverse"]
                if not isinstance(reverse, str):
                    continue
                prop = self.q(reverse)
                if (
                    prop.namespace == RDFS
                    and prop.label == "isDefinedBy"
                    and isinstance(graph.get(key), list)
                ):
                    items.extend(graph[key])
        return items

    def q(self, value: str) -> Qualified:
        found = self._qualified.get(value)
        if found is None:
            found = qualify(value, self.context)
            self._qualified[value] = found
        return found

    def get(self, item: Any, field: str) -> Any:
        """``item``'s value for ``field`` in any spelling (MISSING when absent)."""
        if not isinstance(item, dict):
            return MISSING
        if field in item:
            return item[field]
        if not self.has_context:
            return MISSING
        prop = self.q(field)
        for key in (
            prop.alias,
            f"{prop.prefix}:{prop.label}" if prop.prefix is not None else None,
            f"{prop.namespace}{prop.label}" if prop.namespace is not None else None,
        ):
            if key is not None and key in item:
                return item[key]
        return MISSING

    def equal(self, supplied: Any, field: str) -> bool:
        """Whether ``supplied`` (a value in the document) is a spelling of ``field``."""
        if not self.has_context:
            return supplied == field and isinstance(supplied, str)
        if not isinstance(supplied, str):
            return False
        prop = self.q(field)
        return (
            (prop.alias is not None and prop.alias == supplied)
            or (prop.prefix is not None and f"{prop.prefix}:{prop.label}" == supplied)
            or (prop.namespace is not None and f"{prop.namespace}{prop.label}" == supplied)
        )

    def find_class(self, class_id: str) -> tuple[str, str | None] | None:
        """The class ``class_id`` defined here: (its IRI, its parent class id), or None."""
        wanted = self.q(class_id)
        for item in self.items:
            kind = self.get(item, "@type")
            if not isinstance(kind, str):
                continue
            item_id = self.get(item, "@id")
            if not isinstance(item_id, str):
                continue
            kind_q, id_q = self.q(kind), self.q(item_id)
            if (
                kind_q.namespace == RDFS
                and kind_q.label == "Class"
                and id_q.namespace is not None
                and id_q.label is not None
                and id_q.namespace == wanted.namespace
                and id_q.label == wanted.label
            ):
                parent = self.get(item, f"{RDFS}subClassOf")
                if isinstance(parent, dict):
                    parent = self.get(parent, "@id")
                return f"{wanted.namespace}{wanted.label}", parent if isinstance(
                    parent, str
                ) else None
        return None

    def class_graph(
        self, class_id: str, known: Mapping[str, list[str]], depth: int = 0
    ) -> list[str]:
        """``class_id`` and its ancestors: from this document's classes first, else from
        ``known`` (the OpenActive and schema.org ancestry, by class id)."""
        if depth > _DEPTH_LIMIT:
            return []
        hit = self.find_class(class_id)
        if hit is None:
            return list(known.get(class_id, ()))
        full, parent = hit
        return [full, *(self.class_graph(parent, known, depth + 1) if parent else [])]

    def lookup(self, field: str, class_id: str, known: Mapping[str, list[str]]) -> Lookup:
        """Whether the property ``field`` is defined here for a node of ``class_id``."""
        key = (field, class_id)
        found = self._lookups.get(key)
        if found is None:
            found = self._lookup(field, class_id, known)
            self._lookups[key] = found
        return found

    def _lookup(self, field: str, class_id: str, known: Mapping[str, list[str]]) -> Lookup:
        classes = self.class_graph(class_id, known)
        for item in self.items:
            kind = self.get(item, "@type")
            if (kind is MISSING or not self.equal(kind, "rdfs:Class")) and self.equal(
                self.get(item, "@id"), field
            ):
                return self._property(item, classes)
        return Lookup(NOT_FOUND)

    def _property(self, item: Any, classes: list[str]) -> Lookup:
        superseded = self.get(item, "schema:supersededBy")
        superseded = superseded if js_truthy(superseded) and superseded is not MISSING else None
        includes = self.get(item, "schema:domainIncludes")
        if includes is MISSING:
            includes = self.get(item, "rdfs:domain")
        if includes is MISSING:
            return Lookup(FOUND, superseded)
        if not classes:
            return Lookup(DOMAIN_NOT_FOUND)
        domains: list[str] = []
        for include in includes if isinstance(includes, list) else [includes]:
            include_id = self.get(include, "@id") if isinstance(include, dict) else include
            if not isinstance(include_id, str):
                continue
            prop = self.q(include_id)
            if prop.namespace:
                domains.append(f"{prop.namespace}{prop.label}")
            elif prop.prefix:
                domains.append(f"{prop.prefix}:{prop.label}")
            else:
                domains.append(include_id)
            if any(self.equal(include_id, cls) for cls in classes):
                return Lookup(FOUND, superseded)
        if domains:
            return Lookup(NOT_IN_DOMAIN, domains=tuple(domains))
        return Lookup(FOUND, superseded)
