"""Read any equivalent JSON-LD into models.

Two roads, one result (see ``_fast`` and ``_expanded``): documents whose ``@context`` is
already canonical are read without any pyld call; everything else is expanded (by ``_expand``,
or by pyld for what that does not model) and mapped onto the models by IRI.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ..errors import DataError
from ._base import JsonLdNode
from ._context import Loader, bundled_loader, pyld_loader_as_loader
from ._doc_context import DocumentContext, drop_unused_inline, plan_bundled, plan_context
from ._expanded import read_expanded, translate_pyld_error
from ._fast import FallbackError, FastReader
from ._json import decode
from ._nodes import MAX_DEPTH, check_depth, choose_class, kind

__all__ = [
    "MAX_DEPTH",
    "DocumentContext",
    "check_depth",
    "choose_class",
    "load_json",
    "parse",
    "translate_pyld_error",
]


def parse(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    document_loader: Callable[[str, dict[str, Any]], Any] | None = None,
    strict: bool = True,
) -> JsonLdNode:
    """Read a JSON-LD document into the model of its type (see ``openactive_checkout.loads``).

    ``strict=False`` keeps each value that does not fit its field verbatim, with a
    ``_nodes.ReadProblem`` for it, instead of raising (both roads call ``_nodes``'
    ``validate_leniently``)."""
    document = load_json(data)
    if not isinstance(document, dict):
        raise DataError(f"a JSON-LD document must be a JSON object, not {kind(document)}")
    load: Loader = bundled_loader if document_loader is None else pyld_loader_as_loader(
        document_loader)  # fmt: skip
    raw_context = document.get("@context")
    target, canonical_input, named_urls = (
        plan_bundled(raw_context) if load is bundled_loader else plan_context(raw_context, load)
    )
    node: JsonLdNode | None = None
    if canonical_input and target.active.simple:
        try:  # the fast road checks depth as it goes
            node = FastReader(target, strict=strict).read_root(document)
        except FallbackError:
            node = None
    if node is None:
        check_depth(document)  # before pyld recurses
        node = read_expanded(
            document,
            raw_context,
            target,
            load,
            document_loader=document_loader,
            named_urls=named_urls,
            strict=strict,
        )
    drop_unused_inline(node, load)
    return node


def load_json(data: str | bytes | bytearray | Mapping[str, Any]) -> Any:
    """Parse JSON text (or accept an already-parsed mapping), raising DataError."""
    if type(data) is not str:  # text, the common case, skips the ABC checks
        if type(data) is dict:
            return data
        if isinstance(data, Mapping):
            return dict(data)
        if isinstance(data, bytes | bytearray):
            try:
                data = bytes(data).decode("utf-8-sig")
            except UnicodeDecodeError as exc:
                raise DataError(f"the document is not UTF-8 text ({exc.reason})") from None
        elif not isinstance(data, str):
            raise DataError(f"expected JSON text, bytes or a mapping, not {type(data).__name__}")
    return decode(data)


# Pydantic's API on the models reads documents with this reader (see JsonLdNode._read): the
# models cannot import it (it needs them), so it is handed to them here, as the writer is.
JsonLdNode._read = parse
JsonLdNode._load_json = load_json
