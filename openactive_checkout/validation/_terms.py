"""How the OpenActive validator reads a property name or a type name.

The official validator (``@openactive/data-model-validator``) does not expand JSON-LD; it
qualifies each key or type name against the flat OpenActive context: a term aliased in the
context (``type`` -> ``@type``, ``Concept`` -> ``skos:Concept``), a CURIE (``schema:name``), a
full IRI under a known namespace, or a bare name under ``@vocab`` (schema.org). A document key
then *matches* a property when it is one of the property's spellings (:func:`key_checks`).
This module reproduces that reading exactly, so that rules find the same fields the official
validator finds (``"@type"`` and ``"type"``, ``"name"`` and ``"schema:name"``, ...).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, NamedTuple

_KEYWORD = re.compile(
    r"@(context|id|value|language|type|container|list|set|reverse|index|base|vocab|graph)"
)
_HTTP = re.compile(r"https?://")
_VOCAB_TERM = re.compile(r"[a-zA-Z0-9_]+")


class Qualified(NamedTuple):
    """A qualified property or type name."""

    prefix: str | None
    namespace: str | None
    label: str | None
    alias: str | None


def qualify(value: str, context: Mapping[str, Any]) -> Qualified:
    """Qualify ``value`` against a flat (merged) context, the way the validator does.

    Aliases are looked up first (a term whose definition is ``value``, or ``value`` itself
    as a term, in which case its definition is qualified instead); then keywords; then
    known namespaces (full IRI or ``prefix:``), in context order; then ``@vocab``.
    """
    alias: str | None = None
    test = value
    namespaces: list[tuple[str, str]] = []
    for key, definition in context.items():
        if isinstance(definition, str) and not key.startswith("@"):
            if _HTTP.match(definition):
                namespaces.append((key, definition))
            elif test == definition:
                alias = key
            elif test == key:
                alias = key
                test = definition
        elif isinstance(definition, dict) and isinstance(definition.get("@id"), str):
            target = definition["@id"]
            if test == target:
                alias = key
            elif test == key:
                alias = key
                test = target
    if _KEYWORD.fullmatch(test):
        return Qualified(None, None, test, alias)
    for prefix, namespace in namespaces:
        if test.startswith(namespace):
            label = test[len(namespace) :]
            late = context.get(label)
            curie = f"{prefix}:{label}"
            if late == curie or (isinstance(late, dict) and late.get("@id") == curie):
                alias = label
            return Qualified(prefix, namespace, label, alias)
        if test.startswith(prefix + ":"):
            return Qualified(prefix, namespace, test[len(prefix) + 1 :], alias)
    vocab = context.get("@vocab")
    if vocab is not None and _VOCAB_TERM.fullmatch(test):
        for prefix, namespace in namespaces:
            if namespace == vocab:
                return Qualified(prefix, namespace, test, alias)
        return Qualified(None, vocab, test, alias)
    return Qualified(None, None, test, alias)


def spellings(prop: Qualified) -> tuple[str, ...]:
    """Every key that means ``prop``: its alias, label, ``prefix:label`` and full IRI."""
    checks: list[str] = []
    if prop.alias is not None:
        checks.append(prop.alias)
    if prop.label is not None:
        checks.append(prop.label)
        if prop.prefix is not None:
            checks.append(f"{prop.prefix}:{prop.label}")
        if prop.namespace is not None:
            checks.append(f"{prop.namespace}{prop.label}")
    return tuple(checks)


class Terms:
    """Qualification against one context, memoised (the context never changes)."""

    def __init__(self, context: Mapping[str, Any]) -> None:
        self.context = context
        self._qualified: dict[str, Qualified] = {}
        self._checks: dict[str, frozenset[str]] = {}
        self._short: dict[str, str] = {}

    def qualify(self, value: str) -> Qualified:
        """:func:`qualify` against this context."""
        found = self._qualified.get(value)
        if found is None:
            found = qualify(value, self.context)
            self._qualified[value] = found
        return found

    def short_name(self, prop: str) -> str:
        """The name the property ``prop`` is looked up by: its alias, else its label."""
        found = self._short.get(prop)
        if found is None:
            qualified = self.qualify(prop)
            found = qualified.alias or qualified.label or prop
            self._short[prop] = found
        return found

    def key_checks(self, prop: str) -> frozenset[str]:
        """The keys that mean the property ``prop``."""
        found = self._checks.get(prop)
        if found is None:
            found = frozenset(spellings(self.qualify(prop)))
            self._checks[prop] = found
        return found

    def matches(self, key: str, prop: str) -> bool:
        """Whether the document key ``key`` means the property ``prop``."""
        return key in self.key_checks(prop)

    def field(self, data: Mapping[str, Any], prop: str) -> Any:
        """The value of ``prop`` in ``data`` (the last matching key wins), or :data:`MISSING`."""
        checks = self._checks.get(prop) or self.key_checks(prop)
        hit: str | None = None
        for spelling in checks:  # a few spellings: cheaper than scanning every key
            if spelling in data:
                if hit is not None:  # written twice: the last key in document order wins
                    found: Any = MISSING
                    for key, value in data.items():
                        if key in checks:
                            found = value
                    return found
                hit = spelling
        return MISSING if hit is None else data[hit]

    def field_key(self, data: Mapping[str, Any], prop: str) -> str | None:
        """The first key of ``data`` that means ``prop``."""
        checks = self.key_checks(prop)
        hit: str | None = None
        for spelling in checks:
            if spelling in data:
                if hit is not None:  # written twice: the first key in document order
                    for key in data:
                        if key in checks:
                            return key
                hit = spelling
        return hit

    def has_field(self, data: Mapping[str, Any], prop: str) -> bool:
        """Whether some key of ``data`` means ``prop``."""
        return any(spelling in data for spelling in self.key_checks(prop))

    def in_list(self, names: Iterable[str], prop: str) -> bool:
        """Whether one of ``names`` is a spelling of ``prop``."""
        return not self.key_checks(prop).isdisjoint(names)


class _Missing:
    """The absence of a value (JavaScript's ``undefined``), distinct from JSON ``null``."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()
"""Marks an absent value; ``None`` is JSON ``null``."""
