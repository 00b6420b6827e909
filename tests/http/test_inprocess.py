"""The mock checkout server in process (MockCheckout): no socket, the same answers."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

import openactive_checkout as oc
from openactive_checkout.client import AsyncCheckoutClient, CheckoutClient
from openactive_checkout.rpde import aiter_items, iter_items
from openactive_checkout.testing import MockCheckout, SyncASGITransport
from tests.conftest import seed_json
from tests.http.conftest import FEED_FILE, SEED_OPPORTUNITY

API_KEY = "in-process-key"


@pytest.fixture
def no_sockets(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any attempt to open a network connection during the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_fixture_client_books_in_process(
    mock_checkout: MockCheckout, mock_checkout_client: CheckoutClient, no_sockets: None
) -> None:
    with pytest.raises(oc.UnavailableOpportunity) as info:
        mock_checkout_client.create_session(SEED_OPPORTUNITY)
    assert info.value.error.description == "This opportunity is not available to book."
    mock_checkout.add_bookable(SEED_OPPORTUNITY)
    created = mock_checkout_client.post_session(
        oc.CheckoutSession.for_opportunity(SEED_OPPORTUNITY)
    )
    assert created.status_code == 201
    assert created.checkout_url is not None
    assert created.checkout_url.startswith("http://mock-checkout.test/opendata/")
    assert created.location is not None
    assert mock_checkout_client.get_session(created.location) == created.session
    expected = seed_json("response")
    expected["potentialAction"][0]["target"] = created.checkout_url
    assert oc.to_jsonld(created.session) == expected
    assert mock_checkout.sessions_created == 1


def test_the_in_process_mock_answers_as_the_socket_server_does(no_sockets: None) -> None:
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY], api_key=API_KEY)
    with mock.client() as client:  # the mock's key by default
        assert client.create_session(SEED_OPPORTUNITY).checkout_url is not None
    with mock.client(api_key="wrong") as client, pytest.raises(oc.CheckoutHTTPError) as info:
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 401
    assert isinstance(info.value.error, oc.OpenBookingError)
    with mock.client(api_key=None) as client, pytest.raises(oc.CheckoutHTTPError) as info:
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 403


def test_injected_failures_are_retried_through_the_transport(no_sockets: None) -> None:
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY])
    mock.inject_failures(503, count=2)
    with mock.client(backoff=0.001) as client:
        assert client.create_session(SEED_OPPORTUNITY).checkout_url is not None
    mock.inject_failures(429, count=4)
    with mock.client(retries=3) as client, pytest.raises(oc.CheckoutHTTPError) as info:
        client.create_session(SEED_OPPORTUNITY)
    assert info.value.status_code == 429
    assert mock.sessions_created == 1


def test_the_async_client_goes_through_httpx_asgi_transport(no_sockets: None) -> None:
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY])
    assert isinstance(mock.async_transport(), httpx.ASGITransport)

    async def main() -> list[oc.CheckoutSession]:
        async with mock.async_client() as client:
            assert isinstance(client, AsyncCheckoutClient)
            return list(
                await asyncio.gather(*(client.create_session(SEED_OPPORTUNITY) for _ in range(20)))
            )

    sessions = asyncio.run(main())
    assert len({s.checkout_url for s in sessions}) == 20
    assert mock.sessions_created == 20


def test_the_feed_is_walked_in_process(no_sockets: None) -> None:
    mock = MockCheckout(feed=FEED_FILE, page_size=2)
    items = list(iter_items(mock.feed_url, transport=mock.transport()))

    async def main() -> list[oc.FeedItem]:
        return [i async for i in aiter_items(mock.feed_url, transport=mock.async_transport())]

    assert [i.id for i in asyncio.run(main())] == [i.id for i in items]
    assert len(items) == 6
    assert {i.id for i in items if i.state == "updated"} == {
        i.id for i in items if i.data is not None
    }


def test_the_no_sockets_guard_works(no_sockets: None) -> None:
    with pytest.raises(AssertionError, match="a socket was opened"):
        httpx.get("http://127.0.0.1:9/")


def test_the_sync_client_works_inside_a_running_event_loop(no_sockets: None) -> None:
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY])

    async def main() -> str | None:
        with mock.client() as client:  # blocking, from a coroutine: still answered
            return client.create_session(SEED_OPPORTUNITY).checkout_url

    assert asyncio.run(main()) is not None


def test_sync_asgi_transport_serves_any_app_with_bodies_and_headers() -> None:
    async def echo(request: Request) -> Response:
        body = await request.body()
        return Response(
            body[::-1],
            status_code=202,
            headers={"X-Method": request.method, "X-Host": request.headers["host"]},
        )

    app = Starlette(routes=[Route("/echo", echo, methods=["POST"])])

    def chunks() -> Iterator[bytes]:
        yield b"abc"
        yield b"def"

    with httpx.Client(transport=SyncASGITransport(app), base_url="http://app.test") as client:
        response = client.post("/echo", content=chunks())
        assert (response.status_code, response.content) == (202, b"fedcba")
        assert response.headers["x-method"] == "POST"
        assert response.headers["x-host"] == "app.test"
        assert client.get("/nowhere").status_code == 404


def test_sync_asgi_transport_raises_what_the_app_raises() -> None:
    async def broken(request: Request) -> Response:
        raise RuntimeError("the app failed")

    app = Starlette(routes=[Route("/", broken)])
    with (
        httpx.Client(transport=SyncASGITransport(app)) as client,
        pytest.raises(RuntimeError, match="the app failed"),
    ):
        client.get("http://app.test/")


def test_a_mock_url_must_be_absolute() -> None:
    with pytest.raises(ValueError, match="url must be an absolute http"):
        MockCheckout(url="mock-checkout.test")
    assert repr(MockCheckout()) == "MockCheckout(http://mock-checkout.test)"
    with MockCheckout(url="http://127.0.0.1:1/").client() as client:
        assert isinstance(client, CheckoutClient)
        assert client.base_url == "http://127.0.0.1:1"
