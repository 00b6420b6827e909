"""The normalising road: the document is expanded, and the expanded form is mapped onto the
models by IRI. What a model cannot hold is kept as extension properties, compacted against
the output context, so the document's graph is unchanged.

Expansion is this package's own (``_expand``) for the contexts and constructs it models, which
are those OpenActive documents use; pyld expands anything else, so both give the same result.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from ..errors import ContextError, DataError
from ._base import FieldSpec, JsonLdNode, set_context, set_types
from ._context import (
    NAMESPACE_CONTEXTS,
    ActiveContext,
    Loader,
    build_active_context,
    bundled,
    bundled_loader,
    is_iri_reference,
    reduce_context,
)
from ._doc_context import DocumentContext
from ._expand import Expander, UnsupportedError, check_numbers, root_context
from ._nodes import (
    ABSENT,
    MAX_DEPTH,
    Path,
    ReadProblem,
    add_problems,
    choose_class,
    class_types,
    note_spellings,
    validate,
    validate_leniently,
)


def read_expanded(
    document: dict[str, Any],
    raw_context: Any,
    target: DocumentContext,
    load: Loader,
    *,
    document_loader: Callable[[str, dict[str, Any]], Any] | None,
    named_urls: bool,
    strict: bool = True,
) -> JsonLdNode:
    reduced = reduce_context(raw_context, None if load is bundled_loader else load)
    if reduced is not raw_context:  # the same meaning, without the entries that change nothing
        document = {**document, "@context": reduced}
        raw_context = reduced
    problems: list[ReadProblem] = []  # what a lenient read finds before the models
    try:
        expanded = Expander(load, dropped=None if strict else problems).expand_document(
            document, root_context(raw_context, load), raw_context
        )
    except UnsupportedError:
        problems.clear()
        _precheck(document, raw_context, load, None if strict else problems)
        check_numbers(document)
        expanded = expand(document, document_loader)
    nodes = [n for n in expanded if isinstance(n, dict)]
    if len(nodes) != 1:
        raise DataError(
            f"the document describes {len(nodes)} top-level nodes; loads() reads exactly one"
        )
    used = _namespaces(nodes[0])
    if not named_urls:
        root_class = choose_class(tuple(nodes[0].get("@type", ())), None)
        used.update(root_class.namespace_contexts)
    if not used <= set(target.urls):
        target = target.with_urls(used, load)
    reader = _ExpandedReader(target, strict=strict)
    node = reader.read_node(nodes[0], (), None)
    add_problems(node, problems)
    set_context(node, target)
    return node


def expand(document: Any, document_loader: Callable[[str, dict[str, Any]], Any] | None) -> Any:
    """pyld expansion with the bundled loader (or the caller's), errors turned into ours."""
    from pyld import jsonld

    from ._context import document_loader as frozen_loader

    loader = frozen_loader() if document_loader is None else _chain(document_loader)
    try:
        # No base: a relative @id stays as written (pyld's "" would resolve it against
        # http://example.org/base/).
        return jsonld.expand(document, {"documentLoader": loader, "base": None})
    except jsonld.JsonLdError as exc:
        raise translate_pyld_error(exc) from None
    except RecursionError:
        raise DataError(f"the document nests deeper than {MAX_DEPTH} levels") from None
    except OverflowError:  # pyld tests numbers with float(): an integer beyond a double
        raise DataError("an integer too large for a double, which pyld cannot expand") from None
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        # pyld assumes well-formed input in places; whatever it trips on is bad JSON-LD.
        raise DataError(f"invalid JSON-LD: {exc}") from None


def _chain(document_loader: Callable[[str, dict[str, Any]], Any]) -> Any:
    from ._context import document_loader as frozen_loader

    frozen = frozen_loader()

    def load(url: str, options: dict[str, Any]) -> Any:
        if url in bundled().files:
            return frozen(url, options)
        return document_loader(url, options)

    return load


def translate_pyld_error(exc: Exception) -> Exception:
    """Find the cause in pyld's error chain and say it our way."""
    seen = exc
    url = None
    while seen is not None:
        details = getattr(seen, "details", None) or {}
        if isinstance(details, dict) and details.get("url"):
            url = details["url"]
        seen = getattr(seen, "cause", None) or seen.__cause__  # type: ignore[assignment]
    if url is not None:
        return ContextError(f"the JSON-LD context {url!r} could not be loaded", url=url)
    code = getattr(exc, "code", None)
    return DataError(f"invalid JSON-LD: {code or exc}")


def _precheck(
    document: dict[str, Any], raw_context: Any, load: Loader, lenient: list[ReadProblem] | None
) -> None:
    """Find keys JSON-LD would silently drop and relative ids, with their real paths.

    Only for documents whose contexts this processor models fully (the rest is left to pyld).
    A lenient read collects the dropped keys in ``lenient`` instead of raising.
    """
    try:
        ctx = build_active_context(raw_context, load) if raw_context is not None else (
            ActiveContext({}, None, True))  # fmt: skip
    except ContextError:
        raise
    except Exception:  # an unusual context; pyld will judge it
        return
    if not ctx.simple:
        return
    stack: list[tuple[Any, Path, ActiveContext]] = [(document, (), ctx)]
    while stack:
        value, path, active = stack.pop()
        if isinstance(value, list):
            stack.extend((v, (*path, i), active) for i, v in enumerate(value))
            continue
        if not isinstance(value, dict):
            continue
        if "@context" in value and path:
            return  # a nested context: pyld decides
        for key, item in value.items():
            if key == "@context":
                continue
            term = active.resolve_key(key)
            if term is None:
                message = (
                    f"the key {key!r} has no meaning under the document's @context and would "
                    "be dropped by any JSON-LD processor")  # fmt: skip
                if lenient is None:
                    raise DataError(message, path=(*path, key))
                lenient.append(ReadProblem(path=(*path, key), message=message, value=item))
                continue
            # (a relative @id is kept as written)
            if (
                term.iri == "@id"
                and isinstance(item, str)
                and active.expand_reference(item) is None
            ):
                raise DataError(f"an @id must be an IRI, not {item!r}", path=(*path, key))
            if term.iri == "@value":
                continue
            if isinstance(item, dict | list):
                stack.append((item, (*path, key), active))


def _namespaces(node: Any) -> set[str]:
    """Context URLs the IRIs of an expanded document need (its keys and node types)."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [node]
    while stack:
        item = stack.pop()
        if type(item) is list:
            stack.extend(item)
        elif type(item) is dict and "@value" not in item:
            for key, value in item.items():
                if key == "@type":
                    iris = value if type(value) is list else [value]
                elif key[:1] == "@":
                    stack.append(value)
                    continue
                else:
                    iris = [key]
                    stack.append(value)
                for iri in iris:
                    if type(iri) is str and iri not in seen:
                        seen.add(iri)
                        urls = _NAMESPACE_OF.get(iri)
                        if urls is None:
                            urls = tuple(u for ns, u in NAMESPACE_CONTEXTS if iri.startswith(ns))
                            if len(_NAMESPACE_OF) < 4096:
                                _NAMESPACE_OF[iri] = urls
                        found.update(urls)
    return found


_NAMESPACE_OF: dict[str, tuple[str, ...]] = {}
"""IRI -> the context URLs of the namespaces it is in (see ``NAMESPACE_CONTEXTS``)."""


class _ExpandedReader:
    def __init__(self, target: DocumentContext, *, strict: bool = True) -> None:
        self.target = target
        self.ctx = target.active
        self.strict = strict

    def read_node(self, node: dict[str, Any], path: Path, field: FieldSpec | None) -> JsonLdNode:
        type_iris = tuple(node.get("@type", ()))
        if not all(isinstance(t, str) for t in type_iris):
            raise DataError("a type must be a string", path=(*path, self.target.type_key))
        cls = choose_class(type_iris, field)
        spec = cls.jsonld_spec()
        data: dict[str, Any] = {}
        extras: dict[str, Any] = {}
        problems: list[ReadProblem] = []
        for key, values in node.items():
            if key in ("@id", "@type"):
                continue
            if key == "@reverse":
                extras["@reverse"] = {
                    self.ctx.compact_iri(k): self.compact_values(v) for k, v in values.items()
                }
                continue
            if key.startswith("@"):
                raise DataError(f"{key} is not supported inside a node", path=path)
            spec_field = spec.by_iri.get(key)
            if spec_field is None:
                if values:
                    name, plain = self.ctx.compact_property(key, values)
                    extras[name] = self.compact_values(values) if plain is None else plain
                continue
            fit, rest = self.fit(spec_field, values, (*path, spec_field.alias), problems)
            if fit is not ABSENT:
                data[spec_field.name] = fit
            if rest:
                extras[key] = self.compact_values(rest)
        if "@id" in node:
            if not is_iri_reference(node["@id"]):
                raise DataError(f"an @id must be an IRI, not {node['@id']!r}",
                                path=(*path, self.target.id_key))  # fmt: skip
            data["id"] = node["@id"]
        if self.strict:
            result = validate(cls, data, path, spec)
        else:  # what does not fit is kept verbatim, each with its problem
            result, misfits, found = validate_leniently(cls, data, path, spec)
            add_problems(result, [*problems, *found])
            for name, kept in misfits.items():
                field = next(f for f in spec.fields if f.name == name)
                key = self.ctx.compact_iri(field.iri, coerce_id=field.coerce_id)
                merged = [*_as_list(extras.get(key, [])), *kept]
                extras[key] = merged[0] if len(merged) == 1 else merged
        note_spellings(result, data, spec)
        if extras:
            result.__pydantic_extra__ = extras
        if type_iris != class_types(cls):
            set_types(result, type_iris)
        return result

    def fit(
        self, field: FieldSpec, values: list[Any], path: Path, problems: list[ReadProblem]
    ) -> tuple[Any, list[Any]]:
        """(what the field holds, expanded values it cannot hold); a lenient read also keeps
        IRIs that are not absolute apart, each with its problem in ``problems``."""
        held: list[Any] = []
        rest: list[Any] = []
        for index, value in enumerate(values):
            where = (*path, index) if field.is_list else path
            if not field.is_list and held:
                rest.append(value)
                continue
            if "@value" in value:
                if len(value) == 1 and not field.coerce_id:
                    held.append(value["@value"])
                else:
                    rest.append(value)
            elif "@list" in value:
                rest.append(value)
            elif set(value) == {"@id"}:
                if field.coerce_id:
                    held.append(value["@id"])
                elif field.node_classes:
                    held.append(self.read_node(value, where, field))
                else:
                    rest.append(value)
            elif field.node_classes:
                held.append(self.read_node(value, where, field))
            else:
                rest.append(value)
        if field.is_list:
            return held, rest
        return (held[0] if held else ABSENT), rest

    def compact_values(self, values: list[Any]) -> Any:
        out = [self.compact_value(v) for v in values]
        return out[0] if len(out) == 1 and out[0] != "" else out  # [""] is not written as ""

    def compact_value(self, value: Any) -> Any:
        if not isinstance(value, dict):
            return value
        if "@value" in value:
            if len(value) == 1:
                return value["@value"]
            out = dict(value)
            if "@type" in out:
                out["@type"] = self.ctx.compact_type(out["@type"])
            return out
        if "@list" in value:
            return {"@list": [self.compact_value(v) for v in value["@list"]]}
        result: dict[str, Any] = {}
        if "@type" in value:
            types = [self.ctx.compact_type(t) for t in value["@type"]]
            result[self.target.type_key] = types[0] if len(types) == 1 else types
        if "@id" in value:
            result[self.target.id_key if len(value) > 1 else "@id"] = value["@id"]
        for key, items in value.items():
            if key in ("@id", "@type"):
                continue
            if key == "@reverse":
                result["@reverse"] = {
                    self.ctx.compact_iri(k): self.compact_values(v) for k, v in items.items()
                }
            else:
                name, plain = self.ctx.compact_property(key, items)
                result[name] = self.compact_values(items) if plain is None else plain
        return result


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]
