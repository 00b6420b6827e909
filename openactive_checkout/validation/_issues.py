"""Findings as data: :class:`Issue` and :class:`ValidationReport`."""

from __future__ import annotations

import math
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from ..errors import DataError, PathPart, format_json_path


class Severity(StrEnum):
    """The OpenActive severity scale, most serious first."""

    FAILURE = "failure"
    WARNING = "warning"
    NOTICE = "notice"
    SUGGESTION = "suggestion"


@dataclass(frozen=True, slots=True)
class Issue:
    """One finding about a document.

    ``code`` is stable (see the rule registry, ``openactive_checkout.validation.RULES``);
    ``path`` locates the finding as a tuple of keys and indexes, ``json_path`` renders it
    the way the official OpenActive validator does (``$.orderedItem[0].acceptedOffer``);
    ``value`` is the offending value (``None`` when a value is missing).
    """

    code: str
    severity: Severity
    path: tuple[PathPart, ...]
    message: str
    value: Any = None
    json_path: str = ""

    def __post_init__(self) -> None:
        if not self.json_path:
            object.__setattr__(self, "json_path", format_json_path(self.path))

    @property
    def is_failure(self) -> bool:
        return self.severity is Severity.FAILURE

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (``path`` as a list)."""
        return {
            "code": self.code,
            "severity": self.severity.value,
            "path": list(self.path),
            "json_path": self.json_path,
            "message": self.message,
            "value": json_ready(self.value),
        }


def json_ready(value: Any) -> Any:
    """``value`` as ``JSON.stringify`` writes it: a number beyond what JSON can hold
    (``NaN``, an infinity, an integer too large for a double) becomes ``None``. The value
    itself when it holds no such number (walked without recursion: values may nest deeply)."""
    if not isinstance(value, list | dict):
        return None if _unwritable(value) else value
    stack: list[Any] = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
        elif _unwritable(item):
            return _copy(value)
    return value


def _unwritable(value: Any) -> bool:
    if isinstance(value, float):
        return not math.isfinite(value)
    return isinstance(value, int) and not isinstance(value, bool) and abs(value) > _MAX_DOUBLE


def _copy(value: Any) -> Any:
    """A copy of ``value`` with unwritable numbers as ``None`` (iteratively)."""
    root: list[Any] = [None]
    stack: list[tuple[Any, Any, Any]] = [(value, root, 0)]
    while stack:
        item, parent, key = stack.pop()
        if isinstance(item, list):
            copy: Any = [None] * len(item)
            stack.extend((child, copy, index) for index, child in enumerate(item))
        elif isinstance(item, dict):
            copy = dict.fromkeys(item)
            stack.extend((child, copy, name) for name, child in item.items())
        else:
            copy = None if _unwritable(item) else item
        parent[key] = copy
    return root[0]


_MAX_DOUBLE = int(sys.float_info.max)


@dataclass(frozen=True)
class ValidationReport:
    """The result of validating one document in one mode.

    ``conforms`` is true when no issue is a failure (warnings, notices and suggestions do
    not change the verdict). Iterating a report yields its issues.
    """

    mode: str
    issues: tuple[Issue, ...] = field(default_factory=tuple)
    engine: str = "native"

    @property
    def conforms(self) -> bool:
        return not any(issue.severity is Severity.FAILURE for issue in self.issues)

    @property
    def failures(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.FAILURE)

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def by_severity(self, severity: Severity | str) -> tuple[Issue, ...]:
        """The issues of one severity."""
        wanted = Severity(severity)
        return tuple(i for i in self.issues if i.severity is wanted)

    def raise_for_failures(self) -> None:
        """Raise :class:`~openactive_checkout.errors.DataError` at the first failure, if any."""
        failures = self.failures
        if failures:
            first = failures[0]
            more = f" (and {len(failures) - 1} more failures)" if len(failures) > 1 else ""
            raise DataError(f"{first.code}: {first.message}{more}", path=first.path)

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: ``mode``, ``engine``, ``conforms``, ``issues``."""
        return {
            "mode": self.mode,
            "engine": self.engine,
            "conforms": self.conforms,
            "issues": [issue.to_dict() for issue in self.issues],
        }
