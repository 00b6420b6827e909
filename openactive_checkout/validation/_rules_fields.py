"""Property rules: unknown properties (with typo suggestions), value types, empty values,
allowed values (enums as full IRIs), fixed values, precision, aliases and prefixes, value
constraints, minimum values and ``@id`` URLs."""

from __future__ import annotations

import math
from typing import Any

from ..jsonld._context import bundled
from ._engine import Check
from ._imin import is_imin_term
from ._issues import Severity
from ._js import js_float, js_round, js_strict_equal, js_string
from ._namespaces import DOMAIN_NOT_FOUND, FOUND, NOT_IN_DOMAIN, GraphSpec, Lookup
from ._node import Node
from ._registry import Code, register
from ._rules_required import model_name
from ._spec import ModelSpec, spec
from ._terms import MISSING, Qualified, Terms
from ._typing import TEXT, detect_type, is_url, is_url_template, is_uuid, type_allowed
from ._typos import suggest

_TEXT_ONLY = (TEXT,)

CONTEXT_NOT_LOADED = (
    "Could not check `{field}`: the `@context` entry `{context}` did not load (no document "
    "is known for it: the published OpenActive and imin documents are bundled; pass your own "
    "with `documents=`), so the property's definition cannot be found."
)


class RootContexts:
    """What the extension entries of a top object's ``@context`` give (the validator's
    ``getContexts``): the problems to report on each property outside the specification,
    the loaded documents (as graph specs), and the terms of OpenActive's context merged with
    theirs."""

    __slots__ = ("graphs", "problems", "terms")

    def __init__(
        self,
        problems: list[tuple[str, Any]],
        graphs: list[GraphSpec],
        terms: Terms,
    ) -> None:
        self.problems = problems
        self.graphs = graphs
        self.terms = terms


def merge_contexts(base: dict[str, Any], docs: list[Any]) -> dict[str, Any]:
    """OpenActive's context merged with the ``@context`` of each loaded document, flat, in
    order (data-models' ``mergeContexts``)."""
    merged = dict(base)
    for doc in docs:
        if not isinstance(doc, dict) or "@context" not in doc:
            continue
        value = doc["@context"]
        if isinstance(value, list):
            for part in value:
                if isinstance(part, dict):
                    merged.update(part)
        elif isinstance(value, dict):
            merged.update(value)
    return merged


def _load_contexts(check: Check, value: Any) -> RootContexts:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list):
        return RootContexts([], [], check.spec.terms)
    main = check.spec.meta["contextUrl"]
    documents = check.documents
    problems: list[tuple[str, Any]] = []
    docs: list[Any] = []
    urls: list[str | None] = []
    for url in value:
        if isinstance(url, str) and url != main:
            if check.profile == "imin":
                if url not in bundled().files:  # the imin profiles load the bundled contexts
                    problems.append(("context-not-loaded", url))
                continue
            loaded = documents.context(url)
            if loaded is None:
                problems.append(("context-not-loaded", url))
                continue
            for kind, sub in loaded.notices:
                problems.append(("context-complex" if kind == "complex" else "context-graph", sub))
            docs.append(loaded.doc)
            urls.append(url)
        elif isinstance(url, dict | list) and check.profile != "imin":
            docs.append(url)  # an inline context: ContextInRootNode reports it
            urls.append(None)
    if not docs:
        return RootContexts(problems, [], check.spec.terms)
    oa = check.spec.context
    graphs = [
        documents.graph(url, doc, oa) if url is not None else GraphSpec(doc, oa)
        for url, doc in zip(urls, docs, strict=True)
    ]
    key = tuple(urls) if None not in urls else None
    terms = documents.terms(key, lambda: Terms(merge_contexts(oa, docs)))
    return RootContexts(problems, graphs, terms)


def _root_contexts(check: Check, node: Node) -> RootContexts:
    """The extension contexts of the node's top JSON-LD object, worked out once per run."""
    root = node
    while root.parent is not None and root.parent.model.is_json_ld:
        root = root.parent
    found: RootContexts = check.memo(id(root), lambda: _load_contexts(check, root.get("@context")))
    return found


def _class_id(check: Check, model: ModelSpec) -> str:
    derived = model.data.get("derivedFrom")
    if isinstance(derived, str):
        return derived
    return f"{check.spec.meta['openActivePrefix']}:{model.type}"


@register(
    "FieldsNotInModel",
    "field",
    [
        Code(
            "field-not-allowed",
            Severity.FAILURE,
            "A property the model explicitly excludes (``notInSpec``) is present.",
            "FieldsNotInModelRule.notAllowed",
        ),
        Code(
            "context-not-loaded",
            Severity.FAILURE,
            "A property outside the specification relies on an extension ``@context`` whose "
            "document did not load (neither published and bundled, nor given with "
            "``documents=``; or validation is offline), so it cannot be checked.",
            "FieldsNotInModelRule.extensionErrorCode",
        ),
        Code(
            "context-complex",
            Severity.NOTICE,
            "An extension context builds on another context whose document has no plain "
            "``@context`` object: its terms cannot be read.",
            "FieldsNotInModelRule.extensionComplex",
        ),
        Code(
            "context-graph",
            Severity.NOTICE,
            "An extension context builds on another context whose document has a "
            "``@graph``, which is not read.",
            "FieldsNotInModelRule.extensionGraph",
        ),
        Code(
            "beta-not-defined",
            Severity.FAILURE,
            "A ``beta:`` property has no definition the validator can find.",
            "FieldsNotInModelRule.invalidBeta",
        ),
        Code(
            "extension-not-defined",
            Severity.FAILURE,
            "An extension (prefixed or full-IRI) property has no definition the validator "
            "can find.",
            "FieldsNotInModelRule.invalidExperimental",
        ),
        Code(
            "beta-not-in-domain",
            Severity.FAILURE,
            "A ``beta:`` property is defined, but not for this type (its ``domainIncludes`` "
            "does not include the object's type or a parent of it).",
            "FieldsNotInModelRule.invalidBetaNotInDomain",
        ),
        Code(
            "extension-not-in-domain",
            Severity.FAILURE,
            "An extension property is defined, but not for this type (its "
            "``domainIncludes`` does not include the object's type or a parent of it).",
            "FieldsNotInModelRule.invalidExperimentalNotInDomain",
        ),
        Code(
            "extension-domain-unknown",
            Severity.NOTICE,
            "An extension property is defined with a domain, but the object's type has no "
            "known class to check it against.",
            "FieldsNotInModelRule.invalidExperimentalDomainNotFound",
        ),
        Code(
            "superseded-property",
            Severity.FAILURE,
            "A ``beta:`` property has graduated: its definition names the property that "
            "supersedes it.",
            "FieldsNotInModelRule.superseded",
        ),
        Code(
            "superseded-property-in-feed",
            Severity.WARNING,
            "A ``beta:`` property has graduated (in an opportunity feed: a warning).",
            "FieldsNotInModelRule.supersededFeed",
        ),
        Code(
            "field-typo",
            Severity.FAILURE,
            "A property is a common misspelling of a property of the model.",
            "FieldsNotInModelRule.typoHint",
        ),
        Code(
            "schema-org-field",
            Severity.NOTICE,
            "A schema.org property outside the OpenActive specification: allowed, not checked.",
            "FieldsNotInModelRule.inSchemaOrg",
        ),
        Code(
            "field-not-in-spec",
            Severity.FAILURE,
            "A property is not defined by the specification for this model (the message "
            "suggests the closest known property).",
            "FieldsNotInModelRule.notInSpec",
        ),
    ],
    applies=lambda model, key: (
        model.has_spec and key != "@context" and (model.not_in_spec(key) or not model.in_spec(key))
    ),
)
def fields_not_in_model(check: Check, node: Node, key: str) -> None:
    """Every property is defined for the model: by the specification, schema.org, or the
    document of an extension context listed in ``@context`` (``beta:`` terms by the Beta
    Namespace, for the types its ``domainIncludes`` names)."""
    model = node.model
    if model.is_json_ld and not js_strict_equal(model.type, node.get("type")):
        return  # the object's type is not this model's; other rules report that
    value = node.value[key]
    path = node.path_to(key)
    if model.not_in_spec(key):
        check.emit(
            "field-not-allowed", path, f"This property is not allowed in {model_name(node)}.", value
        )
        return
    contexts = _root_contexts(check, node)
    for problem, context in contexts.problems:
        if problem == "context-not-loaded":
            message = CONTEXT_NOT_LOADED.format(field=key, context=context)
        elif problem == "context-complex":
            message = (
                f"The context `{context}` has nested contexts that cannot be processed, so "
                "its terms are not read."
            )
        else:
            message = f"The context `{context}` has a `@graph`, which is not read."
        check.emit(problem, path, message, context)
    if check.profile == "imin" and is_imin_term(key):
        return  # a term of the imin vocabulary (imin documents every term, not its domain)
    prop = contexts.terms.qualify(key)
    if prop.prefix not in check.spec.meta["namespaces"]:
        _extension_property(check, node, key, prop, contexts)
        return
    typo = model.common_typos.get(key)
    if typo is not None:
        check.emit(
            "field-typo",
            path,
            f"`{key}` is a common misspelling of `{typo}`: rename it to `{typo}`.",
            value,
        )
        return
    label = prop.label if prop.prefix == "schema" and prop.label is not None else key
    if check.spec.in_schema_org(label, model.base_schema_class):
        check.emit(
            "schema-org-field",
            path,
            f"`schema:{prop.label}` is a schema.org property outside the OpenActive "
            "specification: it is allowed, but its format and values are not checked.",
            value,
        )
        return
    hint = suggest(key, model)
    check.emit(
        "field-not-in-spec",
        path,
        "This property is not defined in the OpenActive specification for "
        f"`{model_name(node)}`.{hint} For your own data use an extension property "
        f"(`ext:{prop.label}`).",
        value,
    )


def _extension_property(
    check: Check, node: Node, key: str, prop: Qualified, contexts: RootContexts
) -> None:
    """A property under a namespace outside the specification's: look it up in the loaded
    extension documents (``beta:`` in ns-beta, ``imin:`` in imin's), in order."""
    model = node.model
    value = node.value[key]
    path = node.path_to(key)
    beta = key.startswith("beta:")
    found: Lookup | None = None
    if prop.namespace is not None or prop.prefix is not None:
        class_id = _class_id(check, model)
        for graph in contexts.graphs:
            found = graph.lookup(key, class_id, check.spec.class_graphs)
            if found.code in (FOUND, NOT_IN_DOMAIN, DOMAIN_NOT_FOUND):
                break
    if found is not None and found.code == FOUND:
        if found.superseded_by is not None:
            by = js_string(found.superseded_by)
            check.emit(
                "superseded-property-in-feed"
                if check.mode == "RPDEFeed"
                else "superseded-property",
                path,
                f"`{key}` has graduated from the beta namespace and is likely to be removed: "
                f"use `{by}` instead.",
                value,
            )
        return
    if found is not None and found.code == NOT_IN_DOMAIN:
        domains = ", ".join(f"`{d}`" for d in found.domains)
        check.emit(
            "beta-not-in-domain" if beta else "extension-not-in-domain",
            path,
            f"`{key}` is defined, but not for `{model_name(node)}`: the types allowed for it "
            f"are {domains}.",
            value,
        )
        return
    if found is not None and found.code == DOMAIN_NOT_FOUND:
        check.emit(
            "extension-domain-unknown",
            path,
            f"`{key}` is defined, but whether it is allowed in `{model_name(node)}` could not "
            "be checked.",
            value,
        )
        return
    if beta:
        check.emit(
            "beta-not-defined",
            path,
            "No definition for this `beta:` property could be found: check the property "
            "name against the Beta Namespace and that `@context` includes "
            f"`https://openactive.io/ns-beta`.{suggest(key, model)}",
            value,
        )
    else:
        check.emit(
            "extension-not-defined",
            path,
            "No definition for this extension property could be found: extension "
            "properties must be defined by a published context listed in `@context`."
            f"{suggest(key, model)}",
            value,
        )


def _has_field(model: ModelSpec, key: str) -> bool:
    return model.has_spec and model.field(key) is not None


def _field_name(model: ModelSpec, key: str) -> str | None:
    found = model.field(key)
    return None if found is None else found.name


@register(
    "FieldsCorrectType",
    "field",
    [
        Code(
            "value-object",
            Severity.FAILURE,
            'A JSON-LD value object (``{"@value": ...}``) is used instead of a plain value.',
            "FieldsCorrectTypeRule.noValueObjects",
        ),
        Code(
            "invalid-type",
            Severity.FAILURE,
            "A value has the wrong type: not one of the types (or arrays of them) the model "
            "allows for the property.",
            "FieldsCorrectTypeRule.singleType",
        ),
    ],
    applies=lambda model, key: model.is_json_ld and _has_field(model, key),
)
def fields_correct_type(check: Check, node: Node, key: str) -> None:
    """Values have the property's type: text, number, boolean, ISO 8601 date/time, URL, an
    object of an allowed model, or an array of those where arrays are allowed."""
    field = node.model.field(key)
    assert field is not None
    spec = check.spec
    value = node.value[key]  # field rules run on the node's own keys
    expected = field.possible_types
    if not expected:
        return
    if expected == _TEXT_ONLY and isinstance(value, str):
        return  # detected as Text or a kind of Text: always allowed
    derived = detect_type(spec, field, value)  # pure: no need for the run's memo here
    tested = expected[0] if len(expected) == 1 else derived
    if isinstance(value, list) and field.can_be_array:
        tested = tested.removeprefix("ArrayOf#")
    if spec.is_enum(tested):
        return  # enum values are checked against their options
    if type_allowed(spec, field, value, derived):
        return
    if field.allow_referencing and is_url(value):
        return
    requirements = node.model.requirements(check.mode, node.name)
    referenced = field.allow_referencing and key in requirements.referenced
    not_referenced = field.allow_referencing and key in requirements.shall_not_be_referenced
    if referenced or (not_referenced and isinstance(value, str)):
        return  # the reference rules report a clearer problem
    if (
        isinstance(value, dict)
        and "type" not in value
        and "@type" not in value
        and "@value" in value
    ):
        check.emit(
            "value-object",
            node.path_to(key),
            "Value objects are valid JSON-LD but not part of OpenActive: use a plain value.",
            value,
        )
        return
    found = derived
    allowed = ", ".join(f"`{t}`" for t in expected)
    reference = (
        " or a reference URI to an `@id`" if field.allow_referencing and not not_referenced else ""
    )
    check.emit(
        "invalid-type",
        node.path_to(key),
        f"Invalid type: expected {allowed}{reference}, found `{found}`.",
        value,
    )


@register(
    "NoEmptyValues",
    "field",
    [
        Code(
            "empty-value",
            Severity.FAILURE,
            "A property is ``null``, an empty string or an empty array: omit it instead.",
            "NoEmptyValuesRule.notNull",
        )
    ],
    applies=lambda model, key: model.has_spec,
)
def no_empty_values(check: Check, node: Node, key: str) -> None:
    """No ``null``, ``""`` or ``[]``: a property without a value is left out."""
    value = node.value[key]
    if value is None:
        what = "null"
    elif value in ([], ""):
        what = "an empty array" if isinstance(value, list) else "an empty string"
    else:
        return
    check.emit(
        "empty-value",
        node.path_to(key),
        f"`{key}` must not be {what}: leave the property out instead.",
        value,
    )


def _may_have_options(model: ModelSpec, key: str) -> bool:
    """Static filter: the field has options, or one of its types is an enum."""
    field = model.field(key) if model.has_spec else None
    if field is None:
        return False
    if field.options is not None:
        return True
    the_spec = spec()
    return any(the_spec.is_enum(t.removeprefix("ArrayOf#")) for t in field.possible_types)


@register(
    "ValueInOptions",
    "field",
    [
        Code(
            "value-not-allowed",
            Severity.FAILURE,
            "A value is not one of the property's allowed values (enum values are full IRIs, "
            "e.g. ``https://openactive.io/TaxGross``).",
            "ValueInOptionsRule.default",
        ),
        Code(
            "value-is-array",
            Severity.FAILURE,
            "An array is given for a property with a fixed set of single values.",
            "ValueInOptionsRule.fieldArray",
        ),
    ],
    applies=_may_have_options,
)
def value_in_options(check: Check, node: Node, key: str) -> None:
    """Values of enumerated properties are among the allowed values."""
    field = node.model.field(key)
    assert field is not None
    spec = check.spec
    value = node.value[key]
    expected = field.possible_types
    if len(expected) == 1:
        tested = expected[0].removeprefix("ArrayOf#")
    else:
        tested = check.detect(field, value).removeprefix("ArrayOf#")
    allowed: list[Any] | tuple[str, ...] | None = field.options
    if allowed is None and spec.is_enum(tested):
        allowed = spec.enum_options(tested)
    if allowed is None:
        return
    shown = ", ".join(f'"{v}"' for v in allowed)
    if isinstance(value, list):
        if not field.can_be_array:
            check.emit(
                "value-is-array",
                node.path_to(key),
                f"`{key}` takes a single value, one of {shown}.",
                value,
            )
            return
        for item in value:
            if not _among(item, allowed):
                check.emit(
                    "value-not-allowed",
                    node.path_to(key),
                    f"`{item}` is not an allowed value of `{key}`; use one of {shown}.",
                    item,
                )
                return
    elif not _among(value, allowed):
        check.emit(
            "value-not-allowed",
            node.path_to(key),
            f"`{value}` is not an allowed value of `{key}`; use one of {shown}.",
            value,
        )


def _among(value: Any, allowed: list[Any] | tuple[str, ...]) -> bool:
    return any(js_strict_equal(value, option) for option in allowed)


@register(
    "ValueIsRequiredContent",
    "field",
    [
        Code(
            "wrong-fixed-value",
            Severity.FAILURE,
            "A property whose value is fixed by the model (e.g. an error's ``statusCode``) "
            "has another value.",
            "ValueIsRequiredContentRule.default",
        )
    ],
    applies=lambda model, key: (
        _has_field(model, key)
        and model.field_sets(key, "requiredContent")
        and _field_name(model, key) != "type"  # the type rules check the type
    ),
)
def value_is_required_content(check: Check, node: Node, key: str) -> None:
    """Fixed values are as the model fixes them."""
    field = node.model.field(key)
    assert field is not None
    value = node.mapped(key)
    required = field.required_content
    if value is MISSING or field.name == "type" or required is MISSING:
        return
    if not js_strict_equal(required, value):
        check.emit(
            "wrong-fixed-value",
            node.path_to(key),
            f"`{key}` must be {required!r}, not {value!r}.",
            value,
        )


def precision(value: float) -> int:
    """Decimal places as the validator counts them."""
    if not math.isfinite(value):
        return 0
    scale, places = 1.0, 0
    while js_round(value * scale) / scale != value and places < 330:
        scale *= 10
        places += 1
    return places


@register(
    "Precision",
    "field",
    [
        Code(
            "too-few-decimals",
            Severity.SUGGESTION,
            "A number has fewer decimal places than recommended (e.g. coordinates).",
            "PrecisionRule.belowMinimum",
        ),
        Code(
            "too-many-decimals",
            Severity.WARNING,
            "A number has more decimal places than allowed (e.g. a price beyond 2).",
            "PrecisionRule.aboveMaximum",
        ),
    ],
    applies=lambda model, key: (
        model.has_spec and model.field_sets(key, "minDecimalPlaces", "maxDecimalPlaces")
    ),
)
def precision_rule(check: Check, node: Node, key: str) -> None:
    """Decimal numbers have the required precision (prices at most 2 places)."""
    field = node.model.field(key)
    assert field is not None
    value = node.mapped(key)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    places = precision(js_float(value))
    low = field.data.get("minDecimalPlaces")
    high = field.data.get("maxDecimalPlaces")
    if low is not None and places < low:
        check.emit(
            "too-few-decimals",
            node.path_to(key),
            f"`{key}` should have at least {low} decimal places.",
            value,
        )
    if high is not None and places > high:
        check.emit(
            "too-many-decimals",
            node.path_to(key),
            f"`{key}` must have at most {high} decimal places.",
            value,
        )


def _may_be_prefixed(key: str) -> bool:
    """Static filter: the key is an alias, a CURIE or a full IRI (``name`` never fires)."""
    prop = spec().terms.qualify(key)
    return (
        prop.alias in ("type", "id")
        or (prop.prefix is not None and f"{prop.prefix}:{prop.label}" == key)
        or (prop.namespace is not None and f"{prop.namespace}{prop.label}" == key)
    )


@register(
    "NoPrefixOrNamespace",
    "field",
    [
        Code(
            "type-id-alias",
            Severity.FAILURE,
            "``type``/``id`` are used instead of ``@type``/``@id`` (deprecated; booking "
            "payloads must use ``@type``/``@id``).",
            "NoPrefixOrNamespaceRule.typeAndIdFailure",
        ),
        Code(
            "type-id-alias-in-feed",
            Severity.WARNING,
            "``type``/``id`` are used instead of ``@type``/``@id`` in an opportunity feed.",
            "NoPrefixOrNamespaceRule.typeAndIdWarning",
        ),
        Code(
            "prefixed-property",
            Severity.WARNING,
            "A specification property is written with its prefix (``schema:name``).",
            "NoPrefixOrNamespaceRule.noPrefix",
        ),
        Code(
            "namespaced-property",
            Severity.WARNING,
            "A specification property is written as a full IRI.",
            "NoPrefixOrNamespaceRule.noNamespace",
        ),
        Code(
            "prefixed-type",
            Severity.WARNING,
            "A type is written with its prefix (``skos:Concept``).",
            "NoPrefixOrNamespaceRule.noPrefixValue",
        ),
        Code(
            "namespaced-type",
            Severity.WARNING,
            "A type is written as a full IRI.",
            "NoPrefixOrNamespaceRule.noNamespaceValue",
        ),
    ],
    applies=lambda model, key: model.has_spec and _may_be_prefixed(key),
)
def no_prefix_or_namespace(check: Check, node: Node, key: str) -> None:
    """Properties and types use the short names the OpenActive context defines."""
    terms = check.spec.terms
    prop = terms.qualify(key)
    path = node.path_to(key)
    if (
        node.model.is_json_ld
        and check.profile == "openactive"
        and prop.alias in ("type", "id")
        and prop.namespace is None
        and prop.prefix is None
        and key != f"@{prop.alias}"
    ):
        in_feed = check.mode == "RPDEFeed"
        check.emit(
            "type-id-alias-in-feed" if in_feed else "type-id-alias",
            path,
            f"Use `@{prop.alias}` instead of `{prop.alias}`: `{prop.alias}` is deprecated.",
            node.value[key],
        )
    elif (
        prop.alias is not None or prop.prefix == "schema"
    ) and prop.label in node.model.in_spec_list:
        short = prop.alias or prop.label
        if prop.prefix is not None and f"{prop.prefix}:{prop.label}" == key:
            check.emit(
                "prefixed-property",
                path,
                f"Write `{key}` without its prefix, as `{short}`.",
                node.value[key],
            )
        elif prop.namespace is not None and f"{prop.namespace}{prop.label}" == key:
            check.emit(
                "namespaced-property",
                path,
                f"Write `{key}` without its namespace, as `{short}`.",
                node.value[key],
            )
    if prop.alias == "type":
        value = node.value[key]
        if not isinstance(value, str):
            return
        kind = terms.qualify(value)
        short = kind.alias or kind.label or value
        if kind.prefix is not None and f"{kind.prefix}:{kind.label}" == value:
            check.emit("prefixed-type", path, f"Write the type `{value}` as `{short}`.", value)
        elif kind.namespace is not None and f"{kind.namespace}{kind.label}" == value:
            check.emit("namespaced-type", path, f"Write the type `{value}` as `{short}`.", value)


@register(
    "ValueConstraint",
    "field",
    [
        Code(
            "value-constraint",
            Severity.FAILURE,
            "A value does not match the property's constraint (a URI template, a UUID).",
            "ValueConstraintRule.valueConstraint",
        )
    ],
    applies=lambda model, key: model.has_spec and model.field_sets(key, "valueConstraint"),
)
def value_constraint(check: Check, node: Node, key: str) -> None:
    """``urlTemplate``/``idTemplate`` are RFC 6570 URI templates; ``Order.identifier`` a UUID."""
    field = node.model.field(key)
    assert field is not None
    value = node.value[key]
    constraint = field.value_constraint
    bad = (
        not isinstance(value, str)
        or (constraint == "UriTemplate" and not is_url_template(value))
        or (constraint == "UUID" and not is_uuid(value))
    )
    if bad:
        check.emit(
            "value-constraint",
            node.path_to(key),
            f"The value of `{key}` does not match the expected {constraint} format.",
            value,
        )


@register(
    "MinValueInclusive",
    "field",
    [
        Code(
            "below-minimum",
            Severity.FAILURE,
            "A number is below the property's minimum (e.g. a negative capacity).",
            "MinValueInclusiveRule.belowMinimum",
        )
    ],
    applies=lambda model, key: model.has_spec and model.field_sets(key, "minValueInclusive"),
)
def min_value_inclusive(check: Check, node: Node, key: str) -> None:
    """Numbers respect the property's ``minValueInclusive``."""
    field = node.model.field(key)
    assert field is not None
    value = node.value[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        return
    minimum = field.data["minValueInclusive"]
    if value < minimum:
        check.emit(
            "below-minimum",
            node.path_to(key),
            f"`{key}` must be greater than or equal to {minimum}.",
            value,
        )


@register(
    "Id",
    "field",
    [
        Code(
            "invalid-id",
            Severity.FAILURE,
            "An ``@id`` is not an absolute http(s) URL.",
            "IdRule.idInvalid",
        )
    ],
    applies=lambda model, key: key in ("@id", "id") and model.has_spec and model.is_json_ld,
)
def id_rule(check: Check, node: Node, key: str) -> None:
    """``@id`` values are absolute URLs (stable, globally unique identifiers)."""
    value = node.value[key]
    if not is_url(value):
        check.emit(
            "invalid-id",
            node.path_to(key),
            "The value of `@id` must be an absolute http(s) URL.",
            value,
        )
