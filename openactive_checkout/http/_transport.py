"""HTTP machinery shared by the checkout client and the RPDE feed walker.

Retry policy (which answers are worth another try, how long to wait, ``Retry-After``), the
``X-API-KEY`` header that never shows the key, the checks of the arguments the client and the
feed walker share (TypeError or ValueError: bad arguments are not bad documents), and the
translation of httpx failures into this library's errors. The retry decisions live in one
sans-IO class, :class:`Attempts`; :func:`send` and :func:`asend` differ only in how they send
and sleep.

The limits every request obeys (see docs/security.md): a body read as a stream and refused
beyond ``Limits.max_bytes`` *decoded* bytes (gzip and deflate are inflated here, a bounded
amount at a time); a total ``Limits.deadline`` for the request with its retries, redirects
and body; redirects followed only when asked, one hop at a time, each hop checked against an
:class:`Origins` policy, with credentials (``X-API-KEY``, ``Authorization``, cookies, the
client's ``auth``) sent only to the home origin; and error answers kept only as a bounded
prefix. URLs in messages never show userinfo (:func:`redact`).
"""

from __future__ import annotations

import asyncio
import email.utils
import ipaddress
import logging
import math
import random
import socket
import time
import zlib
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Literal
from urllib.parse import urlsplit, urlunsplit

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
        raise ValueError(f"{what} must be an absolute http:// or https:// URL, not {redact(url)!r}")
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


def redact(url: str) -> str:
    """``url`` with any userinfo (``https://user:key@host``) shown as ``***``: for messages,
    reprs and logs, never for requests."""
    if "@" not in url:
        return url
    try:
        parts = urlsplit(url)
    except ValueError:
        return "<unparseable URL>" if "@" in url else url
    if "@" not in parts.netloc:
        return url
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit((parts.scheme, "***@" + host, parts.path, parts.query, parts.fragment))


def _userinfo(url: str) -> str | None:
    if "@" not in url:
        return None
    try:
        netloc = urlsplit(url).netloc
    except ValueError:
        return None
    return netloc.rpartition("@")[0] or None if "@" in netloc else None


def _describe(exc: Exception, url: str = "") -> str:
    detail = str(exc).strip()
    secret = _userinfo(url)
    if secret:
        detail = detail.replace(secret, "***")
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
            raise DataError(
                f"cannot request {redact(self.url)!r}: {_describe(exc, self.url)}"
            ) from None
        retryable = isinstance(exc, _NOT_SENT) or (
            self.idempotent and isinstance(exc, httpx.TransportError)
        )
        if not retryable or self.attempt >= self.policy.retries:
            tries = f" after {self.attempt + 1} attempts" if self.attempt else ""
            shown = redact(self.url)
            raise TransportError(
                f"{self.method} {shown} failed{tries}: {_describe(exc, self.url)}", url=shown
            ) from None
        return self._next(_describe(exc, self.url), self.policy.wait(self.attempt))

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
            self.method, redact(self.url), why, self.attempt, self.policy.retries, delay,
        )  # fmt: skip
        return delay


# -- limits ------------------------------------------------------------------------------------

MAX_ANSWER_BYTES = 4 * 1024 * 1024
"""The default bound on a checkout answer's decoded body (bytes)."""
ERROR_BODY_BYTES = 64 * 1024
"""How much of an error answer's decoded body is read and kept (``CheckoutHTTPError.body``)."""
MAX_REDIRECTS = 5
"""Redirect hops followed for one request, when redirects are followed at all."""
_CHUNK = 64 * 1024
_CREDENTIAL_HEADERS = ("x-api-key", "authorization", "cookie")
_ACCEPT_ENCODING = "gzip, deflate"
_REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


class RefusedRequestError(TransportError):
    """A request this library will not make or finish whatever the retries: a URL the origin
    policy refuses, an answer beyond the size limit. Retrying it gives the same result."""


class Origins:
    """Where requests may go, and where credentials may go.

    ``home`` is the origin (scheme, host and port) of the URL the caller gave: requests to it
    always go, with credentials; so does the same host upgraded from ``http`` to ``https`` on
    the default ports. Any other origin needs to be in ``allow`` (``"scheme://host[:port]"``
    strings, or ``"*"`` for any), and never gets credentials. When ``home`` is public (not a
    loopback, private, link-local or otherwise reserved address, nor ``localhost``), another
    origin is also refused when its host is, or resolves to, such an address, unless
    ``allow_private``.
    """

    def __init__(
        self,
        home: str,
        allow: Iterable[str] | Literal["*"] | None = None,
        *,
        allow_private: bool = False,
    ) -> None:
        self.home = _origin(home)
        self.any = allow == "*"
        self.allowed: frozenset[tuple[str, str, int]] = frozenset()
        if allow is not None and allow != "*":
            if isinstance(allow, str | bytes):
                raise TypeError('allow_origins must be an iterable of origin URLs, or "*"')
            allowed = set()
            for entry in allow:
                if not isinstance(entry, str):
                    raise TypeError(f"allow_origins holds URL strings, not {type(entry).__name__}")
                check_base_url(entry, "an allow_origins entry")
                allowed.add(_origin(entry))
            self.allowed = frozenset(allowed)
        if not isinstance(allow_private, bool):
            raise TypeError(f"allow_private must be a bool, not {type(allow_private).__name__}")
        self.allow_private = allow_private
        self.home_is_private = _is_private_host(self.home[1])

    def __repr__(self) -> str:
        scheme, host, port = self.home
        return f"Origins(home={scheme}://{host}:{port})"

    def is_home(self, url: str) -> bool:
        """Whether ``url`` is on the home origin (or its https upgrade): credentials go."""
        origin = _origin(url)
        if origin == self.home:
            return True
        scheme, host, port = self.home
        return (scheme, port, origin) == ("http", 80, ("https", host, 443))

    def refusal(self, url: str) -> str | None:
        """Why a request to ``url`` is refused, or None when it may go."""
        try:
            origin = _origin(url)
        except ValueError:
            return "it is not an absolute http(s) URL"
        if self.is_home(url):
            return None
        if not self.any and origin not in self.allowed:
            scheme, host, port = self.home
            return (
                f"it is not on the feed's origin {scheme}://{host}:{port} "
                "(allow_origins lists the other origins to follow)"
            )
        if not self.allow_private and not self.home_is_private:
            address = _private_address(origin[1])
            if address is not None:
                return (
                    f"its host is a private, loopback or link-local address ({address}) "
                    "while the feed is public (allow_private=True allows it)"
                )
        return None


def _origin(url: str) -> tuple[str, str, int]:
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ValueError(str(exc)) from None
    scheme = parsed.scheme
    if scheme not in ("http", "https") or not parsed.host:
        raise ValueError(f"not an absolute http(s) URL: {redact(url)!r}")
    port = parsed.port or (443 if scheme == "https" else 80)
    return (scheme, parsed.host.lower().rstrip("."), port)


def _ip(host: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        address = ipaddress.ip_address(host.strip("[]").partition("%")[0])
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _not_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    return not address.is_global or address.is_multicast


def _is_private_host(host: str) -> bool:
    """Whether a host, as written, is plainly not on the public internet (no DNS lookup)."""
    address = _ip(host)
    if address is not None:
        return _not_public(address)
    return host == "localhost" or host.endswith(".localhost")


def _private_address(host: str) -> str | None:
    """The private address ``host`` is or resolves to, or None (a name that does not
    resolve here is left to the request, which will fail to connect)."""
    if _is_private_host(host):
        return host
    if _ip(host) is not None:
        return None
    try:
        infos = socket.getaddrinfo(host, None, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return None
    for info in infos:
        address = _ip(str(info[4][0]))
        if address is not None and _not_public(address):
            return str(address)
    return None


@dataclass(frozen=True)
class Limits:
    """What one request may cost: decoded body bytes, total seconds, redirect hops."""

    max_bytes: int = MAX_ANSWER_BYTES
    """The largest decoded body accepted for a success (RefusedRequestError beyond it); error
    answers are read up to :data:`ERROR_BODY_BYTES` and cut there."""
    deadline: float | None = None
    """Seconds for the whole request: connecting, retries, waits, redirects and the body."""
    max_redirects: int = 0
    """Redirect hops to follow (0: a redirect is the answer)."""
    origins: Origins | None = None
    """Where the request and its redirects may go and credentials may be sent (None: the
    URL given only, with no redirects followed)."""

    def __post_init__(self) -> None:
        check_count(self.max_bytes, "max_bytes", minimum=1)
        check_count(self.max_redirects, "max_redirects", minimum=0, maximum=50)
        check_deadline(self.deadline)


def check_deadline(deadline: float | None, what: str = "deadline") -> float | None:
    """A positive, finite number of seconds, or None (no deadline)."""
    if deadline is None:
        return None
    if isinstance(deadline, bool) or not isinstance(deadline, int | float):
        raise TypeError(
            f"{what} must be a number of seconds or None, not {type(deadline).__name__}"
        )
    if not math.isfinite(deadline) or deadline <= 0:
        raise ValueError(f"{what} must be a positive, finite number of seconds, not {deadline!r}")
    return float(deadline)


class Deadline:
    """The clock of one request: how much time is left, and the error when none is."""

    def __init__(
        self, seconds: float | None, method: str, url: str, clock: Callable[[], float]
    ) -> None:
        self.seconds = seconds
        self.method = method
        self.url = url
        self.clock = clock
        self.end = None if seconds is None else clock() + seconds

    def remaining(self) -> float | None:
        """Seconds left (may be negative), or None without a deadline."""
        return None if self.end is None else self.end - self.clock()

    def expired(self, why: str = "") -> TransportError:
        """The error for a request out of time."""
        detail = f" ({why})" if why else ""
        return TransportError(
            f"{self.method} {redact(self.url)} did not complete within the deadline of "
            f"{self.seconds:g} seconds{detail}",
            url=redact(self.url),
        )

    def check(self) -> None:
        """Raise when the time is up."""
        left = self.remaining()
        if left is not None and left <= 0:
            raise self.expired()

    def wait(self, delay: float, why: str = "") -> float:
        """``delay`` when it ends before the deadline; otherwise the request is out of time."""
        left = self.remaining()
        if left is not None and delay >= left:
            raise self.expired(f"{why}; a retry in {delay:.3g}s would pass it" if why else "")
        return delay

    def clamp(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """``timeout`` with each phase at most the time left."""
        left = self.remaining()
        if left is None:
            return timeout
        left = max(left, 0.001)

        def cap(value: float | None) -> float:
            return left if value is None else min(value, left)

        return httpx.Timeout(
            connect=cap(timeout.connect),
            read=cap(timeout.read),
            write=cap(timeout.write),
            pool=cap(timeout.pool),
        )


@dataclass(frozen=True)
class Answer:
    """A response read within the limits: its status, headers, final URL and body."""

    method: str
    url: str
    """The URL that answered (after any redirects)."""
    status_code: int
    reason_phrase: str
    headers: httpx.Headers
    content: bytes
    """The decoded body; for an error answer at most :data:`ERROR_BODY_BYTES` of it."""
    complete: bool = True
    """False when the body was cut at :data:`ERROR_BODY_BYTES`."""

    @property
    def is_success(self) -> bool:
        """A 2xx status."""
        return 200 <= self.status_code < 300

    @property
    def text(self) -> str:
        """The body as text (the declared charset, else UTF-8; bad bytes replaced)."""
        charset = "utf-8"
        content_type = self.headers.get("content-type", "")
        for part in content_type.split(";")[1:]:
            key, _, value = part.strip().partition("=")
            if key.lower() == "charset" and value:
                charset = value.strip("\"'")
        try:
            return self.content.decode(charset, errors="replace")
        except LookupError:
            return self.content.decode("utf-8", errors="replace")


class _Inflater:
    """gzip or deflate decoding that never produces more than it is asked for at once."""

    def __init__(self, encoding: str) -> None:
        self.encoding = encoding
        self._gzip = encoding in ("gzip", "x-gzip")
        self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS if self._gzip else zlib.MAX_WBITS)
        self._started = False

    def feed(self, data: bytes, room: int) -> bytes:
        """Decode ``data``; at most ``room + 1`` bytes come out (more means too large)."""
        if not data:
            return b""
        try:
            if not self._started and not self._gzip:
                self._started = True
                probe = self._decoder.copy()
                try:
                    probe.decompress(data[:2])
                except zlib.error:  # raw deflate, without the zlib header
                    self._decoder = zlib.decompressobj(-zlib.MAX_WBITS)
            self._started = True
            out = self._decoder.decompress(data, room + 1)
            while len(out) <= room and self._decoder.eof and self._decoder.unused_data:
                rest = self._decoder.unused_data  # another gzip member
                self._decoder = zlib.decompressobj(16 + zlib.MAX_WBITS)
                out += self._decoder.decompress(rest, room + 1 - len(out))
            return out
        except zlib.error as exc:
            raise httpx.DecodingError(f"the {self.encoding} body is corrupt: {exc}") from None

    def finish(self) -> None:
        """Raise when the compressed body ended early."""
        if self._started and not self._decoder.eof:
            raise httpx.DecodingError(f"the {self.encoding} body ends early")


def _inflater(method: str, response: httpx.Response) -> _Inflater | None:
    """The bounded decoder for the answer's encoding; None for an unencoded body. Other
    encodings (br, zstd: never asked for) are refused, as httpx would inflate each chunk of
    them whole."""
    encoding = response.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding in ("gzip", "x-gzip", "deflate"):
        return _Inflater(encoding)
    url = str(response.url)
    raise RefusedRequestError(
        f"{method} {redact(url)}: the answer's content encoding {encoding!r} was not asked "
        "for (gzip, deflate or none)",
        url=redact(url),
    )


def _too_large(method: str, url: str, limit: int) -> RefusedRequestError:
    return RefusedRequestError(
        f"{method} {redact(url)}: the answer is larger than the limit of {limit} bytes (max_bytes)",
        url=redact(url),
    )


def _declared_too_large(response: httpx.Response, limit: int) -> bool:
    declared = response.headers.get("content-length", "")
    return declared.isdigit() and int(declared) > limit


def _answer(method: str, response: httpx.Response, body: bytes, complete: bool) -> Answer:
    return Answer(
        method=method,
        url=str(response.url),
        status_code=response.status_code,
        reason_phrase=response.reason_phrase,
        headers=response.headers,
        content=body,
        complete=complete,
    )


class _Body:
    """Collects a decoded body up to a limit (the sans-IO half of reading)."""

    def __init__(self, method: str, response: httpx.Response, limits: Limits) -> None:
        self.method = method
        self.response = response
        self.error = not response.is_success
        self.limit = min(limits.max_bytes, ERROR_BODY_BYTES) if self.error else limits.max_bytes
        if not self.error and _declared_too_large(response, self.limit):
            raise _too_large(method, str(response.url), self.limit)
        self.inflater = _inflater(method, response)
        self.buffer = bytearray()
        self.full = False

    def add(self, chunk: bytes) -> bool:
        """Add a chunk (raw when inflating here, else decoded); False once the limit is hit
        on an error answer (stop reading)."""
        room = self.limit - len(self.buffer)
        piece = self.inflater.feed(chunk, room) if self.inflater is not None else chunk
        if len(piece) > room:
            if not self.error:
                raise _too_large(self.method, str(self.response.url), self.limit)
            self.buffer += piece[:room]
            self.full = True
            return False
        self.buffer += piece
        return True

    def answer(self) -> Answer:
        if self.inflater is not None and not self.full:
            self.inflater.finish()
        return _answer(self.method, self.response, bytes(self.buffer), not self.full)


def _read(method: str, response: httpx.Response, limits: Limits, clock: Deadline) -> Answer:
    body = _Body(method, response, limits)
    if response.is_stream_consumed:  # a transport that answered with bytes read already
        body.inflater = None
        body.add(response.content)
        return body.answer()
    chunks = response.iter_raw(_CHUNK) if body.inflater is not None else response.iter_bytes()
    for chunk in chunks:
        if not body.add(chunk):
            break
        clock.check()
    return body.answer()


async def _aread(method: str, response: httpx.Response, limits: Limits, clock: Deadline) -> Answer:
    body = _Body(method, response, limits)
    if response.is_stream_consumed:
        body.inflater = None
        body.add(response.content)
        return body.answer()
    chunks = response.aiter_raw(_CHUNK) if body.inflater is not None else response.aiter_bytes()
    async for chunk in chunks:
        if not body.add(chunk):
            break
        clock.check()
    return body.answer()


class _Hops:
    """Redirect-following and the origin policy for one request (sans-IO)."""

    def __init__(self, method: str, url: str, limits: Limits) -> None:
        self.method = method
        self.start = url
        self.url = url
        self.limits = limits
        self.hops = 0
        self.check(url)

    def check(self, url: str) -> None:
        origins = self.limits.origins
        if origins is None:
            return
        why = origins.refusal(url)
        if why is not None:
            came = "" if url == self.start else f" (redirected from {redact(self.start)})"
            raise RefusedRequestError(
                f"refusing to request {redact(url)}{came}: {why}", url=redact(url)
            )

    def credentials(self, url: str) -> bool:
        """Whether credentials may go with a request to ``url``."""
        origins = self.limits.origins
        return origins is None or origins.is_home(url)

    def redirect(self, response: httpx.Response) -> str | None:
        """The URL to go to next when ``response`` is a redirect to follow, else None."""
        if self.limits.max_redirects == 0 or response.status_code not in _REDIRECT_STATUSES:
            return None
        location = response.headers.get("location")
        if not location:
            return None
        try:
            target = str(response.url.join(location))
        except (httpx.InvalidURL, ValueError):
            raise RefusedRequestError(
                f"{self.method} {redact(self.url)} redirected to an unusable URL",
                url=redact(self.url),
            ) from None
        self.hops += 1
        if self.hops > self.limits.max_redirects:
            raise RefusedRequestError(
                f"{self.method} {redact(self.start)} redirected more than "
                f"{self.limits.max_redirects} times",
                url=redact(self.start),
            )
        self.check(target)
        self.url = target
        return target


def _build(
    client: httpx.Client | httpx.AsyncClient,
    method: str,
    hops: _Hops,
    *,
    content: bytes | None,
    headers: dict[str, str] | None,
    timeout: httpx.Timeout | None,
    clock: Deadline,
) -> tuple[httpx.Request, bool]:
    """The request for the current hop, and whether the client's credentials go with it."""
    base = timeout or client.timeout
    merged = {"Accept-Encoding": _ACCEPT_ENCODING, **(headers or {})}
    request = client.build_request(
        method, hops.url, content=content, headers=merged, timeout=clock.clamp(base)
    )
    trusted = hops.credentials(hops.url)
    if not trusted:
        for name in _CREDENTIAL_HEADERS:
            request.headers.pop(name, None)
    return request, trusted


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
    limits: Limits = Limits(),
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Answer:
    """Send a request within ``limits``, retrying per ``policy``; the final answer whatever
    its status, its body read.

    ``timeout`` applies to each attempt (None: the client's own), each phase cut to the time
    the deadline leaves. Raises TransportError when no usable answer came (RefusedRequestError for
    a URL the origin policy refuses or a body beyond the limit), DataError for a URL httpx
    cannot use.
    """
    attempts = Attempts(policy, method, url, idempotent=idempotent)
    deadline = Deadline(limits.deadline, method, url, clock)
    hops = _Hops(method, url, limits)
    while True:
        deadline.check()
        try:
            request, trusted = _build(
                client, method, hops, content=content, headers=headers, timeout=timeout,
                clock=deadline,
            )  # fmt: skip
            if trusted:
                response = client.send(request, stream=True, follow_redirects=False)
            else:
                response = client.send(request, stream=True, follow_redirects=False, auth=None)
        except httpx.HTTPError as exc:
            sleep(deadline.wait(attempts.after_error(exc), _describe(exc, url)))
            continue
        try:
            if hops.redirect(response) is not None:
                continue
            delay = attempts.after_response(response)
            if delay is None:
                return _read(method, response, limits, deadline)
        except httpx.HTTPError as exc:
            delay = attempts.after_error(exc)
        finally:
            response.close()
        sleep(deadline.wait(delay, str(response.status_code)))


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
    limits: Limits = Limits(),
    slots: asyncio.Semaphore | None = None,
    sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> Answer:
    """The async twin of :func:`send`: the same decisions, awaited; here the deadline also
    cuts an attempt short wherever it stands (``asyncio.timeout``).

    ``slots`` (one per pooled connection) queues requests before they reach httpx: its
    pool handles a long queue of waiters slowly, a semaphore does not.
    """
    attempts = Attempts(policy, method, url, idempotent=idempotent)
    deadline = Deadline(limits.deadline, method, url, clock)
    call = _Call(method, _Hops(method, url, limits), attempts, deadline, content, headers,
                 timeout, limits)  # fmt: skip
    while True:
        deadline.check()
        left = deadline.remaining()
        try:
            async with asyncio.timeout(left):
                if slots is None:
                    outcome = await _attempt(client, call)
                else:
                    async with slots:
                        outcome = await _attempt(client, call)
        except TimeoutError:
            raise deadline.expired() from None
        if isinstance(outcome, Answer):
            return outcome
        if outcome is not None:
            await sleep(deadline.wait(outcome[0], outcome[1]))


@dataclass(frozen=True)
class _Call:
    """What an async attempt needs of the request it belongs to."""

    method: str
    hops: _Hops
    attempts: Attempts
    deadline: Deadline
    content: bytes | None
    headers: dict[str, str] | None
    timeout: httpx.Timeout | None
    limits: Limits


async def _attempt(client: httpx.AsyncClient, call: _Call) -> Answer | tuple[float, str] | None:
    """One async attempt: the answer, a (delay, why) to retry after, or None for a redirect
    to follow at once."""
    method, hops, attempts = call.method, call.hops, call.attempts
    try:
        request, trusted = _build(
            client, method, hops, content=call.content, headers=call.headers,
            timeout=call.timeout, clock=call.deadline,
        )  # fmt: skip
        if trusted:
            response = await client.send(request, stream=True, follow_redirects=False)
        else:
            response = await client.send(request, stream=True, follow_redirects=False, auth=None)
    except httpx.HTTPError as exc:
        return attempts.after_error(exc), _describe(exc, hops.url)
    try:
        if hops.redirect(response) is not None:
            return None
        delay = attempts.after_response(response)
        if delay is None:
            return await _aread(method, response, call.limits, call.deadline)
        return delay, str(response.status_code)
    except httpx.HTTPError as exc:
        return attempts.after_error(exc), _describe(exc, hops.url)
    finally:
        await response.aclose()
