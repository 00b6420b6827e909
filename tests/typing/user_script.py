# pyright: strict
"""A user's script over the whole public API, checked by ``mypy --strict`` and
``pyright --strict`` (in .ci/run) and run as a program, offline (tests/typing/test_typecheck.py).

It is written as a user would, from the docs: no private names, no ``Any``, no casts and no
``type: ignore``; every type below is what the library's annotations (``py.typed``) give.
Models are made as the docs make them: keyword constructors with the field names
(``OrderQuote(ordered_item=[...])``, which pyright and mypy without the pydantic plugin take
as the constructors' parameters), ``loads``, Pydantic's ``model_validate`` and
``for_opportunity``. The name does not start with ``test_``: pytest does not collect it.
"""

# ruff: noqa: PT017, PT018  (a script, not a pytest test: plain asserts, checks in except)

from __future__ import annotations

import asyncio
import json
from datetime import UTC, datetime
from decimal import Decimal
from typing import assert_type

import httpx

import openactive_checkout as oc
from openactive_checkout import client as client_module
from openactive_checkout import graph, jsonld, rpde, testing, validation
from openactive_checkout.errors import PathPart, format_json_path
from openactive_checkout.validation import MODES, ValidationMode, is_mode
from openactive_checkout.vocab.enums import BrokerType

OPPORTUNITY = "https://opendata.example.com/api/scheduled-sessions/1"

SESSION_JSON = """{
  "@context": "https://openactive.io/",
  "@type": "ScheduledSession",
  "@id": "https://opendata.example.com/api/scheduled-sessions/1",
  "name": "Yoga",
  "startDate": "2024-11-18T18:00:00Z",
  "endDate": "2024-11-18T19:00:00Z"
}"""

FEED: dict[str, object] = {
    "items": [
        {"state": "deleted", "kind": "ScheduledSession", "id": "0", "modified": 1},
        {
            "state": "updated",
            "kind": "ScheduledSession",
            "id": "1",
            "modified": 2,
            "data": {
                "@context": "https://openactive.io/",
                "@type": "ScheduledSession",
                "@id": OPPORTUNITY,
                "startDate": "2024-11-18T18:00:00Z",
            },
        },
    ],
    "next": "https://opendata.example.com/api/feed?afterTimestamp=2&afterId=1",
}


def read_and_write() -> oc.ScheduledSession:
    """JSON-LD in and out, models, and the errors for bad documents."""
    session = oc.loads(SESSION_JSON, model=oc.ScheduledSession)
    assert_type(session, oc.ScheduledSession)
    node = oc.loads(SESSION_JSON)
    assert_type(node, oc.JsonLdNode)
    assert isinstance(node, oc.Event)
    start: datetime | None = session.start_date
    assert start is not None and start.tzinfo is not None
    name: str | None = session.name
    assert name == "Yoga"
    text: str = oc.dumps(session, indent=2)
    wire: dict[str, object] = oc.to_jsonld(session)
    assert wire["@id"] == OPPORTUNITY and jsonld.loads(text) == session
    assert jsonld.dumps(session) == oc.dumps(session) and jsonld.MAX_DEPTH > 10
    try:
        oc.loads('{"@context": "https://openactive.io/", "@type": "Event", "startDate": 5}')
    except oc.DataError as exc:
        where: str = exc.json_path
        path: tuple[PathPart, ...] = exc.path
        assert where == format_json_path(path) == "$.startDate"
    else:
        raise AssertionError("a number is not a date")
    try:
        oc.loads('{"@context": "https://example.com/unknown", "@type": "Event"}')
    except oc.ContextError as exc:
        url: str | None = exc.url
        assert url == "https://example.com/unknown"
    else:
        raise AssertionError("an unknown context is refused")
    other = oc.loads('{"@context": "https://openactive.io/", "@type": "ex:Thing"}')
    assert isinstance(other, oc.GenericNode | oc.JsonLdNode)
    return session


def more_models() -> None:
    """Every curated model class, built in code by field name, and Pydantic's API on them."""
    quote = oc.OrderQuote(
        ordered_item=[
            oc.OrderItem(position=0, ordered_item=oc.ScheduledSession(id=OPPORTUNITY)),
            oc.OrderItem(position=1, ordered_item=oc.Slot(id="https://x.test/slots/1")),
        ],
        broker=oc.Organization(name="Example", url="https://x.test"),
        customer=oc.Person(name="Ada", email="ada@x.test"),
        broker_role=BrokerType.AgentBroker,
    )
    assert isinstance(quote.ordered_item[0], oc.OrderItem)
    offer = oc.Offer(price=Decimal("5.00"), price_currency="GBP", extensions={"beta:x": 1})
    assert offer.extensions == {"beta:x": 1}
    session = oc.CheckoutSession(
        initial_order=quote,
        potential_action=[oc.OrderAction(name="Book", target="https://x.test/book")],
        navigation_links=[oc.WebPage(url="https://x.test/back", name="Back")],
    )
    assert session.checkout_url == "https://x.test/book"
    event = oc.Event(name="Yoga", start_date=datetime(2024, 11, 18, 18, tzinfo=UTC))
    error = oc.OpenBookingError(name="Nope", status_code=400, description="No")
    unavailable = oc.UnavailableOpportunityError(description="Full")
    generic = oc.GenericNode(id="https://x.test/things/1")
    for model in (offer, session, event, error, unavailable, generic):
        assert isinstance(model, oc.JsonLdNode)
    wire = session.model_dump(mode="json", by_alias=True)
    assert wire == json.loads(oc.dumps(session))
    again = oc.CheckoutSession.model_validate(wire)
    assert_type(again, oc.CheckoutSession)
    assert again == oc.CheckoutSession.model_validate_json(session.model_dump_json(by_alias=True))
    schema = oc.CheckoutSession.model_json_schema()
    assert schema["required"] == ["@context", "type"]
    request = oc.CheckoutSession.for_opportunity(OPPORTUNITY, "ScheduledSession")
    assert request.initial_order is not None and request.checkout_url is None


def validation_api(session: oc.ScheduledSession) -> None:
    """validate/validate_all, reports, issues, modes and their Literal type."""
    mode: ValidationMode = "RPDEFeed"
    report = oc.validate(session, mode=mode)
    assert_type(report, oc.ValidationReport)
    conforms: bool = report.conforms
    issues: list[oc.Issue] = list(report)
    for issue in issues:
        severity: oc.Severity = issue.severity
        assert isinstance(severity, oc.Severity) and issue.json_path.startswith("$")
    assert conforms == (not report.failures)
    reports = oc.validate_all([SESSION_JSON, b"{not json"], mode="C1Request")
    assert reports[1].failures[0].code == "invalid-json"
    for configured in ("IminCheckoutRequest", "rpdefeed"):  # as read from a settings file
        if is_mode(configured):
            assert validation.validate({}, mode=configured).mode == configured
        else:
            assert configured == "rpdefeed"
    assert "RPDEFeed" in MODES and set(validation.IMIN_MODES) <= set(MODES)
    try:
        oc.validate({}, engine="shacl" if len(MODES) < 0 else "native", mode="OrderPatch")
    except oc.ValidationModeError as exc:
        raise AssertionError("a known mode and engine") from exc
    code: validation.Code = validation.CODES["invalid-json"]
    assert code.severity is oc.Severity.FAILURE and validation.RULES
    assert "@prefix sh: <http://www.w3.org/ns/shacl#>" in validation.shapes_turtle("RPDEFeed")


def rdf_api(session: oc.ScheduledSession) -> None:
    """Models to RDF and back, the built-in questions, SPARQL and serialisation."""
    rdf = oc.to_graph(session)
    assert oc.from_graph(rdf) == session
    sessions: list[graph.Session] = oc.sessions_by_start_date(rdf)
    assert sessions[0].start_date == session.start_date
    links: list[graph.CheckoutLink] = oc.checkout_links(rdf)
    assert links == []
    assert not graph.query(rdf, graph.CHECKOUT_LINKS_QUERY).rows
    result = graph.query(rdf, "SELECT ?s WHERE { ?s schema:name ?name }")
    assert result.rows and "turtle" in graph.FORMATS
    assert "@prefix" in graph.serialize(rdf, "turtle") and graph.PREFIXES
    store = oc.to_oxigraph([session])
    assert graph.sessions_by_start_date(store)[0].id == OPPORTUNITY


def feed_api() -> list[oc.FeedItem]:
    """RPDE pages read from data, and a feed walked over an in-process mock."""
    page = rpde.read_page(FEED)
    assert_type(page, oc.FeedPage)
    assert not page.is_last and page.items[0].data is None
    mock = testing.MockCheckout(feed=FEED, page_size=1)
    items = list(rpde.iter_items(mock.feed_url, transport=mock.transport(), timeout=5.0))
    assert [item.id for item in items] == ["0", "1"]
    try:
        rpde.read_page({"items": []})
    except oc.FeedError as exc:
        assert exc.json_path == "$.next"
    else:
        raise AssertionError("a page needs a next URL")
    return items


def checkout_api() -> None:
    """The sync client over an in-process mock, its errors, and the caller's httpx client."""
    mock = testing.MockCheckout(bookable=[OPPORTUNITY], api_key="key")
    with oc.CheckoutClient(mock.url, api_key="key", transport=mock.transport()) as client:
        session = client.create_session(OPPORTUNITY)
        link: str | None = session.checkout_url
        assert link is not None
        created: oc.CreatedSession = client.post_session(session)
        assert created.location is not None
        assert client.get_session(created.location).checkout_url is not None
        try:
            client.create_session("https://opendata.example.com/api/scheduled-sessions/2")
        except oc.UnavailableOpportunity as exc:
            print("not bookable:", exc.error.description)  # the checkout guide's line
            status: int = exc.status_code
            assert status == 400 and exc.body
        else:
            raise AssertionError("not bookable")
    with httpx.Client(transport=mock.transport(), timeout=httpx.Timeout(5.0)) as http:
        shared = client_module.CheckoutClient(mock.url, api_key="wrong", http_client=http)
        try:
            shared.create_session(OPPORTUNITY)
        except oc.CheckoutHTTPError as exc:
            body: oc.OpenBookingError | None = exc.error
            assert exc.status_code == 401 and body is not None and body.name
        else:
            raise AssertionError("a wrong key is refused")
        shared.close()
        assert not http.is_closed
    with mock.client() as helper:
        assert helper.create_session(OPPORTUNITY).checkout_url
    mock.inject_failures(503, count=1)
    assert mock.sessions_created == 3
    try:
        oc.CheckoutClient(mock.url, timeout=-1)
    except ValueError as exc:
        assert "timeout" in str(exc)
    else:
        raise AssertionError("a negative timeout is refused")


async def async_api() -> None:
    """The asyncio client through httpx.ASGITransport, and the async feed walker."""
    mock = testing.MockCheckout(bookable=[OPPORTUNITY], feed=FEED)
    async with oc.AsyncCheckoutClient(
        mock.url, transport=mock.async_transport(), timeout=2, max_connections=4
    ) as client:
        sessions = await asyncio.gather(*(client.create_session(OPPORTUNITY) for _ in range(3)))
        assert all(s.checkout_url for s in sessions)
    async with mock.async_client() as helper:
        assert (await helper.create_session(OPPORTUNITY)).checkout_url
    walk = rpde.aiter_items(mock.feed_url, transport=httpx.ASGITransport(app=mock.app))
    items = [item async for item in walk]
    assert len(items) == 2
    try:
        async with oc.AsyncCheckoutClient("http://127.0.0.1:9", retries=0) as offline:
            await offline.create_session(OPPORTUNITY)
    except oc.TransportError as exc:
        assert exc.url.endswith("/checkout-sessions")
    else:
        raise AssertionError("nothing listens on port 9")


def socket_server() -> None:
    """The real mock server on loopback, for code that needs a URL."""
    with testing.MockCheckoutServer(bookable=[OPPORTUNITY]) as server:
        assert server.url.startswith("http://127.0.0.1:")
        with oc.CheckoutClient(server.url) as client:
            assert client.create_session(OPPORTUNITY).checkout_url
    state = testing.MockState(bookable=[OPPORTUNITY])
    with testing.BackgroundServer(testing.create_app(state)) as background:
        assert background.running
    feed = testing.MockFeed.load(FEED)
    assert feed.bookable_ids == {OPPORTUNITY}


def main() -> None:
    """Run every part: the script is real code, not only a type-checking exercise."""
    session = read_and_write()
    more_models()
    validation_api(session)
    rdf_api(session)
    feed_api()
    checkout_api()
    asyncio.run(async_api())
    socket_server()
    print("ok")


if __name__ == "__main__":
    main()
