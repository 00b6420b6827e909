"""HTTP machinery shared by the checkout client and the RPDE feed walker.

Retry policy (which answers are worth another try, how long to wait, ``Retry-After``), the
``X-API-KEY`` header that never shows the key, the checks of the arguments the client and the
feed walker share (TypeError or ValueError: bad arguments are not bad documents), and the
translation of httpx failures into this library's errors. The retry decisions live in one
sans-IO class, :class:`Attempts`; :func:`send` and :func:`asend` differ only in how they send
and sleep.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import DataError, TransportError

logger = logging.getLogger("openactive_checkout.http")

CHECKOUT_RETRY_STATUSES = frozenset({429, 503})
"""Answers a checkout server gives when it did not process the request and wants a retry."""
FEED_RETRY_STATUSES = frozenset({429, 502, 503, 504})
"""Transient answers worth retrying when reading (idempotent GETs of feed pages)."""

# Transport failures where the request certainly never reached the application: safe to
# retry even for a POST. Others (a read timeout, a dropped connection) are only retried for
# idempotent requests.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how long to retry.

    ``retries`` extra attempts after the first; waits grow as ``backoff * 2**attempt`` with
    jitter, and every wait, including one a server asks for with ``Retry-After``, is capped
    at ``max_backoff`` seconds so a server cannot stall the caller indefinitely.
    """

    retries: int = 3
    backoff: float = 0.5
    max_backoff: float = 30.0
    statuses: frozenset[int] = CHECKOUT_RETRY_STATUSES
    rng: random.Random = field(default_factory=random.Random, compare=False, repr=False)

    def __post_init__(self) -> None:
        check_count(self.retries, "retries", minimum=0, maximum=100)
        for name in ("backoff", "max_backoff"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise TypeError(f"{name} must be a number of seconds, not {type(value).__name__}")
            if not math.isfinite(value) or value < 0:
                raise ValueError(f"{name} must be a finite number of seconds >= 0, not {value}")

    def wait(self, attempt: int, retry_after: str | None = None) -> float:
        """Seconds to wait before retry number ``attempt + 1`` (``attempt`` counts from 0)."""
        asked = parse_retry_after(retry_after) if retry_after is not None else None
        if asked is not None:
            return min(asked, self.max_backoff)
        ceiling = min(self.backoff * float(2**attempt), self.max_backoff)
        return ceiling * self.rng.uniform(0.5, 1.0)


def parse_retry_after(value: str) -> float | None:
    """Seconds a ``Retry-After`` header asks for: delta-seconds or an HTTP date.

    None when the header is not one of those forms (the caller's own backoff applies).
    """
    text = value.strip()
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return seconds if math.isfinite(seconds) and seconds >= 0 else None
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


class ApiKey:
    """The ``X-API-KEY`` header for each request; its repr never shows the key.

    Sent as a per-request header rather than as httpx ``auth``, so the ``auth`` of a caller's
    own ``httpx.Client`` (a proxy's, say) still applies alongside it.
    """

    __slots__ = ("_key",)

    def __init__(self, api_key: str) -> None:
        if not isinstance(api_key, str):
            raise TypeError(f"api_key must be a string, not {type(api_key).__name__}")
        if not api_key:
            raise ValueError("api_key must be a non-empty string")
        if any(ch in api_key for ch in "\r\n\0") or not api_key.isprintable():
            raise ValueError("api_key contains characters a header cannot hold")
        self._key = api_key

    def headers(self) -> dict[str, str]:
        """The header to add to a request."""
        return {"X-API-KEY": self._key}

    def __repr__(self) -> str:
        return "ApiKey(<hidden>)"


def check_base_url(url: str, what: str = "base_url") -> str:
    """An absolute http(s) URL without a trailing slash.

    TypeError when ``url`` is not a string, ValueError when it is not an absolute http(s) URL:
    a bad argument, not a bad document.
    """
    if not isinstance(url, str):
        raise TypeError(f"{what} must be a string URL, not {type(url).__name__}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an absolute http:// or https:// URL, not {url!r}")
    return url.rstrip("/")


def check_timeout(
    timeout: float | httpx.Timeout | None, what: str = "timeout"
) -> httpx.Timeout | None:
    """``timeout`` as an ``httpx.Timeout`` (seconds for every phase when a number); None stays
    None (the client's own). TypeError or ValueError for anything else."""
    if timeout is None or isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float):
        raise TypeError(
            f"{what} must be a number of seconds or an httpx.Timeout, not {type(timeout).__name__}"
        )
    if not math.isfinite(timeout) or timeout <= 0:
        raise ValueError(f"{what} must be a positive, finite number of seconds, not {timeout!r}")
    return httpx.Timeout(float(timeout))


def check_count(value: int, what: str, *, minimum: int, maximum: int | None = None) -> int:
    """An int from ``minimum`` to ``maximum``: TypeError or ValueError otherwise."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{what} must be an int, not {type(value).__name__}")
    if value < minimum or (maximum is not None and value > maximum):
        bound = f"between {minimum} and {maximum}" if maximum is not None else f">= {minimum}"
        raise ValueError(f"{what} must be {bound}, not {value}")
    return value


def same_origin(a: str, b: str) -> bool:
    """Whether two absolute URLs share scheme, host and port."""
    pa, pb = httpx.URL(a), httpx.URL(b)
    return (pa.scheme, pa.host, pa.port) == (pb.scheme, pb.host, pb.port)


def _describe(exc: Exception) -> str:
    detail = str(exc).strip()
    name = type(exc).__name__
    return f"{detail} ({name})" if detail else name


class Attempts:
    """The retry decisions for one request, shared by :func:`send` and :func:`asend`.

    Sans-IO: it says whether to try again and how long to wait first; the caller sends and
    sleeps (blocking or with asyncio). Which answers are retried: a status in
    ``policy.statuses``; a transport failure where the request certainly never reached the
    application (a refused connection, a connect or pool timeout), for any method; any other
    transport failure (a read timeout, a dropped connection) only for an ``idempotent``
    request.
    """

    def __init__(self, policy: RetryPolicy, method: str, url: str, *, idempotent: bool) -> None:
        self.policy = policy
        self.method = method
        self.url = url
        self.idempotent = idempotent
        self.attempt = 0
        """Retries made so far."""

    def after_error(self, exc: httpx.HTTPError) -> float:
        """Seconds to wait before retrying after ``exc``; raises when not to retry
        (TransportError, or DataError for a URL httpx cannot use)."""
        if isinstance(exc, httpx.InvalidURL):
            raise DataError(f"cannot request {self.url!r}: {exc}") from None
        retryable = isinstance(exc, _NOT_SENT) or (
            self.idempotent and isinstance(exc, httpx.TransportError)
        )
        if not retryable or self.attempt >= self.policy.retries:
            tries = f" after {self.attempt + 1} attempts" if self.attempt else ""
            raise TransportError(
                f"{self.method} {self.url} failed{tries}: {_describe(exc)}", url=self.url
            ) from None
        return self._next(_describe(exc), self.policy.wait(self.attempt))

    def after_response(self, response: httpx.Response) -> float | None:
        """Seconds to wait before retrying after ``response`` (the caller closes it), or None
        to keep it: a status not worth retrying, or no retries left."""
        if response.status_code not in self.policy.statuses:
            return None
        if self.attempt >= self.policy.retries:
            return None
        delay = self.policy.wait(self.attempt, response.headers.get("retry-after"))
        return self._next(str(response.status_code), delay)

    def _next(self, why: str, delay: float) -> float:
        self.attempt += 1
        logger.info(
            "%s %s: %s; retry %d of %d in %.3fs",
            self.method, self.url, why, self.attempt, self.policy.retries, delay,
        )  # fmt: skip
        return delay


def request_options(
    *,
    timeout: httpx.Timeout | None,
    follow_redirects: bool | None,
) -> dict[str, Any]:
    """The per-request options for ``client.request``: None leaves the client's own."""
    options: dict[str, Any] = {}
    if timeout is not None:
        options["timeout"] = timeout
    if follow_redirects is not None:
        options["follow_redirects"] = follow_redirects
    return options


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    idempotent: bool,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: httpx.Timeout | None = None,
    follow_redirects: bool | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """Send a request, retrying per ``policy``; the final response whatever its status.

    ``timeout`` and ``follow_redirects`` apply to this request (None: the client's own).
    Raises TransportError when no answer came, DataError for a URL httpx cannot use.
    """
    attempts = Attempts(policy, method, url, idempotent=idempotent)
    options = request_options(timeout=timeout, follow_redirects=follow_redirects)
    while True:
        try:
            response = client.request(method, url, content=content, headers=headers, **options)
        except httpx.HTTPError as exc:
            sleep(attempts.after_error(exc))
            continue
        delay = attempts.after_response(response)
        if delay is None:
            return response
        response.close()
        sleep(delay)


async def asend(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    idempotent: bool,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: httpx.Timeout | None = None,
    follow_redirects: bool | None = None,
    slots: asyncio.Semaphore | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
) -> httpx.Response:
    """The async twin of :func:`send`: the same :class:`Attempts`, awaited sleeps.

    ``slots`` (one per pooled connection) queues requests before they reach httpx: its
    pool handles a long queue of waiters slowly, a semaphore does not.
    """
    attempts = Attempts(policy, method, url, idempotent=idempotent)
    options = request_options(timeout=timeout, follow_redirects=follow_redirects)
    while True:
        try:
            if slots is None:
                response = await client.request(
                    method, url, content=content, headers=headers, **options
                )
            else:
                async with slots:
                    response = await client.request(
                        method, url, content=content, headers=headers, **options
                    )
        except httpx.HTTPError as exc:
            await sleep(attempts.after_error(exc))
            continue
        delay = attempts.after_response(response)
        if delay is None:
            return response
        await response.aclose()
        await sleep(delay)
