"""The generated vocabulary against the pinned data models, and how its fields read and write."""

from __future__ import annotations

import copy
import inspect
import json
import pickle
import subprocess
import sys
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import openactive_checkout as oc
from openactive_checkout import vocab
from openactive_checkout.jsonld._base import JsonLdNode, node_class_for, registered_classes
from openactive_checkout.vocab import beta, enums, imin, openactive
from tests.jsonld.graphs import same_graph

OA_CONTEXT = "https://openactive.io/"
BETA_CONTEXT = ["https://openactive.io/", "https://openactive.io/ns-beta"]
IMIN_CONTEXT = ["https://openactive.io/", "https://imin.co/"]
SESSION = "https://example.com/sessions/1"


def _models(data_models_dir: Path) -> dict[str, dict[str, Any]]:
    folder = data_models_dir / "versions" / "2.x" / "models"
    out = {}
    for path in sorted(folder.glob("*.json")):
        model = json.loads(path.read_text(encoding="utf-8"))
        out[model["type"]] = model
    return out


@pytest.fixture(scope="module")
def models(data_models_dir: Path) -> dict[str, dict[str, Any]]:
    return _models(data_models_dir)


def _round_trip(document: dict[str, Any]) -> JsonLdNode:
    """Read a document; assert it writes back identically and means the same."""
    model = oc.loads(json.dumps(document))
    written = oc.to_jsonld(model)
    assert written == document
    assert same_graph(document, written)
    return model


# -- the classes ------------------------------------------------------------------------------


def test_one_class_per_data_model_type(models: dict[str, dict[str, Any]]) -> None:
    assert len(models) == 120
    for name, model in models.items():
        cls = getattr(openactive, name)
        assert cls.__name__ == name
        assert cls.type_term == name
        assert node_class_for(cls.type_iri()) is cls, name
        if "derivedFrom" in model:
            assert cls.type_iri() == model["derivedFrom"]
        parent = model.get("subClassOf", "")
        expected_base = getattr(openactive, parent[1:]) if parent.startswith("#") else JsonLdNode
        assert cls.__bases__ == (expected_base,), name
    assert set(openactive.__all__) == set(models)


@pytest.mark.parametrize(
    ("term", "iri"),
    [
        ("OrderQuote", "https://openactive.io/OrderQuote"),
        ("OrderItem", "https://schema.org/OrderItem"),
        ("EventSeries", "https://pending.schema.org/EventSeries"),
        ("Concept", "http://www.w3.org/2004/02/skos/core#Concept"),
        ("ScheduledSession", "https://openactive.io/ScheduledSession"),
    ],
)
def test_type_terms_mean_the_right_iris(term: str, iri: str) -> None:
    assert getattr(openactive, term).type_iri() == iri


def test_every_field_means_the_models_iri(models: dict[str, dict[str, Any]]) -> None:
    for name, model in models.items():
        spec = getattr(openactive, name).jsonld_spec()
        for field_name, field in model["fields"].items():
            if field_name in ("type", "id"):
                continue
            if field_name == "license":
                # The context maps `license` to dcterms:license, the model's sameAs is
                # schema:license; the wire key wins (docs/vocabulary.md).
                assert spec.by_iri["http://purl.org/dc/terms/license"].alias == "license"
                continue
            found = spec.by_iri.get(field["sameAs"])
            assert found is not None, f"{name}.{field_name}"
            assert found.alias == field_name, f"{name}.{field_name}"


def _refs(field: dict[str, Any]) -> list[str]:
    refs = [field[k] for k in ("model", "requiredType") if k in field]
    return refs + field.get("alternativeModels", []) + field.get("alternativeTypes", [])


def test_field_shapes_follow_the_models(models: dict[str, dict[str, Any]]) -> None:
    """Arrays, nested model classes and URL references, field by field."""
    checked = 0
    for name, model in models.items():
        spec = getattr(openactive, name).jsonld_spec()
        for field_name, field in model["fields"].items():
            if field_name in ("type", "id", "license"):
                continue
            found = spec.by_iri[field["sameAs"]]
            refs = _refs(field)
            arrays = [r.startswith("ArrayOf") for r in refs]
            # `identifier` mixes single values and ArrayOf#PropertyValue: single-valued.
            assert found.is_list == all(arrays), f"{name}.{field_name}"
            kept = [r for r, a in zip(refs, arrays, strict=True) if a == found.is_list]
            wanted = {r.rsplit("#", 1)[1] for r in kept if "#" in r and r.split("#")[-1] in models}
            got = {c.__name__ for c in found.node_classes}
            assert got == wanted, f"{name}.{field_name}"
            texts = {"https://schema.org/Text", "https://schema.org/URL"}
            takes_text = any(r.removeprefix("ArrayOf#") in texts for r in kept)
            if field.get("allowReferencing") or takes_text:
                assert found.allows_string, f"{name}.{field_name}"
            checked += 1
    assert checked > 450


def test_untyped_nested_nodes_read_as_the_most_general_class() -> None:
    by_iri = openactive.OrderItem.jsonld_spec().by_iri
    assert by_iri["https://schema.org/orderedItem"].node_classes[0] is openactive.Event
    series = openactive.SessionSeries.jsonld_spec().by_iri["https://schema.org/subEvent"]
    assert series.node_classes == (openactive.ScheduledSession,)


def test_the_52_booking_error_classes_fix_their_status_code(
    models: dict[str, dict[str, Any]],
) -> None:
    errors = [
        cls
        for cls in vars(openactive).values()
        if isinstance(cls, type) and issubclass(cls, openactive.OpenBookingError)
    ]
    assert len(errors) == 52  # OpenBookingError and its 51 specific errors
    for cls in errors:
        if cls is openactive.OpenBookingError:
            continue
        expected = models[cls.__name__]["fields"]["statusCode"]["requiredContent"]
        assert cls.required_content["statusCode"] == expected
        assert 400 <= expected <= 503
    assert openactive.OpenBookingError.required_content == {}
    assert openactive.GoneError.default_content["statusCode"] == 410


def test_every_class_builds_and_every_field_is_optional() -> None:
    for iri, cls in sorted(registered_classes().items()):
        cls.jsonld_spec()
        document = oc.to_jsonld(cls())
        assert len(document) == 2, iri  # "@context" and the type, nothing else
        assert document.get("@type", document.get("type")) == cls.type_term, iri


def test_every_public_name_is_documented() -> None:
    for name in vocab.__all__:
        assert inspect.getdoc(getattr(vocab, name)), name
    for cls in registered_classes().values():
        assert cls.__doc__, cls.__name__


def test_vocab_exports_the_generated_names() -> None:
    assert set(openactive.__all__) | set(enums.__all__) | set(beta.__all__) <= set(vocab.__all__)
    assert {"CheckoutSession", "OrderAction", "WebPage", "UnavailableOpportunityError"} <= set(
        vocab.__all__
    )
    assert len(vocab.__all__) == len(set(vocab.__all__))


# -- enumerations -----------------------------------------------------------------------------


def test_the_13_enums_have_full_iri_values(data_models_dir: Path) -> None:
    spec = json.loads((data_models_dir / "versions/2.x/enums.json").read_text(encoding="utf-8"))
    assert len(spec) == 13
    for name, entry in spec.items():
        enum = getattr(enums, name)
        values = {m.value for m in enum if not m.value.startswith("https://imin.co/")}
        assert values == {entry["namespace"] + v for v in entry["values"]}


@pytest.mark.parametrize(
    "written", ["https://schema.org/EventCancelled", "schema:EventCancelled", "EventCancelled",
                "http://schema.org/EventCancelled"],
)  # fmt: skip
def test_enum_values_read_from_iri_curie_or_name(written: str) -> None:
    doc = {"@context": OA_CONTEXT, "@type": "Event", "eventStatus": written}
    event = oc.loads(doc, model=openactive.Event)
    assert event.event_status is enums.EventStatusType.EventCancelled
    assert oc.to_jsonld(event)["eventStatus"] == written  # a plain string: kept as read
    built = openactive.Event(event_status=enums.EventStatusType.EventCancelled)
    assert oc.to_jsonld(built)["eventStatus"] == "https://schema.org/EventCancelled"


def test_an_unknown_enum_value_is_a_data_error_naming_its_place() -> None:
    doc = {
        "@context": OA_CONTEXT,
        "@type": "Offer",
        "openBookingFlowRequirement": ["https://openactive.io/OpenBookingApproval", "Sometimes"],
    }
    with pytest.raises(oc.DataError) as info:
        oc.loads(doc)
    assert info.value.json_path == "$.openBookingFlowRequirement[1]"
    assert "OpenBookingFlowRequirement" in str(info.value)
    assert "'Sometimes'" in str(info.value)
    assert "{" not in info.value.reason  # the message template is filled in


def test_enum_or_text_keeps_other_text() -> None:
    person = oc.loads({"@context": OA_CONTEXT, "@type": "Person", "gender": "Nonbinary"})
    assert isinstance(person, openactive.Person)
    assert person.gender == "Nonbinary"
    assert not isinstance(person.gender, enums.GenderType)


# -- value types ------------------------------------------------------------------------------


def test_datetimes_are_written_without_fractional_seconds() -> None:
    start = datetime(2018, 10, 3, 20, 15, 0, 123456, tzinfo=timezone(timedelta(hours=1)))
    session = openactive.ScheduledSession(start_date=start, end_date=start.astimezone(UTC))
    written = oc.to_jsonld(session)
    assert written["startDate"] == "2018-10-03T20:15:00+01:00"
    assert written["endDate"] == "2018-10-03T19:15:00Z"


def test_a_datetime_without_offset_is_a_data_error() -> None:
    doc = {"@context": OA_CONTEXT, "@type": "ScheduledSession", "startDate": "2018-10-03T20:15"}
    with pytest.raises(oc.DataError) as info:
        oc.loads(doc)
    assert info.value.json_path == "$.startDate"


def test_dates_times_and_durations_keep_their_text() -> None:
    doc = {
        "@context": OA_CONTEXT,
        "@type": "PartialSchedule",
        "startDate": "2018-10-01",
        "startTime": "20:15",
        "duration": "PT2H40M0S",
        "byDay": ["https://schema.org/Monday", "MO"],
    }
    schedule = _round_trip(doc)
    assert isinstance(schedule, openactive.PartialSchedule)
    assert schedule.by_day == [enums.DayOfWeek.Monday, "MO"]


def test_copies_and_pickles_keep_the_text_of_dates_and_times() -> None:
    """Also: a model read from a document pickles (for multiprocessing pipelines) with the
    document's context, and is written back the same."""
    doc = {
        "@context": [OA_CONTEXT, {"ex": "https://example.com/ns#"}],
        "@type": "ScheduledSession",
        "startDate": "2018-10-03T20:15Z",
        "endDate": "2018-10-03T21:15:00.000+01:00",
        "ex:room": "Studio 2",
    }
    session = oc.loads(doc)
    written = oc.dumps(session)
    assert json.loads(written) == doc
    assert pickle.loads(pickle.dumps(session)).model_dump() == session.model_dump()
    assert oc.dumps(pickle.loads(pickle.dumps(session))) == written
    copies = [
        session.model_copy(deep=True),
        copy.deepcopy(session),
        pickle.loads(pickle.dumps(session)),
    ]
    for copied in copies:
        assert copied == session
        assert json.loads(oc.dumps(copied))["startDate"] == "2018-10-03T20:15Z"
        assert json.loads(oc.dumps(copied))["endDate"] == "2018-10-03T21:15:00.000+01:00"


def test_money_is_a_decimal_written_as_a_json_number() -> None:
    offer = openactive.Offer(price=Decimal("10.50"), price_currency="GBP")
    written = oc.to_jsonld(offer)
    assert written["price"] == 10.5
    assert isinstance(written["price"], float)
    assert json.loads(oc.dumps(openactive.Offer(price=Decimal(7))))["price"] == 7
    read = oc.loads({"@context": OA_CONTEXT, "@type": "Offer", "price": 0.1})
    assert isinstance(read, openactive.Offer)
    assert read.price == Decimal("0.1")


def test_integers_are_strict() -> None:
    doc = {"@context": OA_CONTEXT, "@type": "Event", "maximumAttendeeCapacity": "15"}
    with pytest.raises(oc.DataError) as info:
        oc.loads(doc)
    assert info.value.json_path == "$.maximumAttendeeCapacity"


# -- nested nodes -----------------------------------------------------------------------------


def _order_item(ordered_item: Any) -> dict[str, Any]:
    return {
        "@context": OA_CONTEXT,
        "@type": "OrderItem",
        "acceptedOffer": "https://example.com/offers/1",
        "orderedItem": ordered_item,
    }


@pytest.mark.parametrize(
    ("type_term", "cls"),
    [("ScheduledSession", openactive.ScheduledSession), ("Slot", openactive.Slot),
     ("CourseInstance", openactive.CourseInstance), ("Event", openactive.Event),
     ("HeadlineEvent", openactive.HeadlineEvent), ("OnDemandEvent", openactive.OnDemandEvent)],
)  # fmt: skip
def test_ordered_item_becomes_its_subclass(type_term: str, cls: type[JsonLdNode]) -> None:
    item = _round_trip(_order_item({"@type": type_term, "@id": SESSION}))
    assert isinstance(item, openactive.OrderItem)
    assert type(item.ordered_item) is cls
    assert item.accepted_offer == "https://example.com/offers/1"


def test_an_untyped_ordered_item_is_an_event_and_a_url_stays_a_url() -> None:
    item = oc.loads(_order_item({"@id": SESSION, "name": "Yoga"}), model=openactive.OrderItem)
    assert type(item.ordered_item) is openactive.Event
    assert item.ordered_item.types == ()
    reference = oc.loads(_order_item(SESSION), model=openactive.OrderItem)
    assert reference.ordered_item == SESSION


def test_a_node_of_the_wrong_class_is_a_data_error() -> None:
    with pytest.raises(oc.DataError) as info:
        oc.loads(_order_item({"@type": "Offer", "@id": SESSION}))
    assert info.value.json_path == "$.orderedItem"
    assert "Event" in str(info.value)


def test_errors_become_their_own_classes() -> None:
    item = _round_trip(
        {
            "@context": OA_CONTEXT,
            "@type": "OrderItem",
            "error": [
                {"@type": "OpportunityIsFullError", "name": "Full", "statusCode": 409},
                {"@type": "UnknownOfferError"},
            ],
        }
    )
    assert isinstance(item, openactive.OrderItem)
    assert [type(e) for e in item.error] == [
        openactive.OpportunityIsFullError,
        openactive.UnknownOfferError,
    ]
    error = oc.loads({"@context": OA_CONTEXT, "@type": "GoneError", "statusCode": 410})
    assert isinstance(error, openactive.OpenBookingError)
    assert error.status_code == error.required_content["statusCode"]


def test_unions_choose_by_type() -> None:
    event = _round_trip(
        {
            "@context": OA_CONTEXT,
            "@type": "SessionSeries",
            "organizer": {"@type": "Person", "name": "Ann"},
            "location": "https://example.com/places/1",
            "identifier": 1234,
        }
    )
    assert isinstance(event, openactive.SessionSeries)
    assert isinstance(event.organizer, openactive.Person)
    assert event.location == "https://example.com/places/1"
    assert event.identifier == 1234


# -- extensions -------------------------------------------------------------------------------


def test_beta_properties_are_fields_and_unknown_ones_are_kept() -> None:
    doc = {
        "@context": BETA_CONTEXT,
        "@type": "SessionSeries",
        "beta:isFirstSessionAccessibleForFree": True,
        "beta:participantSuppliedEquipment": "https://openactive.io/Optional",
        "beta:facilitySetting": "https://openactive.io/ns-beta#IndoorFacility",
        "beta:video": [{"@type": "VideoObject", "url": "https://video.example.com/1"}],
        "beta:somethingNew": {"@type": "Thing", "name": "kept"},
        "schema:audience": "Adults",
        "https://example.com/ns#flag": True,
    }
    series = _round_trip(doc)
    assert isinstance(series, openactive.SessionSeries)
    assert series.is_first_session_accessible_for_free is True
    assert series.participant_supplied_equipment is enums.RequiredStatusType.Optional
    assert series.facility_setting is enums.FacilitySettingType.IndoorFacility
    assert isinstance(series.video[0], openactive.VideoObject)
    assert set(series.model_extra or {}) == {
        "beta:somethingNew",
        "schema:audience",
        "https://example.com/ns#flag",
    }


def test_beta_classes_are_read() -> None:
    place = _round_trip(
        {
            "@context": BETA_CONTEXT,
            "@type": "Place",
            "amenityFeature": [{"@type": "beta:Cafe", "name": "Cafe", "value": True}],
        }
    )
    assert isinstance(place, openactive.Place)
    assert type(place.amenity_feature[0]) is beta.Cafe


def test_a_beta_field_set_in_code_brings_its_context() -> None:
    series = openactive.SessionSeries(is_wheelchair_accessible=True)
    written = oc.to_jsonld(series)
    assert written["@context"] == BETA_CONTEXT
    assert written["beta:isWheelchairAccessible"] is True


# -- imin -------------------------------------------------------------------------------------


def test_imin_search_result_terms() -> None:
    doc = {
        "@context": IMIN_CONTEXT,
        "type": "ScheduledSession",
        "id": SESSION,
        "imin:checkoutUrlTemplate": "https://checkout.example.com/{sessionId}",
        "imin:isPotentiallyBookable": True,
        "imin:aggregateOffer": {
            "type": "imin:AggregateOffer",
            "publicAdult": {
                "type": "AggregateOffer",
                "price": 2.35,
                "priceCurrency": "GBP",
                "imin:membershipRequired": False,
            },
        },
        "imin:locationSummary": [
            {
                "type": "Place",
                "name": "Neptune Centre",
                "address": {"type": "PostalAddress", "imin:fullAddress": "Neptune Centre, BS1"},
            }
        ],
    }
    session = _round_trip(doc)
    assert isinstance(session, openactive.ScheduledSession)
    assert session.checkout_url_template == "https://checkout.example.com/{sessionId}"
    assert session.is_potentially_bookable is True
    summary = session.aggregate_offer
    assert isinstance(summary, imin.IminAggregateOffer)
    assert summary.public_adult is not None
    assert summary.public_adult.price == Decimal("2.35")
    assert summary.public_adult.membership_required is False
    address = session.location_summary[0].address
    assert isinstance(address, openactive.PostalAddress)
    assert address.full_address == "Neptune Centre, BS1"


def test_imin_status_and_error_terms() -> None:
    item = oc.loads(
        {"@context": IMIN_CONTEXT, "type": "OrderItem",
         "orderItemStatus": "imin:CustomerCancellationPending"},
        model=openactive.OrderItem,
    )  # fmt: skip
    assert item.order_item_status is enums.OrderItemStatus.CustomerCancellationPending
    assert oc.to_jsonld(item)["orderItemStatus"] == "imin:CustomerCancellationPending"  # as read
    item.order_item_status = enums.OrderItemStatus.CustomerCancellationPending  # not a change
    assert oc.to_jsonld(item)["orderItemStatus"] == "imin:CustomerCancellationPending"
    error = _round_trip(
        {"@context": IMIN_CONTEXT, "type": "imin:NotYetImplementedError", "description": "Later"}
    )
    assert isinstance(error, imin.NotYetImplementedError)
    assert isinstance(error, openactive.OpenBookingError)
    unavailable = oc.loads(
        {"@context": IMIN_CONTEXT, "type": "UnavailableOpportunityError", "description": "No"}
    )
    assert isinstance(unavailable, openactive.OpenBookingError)
    assert unavailable.required_content == {"statusCode": 400}


def test_imin_checkout_ids_where_the_models_want_objects() -> None:
    """imin's authenticated and group checkout send a customer-account id and attendee ids."""
    quote = _round_trip(
        {
            "@context": IMIN_CONTEXT,
            "type": "OrderQuote",
            "customer": "https://checkout.example.com/customer-accounts/42",
            "orderedItem": [
                {"type": "OrderItem", "attendee": "https://checkout.example.com/attendees/1"}
            ],
        }
    )
    assert isinstance(quote, openactive.OrderQuote)
    assert quote.customer == "https://checkout.example.com/customer-accounts/42"
    assert quote.ordered_item[0].attendee == "https://checkout.example.com/attendees/1"


def test_navigation_link_types() -> None:
    page = imin.WebPage(link_type="imin:BackToBrokerLink", url="https://broker.example.com/")
    assert page.link_type is imin.LinkType.BackToBrokerLink
    other = imin.WebPage(link_type="https://imin.co/SomethingElse")
    assert other.link_type == "https://imin.co/SomethingElse"
    written = oc.to_jsonld(imin.CheckoutSession(navigation_links=[page]))
    assert written["imin:navigationLinks"][0]["imin:linkType"] == "https://imin.co/BackToBrokerLink"


def test_for_opportunity_builds_the_seed_request() -> None:
    expected = json.loads(Path("examples/checkout-session-request.json").read_text("utf-8"))
    session = imin.CheckoutSession.for_opportunity(
        "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003324"
    )
    assert oc.to_jsonld(session) == expected


# -- import cost ------------------------------------------------------------------------------


def test_importing_the_package_leaves_rdflib_pyld_and_pyshacl_alone() -> None:
    code = (
        "import sys, openactive_checkout\n"
        "print(sorted(m for m in ('rdflib', 'pyld', 'pyshacl') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
