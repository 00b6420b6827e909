"""The native engine: walks a JSON document object by object and runs the registered rules.

The walk is the official validator's: the document (or each element of a top-level array)
is a node validated against the model named by its ``@type`` (an RPDE page without one is a
``FeedPage``); every object found under a property becomes a node of its own, validated
against its ``@type``'s model, or the model the property declares. Which rules can fire for
a (model, mode, property) is worked out once and memoised, so a long feed pays only for the
checks that actually apply to its values.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import lru_cache
from typing import Any

from ..errors import PathPart, format_json_path
from ._issues import Issue
from ._js import js_truthy
from ._node import Node
from ._registry import ALL, CODES, RULES, Rule
from ._remote import ValidationDocuments, documents_of
from ._spec import FieldPlan, FieldSpec, ModelSpec, Plan, Spec, spec
from ._terms import MISSING
from ._typing import detect_type


class Check:
    """The state of one validation run: the mode, the profile and the issues found."""

    __slots__ = (
        "_contexts",
        "_types",
        "documents",
        "drop",
        "issues",
        "mode",
        "node",
        "nodes",
        "profile",
        "spec",
    )

    def __init__(
        self,
        spec: Spec,
        mode: str,
        profile: str,
        *,
        drop: Callable[[str, Node, PathPart], bool] | None = None,
        documents: ValidationDocuments | None = None,
    ) -> None:
        self.spec = spec
        self.documents = documents_of("published") if documents is None else documents
        """The remote documents the run can "load" (activity lists, extension contexts)."""
        self.mode = mode
        self.profile = profile
        self.issues: list[Issue] = []
        self._contexts: dict[int, Any] = {}
        self.drop = drop
        """When set, issues ``drop(code, node, last path step)`` accepts are left to another
        engine (the SHACL shapes)."""
        self.node: Node | None = None
        self._types: dict[tuple[int, int], str] = {}
        self.nodes: dict[int, Node] = {}
        """The nodes visited, by ``id()`` of their JSON object (kept when ``drop`` is set)."""

    def emit(
        self,
        code: str,
        path: tuple[PathPart, ...],
        message: str,
        value: Any = None,
        json_path: str = "",
    ) -> None:
        """Record an issue of the registered ``code``."""
        if (
            self.drop is not None
            and self.node is not None
            and path
            and self.drop(code, self.node, path[-1])
        ):
            return
        registered = CODES[code]
        if not json_path:
            json_path = self._json_path(path)
        self.issues.append(
            Issue(
                code=code,
                severity=registered.severity,
                path=path,
                message=message,
                value=None if value is MISSING else value,
                json_path=json_path,
            )
        )

    def _json_path(self, path: tuple[PathPart, ...]) -> str:
        """``path`` as JSONPath; from the current node's own when it is the node's or one of
        its properties' (the common case, and cheap however deep the node is)."""
        node = self.node
        if node is not None and len(path) > 8:
            base = node.path
            size = len(base)
            if len(path) == size + 1 and path[:size] == base:
                return node.json_path + format_json_path(path[size:])[1:]
            if path == base:
                return node.json_path
        return format_json_path(path)

    def detect(self, field: FieldSpec, value: Any) -> str:
        """:func:`detect_type`, once per (field, value) in this run (values are alive for
        the whole run, so their identity is a sound key)."""
        key = (id(field), id(value))
        found = self._types.get(key)
        if found is None:
            found = detect_type(self.spec, field, value)
            self._types[key] = found
        return found

    def memo(self, key: int, compute: Callable[[], Any]) -> Any:
        """A per-run memo (e.g. a root node's resolved contexts)."""
        if key not in self._contexts:
            self._contexts[key] = compute()
        return self._contexts[key]


def _targets_model(rule: Rule, model: ModelSpec, terms: Any) -> bool:
    if rule.models == ALL:
        return True
    if model.type is None:
        return False
    return any(name in rule.models for name in terms.key_checks(model.type))


def _targets_field(rule: Rule, model: ModelSpec, key: str, terms: Any) -> bool:
    if rule.fields == ALL:
        return True
    if model.type is None:
        return False
    names = terms.key_checks(model.type)
    key_names = terms.key_checks(key)
    for model_name, targets in rule.fields.items():
        if model_name in names and (targets == ALL or any(t in key_names for t in targets)):
            return True
    return False


def _in_mode(rule: Rule, mode: str, profile: str) -> bool:
    return profile in rule.profiles and (rule.modes == ALL or mode in rule.modes)


@lru_cache(maxsize=4096)
def model_plan(model: ModelSpec, mode: str, profile: str) -> tuple[Callable[..., None], ...]:
    """The model rules that run on a node of ``model`` in ``mode``."""
    terms = spec().terms
    return tuple(
        rule.func
        for rule in RULES.values()
        if rule.kind == "model"
        and _in_mode(rule, mode, profile)
        and _targets_model(rule, model, terms)
    )


@lru_cache(maxsize=65536)
def field_plans(model: ModelSpec, mode: str, profile: str, key: str) -> FieldPlan:
    """The field rules that can fire on ``key`` of a node of ``model`` in ``mode``: for a
    value that is not a string, then for one that is (rules that can only report strings
    are left out of the first)."""
    terms = spec().terms
    rules = [
        rule
        for rule in RULES.values()
        if rule.kind == "field"
        and _in_mode(rule, mode, profile)
        and _targets_field(rule, model, key, terms)
        and (rule.applies is None or rule.applies(model, key))
    ]
    other = tuple(
        rule.func
        for rule in rules
        if rule.strings_only is None or not rule.strings_only(model, key)
    )
    return other, tuple(rule.func for rule in rules)


def document_rules(mode: str, profile: str) -> Iterable[Callable[..., None]]:
    return (
        rule.func
        for rule in RULES.values()
        if rule.kind == "document" and _in_mode(rule, mode, profile)
    )


def is_rpde_page(data: Any) -> bool:
    """An RPDE page: an object with no ``@type`` whose ``items`` all have a valid ``state``."""
    if not isinstance(data, dict):
        return False
    kind = data.get("@type") if js_truthy(data.get("@type")) else data.get("type")
    if kind is not None:
        return False
    items = data.get("items")
    if not isinstance(items, list):
        return False
    return all(isinstance(i, dict) and i.get("state") in ("updated", "deleted") for i in items)


def root_model(check: Check, value: Any, document: Any) -> ModelSpec:
    kind = check.spec.terms.field(value, "@type") if isinstance(value, dict) else MISSING
    if kind is not MISSING:
        return check.spec.model_for_type(kind, check.profile)
    if is_rpde_page(document):
        return check.spec.model("FeedPage", check.profile)
    return check.spec.no_spec


def child_model(check: Check, parent: Node, key: str, value: dict[str, Any]) -> ModelSpec:
    kind = check.spec.terms.field(value, "@type")
    model = (
        check.spec.model_for_type(kind, check.profile)
        if kind is not MISSING
        else check.spec.no_spec
    )
    if not model.has_spec:
        declared = parent.model.raw_fields.get(key)
        if (
            declared is not None
            and "model" in declared
            and "requiredType" not in declared
            and "alternativeTypes" not in declared
            and "alternativeModels" not in declared
        ):
            name = declared["model"].removeprefix("ArrayOf").removeprefix("#")
            model = check.spec.model(name, check.profile)
    return model


_PLAN_KEYS_LIMIT = 4096
"""How many distinct keys a model's plan remembers, so that a feed of made-up keys cannot
grow it without bound (:func:`field_plans` answers the others from its own bounded memo)."""


def _plan(model: ModelSpec, mode: str, profile: str) -> Plan:
    """The (model rules, field rules by key) of ``model`` in ``mode``, kept on the model so
    a node pays one dict lookup for them, and one per key."""
    found = model.plans.get((mode, profile))
    if found is None:
        found = (model_plan(model, mode, profile), {})
        model.plans[(mode, profile)] = found
    return found


def visit_node_only(check: Check, node: Node) -> None:
    """Run the rules on ``node`` itself (not on the objects below it)."""
    model = node.model
    mode, profile = check.mode, check.profile
    check.node = node
    if check.drop is not None:
        check.nodes[id(node.value)] = node
    model_funcs, by_key = _plan(model, mode, profile)
    for func in model_funcs:
        func(check, node)
    value = node.value
    if isinstance(value, dict):
        for key, item in value.items():
            plans = by_key.get(key)
            if plans is None:
                plans = field_plans(model, mode, profile, key)
                if len(by_key) < _PLAN_KEYS_LIMIT:
                    by_key[key] = plans
            for func in plans[isinstance(item, str)]:
                func(check, node, key)


def visit(check: Check, node: Node) -> None:
    """Run the rules on ``node``, then on every object below it."""
    visit_node_only(check, node)
    value = node.value
    if not isinstance(value, dict):
        return
    for key, child in value.items():
        if isinstance(child, list):
            for index, item in enumerate(child):
                if isinstance(item, dict) and "@value" not in item:
                    model = child_model(check, node, key, item)
                    visit(check, Node(check.spec, key, item, node, model, index=index))
        elif isinstance(child, dict) and "@value" not in child:
            model = child_model(check, node, key, child)
            visit(check, Node(check.spec, key, child, node, model))


def run(
    document: Any,
    mode: str,
    profile: str = "openactive",
    documents: ValidationDocuments | None = None,
) -> list[Issue]:
    """Validate a parsed JSON document; return the issues in the order found."""
    return walk(Check(spec(), mode, profile, documents=documents), document)


def walk(check: Check, document: Any) -> list[Issue]:
    """Run every rule of ``check``'s mode over a parsed JSON document."""
    mode, profile = check.mode, check.profile
    for func in document_rules(mode, profile):
        func(check, document)
    if isinstance(document, list):
        roots: list[tuple[Any, int | None]] = [(v, i) for i, v in enumerate(document)]
    elif isinstance(document, dict):
        roots = [(document, None)]
    else:
        roots = []
    for value, index in roots:
        model = root_model(check, value, document)
        visit(check, Node(check.spec, "$", value, None, model, index=index))
    check.node = None
    return check.issues
