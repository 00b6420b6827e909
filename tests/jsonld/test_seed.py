"""The seed's three documents read and write back exactly."""

from __future__ import annotations

import json

import pytest

import openactive_checkout as oc
from openactive_checkout.jsonld._writer import document_context
from tests.conftest import SEED_FILES, seed_json, seed_text

OPPORTUNITY = "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003324"


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_round_trips_exactly(name: str) -> None:
    model = oc.loads(seed_text(name))
    # Same keys, same order, same values: the text with the page's own indentation.
    assert oc.dumps(model, indent=2) + "\n" == seed_text(name).replace(
        '["https://openactive.io/", "https://imin.co/"]',
        '[\n    "https://openactive.io/",\n    "https://imin.co/"\n  ]',
    )
    assert oc.to_jsonld(model) == seed_json(name)


@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_seed_reads_into_its_model(name: str) -> None:
    expected = {
        "request": oc.CheckoutSession,
        "response": oc.CheckoutSession,
        "error": oc.UnavailableOpportunityError,
    }[name]
    assert type(oc.loads(seed_text(name))) is expected


def test_for_opportunity_builds_the_seed_request() -> None:
    session = oc.CheckoutSession.for_opportunity(OPPORTUNITY)
    assert oc.to_jsonld(session) == seed_json("request")
    assert json.loads(oc.dumps(session)) == seed_json("request")
    assert session.checkout_url is None


def test_for_opportunity_with_another_type() -> None:
    session = oc.CheckoutSession.for_opportunity("https://example.com/slots/1", "Slot")
    item = session.to_jsonld()["imin:initialOrder"]["orderedItem"][0]["orderedItem"]
    assert item == {"type": "Slot", "id": "https://example.com/slots/1"}


def test_for_opportunity_rejects_a_type_that_is_not_an_opportunity() -> None:
    with pytest.raises(ValueError, match="not an opportunity type"):
        oc.CheckoutSession.for_opportunity("https://example.com/p/1", "Person")


def test_checkout_url_is_the_first_potential_action_target() -> None:
    session = oc.loads(seed_text("response"), model=oc.CheckoutSession)
    assert session.checkout_url == "https://checkout.example.com/opendata/BQokikJOvBiI2H"
    assert session.initial_order is not None
    assert session.initial_order.broker is not None
    assert session.initial_order.broker.name == "Example"
    ordered = session.initial_order.ordered_item[0].ordered_item
    assert isinstance(ordered, oc.ScheduledSession)
    assert ordered.id == OPPORTUNITY


def test_loads_with_model_checks_the_class() -> None:
    with pytest.raises(oc.DataError, match="expected a CheckoutSession document"):
        oc.loads(seed_text("error"), model=oc.CheckoutSession)


def test_the_error_document_keeps_the_imin_form() -> None:
    error = oc.UnavailableOpportunityError(description="This opportunity is not available to book.")
    assert oc.to_jsonld(error) == seed_json("error")


def test_openactive_only_documents_use_keyword_type_and_id() -> None:
    quote = oc.OrderQuote(
        ordered_item=[oc.OrderItem(position=0, ordered_item="https://example.com/sessions/1")]
    )
    assert oc.to_jsonld(quote) == {
        "@context": "https://openactive.io/",
        "@type": "OrderQuote",
        "orderedItem": [
            {"@type": "OrderItem", "position": 0, "orderedItem": "https://example.com/sessions/1"}
        ],
    }


def test_no_null_empty_string_or_empty_array_is_written() -> None:
    quote = oc.OrderQuote(broker=oc.Organization(name="", url=None), ordered_item=[])
    assert oc.to_jsonld(quote) == {
        "@context": "https://openactive.io/",
        "@type": "OrderQuote",
        "broker": {"@type": "Organization"},
    }


def test_models_compare_by_value() -> None:
    assert oc.loads(seed_text("request")) == oc.CheckoutSession.for_opportunity(OPPORTUNITY)


def test_fields_set_after_construction_or_filled_in_place_are_written() -> None:
    quote = oc.OrderQuote()
    quote.ordered_item.append(oc.OrderItem(position=0))
    quote.broker = oc.Organization(name="Late")
    out = oc.to_jsonld(quote)
    assert out["orderedItem"] == [{"@type": "OrderItem", "position": 0}]
    assert out["broker"] == {"@type": "Organization", "name": "Late"}
    assert list(out) == ["@context", "@type", "broker", "orderedItem"]


@pytest.mark.parametrize(
    "model",
    [
        oc.loads(seed_text("response")),
        oc.CheckoutSession.for_opportunity(OPPORTUNITY),
        oc.UnavailableOpportunityError(description="x"),
        oc.OrderQuote(**{"beta:formattedDescription": "<b>hi</b>"}),
        oc.OrderQuote(ordered_item=[oc.OrderItem(ordered_item="https://example.com/s/1")]),
    ],
    ids=["read", "for-opportunity", "error", "beta-extra", "openactive-only"],
)
def test_document_context_agrees_with_the_writer(model: oc.JsonLdNode) -> None:
    """The RDF builder asks document_context(); the writer works it out while writing."""
    assert document_context(model).value == oc.to_jsonld(model)["@context"]
