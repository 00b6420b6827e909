"""SHACL shapes from the requirement data: what is expressible as class-targeted shapes.

Each OpenActive (and imin) model becomes node shapes targeting its class IRI (``Event`` ->
``schema:Event``, ``ScheduledSession`` -> ``oa:ScheduledSession``):

- mode-independent (``common.ttl``, ``imin.ttl``): allowed values (``sh:in``, enum values as
  full IRIs), ISO 8601 formats of properties whose only type is a DateTime, Date, Time or
  Duration (``sh:pattern``, calendar-exact), ISO 4217 currencies, coordinate ranges and
  minimum values;
- per validation mode (``modes/<Mode>.ttl``): required properties (``sh:minCount 1``) and
  properties the mode forbids (``sh:maxCount 0``), from the mode's general configuration.

Every property shape carries ``oav:code`` and ``oav:field`` so a result maps back to the
native issue it stands for. What depends on the JSON itself (keys as written, arrays,
``null``, the containing property, inheritance from a parent event) is left to the JSON-level
rules; :func:`covered` says, for one node of a document, which checks the shapes make.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..jsonld._context import ActiveContext, active_context
from ._imin import IMIN_MODELS, IMIN_MODES_SET
from ._spec import FieldSpec, ModelSpec, Spec
from ._typing import DATE, DATETIME, DURATION, TIME

SHAPES = "urn:openactive-checkout:shapes:"
ANNOTATIONS = "urn:openactive-checkout:validation#"
GENERAL = ""
"""A containing property no contextual configuration names: the mode's general rules."""
SKIPPED_MODELS = frozenset({"FeedPage", "FeedItem"})
"""RPDE wrappers: not JSON-LD, never typed, validated at the JSON level only."""
NOT_SHAPED_FIELDS = frozenset({"type", "id"})
"""``@type``/``@id`` are structure in RDF, not properties: checked at the JSON level."""

# -- ISO 8601 as regular expressions (SPARQL / XPath and Python compatible: no lookaround,
# no non-capturing groups), exact to the calendar -------------------------------------------


def _month_day(sep: str) -> str:
    return (
        f"((0[13578]|1[02]){sep}(0[1-9]|[12][0-9]|3[01])|(0[469]|11){sep}(0[1-9]|[12][0-9]|30)"
        f"|02{sep}(0[1-9]|1[0-9]|2[0-8]))"
    )


_LEAP_YEAR = "([0-9]{2}(0[48]|[2468][048]|[13579][26])|([02468][048]|[13579][26])00)"
_DATE_DASHED = f"([0-9]{{4}}-{_month_day('-')}|{_LEAP_YEAR}-02-29)"
_DATE_COMPACT = f"([0-9]{{4}}{_month_day('')}|{_LEAP_YEAR}0229)"
_CLOCK_SECONDS = "(([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]|24:00:00)"
_OFFSET = (
    "([Zz]|[+](((0[0-9]|1[0-3])(:?[0-5][0-9])?)|14(:?00)?)"
    "|-(((0[0-9]|1[01])(:?[0-5][0-9])?)|12(:?00)?))"
)
PATTERNS = {
    DATETIME: f"^{_DATE_DASHED}T{_CLOCK_SECONDS}{_OFFSET}$",
    DATE: f"^({_DATE_DASHED}|{_DATE_COMPACT})$",
    TIME: "^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$",
    DURATION: (
        "^P(("
        "([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+H)?([0-9]+M)?([0-9]+([,.][0-9]+)?S)"
        "|([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+H)?([0-9]+([,.][0-9]+)?M)"
        "|([0-9]+Y)?([0-9]+M)?([0-9]+D)?T([0-9]+([,.][0-9]+)?H)"
        "|([0-9]+Y)?([0-9]+M)?([0-9]+([,.][0-9]+)?D)"
        "|([0-9]+Y)?([0-9]+([,.][0-9]+)?M)"
        "|([0-9]+([,.][0-9]+)?Y)"
        ")|([0-9]+W))$"
    ),
}
FORMAT_CODES = {
    DATETIME: "invalid-datetime",
    DATE: "invalid-date",
    TIME: "invalid-time",
    DURATION: "invalid-duration",
}
TIME_CODES = frozenset({"invalid-time", "time-has-timezone", "time-leading-zero"})
RANGES = {"latitude": (-90, 90), "longitude": (-180, 180)}
CURRENCY = "https://schema.org/priceCurrency"


@dataclass(frozen=True)
class Constraint:
    """One property shape."""

    model: str
    field: str
    code: str
    path: str
    """The property IRI."""
    body: tuple[tuple[str, str], ...]
    """SHACL predicate (prefixed) -> Turtle object."""
    message: str

    @property
    def name(self) -> str:
        return f"{self.model}-{self.field}-{self.code}".replace(":", "_")


def shape_context(profile: str) -> ActiveContext:
    """The context class and property IRIs are expanded with."""
    urls = ["https://openactive.io/", "https://openactive.io/ns-beta"]
    if profile == "imin":
        urls.append("https://imin.co/")
    return active_context(urls)


def class_iri(model: ModelSpec, profile: str) -> str | None:
    if model.type is None:
        return None
    return shape_context(profile).expand_iri(model.type, vocab=True)


def _property(field: str, profile: str) -> tuple[str, bool] | None:
    term = shape_context(profile).resolve_key(field)
    if term is None or term.iri is None or term.iri.startswith("@"):
        return None
    return term.iri, term.coerce_id


def shaped_models(spec: Spec, profile: str) -> Iterator[ModelSpec]:
    """The models shapes are written for, by name."""
    names = sorted(n for n in spec.data["models"] if n not in SKIPPED_MODELS)
    if profile == "imin":
        names += sorted(IMIN_MODELS)
    for name in names:
        model = spec.model(name, profile)
        if model.has_spec and model.is_json_ld:
            yield model


def _literal(value: Any) -> str:
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    return json.dumps(value)


def only_type(field: FieldSpec) -> str | None:
    """The one possible type of a field (``ArrayOf#`` removed), if it has exactly one."""
    types = field.possible_types
    return types[0].removeprefix("ArrayOf#") if len(types) == 1 else None


def allowed_values(spec: Spec, field: FieldSpec) -> tuple[Any, ...] | None:
    """The values the ValueInOptions rule checks a single-typed field against."""
    if field.options is not None:
        return tuple(field.options)
    tested = only_type(field)
    if tested is not None and spec.is_enum(tested):
        return spec.enum_options(tested)
    return None


def common_constraints(spec: Spec, model: ModelSpec, profile: str) -> list[Constraint]:
    """The mode-independent property shapes of a model."""
    out: list[Constraint] = []
    name = model.type or ""
    for field_name, data in model.raw_fields.items():
        if field_name in NOT_SHAPED_FIELDS or field_name.startswith("@"):
            continue
        found = _property(field_name, profile)
        if found is None:
            continue
        path, coerced = found
        field = FieldSpec(data)
        allowed = allowed_values(spec, field)
        if allowed is not None and len(field.possible_types) <= 1:
            if coerced:
                items = " ".join(f"<{v}>" for v in allowed if isinstance(v, str))
            else:
                items = " ".join(_literal(v) for v in allowed)
            out.append(
                Constraint(
                    name,
                    field_name,
                    "value-not-allowed",
                    path,
                    (("sh:in", f"( {items} )"),),
                    f"`{field_name}` must be one of the allowed values.",
                )
            )
        for kind, pattern in PATTERNS.items():
            if field.is_only_type(kind):
                out.append(
                    Constraint(
                        name,
                        field_name,
                        FORMAT_CODES[kind],
                        path,
                        (("sh:pattern", _literal(pattern)),),
                        f"`{field_name}` must be an ISO 8601 {kind.rsplit('/', 1)[1]}.",
                    )
                )
        if field.same_as == CURRENCY:
            codes = "|".join(sorted(spec.currency_codes))
            out.append(
                Constraint(
                    name,
                    field_name,
                    "invalid-currency",
                    path,
                    (("sh:pattern", _literal(f"^({codes})$")), ("sh:flags", '"i"')),
                    f"`{field_name}` must be an ISO 4217 currency code.",
                )
            )
        if model.type == "GeoCoordinates" and field.name in RANGES:
            low, high = RANGES[field.name]
            out.append(
                Constraint(
                    name,
                    field_name,
                    f"invalid-{field.name}",
                    path,
                    (("sh:minInclusive", str(low)), ("sh:maxInclusive", str(high))),
                    f"`{field_name}` must be a number between {low} and {high}.",
                )
            )
        minimum = data.get("minValueInclusive")
        if minimum is not None:
            out.append(
                Constraint(
                    name,
                    field_name,
                    "below-minimum",
                    path,
                    (("sh:minInclusive", str(minimum)),),
                    f"`{field_name}` must be at least {minimum}.",
                )
            )
    return out


def mode_constraints(model: ModelSpec, mode: str, profile: str) -> list[Constraint]:
    """Required and forbidden properties of a model in the mode's general configuration."""
    out: list[Constraint] = []
    name = model.type or ""
    requirements = model.requirements(mode, GENERAL)
    for field_name in requirements.required:
        found = _property(field_name, profile)
        if field_name not in NOT_SHAPED_FIELDS and found is not None:
            out.append(
                Constraint(
                    name,
                    field_name,
                    "required-field-missing",
                    found[0],
                    (("sh:minCount", "1"),),
                    f"Required property `{field_name}` is missing from `{name}`.",
                )
            )
    for field_name in requirements.shall_not_include:
        found = _property(field_name, profile)
        if field_name not in NOT_SHAPED_FIELDS and found is not None:
            out.append(
                Constraint(
                    name,
                    field_name,
                    "field-not-allowed-in-mode",
                    found[0],
                    (("sh:maxCount", "0"),),
                    f"`{field_name}` must not be present in `{name}` in {mode} mode.",
                )
            )
    return out


# -- Turtle ---------------------------------------------------------------------------------

_HEADER = """\
# Generated by scripts/generate_validation_data.py from the requirement data
# ({source}). Do not edit.
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix oav: <{annotations}> .
@prefix shp: <{shapes}> .
"""


def _node_shape(shape: str, target: str, constraints: list[Constraint], prefix: str) -> str:
    lines = [f"shp:{shape} a sh:NodeShape ;", f"  sh:targetClass <{target}> ;"]
    names = [f"shp:{prefix}{c.name}" for c in constraints]
    lines.append("  sh:property " + " ,\n    ".join(names) + " .")
    parts = ["\n".join(lines)]
    for constraint, name in zip(constraints, names, strict=True):
        body = [f"  sh:path <{constraint.path}>"]
        body += [f"  {predicate} {value}" for predicate, value in constraint.body]
        body += [
            f"  sh:message {_literal(constraint.message)}",
            f"  oav:code {_literal(constraint.code)}",
            f"  oav:field {_literal(constraint.field)}",
        ]
        parts.append(f"{name} a sh:PropertyShape ;\n" + " ;\n".join(body) + " .")
    return "\n\n".join(parts)


def _document(spec: Spec, shapes: list[str]) -> str:
    source = spec.data["source"]
    header = _HEADER.format(
        source=f"@openactive/data-models {source['@openactive/data-models']}",
        annotations=ANNOTATIONS,
        shapes=SHAPES,
    )
    return header + "\n" + "\n\n".join(shapes) + "\n"


def common_turtle(spec: Spec, profile: str) -> str:
    """``common.ttl`` (OpenActive models) or ``imin.ttl`` (imin's own models)."""
    shapes = []
    for model in shaped_models(spec, profile):
        is_imin_model = model.type in IMIN_MODELS
        if (profile == "imin") != is_imin_model:
            continue
        constraints = common_constraints(spec, model, profile)
        target = class_iri(model, profile)
        if constraints and target:
            shapes.append(_node_shape(f"{model.type}".replace(":", "_"), target, constraints, ""))
    return _document(spec, shapes)


def mode_turtle(spec: Spec, mode: str) -> str:
    """``modes/<mode>.ttl``: the mode's required and forbidden properties."""
    profile = "imin" if mode in IMIN_MODES_SET else "openactive"
    shapes = []
    for model in shaped_models(spec, profile):
        constraints = mode_constraints(model, mode, profile)
        target = class_iri(model, profile)
        if constraints and target:
            shape = f"{mode}-{model.type}".replace(":", "_")
            shapes.append(_node_shape(shape, target, constraints, f"{mode}-"))
    return _document(spec, shapes)


@lru_cache(maxsize=1)
def shape_files(spec: Spec) -> dict[str, str]:
    """Every shapes file by its path under ``_data/shapes/``."""
    files = {
        "common.ttl": common_turtle(spec, "openactive"),
        "imin.ttl": common_turtle(spec, "imin"),
    }
    for mode in (*spec.modes, *sorted(IMIN_MODES_SET)):
        files[f"modes/{mode}.ttl"] = mode_turtle(spec, mode)
    return files
