"""The mock server's RPDE feed: items from a file, served in pages by modified timestamp and id.

Paging follows RPDE's "modified timestamp and id" ordering: items are sorted by
``(modified, id)`` and ``?afterTimestamp=T&afterId=I`` returns the items after that pair.
Every page's ``next`` carries the last item's pair; the last page has no items and its
``next`` is its own URL.
"""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from os import PathLike
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from ..errors import DataError, FeedError, PathPart
from ..http._rpde import FeedItem, read_items, read_page
from ..jsonld._reader import check_depth, load_json

FeedSource = str | PathLike[str] | Mapping[str, Any] | Sequence[Mapping[str, Any]]
"""A feed given to the mock server: a file (an RPDE page or a JSON array of items), or the
parsed page or array itself."""

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

    @classmethod
    def load(cls, source: FeedSource) -> MockFeed:
        """Read a feed from a file path, a parsed RPDE page or a list of RPDE items."""
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
        start = 0 if after is None else bisect.bisect_right(self._keys, after)
        chosen = self._raw[start : start + page_size]
        if chosen:
            last = self._keys[start + len(chosen) - 1]
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
