"""The one registry of validation rules: every rule is a function registered with the codes
it can report; the engine, the SHACL engine's JSON-level pass, the CLI and the docs all
iterate over it.

A rule is one of three kinds:

- ``document``: looks at the raw input once (is it an object? an RPDE page?);
- ``model``: looks at one JSON object (a *node*) as a whole, e.g. required properties;
- ``field``: looks at one property of a node, e.g. a DateTime's format.

Rules may be limited to some validation modes, some models (by type name) and, for field
rules, some properties of some models; ``applies`` is a static filter on (model, key) that
lets the engine precompute, once per model and key, which field rules can fire, and
``strings_only`` another that says, for a (model, key), that the rule reports nothing unless
the value is a string (the engine then skips it for other values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from ._issues import Severity

if TYPE_CHECKING:
    from ._spec import ModelSpec

RuleKind = Literal["document", "model", "field"]
ALL: Literal["*"] = "*"


@dataclass(frozen=True)
class Code:
    """One finding a rule can report."""

    code: str
    severity: Severity
    summary: str
    """What the finding means, in one sentence."""
    official: str = ""
    """The official validator's ``Rule.test`` this mirrors ("" when it is ours alone)."""


@dataclass(frozen=True)
class Rule:
    """A registered rule."""

    name: str
    kind: RuleKind
    func: Callable[..., None]
    codes: tuple[Code, ...]
    modes: frozenset[str] | Literal["*"] = ALL
    models: frozenset[str] | Literal["*"] = ALL
    fields: dict[str, frozenset[str] | Literal["*"]] | Literal["*"] = ALL
    applies: Callable[[ModelSpec, str], bool] | None = None
    strings_only: Callable[[ModelSpec, str], bool] | None = None
    """Static: on this (model, key) the rule can only report a string value."""
    profiles: frozenset[str] = field(default_factory=lambda: frozenset({"openactive", "imin"}))
    """Rule sets it belongs to: ``openactive`` (the official modes) and/or ``imin``."""

    @property
    def doc(self) -> str:
        return (self.func.__doc__ or "").strip()


RULES: dict[str, Rule] = {}
"""Every rule by name, in registration order (the order rules run in)."""
CODES: dict[str, Code] = {}
"""Every code any rule can report."""


def register(
    name: str,
    kind: RuleKind,
    codes: list[Code],
    *,
    modes: list[str] | Literal["*"] = ALL,
    models: list[str] | Literal["*"] = ALL,
    fields: dict[str, list[str] | Literal["*"]] | Literal["*"] = ALL,
    applies: Callable[[ModelSpec, str], bool] | None = None,
    strings_only: Callable[[ModelSpec, str], bool] | None = None,
    profiles: tuple[str, ...] = ("openactive", "imin"),
) -> Callable[[Callable[..., None]], Callable[..., None]]:
    """Register the decorated function as the rule ``name`` reporting ``codes``."""

    def decorate(func: Callable[..., None]) -> Callable[..., None]:
        if name in RULES:
            raise ValueError(f"rule {name!r} registered twice")
        for code in codes:
            if code.code in CODES:
                raise ValueError(f"code {code.code!r} registered twice")
            CODES[code.code] = code
        RULES[name] = Rule(
            name=name,
            kind=kind,
            func=func,
            codes=tuple(codes),
            modes=ALL if modes == ALL else frozenset(modes),
            models=ALL if models == ALL else frozenset(models),
            fields=(
                ALL
                if fields == ALL
                else {m: (ALL if f == ALL else frozenset(f)) for m, f in fields.items()}
            ),
            applies=applies,
            strings_only=strings_only,
            profiles=frozenset(profiles),
        )
        return func

    return decorate


def code(name: str) -> Code:
    """The registered code ``name``."""
    return CODES[name]


def register_code(found: Code) -> Code:
    """Register a code reported outside the rules (e.g. ``invalid-json`` by the parser)."""
    if found.code in CODES:
        raise ValueError(f"code {found.code!r} registered twice")
    CODES[found.code] = found
    return found
