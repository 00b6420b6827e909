"""A JSON object being validated, with its place in the document and its model.

Values are looked up the way the official validator looks them up: ``get`` takes the key as
written, else any spelling of the property (``@type``/``type``, ``schema:name``/``name``);
``inherited`` also follows the data-models' inheritance links (a ``ScheduledSession`` takes
``name`` from its ``superEvent``, a ``subEvent`` from its parent).
"""

from __future__ import annotations

from typing import Any

from ..errors import PathPart, format_json_path
from ._spec import ModelSpec, Spec
from ._terms import MISSING

_INHERIT_LIMIT = 50


def _inherit_rule_allows(rule: Any, field: str) -> bool:
    if rule == "*":
        return True
    if not isinstance(rule, dict) or ("exclude" not in rule and "include" not in rule):
        return False
    if "exclude" in rule and field in rule["exclude"]:
        return False
    return not ("include" in rule and field not in rule["include"])


class Node:
    """One JSON object of the document (``value``), validated against ``model``."""

    __slots__ = ("_json_path", "_path", "index", "model", "name", "parent", "spec", "value")

    def __init__(
        self,
        spec: Spec,
        name: str,
        value: Any,
        parent: Node | None,
        model: ModelSpec,
        *,
        index: int | None = None,
    ) -> None:
        self.spec = spec
        self.name = name
        self.value = value
        self.parent = parent
        self.model = model
        self.index = index
        self._path: tuple[PathPart, ...] | None = None
        self._json_path: str | None = None

    @property
    def path(self) -> tuple[PathPart, ...]:
        """The node's place: keys and indexes from the document root."""
        if self._path is None:
            if self.parent is None:
                base: tuple[PathPart, ...] = () if self.name == "$" else (self.name,)
            else:
                base = (*self.parent.path, self.name)
            self._path = base if self.index is None else (*base, self.index)
        return self._path

    @property
    def json_path(self) -> str:
        """:attr:`path` as JSONPath, built on the parent's (so that the issues of a deeply
        nested document cost time in proportion to their number, not to its depth)."""
        if self._json_path is None:
            path = self.path
            parent = self.parent
            if parent is not None and parent.path == path[: len(parent.path)]:
                rest = path[len(parent.path) :]
                self._json_path = parent.json_path + format_json_path(rest)[1:]
            else:
                self._json_path = format_json_path(path)
        return self._json_path

    def path_to(self, *fields: PathPart | None) -> tuple[PathPart, ...]:
        """The path of a property (or deeper) of this node; ``None`` parts are skipped."""
        if len(fields) == 1 and fields[0] is not None:  # the common case, without a generator
            return (*self.path, fields[0])
        return self.path + tuple(f for f in fields if f is not None)

    @property
    def is_root(self) -> bool:
        """The top JSON-LD object (its parent, if any, is an RPDE wrapper, not JSON-LD)."""
        return self.parent is None or not self.parent.model.is_json_ld

    # -- values ------------------------------------------------------------------------

    def get(self, key: str) -> Any:
        """The value under ``key`` as written, else under any spelling of it."""
        value = self.value
        if not isinstance(value, dict):
            return MISSING
        if key in value:
            return value[key]
        return self.spec.terms.field(value, key)

    def mapped(self, prop: str) -> Any:
        """The value of the property ``prop`` under any of its spellings."""
        if not isinstance(self.value, dict):
            return MISSING
        return self.spec.terms.field(self.value, prop)

    def has(self, prop: str) -> bool:
        return isinstance(self.value, dict) and self.spec.terms.has_field(self.value, prop)

    def key_of(self, prop: str) -> str | None:
        """The key this node writes ``prop`` under (the first spelling found)."""
        if not isinstance(self.value, dict):
            return None
        return self.spec.terms.field_key(self.value, prop)

    def inherited(self, prop: str) -> Any:
        """The value of ``prop`` here or, if absent or null, where this node inherits it from."""
        terms = self.spec.terms
        name = terms.short_name(prop)
        node: Node | None = self
        for _ in range(_INHERIT_LIMIT):
            if node is None:
                break
            data = node.value
            if isinstance(data, dict):  # as node.mapped(name), without the call
                value = terms.field(data, name)
                if value is not MISSING and value is not None:
                    return value
            node = node._inherit_from(name)
        return MISSING

    def _inherit_from(self, prop: str) -> Node | None:
        parent = self.parent
        model = self.model
        if parent is not None and prop in model.in_spec_set:
            link = parent.model.raw_fields.get(self.name)
            if link is not None and _inherit_rule_allows(link.get("inheritsTo"), prop):
                return parent
        sources = model.inherit_sources.get(prop)
        if sources is None:
            sources = tuple(
                (key, field)
                for key, field in model.raw_fields.items()
                if "inheritsFrom" in field and _inherit_rule_allows(field["inheritsFrom"], prop)
            )
            model.inherit_sources[prop] = sources
        for key, field in sources:
            value = self.get(key)
            if not isinstance(value, dict):
                continue
            type_name = value.get("type") or value.get("@type")
            data = self.spec.model_data(type_name) if isinstance(type_name, str) else None
            if data:
                # The validator builds this node with a bare model (no specification).
                model = ModelSpec(data, self.spec.terms, has_spec=False)
                return Node(self.spec, field.get("fieldName", key), value, self, model)
        return None
