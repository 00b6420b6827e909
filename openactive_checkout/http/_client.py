"""The imin Standalone Checkout over HTTP: a sync and an async client (httpx).

::

    with CheckoutClient("https://checkout.example.com", api_key=key) as client:
        session = client.create_session(opportunity_id)
        book_url = session.checkout_url

``POST /checkout-sessions`` sends the JSON-LD request the imin documentation shows; a 201
answer is read into a :class:`~openactive_checkout.CheckoutSession`. A 400
``UnavailableOpportunityError`` raises :class:`~openactive_checkout.UnavailableOpportunity`;
any other error status raises :class:`~openactive_checkout.CheckoutHTTPError` with the parsed
``OpenBookingError`` on ``.error`` when the body is one. 429 and 503 answers are retried with
exponential backoff, honouring ``Retry-After`` (capped by ``max_backoff``); so are connection
failures where the request never reached the server. A request that gets no answer raises
:class:`~openactive_checkout.TransportError`.

The API key travels in the ``X-API-KEY`` header. It is never logged and never shown in a
repr (nor is userinfo written into ``base_url``); redirects are not followed, and
:meth:`CheckoutClient.get_session` refuses URLs on another origin, so the key only ever goes
to ``base_url``'s server. Each request has a total ``deadline`` (retries and waits included)
and its answer's decoded body is refused beyond ``max_response_bytes``; an error answer is
kept only up to its first 64 KiB.

Like httpx, the clients take a ``transport=`` (an in-process app, a mock, a retrying or
proxying transport) or a whole ``http_client=`` that the caller configured and owns. Bad
arguments raise ``TypeError`` or ``ValueError``; :class:`~openactive_checkout.DataError` is
for documents.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from types import TracebackType
from typing import Self
from urllib.parse import urljoin

import httpx

from ..errors import (
    CheckoutHTTPError,
    ContextError,
    DataError,
    OpenActiveCheckoutError,
    UnavailableOpportunity,
)
from ..jsonld import dumps, loads
from ..jsonld._context import is_absolute_iri
from ..vocab.imin import CheckoutSession, UnavailableOpportunityError
from ..vocab.openactive import OpenBookingError
from ._transport import (
    MAX_ANSWER_BYTES,
    Answer,
    ApiKey,
    Limits,
    RetryPolicy,
    asend,
    check_base_url,
    check_count,
    check_timeout,
    redact,
    same_origin,
    send,
)

__all__ = ["AsyncCheckoutClient", "CheckoutClient", "CreatedSession"]

logger = logging.getLogger("openactive_checkout.client")

_SESSIONS_PATH = "/checkout-sessions"
_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}
DEFAULT_TIMEOUT = httpx.Timeout(10.0)
"""Each request's timeouts when neither ``timeout`` nor an ``http_client`` says otherwise."""
DEFAULT_DEADLINE = 60.0
"""Seconds for one call (every attempt, wait and the answer's body) unless ``deadline`` says."""


@dataclass(frozen=True)
class CreatedSession:
    """The server's answer to ``POST /checkout-sessions``."""

    session: CheckoutSession
    """The session as the server echoed it (with ``broker`` and ``potentialAction``)."""
    location: str | None
    """The absolute URL of the session (from the ``Location`` header), or None if absent."""
    status_code: int
    """The HTTP status (201 from imin)."""

    @property
    def checkout_url(self) -> str | None:
        """``potentialAction[0].target``: where the consumer's "Book" button goes."""
        return self.session.checkout_url


class _ClientBase:
    """Configuration and response handling shared by the sync and async clients."""

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None,
        timeout: float | httpx.Timeout | None,
        retries: int,
        backoff: float,
        max_backoff: float,
        own_timeout: httpx.Timeout | None,
        deadline: float | None,
        max_response_bytes: int,
    ) -> None:
        self.base_url = check_base_url(base_url)
        explicit = check_timeout(timeout)
        self.timeout: httpx.Timeout = explicit or own_timeout or DEFAULT_TIMEOUT
        """The timeouts of each request."""
        self.policy = RetryPolicy(retries=retries, backoff=backoff, max_backoff=max_backoff)
        self.limits = Limits(max_bytes=max_response_bytes, deadline=deadline)
        """The deadline of each call and the largest answer accepted."""
        self._key = ApiKey(api_key) if api_key is not None else None

    def __repr__(self) -> str:
        key = ", api_key=<hidden>" if self._key is not None else ""
        return f"{type(self).__name__}(base_url={redact(self.base_url)!r}{key})"

    def _headers(self, *, body: bool) -> dict[str, str]:
        """A request's own headers (made per request, so the key is kept only in ApiKey)."""
        headers = dict(_HEADERS) if body else {"Accept": _HEADERS["Accept"]}
        if self._key is not None:
            headers.update(self._key.headers())
        return headers

    def _request_body(self, request: CheckoutSession) -> bytes:
        if not isinstance(request, CheckoutSession):
            raise TypeError(f"expected a CheckoutSession to send, not {type(request).__name__}")
        return dumps(request).encode("utf-8")

    def _session_url(self, location: str) -> str:
        if not isinstance(location, str):
            raise TypeError(f"a session location must be a string, not {type(location).__name__}")
        if not location:
            raise ValueError("a session location must be a non-empty string")
        url = urljoin(self.base_url + "/", location)
        if not url.startswith(("http://", "https://")) or not same_origin(url, self.base_url):
            raise ValueError(
                f"the session location {location!r} is not on the checkout server "
                f"{redact(self.base_url)}; the client only talks to its own server"
            )
        return url

    def _created(self, url: str, response: Answer) -> CreatedSession:
        session = self._session(url, "POST", response)
        location = response.headers.get("location")
        return CreatedSession(
            session=session,
            location=urljoin(url, location) if location else None,
            status_code=response.status_code,
        )

    def _session(self, url: str, method: str, response: Answer) -> CheckoutSession:
        if not response.is_success:
            raise _status_error(method, url, response)
        try:
            return loads(response.content, model=CheckoutSession)
        except DataError as exc:
            raise DataError(
                f"the {response.status_code} answer to {method} {redact(url)} is not a checkout "
                f"session: {exc.reason}",
                path=exc.path,
            ) from None

    def _log(self, method: str, url: str, response: Answer) -> None:
        logger.debug("%s %s -> %d", method, redact(url), response.status_code)


def _new_request(opportunity_id: str, opportunity_type: str) -> CheckoutSession:
    if not isinstance(opportunity_id, str):
        raise TypeError(f"opportunity_id must be a string, not {type(opportunity_id).__name__}")
    if not is_absolute_iri(opportunity_id):
        raise ValueError(
            f"opportunity_id must be the opportunity's absolute @id URL, not {opportunity_id!r}"
        )
    if not isinstance(opportunity_type, str):
        raise TypeError(f"opportunity_type must be a string, not {type(opportunity_type).__name__}")
    if not opportunity_type:
        raise ValueError("opportunity_type must be a type term, not an empty string")
    try:
        return CheckoutSession.for_opportunity(opportunity_id, opportunity_type)
    except OpenActiveCheckoutError:
        raise
    except ValueError as exc:
        raise ValueError(f"cannot build a checkout request: {exc}") from None


def _status_error(method: str, url: str, response: Answer | httpx.Response) -> CheckoutHTTPError:
    """The error for a non-2xx answer, with the OpenBookingError model when there is one.

    ``body`` keeps at most the first 64 KiB of the answer (all that is read of one).
    """
    url = redact(url)
    body = response.text
    try:
        model: object = loads(response.content)
    except (DataError, ContextError):
        model = None
    status = f"{response.status_code} {response.reason_phrase}".strip()
    if isinstance(model, UnavailableOpportunityError):
        detail = model.description or model.name or "the opportunity is not available to book"
        return UnavailableOpportunity(
            f"{method} {url} answered {status}: {detail}",
            status_code=response.status_code,
            body=body,
            error=model,
        )
    error = model if isinstance(model, OpenBookingError) else None
    detail = ""
    if error is not None:
        detail = ": " + (error.description or error.name or type(error).__name__)
    return CheckoutHTTPError(
        f"{method} {url} answered {status}{detail}",
        status_code=response.status_code,
        body=body,
        error=error,
    )


def _check_transport(transport: object, expected: type, owner: str) -> None:
    if isinstance(transport, expected):
        return
    hint = ""
    if isinstance(transport, httpx.AsyncBaseTransport | httpx.BaseTransport):
        twin = "AsyncCheckoutClient" if owner == "CheckoutClient" else "CheckoutClient"
        hint = f" ({type(transport).__name__} is for the {twin})"
    raise TypeError(
        f"transport must be an httpx.{expected.__name__}, not {type(transport).__name__}{hint}"
    )


def _check_http_client(http_client: object, expected: type, owner: str) -> None:
    if not isinstance(http_client, expected):
        hint = ""
        if isinstance(http_client, httpx.Client | httpx.AsyncClient):
            twin = "AsyncCheckoutClient" if owner == "CheckoutClient" else "CheckoutClient"
            hint = f" ({type(http_client).__name__} is for the {twin})"
        raise TypeError(
            f"http_client must be an httpx.{expected.__name__}, not "
            f"{type(http_client).__name__}{hint}"
        )
    if getattr(http_client, "is_closed", False):
        raise ValueError("http_client is closed")


def _check_one_of(transport: object, http_client: object) -> None:
    if transport is not None and http_client is not None:
        raise TypeError(
            "give transport or http_client, not both: a transport goes on the http_client "
            "you make (httpx.Client(transport=...))"
        )


class CheckoutClient(_ClientBase):
    """A synchronous imin Standalone Checkout client; use it as a context manager.

    ``base_url`` is the checkout server (``https://checkout.example.com``); ``api_key`` is
    sent as ``X-API-KEY``; ``timeout`` bounds each request: seconds, or an ``httpx.Timeout``
    for each phase (default 10 seconds, or the ``http_client``'s own). ``retries`` extra
    attempts are made on 429/503 answers and on connections that could not be made, waiting
    ``backoff * 2**n`` seconds (with jitter) or what ``Retry-After`` asks, never more than
    ``max_backoff``. ``deadline`` bounds each call as a whole, attempts, waits and the
    answer's body included (seconds, default 60; None: no bound beyond ``timeout``), and an
    answer whose decoded body exceeds ``max_response_bytes`` (default 4 MiB) is refused with
    a :class:`~openactive_checkout.TransportError`.

    ``transport`` is the httpx transport to send through (an in-process app, a mock, a
    proxy): the client makes its ``httpx`` client with it and closes both when closed.
    ``http_client`` is an httpx client you made and own instead: the checkout client never
    closes it, so it may outlive the checkout client or serve other code too. Its headers,
    cookies, auth, proxies, transport and connection pool apply to every request; per
    request the checkout client adds its ``Accept`` and ``Content-Type`` headers and the
    ``X-API-KEY`` header (overriding headers of the same names), its ``timeout`` when one is
    given, and never follows redirects. Its ``base_url`` is not used: requests go to absolute
    URLs under ``base_url``. Give ``transport`` or ``http_client``, not both (TypeError).

    Bad arguments raise TypeError (a wrong type) or ValueError (a wrong value).
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = MAX_ANSWER_BYTES,
        transport: httpx.BaseTransport | None = None,
        http_client: httpx.Client | None = None,
    ) -> None:
        _check_one_of(transport, http_client)
        if transport is not None:
            _check_transport(transport, httpx.BaseTransport, "CheckoutClient")
        if http_client is not None:
            _check_http_client(http_client, httpx.Client, "CheckoutClient")
        super().__init__(
            base_url,
            api_key=api_key,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            own_timeout=http_client.timeout if http_client is not None else None,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        self._owns_client = http_client is None
        self._client = http_client or httpx.Client(
            timeout=self.timeout, follow_redirects=False, transport=transport
        )

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the connections (and the ``transport``); a caller's ``http_client`` stays
        open."""
        if self._owns_client:
            self._client.close()

    def create_session(
        self, opportunity_id: str, *, opportunity_type: str = "ScheduledSession"
    ) -> CheckoutSession:
        """Ask for a checkout session for one opportunity; its ``checkout_url`` is the
        "Book" link. Raises UnavailableOpportunity when imin cannot book it."""
        return self.post_session(_new_request(opportunity_id, opportunity_type)).session

    def post_session(self, request: CheckoutSession) -> CreatedSession:
        """POST any checkout session request (several items, a customer, navigation links)
        and return the echoed session with its ``Location``."""
        url = self.base_url + _SESSIONS_PATH
        content = self._request_body(request)
        response = send(
            self._client, "POST", url, policy=self.policy, idempotent=False,
            content=content, headers=self._headers(body=True), timeout=self.timeout,
            limits=self.limits,
        )  # fmt: skip
        self._log("POST", url, response)
        return self._created(url, response)

    def get_session(self, location: str) -> CheckoutSession:
        """GET a session by its ``Location`` (relative, or absolute on this server)."""
        url = self._session_url(location)
        response = send(
            self._client, "GET", url, policy=self.policy, idempotent=True,
            headers=self._headers(body=False), timeout=self.timeout, limits=self.limits,
        )  # fmt: skip
        self._log("GET", url, response)
        return self._session(url, "GET", response)


class AsyncCheckoutClient(_ClientBase):
    """The asyncio twin of :class:`CheckoutClient`; use it with ``async with``.

    ``max_connections`` bounds the requests in flight at once; more concurrent calls queue
    for a free slot (an asyncio semaphore, cheap for thousands of waiters), and the client
    it makes pools as many connections. The default, 10, is polite to a checkout server and
    fastest in ``benchmarks/load_checkout.py``: httpx's pool spends time per connection on
    every request, so a large pool is slower, not faster. ``transport`` is an
    ``httpx.AsyncBaseTransport`` (``httpx.ASGITransport(app)`` serves an ASGI app in
    process) and ``http_client`` an ``httpx.AsyncClient``; the other arguments are as for
    :class:`CheckoutClient`.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float | httpx.Timeout | None = None,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        deadline: float | None = DEFAULT_DEADLINE,
        max_response_bytes: int = MAX_ANSWER_BYTES,
        max_connections: int = 10,
        transport: httpx.AsyncBaseTransport | None = None,
        http_client: httpx.AsyncClient | None = None,
    ) -> None:
        _check_one_of(transport, http_client)
        if transport is not None:
            _check_transport(transport, httpx.AsyncBaseTransport, "AsyncCheckoutClient")
        if http_client is not None:
            _check_http_client(http_client, httpx.AsyncClient, "AsyncCheckoutClient")
        super().__init__(
            base_url,
            api_key=api_key,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
            own_timeout=http_client.timeout if http_client is not None else None,
            deadline=deadline,
            max_response_bytes=max_response_bytes,
        )
        check_count(max_connections, "max_connections", minimum=1)
        self._slots = asyncio.Semaphore(max_connections)
        self._owns_client = http_client is None
        self._client = http_client or httpx.AsyncClient(
            timeout=self.timeout,
            follow_redirects=False,
            transport=transport,
            limits=httpx.Limits(
                max_connections=max_connections, max_keepalive_connections=max_connections
            ),
        )

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connections (and the ``transport``); a caller's ``http_client`` stays
        open."""
        if self._owns_client:
            await self._client.aclose()

    async def create_session(
        self, opportunity_id: str, *, opportunity_type: str = "ScheduledSession"
    ) -> CheckoutSession:
        """Ask for a checkout session for one opportunity (see CheckoutClient)."""
        created = await self.post_session(_new_request(opportunity_id, opportunity_type))
        return created.session

    async def post_session(self, request: CheckoutSession) -> CreatedSession:
        """POST any checkout session request; the echoed session with its ``Location``."""
        url = self.base_url + _SESSIONS_PATH
        content = self._request_body(request)
        response = await asend(
            self._client, "POST", url, policy=self.policy, idempotent=False,
            content=content, headers=self._headers(body=True), timeout=self.timeout,
            limits=self.limits, slots=self._slots,
        )  # fmt: skip
        self._log("POST", url, response)
        return self._created(url, response)

    async def get_session(self, location: str) -> CheckoutSession:
        """GET a session by its ``Location`` (relative, or absolute on this server)."""
        url = self._session_url(location)
        response = await asend(
            self._client, "GET", url, policy=self.policy, idempotent=True,
            headers=self._headers(body=False), timeout=self.timeout, limits=self.limits,
            slots=self._slots,
        )  # fmt: skip
        self._log("GET", url, response)
        return self._session(url, "GET", response)
