"""JSON-LD: read any equivalent JSON-LD into models; write models as the exact wire form.

Owns the bundled contexts and a small context processor (``_context``), the context a
document is written with (``_doc_context``), the model base class and its field-by-field
JSON-LD mapping (``_base``, with the literal types of ``_types``), the two reading roads
(``_fast`` for canonical contexts, ``_expanded``, the normalising road, with its JSON-LD
expansion ``_expand``, which leaves to pyld what it does not model), what both share
(``_nodes``), the reader and writer (``_reader``, ``_writer``) and the JSON codec
(``_json``).

May import: errors.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, TypeVar, overload

from ..errors import DataError
from ._base import JsonLdNode
from ._context import bundled, document_loader
from ._nodes import ReadProblem, read_problems
from ._reader import MAX_DEPTH, parse
from ._writer import dumps as _dumps
from ._writer import to_jsonld

N = TypeVar("N", bound=JsonLdNode)

__all__ = [
    "MAX_DEPTH",
    "ReadProblem",
    "bundled_context",
    "bundled_contexts",
    "dumps",
    "loads",
    "published_document",
    "pyld_document_loader",
    "read_problems",
    "to_jsonld",
]


@overload
def loads(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    model: None = None,
    document_loader: Callable[[str, dict[str, Any]], Any] | None = None,
    strict: bool = True,
) -> JsonLdNode: ...
@overload
def loads(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    model: type[N],
    document_loader: Callable[[str, dict[str, Any]], Any] | None = None,
    strict: bool = True,
) -> N: ...
def loads(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    model: type[JsonLdNode] | None = None,
    document_loader: Callable[[str, dict[str, Any]], Any] | None = None,
    strict: bool = True,
) -> JsonLdNode:
    """Read a JSON-LD document (text, bytes or a parsed mapping) into the model of its type.

    Any equivalent encoding reads to the same model: ``type`` or ``@type``, ``id`` or
    ``@id``, one value where an array is expected, full IRIs and CURIEs for keys and types,
    value objects, inline contexts, contexts in any order, legacy context URLs. Properties
    the model does not define are kept and written back.

    Enumeration values may be spelled as the member's IRI, an ``http:`` IRI, a CURIE or a
    bare name (``schema:Monday``, ``Monday``): each reads as the member, and the model
    remembers the text, which :func:`dumps` and ``to_graph`` write back (under the OpenActive
    context these are plain strings, so another spelling is another value).

    ``model`` asserts the root's class (a DataError otherwise). Contexts are served from
    the bundled copies only; ``document_loader`` (a pyld loader) opts in to others.

    Raises :class:`~openactive_checkout.DataError` (naming the JSONPath of the problem) and
    :class:`~openactive_checkout.ContextError`; nothing else for bad input.

    ``strict=False`` reads defensively, as a consumer of open data must: a value that does
    not fit its field (a date where a date-time is required, ``"price": "5.00"``, free text
    for a Concept) is kept verbatim as an extension property of its node, under the key it
    was read with (so writing the model writes it back), and :func:`read_problems` lists it
    with its JSONPath and the reason a strict read would have raised. Only input that is not
    JSON, or not JSON-LD, still raises.
    """
    node = parse(data, document_loader=document_loader, strict=strict)
    if model is not None and not isinstance(node, model):
        raise DataError(f"expected a {model.__name__} document, got {type(node).__name__}")
    return node


def dumps(model: JsonLdNode, *, indent: int | None = None) -> str:
    """Write a model as JSON-LD text in the canonical wire form (see :func:`to_jsonld`)."""
    return _dumps(model, indent=indent)


def bundled_contexts() -> Mapping[str, str]:
    """Every bundled context URL, mapped to the canonical URL it is written back as.

    These are the URLs read without a ``document_loader`` (nothing is fetched). A canonical
    URL maps to itself; a legacy URL (``https://ns.imin.co/``) to the one written in its
    place (``https://imin.co/``). The mapping is read-only.
    """
    contexts = bundled()
    return MappingProxyType({url: contexts.canonical.get(url, url) for url in contexts.files})


def bundled_context(url: str) -> Any:
    """The parsed JSON-LD document (``{"@context": ...}``) bundled for a context URL.

    A fresh copy on each call: changing it changes nothing the library reads. Raises
    :class:`~openactive_checkout.ContextError` for a URL that is not bundled (see
    :func:`bundled_contexts`).
    """
    import copy

    return copy.deepcopy(bundled().document(url))


def published_document(url: str) -> Any:
    """The parsed published document served at ``url``, from the copy bundled with the library.

    The OpenActive and imin documents the library reads and validates with, exactly as their
    publishers serve them: the namespace documents (``https://openactive.io/ns-beta``,
    ``https://openactive.io/ns-extension``, ``https://imin.co/``), the concept schemes
    (``https://openactive.io/activity-list`` and its collections
    ``https://openactive.io/activity-list/collections/NAME.jsonld``,
    ``https://openactive.io/facility-types``, ``https://openactive.io/accessibility-support``)
    and schema.org's context (``https://schema.org/``). ``contexts/index.json`` in the source
    tree records each one's source repository, commit and licence.

    Nothing is fetched: the bundled file is read and parsed on the first call for it, and
    kept. Each call returns a fresh copy, so changing it changes nothing the library reads.
    Raises :class:`~openactive_checkout.ContextError` for a URL with no bundled document.
    """
    import copy

    return copy.deepcopy(bundled().published(url))


def pyld_document_loader() -> Callable[[str, dict[str, Any]], Any]:
    """A pyld document loader that serves the bundled contexts and refuses every other URL.

    For running pyld itself on OpenActive and imin documents offline, with the very contexts
    this library reads them with. Pass it per call, as pyld's ``documentLoader`` option
    (``jsonld.expand(doc, {"documentLoader": pyld_document_loader()})``); it is never
    installed process-wide. Any other URL raises pyld's loading error without touching the
    network. Loading pyld is left to the first call.
    """
    loader: Callable[[str, dict[str, Any]], Any] = document_loader()
    return loader
