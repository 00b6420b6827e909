"""Notes for data consumers: what they will assume when data is missing (suggestions)."""

from __future__ import annotations

from typing import Any

from ._engine import Check
from ._issues import Severity
from ._node import Node
from ._registry import Code, register
from ._rules_quality import EVENT_MODELS
from ._terms import MISSING

NOTE_MODES = [
    "RPDEFeed",
    "BookableRPDEFeed",
    "C1Response",
    "C1ResponseOrderItemError",
    "C2Response",
    "C2ResponseOrderItemError",
    "PResponse",
    "PResponseOrderItemError",
    "BResponse",
    "BResponseOrderItemError",
]


def _option_missing(node: Node, field: str, value: Any) -> bool:
    declared = node.model.raw_fields.get(field)
    options = declared.get("options") if declared else None
    return value is MISSING or (options is not None and value not in options)


@register(
    "AssumeNoGenderRestriction",
    "model",
    [
        Code(
            "assumed-no-gender-restriction",
            Severity.SUGGESTION,
            "No valid ``genderRestriction``: consumers assume there is none.",
            "AssumeNoGenderRestrictionRule.default",
        )
    ],
    models=EVENT_MODELS,
    modes=NOTE_MODES,
)
def assume_no_gender_restriction(check: Check, node: Node) -> None:
    """Consumers assume no gender restriction unless one is given."""
    if not node.model.has_spec:
        return
    value = node.inherited("genderRestriction")
    if _option_missing(node, "genderRestriction", value):
        check.emit(
            "assumed-no-gender-restriction",
            node.path_to(node.key_of("genderRestriction") or "genderRestriction"),
            "Data consumers will assume there is no gender restriction when no valid "
            f"`genderRestriction` is given on a `{node.model.type}`.",
            value,
        )


@register(
    "AssumeAgeRange",
    "model",
    [
        Code(
            "assumed-age-range",
            Severity.SUGGESTION,
            "An incomplete or missing ``ageRange``: consumers assume 18+, or no minimum, or "
            "no maximum.",
            "AssumeAgeRangeRule.noAgeRange",
        )
    ],
    models=EVENT_MODELS,
    modes=NOTE_MODES,
)
def assume_age_range(check: Check, node: Node) -> None:
    """Consumers assume an age range of 18+ when none is given, and open bounds otherwise."""
    if not node.model.has_spec:
        return
    value = node.inherited("ageRange")

    def bound(name: str) -> Any:
        found = value.get(name, MISSING) if isinstance(value, dict) else MISSING
        return MISSING if found is None else found

    if value is MISSING:
        message = f"Data consumers will assume the `ageRange` is 18+ for this `{node.model.type}`."
    elif bound("minValue") is MISSING and bound("maxValue") is not MISSING:
        message = "Data consumers will assume the `ageRange` has no minimum age."
    elif bound("maxValue") is MISSING and bound("minValue") is not MISSING:
        if bound("minValue") == 0 and not isinstance(bound("minValue"), bool):
            message = "Data consumers will assume the `ageRange` is suitable for all ages."
        else:
            message = "Data consumers will assume the `ageRange` has no maximum age."
    else:
        return
    check.emit(
        "assumed-age-range",
        node.path_to(node.key_of("ageRange") or "ageRange"),
        message,
        value,
    )


@register(
    "AssumeEventStatus",
    "model",
    [
        Code(
            "assumed-event-status",
            Severity.SUGGESTION,
            "No valid ``eventStatus``: consumers assume the event is scheduled.",
            "AssumeEventStatusRule.default",
        )
    ],
    models=EVENT_MODELS,
    modes=NOTE_MODES,
)
def assume_event_status(check: Check, node: Node) -> None:
    """Consumers assume ``https://schema.org/EventScheduled`` unless told otherwise."""
    if not node.model.has_spec:
        return
    value = node.inherited("eventStatus")
    if _option_missing(node, "eventStatus", value):
        check.emit(
            "assumed-event-status",
            node.path_to(node.key_of("eventStatus") or "eventStatus"),
            "Data consumers will assume the `eventStatus` is "
            '"https://schema.org/EventScheduled" when it is not given or invalid.',
            value,
        )
