"""RPDE feeds (Realtime Paged Data Exchange): read pages and walk a feed to its end.

An RPDE page is ``{"items": [...], "next": "<url>", "license": "..."}``; each item has a
``state`` (``"updated"`` or ``"deleted"``), a ``kind``, an ``id`` (string or integer), a
``modified`` stamp (integer or string) and, for updated items only, the opportunity as
JSON-LD in ``data``. A feed ends at the first page with no items (its ``next`` points to
itself).

:func:`read_page` checks one page and reads each item's ``data`` into a model;
:func:`iter_items` (and :func:`aiter_items`) fetch pages over HTTP, following ``next``, with
transient failures (connection errors, 429, 502, 503, 504) retried. Problems are raised as
:class:`~openactive_checkout.FeedError` naming the JSONPath (``$.items[3].data.startDate``);
HTTP error answers as :class:`~openactive_checkout.CheckoutHTTPError`, no answer at all as
:class:`~openactive_checkout.TransportError`.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard
from urllib.parse import urljoin

import httpx

from ..errors import CheckoutHTTPError, ContextError, DataError, FeedError, PathPart
from ..jsonld import loads
from ..jsonld._base import JsonLdNode
from ..jsonld._reader import check_depth, load_json
from ._transport import (
    FEED_RETRY_STATUSES,
    RetryPolicy,
    asend,
    check_base_url,
    check_count,
    check_timeout,
    send,
)

__all__ = ["FeedItem", "FeedPage", "aiter_items", "iter_items", "read_page"]

DocumentLoader = Callable[[str, dict[str, Any]], Any]

MAX_PAGES = 100_000
"""The default bound on pages walked: a feed whose ``next`` never ends gets a FeedError."""


@dataclass(frozen=True)
class FeedItem:
    """One RPDE item."""

    state: Literal["updated", "deleted"]
    kind: str
    id: str | int
    """The item's RPDE id (not the opportunity's ``@id``, which is ``data.id``)."""
    modified: int | str
    data: JsonLdNode | None
    """The opportunity for an updated item; None for a deleted one."""


@dataclass(frozen=True)
class FeedPage:
    """One RPDE page: its items, the ``next`` URL (as written) and the licence."""

    items: tuple[FeedItem, ...]
    next: str
    license: str | None = None

    @property
    def is_last(self) -> bool:
        """Whether this page ends the feed (it has no items)."""
        return not self.items


def read_page(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    document_loader: DocumentLoader | None = None,
) -> FeedPage:
    """Read one RPDE page (JSON text, bytes or a parsed mapping), checking its shape.

    Raises FeedError naming the JSONPath of the first problem: a missing or non-array
    ``items``, a missing ``next``, an item without ``state``/``kind``/``id``/``modified``, an
    updated item without ``data`` or a deleted one with it, and any problem inside ``data``
    (``$.items[3].data.startDate``).
    """
    try:
        page = load_json(data)
        check_depth(page)
    except FeedError:
        raise
    except DataError as exc:
        raise FeedError(exc.reason, path=exc.path) from None
    if not isinstance(page, dict):
        raise FeedError(f"an RPDE page must be a JSON object, not {_kind(page)}")
    if "items" not in page:
        raise FeedError("an RPDE page must have an items array", path=("items",))
    items = page["items"]
    if not isinstance(items, list):
        raise FeedError(f"items must be an array, not {_kind(items)}", path=("items",))
    next_url = page.get("next")
    if not isinstance(next_url, str) or not next_url.strip():
        raise FeedError(
            "an RPDE page must have a next URL (a non-empty string)"
            if next_url is None
            else f"next must be a non-empty URL string, not {_kind(next_url)}",
            path=("next",),
        )
    license_url = page.get("license")
    if license_url is not None and not isinstance(license_url, str):
        raise FeedError(
            f"license must be a URL string, not {_kind(license_url)}", path=("license",)
        )
    return FeedPage(
        items=read_items(items, ("items",), document_loader=document_loader),
        next=next_url,
        license=license_url,
    )


def read_items(
    items: list[Any],
    path: tuple[PathPart, ...] = ("items",),
    *,
    document_loader: DocumentLoader | None = None,
) -> tuple[FeedItem, ...]:
    """Read a list of RPDE items found at ``path`` (for paths in errors)."""
    return tuple(
        read_item(item, (*path, index), document_loader=document_loader)
        for index, item in enumerate(items)
    )


def read_item(
    item: Any, path: tuple[PathPart, ...], *, document_loader: DocumentLoader | None = None
) -> FeedItem:
    """Read one RPDE item found at ``path``."""
    if not isinstance(item, dict):
        raise FeedError(f"an RPDE item must be a JSON object, not {_kind(item)}", path=path)
    state = item.get("state")
    if state not in ("updated", "deleted"):
        raise FeedError(
            'state must be "updated" or "deleted"' + ("" if state is None else f", not {state!r}"),
            path=(*path, "state"),
        )
    kind = item.get("kind")
    if not isinstance(kind, str) or not kind:
        raise FeedError(f"kind must be a non-empty string, not {_show(kind)}", path=(*path, "kind"))
    item_id = item.get("id")
    if not _is_key(item_id):
        raise FeedError(
            f"id must be a string or an integer, not {_show(item_id)}", path=(*path, "id")
        )
    modified = item.get("modified")
    if not _is_key(modified):
        raise FeedError(
            f"modified must be an integer or a string, not {_show(modified)}",
            path=(*path, "modified"),
        )
    data = item.get("data")
    if state == "deleted":
        if data is not None:
            raise FeedError("a deleted item must not carry data", path=(*path, "data"))
        return FeedItem(state="deleted", kind=kind, id=item_id, modified=modified, data=None)
    if data is None:
        raise FeedError("an updated item must carry its data", path=(*path, "data"))
    if not isinstance(data, dict):
        raise FeedError(f"data must be a JSON object, not {_kind(data)}", path=(*path, "data"))
    try:
        model = loads(data, document_loader=document_loader)
    except DataError as exc:
        raise FeedError(exc.reason, path=(*path, "data", *exc.path)) from None
    except ContextError as exc:
        raise FeedError(str(exc), path=(*path, "data", "@context")) from exc
    return FeedItem(state="updated", kind=kind, id=item_id, modified=modified, data=model)


def _is_key(value: Any) -> TypeGuard[str | int]:
    return (isinstance(value, int) and not isinstance(value, bool)) or (
        isinstance(value, str) and value != ""
    )


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    return "a string"


def _show(value: Any) -> str:
    return "a missing value" if value is None else _kind(value)


# -- walking a feed over HTTP ------------------------------------------------------------------


class _Walk:
    """The state of one feed walk: the current URL, pages seen, and how a page is judged."""

    def __init__(
        self,
        url: str,
        *,
        max_pages: int,
        retries: int,
        max_backoff: float,
        timeout: float | httpx.Timeout | None,
        document_loader: DocumentLoader | None,
    ) -> None:
        check_base_url(url, "the feed URL")
        self.url = url
        self.seen = {url}
        self.max_pages = check_count(max_pages, "max_pages", minimum=1)
        self.timeout = check_timeout(timeout)
        self.policy = RetryPolicy(
            retries=retries, max_backoff=max_backoff, statuses=FEED_RETRY_STATUSES
        )
        self.pages = 0
        self.document_loader = document_loader

    def page(self, response: httpx.Response) -> FeedPage:
        """Read the page a response carries, or raise for an error status or a bad page."""
        if not response.is_success:
            status = f"{response.status_code} {response.reason_phrase}".strip()
            raise CheckoutHTTPError(
                f"GET {self.url} answered {status}",
                status_code=response.status_code,
                body=response.text,
            )
        try:
            page = read_page(response.content, document_loader=self.document_loader)
        except FeedError as exc:
            raise FeedError(f"{exc.reason} (page {self.url})", path=exc.path) from None
        self.pages += 1
        return page

    def advance(self, page: FeedPage) -> bool:
        """Move to the next page; False at the end of the feed."""
        if page.is_last:
            return False
        following = urljoin(self.url, page.next.strip())
        if not following.startswith(("http://", "https://")):
            raise FeedError(f"next must be an http(s) URL, not {page.next!r}", path=("next",))
        if following == self.url:
            raise FeedError(
                f"the page {self.url} has items but its next URL points back to itself, so "
                "the feed would never advance",
                path=("next",),
            )
        if following in self.seen:
            raise FeedError(
                f"the page {self.url} links back to {following}, read earlier in this walk: "
                "the feed loops",
                path=("next",),
            )
        self.seen.add(following)
        if self.pages >= self.max_pages:
            raise FeedError(
                f"the feed did not end within {self.max_pages} pages (last page {self.url})",
                path=("next",),
            )
        self.url = following
        return True


_GET_HEADERS = {"Accept": "application/json"}
DEFAULT_TIMEOUT = httpx.Timeout(30.0)
"""Each page request's timeouts on the walker's own client, unless ``timeout`` is given."""


def _check_walk_client(
    client: object, transport: object, client_type: type, transport_type: type
) -> None:
    if client is not None and transport is not None:
        raise TypeError("give client or transport, not both")
    if client is not None:
        if not isinstance(client, client_type):
            raise TypeError(
                f"client must be an httpx.{client_type.__name__}, not {type(client).__name__}"
            )
        if getattr(client, "is_closed", False):
            raise ValueError("client is closed")
    if transport is not None and not isinstance(transport, transport_type):
        raise TypeError(
            f"transport must be an httpx.{transport_type.__name__}, not {type(transport).__name__}"
        )


def iter_items(
    url: str,
    *,
    client: httpx.Client | None = None,
    transport: httpx.BaseTransport | None = None,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    max_pages: int = MAX_PAGES,
    document_loader: DocumentLoader | None = None,
) -> Iterator[FeedItem]:
    """Yield every item of the RPDE feed starting at ``url``, following ``next`` to the end.

    ``client`` is an httpx client to use (its headers, auth, proxies, redirect and timeout
    settings apply; it is not closed); by default a private one following redirects is
    made and closed, sending through ``transport`` when given (not both). ``timeout`` bounds
    each page request: seconds or an ``httpx.Timeout`` (default 30 seconds, or the
    ``client``'s own). Transient failures are retried ``retries`` times, each wait at most
    ``max_backoff`` seconds. ``max_pages`` bounds the walk. Bad arguments raise TypeError or
    ValueError at the call, before any request.
    """
    walk = _Walk(
        url, max_pages=max_pages, retries=retries, max_backoff=max_backoff, timeout=timeout,
        document_loader=document_loader,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.Client, httpx.BaseTransport)
    return _walk(walk, client, transport)


def _walk(
    walk: _Walk, client: httpx.Client | None, transport: httpx.BaseTransport | None
) -> Iterator[FeedItem]:
    # The private client is made here, on the first next(), so a walk never started leaves
    # nothing to close.
    own = client is None
    http = client or httpx.Client(
        timeout=walk.timeout or DEFAULT_TIMEOUT, follow_redirects=True, transport=transport
    )
    try:
        while True:
            response = send(
                http, "GET", walk.url, policy=walk.policy, idempotent=True,
                headers=_GET_HEADERS, timeout=walk.timeout,
            )  # fmt: skip
            page = walk.page(response)
            yield from page.items
            if not walk.advance(page):
                return
    finally:
        if own:
            http.close()


def aiter_items(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    max_pages: int = MAX_PAGES,
    document_loader: DocumentLoader | None = None,
) -> AsyncIterator[FeedItem]:
    """The asyncio twin of :func:`iter_items` (``async for item in aiter_items(url)``);
    ``client`` is an ``httpx.AsyncClient``, ``transport`` an ``httpx.AsyncBaseTransport``
    (``httpx.ASGITransport(app)`` reads a feed an ASGI app serves, in process)."""
    walk = _Walk(
        url, max_pages=max_pages, retries=retries, max_backoff=max_backoff, timeout=timeout,
        document_loader=document_loader,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.AsyncClient, httpx.AsyncBaseTransport)
    return _awalk(walk, client, transport)


async def _awalk(
    walk: _Walk, client: httpx.AsyncClient | None, transport: httpx.AsyncBaseTransport | None
) -> AsyncIterator[FeedItem]:
    own = client is None
    http = client or httpx.AsyncClient(
        timeout=walk.timeout or DEFAULT_TIMEOUT, follow_redirects=True, transport=transport
    )
    try:
        while True:
            response = await asend(
                http, "GET", walk.url, policy=walk.policy, idempotent=True,
                headers=_GET_HEADERS, timeout=walk.timeout,
            )  # fmt: skip
            page = walk.page(response)
            for item in page.items:
                yield item
            if not walk.advance(page):
                return
    finally:
        if own:
            await http.aclose()
