"""The limits every page fetch obeys (issue 15): origin policy for ``next`` and redirects,
credentials kept at home, decoded-size bounds, deadlines, bounded error bodies, userinfo
hidden; and RPDE's rules in the walker (order, loops) and its follow mode."""

from __future__ import annotations

import asyncio
import gc
import gzip
import itertools
import json
import socket
import time
import tracemalloc
import urllib.parse
import zlib
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.rpde import (
    FeedPage,
    afetch_page,
    aiter_items,
    aiter_pages,
    fetch_page,
    iter_items,
    iter_pages,
)

FEED = "https://feed.example.com/rpde"
# Other origins are public IP literals: a host name would be looked up (the private-address
# check), and tests make no DNS queries.
FAST: dict[str, Any] = {"max_backoff": 0.01}

Handler = Callable[[httpx.Request], httpx.Response]


def item(n: int, modified: int | None = None, state: str = "deleted") -> dict[str, Any]:
    return {"state": state, "kind": "ScheduledSession", "id": str(n),
            "modified": n if modified is None else modified}  # fmt: skip


def page(next_url: str, *items: dict[str, Any]) -> dict[str, Any]:
    return {"items": list(items), "next": next_url}


class Site:
    """A few URLs answering JSON pages (or anything), recording every request."""

    def __init__(self, routes: dict[str, Any]) -> None:
        self.routes = routes
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.routes.get(str(request.url))
        if answer is None:
            return httpx.Response(404, json={"error": "no such page"})
        if callable(answer):
            result: httpx.Response = answer(request)
            return result
        if isinstance(answer, httpx.Response):
            return answer
        return httpx.Response(200, json=answer)

    def hosts(self) -> set[str]:
        return {r.url.host for r in self.requests}

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)


def redirect(location: str, status: int = 302) -> httpx.Response:
    return httpx.Response(status, headers={"Location": location})


# -- origin policy -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example.net/steal",
        "http://169.254.169.254/latest/meta-data/",
        "https://feed.example.com:8443/rpde",
        "http://feed.example.com/rpde?p=2",  # a downgrade to http is another origin
    ],
)
def test_a_next_on_another_origin_is_not_followed(target: str) -> None:
    site = Site({FEED: page(target, item(1))})
    with pytest.raises(oc.FeedError, match="not on the feed's origin") as caught:
        list(iter_items(FEED, transport=site.transport(), **FAST))
    assert caught.value.json_path == "$.next"
    assert [str(r.url) for r in site.requests] == [FEED]


def test_a_redirect_to_another_origin_is_refused_and_never_requested() -> None:
    site = Site({FEED: redirect("http://169.254.169.254/latest/meta-data/")})
    with pytest.raises(oc.TransportError, match=r"refusing to request .*169\.254\.169\.254"):
        list(iter_items(FEED, transport=site.transport(), **FAST))
    assert site.hosts() == {"feed.example.com"}


def test_allow_origins_opts_in_but_private_targets_stay_refused_for_a_public_feed() -> None:
    site = Site({
        FEED: page("https://93.184.215.14/p2", item(1)),
        "https://93.184.215.14/p2": page("http://10.0.0.7/p3", item(2)),
    })  # fmt: skip
    with pytest.raises(oc.FeedError, match=r"private, loopback or link-local address \(10.0.0.7\)"):
        list(iter_items(FEED, transport=site.transport(), allow_origins="*", **FAST))
    assert site.hosts() == {"feed.example.com", "93.184.215.14"}
    site.requests.clear()
    with pytest.raises(oc.FeedError, match="not on the feed's origin"):
        list(iter_items(FEED, transport=site.transport(),
                        allow_origins=["https://93.184.215.14"], **FAST))  # fmt: skip
    # allow_private opts out of the address check too.
    site.routes["http://10.0.0.7/p3"] = page("http://10.0.0.7/p3")
    items = list(iter_items(FEED, transport=site.transport(), allow_origins="*",
                            allow_private=True, **FAST))  # fmt: skip
    assert [i.id for i in items] == ["1", "2"]


@pytest.mark.parametrize(
    "host", ["127.0.0.1", "[::1]", "[::ffff:169.254.169.254]", "localhost", "192.168.1.1"]
)
def test_private_hosts_in_every_spelling_are_refused(host: str) -> None:
    site = Site({FEED: redirect(f"http://{host}/x")})
    with pytest.raises(oc.TransportError, match="private, loopback or link-local"):
        fetch_page(FEED, transport=site.transport(), allow_origins="*", **FAST)
    assert site.hosts() == {"feed.example.com"}


def test_a_private_feed_may_link_to_other_private_origins_when_allowed() -> None:
    feed = "http://127.0.0.1:9/rpde"
    site = Site({feed: page("http://127.0.0.2:9/p2", item(1)),
                 "http://127.0.0.2:9/p2": page("http://127.0.0.2:9/p2")})  # fmt: skip
    items = list(iter_items(feed, transport=site.transport(), allow_origins="*", **FAST))
    assert [i.id for i in items] == ["1"]


def test_credentials_never_leave_the_feeds_origin() -> None:
    other = "https://93.184.215.14/p2"
    site = Site({FEED: page(other, item(1)), other: redirect("https://93.184.215.14/p3"),
                 "https://93.184.215.14/p3": page("https://93.184.215.14/p3")})  # fmt: skip
    with httpx.Client(
        transport=site.transport(), headers={"X-API-KEY": "secret"}, auth=("user", "pw"),
        cookies={"session": "s"},
    ) as client:  # fmt: skip
        items = list(iter_items(FEED, client=client, allow_origins=[other], **FAST))
    assert [i.id for i in items] == ["1"]
    home, *away = site.requests
    assert home.headers["x-api-key"] == "secret"
    assert "authorization" in home.headers
    assert len(away) == 2
    for request in away:
        assert "x-api-key" not in request.headers
        assert "authorization" not in request.headers
        assert "cookie" not in request.headers


def test_redirects_on_the_origin_are_followed_and_next_resolves_against_the_final_url() -> None:
    moved = "https://feed.example.com/v2/rpde/page1"
    site = Site({
        FEED: redirect(moved, 301),
        moved: page("page2", item(1)),  # relative: /v2/rpde/page2, not /page2
        "https://feed.example.com/v2/rpde/page2": page("page2"),
    })  # fmt: skip
    pages = list(iter_pages(FEED, transport=site.transport(), **FAST))
    assert [p.url for p in pages] == [moved, "https://feed.example.com/v2/rpde/page2"]
    assert pages[0].next_url == "https://feed.example.com/v2/rpde/page2"


def test_an_http_feed_may_be_upgraded_to_https_on_the_same_host() -> None:
    site = Site({"http://feed.example.com/rpde": redirect(FEED, 308), FEED: page(FEED)})
    assert fetch_page("http://feed.example.com/rpde", transport=site.transport()).is_last


def test_too_many_redirects_are_refused() -> None:
    routes: dict[str, Any] = {f"{FEED}/{n}": redirect(f"{FEED}/{n + 1}") for n in range(10)}
    site = Site(routes)
    with pytest.raises(oc.TransportError, match="redirected more than 5 times"):
        fetch_page(f"{FEED}/0", transport=site.transport())


def test_fetch_page_checks_the_url_against_the_feed_origin() -> None:
    site = Site({})
    with pytest.raises(oc.TransportError, match="not on the feed's origin"):
        fetch_page("https://elsewhere.example/x", feed_url=FEED, transport=site.transport())
    assert site.requests == []


def test_allow_origins_is_checked() -> None:
    with pytest.raises(TypeError, match="iterable of origin URLs"):
        fetch_page(FEED, allow_origins="https://x.example")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="allow_origins entry"):
        fetch_page(FEED, allow_origins=["ftp://x"])


# -- sizes -------------------------------------------------------------------------------------


def test_a_gzip_bomb_is_refused_after_the_limit_without_inflating_it() -> None:
    bomb = gzip.compress(b'{"items": [], "next": "' + b" " * (64 << 20), compresslevel=9)
    assert len(bomb) < 128 << 10
    site = Site({FEED: lambda r: httpx.Response(
        200, content=iter([bomb]),
        headers={"Content-Encoding": "gzip", "Content-Type": "application/json"},
    )})  # fmt: skip
    tracemalloc.start()
    try:
        with pytest.raises(oc.TransportError, match="larger than the limit of 1048576 bytes"):
            fetch_page(FEED, transport=site.transport(), max_bytes=1 << 20)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 8 << 20


@pytest.mark.parametrize("encoding", ["gzip", "deflate", "raw-deflate", "identity"])
def test_pages_in_every_encoding_are_read_within_the_limit(encoding: str) -> None:
    body = json.dumps(page(FEED + "?p=2", item(1))).encode()
    packed = {
        "gzip": gzip.compress,
        "deflate": zlib.compress,
        "raw-deflate": lambda b: zlib.compress(b)[2:-4],
        "identity": lambda b: b,
    }[encoding](body)
    header = "deflate" if encoding == "raw-deflate" else encoding
    site = Site({FEED: lambda r: httpx.Response(
        200, content=iter([packed[:5], packed[5:]]), headers={"Content-Encoding": header}
    )})  # fmt: skip
    assert [i.id for i in fetch_page(FEED, transport=site.transport()).items] == ["1"]
    with pytest.raises(oc.TransportError, match="larger than the limit"):
        fetch_page(FEED, transport=site.transport(), max_bytes=len(body) - 1)
    assert fetch_page(FEED, transport=site.transport(), max_bytes=len(body)).items


def test_an_encoding_not_asked_for_is_refused() -> None:
    site = Site({FEED: lambda r: httpx.Response(
        200, content=iter([b"\x1b\x00"]), headers={"Content-Encoding": "br"}
    )})  # fmt: skip
    with pytest.raises(oc.TransportError, match="content encoding 'br' was not asked for"):
        fetch_page(FEED, transport=site.transport())
    assert site.requests[0].headers["accept-encoding"] == "gzip, deflate"


def test_a_corrupt_gzip_body_is_our_error() -> None:
    site = Site({FEED: lambda r: httpx.Response(
        200, content=iter([gzip.compress(b'{"items": []}')[:-6]]),
        headers={"Content-Encoding": "gzip"},
    )})  # fmt: skip
    with pytest.raises(oc.TransportError, match="gzip body"):
        fetch_page(FEED, transport=site.transport(), retries=0)


def test_a_declared_length_beyond_the_limit_is_refused_before_reading() -> None:
    def stream() -> Iterator[bytes]:
        raise AssertionError("the body was read")
        yield b""  # pragma: no cover

    site = Site({FEED: lambda r: httpx.Response(
        200, headers={"Content-Length": str(1 << 30)}, content=stream()
    )})  # fmt: skip
    with pytest.raises(oc.TransportError, match="larger than the limit"):
        fetch_page(FEED, transport=site.transport())


def test_an_error_answer_keeps_only_a_bounded_prefix_of_its_body() -> None:
    site = Site({FEED: httpx.Response(500, content=b"x" * (8 << 20))})
    with pytest.raises(oc.CheckoutHTTPError) as caught:
        fetch_page(FEED, transport=site.transport(), retries=0)
    assert caught.value.status_code == 500
    assert 0 < len(caught.value.body) <= 64 << 10


def test_the_checkout_client_bounds_answers_too() -> None:
    big = httpx.Response(201, content=b"{" + b" " * (5 << 20) + b"}")
    with (
        oc.CheckoutClient(
            "https://checkout.example.com", transport=httpx.MockTransport(lambda r: big)
        ) as client,
        pytest.raises(oc.TransportError, match="larger than the limit of 4194304 bytes"),
    ):
        client.create_session("https://example.org/sessions/1")
    huge_error = httpx.Response(400, content=b"e" * (5 << 20))
    with (
        oc.CheckoutClient(
            "https://checkout.example.com", transport=httpx.MockTransport(lambda r: huge_error)
        ) as client,
        pytest.raises(oc.CheckoutHTTPError) as caught,
    ):
        client.create_session("https://example.org/sessions/1")
    assert len(caught.value.body) <= 64 << 10


# -- deadlines ---------------------------------------------------------------------------------


def trickle(request: httpx.Request) -> httpx.Response:
    """An answer whose body comes a byte every 50 ms, for ever."""

    def body() -> Iterator[bytes]:
        while True:
            time.sleep(0.05)
            yield b" "

    return httpx.Response(200, content=body())


async def atrickle(request: httpx.Request) -> httpx.Response:
    async def body() -> AsyncIterator[bytes]:
        while True:
            await asyncio.sleep(0.05)
            yield b" "

    return httpx.Response(200, content=body())


def test_a_trickling_page_hits_the_page_deadline() -> None:
    with pytest.raises(oc.TransportError, match=r"did not complete within the deadline of 0\.3"):
        fetch_page(FEED, transport=httpx.MockTransport(trickle), deadline=0.3)


def test_a_trickling_page_hits_the_async_deadline() -> None:
    async def run() -> None:
        await afetch_page(FEED, transport=httpx.MockTransport(atrickle), deadline=0.3)

    with pytest.raises(oc.TransportError, match="did not complete within the deadline"):
        asyncio.run(run())


def test_the_checkout_client_has_a_deadline() -> None:
    with (
        oc.CheckoutClient(
            "https://checkout.example.com", transport=httpx.MockTransport(trickle), deadline=0.3
        ) as client,
        pytest.raises(oc.TransportError, match="deadline"),
    ):
        client.get_session("/checkout-sessions/x")


def test_retries_that_would_pass_the_deadline_are_not_waited_for() -> None:
    site = Site({FEED: httpx.Response(503, headers={"Retry-After": "20"})})
    with pytest.raises(oc.TransportError, match="a retry in 20s would pass it"):
        fetch_page(FEED, transport=site.transport(), deadline=5, max_backoff=60)
    assert len(site.requests) == 1


def test_the_walk_has_an_overall_deadline() -> None:
    def slow_page(request: httpx.Request) -> httpx.Response:
        time.sleep(0.05)
        n = int(request.url.params.get("n", "0"))
        return httpx.Response(200, json=page(f"{FEED}?n={n + 1}", item(n + 1)))

    with pytest.raises(oc.TransportError, match="walk did not finish within its deadline"):
        list(iter_items(FEED, transport=httpx.MockTransport(slow_page), deadline=0.3))


def test_deadlines_are_checked() -> None:
    with pytest.raises(ValueError, match="deadline must be a positive"):
        fetch_page(FEED, deadline=0)
    with pytest.raises(TypeError, match="deadline must be a number"):
        iter_items(FEED, deadline="1")  # type: ignore[arg-type]


# -- userinfo ----------------------------------------------------------------------------------


def test_userinfo_in_a_base_url_never_shows() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError(f"cannot connect to {request.url}")

    url = "https://broker:s3cr3t-key@checkout.example.com"
    with oc.CheckoutClient(url, transport=httpx.MockTransport(refuse), retries=0) as client:
        assert "s3cr3t" not in repr(client)
        with pytest.raises(oc.TransportError) as caught:
            client.get_session("/checkout-sessions/x")
    assert "s3cr3t" not in str(caught.value)
    assert "s3cr3t" not in caught.value.url
    with pytest.raises(oc.TransportError) as walked:
        list(iter_items(url + "/feed", transport=httpx.MockTransport(refuse), retries=0))
    assert "s3cr3t" not in str(walked.value)
    assert "***@checkout.example.com" in str(walked.value)
    with pytest.raises(ValueError, match=r"\*\*\*@checkout") as bad:
        oc.CheckoutClient("ftp://broker:s3cr3t-key@checkout.example.com")
    assert "s3cr3t" not in str(bad.value)


# -- RPDE rules --------------------------------------------------------------------------------


def test_items_out_of_order_within_a_page_are_a_feed_error() -> None:
    site = Site({FEED: page(FEED + "?p=2", item(2), item(1))})
    with pytest.raises(oc.FeedError, match=r"does not come after .*\(modified, id\)") as caught:
        list(iter_items(FEED, transport=site.transport()))
    assert caught.value.json_path == "$.items[1]"


def test_items_out_of_order_across_pages_are_a_feed_error() -> None:
    site = Site({FEED: page(FEED + "?p=2", item(1), item(5)),
                 FEED + "?p=2": page(FEED + "?p=3", item(4)),
                 FEED + "?p=3": page(FEED + "?p=3")})  # fmt: skip
    with pytest.raises(oc.FeedError, match="does not come after") as caught:
        list(iter_items(FEED, transport=site.transport()))
    assert caught.value.json_path == "$.items[0]"
    items = list(iter_items(FEED, transport=site.transport(), check_order=False))
    assert [i.id for i in items] == ["1", "5", "4"]


def test_order_is_by_modified_then_id() -> None:
    same_time = [item(n, modified=100) for n in (1, 2, 3)]
    site = Site({FEED: page(FEED + "?p=2", *same_time), FEED + "?p=2": page(FEED + "?p=2")})
    assert len(list(iter_items(FEED, transport=site.transport()))) == 3
    site.routes[FEED] = page(FEED + "?p=2", item(1, modified=100), item(1, modified=100))
    with pytest.raises(oc.FeedError, match="does not come after"):
        list(iter_items(FEED, transport=site.transport()))


def test_a_next_that_loops_back_is_a_feed_error() -> None:
    site = Site({FEED: page(FEED + "?p=2", item(1)), FEED + "?p=2": page(FEED, item(2))})
    with pytest.raises(oc.FeedError, match="the feed loops"):
        list(iter_items(FEED, transport=site.transport(), check_order=False))


def settled() -> int:
    """Memory in use now, without garbage or the standard library's bounded URL cache
    (httpx's cookie handling parses each URL with urllib)."""
    urllib.parse.clear_cache()
    gc.collect()
    return tracemalloc.get_traced_memory()[0]


def test_long_next_urls_do_not_pile_up() -> None:
    pad = "x" * 60_000

    def pages(request: httpx.Request) -> httpx.Response:
        n = int(request.url.params.get("n", "0"))
        if n >= 30:
            return httpx.Response(200, json=page(str(request.url)))
        return httpx.Response(200, json=page(f"{FEED}?n={n + 1}&pad={pad}", item(n + 1)))

    tracemalloc.start()
    try:
        walk = iter_items(FEED, transport=httpx.MockTransport(pages))
        count = sum(1 for _ in itertools.islice(walk, 5))
        before = settled()
        count += sum(1 for _ in itertools.islice(walk, 24))
        held = settled() - before
        count += sum(1 for _ in walk)
    finally:
        tracemalloc.stop()
    assert count == 30
    assert held < 512 << 10  # the 24 URLs alone would be 1.4 MB


# -- pages and follow mode ---------------------------------------------------------------------


def test_iter_pages_yields_each_page_with_its_url_and_next() -> None:
    site = Site({FEED: page("?p=2", item(1)), FEED + "?p=2": page("?p=2")})
    pages = list(iter_pages(FEED, transport=site.transport()))
    assert [(p.url, p.next_url, len(p.items)) for p in pages] == [
        (FEED, FEED + "?p=2", 1), (FEED + "?p=2", FEED + "?p=2", 0),
    ]  # fmt: skip
    assert pages[-1].is_last


class Publisher:
    """A feed whose items arrive while it is followed, with a failure on the way."""

    def __init__(self) -> None:
        self.items = [item(1)]
        self.polls = 0
        self.fail_next = False

    def __call__(self, request: httpx.Request) -> httpx.Response:
        after = int(request.url.params.get("after", "0"))
        if self.fail_next:
            self.fail_next = False
            return httpx.Response(500, text="boom")
        fresh = [i for i in self.items if i["modified"] > after]
        if not fresh:
            self.polls += 1
            if self.polls == 1:
                self.fail_next = True  # the next poll fails once
            if self.polls == 2:
                self.items.append(item(2))
            return httpx.Response(200, json=page(str(request.url)), headers={"Retry-After": "0"})
        return httpx.Response(200, json=page(f"{FEED}?after={fresh[-1]['modified']}", *fresh))


def test_follow_mode_polls_the_last_page_backs_off_on_errors_and_stops_on_request() -> None:
    publisher = Publisher()
    seen: list[FeedPage] = []
    pages = iter_pages(
        FEED, transport=httpx.MockTransport(publisher), follow=True, poll_interval=0.01,
        stop=lambda: publisher.polls >= 4, retries=0,
    )  # fmt: skip
    for fetched in pages:
        seen.append(fetched)
    ids = [i.id for p in seen for i in p.items]
    assert ids == ["1", "2"]
    assert sum(1 for p in seen if p.is_last) >= 3
    assert seen[0].url == FEED


def test_async_follow_mode_can_be_left_with_break() -> None:
    publisher = Publisher()

    async def run() -> list[str]:
        ids: list[str] = []
        async for fetched in aiter_pages(
            FEED, transport=httpx.MockTransport(publisher), follow=True, poll_interval=0.01,
            retries=0,
        ):  # fmt: skip
            ids.extend(str(i.id) for i in fetched.items)
            if "2" in ids:
                break
        return ids

    assert asyncio.run(run()) == ["1", "2"]


def test_follow_mode_still_raises_what_waiting_will_not_fix() -> None:
    site = Site({FEED: page("https://evil.example.net/", item(1))})
    with pytest.raises(oc.FeedError, match="not on the feed's origin"):
        list(iter_pages(FEED, transport=site.transport(), follow=True, poll_interval=0))
    site = Site({FEED: httpx.Response(404)})
    with pytest.raises(oc.CheckoutHTTPError):
        list(iter_pages(FEED, transport=site.transport(), follow=True, poll_interval=0))


def test_aiter_items_keeps_the_rules() -> None:
    site = Site({FEED: page(FEED + "?p=2", item(2), item(1))})

    async def run() -> None:
        async for _ in aiter_items(FEED, transport=site.transport()):
            pass

    with pytest.raises(oc.FeedError, match="does not come after"):
        asyncio.run(run())


def test_follow_arguments_are_checked() -> None:
    with pytest.raises(TypeError, match="stop must be a callable"):
        iter_pages(FEED, follow=True, stop=True)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="poll_interval must be"):
        iter_pages(FEED, follow=True, poll_interval=-1)


def test_the_async_fetch_keeps_credentials_home_and_refuses_foreign_redirects() -> None:
    other = "https://93.184.215.14/p2"
    routes: dict[str, Any] = {FEED: redirect(other), other: page(other)}
    seen: list[httpx.Request] = []

    async def handler(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return Site(routes)(request)

    async def run(**options: Any) -> FeedPage:
        async with httpx.AsyncClient(
            transport=httpx.MockTransport(handler), headers={"X-API-KEY": "secret"}
        ) as client:
            return await afetch_page(FEED, client=client, **options)

    with pytest.raises(oc.TransportError, match="not on the feed's origin"):
        asyncio.run(run())
    assert [r.url.host for r in seen] == ["feed.example.com"]
    seen.clear()
    assert asyncio.run(run(allow_origins=[other])).url == other
    assert [r.headers.get("x-api-key") for r in seen] == ["secret", None]


def test_a_name_that_resolves_to_a_private_address_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    looked_up: list[str] = []

    def resolve(host: str, *args: Any, **kwargs: Any) -> list[Any]:
        looked_up.append(host)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 0))]

    monkeypatch.setattr(socket, "getaddrinfo", resolve)
    site = Site({FEED: page("https://metadata.internal.example/x", item(1))})
    with pytest.raises(oc.FeedError, match=r"address \(10\.1\.2\.3\)"):
        list(iter_items(FEED, transport=site.transport(), allow_origins="*"))
    assert looked_up == ["metadata.internal.example"]
    assert site.hosts() == {"feed.example.com"}
