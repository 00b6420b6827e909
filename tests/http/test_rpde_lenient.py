"""Lenient RPDE reading (issue 12 item 3): a bad item carries its problems, the page is read."""

from __future__ import annotations

import asyncio
import copy
import json
from typing import Any

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.rpde import (
    FeedItem,
    aiter_items,
    fetch_page,
    iter_items,
    iter_pages,
    read_page,
)
from tests.http.conftest import FEED_FILE

PAGE: dict[str, Any] = json.loads(FEED_FILE.read_text(encoding="utf-8"))
FEED = "https://feeds.example.org/sessions"


def bad_page() -> dict[str, Any]:
    """The feed's page with a price as text in item 4 and an unknown context in item 2."""
    page = copy.deepcopy(PAGE)
    page["items"][4]["data"]["offers"][0]["price"] = "5.00"
    page["items"][2]["data"]["@context"] = "https://example.com/private-context"
    return page


def test_strict_is_the_default_and_raises_for_the_page() -> None:
    with pytest.raises(oc.FeedError) as info:
        read_page(bad_page())
    assert info.value.json_path == '$.items[2].data["@context"]'


def test_a_lenient_page_yields_every_item_with_its_problems() -> None:
    page = bad_page()
    read = read_page(page, strict=False)
    assert len(read.items) == len(page["items"])
    clean = [item for index, item in enumerate(read.items) if index not in (2, 4)]
    assert all(item.problems == () and item.raw_data is None for item in clean)

    priced = read.items[4]
    assert priced.data is not None
    [problem] = priced.problems
    assert problem.json_path == "$.items[4].data.offers[0].price"
    assert problem.value == "5.00"
    # the value is kept verbatim: written back, the data says what the feed said
    assert oc.to_jsonld(priced.data)["offers"][0]["price"] == "5.00"

    unknown = read.items[2]
    assert unknown.data is None
    assert unknown.raw_data == page["items"][2]["data"]
    [problem] = unknown.problems
    assert problem.json_path == '$.items[2].data["@context"]'
    assert "https://example.com/private-context" in problem.message


def test_the_lenient_problem_is_worded_as_the_strict_error() -> None:
    page = copy.deepcopy(PAGE)
    page["items"][4]["data"]["offers"][0]["price"] = "5.00"
    with pytest.raises(oc.FeedError) as info:
        read_page(page)
    [problem] = read_page(page, strict=False).items[4].problems
    assert (problem.json_path, problem.message) == (info.value.json_path, info.value.reason)


def test_data_that_is_no_object_is_kept_raw_when_lenient() -> None:
    page = copy.deepcopy(PAGE)
    page["items"][1]["data"] = ["not", "an", "object"]
    with pytest.raises(oc.FeedError, match="data must be a JSON object"):
        read_page(page)
    item = read_page(page, strict=False).items[1]
    assert item.data is None
    assert item.raw_data == ["not", "an", "object"]
    assert [p.json_path for p in item.problems] == ["$.items[1].data"]


def test_the_envelope_is_checked_in_both_modes() -> None:
    page = copy.deepcopy(PAGE)
    del page["items"][0]["modified"]
    for strict in (True, False):
        with pytest.raises(oc.FeedError) as info:
            read_page(page, strict=strict)
        assert info.value.json_path == "$.items[0].modified"


def _feed_transport() -> httpx.MockTransport:
    last: dict[str, Any] = {
        "items": [],
        "next": f"{FEED}?afterId=end",
        "license": PAGE.get("license"),
    }

    def answer(request: httpx.Request) -> httpx.Response:
        body = last if "afterId=end" in str(request.url) else {**bad_page(), "next": last["next"]}
        return httpx.Response(200, json=body)

    return httpx.MockTransport(answer)


def test_walkers_go_on_past_a_bad_item_when_lenient() -> None:
    with pytest.raises(oc.FeedError):
        list(iter_items(FEED, transport=_feed_transport(), check_order=False))
    items = list(iter_items(FEED, transport=_feed_transport(), check_order=False, strict=False))
    assert len(items) == len(PAGE["items"])
    assert [i for i, item in enumerate(items) if item.problems] == [2, 4]
    pages = list(iter_pages(FEED, transport=_feed_transport(), check_order=False, strict=False))
    assert [len(p.items) for p in pages] == [len(PAGE["items"]), 0]
    page = fetch_page(FEED, transport=_feed_transport(), strict=False)
    assert [i for i, item in enumerate(page.items) if item.problems] == [2, 4]


def test_the_async_walker_is_lenient_too() -> None:
    async def walk() -> list[FeedItem]:
        transport = _feed_transport()
        return [
            item
            async for item in aiter_items(
                FEED, transport=transport, check_order=False, strict=False
            )
        ]

    items = asyncio.run(walk())
    assert [i for i, item in enumerate(items) if item.problems] == [2, 4]
