"""CheckoutClient and AsyncCheckoutClient against real servers on loopback."""

from __future__ import annotations

import asyncio
import logging
import socket
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import openactive_checkout as oc
from openactive_checkout.client import AsyncCheckoutClient, CheckoutClient, CreatedSession
from openactive_checkout.errors import TransportError
from openactive_checkout.http._transport import RetryPolicy, parse_retry_after
from openactive_checkout.testing import BackgroundServer, MockCheckoutServer
from tests.conftest import seed_json
from tests.http.conftest import SEED_OPPORTUNITY

API_KEY = "key-7f3a9c-do-not-leak"
FAST = {"backoff": 0.001, "max_backoff": 0.01}


@pytest.fixture(scope="module")
def server() -> Iterator[MockCheckoutServer]:
    with MockCheckoutServer(bookable=[SEED_OPPORTUNITY], api_key=API_KEY) as running:
        yield running


@pytest.fixture
def client(server: MockCheckoutServer) -> Iterator[CheckoutClient]:
    with CheckoutClient(server.url, api_key=API_KEY, **FAST) as made:
        yield made


def run(coro: Awaitable[Any]) -> Any:
    async def main() -> Any:
        return await coro

    return asyncio.run(main())


def serve(handler: Callable[[Request], Awaitable[Response]]) -> BackgroundServer:
    """A one-route server (any path, GET and POST) answering with ``handler``."""
    app = Starlette(routes=[Route("/{path:path}", handler, methods=["GET", "POST"])])
    return BackgroundServer(app)


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


# -- the happy path ------------------------------------------------------------------------


def test_create_session_returns_the_echoed_session(client: CheckoutClient) -> None:
    session = client.create_session(SEED_OPPORTUNITY)
    assert isinstance(session, oc.CheckoutSession)
    assert session.checkout_url is not None
    assert session.checkout_url.startswith(client.base_url + "/opendata/")
    assert session.initial_order is not None
    broker = session.initial_order.broker
    assert isinstance(broker, oc.Organization)
    assert (broker.name, broker.url) == ("Example", "https://www.example.com")
    expected = seed_json("response")
    expected["potentialAction"][0]["target"] = session.checkout_url
    assert oc.to_jsonld(session) == expected


def test_post_session_gives_the_location_and_get_session_reads_it(
    client: CheckoutClient,
) -> None:
    created = client.post_session(oc.CheckoutSession.for_opportunity(SEED_OPPORTUNITY))
    assert isinstance(created, CreatedSession)
    assert created.status_code == 201
    assert created.location is not None
    assert created.location.startswith(client.base_url + "/checkout-sessions/")
    again = client.get_session(created.location)
    assert again == created.session
    relative = created.location.removeprefix(client.base_url)
    assert client.get_session(relative).checkout_url == created.checkout_url


def test_the_async_client_does_the_same(server: MockCheckoutServer) -> None:
    async def main() -> tuple[oc.CheckoutSession, oc.CheckoutSession]:
        async with AsyncCheckoutClient(server.url, api_key=API_KEY, **FAST) as client:
            session = await client.create_session(SEED_OPPORTUNITY)
            created = await client.post_session(session)
            assert created.location is not None
            return session, await client.get_session(created.location)

    first, fetched = asyncio.run(main())
    assert first.checkout_url is not None
    assert fetched.checkout_url is not None
    assert fetched.checkout_url != first.checkout_url  # a second session, a new token


def test_another_opportunity_type(client: CheckoutClient, server: MockCheckoutServer) -> None:
    slot = "https://opendata.example.com/api/facility-uses/1/slots/2"
    server.add_bookable(slot)
    session = client.create_session(slot, opportunity_type="Slot")
    assert session.initial_order is not None
    item = session.initial_order.ordered_item[0].ordered_item
    assert isinstance(item, oc.Slot)
    assert item.id == slot


# -- error answers ---------------------------------------------------------------------------


def test_an_unbookable_opportunity_raises_unavailable_opportunity(client: CheckoutClient) -> None:
    with pytest.raises(oc.UnavailableOpportunity) as info:
        client.create_session("https://opendata.example.com/api/scheduled-sessions/404")
    error = info.value
    assert isinstance(error, oc.CheckoutHTTPError)
    assert isinstance(error, oc.OpenActiveCheckoutError)
    assert error.status_code == 400
    assert isinstance(error.error, oc.UnavailableOpportunityError)
    assert error.error.description == "This opportunity is not available to book."
    assert "This opportunity is not available to book." in str(error)


def test_the_async_client_raises_unavailable_opportunity(server: MockCheckoutServer) -> None:
    async def main() -> None:
        async with AsyncCheckoutClient(server.url, api_key=API_KEY) as client:
            await client.create_session("https://opendata.example.com/api/x/1")

    with pytest.raises(oc.UnavailableOpportunity):
        asyncio.run(main())


def test_other_error_statuses_carry_the_open_booking_error(client: CheckoutClient) -> None:
    with pytest.raises(oc.CheckoutHTTPError) as info:
        client.get_session("/checkout-sessions/unknown-token")
    error = info.value
    assert not isinstance(error, oc.UnavailableOpportunity)
    assert error.status_code == 404
    assert isinstance(error.error, oc.OpenBookingError)
    assert error.error.status_code == 404
    assert '"statusCode":404' in error.body


def test_an_invalid_request_is_reported_with_its_problems(client: CheckoutClient) -> None:
    request = oc.CheckoutSession(initial_order=oc.OrderQuote())
    with pytest.raises(oc.CheckoutHTTPError) as info:
        client.post_session(request)
    assert info.value.status_code == 400
    assert isinstance(info.value.error, oc.OpenBookingError)
    assert '$["imin:initialOrder"].orderedItem: missing' in str(info.value)


def test_a_wrong_api_key_is_a_401(server: MockCheckoutServer) -> None:
    with (
        CheckoutClient(server.url, api_key="wrong") as client,
        pytest.raises(oc.CheckoutHTTPError) as info,
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 401
    with CheckoutClient(server.url) as client, pytest.raises(oc.CheckoutHTTPError) as info:
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 403


@pytest.mark.network
@pytest.mark.parametrize(
    ("status", "body", "error"),
    [
        (500, b"Internal Server Error", None),
        (502, b"<html>bad gateway</html>", None),
        (409, b'{"@context": "https://openactive.io/", "@type": "OpportunityIsFullError"}', "x"),
        (400, b'{"@context": "https://openactive.io/", "@type": "Event"}', None),
    ],
)
def test_error_bodies_that_are_not_errors_leave_error_none(
    status: int, body: bytes, error: str | None
) -> None:
    async def answer(request: Request) -> Response:
        return Response(body, status_code=status, media_type="application/json")

    with (
        serve(answer) as backend,
        CheckoutClient(backend.url, **FAST) as client,
        pytest.raises(oc.CheckoutHTTPError) as info,
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == status
    assert info.value.body == body.decode()
    assert (info.value.error is not None) == (error is not None)
    if info.value.error is not None:
        assert isinstance(info.value.error, oc.OpenBookingError)


@pytest.mark.network
@pytest.mark.parametrize(
    ("body", "path"),
    [
        (b"not json", "$"),
        (b"[]", "$"),
        (b'{"@context": "https://openactive.io/", "@type": "Event"}', "$"),
        (
            b'{"@context": ["https://openactive.io/", "https://imin.co/"], '
            b'"type": "imin:CheckoutSession", "potentialAction": [{"type": "OrderAction", '
            b'"target": 5}]}',
            "$.potentialAction[0].target",
        ),
    ],
)
def test_a_success_without_a_checkout_session_is_a_data_error(body: bytes, path: str) -> None:
    async def answer(request: Request) -> Response:
        return Response(body, status_code=201, media_type="application/json")

    with (
        serve(answer) as backend,
        CheckoutClient(backend.url, **FAST) as client,
        pytest.raises(oc.DataError) as info,
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.json_path == path
    assert "is not a checkout session" in str(info.value)


@pytest.mark.network
def test_a_redirect_is_not_followed() -> None:
    async def answer(request: Request) -> Response:
        return Response(status_code=307, headers={"Location": "http://127.0.0.1:9/elsewhere"})

    with (
        serve(answer) as backend,
        CheckoutClient(backend.url, api_key=API_KEY) as client,
        pytest.raises(oc.CheckoutHTTPError) as info,
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 307


# -- retries -----------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 503])
def test_429_and_503_are_retried_honouring_retry_after(
    client: CheckoutClient, server: MockCheckoutServer, status: int
) -> None:
    before = server.sessions_created
    server.inject_failures(status, count=3, retry_after="0")
    session = client.create_session(SEED_OPPORTUNITY)
    assert session.checkout_url is not None
    assert server.sessions_created == before + 1


def test_retry_after_is_waited_for_up_to_max_backoff(server: MockCheckoutServer) -> None:
    server.inject_failures(503, count=1, retry_after="0.2")
    with CheckoutClient(server.url, api_key=API_KEY, max_backoff=5) as client:
        started = time.monotonic()
        client.create_session(SEED_OPPORTUNITY)
        waited = time.monotonic() - started
    assert waited >= 0.2  # the server's Retry-After, not the client's 0.5s-jittered backoff
    server.inject_failures(503, count=1, retry_after="3600")
    with CheckoutClient(server.url, api_key=API_KEY, max_backoff=0.05) as client:
        client.create_session(SEED_OPPORTUNITY)  # an hour is capped to 50 ms


def test_retries_give_up_with_the_last_answer(
    client: CheckoutClient, server: MockCheckoutServer
) -> None:
    server.inject_failures(503, count=4, retry_after="0")  # the first try and 3 retries
    with pytest.raises(oc.CheckoutHTTPError) as info:
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 503
    assert isinstance(info.value.error, oc.OpenBookingError)
    server.inject_failures(429, count=1, retry_after="0")
    with (
        CheckoutClient(server.url, api_key=API_KEY, retries=0) as once,
        pytest.raises(oc.CheckoutHTTPError) as info,
    ):
        once.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 429


def test_async_retries(server: MockCheckoutServer) -> None:
    server.inject_failures(429, count=2, retry_after="0")

    async def main() -> oc.CheckoutSession:
        async with AsyncCheckoutClient(server.url, api_key=API_KEY, **FAST) as client:
            return await client.create_session(SEED_OPPORTUNITY)

    assert asyncio.run(main()).checkout_url is not None


@pytest.mark.network
def test_other_error_statuses_are_not_retried() -> None:
    calls: list[str] = []

    async def answer(request: Request) -> Response:
        calls.append(request.method)
        return Response(b"", status_code=500)

    with (
        serve(answer) as backend,
        CheckoutClient(backend.url, **FAST) as client,
        pytest.raises(oc.CheckoutHTTPError),
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert calls == ["POST"]


def test_a_refused_connection_is_retried_then_a_transport_error() -> None:
    url = f"http://127.0.0.1:{closed_port()}"
    with (
        CheckoutClient(url, retries=2, **FAST) as client,
        pytest.raises(TransportError) as info,
    ):
        client.create_session(SEED_OPPORTUNITY)
    assert isinstance(info.value, oc.OpenActiveCheckoutError)
    assert info.value.url == f"{url}/checkout-sessions"
    assert "after 3 attempts" in str(info.value)
    assert info.value.__cause__ is None


@pytest.mark.network
def test_a_timed_out_post_is_not_retried_but_a_get_is() -> None:
    calls: list[str] = []

    async def slow(request: Request) -> Response:
        calls.append(request.method)
        await asyncio.sleep(1.0)
        return Response(b"{}", status_code=200)

    with (
        serve(slow) as backend,
        CheckoutClient(backend.url, timeout=0.1, retries=2, **FAST) as client,
    ):
        with pytest.raises(TransportError, match="ReadTimeout"):
            client.create_session(SEED_OPPORTUNITY)
        assert calls == ["POST"]
        with pytest.raises(TransportError, match="after 3 attempts"):
            client.get_session("/checkout-sessions/x")
        assert calls == ["POST", "GET", "GET", "GET"]


def test_retry_policy_waits() -> None:
    policy = RetryPolicy(retries=5, backoff=1.0, max_backoff=4.0)
    assert [policy.wait(n, "2") for n in range(3)] == [2.0, 2.0, 2.0]
    waits = [policy.wait(n) for n in range(5)]
    assert all(0.5 * min(2**n, 4) <= w <= min(2**n, 4) for n, w in enumerate(waits))
    assert policy.wait(0, "Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past
    assert policy.wait(0, "Wed, 21 Oct 2099 07:28:00 GMT") == 4.0  # capped
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-1") is None
    assert parse_retry_after("nan") is None


# -- the API key stays secret ------------------------------------------------------------------


def test_the_api_key_is_never_shown_or_logged(
    server: MockCheckoutServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with CheckoutClient(server.url, api_key=API_KEY, **FAST) as client:
        assert API_KEY not in repr(client)
        assert "api_key=<hidden>" in repr(client)
        server.inject_failures(503, count=1, retry_after="0")
        client.create_session(SEED_OPPORTUNITY)  # the server checks the key: it was sent
        with pytest.raises(oc.UnavailableOpportunity) as info:
            client.create_session("https://opendata.example.com/api/x/2")
        assert API_KEY not in str(info.value)
        assert API_KEY not in repr(info.value)
        assert API_KEY not in repr(vars(client))
    assert caplog.records, "the client logs its requests"
    assert any("retry 1 of 3" in r.getMessage() for r in caplog.records)
    assert all(API_KEY not in r.getMessage() for r in caplog.records)
    assert API_KEY not in caplog.text


def test_the_async_client_hides_the_key_too(server: MockCheckoutServer) -> None:
    async def main() -> str:
        async with AsyncCheckoutClient(server.url, api_key=API_KEY) as client:
            return repr(client)

    assert API_KEY not in run(main())


def test_the_key_is_never_sent_to_another_origin(client: CheckoutClient) -> None:
    for location in ("http://evil.example.com/checkout-sessions/1", "//evil.example.com/x",
                     "https://127.0.0.1/checkout-sessions/1", "ftp://x/y"):  # fmt: skip
        with pytest.raises(ValueError, match="not on the checkout server"):
            client.get_session(location)


# -- bad arguments ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"base_url": "checkout.example.com"}, ValueError, "base_url must be an absolute http"),
        ({"base_url": "ftp://checkout.example.com"}, ValueError, "base_url must be an absolute"),
        ({"base_url": 5}, TypeError, "base_url must be a string URL, not int"),
        ({"api_key": ""}, ValueError, "api_key must be a non-empty string"),
        ({"api_key": "abc\r\nX-Evil: 1"}, ValueError, "characters a header cannot hold"),
        ({"api_key": b"key"}, TypeError, "api_key must be a string, not bytes"),
        ({"timeout": 0}, ValueError, "timeout must be a positive, finite number"),
        ({"timeout": float("inf")}, ValueError, "timeout must be a positive, finite number"),
        ({"timeout": "10"}, TypeError, "timeout must be a number of seconds or an httpx.Timeout"),
        ({"retries": -1}, ValueError, "retries must be between 0 and 100, not -1"),
        ({"retries": 1.5}, TypeError, "retries must be an int, not float"),
        ({"backoff": float("nan")}, ValueError, "backoff must be a finite number"),
        ({"backoff": None}, TypeError, "backoff must be a number of seconds, not NoneType"),
        ({"max_backoff": -1}, ValueError, "max_backoff must be a finite number"),
        ({"transport": httpx.ASGITransport(app=Starlette())}, TypeError,
         r"transport must be an httpx.BaseTransport, not ASGITransport \(ASGITransport is "
         r"for the AsyncCheckoutClient\)"),
        ({"http_client": httpx.AsyncClient()}, TypeError,
         "http_client must be an httpx.Client, not AsyncClient"),
        ({"http_client": "http://127.0.0.1:1"}, TypeError, "http_client must be an httpx.Client"),
        ({"http_client": httpx.Client(), "transport": httpx.MockTransport(lambda r: None)},
         TypeError, "give transport or http_client, not both"),
    ],
)  # fmt: skip
def test_bad_client_arguments_are_type_and_value_errors(
    kwargs: dict[str, Any], error: type[Exception], message: str
) -> None:
    options = {"base_url": "http://127.0.0.1:1", **kwargs}
    base_url = options.pop("base_url")
    with pytest.raises(error, match=message) as info:
        CheckoutClient(base_url, **options)
    assert type(info.value) is error  # not DataError, which is for documents
    assert not str(info.value).startswith("$")
    if isinstance(kwargs.get("api_key"), str) and kwargs["api_key"]:
        assert kwargs["api_key"] not in str(info.value)


def test_a_closed_http_client_is_refused() -> None:
    http = httpx.Client()
    http.close()
    with pytest.raises(ValueError, match="http_client is closed"):
        CheckoutClient("http://127.0.0.1:1", http_client=http)


def test_bad_async_client_arguments() -> None:
    with pytest.raises(ValueError, match="max_connections must be >= 1, not 0"):
        AsyncCheckoutClient("http://127.0.0.1:1", max_connections=0)
    with pytest.raises(TypeError, match="max_connections must be an int, not str"):
        AsyncCheckoutClient("http://127.0.0.1:1", max_connections="3")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AsyncBaseTransport, not HTTPTransport"):
        AsyncCheckoutClient("http://127.0.0.1:1", transport=httpx.HTTPTransport())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"http_client must be an httpx\.AsyncClient, not Client"):
        AsyncCheckoutClient("http://127.0.0.1:1", http_client=httpx.Client())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("opportunity_id", "opportunity_type", "error"),
    [("relative/1", "ScheduledSession", ValueError), ("", "ScheduledSession", ValueError),
     (SEED_OPPORTUNITY, "Offer", ValueError), (SEED_OPPORTUNITY, "", ValueError),
     (None, "ScheduledSession", TypeError), (SEED_OPPORTUNITY, 3, TypeError)],
)  # fmt: skip
def test_bad_create_session_arguments_are_type_and_value_errors(
    client: CheckoutClient, opportunity_id: Any, opportunity_type: Any, error: type[Exception]
) -> None:
    with pytest.raises(error) as info:
        client.create_session(opportunity_id, opportunity_type=opportunity_type)
    assert type(info.value) is error


def test_post_session_needs_a_checkout_session(client: CheckoutClient) -> None:
    with pytest.raises(TypeError, match="expected a CheckoutSession to send, not OrderQuote"):
        client.post_session(oc.OrderQuote())  # type: ignore[arg-type]
