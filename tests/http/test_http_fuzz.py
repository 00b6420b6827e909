"""Hostile input never escapes as anything but our own errors (Hypothesis)."""

from __future__ import annotations

import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openactive_checkout as oc
from openactive_checkout.http._client import _status_error
from openactive_checkout.rpde import read_page
from openactive_checkout.testing._problems import check_request

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])

KEYS = st.sampled_from(
    ["items", "next", "state", "kind", "id", "modified", "data", "@context", "@type", "@id",
     "type", "imin:initialOrder", "orderedItem", "startDate", "license", "x"]
)  # fmt: skip
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(
    max_size=20
) | st.sampled_from(
    ["https://openactive.io/", "https://imin.co/", "updated", "deleted", "ScheduledSession",
     "imin:CheckoutSession", "OrderQuote", "OrderItem", "https://example.com/1"]
)  # fmt: skip
JSON: st.SearchStrategy[Any] = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(KEYS, inner, max_size=6),
    max_leaves=25,
)


@SETTINGS
@given(JSON)
def test_read_page_raises_only_feed_errors(document: Any) -> None:
    try:
        page = read_page(json.dumps(document))
    except oc.FeedError as exc:
        where = exc.json_path
    else:
        assert isinstance(page.next, str)
        assert all(i.state in ("updated", "deleted") for i in page.items)
        return
    assert where.startswith("$")


@SETTINGS
@given(st.builds(lambda items: {"items": items, "next": "https://example.com/feed"},
                 st.lists(st.dictionaries(KEYS, JSON, max_size=6), max_size=4)))  # fmt: skip
def test_read_page_items_raise_only_feed_errors(document: Any) -> None:
    try:
        read_page(document)
    except oc.FeedError as exc:
        where = exc.json_path
    else:
        return
    assert where.startswith("$.items[")


@SETTINGS
@given(JSON | st.binary(max_size=40).map(lambda b: b.decode("latin-1")))
def test_the_mock_server_judges_any_body(document: Any) -> None:
    body = document.encode("utf-8") if isinstance(document, str) else json.dumps(document).encode()
    checked = check_request(body)
    assert (checked.session is None) == bool(checked.problems)
    assert all(str(p).startswith("$") for p in checked.problems)


@SETTINGS
@given(st.integers(400, 599), JSON)
def test_any_error_answer_becomes_a_checkout_http_error(status: int, document: Any) -> None:
    response = httpx.Response(status, content=json.dumps(document).encode())
    error = _status_error("POST", "http://127.0.0.1:1/checkout-sessions", response)
    assert isinstance(error, oc.CheckoutHTTPError)
    assert error.status_code == status
    assert error.error is None or isinstance(
        error.error, oc.OpenBookingError | oc.UnavailableOpportunityError
    )
