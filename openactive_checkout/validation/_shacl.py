"""The SHACL engine: pySHACL with the bundled shapes, plus the JSON-level rules.

For a batch of documents in one mode:

1. the JSON-level pass runs the native rules, leaving out the checks the shapes make
   (:func:`covered`: required and forbidden properties, allowed values, formats, currencies,
   ranges on objects whose class decides their model);
2. each document becomes RDF in one shared data graph: every JSON object is its own node
   (``urn:x-oacheck:<document>:<n>``, so nothing merges across objects and every result maps
   back to a JSON path), typed with its model's class IRI;
3. pySHACL validates the data graph once against the mode's shapes graph, which is parsed
   once per mode and reused;
4. each result is mapped back to an :class:`Issue` at the JSON path of its object.

The verdict is the native engine's on every document of the agreement corpus (a test
proves it); the shapes are also usable on their own by other RDF tools.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.namespace import RDF, SH, XSD

from .._optional import require
from ..errors import PathPart
from ..jsonld._context import document_loader, is_absolute_iri
from ._engine import Check, walk
from ._formats import is_time_with_offset
from ._issues import Issue
from ._js import js_float
from ._node import Node
from ._registry import CODES
from ._remote import ValidationDocuments
from ._shape_files import _shape_text, shape_file_names
from ._shapes import (
    ANNOTATIONS,
    CURRENCY,
    FORMAT_CODES,
    GENERAL,
    NOT_SHAPED_FIELDS,
    RANGES,
    SKIPPED_MODELS,
    TIME_CODES,
    allowed_values,
    class_iri,
    shape_context,
)
from ._spec import FieldSpec, spec
from ._terms import MISSING
from ._typing import TIME

NODE_PREFIX = "urn:x-oacheck:"
_CODE = URIRef(ANNOTATIONS + "code")
_FIELD = URIRef(ANNOTATIONS + "field")


# -- what the shapes check -----------------------------------------------------------------


def _visible(value: Any, *, arrays: bool) -> bool:
    """Whether RDF sees the value as the JSON-level rule does (no ``null``, no ``[]``)."""
    if value is None or value is MISSING or value == []:
        return False
    if isinstance(value, list):
        return arrays and all(v is not None and not isinstance(v, list) for v in value)
    return True


def _typed(node: Node, profile: str) -> bool:
    """The node's model comes from its own ``@type`` (so its RDF class selects the shapes)."""
    model = node.model
    if not model.has_spec or not model.is_json_ld or model.type in SKIPPED_MODELS:
        return False
    if not isinstance(node.value, dict):
        return False
    kind = node.spec.terms.field(node.value, "@type")
    return kind is not MISSING and node.spec.model_for_type(kind, profile) is model


def _kept_key(key: str, profile: str) -> bool:
    """Whether the RDF copy keeps a property (:class:`_Copier`: not a keyword or alias,
    and a plain term with an absolute IRI)."""
    if not key or key.startswith("@") or key in ("id", "type"):
        return False
    term = shape_context(profile).resolve_key(key)
    return (
        term is not None
        and term.iri is not None
        and is_absolute_iri(term.iri)
        and not term.reverse
        and term.simple
    )


def _in_rdf(node: Node, profile: str) -> bool:
    """Whether the node is in the RDF copy (every key on its way from the root is kept)."""
    current: Node | None = node
    while current is not None and current.parent is not None:
        if not _kept_key(current.name, profile):
            return False
        current = current.parent
    return True


def _can_inherit(node: Node) -> bool:
    if any("inheritsFrom" in f for f in node.model.raw_fields.values()):
        return True
    parent = node.parent
    if parent is None:
        return False
    link = parent.model.raw_fields.get(node.name)
    return link is not None and "inheritsTo" in link


def _field_of(node: Node, key: PathPart) -> FieldSpec | None:
    return node.model.field(key) if isinstance(key, str) else None


def covered(mode: str, profile: str, code: str, node: Node, key: PathPart) -> bool:
    """Whether the shapes check ``code`` for property ``key`` of ``node`` (so the JSON-level
    pass leaves it out, and a SHACL result for it stands)."""
    if code not in SHAPED_CODES or not isinstance(key, str) or not _typed(node, profile):
        return False
    if not _in_rdf(node, profile):
        return False
    model = node.model
    if code == "required-field-missing":
        requirements = model.requirements(mode, node.name)
        return (
            key not in NOT_SHAPED_FIELDS
            and requirements.required == model.requirements(mode, GENERAL).required
            and not _can_inherit(node)
            and shape_context(profile).resolve_key(key) is not None
        )
    field = _field_of(node, key)
    if field is None or field.name in NOT_SHAPED_FIELDS:
        return False
    value = node.get(key)
    if code == "field-not-allowed-in-mode":
        requirements = model.requirements(mode, node.name)
        return requirements.shall_not_include == model.requirements(
            mode, GENERAL
        ).shall_not_include and _visible(value, arrays=True)
    if code == "value-not-allowed":
        return (
            allowed_values(node.spec, field) is not None
            and len(field.possible_types) <= 1
            # an array where one value is expected is the JSON-level `value-is-array`
            and _visible(value, arrays=field.can_be_array)
        )
    if not _visible(value, arrays=False):
        return False
    if code in _CODE_KIND:
        return field.is_only_type(_CODE_KIND[code])
    if code == "invalid-currency":
        return field.same_as == CURRENCY
    if code in ("invalid-latitude", "invalid-longitude"):
        return model.type == "GeoCoordinates" and field.name in RANGES
    if code == "below-minimum":
        numeric = isinstance(value, int | float) and not isinstance(value, bool)
        return numeric and "minValueInclusive" in field.data
    return False


_CODE_KIND = {code: kind for kind, code in FORMAT_CODES.items()} | dict.fromkeys(TIME_CODES, TIME)
SHAPED_CODES = frozenset(
    {
        "required-field-missing",
        "field-not-allowed-in-mode",
        "value-not-allowed",
        *FORMAT_CODES.values(),
        *TIME_CODES,
        "invalid-currency",
        "invalid-latitude",
        "invalid-longitude",
        "below-minimum",
    }
)


# -- shapes ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Shapes:
    """A mode's shapes graph, parsed once, with the annotations of its property shapes."""

    graph: Graph
    codes: dict[Any, tuple[str, str]]


@lru_cache(maxsize=32)
def shapes_for(mode: str) -> Shapes:
    """The parsed shapes graph of ``mode`` (parsed once, then reused)."""
    graph = Graph()
    for name in shape_file_names(mode):
        graph.parse(data=_shape_text(name), format="turtle")
    codes = {
        shape: (str(code), str(graph.value(shape, _FIELD)))
        for shape, code in graph.subject_objects(_CODE)
    }
    return Shapes(graph, codes)


# -- data ------------------------------------------------------------------------------------


class _Copier:
    """Builds the RDF-ready copy of one document (see the module docstring)."""

    def __init__(self, document_index: int, nodes: dict[int, Node], profile: str) -> None:
        self.prefix = f"{NODE_PREFIX}{document_index}:"
        self.nodes = nodes
        self.profile = profile
        self.context = shape_context(profile)
        self.iris: dict[str, Node] = {}
        self.count = 0

    def node(self, value: dict[str, Any]) -> dict[str, Any]:
        iri = f"{self.prefix}{self.count}"
        self.count += 1
        out: dict[str, Any] = {"@id": iri}
        native = self.nodes.get(id(value))
        if native is not None:
            self.iris[iri] = native
            if _typed(native, self.profile):
                target = class_iri(native.model, self.profile)
                if target is not None:
                    out["@type"] = target
        for key, item in value.items():
            if not _kept_key(key, self.profile):
                continue
            term = self.context.resolve_key(key)
            assert term is not None
            assert term.iri is not None
            converted = self.value(item)
            if converted is not None:
                out[term.iri if not term.coerce_id else key] = converted
        return out

    def value(self, item: Any) -> Any:
        if isinstance(item, dict):
            if "@value" in item:
                inner = item["@value"]
                ok = isinstance(inner, str | int | float | bool)
                return {"@value": _js_number(inner)} if ok else None
            return self.node(item)
        if isinstance(item, list):
            flat = [self.value(v) for v in _flatten(item)]
            return [v for v in flat if v is not None]
        return _js_number(item)


def _js_number(value: Any) -> Any:
    """An integer beyond the largest double as JavaScript holds it (``Infinity``): pyld
    cannot turn such an integer into RDF."""
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**21:
        return js_float(value)
    return value


def _flatten(items: list[Any]) -> Iterable[Any]:
    for item in items:
        if isinstance(item, list):
            yield from _flatten(item)
        else:
            yield item


_NOT_IN_IRI = frozenset('<>" {}|\\^`')


def _term(item: dict[str, Any]) -> Any:
    kind = item["type"]
    if kind == "IRI":
        value = item["value"]
        if any(c in _NOT_IN_IRI or c.isspace() for c in value):
            return Literal(value)  # not an IRI (a coerced string): no allowed value matches
        return URIRef(value)
    if kind == "blank node":
        return BNode(item["value"][2:])
    datatype = item.get("datatype")
    language = item.get("language")
    if language:
        return Literal(item["value"], lang=language)
    if datatype in (None, str(XSD.string)):
        return Literal(item["value"])
    return Literal(item["value"], datatype=URIRef(datatype))


def data_graph(copies: list[dict[str, Any]], profile: str) -> Graph:
    """The RDF of the document copies, in one graph (pyld ``to_rdf`` with the bundled
    contexts; the one place to swap in another JSON-LD -> RDF conversion)."""
    from pyld import jsonld

    urls = ["https://openactive.io/", "https://openactive.io/ns-beta"]
    if profile == "imin":
        urls.append("https://imin.co/")
    graph = Graph()
    options = {"documentLoader": document_loader(), "base": NODE_PREFIX}
    for copy in copies:
        dataset = jsonld.to_rdf({"@context": urls, "@graph": [copy]}, options)
        for triple in dataset.get("@default", []):
            graph.add(
                (_term(triple["subject"]), _term(triple["predicate"]), _term(triple["object"]))
            )
    return graph


# -- results ---------------------------------------------------------------------------------


def _time_code(value: Any) -> str:
    if isinstance(value, str):
        import re

        if re.fullmatch(r"[0-9]:[0-5][0-9]", value):
            return "time-leading-zero"
        if is_time_with_offset(value):
            return "time-has-timezone"
    return "invalid-time"


def _issues_from_results(
    results: Graph, shapes: Shapes, nodes: dict[str, Node], mode: str, profile: str
) -> dict[str, list[Issue]]:
    """Issues by document prefix, from pySHACL's results graph."""
    found: dict[str, dict[tuple[Any, ...], Issue]] = {}
    rows = sorted(
        (
            str(results.value(result, SH.focusNode)),
            str(results.value(result, SH.sourceShape)),
            str(results.value(result, SH.value)),
            result,
        )
        for result in results.subjects(RDF.type, SH.ValidationResult)
    )
    for focus, _, _, result in rows:
        source = results.value(result, SH.sourceShape)
        node = nodes.get(focus)
        annotation = shapes.codes.get(source)
        if node is None or annotation is None:
            continue
        code, field = annotation
        if code == "required-field-missing":
            present = node.mapped(field)
            if present is not MISSING and present is not None:
                continue  # e.g. `[]`: present for the JSON-level rules, not in RDF
            keys: list[str] = [field]
        elif code == "field-not-allowed-in-mode":
            # one result per object: the JSON-level rule reports each spelling of the key
            checks = node.spec.terms.key_checks(field)
            keys = [k for k in node.value if k in checks]
        else:
            first = node.key_of(field)
            keys = [first] if first is not None else []
        for key in keys:
            value = node.get(key)
            found_code = _time_code(value) if code == "invalid-time" else code
            if not covered(mode, profile, found_code, node, key):
                continue
            path = node.path_to(key)
            message = str(shapes.graph.value(source, SH.message) or CODES[found_code].summary)
            issue = Issue(
                code=found_code,
                severity=CODES[found_code].severity,
                path=path,
                message=message,
                value=None if value is MISSING or found_code == "required-field-missing" else value,
            )
            document = focus.rsplit(":", 1)[0]
            found.setdefault(document, {}).setdefault((path, found_code), issue)
    return {document: list(issues.values()) for document, issues in found.items()}


def run_shacl_many(
    documents: list[Any], mode: str, profile: str, *, remote: ValidationDocuments | None = None
) -> list[list[Issue]]:
    """The issues of each parsed document, found by pySHACL plus the JSON-level rules.

    Raises MissingExtraError (an ImportError) when the ``shacl`` extra is not installed.
    """
    pyshacl = require("pyshacl", extra="shacl")

    the_spec = spec()
    json_level: list[list[Issue]] = []
    copies: list[dict[str, Any]] = []
    nodes: dict[str, Node] = {}

    def drop(code: str, node: Node, key: PathPart) -> bool:
        return covered(mode, profile, code, node, key)

    for index, document in enumerate(documents):
        check = Check(the_spec, mode, profile, drop=drop, documents=remote)
        json_level.append(walk(check, document))
        copier = _Copier(index, check.nodes, profile)
        roots = document if isinstance(document, list) else [document]
        for root in roots:
            if isinstance(root, dict):
                copies.append(copier.node(root))
        nodes.update(copier.iris)
    if not copies:
        return json_level
    shapes = shapes_for(mode)
    data = data_graph(copies, profile)
    _, results, _ = pyshacl.validate(
        data,
        shacl_graph=shapes.graph,
        inference="none",
        abort_on_first=False,
        allow_infos=True,
        allow_warnings=True,
    )
    by_document = _issues_from_results(results, shapes, nodes, mode, profile)
    return [
        issues + by_document.get(f"{NODE_PREFIX}{index}", [])
        for index, issues in enumerate(json_level)
    ]


def run_shacl(document: Any, mode: str, profile: str) -> list[Issue]:
    """The issues of one parsed document (see :func:`run_shacl_many`)."""
    return run_shacl_many([document], mode, profile)[0]
