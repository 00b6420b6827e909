"""Many synthetic RPDE feeds served by one small ASGI app, with the feeds' expected state.

Each feed ``/feeds/N`` holds ScheduledSession items paged by ``(modified, id)`` (RPDE's
"modified timestamp and id" ordering). :meth:`SyntheticFeeds.change` updates and deletes a
fraction of the items (each new version gets a greater ``modified``, so it moves to the end
of the feed), and :meth:`SyntheticFeeds.expected` is what a store must hold afterwards.
Failures can be injected per feed: error statuses, or a ``next`` that loops back.
Used by tests/harvest and benchmarks/bench_harvest.py.
"""

from __future__ import annotations

import bisect
import json
import random
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]

BASE = "http://feeds.test"
TRUNCATED = -1


@dataclass
class Item:
    id: str
    modified: int
    state: str
    data: dict[str, Any] | None

    def to_rpde(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "state": self.state, "kind": "ScheduledSession", "id": self.id,
            "modified": self.modified,
        }  # fmt: skip
        if self.data is not None:
            out["data"] = self.data
        return out


def session(feed: int, number: int, version: int, *, invalid: bool = False) -> dict[str, Any]:
    """A ScheduledSession; ``invalid`` ones lack their startDate (a validation failure)."""
    day = 1 + (number % 28)
    data: dict[str, Any] = {
        "@context": "https://openactive.io/",
        "@type": "ScheduledSession",
        "@id": f"https://example.org/feeds/{feed}/sessions/{number}",
        "identifier": f"{feed}-{number}",
        "superEvent": f"https://example.org/feeds/{feed}/series/{number % 7}",
        "startDate": f"2026-03-{day:02d}T18:00:00Z",
        "endDate": f"2026-03-{day:02d}T19:00:00Z",
        "duration": "PT1H",
        "eventStatus": "https://schema.org/EventScheduled",
        "location": {  # a blank node
            "@type": "Place",
            "name": f"Hall {number % 5}",
            "geo": {"@type": "GeoCoordinates", "latitude": 51.5, "longitude": -0.1},
        },
        "maximumAttendeeCapacity": 20,
        "remainingAttendeeCapacity": (number + version) % 20,
        "offers": [
            {
                "@type": "Offer",
                "@id": f"https://example.org/feeds/{feed}/offers/{number % 3}",
                "name": "Adult",
                "price": 5 + (number % 4) + version / 4,
                "priceCurrency": "GBP",
            }
        ],
    }
    if invalid:
        del data["startDate"]
    return data


@dataclass
class Feed:
    number: int
    items: dict[str, Item] = field(default_factory=dict)
    order: list[tuple[int, str]] = field(default_factory=list)
    failures: list[int] = field(default_factory=list)
    """Statuses to answer the next requests with, one each (``TRUNCATED``: a 200 whose body
    is cut in half)."""
    loop: bool = False
    """Answer every page with a next URL pointing back to the first page."""

    def reorder(self) -> None:
        self.order = sorted((item.modified, item.id) for item in self.items.values())


class SyntheticFeeds:
    """``feeds`` feeds of ``items`` items each, served ``page_size`` items a page."""

    def __init__(
        self, feeds: int = 3, items: int = 50, *, page_size: int = 20, seed: int = 0,
        invalid_every: int = 0, base: str = BASE,
    ) -> None:  # fmt: skip
        self.base = base
        self.page_size = page_size
        self.clock = 1_700_000_000
        self.rng = random.Random(seed)
        self.requests = 0
        self.feeds: list[Feed] = []
        for number in range(feeds):
            feed = Feed(number)
            for n in range(items):
                invalid = bool(invalid_every) and n % invalid_every == invalid_every - 1
                feed.items[f"{n:07d}"] = Item(
                    f"{n:07d}", self.tick(), "updated", session(number, n, 0, invalid=invalid)
                )
            feed.reorder()
            self.feeds.append(feed)

    def tick(self) -> int:
        self.clock += 1
        return self.clock

    def url(self, number: int) -> str:
        return f"{self.base}/feeds/{number}"

    @property
    def urls(self) -> list[str]:
        return [self.url(feed.number) for feed in self.feeds]

    def change(self, updated: float, deleted: float) -> tuple[int, int]:
        """Update a fraction of the live items and delete another; (updated, deleted)."""
        counts = [0, 0]
        for feed in self.feeds:
            live = [item for item in feed.items.values() if item.state == "updated"]
            self.rng.shuffle(live)
            n_updated, n_deleted = round(len(live) * updated), round(len(live) * deleted)
            for item in live[:n_updated]:
                version = (item.modified % 1000) + 1
                item.data = session(feed.number, int(item.id), version)
                item.modified = self.tick()
            for item in live[n_updated : n_updated + n_deleted]:
                item.state, item.data, item.modified = "deleted", None, self.tick()
            counts[0] += n_updated
            counts[1] += n_deleted
            feed.reorder()
        return counts[0], counts[1]

    def expected(self) -> dict[str, dict[tuple[str, str], dict[str, Any]]]:
        """Feed URL -> (kind, id) -> the RPDE item a store must hold (tombstones included)."""
        return {
            self.url(feed.number): {
                ("ScheduledSession", item.id): item.to_rpde() for item in feed.items.values()
            }
            for feed in self.feeds
        }

    def page(self, number: int, query: dict[str, list[str]]) -> dict[str, Any]:
        feed = self.feeds[number]
        start = 0
        if "afterTimestamp" in query and "afterId" in query:
            after = (int(query["afterTimestamp"][0]), query["afterId"][0])
            start = bisect.bisect_right(feed.order, after)
        chosen = feed.order[start : start + self.page_size]
        base = self.url(number)
        if chosen:
            modified, last = chosen[-1]
            next_url = f"{base}?afterTimestamp={modified}&afterId={last}"
        else:
            next_url = base + (
                f"?afterTimestamp={query['afterTimestamp'][0]}&afterId={query['afterId'][0]}"
                if start else ""
            )  # fmt: skip
        if feed.loop and chosen:
            next_url = base
        return {
            "next": next_url,
            "items": [feed.items[item_id].to_rpde() for _, item_id in chosen],
            "license": "https://creativecommons.org/licenses/by/4.0/",
        }

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        self.requests += 1
        parts = scope["path"].strip("/").split("/")
        status, body = 404, b'{"error": "not found"}'
        if len(parts) == 2 and parts[0] == "feeds" and parts[1].isdigit():
            number = int(parts[1])
            if number < len(self.feeds):
                feed = self.feeds[number]
                if feed.failures and feed.failures[0] == TRUNCATED:
                    feed.failures.pop(0)
                    query = parse_qs(scope.get("query_string", b"").decode())
                    whole = json.dumps(self.page(number, query)).encode()
                    status, body = 200, whole[: len(whole) // 2]
                elif feed.failures:
                    status, body = feed.failures.pop(0), b'{"error": "injected"}'
                else:
                    query = parse_qs(scope.get("query_string", b"").decode())
                    status = 200
                    body = json.dumps(self.page(number, query)).encode()
        await send({
            "type": "http.response.start", "status": status,
            "headers": [(b"content-type", b"application/json"),
                        (b"content-length", str(len(body)).encode())],
        })  # fmt: skip
        await send({"type": "http.response.body", "body": body})
