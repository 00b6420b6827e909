"""The mock checkout server in process: requests reach the ASGI app through an httpx
transport, with no socket, no port and no server thread.

The async side is httpx's own ``httpx.ASGITransport``. httpx has no sync twin, so
:class:`SyncASGITransport` runs the same transport on an event loop in a short-lived helper
thread (an anyio blocking portal) for each request: a sync client works from plain code and
from inside a running event loop alike, and nothing is left running between requests.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import anyio.from_thread
import httpx
from starlette.types import ASGIApp

from ..http import AsyncCheckoutClient, CheckoutClient
from ..http._transport import check_base_url
from ._app import (
    FEED_PATH,
    MAX_SESSION_BYTES,
    REQUEST_TIMEOUT,
    MockControls,
    MockState,
    create_app,
)
from ._feed import FeedSource, MockFeed, load_feeds

DEFAULT_URL = "http://mock-checkout.test"
"""The in-process mock's base URL (``.test`` is reserved for testing: it never resolves)."""


class SyncASGITransport(httpx.BaseTransport):
    """An httpx transport serving a sync ``httpx.Client`` from an ASGI app, in process.

    Each request runs ``httpx.ASGITransport`` on an event loop in a helper thread and comes
    back with its whole body read. ``client`` is the (host, port) the app sees as the peer.
    Exceptions the app raises propagate to the caller, as with ``httpx.ASGITransport``.
    """

    def __init__(self, app: ASGIApp, *, client: tuple[str, int] = ("127.0.0.1", 123)) -> None:
        self.app = app
        self._transport = httpx.ASGITransport(app=app, client=client)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send ``request`` to the app and return its complete response."""
        request.read()  # a sync body becomes a byte stream the async transport can read
        with anyio.from_thread.start_blocking_portal() as portal:
            status, headers, content = portal.call(self._send, request)
        return httpx.Response(status, headers=headers, content=content, request=request)

    async def _send(self, request: httpx.Request) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        response = await self._transport.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return response.status_code, response.headers.raw, content


class MockCheckout(MockControls):
    """The mock imin checkout server in process: no socket, no port, no server thread.

    ::

        mock = MockCheckout(bookable=["https://example.org/sessions/1"])
        with mock.client() as client:
            session = client.create_session("https://example.org/sessions/1")
        async with mock.async_client() as client:
            session = await client.create_session("https://example.org/sessions/1")
        items = list(iter_items(mock.feed_url, transport=mock.transport()))

    The same application and options as :class:`MockCheckoutServer` (``bookable``,
    ``feed``, ``feeds``, ``page_size``, ``broker_name``, ``broker_url``, ``api_key``,
    ``max_session_bytes``, ``request_timeout``), answering at
    ``url`` (``http://mock-checkout.test`` by default; no name is ever looked up). Clients
    reach it through :meth:`transport` (sync) or :meth:`async_transport`
    (``httpx.ASGITransport``); :meth:`client` and :meth:`async_client` make checkout
    clients wired to it. Nothing needs stopping: the clients close their transports.
    """

    def __init__(
        self,
        *,
        bookable: Iterable[str] = (),
        feed: FeedSource | None = None,
        page_size: int = 50,
        broker_name: str = "Example",
        broker_url: str = "https://www.example.com",
        api_key: str | None = None,
        url: str = DEFAULT_URL,
        feeds: Mapping[str, FeedSource] | None = None,
        max_session_bytes: int = MAX_SESSION_BYTES,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self.url = check_base_url(url, "url")
        """The base URL the mock answers at."""
        self.state = MockState(
            bookable=bookable,
            feed=MockFeed.load(feed) if feed is not None else None,
            page_size=page_size,
            broker_name=broker_name,
            broker_url=broker_url,
            api_key=api_key,
            feeds=load_feeds(feeds),
            max_session_bytes=max_session_bytes,
            request_timeout=request_timeout,
            public_url=self.url,
        )
        self.state.in_process = True
        self.app = create_app(self.state)
        """The ASGI application."""

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.url})"

    def _base_url(self) -> str:
        return self.url

    @property
    def feed_url(self) -> str:
        """The URL of the first page of the RPDE feed."""
        return self.url + FEED_PATH

    def transport(self) -> httpx.BaseTransport:
        """A new sync transport to the app (for ``httpx.Client`` and ``iter_items``)."""
        return SyncASGITransport(self.app)

    def async_transport(self) -> httpx.AsyncBaseTransport:
        """A new ``httpx.ASGITransport`` to the app (for ``httpx.AsyncClient`` and
        ``aiter_items``)."""
        return httpx.ASGITransport(app=self.app)

    def client(self, **options: Any) -> CheckoutClient:
        """A :class:`~openactive_checkout.CheckoutClient` for this mock; ``options`` are the
        client's (``api_key`` defaults to the mock's own)."""
        options.setdefault("api_key", self.state.api_key)
        return CheckoutClient(self.url, transport=self.transport(), **options)

    def async_client(self, **options: Any) -> AsyncCheckoutClient:
        """An :class:`~openactive_checkout.AsyncCheckoutClient` for this mock, through
        ``httpx.ASGITransport``; ``options`` as for :meth:`client`."""
        options.setdefault("api_key", self.state.api_key)
        return AsyncCheckoutClient(self.url, transport=self.async_transport(), **options)
