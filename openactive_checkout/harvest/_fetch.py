"""Fetching one RPDE page for the harvester: the one place that talks to the feed.

:func:`fetch_page` is the harvester's only way to a page. It reads the page's envelope
(``items`` an array, ``next`` a URL string) and hands the items back raw, so that each item
is read defensively on its own (``_read``): one bad item does not lose its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from ..errors import CheckoutHTTPError, DataError, FeedError
from ..http._transport import FEED_RETRY_STATUSES, RetryPolicy, asend
from ..jsonld._reader import check_depth, load_json

_GET_HEADERS = {"Accept": "application/json"}


@dataclass(frozen=True)
class RawPage:
    """One RPDE page as fetched: its URL, its items (raw JSON values) and the absolute
    ``next`` URL."""

    url: str
    items: list[Any]
    next: str


def feed_retry_policy(retries: int = 3, max_backoff: float = 30.0) -> RetryPolicy:
    """The retry policy of page requests (connection errors, 429, 502, 503, 504)."""
    return RetryPolicy(retries=retries, max_backoff=max_backoff, statuses=FEED_RETRY_STATUSES)


async def fetch_page(client: httpx.AsyncClient, url: str, *, policy: RetryPolicy) -> RawPage:
    """GET the RPDE page at ``url`` (retrying transient failures) and read its envelope.

    Raises :class:`~openactive_checkout.CheckoutHTTPError` for an error status,
    :class:`~openactive_checkout.TransportError` when no answer comes, and
    :class:`~openactive_checkout.FeedError` for a body that is not an RPDE page.
    """
    response = await asend(client, "GET", url, policy=policy, idempotent=True,
                           headers=_GET_HEADERS)  # fmt: skip
    if not response.is_success:
        status = f"{response.status_code} {response.reason_phrase}".strip()
        raise CheckoutHTTPError(
            f"GET {url} answered {status}", status_code=response.status_code, body=response.text
        )
    try:
        page = load_json(response.content)
        check_depth(page)
    except DataError as exc:
        raise FeedError(f"{exc.reason} (page {url})", path=exc.path) from None
    if not isinstance(page, dict):
        raise FeedError(f"the page {url} is not a JSON object")
    items = page.get("items")
    if not isinstance(items, list):
        raise FeedError(f"the page {url} has no items array", path=("items",))
    following = page.get("next")
    if not isinstance(following, str) or not following.strip():
        raise FeedError(f"the page {url} has no next URL", path=("next",))
    absolute = urljoin(url, following.strip())
    if not absolute.startswith(("http://", "https://")):
        raise FeedError(f"next must be an http(s) URL, not {following!r}", path=("next",))
    return RawPage(url=url, items=items, next=absolute)
