"""HTTP machinery shared by the checkout client and the RPDE feed walker.

Retry policy (which answers are worth another try, how long to wait, ``Retry-After``), the
``X-API-KEY`` header as an httpx auth flow that never shows the key, and the translation of
httpx failures into this library's errors. Sans-IO where possible: the sync and async loops
below differ only in how they send and sleep.
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import math
import random
import time
from collections.abc import Callable, Generator
from dataclasses import dataclass, field
from datetime import UTC, datetime
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
        if isinstance(self.retries, bool) or not isinstance(self.retries, int):
            raise DataError(f"retries must be an int, not {type(self.retries).__name__}")
        if not 0 <= self.retries <= 100:
            raise DataError(f"retries must be between 0 and 100, not {self.retries}")
        for name in ("backoff", "max_backoff"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise DataError(f"{name} must be a number of seconds, not {value!r}")
            if not math.isfinite(value) or value < 0:
                raise DataError(f"{name} must be a finite number of seconds >= 0, not {value}")

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


class ApiKeyAuth(httpx.Auth):
    """Adds the ``X-API-KEY`` header to each request; its repr never shows the key."""

    def __init__(self, api_key: str) -> None:
        if not isinstance(api_key, str) or not api_key:
            raise DataError("api_key must be a non-empty string")
        if any(ch in api_key for ch in "\r\n\0") or not api_key.isprintable():
            raise DataError("api_key contains characters a header cannot hold")
        self._key = api_key

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Set the header on the outgoing request."""
        request.headers["X-API-KEY"] = self._key
        yield request

    def __repr__(self) -> str:
        return "ApiKeyAuth(<hidden>)"


def check_base_url(url: str, what: str = "base_url") -> str:
    """An absolute http(s) URL without a trailing slash, or DataError."""
    if not isinstance(url, str):
        raise DataError(f"{what} must be a string URL, not {type(url).__name__}")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise DataError(f"{what} must be an absolute http:// or https:// URL, not {url!r}")
    return url.rstrip("/")


def same_origin(a: str, b: str) -> bool:
    """Whether two absolute URLs share scheme, host and port."""
    pa, pb = httpx.URL(a), httpx.URL(b)
    return (pa.scheme, pa.host, pa.port) == (pb.scheme, pb.host, pb.port)


def _describe(exc: Exception) -> str:
    detail = str(exc).strip()
    name = type(exc).__name__
    return f"{detail} ({name})" if detail else name


def _retryable(exc: httpx.HTTPError, idempotent: bool) -> bool:
    if isinstance(exc, _NOT_SENT):
        return True
    return idempotent and isinstance(exc, httpx.TransportError)


def _give_up(method: str, url: str, exc: Exception, attempts: int) -> TransportError:
    tries = f" after {attempts} attempts" if attempts > 1 else ""
    return TransportError(f"{method} {url} failed{tries}: {_describe(exc)}", url=url)


def send(
    client: httpx.Client,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    idempotent: bool,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> httpx.Response:
    """Send a request, retrying per ``policy``; the final response whatever its status.

    Raises TransportError when no answer came, DataError for a URL httpx cannot use.
    """
    attempt = 0
    while True:
        try:
            response = client.request(method, url, content=content, headers=headers)
        except httpx.InvalidURL as exc:
            raise DataError(f"cannot request {url!r}: {exc}") from None
        except httpx.HTTPError as exc:
            if attempt < policy.retries and _retryable(exc, idempotent):
                delay = policy.wait(attempt)
                _log_retry(method, url, _describe(exc), delay, attempt=attempt, policy=policy)
                sleep(delay)
                attempt += 1
                continue
            raise _give_up(method, url, exc, attempt + 1) from None
        if response.status_code in policy.statuses and attempt < policy.retries:
            delay = policy.wait(attempt, response.headers.get("retry-after"))
            _log_retry(
                method, url, str(response.status_code), delay, attempt=attempt, policy=policy
            )
            response.close()
            sleep(delay)
            attempt += 1
            continue
        return response


async def asend(
    client: httpx.AsyncClient,
    method: str,
    url: str,
    *,
    policy: RetryPolicy,
    idempotent: bool,
    content: bytes | None = None,
    headers: dict[str, str] | None = None,
    slots: asyncio.Semaphore | None = None,
) -> httpx.Response:
    """The async twin of :func:`send`.

    ``slots`` (one per pooled connection) queues requests before they reach httpx: its
    pool handles a long queue of waiters slowly, a semaphore does not.
    """
    attempt = 0
    while True:
        try:
            if slots is None:
                response = await client.request(method, url, content=content, headers=headers)
            else:
                async with slots:
                    response = await client.request(method, url, content=content, headers=headers)
        except httpx.InvalidURL as exc:
            raise DataError(f"cannot request {url!r}: {exc}") from None
        except httpx.HTTPError as exc:
            if attempt < policy.retries and _retryable(exc, idempotent):
                delay = policy.wait(attempt)
                _log_retry(method, url, _describe(exc), delay, attempt=attempt, policy=policy)
                await asyncio.sleep(delay)
                attempt += 1
                continue
            raise _give_up(method, url, exc, attempt + 1) from None
        if response.status_code in policy.statuses and attempt < policy.retries:
            delay = policy.wait(attempt, response.headers.get("retry-after"))
            _log_retry(
                method, url, str(response.status_code), delay, attempt=attempt, policy=policy
            )
            await response.aclose()
            await asyncio.sleep(delay)
            attempt += 1
            continue
        return response


def _log_retry(
    method: str, url: str, why: str, delay: float, *, attempt: int, policy: RetryPolicy
) -> None:
    logger.info(
        "%s %s: %s; retry %d of %d in %.3fs", method, url, why, attempt + 1, policy.retries, delay
    )
