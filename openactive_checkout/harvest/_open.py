"""Opening a state store from its URL: SQLite (``_state``) or PostgreSQL (``_postgres``)."""

from __future__ import annotations

from ..errors import DataError
from ._state import SqliteState, StateStore


def open_state(url: str, *, lease_seconds: float = 60.0) -> StateStore:
    """Open (creating if needed) the state store at ``url``.

    ``sqlite:///relative/path.db``, ``sqlite:////absolute/path.db`` or a bare file path:
    SQLite; ``postgresql://user@host:port/db`` (or ``postgres://``): PostgreSQL, which needs
    the ``postgres`` extra. ``lease_seconds`` bounds how long a harvester that stopped
    answering keeps a feed from the others (PostgreSQL frees a dead harvester's feeds at once).
    """
    if not isinstance(url, str) or not url:
        raise DataError(f"a state store URL must be a non-empty string, not {url!r}")
    if url.startswith(("postgresql://", "postgres://")):
        from ._postgres import PostgresState

        store: StateStore = PostgresState(url)
    elif url.startswith("sqlite:"):
        path = url.removeprefix("sqlite:")
        if not path.startswith("///"):
            raise DataError(f"a SQLite state URL is sqlite:///FILE, not {url!r}")
        store = SqliteState(path[3:], url=url)
    elif "://" in url:
        raise DataError(
            f"unknown state store {url!r}: use sqlite:///FILE or postgresql://USER@HOST/DB"
        )
    else:
        store = SqliteState(url)
    store.lease_seconds = lease_seconds
    return store
