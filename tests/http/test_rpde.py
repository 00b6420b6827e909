"""RPDE pages and feed walking: read_page, iter_items, aiter_items."""

from __future__ import annotations

import asyncio
import copy
import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

import openactive_checkout as oc
from openactive_checkout.errors import TransportError
from openactive_checkout.rpde import FeedItem, FeedPage, aiter_items, iter_items, read_page
from openactive_checkout.testing import BackgroundServer, MockCheckoutServer
from tests.http.conftest import FEED_FILE

PAGE: dict[str, Any] = json.loads(FEED_FILE.read_text(encoding="utf-8"))
FAST = {"max_backoff": 0.01}


def page_with(**changes: Any) -> dict[str, Any]:
    page = copy.deepcopy(PAGE)
    page.update(changes)
    return page


@pytest.fixture(scope="module")
def feed_server() -> Iterator[MockCheckoutServer]:
    with MockCheckoutServer(feed=FEED_FILE, page_size=2) as server:
        yield server


# -- read_page ----------------------------------------------------------------------------------


def test_read_page_reads_updated_and_deleted_items() -> None:
    page = read_page(FEED_FILE.read_bytes())
    assert isinstance(page, FeedPage)
    assert page.next == PAGE["next"]
    assert page.license == "https://creativecommons.org/licenses/by/4.0/"
    assert not page.is_last
    assert [(i.state, i.id, i.modified) for i in page.items] == [
        (i["state"], i["id"], i["modified"]) for i in PAGE["items"]
    ]
    deleted = [i for i in page.items if i.state == "deleted"]
    assert len(deleted) == 2
    assert all(i.data is None for i in deleted)
    updated = [i for i in page.items if i.state == "updated"]
    assert all(isinstance(i.data, oc.ScheduledSession) for i in updated)
    first = updated[0].data
    assert isinstance(first, oc.ScheduledSession)
    assert (
        first.id
        == "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003324"
    )
    # Nothing lost: each item's data writes back exactly as the feed gave it.
    raw = [i["data"] for i in PAGE["items"] if i["state"] == "updated"]
    assert [oc.to_jsonld(i.data) for i in updated if i.data is not None] == raw


def test_read_page_accepts_text_and_mappings_and_integer_ids() -> None:
    page = {"items": [{"state": "deleted", "kind": "Slot", "id": 7, "modified": "abc"}],
            "next": "https://example.com/feed?afterChangeNumber=3"}  # fmt: skip
    for form in (page, json.dumps(page), json.dumps(page).encode()):
        read = read_page(form)
        assert read.items == (FeedItem("deleted", "Slot", 7, "abc", None),)
        assert read.license is None
    assert read_page({"items": [], "next": "https://example.com/feed"}).is_last


@pytest.mark.parametrize(
    ("page", "path", "message"),
    [
        ("{", "$", "malformed JSON"),
        ([], "$", "must be a JSON object"),
        ({"next": "x"}, "$.items", "must have an items array"),
        ({"items": {}, "next": "x"}, "$.items", "items must be an array"),
        ({"items": []}, "$.next", "must have a next URL"),
        ({"items": [], "next": 3}, "$.next", "next must be a non-empty URL string"),
        ({"items": [], "next": "x", "license": 1}, "$.license", "license must be"),
        ({"items": [3], "next": "x"}, "$.items[0]", "must be a JSON object"),
        ({"items": [{"kind": "A", "id": 1, "modified": 1}], "next": "x"}, "$.items[0].state",
         'state must be "updated" or "deleted"'),
        ({"items": [{"state": "gone", "kind": "A", "id": 1, "modified": 1}], "next": "x"},
         "$.items[0].state", "not 'gone'"),
        ({"items": [{"state": "deleted", "id": 1, "modified": 1}], "next": "x"},
         "$.items[0].kind", "kind must be a non-empty string"),
        ({"items": [{"state": "deleted", "kind": "A", "id": True, "modified": 1}], "next": "x"},
         "$.items[0].id", "id must be a string or an integer, not a boolean"),
        ({"items": [{"state": "deleted", "kind": "A", "id": 1, "modified": 1.5}], "next": "x"},
         "$.items[0].modified", "modified must be an integer or a string"),
        ({"items": [{"state": "deleted", "kind": "A", "id": 1, "modified": 1, "data": {}}],
          "next": "x"}, "$.items[0].data", "a deleted item must not carry data"),
        ({"items": [{"state": "updated", "kind": "A", "id": 1, "modified": 1}], "next": "x"},
         "$.items[0].data", "an updated item must carry its data"),
        ({"items": [{"state": "updated", "kind": "A", "id": 1, "modified": 1, "data": "x"}],
          "next": "x"}, "$.items[0].data", "data must be a JSON object"),
    ],
)  # fmt: skip
def test_bad_pages_get_feed_errors_naming_the_place(page: Any, path: str, message: str) -> None:
    data = page if isinstance(page, str) else json.dumps(page)
    with pytest.raises(oc.FeedError) as info:
        read_page(data)
    assert isinstance(info.value, oc.DataError)
    assert info.value.json_path == path
    assert message in str(info.value)


def test_problems_inside_data_are_prefixed_with_the_item_path() -> None:
    page = page_with()
    page["items"][4]["data"]["offers"][0]["price"] = "free"
    with pytest.raises(oc.FeedError) as info:
        read_page(page)
    assert info.value.json_path == "$.items[4].data.offers[0].price"
    page = page_with()
    page["items"][1]["data"]["@id"] = "not an iri"  # (a relative id reads, as JSON-LD says)
    with pytest.raises(oc.FeedError) as info:
        read_page(page)
    assert info.value.json_path == '$.items[1].data["@id"]'


def test_an_unknown_context_in_data_is_a_feed_error() -> None:
    page = page_with()
    page["items"][2]["data"]["@context"] = "https://example.com/private-context"
    with pytest.raises(oc.FeedError) as info:
        read_page(page)
    assert info.value.json_path == '$.items[2].data["@context"]'
    assert "https://example.com/private-context" in str(info.value)


# -- iter_items over HTTP ------------------------------------------------------------------------


def test_iter_items_walks_the_whole_feed(feed_server: MockCheckoutServer) -> None:
    items = list(iter_items(feed_server.feed_url))
    expected = sorted(PAGE["items"], key=lambda i: (i["modified"], i["id"]))
    assert [(i.state, i.kind, i.id, i.modified) for i in items] == [
        (i["state"], i["kind"], i["id"], i["modified"]) for i in expected
    ]
    assert [i.data.id if i.data else None for i in items] == [
        i["data"]["@id"] if "data" in i else None for i in expected
    ]


def test_iter_items_uses_a_given_client_and_leaves_it_open(
    feed_server: MockCheckoutServer,
) -> None:
    requested: list[str] = []

    def record(request: httpx.Request) -> None:
        requested.append(str(request.url))

    with httpx.Client(event_hooks={"request": [record]}) as client:
        items = list(iter_items(feed_server.feed_url, client=client))
        assert len(items) == 6
        assert len(requested) == 4  # three pages of two, then the empty last page
        assert not client.is_closed


def test_iter_items_can_stop_early(feed_server: MockCheckoutServer) -> None:
    walk = iter_items(feed_server.feed_url)
    assert next(walk).state == "deleted"
    walk.close()


def test_aiter_items_walks_the_whole_feed(feed_server: MockCheckoutServer) -> None:
    async def main() -> list[FeedItem]:
        return [item async for item in aiter_items(feed_server.feed_url)]

    items = asyncio.run(main())
    assert [i.id for i in items] == [i.id for i in iter_items(feed_server.feed_url)]


def test_transient_failures_are_retried(feed_server: MockCheckoutServer) -> None:
    feed_server.inject_failures(503, count=2, retry_after="0")
    assert len(list(iter_items(feed_server.feed_url, **FAST))) == 6
    feed_server.inject_failures(429, count=1, retry_after=None)
    assert len(list(iter_items(feed_server.feed_url, **FAST))) == 6


def test_persistent_failures_raise_http_errors(feed_server: MockCheckoutServer) -> None:
    feed_server.inject_failures(503, count=2, retry_after="0")
    with pytest.raises(oc.CheckoutHTTPError) as info:
        list(iter_items(feed_server.feed_url, retries=1, **FAST))
    assert info.value.status_code == 503
    with pytest.raises(oc.CheckoutHTTPError) as info:
        list(iter_items(feed_server.url + "/feeds/nothing-here"))
    assert info.value.status_code == 404


@pytest.mark.network
def test_an_unreachable_feed_is_a_transport_error() -> None:
    with MockCheckoutServer() as server:
        url = server.feed_url
    with pytest.raises(TransportError, match="after 2 attempts"):
        list(iter_items(url, retries=1, **FAST))


class BrokenFeed:
    """A feed server whose pages are given by the test, by path."""

    def __init__(self) -> None:
        self.pages: dict[str, Any] = {}
        app = Starlette(routes=[Route("/{path:path}", self.answer)])
        self.server = BackgroundServer(app)

    async def answer(self, request: Request) -> Response:
        page = self.pages.get(request.url.path)
        if isinstance(page, bytes):
            return Response(page, media_type="application/json")
        return JSONResponse(page) if page is not None else Response(status_code=404)


@pytest.fixture
def broken() -> Iterator[BrokenFeed]:
    feed = BrokenFeed()
    with feed.server:
        yield feed


def item(n: int) -> dict[str, Any]:
    return {"state": "deleted", "kind": "ScheduledSession", "id": str(n), "modified": n}


def test_a_page_pointing_to_itself_with_items_is_a_feed_error(broken: BrokenFeed) -> None:
    broken.pages["/a"] = {"items": [item(1)], "next": "/a"}
    with pytest.raises(oc.FeedError, match="points back to itself") as info:
        list(iter_items(broken.server.url + "/a"))
    assert info.value.json_path == "$.next"


def test_a_loop_between_pages_is_a_feed_error(broken: BrokenFeed) -> None:
    broken.pages["/a"] = {"items": [item(1)], "next": "/b"}
    broken.pages["/b"] = {"items": [item(2)], "next": "/a"}
    with pytest.raises(oc.FeedError, match="the feed loops"):
        list(iter_items(broken.server.url + "/a"))


def test_relative_next_links_are_followed_and_max_pages_bounds_the_walk(
    broken: BrokenFeed,
) -> None:
    for n in range(5):
        broken.pages[f"/p{n}"] = {"items": [item(n)], "next": f"p{n + 1}"}
    broken.pages["/p5"] = {"items": [], "next": "p5"}
    assert [i.id for i in iter_items(broken.server.url + "/p0")] == ["0", "1", "2", "3", "4"]
    with pytest.raises(oc.FeedError, match="did not end within 3 pages"):
        list(iter_items(broken.server.url + "/p0", max_pages=3))


def test_a_bad_page_names_the_page_and_the_place(broken: BrokenFeed) -> None:
    broken.pages["/a"] = {"items": [item(1)], "next": "/b"}
    broken.pages["/b"] = b'{"items": [{"state": "updated"}], "next": "/c"}'
    walk = iter_items(broken.server.url + "/a")
    assert next(walk).id == "1"
    with pytest.raises(oc.FeedError) as info:
        next(walk)
    assert info.value.json_path == "$.items[0].kind"
    assert f"(page {broken.server.url}/b)" in str(info.value)
    broken.pages["/c"] = {"items": [item(1)], "next": "ftp://example.com/d"}
    with pytest.raises(oc.FeedError, match="next must be an http"):
        list(iter_items(broken.server.url + "/c"))


@pytest.mark.parametrize(
    ("url", "options", "error"),
    [
        ("example.com/feed", {}, ValueError),
        ("file:///etc/passwd", {}, ValueError),
        (b"http://127.0.0.1:1/", {}, TypeError),
        ("http://127.0.0.1:1/", {"max_pages": 0}, ValueError),
        ("http://127.0.0.1:1/", {"timeout": 0}, ValueError),
        ("http://127.0.0.1:1/", {"timeout": "5"}, TypeError),
        ("http://127.0.0.1:1/", {"retries": -1}, ValueError),
        ("http://127.0.0.1:1/", {"client": "http://127.0.0.1:1/"}, TypeError),
        ("http://127.0.0.1:1/", {"client": httpx.AsyncClient()}, TypeError),
        ("http://127.0.0.1:1/", {"transport": httpx.ASGITransport(app=Starlette())}, TypeError),
        ("http://127.0.0.1:1/", {"client": httpx.Client(), "transport": httpx.HTTPTransport()},
         TypeError),
    ],
)  # fmt: skip
def test_bad_walk_arguments_are_type_and_value_errors_at_the_call(
    url: str, options: dict[str, Any], error: type[Exception]
) -> None:
    with pytest.raises(error) as info:
        iter_items(url, **options)  # raised before the first item is asked for
    assert type(info.value) is error
    if "client" not in options and "transport" not in options:
        with pytest.raises(error):
            aiter_items(url, **options)


def test_aiter_items_wants_async_clients_and_transports() -> None:
    with pytest.raises(TypeError, match=r"client must be an httpx\.AsyncClient, not Client"):
        aiter_items("http://127.0.0.1:1/", client=httpx.Client())  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="AsyncBaseTransport, not HTTPTransport"):
        aiter_items("http://127.0.0.1:1/", transport=httpx.HTTPTransport())  # type: ignore[arg-type]
