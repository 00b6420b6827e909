"""Equivalent JSON-LD encodings of the seed documents: same graph, other spelling.

Each entry is (name, seed name, function building the encoding from the seed document).
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

from pyld import jsonld

from openactive_checkout.jsonld import bundled_context
from openactive_checkout.jsonld import pyld_document_loader as document_loader

Doc = dict[str, Any]
OA = "https://openactive.io/"
IMIN = "https://imin.co/"


def _walk(doc: Any, fn: Callable[[dict[str, Any]], None]) -> Any:
    if isinstance(doc, dict):
        fn(doc)
        for key, value in list(doc.items()):
            if key != "@context":  # rewrite the data, never the context itself
                _walk(value, fn)
    elif isinstance(doc, list):
        for value in doc:
            _walk(value, fn)
    return doc


def _rename(mapping: dict[str, str]) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        def fix(node: dict[str, Any]) -> None:
            for old, new in mapping.items():
                if old in node:
                    items = list(node.items())
                    node.clear()
                    node.update((new if k == old else k, v) for k, v in items)

        return _walk(doc, fix)  # type: ignore[no-any-return]

    return apply


def _retype(mapping: dict[str, str]) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        def fix(node: dict[str, Any]) -> None:
            for key in ("type", "@type"):
                value = node.get(key)
                if isinstance(value, str):
                    node[key] = mapping.get(value, value)
                elif isinstance(value, list):
                    node[key] = [mapping.get(v, v) for v in value]

        return _walk(doc, fix)  # type: ignore[no-any-return]

    return apply


def _context(value: Any) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        doc["@context"] = value
        return doc

    return apply


def _unwrap_single_arrays(doc: Doc) -> Doc:
    def fix(node: dict[str, Any]) -> None:
        for key, value in node.items():
            if key != "@context" and isinstance(value, list) and len(value) == 1:
                node[key] = value[0]

    return _walk(doc, fix)  # type: ignore[no-any-return]


def _value_objects(doc: Doc) -> Doc:
    def fix(node: dict[str, Any]) -> None:
        for key in ("name", "target", "url", "description"):
            if isinstance(node.get(key), str):
                node[key] = {"@value": node[key]}

    return _walk(doc, fix)  # type: ignore[no-any-return]


def _array_types(doc: Doc) -> Doc:
    def fix(node: dict[str, Any]) -> None:
        if isinstance(node.get("type"), str):
            node["type"] = [node["type"]]

    return _walk(doc, fix)  # type: ignore[no-any-return]


def _reversed_keys(doc: Doc) -> Doc:
    def fix(node: dict[str, Any]) -> None:
        items = list(node.items())
        node.clear()
        node.update(reversed(items))

    return _walk(doc, fix)  # type: ignore[no-any-return]


def _graph_wrapper(doc: Doc) -> Doc:
    context = doc.pop("@context")
    return {"@context": context, "@graph": [doc]}


def _inline_openactive(doc: Doc) -> Doc:
    inline = bundled_context(OA)["@context"]
    doc["@context"] = [copy.deepcopy(inline), IMIN]
    return doc


def _nested_context(doc: Doc) -> Doc:
    order = doc.get("imin:initialOrder")
    if isinstance(order, dict):
        order["@context"] = [OA, IMIN]
    return doc


def _expanded(doc: Doc) -> Doc:
    expanded = jsonld.expand(doc, {"documentLoader": document_loader()})
    assert len(expanded) == 1
    return expanded[0]  # type: ignore[no-any-return]


def _compacted_by_pyld(doc: Doc) -> Doc:
    """pyld's own compaction: single values unwrapped, ids made CURIEs where it can."""
    ctx = {"@context": [OA, IMIN]}
    options = {"documentLoader": document_loader()}
    return jsonld.compact(jsonld.expand(doc, options), ctx, options)  # type: ignore[no-any-return]


def _extra_prefix(doc: Doc) -> Doc:
    doc["@context"] = [OA, IMIN, {"sch": "https://schema.org/"}]
    return _rename({"orderedItem": "sch:orderedItem"})(doc)


def _compose(*steps: Callable[[Doc], Doc]) -> Callable[[Doc], Doc]:
    def apply(doc: Doc) -> Doc:
        for step in steps:
            doc = step(doc)
        return doc

    return apply


_KEYWORDS = _rename({"type": "@type", "id": "@id"})
_IRI_KEYS = _rename(
    {
        "imin:initialOrder": "https://imin.co/initialOrder",
        "orderedItem": "https://schema.org/orderedItem",
        "potentialAction": "https://schema.org/potentialAction",
        "broker": "https://schema.org/broker",
        "name": "https://schema.org/name",
        "url": "https://schema.org/url",
        "target": "https://schema.org/target",
        "description": "https://schema.org/description",
    }
)
_CURIE_KEYS = _rename(
    {
        "orderedItem": "schema:orderedItem",
        "potentialAction": "schema:potentialAction",
        "broker": "schema:broker",
        "name": "schema:name",
        "description": "schema:description",
    }
)
_IRI_TYPES = _retype(
    {
        "imin:CheckoutSession": "https://imin.co/CheckoutSession",
        "OrderQuote": "https://openactive.io/OrderQuote",
        "OrderItem": "https://schema.org/OrderItem",
        "ScheduledSession": "https://openactive.io/ScheduledSession",
        "Organization": "https://schema.org/Organization",
        "OrderAction": "https://schema.org/OrderAction",
        "UnavailableOpportunityError": "https://schema.org/UnavailableOpportunityError",
    }
)
_CURIE_TYPES = _retype(
    {
        "OrderQuote": "oa:OrderQuote",
        "OrderItem": "schema:OrderItem",
        "ScheduledSession": "oa:ScheduledSession",
        "Organization": "schema:Organization",
        "OrderAction": "schema:OrderAction",
        "UnavailableOpportunityError": "schema:UnavailableOpportunityError",
    }
)

ALL_SEEDS = ("request", "response", "error")
ENCODINGS: list[tuple[str, tuple[str, ...], Callable[[Doc], Doc]]] = [
    ("keyword-type-and-id", ALL_SEEDS, _KEYWORDS),
    ("contexts-reversed", ALL_SEEDS, _context([IMIN, OA])),
    ("legacy-imin-no-slash", ALL_SEEDS, _context([OA, "https://imin.co"])),
    ("legacy-ns-imin", ALL_SEEDS, _context([OA, "https://ns.imin.co/"])),
    ("legacy-schema-imin", ALL_SEEDS, _context(["https://schema.imin.co/", OA])),
    (
        "imin-via-ns-extension",
        ALL_SEEDS,
        _context([OA, "https://openactive.io/ns-extension", {"imin": IMIN}]),
    ),
    ("duplicate-context-urls", ALL_SEEDS, _context([OA, IMIN, OA])),
    ("openactive-context-inline", ALL_SEEDS, _inline_openactive),
    ("redundant-inline-prefix", ALL_SEEDS, _context([OA, IMIN, {"schema": "https://schema.org/"}])),
    ("single-values-for-arrays", ("request", "response"), _unwrap_single_arrays),
    ("full-iri-keys", ALL_SEEDS, _IRI_KEYS),
    ("curie-keys", ALL_SEEDS, _CURIE_KEYS),
    ("full-iri-types", ALL_SEEDS, _IRI_TYPES),
    ("curie-types", ALL_SEEDS, _CURIE_TYPES),
    ("value-objects", ("response", "error"), _value_objects),
    ("types-as-arrays", ALL_SEEDS, _array_types),
    ("keys-in-reverse-order", ALL_SEEDS, _reversed_keys),
    ("graph-wrapper", ALL_SEEDS, _graph_wrapper),
    ("nested-context", ("request", "response"), _nested_context),
    ("fully-expanded-no-context", ALL_SEEDS, _expanded),
    ("pyld-compacted", ("request", "response"), _compacted_by_pyld),
    ("inline-prefix-used-for-a-key", ("request", "response"), _extra_prefix),
    (
        "everything-at-once",
        ("request", "response"),
        _compose(
            _IRI_TYPES,
            _unwrap_single_arrays,
            _KEYWORDS,
            _value_objects,
            _context(["https://ns.imin.co/", OA]),
            _reversed_keys,
        ),
    ),
    ("curies-and-keywords", ALL_SEEDS, _compose(_CURIE_TYPES, _CURIE_KEYS, _KEYWORDS)),
]


def cases() -> list[tuple[str, str, Callable[[Doc], Doc]]]:
    """(test id, seed name, encoding) for every applicable pair."""
    return [(f"{name}-{seed}", seed, build) for name, seeds, build in ENCODINGS for seed in seeds]
