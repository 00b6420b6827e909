"""The mock imin checkout server as an ASGI application (Starlette).

Routes:

* ``POST /checkout-sessions``: 201 with ``Location: /checkout-sessions/<token>`` and the
  request echoed back with ``imin:initialOrder.broker`` and ``potentialAction`` (the checkout
  URL ``<server>/opendata/<token>``) when every opportunity is bookable; imin's 400
  ``UnavailableOpportunityError`` when one is not; 400 with an ``OpenBookingError`` listing
  every problem (one ``$.json.path: message`` line each in ``description``) when the body is
  not JSON or not a usable checkout session.
* ``GET /checkout-sessions/<token>``: the session as created.
* ``GET /opendata/<token>``: a small HTML page standing in for imin's checkout.
* ``GET /feeds/<name>``: the RPDE feeds given to the server, paged
  (``/feeds/scheduled-sessions`` for ``feed=``; any names with ``feeds=``).

Error answers are OpenActive ``OpenBookingError`` documents (``@type`` the specific error
class where OpenActive defines one the models know, with ``statusCode``), except the
unavailable-opportunity answer, which is exactly imin's.

Links the server writes (the checkout URL, each feed page's ``next``) start with the
configured ``public_url``, never with the request's ``Host`` header; without one, with the
address of the socket the request came in on. Parsing, judging and serialising run in a
worker thread, off the event loop; a request body must arrive within ``request_timeout``.

Failure injection (:meth:`MockControls.inject_failures` and friends) queues answers given
instead of the real ones: an error status, a slow or trickling answer, a truncated body, a
feed page whose ``next`` loops back; each for any request or for one feed's pages.
"""

from __future__ import annotations

import asyncio
import hmac
import html
import json
import math
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import HTMLResponse, Response, StreamingResponse
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from ..errors import DataError
from ..jsonld import dumps
from ..jsonld._base import node_class_for
from ..vocab.imin import CheckoutSession, OrderAction, UnavailableOpportunityError
from ..vocab.openactive import OpenBookingError, Organization
from ._feed import MockFeed, QueryError
from ._problems import check_request

JSON = "application/json"
OA = "https://openactive.io/"
MAX_BODY = 1 << 20
"""The largest request body accepted (bytes)."""
UNAVAILABLE = "This opportunity is not available to book."
DEFAULT_FEED = "scheduled-sessions"
"""The name of the feed given as ``feed=``."""
FEED_PATH = f"/feeds/{DEFAULT_FEED}"
MAX_SESSION_BYTES = 64 * 1024 * 1024
"""The default bound on the bytes of stored sessions (the oldest go first)."""
REQUEST_TIMEOUT = 10.0
"""The default time a client has to send a request body (then 408)."""

FailureKind = Literal["status", "slow", "trickle", "truncate", "loop"]


@dataclass(frozen=True)
class Failure:
    """An answer the server gives instead of the real one (see ``inject_failures``).

    ``kind``: ``"status"`` answers ``status`` with ``Retry-After``; ``"slow"`` waits
    ``delay`` seconds, then answers normally; ``"trickle"`` sends the real answer one byte
    every ``delay`` seconds; ``"truncate"`` declares the real answer's length and sends half
    of it; ``"loop"`` (feed pages only) answers the page with its ``next`` pointing back to
    the feed's first page. ``feed`` limits it to that feed's pages (None: any request).
    """

    kind: FailureKind = "status"
    status: int = 503
    retry_after: str | None = "0"
    delay: float = 0.0
    feed: str | None = None


class MockState:
    """Everything the mock server knows; safe to change from another thread while it runs."""

    def __init__(
        self,
        *,
        bookable: Iterable[str] = (),
        feed: MockFeed | None = None,
        page_size: int = 50,
        broker_name: str = "Example",
        broker_url: str = "https://www.example.com",
        api_key: str | None = None,
        max_sessions: int = 100_000,
        feeds: Mapping[str, MockFeed] | None = None,
        public_url: str | None = None,
        max_session_bytes: int = MAX_SESSION_BYTES,
        request_timeout: float = REQUEST_TIMEOUT,
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise DataError(f"page_size must be a positive int, not {page_size!r}")
        for name, value in (
            ("max_sessions", max_sessions),
            ("max_session_bytes", max_session_bytes),
        ):
            if isinstance(value, bool) or not isinstance(value, int) or value < 1:
                raise DataError(f"{name} must be a positive int, not {value!r}")
        if (
            isinstance(request_timeout, bool)
            or not isinstance(request_timeout, int | float)
            or not math.isfinite(request_timeout)
            or request_timeout <= 0
        ):
            raise DataError(f"request_timeout must be a positive number, not {request_timeout!r}")
        self.feeds: dict[str, MockFeed] = {}
        """The feeds served, by name (``/feeds/<name>``)."""
        if feed is not None:
            self.feeds[DEFAULT_FEED] = feed
        for name, served in (feeds or {}).items():
            if not isinstance(name, str) or not name or "/" in name or name in self.feeds:
                raise DataError(f"a feed name must be a new non-empty path segment, not {name!r}")
            self.feeds[name] = served
        self.page_size = page_size
        self.broker = Organization(name=broker_name, url=broker_url)
        self.api_key = api_key
        self.max_sessions = max_sessions
        self.max_session_bytes = max_session_bytes
        self.request_timeout = float(request_timeout)
        self.public_url = public_url.rstrip("/") if public_url is not None else None
        """The base URL links are written with (None: the listening socket's address)."""
        self.in_process = False
        """Whether the app is served through an in-process ASGI transport (no socket)."""
        self._lock = threading.Lock()
        self._bookable = set(bookable)
        for served in self.feeds.values():
            self._bookable |= served.bookable_ids
        self._sessions: OrderedDict[str, str] = OrderedDict()
        self._session_bytes = 0
        self._failures: deque[Failure] = deque()
        self.created = 0
        """How many sessions have been created."""

    @property
    def feed(self) -> MockFeed | None:
        """The feed given as ``feed=`` (served at ``/feeds/scheduled-sessions``)."""
        return self.feeds.get(DEFAULT_FEED)

    def add_bookable(self, *opportunity_ids: str) -> None:
        """Make more opportunities bookable."""
        with self._lock:
            self._bookable.update(opportunity_ids)

    def bookable_ids(self) -> frozenset[str]:
        """The opportunity ids bookable now."""
        with self._lock:
            return frozenset(self._bookable)

    def is_bookable(self, opportunity_id: str) -> bool:
        """Whether an opportunity id is bookable here."""
        with self._lock:
            return opportunity_id in self._bookable

    def remove_bookable(self, *opportunity_ids: str) -> None:
        """Make opportunities unbookable."""
        with self._lock:
            self._bookable.difference_update(opportunity_ids)

    def inject_failures(
        self, status: int, *, count: int = 1, retry_after: str | None = "0"
    ) -> None:
        """Answer the next ``count`` requests (any route) with ``status`` and ``Retry-After``."""
        self.inject(Failure("status", status, retry_after), count=count)

    def inject(self, failure: Failure, *, count: int = 1) -> None:
        """Queue ``count`` copies of ``failure``."""
        if failure.kind not in ("status", "slow", "trickle", "truncate", "loop"):
            raise DataError(f"unknown failure kind {failure.kind!r}")
        if failure.kind == "status" and not 400 <= failure.status <= 599:
            raise DataError(
                f"an injected failure must be a 4xx or 5xx status, not {failure.status}"
            )
        if not math.isfinite(failure.delay) or failure.delay < 0:
            raise DataError(f"delay must be a finite number of seconds >= 0, not {failure.delay}")
        if failure.feed is not None and failure.feed not in self.feeds:
            raise DataError(f"there is no feed {failure.feed!r}")
        if isinstance(count, bool) or not isinstance(count, int) or count < 1:
            raise DataError(f"count must be a positive int, not {count!r}")
        with self._lock:
            self._failures.extend(failure for _ in range(count))

    def take_failure(self, feed: str | None = None) -> Failure | None:
        """The next injected failure for a request (to the feed ``feed``, or to another
        route when None), removed from the queue; failures for other feeds, and ``loop``
        failures outside feeds, wait their turn."""
        with self._lock:
            for position, failure in enumerate(self._failures):
                if failure.feed not in (None, feed) or (failure.kind == "loop" and feed is None):
                    continue
                del self._failures[position]
                return failure
            return None

    def store(self, token: str, body: str) -> None:
        """Keep a created session under its token; the oldest go beyond ``max_sessions``
        sessions or ``max_session_bytes`` bytes."""
        size = len(body)
        with self._lock:
            self._sessions[token] = body
            self._session_bytes += size
            self.created += 1
            while self._sessions and (
                len(self._sessions) > self.max_sessions
                or self._session_bytes > self.max_session_bytes
            ):
                _, dropped = self._sessions.popitem(last=False)
                self._session_bytes -= len(dropped)

    @property
    def stored_bytes(self) -> int:
        """The bytes of the sessions kept now."""
        with self._lock:
            return self._session_bytes

    def session(self, token: str) -> str | None:
        """The stored answer for a token, or None."""
        with self._lock:
            return self._sessions.get(token)


class MockControls:
    """What a test can do to a running mock, in process or on a socket (``self.state``)."""

    state: MockState
    """Everything the mock knows."""

    def _base_url(self) -> str:
        raise NotImplementedError

    def add_bookable(self, *opportunity_ids: str) -> None:
        """Make more opportunity ids bookable (also while running)."""
        self.state.add_bookable(*opportunity_ids)

    def inject_failures(
        self,
        status: int = 503,
        *,
        count: int = 1,
        retry_after: str | None = "0",
        kind: FailureKind = "status",
        delay: float = 1.0,
        feed: str | None = None,
    ) -> None:
        """Answer the next ``count`` requests with a failure, for testing how a client
        copes with outages, rate limits, slow or broken servers.

        ``kind`` ``"status"`` (the default) answers ``status`` with ``Retry-After``;
        ``"slow"`` waits ``delay`` seconds before the real answer; ``"trickle"`` sends the
        real answer one byte every ``delay`` seconds; ``"truncate"`` declares the real
        answer's length and sends half of it (over a socket the connection then closes;
        in process the body is cut short); ``"loop"`` answers a feed page whose ``next``
        points back to the feed's first page. ``feed`` limits the failures to that feed's
        pages (a name of :attr:`MockState.feeds`); by default any request takes them (feed
        pages only for ``"loop"``).
        """
        failure = Failure(kind=kind, status=status, retry_after=retry_after, delay=delay, feed=feed)
        self.state.inject(failure, count=count)

    def feed_url_for(self, name: str) -> str:
        """The URL of the first page of the feed ``name``."""
        if name not in self.state.feeds:
            raise DataError(f"there is no feed {name!r}")
        return f"{self._base_url()}/feeds/{name}"

    @property
    def feed_urls(self) -> dict[str, str]:
        """Every feed's first-page URL, by name."""
        return {name: self.feed_url_for(name) for name in self.state.feeds}

    def delete_item(
        self, item_id: str | int, *, feed: str = DEFAULT_FEED, modified: int | str | None = None
    ) -> None:
        """Turn a feed item into a deletion at the end of the feed, as a publisher does
        (``modified`` by default one more than the newest); its opportunity is no longer
        bookable."""
        served = self._feed(feed)
        old = next((i for i in served.items if str(i.id) == str(item_id)), None)
        served.delete(item_id, modified=modified)
        if old is not None and old.data is not None and old.data.id is not None:
            self.state.remove_bookable(old.data.id)

    def add_items(self, *items: Mapping[str, Any], feed: str = DEFAULT_FEED) -> None:
        """Add (or replace, by id) RPDE items at the end of a feed; updated items'
        opportunities become bookable."""
        for item in self._feed(feed).add(*items):
            if item.data is not None and item.data.id is not None:
                self.state.add_bookable(item.data.id)

    def _feed(self, name: str) -> MockFeed:
        served = self.state.feeds.get(name)
        if served is None:
            raise DataError(f"there is no feed {name!r}")
        return served

    @property
    def sessions_created(self) -> int:
        """How many checkout sessions the mock has created."""
        return self.state.created


def error_body(type_name: str, status: int, name: str, description: str) -> str:
    """An OpenBookingError document: the specific class when the models define it."""
    cls = node_class_for(OA + type_name)
    if cls is None or not issubclass(cls, OpenBookingError):
        cls = OpenBookingError
    model = cls.model_validate({"name": name, "description": description, "statusCode": status})
    return dumps(model)


def error_response(
    type_name: str, status: int, name: str, description: str, headers: dict[str, str] | None = None
) -> Response:
    """An OpenBookingError answer (see :func:`error_body`)."""
    return Response(
        error_body(type_name, status, name, description),
        status_code=status,
        media_type=JSON,
        headers=headers,
    )


_FAILURE_TYPES = {
    429: ("TooManyRequestsError", "Too many requests"),
    503: ("TemporarilyUnableToProduceOrderQuoteError", "Temporarily unable to respond"),
}

Endpoint = Callable[[Request], Awaitable[Response]]


def base_url(request: Request, state: MockState) -> str:
    """The base URL of links: the configured public URL, else the address of the socket the
    request came in on; never the client's ``Host`` header."""
    if state.public_url is not None:
        return state.public_url
    server = request.scope.get("server")
    if not server:
        return "http://localhost"
    host, port = server[0], server[1]
    shown = f"[{host}]" if ":" in str(host) else str(host)
    scheme = request.scope.get("scheme", "http")
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{shown}" if port in (None, default) else f"{scheme}://{shown}:{port}"


def create_app(state: MockState) -> Starlette:
    """The ASGI application serving ``state``."""

    def guarded(
        endpoint: Callable[[Request, MockState], Awaitable[Response]],
        *,
        needs_key: bool = True,
        feed: bool = False,
    ) -> Endpoint:
        """Wrap an endpoint with the API key check (when ``needs_key``) and injected failures."""

        async def handle(request: Request) -> Response:
            if needs_key and state.api_key is not None:
                given = request.headers.get("x-api-key")
                if given is None:
                    return error_response(
                        "NoAPITokenError", 403, "No API key", "Send the X-API-KEY header."
                    )
                if not hmac.compare_digest(given.encode(), state.api_key.encode()):
                    return error_response(
                        "InvalidAPITokenError", 401, "Invalid API key", "The API key is wrong."
                    )
            name = request.path_params.get("name") if feed else None
            if feed and name not in state.feeds:
                return await endpoint(request, state)  # the 404, untouched by failures
            failure = state.take_failure(name)
            if failure is None:
                return await endpoint(request, state)
            if failure.kind == "status":
                type_name, title = _FAILURE_TYPES.get(
                    failure.status, ("OpenBookingError", "Failure")
                )
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
                return error_response(
                    type_name, failure.status, title, "An injected failure.", headers
                )
            if failure.kind == "slow":
                await asyncio.sleep(failure.delay)
                return await endpoint(request, state)
            if failure.kind == "loop":
                request.state.loop = True
                return await endpoint(request, state)
            answer = await endpoint(request, state)
            if failure.kind == "trickle":
                return _trickled(answer, failure.delay)
            return _Truncated(answer, in_process=state.in_process)

        return handle

    async def not_found(request: Request, exc: Exception) -> Response:
        """404 and 405 as OpenBookingError documents."""
        if isinstance(exc, HTTPException) and exc.status_code == 405:
            return error_response(
                "MethodNotAllowedError", 405, "Method not allowed",
                f"{request.method} is not allowed on {request.url.path}.",
            )  # fmt: skip
        return error_response(
            "UnknownOrIncorrectEndpointError", 404, "Unknown endpoint",
            f"There is no endpoint at {request.url.path}.",
        )  # fmt: skip

    routes = [
        Route("/checkout-sessions", guarded(create_session), methods=["POST"]),
        Route("/checkout-sessions/{token}", guarded(get_session), methods=["GET"]),
        # The checkout page opens in the customer's browser and the feed is the publisher's
        # open data: neither needs the broker's API key.
        Route("/opendata/{token}", guarded(checkout_page, needs_key=False), methods=["GET"]),
        Route("/feeds/{name}", guarded(feed_page, needs_key=False, feed=True), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


def _trickled(answer: Response, delay: float) -> Response:
    """``answer`` sent one byte every ``delay`` seconds."""
    body = bytes(answer.body)

    async def drip() -> AsyncIterator[bytes]:
        for position in range(len(body)):
            await asyncio.sleep(delay)
            yield body[position : position + 1]

    headers = {k: v for k, v in answer.headers.items() if k.lower() != "content-length"}
    return StreamingResponse(drip(), status_code=answer.status_code, headers=headers)


class _Truncated(Response):
    """``answer`` with its full length declared and half its body sent.

    Over a socket the response is left unfinished, so the server closes the connection (and
    logs one line, "ASGI callable returned without completing response."); in process
    (``in_process``) it ends after the half, since an ASGI transport waits for the end.
    """

    def __init__(self, answer: Response, *, in_process: bool) -> None:
        self.answer = answer
        self.in_process = in_process
        super().__init__(status_code=answer.status_code)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        body = bytes(self.answer.body)
        await send({
            "type": "http.response.start",
            "status": self.answer.status_code,
            "headers": self.answer.raw_headers,
        })  # fmt: skip
        await send({
            "type": "http.response.body",
            "body": body[: len(body) // 2],
            "more_body": not self.in_process,
        })  # fmt: skip


async def create_session(request: Request, state: MockState) -> Response:
    """``POST /checkout-sessions``."""
    try:
        async with asyncio.timeout(state.request_timeout):
            body = await _read_body(request)
    except TimeoutError:
        return error_response(
            "OpenBookingError", 408, "Request timeout",
            f"The request body did not arrive within {state.request_timeout:g} seconds.",
        )  # fmt: skip
    except ClientDisconnect:
        return Response(status_code=499)  # nobody is there to read it
    if body is None:
        return error_response(
            "OpenBookingError", 413, "Request too large",
            f"A checkout session request is at most {MAX_BODY} bytes.",
        )  # fmt: skip
    target = f"{base_url(request, state)}/opendata/"
    # Reading and judging the JSON-LD is CPU work: a worker thread, not the event loop.
    return await run_in_threadpool(_create, body, state, target)


def _create(body: bytes, state: MockState, target: str) -> Response:
    checked = check_request(body)
    if checked.session is None:
        count = len(checked.problems)
        lines = "\n".join(str(p) for p in checked.problems)
        return error_response(
            "OpenBookingError", 400, "Invalid checkout session request",
            f"The request has {count} problem{'s' if count != 1 else ''}:\n{lines}",
        )  # fmt: skip
    if not all(state.is_bookable(i) for i in checked.opportunity_ids):
        unavailable = UnavailableOpportunityError(description=UNAVAILABLE)
        return Response(dumps(unavailable), status_code=400, media_type=JSON)
    token = secrets.token_urlsafe(10)  # 80 random bits: collisions are not a concern
    answer = _answer(checked.session, state.broker, target + token)
    state.store(token, answer)
    return Response(
        answer,
        status_code=201,
        media_type=JSON,
        headers={"Location": f"/checkout-sessions/{token}"},
    )


async def _read_body(request: Request) -> bytes | None:
    """The request body, or None as soon as it grows beyond MAX_BODY (never read whole)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > MAX_BODY:
        return None
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY:
            return None
        chunks.append(chunk)
    return b"".join(chunks)


def _answer(request: CheckoutSession, broker: Organization, target: str) -> str:
    """The request echoed back with the broker and the checkout action."""
    assert request.initial_order is not None  # checked by check_request
    order = request.initial_order.model_copy(update={"broker": broker})
    action = OrderAction(name="Checkout", target=target)
    return dumps(request.model_copy(update={"initial_order": order, "potential_action": [action]}))


async def get_session(request: Request, state: MockState) -> Response:
    """``GET /checkout-sessions/<token>``."""
    token = request.path_params["token"]
    body = state.session(token)
    if not body:
        return error_response(
            "NotFoundError", 404, "Unknown checkout session",
            f"There is no checkout session {token!r}.",
        )  # fmt: skip
    return Response(body, status_code=200, media_type=JSON)


async def checkout_page(request: Request, state: MockState) -> Response:
    """``GET /opendata/<token>``: the page the Book button opens."""
    token = request.path_params["token"]
    if not state.session(token):
        return error_response(
            "NotFoundError", 404, "Unknown checkout", f"There is no checkout {token!r}."
        )
    safe = html.escape(token)
    return HTMLResponse(
        "<!doctype html><title>Mock imin checkout</title>"
        f"<h1>Mock imin checkout</h1><p>Checkout session <code>{safe}</code>: this page "
        "stands in for imin's checkout.</p>"
    )


async def feed_page(request: Request, state: MockState) -> Response:
    """``GET /feeds/<name>``: one RPDE page."""
    name = request.path_params["name"]
    feed = state.feeds.get(name)
    if feed is None:
        if name == DEFAULT_FEED:  # the default path answers an empty feed
            feed = MockFeed([], [])
        else:
            return error_response(
                "UnknownOrIncorrectEndpointError", 404, "Unknown feed",
                f"There is no feed {name!r}.",
            )  # fmt: skip
    base = f"{base_url(request, state)}/feeds/{name}"
    query = dict(request.query_params)
    loop = bool(getattr(request.state, "loop", False))
    try:
        return await run_in_threadpool(_feed_answer, feed, base, query, state.page_size, loop)
    except QueryError as exc:
        return error_response("OpenBookingError", 400, "Invalid feed request", str(exc))


def _feed_answer(
    feed: MockFeed, base: str, query: dict[str, str], page_size: int, loop: bool
) -> Response:
    page = feed.page(base, query, page_size)
    if loop:
        page["next"] = base
    body = json.dumps(page, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    return Response(body, media_type=JSON)
