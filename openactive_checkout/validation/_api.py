"""``validate()``: one document (a model, a dict, JSON text or bytes) -> a report."""

from __future__ import annotations

import json
from typing import Any, Literal

from ..errors import OpenActiveCheckoutError
from ._engine import run
from ._issues import Issue, Severity, ValidationReport
from ._modes import profile_of
from ._registry import Code, register_code

Engine = Literal["native", "shacl"]


class ValidationModeError(OpenActiveCheckoutError, ValueError):
    """An unknown validation mode or engine name."""


def parse_document(doc: Any) -> tuple[Any, Issue | None]:
    """The JSON value of ``doc``, or an ``invalid-json`` issue when text does not parse."""
    from ..vocab._base import JsonLdNode

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
            return json.loads(doc), None
        except json.JSONDecodeError as exc:
            return None, _invalid_json(
                f"the document is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
            )
    return doc, None


INVALID_JSON = register_code(
    Code(
        "invalid-json",
        Severity.FAILURE,
        "The input is not JSON text (or not UTF-8): it cannot be validated.",
        "",
    )
)


def _invalid_json(message: str) -> Issue:
    return Issue(code="invalid-json", severity=Severity.FAILURE, path=(), message=message)


def validate(doc: Any, *, mode: str = "RPDEFeed", engine: Engine = "native") -> ValidationReport:
    """Validate one document and return a :class:`ValidationReport`.

    ``doc`` is a model (validated as its wire JSON), a parsed JSON value, or JSON text
    (``str``/``bytes``). Text that is not JSON is not an exception: the report holds one
    ``invalid-json`` failure, so a pipeline gets a verdict for every input. ``mode`` is one of
    the OpenActive validation modes (``RPDEFeed``, ``C1Request``, ...) or an imin checkout
    profile (``IminCheckoutRequest``, ``IminCheckoutResponse``, ``IminCheckoutError``);
    ``engine`` is ``"native"`` or ``"shacl"`` (pySHACL with the bundled shapes, plus the
    JSON-level rules RDF cannot see). An unknown mode or engine raises
    :class:`ValidationModeError`.
    """
    profile = profile_of(mode)
    if profile is None:
        raise ValidationModeError(
            f"unknown validation mode {mode!r}; see openactive_checkout.MODES"
        )
    if engine != "native":
        raise ValidationModeError(f"unknown engine {engine!r}: use 'native'")
    value, problem = parse_document(doc)
    if problem is not None:
        return ValidationReport(mode=mode, issues=(problem,), engine=engine)
    return ValidationReport(mode=mode, issues=tuple(run(value, mode, profile)), engine=engine)
