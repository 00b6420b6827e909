"""``validate()``: one document (a model, a dict, JSON text or bytes) -> a report."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Literal

from ..errors import DataError, PathPart
from ..jsonld._nodes import MAX_DEPTH, check_depth
from ._engine import run
from ._issues import Issue, Severity, ValidationReport
from ._js import JSON_DECODER
from ._modes import ValidationMode, ValidationModeError, profile_of, unknown_mode_message
from ._registry import Code, register_code
from ._remote import Documents, ValidationDocuments, documents_of

Engine = Literal["native", "shacl"]


def parse_document(doc: Any) -> tuple[Any, Issue | None]:
    """The JSON value of ``doc``, or an ``invalid-json`` issue when text does not parse."""
    from ..jsonld._base import JsonLdNode

    if isinstance(doc, JsonLdNode):
        from ..jsonld import to_jsonld

        return to_jsonld(doc), None
    if isinstance(doc, bytes | bytearray | memoryview):
        try:
            doc = bytes(doc).decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            return None, _invalid_json(f"the document is not UTF-8 text: {exc.reason}")
    if isinstance(doc, str):
        try:
            return JSON_DECODER.decode(doc), None
        except json.JSONDecodeError as exc:
            return None, _invalid_json(
                f"the document is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            )
        except RecursionError:
            return None, _invalid_json(TOO_DEEP)
    return doc, None


TOO_DEEP = "the document nests too deeply to be read"


INVALID_JSON = register_code(
    Code(
        "invalid-json",
        Severity.FAILURE,
        "The input is not JSON text (or not UTF-8): it cannot be validated.",
        "",
    )
)


def _run(document: Any, mode: str, profile: str, remote: ValidationDocuments) -> list[Issue]:
    """The native engine's issues; a parsed value nesting deeper than the rules can walk is
    one ``invalid-json`` failure (text that deep never parses)."""
    try:
        return run(document, mode, profile, remote)
    except RecursionError:
        return [_invalid_json(TOO_DEEP)]


def too_deep(document: Any, base: tuple[PathPart, ...] = ()) -> Issue | None:
    """An ``invalid-json`` failure when ``document`` nests deeper than ``MAX_DEPTH`` (100)
    levels, as ``loads`` refuses it: the findings of a document nested that deep would grow
    with the square of its depth (each holds its path), a few kilobytes of hostile input
    making a report of hundreds of megabytes. None for every real document."""
    try:
        check_depth(document, base=base)
    except DataError as exc:
        return Issue(
            code="invalid-json",
            severity=Severity.FAILURE,
            path=exc.path,
            message=f"the document nests deeper than {MAX_DEPTH} levels: it is not validated",
        )
    return None


def _invalid_json(message: str) -> Issue:
    return Issue(code="invalid-json", severity=Severity.FAILURE, path=(), message=message)


def validate(
    doc: Any,
    *,
    mode: ValidationMode = "RPDEFeed",
    engine: Engine = "native",
    documents: Documents = "published",
) -> ValidationReport:
    """Validate one document and return a :class:`ValidationReport`.

    ``doc`` is a model (validated as its wire JSON), a parsed JSON value, or JSON text
    (``str``/``bytes``). Text that is not JSON is not an exception: the report holds one
    ``invalid-json`` failure, so a pipeline gets a verdict for every input. ``mode`` is one of
    the OpenActive validation modes (``RPDEFeed``, ``C1Request``, ...) or an imin checkout
    profile (``IminCheckoutRequest``, ``IminCheckoutResponse``, ``IminCheckoutError``): see
    ``ValidationMode`` and ``MODES`` in :mod:`openactive_checkout.validation`;
    ``engine`` is ``"native"`` or ``"shacl"`` (pySHACL with the bundled shapes, plus the
    JSON-level rules RDF cannot see; it needs the ``shacl`` extra, else
    :class:`~openactive_checkout.errors.MissingExtraError`). An unknown mode or engine raises
    :class:`ValidationModeError`.

    ``documents`` says which remote JSON documents the validation may read, as the official
    validator reads them when run online (nothing is ever fetched): ``"published"`` (the
    default) reads the published OpenActive and imin documents bundled with the library, so
    activities are looked up in the OpenActive activity list and ``beta:``/``imin:``
    properties in their namespace documents; ``"none"`` reads nothing, which is what the
    official validator does offline (``loadRemoteJson: false``: every activity and every
    extension property is reported unchecked); a mapping of URL -> parsed JSON document adds
    the caller's own (an activity list named by ``inScheme``, the namespace document of an
    extension ``@context``) to the published ones; a :class:`ValidationDocuments` keeps its
    indexes across calls.
    """
    return validate_all([doc], mode=mode, engine=engine, documents=documents)[0]


def validate_all(
    docs: Iterable[Any],
    *,
    mode: ValidationMode = "RPDEFeed",
    engine: Engine = "native",
    documents: Documents = "published",
) -> list[ValidationReport]:
    """Validate many documents in one mode: one report per document, in order.

    With ``engine="shacl"`` every document goes into one RDF graph validated by one pySHACL
    run (the shapes graph is parsed once per mode), which is much faster than one run per
    document. Arguments as for :func:`validate`.
    """
    profile = profile_of(mode)
    if profile is None:
        raise ValidationModeError(unknown_mode_message(mode))
    if engine not in ("native", "shacl"):
        raise ValidationModeError(f"unknown engine {engine!r}: use 'native' or 'shacl'")
    remote = documents_of(documents)
    parsed = [parse_document(doc) for doc in docs]
    parsed = [(value, problem or too_deep(value)) for value, problem in parsed]
    if engine == "native":
        found = [
            [problem] if problem else _run(value, mode, profile, remote)
            for value, problem in parsed
        ]
    else:
        from ._shacl import run_shacl_many

        valid = [value for value, problem in parsed if problem is None]
        shacl = iter(run_shacl_many(valid, mode, profile, remote=remote))
        found = [[problem] if problem else next(shacl) for _, problem in parsed]
    return [ValidationReport(mode=mode, issues=tuple(i), engine=engine) for i in found]
