"""Harvest state: each feed's cursor and every item's latest version, committed per page.

A state store keeps two tables:

* ``harvest_feeds``: one row per feed URL, with the URL of the next page to read
  (``next_url``), counters, when the feed was last read to its end or failed
  (``visited_at``) and the lease of the harvester reading it;
* ``harvest_items``: one row per ``(feed, kind, id)``: the item's ``state``
  (``updated``/``deleted``: a deletion is a tombstone), ``modified`` (as JSON, and as an
  order key ``mkey``), and ``data`` (canonical JSON-LD text; NULL for a tombstone).

:meth:`StateStore.commit_page` writes a page's upserts and the feed's new ``next_url`` in
one transaction; an upsert only replaces a row whose ``mkey`` is smaller (newer modified
wins; replaying a page changes nothing). ``_open.open_state`` opens a store from a URL:
``sqlite:///harvest.db`` (embedded, the default) or ``postgresql://...`` (``_postgres``).
"""

from __future__ import annotations

import fcntl
import functools
import json
import os
import sqlite3
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from ..errors import OpenActiveCheckoutError
from ._read import HarvestItem


@dataclass(frozen=True)
class StoredItem:
    """One item as a state store holds it (a tombstone has ``state="deleted"``, no data)."""

    feed: str
    state: Literal["updated", "deleted"]
    kind: str
    id: str | int
    modified: int | str
    data: dict[str, Any] | None

    def to_rpde(self) -> dict[str, Any]:
        """The item as an RPDE item object."""
        out: dict[str, Any] = {
            "state": self.state, "kind": self.kind, "id": self.id, "modified": self.modified,
        }  # fmt: skip
        if self.state == "updated":
            out["data"] = self.data
        return out


@dataclass(frozen=True)
class FeedState:
    """One feed's row: where reading resumes and what was read so far."""

    url: str
    next_url: str
    pages: int
    items: int
    visited_at: float | None
    error: str | None


def item_row(feed: str, item: HarvestItem) -> tuple[str, str, str, str, str, str, str | None]:
    """The ``harvest_items`` row of an item (feed, kind, id, modified, mkey, state, data)."""
    return (
        feed, item.kind, json.dumps(item.id), json.dumps(item.modified), item.modified_key,
        item.state, None if item.data is None else json.dumps(item.data, ensure_ascii=False),
    )  # fmt: skip


def stored_item(row: Sequence[Any]) -> StoredItem:
    """A :class:`StoredItem` from ``(feed, kind, id, modified, state, data)``."""
    feed, kind, item_id, modified, state, data = row
    return StoredItem(
        feed, state, kind, json.loads(item_id), json.loads(modified),
        None if data is None else json.loads(data),
    )  # fmt: skip


def newest(items: Iterable[HarvestItem]) -> list[HarvestItem]:
    """The items with, for each ``(kind, id)``, only its greatest ``modified`` (page order)."""
    chosen: dict[tuple[str, str | int], HarvestItem] = {}
    for item in items:
        held = chosen.get(item.key)
        if held is None or item.modified_key > held.modified_key:
            chosen[item.key] = item
    return [item for item in items if chosen.get(item.key) is item]


_GUARDED = ("register", "claim", "changes", "commit_page", "release", "feed")


def _guarded(method: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(method)
    def call(self: StateStore, *args: Any, **kwargs: Any) -> Any:
        try:
            return method(self, *args, **kwargs)
        except self.driver_errors as exc:
            raise OpenActiveCheckoutError(f"the harvest state {self.url} failed: {exc}") from exc

    return call


class StateStore:
    """The interface of a harvest state store (SQLite or PostgreSQL).

    Every method but :meth:`changes` and :meth:`items` writes in its own transaction. A
    database error is raised as :class:`~openactive_checkout.OpenActiveCheckoutError`.
    """

    url: str
    lease_seconds: float = 60.0
    driver_errors: tuple[type[Exception], ...] = ()
    """The database driver's exceptions, raised as OpenActiveCheckoutError."""

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        for name in _GUARDED:
            if name in cls.__dict__:
                setattr(cls, name, _guarded(cls.__dict__[name]))

    def register(self, feeds: Sequence[str]) -> None:
        """Add feeds not yet known (their cursor starts at the feed URL)."""
        raise NotImplementedError

    def claim(self, feeds: Sequence[str], started: float) -> FeedState | None:
        """Lease one of ``feeds`` not visited since ``started`` and leased by no live
        harvester; None when none is left."""
        raise NotImplementedError

    def changes(self, feed: str, items: Sequence[HarvestItem]) -> list[HarvestItem]:
        """The items of a page that would change the store (newer than what it holds)."""
        raise NotImplementedError

    def commit_page(
        self, feed: str, items: Sequence[HarvestItem], next_url: str, *, last: bool
    ) -> None:
        """In one transaction: upsert ``items`` (newer modified wins), set the feed's cursor
        to ``next_url`` and renew its lease; ``last`` marks the feed read to its end."""
        raise NotImplementedError

    def release(self, feed: str, *, error: str | None = None) -> None:
        """Give up the lease of ``feed``; with ``error``, record that it failed (visited)."""
        raise NotImplementedError

    def feed(self, url: str) -> FeedState | None:
        """The row of one feed, or None when it is unknown."""
        raise NotImplementedError

    def items(self, feed: str | None = None) -> Iterator[StoredItem]:
        """Every stored item (tombstones included), of one feed or all, by feed and key."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the connection (and free the store for another harvester)."""
        raise NotImplementedError

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


_SQLITE_SCHEMA = """
CREATE TABLE IF NOT EXISTS harvest_feeds (
    url TEXT PRIMARY KEY,
    next_url TEXT NOT NULL,
    pages INTEGER NOT NULL DEFAULT 0,
    items INTEGER NOT NULL DEFAULT 0,
    visited_at REAL,
    error TEXT,
    lease_owner TEXT,
    lease_until REAL
);
CREATE TABLE IF NOT EXISTS harvest_items (
    feed TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    modified TEXT NOT NULL,
    mkey TEXT NOT NULL,
    state TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (feed, kind, id)
);
"""

_SQLITE_UPSERT = """
INSERT INTO harvest_items (feed, kind, id, modified, mkey, state, data)
VALUES (?, ?, ?, ?, ?, ?, ?)
ON CONFLICT (feed, kind, id) DO UPDATE SET
    modified = excluded.modified, mkey = excluded.mkey, state = excluded.state,
    data = excluded.data
WHERE excluded.mkey > harvest_items.mkey
"""

_FEED_COLUMNS = "url, next_url, pages, items, visited_at, error"


class SqliteState(StateStore):
    """The embedded state store: one SQLite file, used by one harvester at a time.

    The file is locked (``flock`` on ``FILE.lock``) while open, so a second harvester on the
    same file fails at once with a clear error instead of interleaving; the lock goes with
    the process, also when it is killed.
    """

    driver_errors = (sqlite3.Error,)

    def __init__(self, path: str | os.PathLike[str], *, url: str | None = None) -> None:
        self.path = Path(path)
        self.url = url or f"sqlite:///{self.path}"
        self.owner = uuid.uuid4().hex
        self._lock: IO[bytes] | None = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            lock = open(f"{self.path}.lock", "ab")  # noqa: SIM115  (held until close)
        except OSError as exc:
            raise OpenActiveCheckoutError(
                f"cannot open the harvest state {self.path}: {exc.strerror}"
            ) from None
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            lock.close()
            raise OpenActiveCheckoutError(
                f"the harvest state {self.path} is in use by another harvester"
            ) from None
        self._lock = lock
        try:
            self._db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            # WAL with synchronous=NORMAL: a commit survives the process being killed (only a
            # power cut can take the last commits back).
            self._db.execute("PRAGMA synchronous=NORMAL")
            self._db.executescript(_SQLITE_SCHEMA)
        except sqlite3.Error as exc:
            self._unlock()
            raise OpenActiveCheckoutError(
                f"cannot use {self.path} as a harvest state: {exc}"
            ) from None

    def _unlock(self) -> None:
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def register(self, feeds: Sequence[str]) -> None:
        with self._transaction():
            self._db.executemany(
                "INSERT INTO harvest_feeds (url, next_url) VALUES (?, ?) ON CONFLICT DO NOTHING",
                [(url, url) for url in feeds],
            )

    def claim(self, feeds: Sequence[str], started: float) -> FeedState | None:
        # One process holds the file: a lease that is not ours is a killed harvester's.
        with self._transaction():
            for url in feeds:
                row = self._db.execute(
                    f"SELECT {_FEED_COLUMNS}, lease_owner FROM harvest_feeds WHERE url = ?",
                    (url,),
                ).fetchone()
                if row is None or row[6] == self.owner:
                    continue
                if row[4] is not None and row[4] >= started:
                    continue
                self._db.execute(
                    "UPDATE harvest_feeds SET lease_owner = ?, lease_until = ? WHERE url = ?",
                    (self.owner, time.time() + self.lease_seconds, url),
                )
                return FeedState(*row[:6])
        return None

    def changes(self, feed: str, items: Sequence[HarvestItem]) -> list[HarvestItem]:
        fresh = newest(items)
        held: dict[tuple[str, str], str] = {}
        keys = [(item.kind, json.dumps(item.id)) for item in fresh]
        for start in range(0, len(keys), 400):
            chunk = keys[start : start + 400]
            marks = ",".join("(?, ?)" for _ in chunk)
            rows = self._db.execute(
                f"SELECT kind, id, mkey FROM harvest_items WHERE feed = ? AND (kind, id) IN "
                f"(VALUES {marks})",
                [feed, *(part for key in chunk for part in key)],
            ).fetchall()
            held.update({(kind, item_id): mkey for kind, item_id, mkey in rows})
        return [
            item
            for item, key in zip(fresh, keys, strict=True)
            if key not in held or item.modified_key > held[key]
        ]

    def commit_page(
        self, feed: str, items: Sequence[HarvestItem], next_url: str, *, last: bool
    ) -> None:
        with self._transaction():
            self._db.executemany(_SQLITE_UPSERT, [item_row(feed, item) for item in items])
            self._db.execute(
                "UPDATE harvest_feeds SET next_url = ?, pages = pages + 1, items = items + ?, "
                "lease_until = ?, error = NULL"
                + (", visited_at = ?" if last else "")
                + " WHERE url = ?",
                (next_url, len(items), time.time() + self.lease_seconds,
                 *((time.time(),) if last else ()), feed),
            )  # fmt: skip

    def release(self, feed: str, *, error: str | None = None) -> None:
        with self._transaction():
            if error is not None:
                self._db.execute(
                    "UPDATE harvest_feeds SET error = ?, visited_at = ? WHERE url = ?",
                    (error, time.time(), feed),
                )
            self._db.execute(
                "UPDATE harvest_feeds SET lease_owner = NULL, lease_until = NULL WHERE url = ?",
                (feed,),
            )

    def feed(self, url: str) -> FeedState | None:
        row = self._db.execute(
            f"SELECT {_FEED_COLUMNS} FROM harvest_feeds WHERE url = ?", (url,)
        ).fetchone()
        return None if row is None else FeedState(*row)

    def items(self, feed: str | None = None) -> Iterator[StoredItem]:
        sql = "SELECT feed, kind, id, modified, state, data FROM harvest_items"
        cursor = self._db.cursor()
        if feed is None:
            cursor.execute(sql + " ORDER BY feed, kind, id")
        else:
            cursor.execute(sql + " WHERE feed = ? ORDER BY kind, id", (feed,))
        for row in cursor:
            yield stored_item(row)

    def close(self) -> None:
        try:
            self._db.close()
        finally:
            self._unlock()

    def _transaction(self) -> _SqliteTransaction:
        return _SqliteTransaction(self._db)


class _SqliteTransaction:
    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def __enter__(self) -> None:
        self.db.execute("BEGIN IMMEDIATE")

    def __exit__(self, exc_type: object, exc: object, tb: object) -> None:
        self.db.execute("ROLLBACK" if exc_type is not None else "COMMIT")
