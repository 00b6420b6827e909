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
* ``GET /feeds/scheduled-sessions``: the RPDE feed given to the server, paged.

Error answers are OpenActive ``OpenBookingError`` documents (``@type`` the specific error
class where OpenActive defines one the models know, with ``statusCode``), except the
unavailable-opportunity answer, which is exactly imin's.
"""

from __future__ import annotations

import hmac
import html
import secrets
import threading
from collections import OrderedDict, deque
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route

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
FEED_PATH = "/feeds/scheduled-sessions"


@dataclass(frozen=True)
class Failure:
    """An answer the server gives instead of the real one (see ``inject_failures``)."""

    status: int
    retry_after: str | None


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
    ) -> None:
        if isinstance(page_size, bool) or not isinstance(page_size, int) or page_size < 1:
            raise DataError(f"page_size must be a positive int, not {page_size!r}")
        self.feed = feed
        self.page_size = page_size
        self.broker = Organization(name=broker_name, url=broker_url)
        self.api_key = api_key
        self.max_sessions = max_sessions
        self._lock = threading.Lock()
        self._bookable = set(bookable) | (feed.bookable_ids if feed is not None else set())
        self._sessions: OrderedDict[str, str] = OrderedDict()
        self._failures: deque[Failure] = deque()
        self.created = 0
        """How many sessions have been created."""

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

    def inject_failures(
        self, status: int, *, count: int = 1, retry_after: str | None = "0"
    ) -> None:
        """Answer the next ``count`` requests (any route) with ``status`` and ``Retry-After``."""
        if not 400 <= status <= 599:
            raise DataError(f"an injected failure must be a 4xx or 5xx status, not {status}")
        with self._lock:
            self._failures.extend(Failure(status, retry_after) for _ in range(count))

    def take_failure(self) -> Failure | None:
        """The next injected failure to answer with, if any (removed from the queue)."""
        with self._lock:
            return self._failures.popleft() if self._failures else None

    def store(self, token: str, body: str) -> None:
        """Keep a created session under its token (the oldest go beyond ``max_sessions``)."""
        with self._lock:
            self._sessions[token] = body
            self.created += 1
            while len(self._sessions) > self.max_sessions:
                self._sessions.popitem(last=False)

    def session(self, token: str) -> str | None:
        """The stored answer for a token, or None."""
        with self._lock:
            return self._sessions.get(token)


class MockControls:
    """What a test can do to a running mock, in process or on a socket (``self.state``)."""

    state: MockState
    """Everything the mock knows."""

    def add_bookable(self, *opportunity_ids: str) -> None:
        """Make more opportunity ids bookable (also while running)."""
        self.state.add_bookable(*opportunity_ids)

    def inject_failures(
        self, status: int = 503, *, count: int = 1, retry_after: str | None = "0"
    ) -> None:
        """Answer the next ``count`` requests with ``status`` (and ``Retry-After``): for
        testing how a client copes with rate limits and outages."""
        self.state.inject_failures(status, count=count, retry_after=retry_after)

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


def create_app(state: MockState) -> Starlette:
    """The ASGI application serving ``state``."""

    def guarded(
        endpoint: Callable[[Request, MockState], Awaitable[Response]], *, needs_key: bool = True
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
            failure = state.take_failure()
            if failure is not None:
                type_name, name = _FAILURE_TYPES.get(
                    failure.status, ("OpenBookingError", "Failure")
                )
                headers = {"Retry-After": failure.retry_after} if failure.retry_after else None
                return error_response(
                    type_name, failure.status, name, "An injected failure.", headers
                )
            return await endpoint(request, state)

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
        Route(FEED_PATH, guarded(feed_page, needs_key=False), methods=["GET"]),
    ]
    return Starlette(routes=routes, exception_handlers={404: not_found, 405: not_found})


async def create_session(request: Request, state: MockState) -> Response:
    """``POST /checkout-sessions``."""
    body = await _read_body(request)
    if body is None:
        return error_response(
            "OpenBookingError", 413, "Request too large",
            f"A checkout session request is at most {MAX_BODY} bytes.",
        )  # fmt: skip
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
    target = f"{str(request.base_url).rstrip('/')}/opendata/{token}"
    answer = _answer(checked.session, state.broker, target)
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
    """``GET /feeds/scheduled-sessions``: one RPDE page."""
    base = f"{str(request.base_url).rstrip('/')}{FEED_PATH}"
    feed = state.feed or MockFeed([], [])
    try:
        page = feed.page(base, dict(request.query_params), state.page_size)
    except QueryError as exc:
        return error_response("OpenBookingError", 400, "Invalid feed request", str(exc))
    return JSONResponse(page, media_type=JSON)
