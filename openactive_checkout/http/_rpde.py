"""RPDE feeds (Realtime Paged Data Exchange): read pages and walk a feed to its end.

An RPDE page is ``{"items": [...], "next": "<url>", "license": "..."}``; each item has a
``state`` (``"updated"`` or ``"deleted"``), a ``kind``, an ``id`` (string or integer), a
``modified`` stamp (integer or string) and, for updated items only, the opportunity as
JSON-LD in ``data``. A feed ends at the first page with no items (its ``next`` points to
itself).

:func:`read_page` checks one page and reads each item's ``data`` into a model;
:func:`fetch_page` (and :func:`afetch_page`) fetch one page over HTTP within every limit
(origin policy, body size, deadline); :func:`iter_pages` and :func:`iter_items` (and their
``a`` twins) walk a feed page by page through :func:`fetch_page`, following ``next``, with
transient failures (connection errors, 429, 502, 503, 504) retried, and, with
``follow=True``, keep polling the last page for changes. The walkers enforce RPDE's rules: a
``next`` that does not advance or loops back, and items out of ``(modified, id)`` order,
raise FeedError instead of looping. Problems are raised as
:class:`~openactive_checkout.FeedError` naming the JSONPath (``$.items[3].data.startDate``);
HTTP error answers as :class:`~openactive_checkout.CheckoutHTTPError`, no answer at all as
:class:`~openactive_checkout.TransportError`.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
import math
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeGuard
from urllib.parse import urljoin

import httpx

from ..errors import (
    CheckoutHTTPError,
    ContextError,
    DataError,
    FeedError,
    PathPart,
    TransportError,
)
from ..jsonld import ReadProblem, loads, read_problems
from ..jsonld._base import JsonLdNode
from ..jsonld._reader import check_depth, load_json
from ._transport import (
    FEED_RETRY_STATUSES,
    MAX_REDIRECTS,
    Answer,
    Limits,
    Origins,
    RefusedRequestError,
    RetryPolicy,
    asend,
    check_base_url,
    check_count,
    check_deadline,
    check_timeout,
    parse_retry_after,
    redact,
    send,
)

__all__ = [
    "FeedItem",
    "FeedPage",
    "afetch_page",
    "aiter_items",
    "aiter_pages",
    "fetch_page",
    "iter_items",
    "iter_pages",
    "read_page",
]

logger = logging.getLogger("openactive_checkout.rpde")

DocumentLoader = Callable[[str, dict[str, Any]], Any]

MAX_PAGES = 100_000
"""The default bound on pages walked: a feed whose ``next`` never ends gets a FeedError."""
MAX_PAGE_BYTES = 32 * 1024 * 1024
"""The default bound on one page's decoded body (bytes)."""
PAGE_DEADLINE = 120.0
"""The default bound on fetching one page, retries and waits included (seconds)."""
POLL_INTERVAL = 8.0
"""In follow mode, the default wait before polling the last page again (seconds)."""
MAX_POLL_INTERVAL = 300.0
"""In follow mode, the longest wait between polls, after errors or when asked (seconds)."""


@dataclass(frozen=True)
class FeedItem:
    """One RPDE item."""

    state: Literal["updated", "deleted"]
    kind: str
    id: str | int
    """The item's RPDE id (not the opportunity's ``@id``, which is ``data.id``)."""
    modified: int | str
    data: JsonLdNode | None
    """The opportunity for an updated item; None for a deleted one, and for an updated item
    whose data a lenient read could not read at all (then see :attr:`raw_data`)."""
    problems: tuple[ReadProblem, ...] = ()
    """What a lenient read (``strict=False``) found: values kept verbatim because they do
    not fit their field, or why the data could not be read. Paths start at the page
    (``items[3].data.startDate``). Always empty for a strict read, which raises instead."""
    raw_data: Any = None
    """The item's ``data`` as published, when a lenient read could not make a model of it
    (not JSON-LD this library reads: an unknown context, not an object); else None."""


@dataclass(frozen=True)
class FeedPage:
    """One RPDE page: its items, the ``next`` URL (as written) and the licence; for a page
    fetched over HTTP, also where it came from and how long the server asked to wait."""

    items: tuple[FeedItem, ...]
    next: str
    license: str | None = None
    url: str | None = None
    """The URL that answered with this page (after any redirects); None for a page given
    to :func:`read_page`."""
    retry_after: float | None = None
    """Seconds the server asked to wait before asking again (its ``Retry-After``), if any."""

    @property
    def is_last(self) -> bool:
        """Whether this page ends the feed (it has no items)."""
        return not self.items

    @property
    def next_url(self) -> str:
        """``next`` made absolute against :attr:`url` (the URL after redirects)."""
        following = self.next.strip()
        if self.url is None:
            return following
        try:  # httpx, not urljoin: urllib caches what it parses, and URLs may be long
            return str(httpx.URL(self.url).join(following))
        except httpx.InvalidURL:
            return urljoin(self.url, following)


def read_page(
    data: str | bytes | bytearray | Mapping[str, Any],
    *,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> FeedPage:
    """Read one RPDE page (JSON text, bytes or a parsed mapping), checking its shape.

    With ``strict=False`` each item's ``data`` is read leniently (as
    ``loads(data, strict=False)``): a value that does not fit its field is kept verbatim and
    listed in the item's :attr:`FeedItem.problems`, and data that is no readable JSON-LD at
    all is kept as :attr:`FeedItem.raw_data` with its problem, so one bad item never costs
    the page. The envelope (``state``, ``kind``, ``id``, ``modified``) is checked in both
    modes: an item without it has no identity in the feed.

    Raises FeedError naming the JSONPath of the first problem: a missing or non-array
    ``items``, a missing ``next``, an item without ``state``/``kind``/``id``/``modified``, an
    updated item without ``data`` or a deleted one with it, and any problem inside ``data``
    (``$.items[3].data.startDate``).
    """
    return parse_page(data, item_reader(document_loader, strict=strict))


ItemReader = Callable[[Any, tuple[PathPart, ...]], FeedItem]
"""Reads one raw RPDE item found at a path: the one hook through which every page's items
are read (:func:`read_page`, :func:`fetch_page` and the walkers), one item at a time."""


def item_reader(
    document_loader: DocumentLoader | None = None, *, strict: bool = True
) -> ItemReader:
    """The item reader: strict (the first problem in an item raises FeedError) or lenient
    (the item carries its problems; see :func:`read_page`)."""

    def read(item: Any, path: tuple[PathPart, ...]) -> FeedItem:
        return read_item(item, path, document_loader=document_loader, strict=strict)

    return read


def parse_page(
    data: str | bytes | bytearray | Mapping[str, Any],
    read: ItemReader,
    *,
    url: str | None = None,
    retry_after: float | None = None,
) -> FeedPage:
    """Check an RPDE page's shape and read its items one by one with ``read``."""
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
        items=tuple(read(item, ("items", index)) for index, item in enumerate(items)),
        next=next_url,
        license=license_url,
        url=url,
        retry_after=retry_after,
    )


def read_items(
    items: list[Any],
    path: tuple[PathPart, ...] = ("items",),
    *,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> tuple[FeedItem, ...]:
    """Read a list of RPDE items found at ``path`` (for paths in errors); ``strict`` as for
    :func:`read_page`."""
    return tuple(
        read_item(item, (*path, index), document_loader=document_loader, strict=strict)
        for index, item in enumerate(items)
    )


def read_item(
    item: Any,
    path: tuple[PathPart, ...],
    *,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> FeedItem:
    """Read one RPDE item found at ``path``; ``strict`` as for :func:`read_page`."""
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
    where = (*path, "data")
    if data is None:
        raise FeedError("an updated item must carry its data", path=where)
    try:
        if not isinstance(data, dict):
            raise DataError(f"data must be a JSON object, not {_kind(data)}")
        model = loads(data, document_loader=document_loader, strict=strict)
    except (DataError, ContextError) as exc:
        if isinstance(exc, DataError):
            problem = ReadProblem((*where, *exc.path), exc.reason, data)
        else:
            problem = ReadProblem((*where, "@context"), str(exc), data)
        if strict:
            raise FeedError(problem.message, path=problem.path) from None
        return FeedItem("updated", kind, item_id, modified, None, (problem,), data)
    problems = tuple(
        ReadProblem((*where, *found.path), found.message, found.value)
        for found in read_problems(model)
    )
    return FeedItem("updated", kind, item_id, modified, model, problems)


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


# -- fetching pages over HTTP ------------------------------------------------------------------

_GET_HEADERS = {"Accept": "application/json"}
DEFAULT_TIMEOUT = httpx.Timeout(30.0)
"""Each page request's timeouts on the walker's own client, unless ``timeout`` is given."""
_SHOWN_URL = 300


def _show_url(url: str) -> str:
    """A URL for a message: userinfo hidden, and cut when very long."""
    shown = redact(url)
    return shown if len(shown) <= _SHOWN_URL else shown[:_SHOWN_URL] + "..."


@dataclass(frozen=True)
class _Settings:
    """How pages are fetched (the arguments of :func:`fetch_page`, checked once)."""

    origins: Origins
    policy: RetryPolicy
    limits: Limits
    timeout: httpx.Timeout | None
    read: ItemReader


def _settings(
    feed_url: str,
    *,
    allow_origins: Iterable[str] | Literal["*"] | None,
    allow_private: bool,
    retries: int,
    max_backoff: float,
    timeout: float | httpx.Timeout | None,
    max_bytes: int,
    deadline: float | None,
    document_loader: DocumentLoader | None,
    strict: bool = True,
) -> _Settings:
    check_base_url(feed_url, "the feed URL")
    origins = Origins(feed_url, allow_origins, allow_private=allow_private)
    return _Settings(
        origins=origins,
        policy=RetryPolicy(retries=retries, max_backoff=max_backoff, statuses=FEED_RETRY_STATUSES),
        limits=Limits(
            max_bytes=max_bytes, deadline=deadline, max_redirects=MAX_REDIRECTS, origins=origins
        ),
        timeout=check_timeout(timeout),
        read=item_reader(document_loader, strict=strict),
    )


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


def _page(url: str, answer: Answer, read: ItemReader) -> FeedPage:
    """The page an answer carries, or the error for an error status or a bad page."""
    if not answer.is_success:
        status = f"{answer.status_code} {answer.reason_phrase}".strip()
        raise CheckoutHTTPError(
            f"GET {_show_url(url)} answered {status}",
            status_code=answer.status_code,
            body=answer.text,
        )
    header = answer.headers.get("retry-after")
    try:
        return parse_page(
            answer.content,
            read,
            url=answer.url,
            retry_after=parse_retry_after(header) if header is not None else None,
        )
    except FeedError as exc:
        raise FeedError(f"{exc.reason} (page {_show_url(answer.url)})", path=exc.path) from None


def _own_client(settings: _Settings, transport: httpx.BaseTransport | None) -> httpx.Client:
    # Redirects are followed by send(), one checked hop at a time, never by httpx.
    return httpx.Client(
        timeout=settings.timeout or DEFAULT_TIMEOUT, follow_redirects=False, transport=transport
    )


def _own_async_client(
    settings: _Settings, transport: httpx.AsyncBaseTransport | None
) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=settings.timeout or DEFAULT_TIMEOUT, follow_redirects=False, transport=transport
    )


def _get(client: httpx.Client, url: str, settings: _Settings, limits: Limits) -> FeedPage:
    answer = send(
        client, "GET", url, policy=settings.policy, idempotent=True, headers=_GET_HEADERS,
        timeout=settings.timeout, limits=limits,
    )  # fmt: skip
    return _page(url, answer, settings.read)


async def _aget(
    client: httpx.AsyncClient, url: str, settings: _Settings, limits: Limits
) -> FeedPage:
    answer = await asend(
        client, "GET", url, policy=settings.policy, idempotent=True, headers=_GET_HEADERS,
        timeout=settings.timeout, limits=limits,
    )  # fmt: skip
    return _page(url, answer, settings.read)


def fetch_page(
    url: str,
    *,
    client: httpx.Client | None = None,
    transport: httpx.BaseTransport | None = None,
    feed_url: str | None = None,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
    deadline: float | None = PAGE_DEADLINE,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> FeedPage:
    """GET one RPDE page at ``url`` and read it, within every limit: the one place pages
    are fetched (the walkers and harvesting use it).

    Limits: the request and each redirect hop must stay on the origin (scheme, host, port)
    of ``feed_url`` (default ``url`` itself; an ``http`` feed may be upgraded to ``https`` on
    the same host), unless ``allow_origins`` lists other origins (or is ``"*"``); another
    origin is refused when it is a private, loopback or link-local address and the feed is
    not (``allow_private=True`` allows it), and never gets credentials (``X-API-KEY``,
    ``Authorization``, cookies and the client's ``auth`` are dropped). The decoded body may
    not exceed ``max_bytes`` (default 32 MiB), and the whole fetch, retries and waits
    included, must end within ``deadline`` seconds (default 120; None for no bound beyond
    ``timeout``, each read's own timeout). Transient failures (connection errors, 429, 502,
    503, 504) are retried ``retries`` times, each wait at most ``max_backoff`` seconds.

    ``client`` is an httpx client to use (its headers, auth, proxies and timeouts apply, its
    redirect setting does not; it is not closed); without it a private one is made for this
    call, sending through ``transport`` when given (not both). The page's :attr:`FeedPage.url`
    is the URL that answered, against which :attr:`FeedPage.next_url` is resolved.

    ``strict=False`` reads each item's data leniently (see :func:`read_page`): a bad item
    carries its problems instead of costing the page.

    Raises FeedError for a page that breaks the RPDE rules, CheckoutHTTPError for an error
    status (``body`` keeps at most its first 64 KiB), TransportError when no usable answer
    came (refused by a limit, out of time, no connection). Bad arguments raise TypeError or
    ValueError before any request.
    """
    check_base_url(url, "url")
    settings = _settings(
        feed_url if feed_url is not None else url, allow_origins=allow_origins,
        allow_private=allow_private, retries=retries, max_backoff=max_backoff, timeout=timeout,
        max_bytes=max_bytes, deadline=deadline, document_loader=document_loader, strict=strict,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.Client, httpx.BaseTransport)
    if client is not None:
        return _get(client, url, settings, settings.limits)
    with _own_client(settings, transport) as http:
        return _get(http, url, settings, settings.limits)


async def afetch_page(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    feed_url: str | None = None,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    max_bytes: int = MAX_PAGE_BYTES,
    deadline: float | None = PAGE_DEADLINE,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> FeedPage:
    """The asyncio twin of :func:`fetch_page` (``client`` an ``httpx.AsyncClient``,
    ``transport`` an ``httpx.AsyncBaseTransport``); here the deadline also interrupts a
    request wherever it stands."""
    check_base_url(url, "url")
    settings = _settings(
        feed_url if feed_url is not None else url, allow_origins=allow_origins,
        allow_private=allow_private, retries=retries, max_backoff=max_backoff, timeout=timeout,
        max_bytes=max_bytes, deadline=deadline, document_loader=document_loader, strict=strict,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.AsyncClient, httpx.AsyncBaseTransport)
    if client is not None:
        return await _aget(client, url, settings, settings.limits)
    async with _own_async_client(settings, transport) as http:
        return await _aget(http, url, settings, settings.limits)


# -- walking a feed ----------------------------------------------------------------------------

_Key = tuple[tuple[int, int | str], tuple[int, int | str]]


def _order_key(item: FeedItem) -> _Key:
    """``(modified, id)`` made comparable: numbers (and numeric modified strings) before
    other strings; ids that are both integers compare as numbers, others as strings."""
    modified: tuple[int, int | str]
    if isinstance(item.modified, int):
        modified = (0, item.modified)
    else:
        try:
            modified = (0, int(item.modified))
        except ValueError:
            modified = (1, item.modified)
    ident: tuple[int, int | str] = (0, item.id) if isinstance(item.id, int) else (1, item.id)
    return (modified, ident)


def _digest(url: str) -> bytes:
    return hashlib.blake2b(url.encode("utf-8", "surrogatepass"), digest_size=16).digest()


class _Walk:
    """The state of one feed walk and RPDE's rules (sans-IO): which URL comes next, whether
    a page keeps to the order, whether the time is up."""

    def __init__(
        self,
        url: str,
        settings: _Settings,
        *,
        max_pages: int,
        deadline: float | None,
        follow: bool,
        stop: Callable[[], bool] | None,
        poll_interval: float,
        max_poll_interval: float,
        check_order: bool,
    ) -> None:
        self.url = url
        self.settings = settings
        self.max_pages = check_count(max_pages, "max_pages", minimum=1)
        self.deadline = check_deadline(deadline)
        self.end = None if self.deadline is None else time.monotonic() + self.deadline
        if not isinstance(follow, bool):
            raise TypeError(f"follow must be a bool, not {type(follow).__name__}")
        if stop is not None and not callable(stop):
            raise TypeError(f"stop must be a callable, not {type(stop).__name__}")
        self.follow = follow
        self.stop = stop
        self.poll_interval = _seconds(poll_interval, "poll_interval")
        self.max_poll_interval = _seconds(max_poll_interval, "max_poll_interval")
        self.check_order = check_order
        self.seen = {_digest(url)}
        # Digests, not URLs: the memory of a walk stays ~100 bytes a page however long
        # the URLs are.
        self.pages = 0
        self.errors = 0
        self.last: _Key | None = None

    def limits(self) -> Limits:
        """The limits of the next page: its own deadline, cut to what the walk has left."""
        limits = self.settings.limits
        if self.end is None:
            return limits
        left = self.end - time.monotonic()
        if left <= 0:
            raise TransportError(
                f"the feed walk did not finish within its deadline of {self.deadline:g} "
                f"seconds (at {_show_url(self.url)})",
                url=redact(self.url),
            )
        if limits.deadline is not None and limits.deadline <= left:
            return limits
        return Limits(
            max_bytes=limits.max_bytes, deadline=left, max_redirects=limits.max_redirects,
            origins=limits.origins,
        )  # fmt: skip

    def accept(self, page: FeedPage) -> None:
        """Check a fetched page against the walk so far (items in ``(modified, id)`` order,
        also across pages)."""
        self.errors = 0
        if page.items:
            self.pages += 1
        if not self.check_order:
            return
        for index, item in enumerate(page.items):
            key = _order_key(item)
            if self.last is not None and not key > self.last:
                raise FeedError(
                    f"the item (modified {item.modified!r}, id {item.id!r}) does not come "
                    f"after the one before it (modified {self.last[0][1]!r}, id "
                    f"{self.last[1][1]!r}): RPDE items are ordered by (modified, id), so "
                    f"the feed would repeat or skip items (page {_show_url(page.url or '')})",
                    path=("items", index),
                )
            self.last = key

    def advance(self, page: FeedPage) -> str | None:
        """The URL to fetch after ``page``: its ``next``; None at the end of the feed
        (unless following, when the last page is polled again)."""
        if page.is_last and not self.follow:
            return None
        following = page.next_url
        where = f"the page {_show_url(page.url or self.url)}"
        try:
            parsed = httpx.URL(following)
        except httpx.InvalidURL:
            raise FeedError(f"next is not a usable URL ({where})", path=("next",)) from None
        if parsed.scheme not in ("http", "https"):
            raise FeedError(
                f"next must be an http(s) URL, not {_show_url(page.next)!r}", path=("next",)
            )
        why = self.settings.origins.refusal(following)
        if why is not None:
            raise FeedError(
                f"not following next {_show_url(following)}: {why} ({where})", path=("next",)
            )
        if page.is_last:
            self.url = following
            return following
        if following in (page.url, self.url):
            raise FeedError(
                f"{where} has items but its next URL points back to itself, so the feed "
                "would never advance",
                path=("next",),
            )
        digest = _digest(following)
        if digest in self.seen:
            raise FeedError(
                f"{where} links back to {_show_url(following)}, read earlier in this walk: "
                "the feed loops",
                path=("next",),
            )
        if self.pages >= self.max_pages:
            raise FeedError(
                f"the feed did not end within {self.max_pages} pages (last page "
                f"{_show_url(page.url or self.url)})",
                path=("next",),
            )
        self.seen.add(digest)
        self.url = following
        return following

    def poll_wait(self, page: FeedPage) -> float:
        """Seconds to wait before polling the last page again."""
        return min(max(self.poll_interval, page.retry_after or 0.0), self.max_poll_interval)

    def after_error(self, exc: Exception) -> float:
        """In follow mode, seconds to wait after a transient failure; raises ``exc`` when
        not following or when waiting will not help."""
        if not self.follow or not _transient(exc):
            raise exc
        self.errors += 1
        delay = min(self.poll_interval * 2.0 ** min(self.errors - 1, 30), self.max_poll_interval)
        logger.warning("following %s: %s; polling again in %.3gs", _show_url(self.url), exc, delay)
        return delay

    def stopped(self) -> bool:
        return self.stop is not None and bool(self.stop())


def _seconds(value: float, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{what} must be a number of seconds, not {type(value).__name__}")
    if not math.isfinite(value) or value < 0:
        raise ValueError(f"{what} must be a finite number of seconds >= 0, not {value!r}")
    return float(value)


def _transient(exc: Exception) -> bool:
    """Whether polling again later may help (follow mode)."""
    if isinstance(exc, RefusedRequestError):
        return False
    if isinstance(exc, TransportError):
        return True
    if isinstance(exc, CheckoutHTTPError):
        return exc.status_code in FEED_RETRY_STATUSES or exc.status_code >= 500
    return False


_STOP_CHECK = 0.25
"""How often ``stop`` is asked during a wait (seconds)."""


def _wait(walk: _Walk, seconds: float, sleep: Callable[[float], None]) -> bool:
    """Wait ``seconds`` (asking ``stop`` now and then); False when the caller said stop."""
    if walk.stopped():
        return False
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        sleep(min(left, _STOP_CHECK) if walk.stop is not None else left)
        if walk.stopped():
            return False
    return True


async def _await(walk: _Walk, seconds: float, sleep: Callable[[float], Awaitable[None]]) -> bool:
    if walk.stopped():
        return False
    end = time.monotonic() + seconds
    while (left := end - time.monotonic()) > 0:
        await sleep(min(left, _STOP_CHECK) if walk.stop is not None else left)
        if walk.stopped():
            return False
    return True


def _walk_pages(
    walk: _Walk, client: httpx.Client | None, transport: httpx.BaseTransport | None
) -> Iterator[FeedPage]:
    # The private client is made here, on the first next(), so a walk never started leaves
    # nothing to close.
    own = client is None
    http = client or _own_client(walk.settings, transport)
    try:
        while True:
            try:
                page = _get(http, walk.url, walk.settings, walk.limits())
            except (TransportError, CheckoutHTTPError) as exc:
                if isinstance(exc, TransportError) and walk.end is not None:
                    walk.limits()  # out of walk time: that error, not a retry
                if not _wait(walk, walk.after_error(exc), time.sleep):
                    return
                continue
            walk.accept(page)
            yield page
            if walk.advance(page) is None:
                return
            if page.is_last and not _wait(walk, walk.poll_wait(page), time.sleep):
                return
    finally:
        if own:
            http.close()


async def _awalk_pages(
    walk: _Walk, client: httpx.AsyncClient | None, transport: httpx.AsyncBaseTransport | None
) -> AsyncIterator[FeedPage]:
    own = client is None
    http = client or _own_async_client(walk.settings, transport)
    try:
        while True:
            try:
                page = await _aget(http, walk.url, walk.settings, walk.limits())
            except (TransportError, CheckoutHTTPError) as exc:
                if isinstance(exc, TransportError) and walk.end is not None:
                    walk.limits()
                if not await _await(walk, walk.after_error(exc), asyncio.sleep):
                    return
                continue
            walk.accept(page)
            yield page
            if walk.advance(page) is None:
                return
            if page.is_last and not await _await(walk, walk.poll_wait(page), asyncio.sleep):
                return
    finally:
        if own:
            await http.aclose()


def _new_walk(
    url: str,
    *,
    follow: bool,
    stop: Callable[[], bool] | None,
    poll_interval: float,
    max_poll_interval: float,
    check_order: bool,
    max_pages: int,
    deadline: float | None,
    page_deadline: float | None,
    max_page_bytes: int,
    allow_origins: Iterable[str] | Literal["*"] | None,
    allow_private: bool,
    retries: int,
    max_backoff: float,
    timeout: float | httpx.Timeout | None,
    document_loader: DocumentLoader | None,
    strict: bool,
) -> _Walk:
    settings = _settings(
        url, allow_origins=allow_origins, allow_private=allow_private, retries=retries,
        max_backoff=max_backoff, timeout=timeout, max_bytes=max_page_bytes,
        deadline=page_deadline, document_loader=document_loader, strict=strict,
    )  # fmt: skip
    return _Walk(
        url, settings, max_pages=max_pages, deadline=deadline, follow=follow, stop=stop,
        poll_interval=poll_interval, max_poll_interval=max_poll_interval,
        check_order=check_order,
    )  # fmt: skip


def iter_pages(
    url: str,
    *,
    client: httpx.Client | None = None,
    transport: httpx.BaseTransport | None = None,
    follow: bool = False,
    stop: Callable[[], bool] | None = None,
    poll_interval: float = POLL_INTERVAL,
    max_poll_interval: float = MAX_POLL_INTERVAL,
    check_order: bool = True,
    max_pages: int = MAX_PAGES,
    deadline: float | None = None,
    page_deadline: float | None = PAGE_DEADLINE,
    max_page_bytes: int = MAX_PAGE_BYTES,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> Iterator[FeedPage]:
    """Yield each page of the RPDE feed starting at ``url`` (with its :attr:`~FeedPage.url`
    and :attr:`~FeedPage.next_url`), following ``next`` to the last page (the first with
    no items, which is yielded too).

    Each page is fetched by :func:`fetch_page` with ``url``'s origin as the feed's:
    ``page_deadline``, ``max_page_bytes``, ``allow_origins``, ``allow_private``, ``retries``,
    ``max_backoff``, ``timeout``, ``document_loader`` and ``strict`` are its arguments. ``deadline``
    bounds the whole walk in seconds (default none: a feed may take hours), ``max_pages`` the
    pages with items.

    RPDE's rules are enforced with a FeedError, never an endless loop: a page with items
    whose ``next`` is its own URL, a ``next`` back to a page read earlier, a ``next`` the
    origin policy refuses, and (unless ``check_order=False``) an item that does not come
    after the one before it in ``(modified, id)`` order, across pages too.

    ``follow=True`` keeps polling the last page, as RPDE asks of a consumer that stays up to
    date: it waits ``poll_interval`` seconds (or the ``Retry-After`` the server sent, at most
    ``max_poll_interval``) between polls and yields the last page at each poll, so the loop
    body runs and may ``break``. Transient failures (no answer, 429, 5xx) no longer end the
    walk: it waits, doubling from ``poll_interval`` up to ``max_poll_interval``, and tries
    again (logged as a warning). ``stop`` is asked before and during each wait; when it
    returns True the walk ends.

    ``client``/``transport`` are as for :func:`iter_items`. Bad arguments raise TypeError or
    ValueError at the call, before any request.
    """
    walk = _new_walk(
        url, follow=follow, stop=stop, poll_interval=poll_interval,
        max_poll_interval=max_poll_interval, check_order=check_order, max_pages=max_pages,
        deadline=deadline, page_deadline=page_deadline, max_page_bytes=max_page_bytes,
        allow_origins=allow_origins, allow_private=allow_private, retries=retries,
        max_backoff=max_backoff, timeout=timeout, document_loader=document_loader, strict=strict,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.Client, httpx.BaseTransport)
    return _walk_pages(walk, client, transport)


def aiter_pages(
    url: str,
    *,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    follow: bool = False,
    stop: Callable[[], bool] | None = None,
    poll_interval: float = POLL_INTERVAL,
    max_poll_interval: float = MAX_POLL_INTERVAL,
    check_order: bool = True,
    max_pages: int = MAX_PAGES,
    deadline: float | None = None,
    page_deadline: float | None = PAGE_DEADLINE,
    max_page_bytes: int = MAX_PAGE_BYTES,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    retries: int = 3,
    max_backoff: float = 30.0,
    timeout: float | httpx.Timeout | None = None,
    document_loader: DocumentLoader | None = None,
    strict: bool = True,
) -> AsyncIterator[FeedPage]:
    """The asyncio twin of :func:`iter_pages` (``async for page in aiter_pages(url)``)."""
    walk = _new_walk(
        url, follow=follow, stop=stop, poll_interval=poll_interval,
        max_poll_interval=max_poll_interval, check_order=check_order, max_pages=max_pages,
        deadline=deadline, page_deadline=page_deadline, max_page_bytes=max_page_bytes,
        allow_origins=allow_origins, allow_private=allow_private, retries=retries,
        max_backoff=max_backoff, timeout=timeout, document_loader=document_loader, strict=strict,
    )  # fmt: skip
    _check_walk_client(client, transport, httpx.AsyncClient, httpx.AsyncBaseTransport)
    return _awalk_pages(walk, client, transport)


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
    strict: bool = True,
    deadline: float | None = None,
    page_deadline: float | None = PAGE_DEADLINE,
    max_page_bytes: int = MAX_PAGE_BYTES,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    check_order: bool = True,
) -> Iterator[FeedItem]:
    """Yield every item of the RPDE feed starting at ``url``, following ``next`` to the end.

    ``client`` is an httpx client to use (its headers, auth, proxies and timeout settings
    apply, its redirect setting does not; it is not closed); by default a private one is made
    and closed, sending through ``transport`` when given (not both). Redirects are followed
    (at most 5 hops) only within the origin policy. ``timeout`` bounds each read: seconds or
    an ``httpx.Timeout`` (default 30 seconds, or the ``client``'s own); ``page_deadline``
    each page as a whole, ``deadline`` the whole walk. Transient failures are retried
    ``retries`` times, each wait at most ``max_backoff`` seconds. ``max_pages`` bounds the
    walk; ``max_page_bytes``, ``allow_origins``, ``allow_private`` and ``check_order`` are
    as for :func:`iter_pages` and :func:`fetch_page`. With ``strict=False`` an item whose
    data does not fit is yielded with its :attr:`FeedItem.problems` instead of stopping the
    walk (see :func:`read_page`). Bad arguments raise TypeError or ValueError at the call,
    before any request.
    """
    pages = iter_pages(
        url, client=client, transport=transport, retries=retries, max_backoff=max_backoff,
        timeout=timeout, max_pages=max_pages, document_loader=document_loader, strict=strict,
        deadline=deadline, page_deadline=page_deadline, max_page_bytes=max_page_bytes,
        allow_origins=allow_origins, allow_private=allow_private, check_order=check_order,
    )  # fmt: skip
    return _items(pages)


def _items(pages: Iterator[FeedPage]) -> Iterator[FeedItem]:
    try:
        for page in pages:
            yield from page.items
    finally:
        close = getattr(pages, "close", None)
        if close is not None:
            close()


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
    strict: bool = True,
    deadline: float | None = None,
    page_deadline: float | None = PAGE_DEADLINE,
    max_page_bytes: int = MAX_PAGE_BYTES,
    allow_origins: Iterable[str] | Literal["*"] | None = None,
    allow_private: bool = False,
    check_order: bool = True,
) -> AsyncIterator[FeedItem]:
    """The asyncio twin of :func:`iter_items` (``async for item in aiter_items(url)``);
    ``client`` is an ``httpx.AsyncClient``, ``transport`` an ``httpx.AsyncBaseTransport``
    (``httpx.ASGITransport(app)`` reads a feed an ASGI app serves, in process)."""
    pages = aiter_pages(
        url, client=client, transport=transport, retries=retries, max_backoff=max_backoff,
        timeout=timeout, max_pages=max_pages, document_loader=document_loader, strict=strict,
        deadline=deadline, page_deadline=page_deadline, max_page_bytes=max_page_bytes,
        allow_origins=allow_origins, allow_private=allow_private, check_order=check_order,
    )  # fmt: skip
    return _aitems(pages)


async def _aitems(pages: AsyncIterator[FeedPage]) -> AsyncIterator[FeedItem]:
    try:
        async for page in pages:
            for item in page.items:
                yield item
    finally:
        aclose = getattr(pages, "aclose", None)
        if aclose is not None:
            await aclose()
