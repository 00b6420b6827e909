"""The mock server for harvesting tests: many feeds, deletions, failure injection; and its
own hardening (links from the public URL, CPU work off the event loop, session bytes, slow
and vanishing clients)."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
import time
from typing import Any

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.rpde import aiter_items, fetch_page, iter_items, iter_pages
from openactive_checkout.testing import MockCheckout, MockCheckoutServer, MockFeed, _app
from tests.http.conftest import FEED_FILE, SEED_OPPORTUNITY

FAST: dict[str, Any] = {"max_backoff": 0.01}


def items(prefix: str, count: int, start: int = 1) -> list[dict[str, Any]]:
    return [
        {"state": "deleted", "kind": "Slot", "id": f"{prefix}{n}", "modified": n}
        for n in range(start, start + count)
    ]


def many_feeds() -> MockCheckout:
    return MockCheckout(
        feed=FEED_FILE, feeds={"slots": items("s", 5), "facility-uses": items("f", 3)},
        page_size=2,
    )  # fmt: skip


def walk(mock: MockCheckout, url: str, **options: Any) -> list[str]:
    return [str(i.id) for i in iter_items(url, transport=mock.transport(), **FAST, **options)]


def test_many_feeds_are_served_each_at_its_own_url() -> None:
    mock = many_feeds()
    assert mock.feed_urls == {
        "scheduled-sessions": "http://mock-checkout.test/feeds/scheduled-sessions",
        "slots": "http://mock-checkout.test/feeds/slots",
        "facility-uses": "http://mock-checkout.test/feeds/facility-uses",
    }
    assert walk(mock, mock.feed_url_for("slots")) == ["s1", "s2", "s3", "s4", "s5"]
    assert walk(mock, mock.feed_url_for("facility-uses")) == ["f1", "f2", "f3"]
    assert len(walk(mock, mock.feed_url)) == 6
    with httpx.Client(transport=mock.transport()) as client:
        answer = client.get("http://mock-checkout.test/feeds/nothing-here")
    assert answer.status_code == 404
    with pytest.raises(oc.DataError, match="no feed 'nope'"):
        mock.feed_url_for("nope")


def test_deletions_and_additions_reach_a_consumer_at_the_end() -> None:
    mock = many_feeds()
    pages = list(iter_pages(mock.feed_url_for("slots"), transport=mock.transport()))
    resume = pages[-1].next_url
    mock.delete_item("s2", feed="slots")
    mock.add_items(*items("s", 1, start=7), feed="slots")
    fresh = fetch_page(resume, transport=mock.transport())
    assert [(i.id, i.state, i.modified) for i in fresh.items] == [
        ("s2", "deleted", 6), ("s7", "deleted", 7),
    ]  # fmt: skip
    assert walk(mock, mock.feed_url_for("slots")) == ["s1", "s3", "s4", "s5", "s2", "s7"]
    with pytest.raises(oc.FeedError, match="not newer"):
        mock.add_items(*items("s", 1, start=3), feed="slots")
    with pytest.raises(oc.FeedError, match="no item with id"):
        mock.delete_item("zzz", feed="slots")


def test_a_deleted_opportunity_is_no_longer_bookable() -> None:
    mock = MockCheckout(feed=FEED_FILE)
    assert mock.state.is_bookable(SEED_OPPORTUNITY)
    mock.delete_item("310003324")
    assert not mock.state.is_bookable(SEED_OPPORTUNITY)
    with mock.client() as client, pytest.raises(oc.UnavailableOpportunity):
        client.create_session(SEED_OPPORTUNITY)


def test_a_feed_can_be_given_as_a_mock_feed() -> None:
    feed = MockFeed.load(items("x", 2))
    mock = MockCheckout(feeds={"x": feed})
    mock.add_items(*items("x", 1, start=3), feed="x")
    assert walk(mock, mock.feed_url_for("x")) == ["x1", "x2", "x3"]


# -- failure injection -------------------------------------------------------------------------


def test_status_failures_can_target_one_feed() -> None:
    mock = many_feeds()
    mock.inject_failures(500, count=1, feed="slots")
    assert len(walk(mock, mock.feed_url_for("facility-uses"))) == 3  # untouched
    with pytest.raises(oc.CheckoutHTTPError) as caught:
        walk(mock, mock.feed_url_for("slots"))
    assert caught.value.status_code == 500
    assert len(walk(mock, mock.feed_url_for("slots"))) == 5
    mock.inject_failures(503, count=2, feed="slots")
    assert len(walk(mock, mock.feed_url_for("slots"))) == 5  # retried


def test_a_looping_next_is_caught_by_the_walker() -> None:
    mock = many_feeds()
    pages = iter_pages(mock.feed_url_for("slots"), transport=mock.transport())
    first = next(pages)
    assert first.next_url != mock.feed_url_for("slots")
    mock.inject_failures(kind="loop", feed="slots")
    with pytest.raises(oc.FeedError, match="the feed loops"):
        list(pages)


def test_a_truncated_page_in_process_is_a_feed_error() -> None:
    mock = many_feeds()
    mock.inject_failures(kind="truncate", feed="slots")
    with pytest.raises(oc.FeedError, match=r"not valid JSON|JSON"):
        walk(mock, mock.feed_url_for("slots"))


def test_a_slow_page_hits_the_page_deadline() -> None:
    mock = many_feeds()
    mock.inject_failures(kind="slow", delay=2.0, feed="slots")

    async def run() -> None:
        async for _ in aiter_items(
            mock.feed_url_for("slots"), transport=mock.async_transport(), page_deadline=0.3
        ):
            pass

    with pytest.raises(oc.TransportError, match="deadline"):
        asyncio.run(run())


def test_failure_injection_is_checked() -> None:
    mock = many_feeds()
    with pytest.raises(oc.DataError, match="no feed"):
        mock.inject_failures(feed="nope")
    with pytest.raises(oc.DataError, match="unknown failure kind"):
        mock.inject_failures(kind="explode")  # type: ignore[arg-type]
    with pytest.raises(oc.DataError, match="4xx or 5xx"):
        mock.inject_failures(200)


# -- the server's own hardening ----------------------------------------------------------------


def test_links_come_from_the_public_url_not_the_host_header() -> None:
    mock = MockCheckout(feed=FEED_FILE, bookable=[SEED_OPPORTUNITY], page_size=2)
    with httpx.Client(transport=mock.transport(), headers={"Host": "evil.example"}) as client:
        page = client.get(mock.feed_url).json()
        body = oc.to_jsonld(oc.CheckoutSession.for_opportunity(SEED_OPPORTUNITY))
        created = client.post(mock.url + "/checkout-sessions", json=body).json()
    assert page["next"].startswith("http://mock-checkout.test/feeds/scheduled-sessions?")
    assert created["potentialAction"][0]["target"].startswith("http://mock-checkout.test/")
    assert "evil" not in json.dumps([page, created])


def test_json_ld_work_runs_off_the_event_loop(monkeypatch: pytest.MonkeyPatch) -> None:
    loops: list[bool] = []
    real = _app.check_request

    def spy(body: bytes) -> Any:
        try:
            asyncio.get_running_loop()
        except RuntimeError:
            loops.append(False)
        else:
            loops.append(True)
        return real(body)

    monkeypatch.setattr(_app, "check_request", spy)
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY])
    with mock.client() as client:
        client.create_session(SEED_OPPORTUNITY)
    assert loops == [False]


def test_stored_sessions_are_capped_by_bytes() -> None:
    mock = MockCheckout(bookable=[SEED_OPPORTUNITY], max_session_bytes=3000)
    with mock.client() as client:
        for _ in range(10):
            client.create_session(SEED_OPPORTUNITY)
    assert mock.sessions_created == 10
    assert 0 < mock.state.stored_bytes <= 3000


@pytest.mark.network
def test_the_socket_server_writes_links_with_its_own_url() -> None:
    with MockCheckoutServer(feed=FEED_FILE, page_size=2) as server:
        answer = httpx.get(server.feed_url, headers={"Host": "evil.example"})
        assert answer.json()["next"].startswith(server.url + "/feeds/scheduled-sessions?")


@pytest.mark.network
def test_a_truncated_body_over_a_socket_is_retried(caplog: pytest.LogCaptureFixture) -> None:
    with MockCheckoutServer(feeds={"slots": items("s", 3)}, page_size=5) as server:
        server.inject_failures(kind="truncate", feed="slots")
        with caplog.at_level(logging.ERROR):
            got = [i.id for i in iter_items(server.feed_url_for("slots"), **FAST)]
        assert got == ["s1", "s2", "s3"]
        server.inject_failures(kind="truncate", feed="slots")
        with pytest.raises(oc.TransportError, match=r"RemoteProtocolError|peer closed"):
            list(iter_items(server.feed_url_for("slots"), retries=0))


@pytest.mark.network
def test_a_trickling_server_hits_the_deadline() -> None:
    with MockCheckoutServer(feeds={"slots": items("s", 3)}) as server:
        server.inject_failures(kind="trickle", delay=0.05, feed="slots")
        with pytest.raises(oc.TransportError, match="deadline"):
            list(iter_items(server.feed_url_for("slots"), page_deadline=0.5))


def raw_request(url: str, data: bytes) -> socket.socket:
    host, port = url.rsplit("/", 1)[-1].rsplit(":", 1)
    sock = socket.create_connection((host, int(port)))
    sock.sendall(data)
    return sock


@pytest.mark.network
def test_a_slow_client_gets_408_and_a_vanishing_one_no_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    head = b"POST /checkout-sessions HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n{"
    with MockCheckoutServer(request_timeout=0.3) as server, caplog.at_level(logging.WARNING):
        slow = raw_request(server.url, head)
        slow.settimeout(10)
        assert slow.recv(100).startswith(b"HTTP/1.1 408 ")
        slow.close()
        gone = raw_request(server.url, head)
        time.sleep(0.1)
        gone.close()
        time.sleep(0.2)
        # The server still answers, and nothing was logged as an application error.
        assert httpx.get(server.url + "/checkout-sessions/x").status_code == 404
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING], caplog.text


@pytest.mark.network
def test_a_client_sending_headers_slowly_is_disconnected() -> None:
    with MockCheckoutServer(request_timeout=0.3) as server:
        slow = raw_request(server.url, b"GET /feeds/scheduled-sessions HTTP/1.1\r\n")
        slow.settimeout(10)
        for _ in range(3):  # bytes keep coming, but not the end of the headers
            time.sleep(0.15)
            try:
                slow.sendall(b"X: y\r\n")
            except OSError:
                break
        assert slow.recv(100) == b""  # closed, without an answer
        slow.close()
        # A client that sends its request at once is served as before.
        assert httpx.get(server.feed_url).status_code == 200
