"""The mock server's RPDE feed: items from a file, served in pages by modified timestamp and id.

Paging follows RPDE's "modified timestamp and id" ordering: items are sorted by
``(modified, id)`` and ``?afterTimestamp=T&afterId=I`` returns the items after that pair.
Every page's ``next`` carries the last item's pair; the last page has no items and its
``next`` is its own URL.

A feed may change while it is served, as a publisher's does: :meth:`MockFeed.delete` turns
an item into a deletion (RPDE's tombstone, moved to the end of the feed with a newer
``modified``) and :meth:`MockFeed.add` adds or replaces items; both are thread-safe.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ..errors import DataError, FeedError, PathPart
from ..http._rpde import FeedItem, read_items, read_page
from ..jsonld._reader import check_depth, load_json

LICENSE = "https://creativecommons.org/licenses/by/4.0/"

SortKey = tuple[int | str, int | str]


class QueryError(ValueError):
    """A feed request whose paging parameters the mock feed cannot use."""


class MockFeed:
    """RPDE items, checked and sorted, ready to be served page by page."""

    def __init__(
        self,
        raw_items: Sequence[Mapping[str, Any]],
        items: Sequence[FeedItem],
        *,
        path: tuple[PathPart, ...] = (),
    ) -> None:
        """``raw_items`` as given (served verbatim) and the same items read; ``path`` is
        where the items sit in the source, for errors."""
        self._int_modified = all(isinstance(i.modified, int) for i in items)
        self._int_ids = all(isinstance(i.id, int) for i in items)
        if not self._int_modified and any(isinstance(i.modified, int) for i in items):
            index = next(n for n, i in enumerate(items) if isinstance(i.modified, str))
            raise FeedError(
                "modified values mix integers and strings, so the feed has no order",
                path=(*path, index, "modified"),
            )
        order = sorted(range(len(items)), key=lambda n: self._key(items[n]))
        self._raw = [dict(raw_items[n]) for n in order]
        self.items = tuple(items[n] for n in order)
        self._keys = [self._key(item) for item in self.items]
        for position in range(1, len(self._keys)):
            if self._keys[position] == self._keys[position - 1]:
                raise FeedError(
                    "two items share the same modified and id, so paging would skip one",
                    path=(*path, order[position], "id"),
                )
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return len(self._keys)

    def delete(self, item_id: str | int, *, modified: int | str | None = None) -> FeedItem:
        """Replace the item ``item_id`` with its deletion, at the end of the feed.

        ``modified`` is the deletion's stamp; by default one more than the feed's newest
        (integer stamps only). Returns the deletion. FeedError when there is no such item
        or the stamp would not put it last (consumers past the end would never see it).
        """
        with self._lock:
            position = self._find(item_id)
            old = self._raw[position]
            raw = {"state": "deleted", "kind": old.get("kind"), "id": old.get("id")}
            raw["modified"] = self._next_stamp(modified)
            return self._replace(position, raw)

    def add(self, *raw_items: Mapping[str, Any]) -> tuple[FeedItem, ...]:
        """Add RPDE items (``updated`` or ``deleted``) at the end of the feed, each replacing
        the item with its id if there is one; their ``modified`` must be newer than every
        item's. Returns them as read."""
        added = []
        with self._lock:
            for index, raw in enumerate(raw_items):
                item = read_items([dict(raw)], (index,))[0]
                try:
                    position = self._find(item.id)
                except FeedError:
                    position = None
                added.append(self._replace(position, dict(raw), item))
        return tuple(added)

    def _find(self, item_id: str | int) -> int:
        for position, item in enumerate(self.items):
            if item.id == item_id or str(item.id) == str(item_id):
                return position
        raise FeedError(f"the feed has no item with id {item_id!r}")

    def _next_stamp(self, modified: int | str | None) -> int | str:
        if modified is None:
            if not self._int_modified:
                raise FeedError("give the deletion's modified: this feed's stamps are strings")
            newest = self._keys[-1][0] if self._keys else 0
            return int(newest) + 1
        return modified

    def _replace(
        self, position: int | None, raw: dict[str, Any], item: FeedItem | None = None
    ) -> FeedItem:
        """Remove the item at ``position`` (if any) and append ``raw`` in key order."""
        if item is None:
            item = read_items([raw], ())[0]
        if not self._keys:
            self._int_modified = isinstance(item.modified, int)
            self._int_ids = isinstance(item.id, int)
        if isinstance(item.modified, int) != self._int_modified:
            raise FeedError(
                "modified values would mix integers and strings, so the feed has no order",
                path=("modified",),
            )
        if self._int_ids and not isinstance(item.id, int):
            raise FeedError("this feed's ids are integers", path=("id",))
        key = self._key(item)
        if self._keys and not key > self._keys[-1]:
            raise FeedError(
                f"modified {item.modified!r} is not newer than every item's in the feed, so "
                "consumers already past it would never see the change",
                path=("modified",),
            )
        items = list(self.items)
        if position is not None:
            del self._raw[position], self._keys[position], items[position]
        self._raw.append(raw)
        self._keys.append(key)
        items.append(item)
        self.items = tuple(items)
        return item

    @classmethod
    def load(cls, source: FeedSource) -> MockFeed:
        """Read a feed from a file path, a parsed RPDE page or a list of RPDE items (a
        MockFeed is returned as it is)."""
        if isinstance(source, MockFeed):
            return source
        data: Any = source
        if isinstance(source, str | PathLike):
            try:
                text = Path(source).read_bytes()
            except OSError as exc:
                raise FeedError(f"cannot read the feed file {source}: {exc.strerror}") from None
            try:
                data = load_json(text)
                check_depth(data)
            except DataError as exc:
                raise FeedError(f"{exc.reason} (in {source})", path=exc.path) from None
        if isinstance(data, Mapping):
            page = read_page(data)
            raw = data["items"]
            return cls(raw, page.items, path=("items",))
        if isinstance(data, Sequence) and not isinstance(data, str | bytes | bytearray):
            raw_list = list(data)
            return cls(raw_list, read_items(raw_list, ()))
        raise FeedError("a feed must be an RPDE page (an object) or a JSON array of items")

    def _key(self, item: FeedItem) -> SortKey:
        modified = item.modified if self._int_modified else str(item.modified)
        return (modified, item.id if self._int_ids else str(item.id))

    @property
    def bookable_ids(self) -> set[str]:
        """The ``@id`` of every updated item's opportunity: what the mock server can book."""
        return {
            item.data.id
            for item in self.items
            if item.state == "updated" and item.data is not None and item.data.id is not None
        }

    def page(self, base_url: str, query: Mapping[str, str], page_size: int) -> dict[str, Any]:
        """The RPDE page answering a request for ``base_url`` with ``query``."""
        after = self._cursor(query)
        with self._lock:
            start = 0 if after is None else bisect.bisect_right(self._keys, after)
            chosen = self._raw[start : start + page_size]
            last = self._keys[start + len(chosen) - 1] if chosen else None
        if last is not None:
            params = {"afterTimestamp": str(last[0]), "afterId": str(last[1])}
            next_url = f"{base_url}?{urlencode(params)}"
        else:
            next_url = f"{base_url}?{urlencode(query)}" if query else base_url
        return {"next": next_url, "items": chosen, "license": LICENSE}

    def _cursor(self, query: Mapping[str, str]) -> SortKey | None:
        unknown = sorted(set(query) - {"afterTimestamp", "afterId"})
        if unknown:
            raise QueryError(f"unknown query parameters: {', '.join(unknown)}")
        stamp, ident = query.get("afterTimestamp"), query.get("afterId")
        if stamp is None and ident is None:
            return None
        if stamp is None or ident is None:
            raise QueryError("afterTimestamp and afterId must be given together")
        modified: int | str = stamp
        item_id: int | str = ident
        try:
            if self._int_modified:
                modified = int(stamp)
            if self._int_ids:
                item_id = int(ident)
        except ValueError:
            raise QueryError("afterTimestamp and afterId must be integers here") from None
        return (modified, item_id)


FeedSource = str | PathLike[str] | Mapping[str, Any] | Sequence[Mapping[str, Any]] | MockFeed
"""A feed given to the mock server: a file (an RPDE page or a JSON array of items), or the
parsed page or array itself, or a MockFeed (served as it is)."""


def load_feeds(sources: Mapping[str, FeedSource] | None) -> dict[str, MockFeed]:
    """Feeds by name, each loaded with :meth:`MockFeed.load` (a MockFeed stays as it is)."""
    if sources is None:
        return {}
    if not isinstance(sources, Mapping):
        raise DataError(f"feeds must map names to feeds, not {type(sources).__name__}")
    return {
        name: source if isinstance(source, MockFeed) else MockFeed.load(source)
        for name, source in sources.items()
    }
