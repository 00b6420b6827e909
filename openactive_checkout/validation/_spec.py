"""The requirement data (generated from the pinned data-models package) as Python objects.

:func:`spec` loads ``_data/openactive-2.x.json`` once. A :class:`ModelSpec` answers what the
rules ask of a model (its fields, the required / recommended / shall-not-include lists for a
validation mode and containing property); a :class:`FieldSpec` what they ask of one field
(its possible types, options, limits). Lookups are memoised: a document only pays for them
the first time a (model, mode, property) combination is seen.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from importlib import resources
from typing import Any

from ._terms import MISSING, Terms

DATA_FILE = "openactive-2.x.json"

FieldPlan = tuple[tuple[Callable[..., None], ...], tuple[Callable[..., None], ...]]
"""The field rules for one key: for a value that is not a string, for a string."""
Plan = tuple[tuple[Callable[..., None], ...], dict[str, FieldPlan]]
"""The engine's plan for a model in a mode: its model rules, and its field rules by key."""


@dataclass(frozen=True)
class FieldSpec:
    """One field of a model, as the data-models package describes it."""

    data: dict[str, Any]

    @property
    def name(self) -> str:
        name: str = self.data.get("fieldName", "")
        return name

    @property
    def required_type(self) -> str | None:
        return self.data.get("requiredType")

    @property
    def model(self) -> str | None:
        return self.data.get("model")

    @property
    def same_as(self) -> str | None:
        return self.data.get("sameAs")

    @property
    def options(self) -> list[Any] | None:
        return self.data.get("options")

    @property
    def required_content(self) -> Any:
        return self.data.get("requiredContent", MISSING)

    @property
    def allow_referencing(self) -> bool:
        return bool(self.data.get("allowReferencing"))

    @property
    def value_constraint(self) -> str | None:
        return self.data.get("valueConstraint")

    @cached_property
    def possible_types(self) -> tuple[str, ...]:
        """``requiredType``, ``alternativeTypes``, ``model``, ``alternativeModels``."""
        types: list[str] = []
        if "requiredType" in self.data:
            types.append(self.data["requiredType"])
        types += self.data.get("alternativeTypes", [])
        if "model" in self.data:
            types.append(self.data["model"])
        types += self.data.get("alternativeModels", [])
        return tuple(types)

    @cached_property
    def can_be_array(self) -> bool:
        return any(t.startswith("ArrayOf#") for t in self.possible_types)

    @cached_property
    def memo(self) -> dict[Any, Any]:
        """Facts derived from this field alone (e.g. which detected types it allows),
        computed once by the rules that need them."""
        return {}

    def has(self, key: str) -> bool:
        """Whether the field's data sets ``key`` (``minDecimalPlaces``, ...)."""
        return key in self.data

    def is_only_type(self, type_iri: str) -> bool:
        """The field's one and only possible type is ``type_iri``."""
        return self._only_type == type_iri

    @cached_property
    def _only_type(self) -> str | None:
        data = self.data
        if (
            data.get("alternativeTypes")
            or data.get("model") is not None
            or data.get("alternativeModels")
        ):
            return None
        only: str | None = data.get("requiredType")
        return only


@dataclass(frozen=True)
class RequirementSet:
    """What a validation mode requires of a model in one containing property."""

    required: tuple[str, ...]
    recommended: tuple[str, ...]
    shall_not_include: tuple[str, ...]
    required_options: tuple[dict[str, Any], ...]
    referenced: tuple[str, ...]
    shall_not_be_referenced: tuple[str, ...]


@dataclass(eq=False)
class ModelSpec:
    """A model: a type of the data-models package (``has_spec``), or an unknown type."""

    data: dict[str, Any]
    terms: Terms
    has_spec: bool
    _fields: dict[str, FieldSpec | None] = field(default_factory=dict)
    _requirements: dict[tuple[str, str], RequirementSet] = field(default_factory=dict)
    _in_spec: dict[str, bool] = field(default_factory=dict)
    _not_in_spec: dict[str, bool] = field(default_factory=dict)
    plans: dict[tuple[str, str], Plan] = field(default_factory=dict)
    """The engine's rule plans for this model, by (mode, profile)."""
    inherit_sources: dict[str, tuple[tuple[str, dict[str, Any]], ...]] = field(default_factory=dict)
    """By property: the (key, field data) of the fields it may be inherited through."""

    @cached_property
    def type(self) -> str | None:
        return self.data.get("type")

    @cached_property
    def is_json_ld(self) -> bool:
        return bool(self.data.get("isJsonLd", True))

    @cached_property
    def raw_fields(self) -> dict[str, Any]:
        fields: dict[str, Any] = self.data.get("fields", {})
        return fields

    @property
    def sub_class_graph(self) -> list[str]:
        graph: list[str] = self.data.get("subClassGraph", [])
        return graph

    @cached_property
    def in_spec_list(self) -> list[str]:
        names: list[str] = self.data.get("inSpec", [])
        return names

    @cached_property
    def in_spec_set(self) -> frozenset[str]:
        """:attr:`in_spec_list` as a set."""
        return frozenset(self.in_spec_list)

    @cached_property
    def common_typos(self) -> dict[str, str]:
        typos: dict[str, str] = self.data.get("commonTypos", {})
        return typos

    @cached_property
    def base_schema_class(self) -> str | None:
        return self.data.get("baseSchemaClass")

    def field(self, key: str) -> FieldSpec | None:
        """The field a document key means (``schema:name`` finds ``name``), if any."""
        try:
            return self._fields[key]
        except KeyError:
            pass
        checks = self.terms.key_checks(key)
        found: FieldSpec | None = None
        for name in self.raw_fields:
            if name in checks:  # the last matching field wins, as in the validator
                found = self._field_specs[name]
        self._fields[key] = found
        return found

    @cached_property
    def _field_specs(self) -> dict[str, FieldSpec]:
        return {name: FieldSpec(data) for name, data in self.raw_fields.items()}

    def field_sets(self, key: str, *names: str) -> bool:
        """Whether the field ``key`` exists and sets one of ``names`` in its data."""
        found = self.field(key)
        return found is not None and any(found.has(name) for name in names)

    def in_spec(self, key: str) -> bool:
        """The key is one of the model's ``inSpec`` properties."""
        found = self._in_spec.get(key)
        if found is None:
            found = self.terms.in_list(self.in_spec_list, key)
            self._in_spec[key] = found
        return found

    def not_in_spec(self, key: str) -> bool:
        """The key is one of the model's ``notInSpec`` (explicitly disallowed) properties."""
        found = self._not_in_spec.get(key)
        if found is None:
            found = self.terms.in_list(self.data.get("notInSpec", []), key)
            self._not_in_spec[key] = found
        return found

    def deprecated_fields(self) -> tuple[FieldSpec, ...]:
        """The fields with deprecation guidance."""
        return self._deprecated

    @cached_property
    def _deprecated(self) -> tuple[FieldSpec, ...]:
        return tuple(f for f in self._field_specs.values() if f.data.get("deprecationGuidance"))

    def may_forbid(self, key: str) -> bool:
        """Whether some mode, in some containing property, lists ``key`` as *shall not
        include* (a static bound on :attr:`RequirementSet.shall_not_include`)."""
        return self.terms.in_list(self._forbidden_anywhere, key)

    @cached_property
    def _forbidden_anywhere(self) -> frozenset[str]:
        data = self.data
        configs: list[Any] = [data, *(data.get("imperativeConfiguration") or {}).values()]
        for by_field in (data.get("imperativeConfigurationWithContext") or {}).values():
            configs += (by_field or {}).values()
        names: set[str] = set()
        for config in configs:
            if isinstance(config, dict) and config.get("shallNotInclude") is not None:
                names.update(config["shallNotInclude"])
        return frozenset(names)

    def requirements(self, mode: str, containing: str) -> RequirementSet:
        """The requirement lists for ``mode`` when the node sits in ``containing``.

        A configuration for the containing property wins over the mode's configuration,
        which wins over the model's defaults (list by list).
        """
        key = (mode, containing)
        found = self._requirements.get(key)
        if found is None:
            found = self._build_requirements(mode, containing)
            self._requirements[key] = found
        return found

    def _build_requirements(self, mode: str, containing: str) -> RequirementSet:
        config_name = self.data.get("validationMode", {}).get(mode)
        contextual: dict[str, Any] = {}
        general: dict[str, Any] = {}
        if config_name:
            by_field = self.data.get("imperativeConfigurationWithContext", {}).get(config_name)
            if by_field:
                contextual = by_field.get(containing) or {}
            general = self.data.get("imperativeConfiguration", {}).get(config_name) or {}

        def pick(name: str) -> tuple[Any, ...]:
            for source in (contextual, general):
                if source.get(name) is not None:  # an empty list still overrides
                    return tuple(source[name])
            return tuple(self.data.get(name) or ())

        return RequirementSet(
            required=pick("requiredFields"),
            recommended=pick("recommendedFields"),
            shall_not_include=pick("shallNotInclude"),
            required_options=pick("requiredOptions"),
            referenced=pick("referencedFields"),
            shall_not_be_referenced=pick("shallNotBeReferencedFields"),
        )


class Spec:
    """The whole requirement data set with memoised lookups."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.data = data
        self.meta: dict[str, Any] = data["meta"]
        self.context: dict[str, Any] = data["context"]
        self.terms = Terms(self.context)
        self.enums: dict[str, Any] = data["enums"]
        self.properties = frozenset(data["properties"])
        self.currency_codes = frozenset(data["currencyCodes"])
        self.country_codes = frozenset(data["countryCodes"])
        schema = data["schemaOrgProperties"]
        self.schema_any = frozenset(schema["anyClass"])
        self.schema_by_class = {k: frozenset(v) for k, v in schema["byClass"].items()}
        self.class_graphs: dict[str, list[str]] = data.get("classGraphs", {})
        """Each model's class id -> the class and its ancestors (OpenActive, schema.org)."""
        self.modes: tuple[str, ...] = tuple(self.meta["validationModes"])
        self._models: dict[tuple[str, str], ModelSpec] = {}
        self._loaded: dict[tuple[str, str], ModelSpec] = {}
        self._enum_options: dict[str, tuple[str, ...]] = {}
        self.no_spec = ModelSpec({}, self.terms, has_spec=False)

    def model_data(self, name: str) -> dict[str, Any] | None:
        """The data-models entry for an exact model name (``loadModel``)."""
        if not name.isascii() or not name.isalpha() or name == "model_list":
            return None
        found: dict[str, Any] | None = self.data["models"].get(name)
        return found

    def model(self, name: str, profile: str = "openactive") -> ModelSpec:
        """The model called exactly ``name`` (the empty model when there is none).

        In the ``imin`` profile imin's own models exist too, and the OpenActive models carry
        the imin modes' requirements.
        """
        key = (profile, name)
        found = self._models.get(key)
        if found is None:
            data = self.model_data(name)
            if profile == "imin":
                from ._imin import IMIN_MODELS, overlay

                data = IMIN_MODELS.get(name) or (overlay(name, data) if data else None)
            found = ModelSpec(data, self.terms, has_spec=True) if data else self.no_spec
            self._models[key] = found
        return found

    def model_for_type(self, type_name: Any, profile: str = "openactive") -> ModelSpec:
        """The model for a document's ``@type`` value: its context alias, or itself.

        A value that is not a string is read as JavaScript's ``String(value)`` would key it
        (``["Concept"]`` as ``"Concept"``), but only its alias can name a model.
        """
        if not isinstance(type_name, str):
            from ._js import js_string

            alias = self.terms.qualify(js_string(type_name)).alias
            return self.model(alias, profile) if alias else self.no_spec
        key = (profile, type_name)
        found = self._loaded.get(key)
        if found is None:
            alias = self.terms.qualify(type_name).alias
            found = self.model(alias or type_name, profile)
            if profile == "imin" and not found.has_spec:
                found = self.model(type_name.replace("https://imin.co/", "imin:"), profile)
            self._loaded[key] = found
        return found

    def sub_class_graph(self, name: str) -> list[str]:
        data = self.model_data(name)
        return list(data.get("subClassGraph", [])) if data else []

    def enum_options(self, type_name: str) -> tuple[str, ...]:
        """The full-IRI values of an enum type (empty when the type is not an enum)."""
        found = self._enum_options.get(type_name)
        if found is None:
            prop = self.terms.qualify(type_name)
            enum = self.enums.get(prop.label) if prop.label is not None else None
            if enum is not None and enum.get("namespace") == prop.namespace:
                found = tuple(f"{enum['namespace']}{v}" for v in enum["values"])
            else:
                found = ()
            self._enum_options[type_name] = found
        return found

    def is_enum(self, type_name: str) -> bool:
        return bool(self.enum_options(type_name))

    def in_schema_org(self, label: str, base_class: str | None) -> bool:
        """Whether the validator finds ``schema:label`` for a model of ``base_class``."""
        if base_class is None:
            return False
        if label in self.schema_any:
            return True
        return label in self.schema_by_class.get(base_class, frozenset())


@lru_cache(maxsize=1)
def spec() -> Spec:
    """The requirement data, loaded once per process."""
    text = resources.files(__package__).joinpath("_data", DATA_FILE).read_text(encoding="utf-8")
    return Spec(json.loads(text))
