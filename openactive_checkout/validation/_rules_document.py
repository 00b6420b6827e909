"""Rules on the document as a whole (before any object is looked at)."""

from __future__ import annotations

from typing import Any

from ._engine import Check, is_rpde_page
from ._issues import Severity
from ._registry import Code, register


@register(
    "ValidInput",
    "document",
    [
        Code(
            "invalid-input",
            Severity.FAILURE,
            "The document is not a JSON object (a string, number, boolean or null).",
            "ValidInputRule.noInvalid",
        ),
        Code(
            "array-input",
            Severity.WARNING,
            "The document is a JSON array; each element is validated on its own.",
            "ValidInputRule.noArray",
        ),
    ],
)
def valid_input(check: Check, document: Any) -> None:
    """A document must be one JSON object: a data model object or an RPDE page."""
    if isinstance(document, list):
        check.emit(
            "array-input",
            (),
            "Arrays are not supported for validation: submit one object (a data model object "
            "or an RPDE page). Each element has been validated on its own.",
        )
    elif not isinstance(document, dict):
        check.emit(
            "invalid-input",
            (),
            "Only JSON objects can be validated: an object conforming to the Modelling "
            "Specification, or an RPDE page.",
            document,
        )


@register(
    "RpdeFeed",
    "document",
    [
        Code(
            "rpde-feed",
            Severity.NOTICE,
            "The document is an RPDE page; each item's data is validated as a model.",
            "RpdeFeedRule.isRpdeFeed",
        )
    ],
    profiles=("openactive",),
)
def rpde_feed(check: Check, document: Any) -> None:
    """An RPDE page (``items`` each with a ``state``) is validated item by item; the RPDE
    rules themselves (ordering, ``next``) are for the RPDE validator."""
    if is_rpde_page(document):
        check.emit(
            "rpde-feed",
            (),
            "This looks like an RPDE page: its required properties and each item's data are "
            "validated; RPDE conformance itself (ordering, paging) is not checked here.",
        )
