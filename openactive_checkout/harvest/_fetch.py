"""Fetching one RPDE page for the harvester: the one place that talks to the feed.

:class:`PageFetcher` fetches pages the way :func:`openactive_checkout.http.afetch_page` does,
with every limit it applies (the feed's origin policy, the body-size cap, the deadline,
retries honouring ``Retry-After``), but hands the items back raw: each item is then read
defensively on its own (``_read``), so one bad item does not lose its page.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

import httpx

from ..http._rpde import MAX_PAGE_BYTES, PAGE_DEADLINE, _aget, _Settings, _settings


@dataclass(frozen=True)
class RawPage:
    """One RPDE page as fetched: the URL that answered, its items (raw JSON values), the
    absolute ``next`` URL and the seconds the server asked to wait (``Retry-After``)."""

    url: str
    items: list[Any]
    next: str
    retry_after: float | None = None


def _raw(item: Any, path: object) -> Any:
    """An item reader that keeps the item as it came."""
    return item


class PageFetcher:
    """Fetches the pages of feeds with one client, each within the limits of its feed."""

    def __init__(
        self,
        client: httpx.AsyncClient,
        *,
        retries: int = 3,
        max_backoff: float = 30.0,
        max_bytes: int = MAX_PAGE_BYTES,
        deadline: float | None = PAGE_DEADLINE,
    ) -> None:
        self.client = client
        self.options: dict[str, Any] = {
            "allow_origins": None, "allow_private": False, "retries": retries,
            "max_backoff": max_backoff, "timeout": None, "max_bytes": max_bytes,
            "deadline": deadline, "document_loader": None,
        }  # fmt: skip
        self._settings: dict[str, _Settings] = {}

    def settings(self, feed: str) -> _Settings:
        """The fetch settings of one feed (its origin is the one pages may come from)."""
        found = self._settings.get(feed)
        if found is None:
            found = dataclasses.replace(_settings(feed, **self.options), read=_raw)
            self._settings[feed] = found
        return found

    async def fetch(self, feed: str, url: str) -> RawPage:
        """GET the page at ``url`` of ``feed`` and read its envelope.

        Raises :class:`~openactive_checkout.CheckoutHTTPError` for an error status,
        :class:`~openactive_checkout.TransportError` when no usable answer came (refused by a
        limit, out of time, no connection) and :class:`~openactive_checkout.FeedError` for a
        body that is not an RPDE page.
        """
        settings = self.settings(feed)
        page = await _aget(self.client, url, settings, settings.limits)
        return RawPage(
            url=page.url or url,
            items=list(page.items),
            next=page.next_url,
            retry_after=page.retry_after,
        )
