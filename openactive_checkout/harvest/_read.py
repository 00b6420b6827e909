"""Reading RPDE items defensively: every item yields a record, with its problems as data.

An item whose envelope (``state``, ``kind``, ``id``, ``modified``) cannot be read has no
place in a store (it has no key): it becomes a :class:`SkippedItem` that the harvest reports.
:func:`read_data` is the one function that reads the data, leniently
(``loads(data, strict=False)``): a value that does not fit its field is kept verbatim in the
canonical form and carries an ``unfit-value`` problem; data that is no readable JSON-LD at
all keeps its raw form (nothing is lost) and carries an ``unreadable-data`` problem.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, TypeGuard

from ..errors import ContextError, DataError, PathPart, format_json_path
from ..jsonld import loads, read_problems, to_jsonld
from ..jsonld._base import JsonLdNode
from ..validation import Issue, Severity

UNREADABLE = "unreadable-data"
"""The code of the problem recorded for an item whose ``data`` the reader refuses."""
UNFIT = "unfit-value"
"""The code of a value a lenient read kept verbatim because it does not fit its field."""

ItemKey = tuple[str, str | int]


@dataclass(frozen=True)
class HarvestItem:
    """One RPDE item as harvested.

    ``data`` is the opportunity in the canonical wire form when it could be read (``model``
    is then its model), else the raw data as published; None for a deleted item.
    ``problems`` are the reading problems (their paths start at the item's ``data``).
    """

    state: Literal["updated", "deleted"]
    kind: str
    id: str | int
    modified: int | str
    data: dict[str, Any] | None = None
    model: JsonLdNode | None = None
    problems: tuple[Issue, ...] = ()

    @property
    def readable(self) -> bool:
        """Whether ``data`` is the canonical form of a model (not raw data the reader refused)."""
        return not any(problem.code == UNREADABLE for problem in self.problems)

    @property
    def key(self) -> ItemKey:
        """``(kind, id)``: what identifies the item in its feed."""
        return (self.kind, self.id)

    @property
    def modified_key(self) -> str:
        """``modified`` as text whose order is the RPDE order (see :func:`modified_key`)."""
        return modified_key(self.modified)

    def to_rpde(self) -> dict[str, Any]:
        """The item as an RPDE item object (``data`` only for an updated item)."""
        out: dict[str, Any] = {
            "state": self.state, "kind": self.kind, "id": self.id, "modified": self.modified,
        }  # fmt: skip
        if self.state == "updated":
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class SkippedItem:
    """An item that could not be harvested at all (its envelope is unreadable)."""

    path: tuple[PathPart, ...]
    message: str

    def __str__(self) -> str:
        return f"{format_json_path(self.path)}: {self.message}"


_OFFSET = 1 << 63


def modified_key(modified: int | str) -> str:
    """Text that sorts as RPDE orders ``modified``: integers numerically, strings as text.

    Stores compare these keys (``newer modified wins``) with plain text comparison.
    """
    if isinstance(modified, int):
        return f"i{modified + _OFFSET:020d}"
    return "s" + modified


def read_data(data: dict[str, Any]) -> tuple[dict[str, Any] | None, JsonLdNode | None, list[Issue]]:
    """Read one item's ``data``: (its canonical wire form, its model, problems).

    The read is lenient: values that do not fit their field are kept in the wire form and
    listed as ``unfit-value`` failures; data the reader refuses outright (not JSON-LD it
    reads) gives ``(None, None, [an unreadable-data issue])``.
    """
    try:
        model = loads(data, strict=False)
    except DataError as exc:
        return None, None, [_unreadable(exc.path, exc.reason)]
    except ContextError as exc:
        return None, None, [_unreadable(("@context",), str(exc))]
    unfit = [
        Issue(code=UNFIT, severity=Severity.FAILURE, path=p.path, message=p.message, value=p.value)
        for p in read_problems(model)
    ]
    return to_jsonld(model), model, unfit


def _unreadable(path: tuple[PathPart, ...], message: str) -> Issue:
    return Issue(code=UNREADABLE, severity=Severity.FAILURE, path=path, message=message)


def read_item(raw: Any, path: tuple[PathPart, ...]) -> HarvestItem | SkippedItem:
    """Read the RPDE item ``raw`` found at ``path`` of its page."""
    if not isinstance(raw, dict):
        return SkippedItem(path, "an RPDE item must be a JSON object")
    state = raw.get("state")
    if state not in ("updated", "deleted"):
        return SkippedItem((*path, "state"), 'state must be "updated" or "deleted"')
    kind = raw.get("kind")
    if not isinstance(kind, str) or not kind:
        return SkippedItem((*path, "kind"), "kind must be a non-empty string")
    item_id = raw.get("id")
    if not _is_key(item_id):
        return SkippedItem((*path, "id"), "id must be a string or an integer")
    modified = raw.get("modified")
    if not _is_key(modified):
        return SkippedItem((*path, "modified"), "modified must be an integer or a string")
    if state == "deleted":
        return HarvestItem("deleted", kind, item_id, modified)
    data = raw.get("data")
    if not isinstance(data, dict):
        return SkippedItem((*path, "data"), "an updated item must carry its data as an object")
    wire, model, problems = read_data(data)
    return HarvestItem(
        "updated", kind, item_id, modified, data=data if wire is None else wire, model=model,
        problems=tuple(problems),
    )  # fmt: skip


def _is_key(value: Any) -> TypeGuard[str | int]:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value != ""
    )
