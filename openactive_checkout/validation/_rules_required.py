"""Presence rules: ``@type``, required, recommended, shall-not-include and deprecated
properties, and reference-vs-embedded requirements, per validation mode and per containing
property (the data-models' ``imperativeConfiguration``/``...WithContext``)."""

from __future__ import annotations

import json

from ..errors import format_json_path
from ._engine import Check
from ._issues import Severity
from ._js import js_string
from ._modes import IMIN_MODES
from ._node import Node
from ._registry import Code, register
from ._terms import MISSING
from ._typing import is_url

BOOKING_MODES = [
    "C1Request",
    "C1Response",
    "C1ResponseOrderItemError",
    "C2Request",
    "C2Response",
    "C2ResponseOrderItemError",
    "PRequest",
    "PResponse",
    "PResponseOrderItemError",
    "BRequest",
    "BOrderProposalRequest",
    "BResponse",
    "BResponseOrderItemError",
    "OrderProposalPatch",
    "OrderPatch",
    "OrdersFeed",
    "OrderStatus",
]


def jsonld_name(field: str) -> str:
    """``type``/``id`` as ``@type``/``@id`` (how the specification writes them)."""
    return f"@{field}" if field in ("type", "id") else field


def model_name(node: Node) -> str:
    return node.model.type or "this object"


@register(
    "ValidModelType",
    "model",
    [
        Code(
            "type-missing",
            Severity.FAILURE,
            "An object has no ``@type``.",
            "ValidModelTypeRule.noType",
        ),
        Code(
            "type-not-recognised",
            Severity.SUGGESTION,
            "An object's ``@type`` is not an OpenActive model, so its properties are not checked.",
            "ValidModelTypeRule.noExperimental",
        ),
    ],
)
def valid_model_type(check: Check, node: Node) -> None:
    """Every JSON-LD object names its type (Modelling Specification §4: ``@type``)."""
    if not node.model.is_json_ld:
        return
    value = node.get("type")
    if value is MISSING:
        message = "Add an `@type` property to this object."
        parent = node.parent
        if parent is not None:
            declared = parent.model.field(node.name)
            if declared is not None:
                kinds = {t.removeprefix("ArrayOf") for t in declared.possible_types}
                if len(kinds) == 1 and next(iter(kinds)).startswith("#"):
                    hint = next(iter(kinds))[1:]
                    message = (
                        f'Objects in `{node.name}` must be of type `{hint}`: add "@type": "{hint}".'
                    )
        check.emit("type-missing", node.path, message)
        return
    if check.profile == "imin" and node.model.has_spec:
        return  # imin's own types are known to the imin profiles
    prop = check.spec.terms.qualify(value if isinstance(value, str) else js_string(value))
    unknown = prop.namespace is None and prop.prefix is None
    if unknown or not node.model.has_spec:
        check.emit(
            "type-not-recognised",
            node.path,
            f"Type `{value}` is not part of the Modelling Specification or schema.org, so the "
            "object cannot be checked.",
            value,
        )


ONLINE = "https://schema.org/OnlineEventAttendanceMode"


@register(
    "RequiredFields",
    "model",
    [
        Code(
            "required-field-missing",
            Severity.FAILURE,
            "A property required by the model (in this mode and position) is missing.",
            "RequiredFieldsRule.default",
        ),
        Code(
            "online-event-has-location",
            Severity.FAILURE,
            "An online-only event has a ``location`` (use ``beta:affiliatedLocation``).",
            "RequiredFieldsRule.onlineOnly",
        ),
    ],
)
def required_fields(check: Check, node: Node) -> None:
    """Required properties are present (on the object or inherited from its parent event)."""
    if not node.model.has_spec:
        return
    for field in node.model.requirements(check.mode, node.name).required:
        value = node.inherited(field)
        if field == "location" and node.inherited("eventAttendanceMode") == ONLINE:
            if value is not MISSING:
                check.emit(
                    "online-event-has-location",
                    node.path_to(field),
                    f"`location` must not be included in `{model_name(node)}` for online-only "
                    "events: use `beta:affiliatedLocation` instead.",
                    value,
                )
        elif value is MISSING:
            check.emit(
                "required-field-missing",
                node.path_to(field),
                f"Required property `{jsonld_name(field)}` is missing from `{model_name(node)}`.",
            )


@register(
    "RequiredOptionalFields",
    "model",
    [
        Code(
            "required-option-missing",
            Severity.FAILURE,
            "None of a group of properties, one of which is required, is present.",
            "RequiredOptionalFieldsRule.default",
        )
    ],
)
def required_optional_fields(check: Check, node: Node) -> None:
    """At least one property of each required group is present (e.g. ``startDate`` or
    ``eventSchedule``)."""
    if not node.model.has_spec:
        return
    for option in node.model.requirements(check.mode, node.name).required_options:
        fields = option.get("options")
        if not isinstance(fields, list):
            continue
        if any(node.inherited(f) is not MISSING for f in fields):
            continue
        names = ", ".join(f"`{jsonld_name(f)}`" for f in fields)
        qualifier = "exactly" if option.get("oneOf") else "at least"
        group = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
        why = " ".join(option.get("description") or [])
        check.emit(
            "required-option-missing",
            node.path,
            f"A `{model_name(node)}` must have {qualifier} one of {names}. {why}".strip(),
            json_path=f"{format_json_path(node.path)}[{group}]".replace("[[", "[").replace(
                "]]", "]"
            ),
        )


@register(
    "ShallNotIncludeFields",
    "field",
    [
        Code(
            "field-not-allowed-in-mode",
            Severity.FAILURE,
            "A property the model forbids in this validation mode and position is present.",
            "ShallNotIncludeFieldsRule.default",
        )
    ],
    applies=lambda model, key: model.has_spec and model.may_forbid(key),
)
def shall_not_include(check: Check, node: Node, key: str) -> None:
    """Properties listed as *shall not include* for the mode are absent."""
    forbidden = node.model.requirements(check.mode, node.name).shall_not_include
    if forbidden and check.spec.terms.in_list(forbidden, key):
        check.emit(
            "field-not-allowed-in-mode",
            node.path_to(key),
            f"`{jsonld_name(key)}` must not be present in `{model_name(node)}` in "
            f"{check.mode} mode.",
            node.value[key],
        )


@register(
    "DeprecatedFields",
    "model",
    [
        Code(
            "deprecated-field",
            Severity.FAILURE,
            "A deprecated property is used in an Open Booking API payload.",
            "DeprecatedFieldsRule.default",
        ),
        Code(
            "deprecated-field-in-feed",
            Severity.WARNING,
            "A deprecated property is used in an opportunity feed.",
            "DeprecatedFieldsRule.feed",
        ),
    ],
)
def deprecated_fields(check: Check, node: Node) -> None:
    """Deprecated properties are not used (guidance from the data models)."""
    if not node.model.has_spec:
        return
    for field in node.model.deprecated_fields():
        value = node.inherited(field.name)
        if value is MISSING:
            continue
        guidance = field.data.get("deprecationGuidance", "")
        if check.mode == "RPDEFeed":
            check.emit(
                "deprecated-field-in-feed",
                node.path_to(field.name),
                f"This property is deprecated. {guidance}",
                value,
            )
        else:
            check.emit(
                "deprecated-field",
                node.path_to(field.name),
                f"Deprecated properties must not be used in Open Booking API payloads. {guidance}",
                value,
            )


@register(
    "RecommendedFields",
    "model",
    [
        Code(
            "recommended-field-missing",
            Severity.WARNING,
            "A property recommended by the model (in this mode and position) is missing.",
            "RecommendedFieldsRule.default",
        )
    ],
)
def recommended_fields(check: Check, node: Node) -> None:
    """Recommended properties are present."""
    if not node.model.has_spec:
        return
    for field in node.model.requirements(check.mode, node.name).recommended:
        if node.inherited(field) is MISSING:
            check.emit(
                "recommended-field-missing",
                node.path_to(field),
                f"Recommended property `{jsonld_name(field)}` is missing from "
                f"`{model_name(node)}`.",
            )


@register(
    "IdReferencesRequired",
    "model",
    [
        Code(
            "id-reference-required",
            Severity.FAILURE,
            "In this mode the property must be an ``@id`` reference (a URL), not an object.",
            "IdReferencesRequiredRule.default",
        )
    ],
    modes=[*BOOKING_MODES, *IMIN_MODES],
)
def id_references_required(check: Check, node: Node) -> None:
    """Properties the mode lists as referenced hold a URL (e.g. ``acceptedOffer`` in C1)."""
    if not node.model.has_spec or not node.model.is_json_ld:
        return
    for field in node.model.requirements(check.mode, node.name).referenced:
        value = node.get(field)
        if value is not MISSING and not is_url(value):
            check.emit(
                "id-reference-required",
                node.path_to(field),
                f"In this validation mode `{field}` must be a compact `@id` reference (a URL), "
                "not the object itself.",
                value,
            )


@register(
    "IdReferencesNotPermitted",
    "model",
    [
        Code(
            "id-reference-not-permitted",
            Severity.FAILURE,
            "In this mode the property must be the object itself, not an ``@id`` reference.",
            "IdReferencesNotPermittedRule.default",
        )
    ],
    modes=[*BOOKING_MODES, *IMIN_MODES],
)
def id_references_not_permitted(check: Check, node: Node) -> None:
    """Properties the mode lists as not referenced hold the object (e.g. ``orderedItem`` in a
    C1 response)."""
    if not node.model.has_spec or not node.model.is_json_ld:
        return
    for field in node.model.requirements(check.mode, node.name).shall_not_be_referenced:
        value = node.get(field)
        if isinstance(value, str):
            check.emit(
                "id-reference-not-permitted",
                node.path_to(field),
                f"In this validation mode `{field}` must be the object representing the data, "
                "not an `@id` reference or string.",
                value,
            )
