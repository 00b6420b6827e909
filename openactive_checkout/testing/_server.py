"""Run the mock checkout server with uvicorn: in a background thread, or in the foreground.

Sockets are bound here (port 0 picks a free port) and handed to uvicorn, so the URL is known
before the first request and no port is ever raced for. Uvicorn runs with
:class:`GuardedH11Protocol`, which closes a connection whose request headers do not arrive
in time (uvicorn itself only times out idle keep-alive connections). Uvicorn is given no logging
configuration, so running it changes no process-wide logging settings.
"""

from __future__ import annotations

import asyncio
import socket
import threading
import time
from collections.abc import Iterable, Mapping
from types import TracebackType
from typing import Self

import h11
import uvicorn
from starlette.types import ASGIApp
from uvicorn.protocols.http.h11_impl import H11Protocol

from ..errors import DataError, OpenActiveCheckoutError
from ._app import (
    FEED_PATH,
    MAX_SESSION_BYTES,
    REQUEST_TIMEOUT,
    MockControls,
    MockState,
    create_app,
)
from ._feed import FeedSource, MockFeed, load_feeds

START_TIMEOUT = 10.0
STOP_TIMEOUT = 10.0
BACKLOG = 2048


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0: a free one)."""
    if isinstance(port, bool) or not isinstance(port, int) or not 0 <= port <= 65535:
        raise DataError(f"port must be an int from 0 to 65535, not {port!r}")
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError) as exc:
        raise DataError(f"cannot resolve the host {host!r}: {exc}") from None
    family, kind, proto, _, address = infos[0]
    # The protocol must be IPPROTO_TCP (not 0), or asyncio leaves Nagle's algorithm on for
    # the accepted connections and every answer waits ~40 ms for a delayed ACK.
    sock = socket.socket(family, kind, proto or socket.IPPROTO_TCP)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        # Listening now, not when uvicorn starts: connections made as soon as the URL is
        # announced wait in the backlog instead of being refused.
        sock.listen(BACKLOG)
    except OSError as exc:
        sock.close()
        raise OpenActiveCheckoutError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    return sock


def url_of(sock: socket.socket) -> str:
    """The http:// URL a bound socket serves."""
    host, port = sock.getsockname()[:2]
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}"


class GuardedH11Protocol(H11Protocol):
    """Uvicorn's HTTP/1.1 protocol with a deadline for request headers.

    Uvicorn times out idle keep-alive connections but not a client that sends its request
    line and headers a byte at a time: such a connection is closed once it has waited
    ``header_timeout`` seconds for complete headers.
    """

    header_timeout = REQUEST_TIMEOUT

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self._headers_timer: asyncio.TimerHandle | None = None
        super().connection_made(transport)  # type: ignore[arg-type]
        self._watch_headers()

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        self._watch_headers()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None
        super().connection_lost(exc)

    def _watch_headers(self) -> None:
        """Arm the timer while a request's headers are awaited (once: more bytes do not
        restart it), disarm it when they are complete."""
        waiting = self.conn.their_state is h11.IDLE
        if waiting and self._headers_timer is None:
            self._headers_timer = self.loop.call_later(self.header_timeout, self._headers_late)
        elif not waiting and self._headers_timer is not None:
            self._headers_timer.cancel()
            self._headers_timer = None

    def _headers_late(self) -> None:
        self._headers_timer = None
        if self.conn.their_state is h11.IDLE and not self.transport.is_closing():
            self.transport.close()


def uvicorn_server(app: ASGIApp, *, header_timeout: float = REQUEST_TIMEOUT) -> uvicorn.Server:
    """A uvicorn server for an ASGI app, leaving process-wide logging alone; a client has
    ``header_timeout`` seconds to send a request's headers."""
    protocol = type("GuardedH11Protocol", (GuardedH11Protocol,), {"header_timeout": header_timeout})
    config = uvicorn.Config(
        app,
        log_config=None,
        log_level=None,
        lifespan="off",
        loop="asyncio",
        http=protocol,
        ws="none",
        backlog=BACKLOG,
        timeout_graceful_shutdown=2,
        timeout_keep_alive=5,  # an idle connection is closed after 5 seconds
    )
    return uvicorn.Server(config)


class BackgroundServer:
    """Any ASGI application served by uvicorn in a background thread (a context manager).

    ``url`` is known once started; ``port`` 0 picks a free port on ``host`` (loopback).
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        header_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        self.app = app
        self.header_timeout = header_timeout
        self.host = host
        self.port = port
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._url: str | None = None
        self._error: BaseException | None = None

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._url or 'not started'})"

    @property
    def url(self) -> str:
        """The server's base URL (``http://127.0.0.1:PORT``); only while it runs."""
        if self._url is None:
            raise OpenActiveCheckoutError(f"the {type(self).__name__} is not running")
        return self._url

    @property
    def running(self) -> bool:
        """Whether the server is serving."""
        return self._url is not None

    def start(self) -> Self:
        """Start serving in a background thread; returns when the server accepts requests."""
        if self._thread is not None:
            raise OpenActiveCheckoutError(f"the {type(self).__name__} is already running")
        sock = bind(self.host, self.port)
        server = uvicorn_server(self.app, header_timeout=self.header_timeout)
        self._error = None

        def run() -> None:
            try:
                server.run(sockets=[sock])
            except BaseException as exc:  # reported by start()
                self._error = exc

        thread = threading.Thread(target=run, name=f"{type(self).__name__}", daemon=True)
        self._server, self._thread = server, thread
        thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            thread.join(0.005)
        if not server.started:
            self.stop()
            sock.close()
            raise OpenActiveCheckoutError(
                f"the {type(self).__name__} did not start: {self._error or 'timed out'}"
            )
        self._url = url_of(sock)
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread (idempotent)."""
        server, thread = self._server, self._thread
        self._server = self._thread = None
        self._url = None
        if server is None or thread is None:
            return
        server.should_exit = True
        thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            server.force_exit = True
            thread.join(STOP_TIMEOUT)
        if thread.is_alive():
            raise OpenActiveCheckoutError(f"the {type(self).__name__} did not stop")

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


class MockCheckoutServer(BackgroundServer, MockControls):
    """A mock imin checkout server running in a background thread (a context manager).

    ::

        with MockCheckoutServer(bookable=["https://example.org/sessions/1"]) as server:
            with CheckoutClient(server.url) as client:
                session = client.create_session("https://example.org/sessions/1")

    ``bookable`` opportunity ids answer 201, others imin's 400 ``UnavailableOpportunityError``;
    ``feed`` (a file path, a parsed RPDE page or a list of RPDE items) is served at
    ``server.feed_url`` in pages of ``page_size`` items, and its updated items are bookable.
    ``feeds`` maps more feed names to sources, each served at ``server.feed_url_for(name)``
    (``/feeds/<name>``). ``api_key``, when given, is required in the ``X-API-KEY`` header.
    Stored sessions are capped at ``max_session_bytes`` (the oldest go), and a request body
    must arrive within ``request_timeout`` seconds. The server listens on ``host`` (loopback
    by default) and ``port`` (0: a free port; see ``url``), and writes links with ``url``,
    never with a request's ``Host`` header. :class:`MockCheckout` serves the same
    application in process, without a socket.
    """

    def __init__(
        self,
        *,
        bookable: Iterable[str] = (),
        feed: FeedSource | None = None,
        page_size: int = 50,
        host: str = "127.0.0.1",
        port: int = 0,
        broker_name: str = "Example",
        broker_url: str = "https://www.example.com",
        api_key: str | None = None,
        feeds: Mapping[str, FeedSource] | None = None,
        max_session_bytes: int = MAX_SESSION_BYTES,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
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
        )
        super().__init__(
            create_app(self.state), host=host, port=port, header_timeout=request_timeout
        )

    def start(self) -> Self:
        """Start serving; links are written with the server's own ``url``."""
        super().start()
        self.state.public_url = self.url
        return self

    def stop(self) -> None:
        """Stop the server and wait for its thread (idempotent)."""
        super().stop()
        self.state.public_url = None

    def _base_url(self) -> str:
        return self.url

    @property
    def feed_url(self) -> str:
        """The URL of the first page of the RPDE feed."""
        return self.url + FEED_PATH
