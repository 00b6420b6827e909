"""The mock imin checkout server, driven with raw HTTP (httpx), in-process over loopback."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.testing import MockCheckoutServer
from openactive_checkout.testing._app import MAX_BODY
from tests.conftest import seed_json, seed_text
from tests.http.conftest import FEED_FILE, SEED_OPPORTUNITY

CONTEXT = ["https://openactive.io/", "https://imin.co/"]


@pytest.fixture(scope="module")
def server() -> Any:
    with MockCheckoutServer(bookable=[SEED_OPPORTUNITY], feed=FEED_FILE, page_size=2) as running:
        yield running


def post(server: MockCheckoutServer, body: str | bytes) -> httpx.Response:
    return httpx.post(
        f"{server.url}/checkout-sessions",
        content=body,
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        timeout=10,
    )


def problems(response: httpx.Response) -> list[str]:
    """The problem lines of an invalid-request answer (checked to be an OpenBookingError)."""
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["@context"] == "https://openactive.io/"
    assert body["@type"] == "OpenBookingError"
    assert body["statusCode"] == 400
    assert body["name"] == "Invalid checkout session request"
    error = oc.loads(response.content)
    assert isinstance(error, oc.OpenBookingError)
    first, *lines = body["description"].split("\n")
    count = len(lines)
    assert first == f"The request has {count} problem{'s' if count != 1 else ''}:"
    return lines


def test_the_seed_request_gets_exactly_the_seed_response(server: MockCheckoutServer) -> None:
    response = post(server, seed_text("request"))
    assert response.status_code == 201
    assert response.headers["content-type"] == "application/json"
    location = response.headers["location"]
    assert location.startswith("/checkout-sessions/")
    token = location.rsplit("/", 1)[1]
    assert len(token) >= 12
    expected = seed_json("response")
    expected["potentialAction"][0]["target"] = f"{server.url}/opendata/{token}"
    # Same keys in the same order, same arrays: the text of the seed's 201 body.
    assert response.text == json.dumps(expected, ensure_ascii=False, separators=(",", ":"))


def test_a_created_session_can_be_fetched_and_its_checkout_page_opened(
    server: MockCheckoutServer,
) -> None:
    created = post(server, seed_text("request"))
    fetched = httpx.get(server.url + created.headers["location"], timeout=10)
    assert fetched.status_code == 200
    assert fetched.json() == created.json()
    target = created.json()["potentialAction"][0]["target"]
    page = httpx.get(target, timeout=10)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert created.headers["location"].rsplit("/", 1)[1] in page.text


def test_tokens_are_unique(server: MockCheckoutServer) -> None:
    locations = {post(server, seed_text("request")).headers["location"] for _ in range(20)}
    assert len(locations) == 20


def test_an_unknown_opportunity_gets_the_seed_unavailable_error(
    server: MockCheckoutServer,
) -> None:
    body = seed_text("request").replace("310003324", "999")
    response = post(server, body)
    assert response.status_code == 400
    assert response.json() == seed_json("error")
    assert response.text == json.dumps(seed_json("error"), separators=(",", ":"))


def test_feed_opportunities_are_bookable_but_deleted_ones_are_not(
    server: MockCheckoutServer,
) -> None:
    session = oc.CheckoutSession.for_opportunity(
        "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003411"
    )
    assert post(server, oc.dumps(session)).status_code == 201
    # 310003101 is a deleted item of the feed: never bookable.
    gone = oc.CheckoutSession.for_opportunity(
        "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003101"
    )
    response = post(server, oc.dumps(gone))
    assert response.status_code == 400
    assert response.json()["type"] == "UnavailableOpportunityError"


def test_every_opportunity_of_a_group_booking_must_be_bookable(server: MockCheckoutServer) -> None:
    request = seed_json("request")
    items = request["imin:initialOrder"]["orderedItem"]
    items.append(json.loads(json.dumps(items[0])))
    assert post(server, json.dumps(request)).status_code == 201
    items[1]["orderedItem"]["id"] = "https://opendata.example.com/api/scheduled-sessions/1"
    assert post(server, json.dumps(request)).status_code == 400


def test_an_equivalent_encoding_is_accepted(server: MockCheckoutServer) -> None:
    """@type/@id keys, a CURIE-free full IRI type, one item instead of an array."""
    body = {
        "@context": ["https://imin.co/", "https://openactive.io/"],
        "@type": "https://imin.co/CheckoutSession",
        "imin:initialOrder": {
            "@type": "OrderQuote",
            "orderedItem": {
                "@type": "OrderItem",
                "orderedItem": {"@type": "ScheduledSession", "@id": SEED_OPPORTUNITY},
            },
        },
    }
    response = post(server, json.dumps(body))
    assert response.status_code == 201
    echoed = oc.loads(response.content, model=oc.CheckoutSession)
    assert echoed.checkout_url is not None
    assert echoed.checkout_url.startswith(server.url + "/opendata/")


def test_malformed_json_is_a_400_naming_the_place(server: MockCheckoutServer) -> None:
    lines = problems(post(server, b'{"@context": '))
    assert len(lines) == 1
    assert lines[0].startswith("$: malformed JSON at line 1 column")


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param([], ["$: a checkout session must be a JSON object"], id="not-an-object"),
        pytest.param(
            {"@context": CONTEXT, "type": "OrderQuote"},
            ["$.type: expected imin:CheckoutSession, not https://openactive.io/OrderQuote"],
            id="wrong-type",
        ),
        pytest.param(
            {"@context": CONTEXT, "type": "imin:CheckoutSession"},
            ['$["imin:initialOrder"]: missing: the OrderQuote naming what to book'],
            id="no-initial-order",
        ),
        pytest.param(
            {
                "@context": CONTEXT,
                "type": "imin:CheckoutSession",
                "imin:initialOrder": {"type": "OrderQuote"},
            },
            ['$["imin:initialOrder"].orderedItem: missing: an array of at least one OrderItem'],
            id="no-ordered-item",
        ),
        pytest.param(
            {
                "@context": CONTEXT,
                "type": "imin:CheckoutSession",
                "imin:initialOrder": {
                    "type": "https://example.org/Quote",
                    "orderedItem": [
                        {"type": "OrderItem"},
                        {"type": "OrderItem", "orderedItem": {"type": "ScheduledSession"}},
                        {"type": "OrderItem", "orderedItem": {"id": SEED_OPPORTUNITY}},
                        {"orderedItem": "not-a-url"},
                    ],
                },
            },
            [
                '$["imin:initialOrder"].type: must be OrderQuote, not https://example.org/Quote',
                '$["imin:initialOrder"].orderedItem[0].orderedItem: missing: the opportunity '
                "to book, with its id",
                '$["imin:initialOrder"].orderedItem[1].orderedItem.id: missing: the '
                "opportunity's id from the open data",
                '$["imin:initialOrder"].orderedItem[2].orderedItem.type: missing: the '
                "opportunity's type (ScheduledSession)",
                '$["imin:initialOrder"].orderedItem[3].type: must be OrderItem, not an untyped '
                "node",
                '$["imin:initialOrder"].orderedItem[3].orderedItem: must be the opportunity\'s '
                "URL, not 'not-a-url'",
            ],
            id="every-problem-listed",
        ),
        pytest.param(
            {"type": "imin:CheckoutSession"},
            [
                '$["@context"]: missing: a checkout session is JSON-LD with "@context": '
                '["https://openactive.io/", "https://imin.co/"]',
                "$.type: the key 'type' has no meaning under the document's @context",
            ],
            id="no-context",
        ),
        pytest.param(
            {
                "@context": CONTEXT,
                "type": "imin:CheckoutSession",
                "imin:initialOrder": {
                    "type": "OrderQuote",
                    "orderedItem": [
                        {
                            "type": "OrderItem",
                            "orderedItem": {"type": "ScheduledSession", "id": "/relative/1"},
                        }
                    ],
                },
            },
            [
                '$["imin:initialOrder"].orderedItem[0].orderedItem.id: must be the '
                "opportunity's URL, not '/relative/1'"
            ],
            id="relative-id",
        ),
        pytest.param(
            {"@context": ["https://example.com/unknown-context"], "type": "x"},
            [
                "$[\"@context\"]: the JSON-LD context 'https://example.com/unknown-context' is "
                "not bundled"
            ],
            id="unknown-context",
        ),
    ],
)
def test_an_invalid_session_is_a_400_listing_every_problem(
    server: MockCheckoutServer, body: Any, expected: list[str]
) -> None:
    lines = problems(post(server, json.dumps(body)))
    assert [line[: len(e)] for line, e in zip(lines, expected, strict=False)] == expected
    assert len(lines) == len(expected), lines


def test_an_oversized_body_is_refused(server: MockCheckoutServer) -> None:
    response = post(server, b" " * (MAX_BODY + 1))
    assert response.status_code == 413
    assert response.json()["statusCode"] == 413

    def chunks() -> Iterator[bytes]:  # no Content-Length: the server counts as it reads
        for _ in range(MAX_BODY // 65536 + 2):
            yield b" " * 65536

    streamed = httpx.post(f"{server.url}/checkout-sessions", content=chunks(), timeout=10)
    assert streamed.status_code == 413
    assert post(server, b" " * MAX_BODY).status_code == 400  # at the limit: read, then judged


def test_an_unknown_session_is_a_404_not_found_error(server: MockCheckoutServer) -> None:
    response = httpx.get(f"{server.url}/checkout-sessions/nope", timeout=10)
    assert response.status_code == 404
    error = oc.loads(response.content)
    assert isinstance(error, oc.OpenBookingError)
    assert error.types == ("https://openactive.io/NotFoundError",)
    assert httpx.get(f"{server.url}/opendata/nope", timeout=10).status_code == 404


def test_unknown_routes_and_methods_get_open_booking_errors(server: MockCheckoutServer) -> None:
    missing = httpx.get(f"{server.url}/nowhere", timeout=10)
    assert missing.status_code == 404
    assert missing.json()["@type"] == "UnknownOrIncorrectEndpointError"
    wrong = httpx.delete(f"{server.url}/checkout-sessions", timeout=10)
    assert wrong.status_code == 405
    assert wrong.json()["@type"] == "MethodNotAllowedError"


@pytest.mark.network
def test_the_api_key_is_enforced_when_configured() -> None:
    request = seed_text("request")
    with MockCheckoutServer(
        bookable=[SEED_OPPORTUNITY], api_key="s3cret", feed=FEED_FILE
    ) as server:
        url = f"{server.url}/checkout-sessions"
        missing = httpx.post(url, content=request, timeout=10)
        assert (missing.status_code, missing.json()["@type"]) == (403, "NoAPITokenError")
        wrong = httpx.post(url, content=request, headers={"X-API-KEY": "nope"}, timeout=10)
        assert (wrong.status_code, wrong.json()["@type"]) == (401, "InvalidAPITokenError")
        right = httpx.post(url, content=request, headers={"X-API-KEY": "s3cret"}, timeout=10)
        assert right.status_code == 201
        assert httpx.get(server.url + right.headers["location"], timeout=10).status_code == 403
        # The customer's browser and the open-data feed carry no key.
        target = right.json()["potentialAction"][0]["target"]
        assert httpx.get(target, timeout=10).status_code == 200
        assert httpx.get(server.feed_url, timeout=10).status_code == 200


def test_injected_failures_answer_with_retry_after(server: MockCheckoutServer) -> None:
    server.inject_failures(429, count=2, retry_after="7")
    for _ in range(2):
        response = post(server, seed_text("request"))
        assert response.status_code == 429
        assert response.headers["retry-after"] == "7"
        assert response.json()["@type"] == "TooManyRequestsError"
    assert post(server, seed_text("request")).status_code == 201


def test_the_feed_is_served_in_rpde_pages(server: MockCheckoutServer) -> None:
    url = server.feed_url
    pages = []
    for _ in range(10):
        page = httpx.get(url, timeout=10).json()
        pages.append(page)
        assert set(page) == {"next", "items", "license"}
        if not page["items"]:
            assert page["next"] == url  # the last page points to itself
            break
        url = page["next"]
    assert [len(p["items"]) for p in pages] == [2, 2, 2, 0]
    assert pages[0]["next"] == (f"{server.feed_url}?afterTimestamp=1730797200&afterId=310003324")
    served = [item for page in pages for item in page["items"]]
    original = json.loads(FEED_FILE.read_text(encoding="utf-8"))["items"]
    assert served == sorted(original, key=lambda i: (i["modified"], i["id"]))
    assert [i["state"] for i in served].count("deleted") == 2


def test_feed_paging_parameters_are_checked(server: MockCheckoutServer) -> None:
    for query in ("afterTimestamp=1", "afterTimestamp=x&afterId=1", "since=3"):
        response = httpx.get(f"{server.feed_url}?{query}", timeout=10)
        assert response.status_code == 400, query
        assert response.json()["@type"] == "OpenBookingError"


@pytest.mark.network
def test_a_feed_can_be_given_as_a_list_of_items() -> None:
    items = json.loads(FEED_FILE.read_text(encoding="utf-8"))["items"]
    with MockCheckoutServer(feed=list(reversed(items)), page_size=100) as server:
        page = httpx.get(server.feed_url, timeout=10).json()
        assert [i["id"] for i in page["items"]] == [i["id"] for i in items]
        assert server.state.bookable_ids() == {
            i["data"]["@id"] for i in items if i["state"] == "updated"
        }


def test_a_bad_feed_is_refused_with_its_path(tmp_path: Any) -> None:
    page = json.loads(FEED_FILE.read_text(encoding="utf-8"))
    page["items"][2]["data"]["startDate"] = "next tuesday"
    bad = tmp_path / "feed.json"
    bad.write_text(json.dumps(page), encoding="utf-8")
    with pytest.raises(oc.FeedError) as info:
        MockCheckoutServer(feed=bad)
    assert info.value.json_path == "$.items[2].data.startDate"
    items = page["items"][:2]
    items[1] = {**items[0]}
    with pytest.raises(oc.FeedError, match="share the same modified and id") as info:
        MockCheckoutServer(feed=items)
    assert info.value.json_path == "$[1].id"
    with pytest.raises(oc.FeedError, match="cannot read the feed file"):
        MockCheckoutServer(feed=tmp_path / "missing.json")
    mixed = [dict(page["items"][0]), dict(page["items"][3], modified="abc")]
    with pytest.raises(oc.FeedError, match="mix integers and strings") as info:
        MockCheckoutServer(feed=mixed)
    assert info.value.json_path == "$[1].modified"


def test_the_fixture_server_starts_empty(mock_checkout_server: MockCheckoutServer) -> None:
    response = post(mock_checkout_server, seed_text("request"))
    assert response.status_code == 400
    mock_checkout_server.add_bookable(SEED_OPPORTUNITY)
    assert post(mock_checkout_server, seed_text("request")).status_code == 201
    assert mock_checkout_server.sessions_created == 1


@pytest.mark.network
def test_a_stopped_server_has_no_url() -> None:
    server = MockCheckoutServer()
    with pytest.raises(oc.OpenActiveCheckoutError, match="not running"):
        _ = server.url
    with server:
        url = server.url
        with pytest.raises(oc.OpenActiveCheckoutError, match="already running"):
            server.start()
    with pytest.raises(httpx.ConnectError):
        httpx.get(url, timeout=5)
    server.stop()  # idempotent
