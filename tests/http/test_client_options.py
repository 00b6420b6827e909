"""The client opens up like httpx: transport=, http_client= (the caller's, never closed),
timeout as seconds or httpx.Timeout; one retry decision for sync and async."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.client import AsyncCheckoutClient, CheckoutClient
from openactive_checkout.http._transport import Attempts, RetryPolicy, asend, send
from openactive_checkout.rpde import aiter_items, iter_items
from tests.conftest import seed_text
from tests.http.conftest import SEED_OPPORTUNITY

BASE = "https://checkout.example.com"


class Recorder:
    """An httpx handler answering like imin, recording every request it sees."""

    def __init__(self, *statuses: int) -> None:
        self.requests: list[httpx.Request] = []
        self.statuses = list(statuses)

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        status = self.statuses.pop(0) if self.statuses else 201
        if status != 201:
            return httpx.Response(status, headers={"Retry-After": "0"})
        return httpx.Response(
            201, content=seed_text("response"), headers={"Location": "/checkout-sessions/t1"}
        )


def test_transport_carries_every_request_with_our_headers() -> None:
    handler = Recorder()
    with CheckoutClient(BASE, api_key="secret", transport=httpx.MockTransport(handler)) as client:
        created = client.post_session(oc.CheckoutSession.for_opportunity(SEED_OPPORTUNITY))
    assert created.location == BASE + "/checkout-sessions/t1"
    (request,) = handler.requests
    assert str(request.url) == BASE + "/checkout-sessions"
    assert request.headers["x-api-key"] == "secret"
    assert request.headers["accept"] == "application/json"
    assert request.headers["content-type"] == "application/json"


def test_a_transport_is_closed_with_the_client() -> None:
    closed: list[bool] = []

    class Closing(httpx.MockTransport):
        def close(self) -> None:
            closed.append(True)

    with CheckoutClient(BASE, transport=Closing(Recorder())):
        pass
    assert closed == [True]


def test_the_callers_http_client_is_used_combined_and_left_open() -> None:
    handler = Recorder()
    http = httpx.Client(
        transport=httpx.MockTransport(handler),
        base_url="https://ignored.example.com/api",
        headers={"User-Agent": "my-app/1.0", "X-Trace": "t-1", "Accept": "text/html"},
        auth=("proxy-user", "proxy-pass"),
        follow_redirects=True,
        timeout=httpx.Timeout(3.0),
    )
    with CheckoutClient(BASE, api_key="secret", http_client=http) as client:
        assert client.timeout == httpx.Timeout(3.0)  # the caller's, as no timeout was given
        client.create_session(SEED_OPPORTUNITY)
        client.get_session("/checkout-sessions/t1")
    assert not http.is_closed  # the caller owns it
    post, get = handler.requests
    assert str(post.url) == BASE + "/checkout-sessions"  # our base_url, not the client's
    assert str(get.url) == BASE + "/checkout-sessions/t1"
    for request in (post, get):
        assert request.headers["user-agent"] == "my-app/1.0"  # the caller's headers apply
        assert request.headers["x-trace"] == "t-1"
        assert request.headers["authorization"].startswith("Basic ")  # and its auth
        assert request.headers["x-api-key"] == "secret"  # and ours, per request
        assert request.headers["accept"] == "application/json"  # ours win on a clash
        assert request.extensions["timeout"] == httpx.Timeout(3.0).as_dict()
    http.close()


def test_an_explicit_timeout_applies_to_the_callers_client_too() -> None:
    handler = Recorder()
    with httpx.Client(transport=httpx.MockTransport(handler), timeout=3.0) as http:
        CheckoutClient(BASE, http_client=http, timeout=0.25).create_session(SEED_OPPORTUNITY)
    assert handler.requests[0].extensions["timeout"] == httpx.Timeout(0.25).as_dict()


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (None, httpx.Timeout(10.0)),
        (2, httpx.Timeout(2.0)),
        (0.5, httpx.Timeout(0.5)),
        (httpx.Timeout(5.0, connect=1.0), httpx.Timeout(5.0, connect=1.0)),
    ],
)
def test_timeout_is_seconds_or_an_httpx_timeout(
    timeout: float | httpx.Timeout | None, expected: httpx.Timeout
) -> None:
    handler = Recorder()
    with CheckoutClient(BASE, timeout=timeout, transport=httpx.MockTransport(handler)) as client:
        assert client.timeout == expected
        client.create_session(SEED_OPPORTUNITY)
    assert handler.requests[0].extensions["timeout"] == expected.as_dict()


def test_the_callers_redirect_setting_does_not_leak_the_key() -> None:
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(307, headers={"Location": "https://evil.example.com/steal"})

    with httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=True) as http:
        client = CheckoutClient(BASE, api_key="secret", http_client=http)
        with pytest.raises(oc.CheckoutHTTPError) as info:
            client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 307
    assert seen == [BASE + "/checkout-sessions"]


def test_the_async_client_takes_a_transport_and_a_callers_client() -> None:
    handler = Recorder()

    async def main() -> bool:
        async with AsyncCheckoutClient(
            BASE, api_key="secret", transport=httpx.MockTransport(handler)
        ) as client:
            await client.create_session(SEED_OPPORTUNITY)
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(handler), headers={"X-Trace": "t-2"}
        ) as http:
            async with AsyncCheckoutClient(BASE, http_client=http, timeout=1.5) as client:
                await client.get_session(BASE + "/checkout-sessions/t1")
            return http.is_closed

    assert asyncio.run(main()) is False
    first, second = handler.requests
    assert first.headers["x-api-key"] == "secret"
    assert second.headers["x-trace"] == "t-2"
    assert "x-api-key" not in second.headers
    assert second.extensions["timeout"] == httpx.Timeout(1.5).as_dict()


def test_the_feed_walker_takes_a_transport() -> None:
    pages = {
        "/feed": {"items": [{"state": "deleted", "kind": "ScheduledSession", "id": "1",
                             "modified": 1}], "next": "/feed?after=1"},
        "/feed?after=1": {"items": [], "next": "/feed?after=1"},
    }  # fmt: skip

    def handler(request: httpx.Request) -> httpx.Response:
        path = request.url.raw_path.decode()
        return httpx.Response(200, content=json.dumps(pages[path]))

    items = list(iter_items(BASE + "/feed", transport=httpx.MockTransport(handler)))
    assert [item.id for item in items] == ["1"]

    async def main() -> list[str | int]:
        walk = aiter_items(BASE + "/feed", transport=httpx.MockTransport(handler), timeout=2)
        return [item.id async for item in walk]

    assert asyncio.run(main()) == ["1"]


# -- one retry decision, two loops ------------------------------------------------------------


def answers(*statuses: int | type[Exception]) -> httpx.MockTransport:
    """A transport answering with each status in turn, or raising each exception type."""
    queue = list(statuses)

    def handler(request: httpx.Request) -> httpx.Response:
        step = queue.pop(0)
        if isinstance(step, int):
            return httpx.Response(step, headers={"Retry-After": "0.25"} if step == 429 else {})
        raise step("boom")

    return httpx.MockTransport(handler)


SCENARIOS: list[tuple[list[Any], bool, list[float], int | str]] = [
    # (what the server does, idempotent, the waits, the outcome: a status or an error class)
    ([503, 503, 201], False, [0.5, 1.0], 201),  # backoff 0.5 * 2**n, no jitter (rng below)
    ([429, 201], False, [0.25], 201),  # Retry-After wins over backoff
    ([httpx.ConnectError, 201], False, [0.5], 201),  # never reached the server: retried
    ([httpx.ReadTimeout], False, [], "TransportError"),  # a POST may have been processed
    ([httpx.ReadTimeout, 201], True, [0.5], 201),  # a GET may be repeated
    ([503, 503, 503, 503], True, [0.5, 1.0, 2.0], 503),  # out of retries: the last answer
    ([500], True, [], 500),  # not a retryable status
]


class NoJitter:
    """A stand-in for random.Random whose uniform(a, b) is b: waits are exact."""

    def uniform(self, a: float, b: float) -> float:
        return b


def policy() -> RetryPolicy:
    return RetryPolicy(retries=3, backoff=0.5, max_backoff=5.0, rng=NoJitter())  # type: ignore[arg-type]


@pytest.mark.parametrize(("steps", "idempotent", "waits", "outcome"), SCENARIOS)
def test_send_and_asend_make_the_same_retry_decisions(
    steps: list[Any], idempotent: bool, waits: list[float], outcome: int | str
) -> None:
    slept: list[float] = []

    def run_sync() -> int | str:
        with httpx.Client(transport=answers(*steps)) as http:
            try:
                response = send(
                    http, "POST", BASE + "/x", policy=policy(), idempotent=idempotent,
                    sleep=slept.append,
                )  # fmt: skip
            except oc.TransportError:
                return "TransportError"
            return response.status_code

    async def record(delay: float) -> None:
        slept.append(delay)

    async def run_async() -> int | str:
        async with httpx.AsyncClient(transport=answers(*steps)) as http:
            try:
                response = await asend(
                    http, "POST", BASE + "/x", policy=policy(), idempotent=idempotent,
                    sleep=record,
                )  # fmt: skip
            except oc.TransportError:
                return "TransportError"
            return response.status_code

    assert run_sync() == outcome
    assert slept == waits
    slept.clear()
    assert asyncio.run(run_async()) == outcome
    assert slept == waits


def test_attempts_give_up_with_the_number_of_attempts() -> None:
    attempts = Attempts(policy(), "GET", BASE, idempotent=True)
    for _ in range(3):
        attempts.after_error(httpx.ConnectError("refused"))
    with pytest.raises(
        oc.TransportError, match=r"failed after 4 attempts: refused \(ConnectError\)"
    ):
        attempts.after_error(httpx.ConnectError("refused"))
    with pytest.raises(oc.DataError, match="cannot request"):
        Attempts(policy(), "GET", BASE, idempotent=True).after_error(httpx.InvalidURL("bad"))
