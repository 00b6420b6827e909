"""The PostgreSQL state store (psycopg 3, the ``postgres`` extra): harvesters share feeds.

The tables are those of the SQLite store. Several harvester processes, on any machines, may
use one database with no coordinator: a harvester claims a feed with
``SELECT ... FOR UPDATE SKIP LOCKED`` (so two never take the same row), writing its lease
(its connection's backend pid and an expiry) into the row, and renews the lease with every
page it commits. A lease is free once it expires or once the backend that holds it is gone
(a harvester killed with ``kill -9`` loses its connection, so its feeds are free at once).
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from typing import Any

from .._optional import require
from ..errors import OpenActiveCheckoutError
from ._read import HarvestItem
from ._state import FeedState, StateStore, StoredItem, item_row, newest, stored_item

_SCHEMA = """
CREATE TABLE IF NOT EXISTS harvest_feeds (
    url TEXT PRIMARY KEY,
    next_url TEXT NOT NULL,
    pages BIGINT NOT NULL DEFAULT 0,
    items BIGINT NOT NULL DEFAULT 0,
    visited_at DOUBLE PRECISION,
    error TEXT,
    lease_pid INTEGER,
    lease_until DOUBLE PRECISION
);
CREATE TABLE IF NOT EXISTS harvest_items (
    feed TEXT NOT NULL,
    kind TEXT NOT NULL,
    id TEXT NOT NULL,
    modified TEXT NOT NULL,
    mkey TEXT COLLATE "C" NOT NULL,
    state TEXT NOT NULL,
    data TEXT,
    PRIMARY KEY (feed, kind, id)
);
"""

_UPSERT = """
INSERT INTO harvest_items AS old (feed, kind, id, modified, mkey, state, data)
VALUES (%s, %s, %s, %s, %s, %s, %s)
ON CONFLICT (feed, kind, id) DO UPDATE SET
    modified = excluded.modified, mkey = excluded.mkey, state = excluded.state,
    data = excluded.data
WHERE excluded.mkey > old.mkey
"""

_CLAIM = """
SELECT url, next_url, pages, items, visited_at, error FROM harvest_feeds
WHERE url = ANY(%s)
  AND (visited_at IS NULL OR visited_at < %s)
  AND (lease_pid IS NULL OR lease_until < %s
       OR lease_pid NOT IN (SELECT pid FROM pg_stat_activity WHERE pid IS NOT NULL))
ORDER BY url
LIMIT 1
FOR UPDATE SKIP LOCKED
"""


class PostgresState(StateStore):
    """Harvest state in PostgreSQL; any number of harvesters may share one database."""

    def __init__(self, url: str) -> None:
        psycopg = require("psycopg", extra="postgres")
        self.url = url
        self.driver_errors = (psycopg.Error,)
        try:
            self._db: Any = psycopg.connect(url, autocommit=True)
            with self._db.transaction():
                # Two harvesters creating the tables at once would collide on the catalog.
                self._db.execute("SELECT pg_advisory_xact_lock(74657201)")
                self._db.execute(_SCHEMA)
            self._pid: int = self._db.info.backend_pid
        except psycopg.Error as exc:
            raise OpenActiveCheckoutError(
                f"cannot use {_safe(url)} as a harvest state: {exc}"
            ) from None

    def register(self, feeds: Sequence[str]) -> None:
        with self._db.transaction(), self._db.cursor() as cursor:
            cursor.executemany(
                "INSERT INTO harvest_feeds (url, next_url) VALUES (%s, %s) ON CONFLICT DO NOTHING",
                [(url, url) for url in feeds],
            )

    def claim(self, feeds: Sequence[str], started: float) -> FeedState | None:
        now = time.time()
        with self._db.transaction():
            row = self._db.execute(_CLAIM, (list(feeds), started, now)).fetchone()
            if row is None:
                return None
            self._db.execute(
                "UPDATE harvest_feeds SET lease_pid = %s, lease_until = %s WHERE url = %s",
                (self._pid, now + self.lease_seconds, row[0]),
            )
        return FeedState(*row)

    def changes(self, feed: str, items: Sequence[HarvestItem]) -> list[HarvestItem]:
        fresh = newest(items)
        keys = [(item.kind, json.dumps(item.id)) for item in fresh]
        rows = self._db.execute(
            "SELECT kind, id, mkey FROM harvest_items WHERE feed = %s AND (kind, id) IN "
            "(SELECT * FROM unnest(%s::text[], %s::text[]))",
            (feed, [k for k, _ in keys], [i for _, i in keys]),
        ).fetchall()
        held = {(kind, item_id): mkey for kind, item_id, mkey in rows}
        return [
            item
            for item, key in zip(fresh, keys, strict=True)
            if key not in held or item.modified_key > held[key]
        ]

    def commit_page(
        self, feed: str, items: Sequence[HarvestItem], next_url: str, *, last: bool
    ) -> None:
        now = time.time()
        with self._db.transaction(), self._db.cursor() as cursor:
            cursor.executemany(_UPSERT, [item_row(feed, item) for item in items])
            cursor.execute(
                "UPDATE harvest_feeds SET next_url = %s, pages = pages + 1, items = items + %s, "
                "lease_until = %s, error = NULL, visited_at = CASE WHEN %s THEN %s "
                "ELSE visited_at END WHERE url = %s",
                (next_url, len(items), now + self.lease_seconds, last, now, feed),
            )

    def release(self, feed: str, *, error: str | None = None) -> None:
        with self._db.transaction():
            if error is not None:
                self._db.execute(
                    "UPDATE harvest_feeds SET error = %s, visited_at = %s WHERE url = %s",
                    (error, time.time(), feed),
                )
            self._db.execute(
                "UPDATE harvest_feeds SET lease_pid = NULL, lease_until = NULL WHERE url = %s",
                (feed,),
            )

    def feed(self, url: str) -> FeedState | None:
        row = self._db.execute(
            "SELECT url, next_url, pages, items, visited_at, error FROM harvest_feeds "
            "WHERE url = %s",
            (url,),
        ).fetchone()
        return None if row is None else FeedState(*row)

    def items(self, feed: str | None = None) -> Iterator[StoredItem]:
        sql = "SELECT feed, kind, id, modified, state, data FROM harvest_items"
        with self._db.cursor() as cursor:
            if feed is None:
                cursor.execute(sql + " ORDER BY feed, kind, id")
            else:
                cursor.execute(sql + " WHERE feed = %s ORDER BY kind, id", (feed,))
            for row in cursor:
                yield stored_item(row)

    def close(self) -> None:
        self._db.close()


def _safe(url: str) -> str:
    """The URL without its password (for messages)."""
    scheme, sep, rest = url.partition("://")
    userinfo, at, host = rest.rpartition("@")
    if not at or ":" not in userinfo:
        return url
    return f"{scheme}{sep}{userinfo.split(':', 1)[0]}:***@{host}"
