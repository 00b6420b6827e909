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
repr; redirects are not followed, and :meth:`CheckoutClient.get_session` refuses URLs on
another origin, so the key only ever goes to ``base_url``'s server.
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
from ._transport import ApiKeyAuth, RetryPolicy, asend, check_base_url, same_origin, send

__all__ = ["AsyncCheckoutClient", "CheckoutClient", "CreatedSession"]

logger = logging.getLogger("openactive_checkout.client")

_SESSIONS_PATH = "/checkout-sessions"
_HEADERS = {"Accept": "application/json", "Content-Type": "application/json"}


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
        timeout: float,
        retries: int,
        backoff: float,
        max_backoff: float,
    ) -> None:
        self.base_url = check_base_url(base_url)
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
            raise DataError(f"timeout must be a positive number of seconds, not {timeout!r}")
        self.timeout = float(timeout)
        self.policy = RetryPolicy(retries=retries, backoff=backoff, max_backoff=max_backoff)
        self._auth = ApiKeyAuth(api_key) if api_key is not None else None

    def __repr__(self) -> str:
        key = ", api_key=<hidden>" if self._auth is not None else ""
        return f"{type(self).__name__}(base_url={self.base_url!r}{key})"

    def _request_body(self, request: CheckoutSession) -> bytes:
        if not isinstance(request, CheckoutSession):
            raise DataError(f"expected a CheckoutSession to send, not {type(request).__name__}")
        return dumps(request).encode("utf-8")

    def _session_url(self, location: str) -> str:
        if not isinstance(location, str) or not location:
            raise DataError(f"a session location must be a non-empty string, not {location!r}")
        url = urljoin(self.base_url + "/", location)
        if not url.startswith(("http://", "https://")) or not same_origin(url, self.base_url):
            raise DataError(
                f"the session location {location!r} is not on the checkout server "
                f"{self.base_url}; the client only talks to its own server"
            )
        return url

    def _created(self, url: str, response: httpx.Response) -> CreatedSession:
        session = self._session(url, "POST", response)
        location = response.headers.get("location")
        return CreatedSession(
            session=session,
            location=urljoin(url, location) if location else None,
            status_code=response.status_code,
        )

    def _session(self, url: str, method: str, response: httpx.Response) -> CheckoutSession:
        if not response.is_success:
            raise _status_error(method, url, response)
        try:
            return loads(response.content, model=CheckoutSession)
        except DataError as exc:
            raise DataError(
                f"the {response.status_code} answer to {method} {url} is not a checkout "
                f"session: {exc.reason}",
                path=exc.path,
            ) from None

    def _log(self, method: str, url: str, response: httpx.Response) -> None:
        logger.debug("%s %s -> %d", method, url, response.status_code)


def _new_request(opportunity_id: str, opportunity_type: str) -> CheckoutSession:
    if not isinstance(opportunity_id, str) or not is_absolute_iri(opportunity_id):
        raise DataError(
            f"opportunity_id must be the opportunity's absolute @id URL, not {opportunity_id!r}"
        )
    if not isinstance(opportunity_type, str) or not opportunity_type:
        raise DataError(f"opportunity_type must be a type term, not {opportunity_type!r}")
    try:
        return CheckoutSession.for_opportunity(opportunity_id, opportunity_type)
    except OpenActiveCheckoutError:
        raise
    except ValueError as exc:
        raise DataError(f"cannot build a checkout request: {exc}") from None


def _status_error(method: str, url: str, response: httpx.Response) -> CheckoutHTTPError:
    """The error for a non-2xx answer, with the OpenBookingError model when there is one."""
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


class CheckoutClient(_ClientBase):
    """A synchronous imin Standalone Checkout client; use it as a context manager.

    ``base_url`` is the checkout server (``https://checkout.example.com``); ``api_key`` is
    sent as ``X-API-KEY``; ``timeout`` bounds each request (seconds); ``retries`` extra
    attempts are made on 429/503 answers and on connections that could not be made, waiting
    ``backoff * 2**n`` seconds (with jitter) or what ``Retry-After`` asks, never more than
    ``max_backoff``.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
    ) -> None:
        super().__init__(
            base_url,
            api_key=api_key,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
        )
        self._client = httpx.Client(timeout=self.timeout, auth=self._auth, follow_redirects=False)

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
        """Close the connections."""
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
            content=content, headers=_HEADERS,
        )  # fmt: skip
        self._log("POST", url, response)
        return self._created(url, response)

    def get_session(self, location: str) -> CheckoutSession:
        """GET a session by its ``Location`` (relative, or absolute on this server)."""
        url = self._session_url(location)
        response = send(
            self._client, "GET", url, policy=self.policy, idempotent=True,
            headers={"Accept": "application/json"},
        )  # fmt: skip
        self._log("GET", url, response)
        return self._session(url, "GET", response)


class AsyncCheckoutClient(_ClientBase):
    """The asyncio twin of :class:`CheckoutClient`; use it with ``async with``.

    ``max_connections`` bounds the connections open at once; more concurrent calls queue for
    a free one (an asyncio semaphore, cheap for thousands of waiters). The default, 10, is
    polite to a checkout server and fastest in ``benchmarks/load_checkout.py``: httpx's pool
    spends time per connection on every request, so a large pool is slower, not faster.
    """

    def __init__(
        self,
        base_url: str,
        *,
        api_key: str | None = None,
        timeout: float = 10.0,
        retries: int = 3,
        backoff: float = 0.5,
        max_backoff: float = 30.0,
        max_connections: int = 10,
    ) -> None:
        super().__init__(
            base_url,
            api_key=api_key,
            timeout=timeout,
            retries=retries,
            backoff=backoff,
            max_backoff=max_backoff,
        )
        if (
            isinstance(max_connections, bool)
            or not isinstance(max_connections, int)
            or (max_connections < 1)
        ):
            raise DataError(f"max_connections must be a positive int, not {max_connections!r}")
        self._slots = asyncio.Semaphore(max_connections)
        self._client = httpx.AsyncClient(
            timeout=self.timeout,
            auth=self._auth,
            follow_redirects=False,
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
        """Close the connections."""
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
            content=content, headers=_HEADERS, slots=self._slots,
        )  # fmt: skip
        self._log("POST", url, response)
        return self._created(url, response)

    async def get_session(self, location: str) -> CheckoutSession:
        """GET a session by its ``Location`` (relative, or absolute on this server)."""
        url = self._session_url(location)
        response = await asend(
            self._client, "GET", url, policy=self.policy, idempotent=True,
            headers={"Accept": "application/json"}, slots=self._slots,
        )  # fmt: skip
        self._log("GET", url, response)
        return self._session(url, "GET", response)
