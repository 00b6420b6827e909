"""One small document per code that produces it: the docs show them, the tests run them."""

from __future__ import annotations

import copy
from typing import Any

from ._modes import ValidationMode

CONTEXT = "https://openactive.io/"
NS_BETA = "https://openactive.io/ns-beta"
ACTIVITY_LIST = "https://openactive.io/activity-list"
YOGA_ID = "https://openactive.io/activity-list#bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e"
UNKNOWN_ID = "https://openactive.io/activity-list#00000000-0000-4000-8000-000000000000"

EXAMPLE_DOCUMENTS: dict[str, dict[str, Any]] = {
    "context-complex": {
        "https://example.com/ns": {
            "@context": ["https://example.com/base", {"ex": "https://example.com/ns#"}],
            "@graph": [],
        },
        "https://example.com/base": {"@context": [{"ex": "https://example.com/ns#"}], "@graph": []},
    },
}
"""The documents (URL -> JSON) an example is validated with, besides the published ones."""
EXAMPLE_DOCUMENTS["context-graph"] = EXAMPLE_DOCUMENTS["context-complex"]


def _activity(concept_id: str, label: str) -> dict[str, Any]:
    return {"@type": "Concept", "@id": concept_id, "inScheme": ACTIVITY_LIST, "prefLabel": label}


MISSING_KEY = object()


def _event(**changes: Any) -> dict[str, Any]:
    """A complete Event (without ``activity``)."""
    event: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": "https://example.com/events/1",
        "url": "https://example.com/events/1",
        "name": "Yoga",
        "startDate": "2024-05-01T10:00:00Z",
        "endDate": "2024-05-01T11:00:00Z",
        "duration": "PT1H",
        "location": {
            "@type": "Place",
            "name": "Hall",
            "address": {
                "@type": "PostalAddress",
                "streetAddress": "1 High Street",
                "addressLocality": "Town",
                "addressRegion": "County",
                "postalCode": "AB1 2CD",
                "addressCountry": "GB",
            },
            "geo": {"@type": "GeoCoordinates", "latitude": 51.501, "longitude": -0.142},
        },
        "organizer": {"@type": "Organization", "@id": "https://example.com/org", "name": "Org"},
        "offers": [
            {
                "@type": "Offer",
                "@id": "https://example.com/offers/1",
                "price": 5,
                "priceCurrency": "GBP",
            }
        ],
    }
    for key, value in changes.items():
        name = key.replace("__", ":").replace("_at_", "@")
        if value is MISSING_KEY:
            event.pop(name, None)
        else:
            event[name] = value
    return event


def _with(doc: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    target = doc
    for step in path[:-1]:
        target = target[step]
    if value is MISSING_KEY:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return doc


def _order_quote(**changes: Any) -> dict[str, Any]:
    quote: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "OrderQuote",
        "brokerRole": "https://openactive.io/AgentBroker",
        "broker": {"@type": "Organization", "name": "Broker"},
        "seller": "https://example.com/org",
        "orderedItem": [
            {
                "@type": "OrderItem",
                "position": 0,
                "acceptedOffer": "https://example.com/offers/1",
                "orderedItem": "https://example.com/sessions/1",
            }
        ],
    }
    quote.update(changes)
    return quote


def _series(**changes: Any) -> dict[str, Any]:
    series = _event(**changes)
    series["@type"] = "SessionSeries"
    return series


_PLACE_GEO = ("location", "geo")
_ADDRESS = ("location", "address")

EXAMPLES: dict[str, tuple[ValidationMode, Any]] = {
    "invalid-input": ("RPDEFeed", 42),
    "array-input": ("RPDEFeed", [_event()]),
    "rpde-feed": ("RPDEFeed", {"items": [], "next": "https://example.com/feed?afterId=1"}),
    "invalid-json": ("RPDEFeed", '{"@type": "Event",'),
    "type-missing": ("RPDEFeed", _event(_at_type=MISSING_KEY)),
    "type-not-recognised": ("RPDEFeed", _event(_at_type="ExtraThing")),
    "required-field-missing": ("RPDEFeed", _event(name=MISSING_KEY)),
    "online-event-has-location": (
        "RPDEFeed",
        _event(eventAttendanceMode="https://schema.org/OnlineEventAttendanceMode"),
    ),
    "required-option-missing": (
        "RPDEFeed",
        _with(_with(_event(), _ADDRESS, MISSING_KEY), _PLACE_GEO, MISSING_KEY),
    ),
    "field-not-allowed-in-mode": ("C1Request", _order_quote(identifier="abc")),
    "deprecated-field": (
        "BookableRPDEFeed",
        _with(_event(), ("offers", 0, "ageRange"), {"@type": "QuantitativeValue", "minValue": 5}),
    ),
    "deprecated-field-in-feed": (
        "RPDEFeed",
        _with(_event(), ("offers", 0, "ageRange"), {"@type": "QuantitativeValue", "minValue": 5}),
    ),
    "recommended-field-missing": ("RPDEFeed", _event()),
    "id-reference-required": (
        "C1Request",
        _with(_order_quote(), ("orderedItem", 0, "acceptedOffer"), {"@type": "Offer"}),
    ),
    "id-reference-not-permitted": (
        "C1Response",
        _order_quote(),
    ),
    "field-not-allowed": (
        "RPDEFeed",
        {**_series(), "@type": "ScheduledSession", "organizer": _event()["organizer"]},
    ),
    "context-not-loaded": (
        "RPDEFeed",
        _event(_at_context=[CONTEXT, "https://example.com/ns/context.jsonld"], colour="blue"),
    ),
    "context-complex": (
        "RPDEFeed",
        _event(_at_context=[CONTEXT, "https://example.com/ns"], ex__colour="blue"),
    ),
    "context-graph": (
        "RPDEFeed",
        _event(_at_context=[CONTEXT, "https://example.com/ns"], ex__colour="blue"),
    ),
    "beta-not-defined": (
        "RPDEFeed",
        _event(_at_context=[CONTEXT, NS_BETA], beta__isWheelchairAccessibel=True),
    ),
    "extension-not-defined": ("RPDEFeed", _event(ext__internalCode="X1")),
    "beta-not-in-domain": ("RPDEFeed", _event(_at_context=[CONTEXT, NS_BETA], beta__partySize=2)),
    "extension-not-in-domain": (
        "RPDEFeed",
        _event(_at_context=[CONTEXT, "https://imin.co/"], imin__membershipRequired=True),
    ),
    "extension-domain-unknown": (
        "RPDEFeed",
        _event(
            _at_context=[CONTEXT, NS_BETA],
            _at_type="EventSeries",
            beta__formattedDescription="<p>Yoga</p>",
        ),
    ),
    "superseded-property": (
        "BookableRPDEFeed",
        _event(
            _at_context=[CONTEXT, NS_BETA],
            _at_type="CourseInstance",
            beta__course="https://example.com/courses/1",
        ),
    ),
    "superseded-property-in-feed": (
        "RPDEFeed",
        _event(
            _at_context=[CONTEXT, NS_BETA],
            _at_type="CourseInstance",
            beta__course="https://example.com/courses/1",
        ),
    ),
    "field-typo": ("RPDEFeed", _event(offer=[])),
    "schema-org-field": ("RPDEFeed", _event(keywords="yoga")),
    "field-not-in-spec": ("RPDEFeed", _event(nmae="Yoga")),
    "value-object": ("RPDEFeed", _event(name={"@value": "Yoga"})),
    "invalid-type": ("RPDEFeed", _event(maximumAttendeeCapacity="twenty")),
    "empty-value": ("RPDEFeed", _event(description="")),
    "value-not-allowed": ("RPDEFeed", _event(eventStatus="EventScheduled")),
    "value-is-array": (
        "RPDEFeed",
        _event(eventStatus=["https://schema.org/EventScheduled"]),
    ),
    "wrong-fixed-value": (
        "OpenBookingError",
        {
            "@context": CONTEXT,
            "@type": "OpportunityIsFullError",
            "name": "Full",
            "statusCode": 400,
        },
    ),
    "too-few-decimals": ("RPDEFeed", _with(_event(), (*_PLACE_GEO, "latitude"), 51.5)),
    "too-many-decimals": ("RPDEFeed", _with(_event(), ("offers", 0, "price"), 5.005)),
    "type-id-alias": ("C1Request", {**_order_quote(), "type": "OrderQuote"}),
    "type-id-alias-in-feed": ("RPDEFeed", _event(id="https://example.com/events/1")),
    "prefixed-property": ("RPDEFeed", _event(schema__description="A class")),
    "namespaced-property": ("RPDEFeed", {**_event(), "https://schema.org/description": "A class"}),
    "prefixed-type": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "skos:Concept",
                    "@id": "https://openactive.io/activity-list#c07d63a0-8eb9-4602-8bcc-23be6deb8f83",
                    "inScheme": "https://openactive.io/activity-list",
                    "prefLabel": "Yoga",
                }
            ]
        ),
    ),
    "namespaced-type": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "http://www.w3.org/2004/02/skos/core#Concept",
                    "@id": "https://openactive.io/activity-list#c07d63a0-8eb9-4602-8bcc-23be6deb8f83",
                    "inScheme": "https://openactive.io/activity-list",
                    "prefLabel": "Yoga",
                }
            ]
        ),
    ),
    "context-missing": ("RPDEFeed", _event(_at_context=MISSING_KEY)),
    "context-not-root": (
        "RPDEFeed",
        _with(_event(), ("location", "@context"), CONTEXT),
    ),
    "context-openactive-first": ("RPDEFeed", _event(_at_context=["https://schema.org/", CONTEXT])),
    "context-not-url": ("RPDEFeed", _event(_at_context=[CONTEXT, {"ext": "https://ex.com/"}])),
    "context-dataset-site": (
        "DatasetSite",
        {"@context": CONTEXT, "@type": "Dataset", "name": "Data"},
    ),
    "context-data-catalog": (
        "DataCatalog",
        {"@context": CONTEXT, "@type": "DataCatalog", "name": "Catalog"},
    ),
    "value-constraint": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "10:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                    "idTemplate": "https://example.com/sessions/{startDate",
                }
            ]
        ),
    ),
    "below-minimum": ("RPDEFeed", _event(remainingAttendeeCapacity=-1)),
    "invalid-id": ("RPDEFeed", _event(_at_id="/events/1")),
    "invalid-duration": ("RPDEFeed", _event(duration="90 minutes")),
    "invalid-datetime": ("RPDEFeed", _event(startDate="2024-05-01T10:00:00.000Z")),
    "invalid-time": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "25:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                }
            ]
        ),
    ),
    "time-has-timezone": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "10:00Z",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                }
            ]
        ),
    ),
    "time-leading-zero": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "9:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                }
            ]
        ),
    ),
    "invalid-date": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-02-30",
                    "startTime": "10:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                }
            ]
        ),
    ),
    "invalid-currency": ("RPDEFeed", _with(_event(), ("offers", 0, "priceCurrency"), "XYZ")),
    "invalid-country": ("RPDEFeed", _with(_event(), (*_ADDRESS, "addressCountry"), "ZZ")),
    "country-uk": ("RPDEFeed", _with(_event(), (*_ADDRESS, "addressCountry"), "UK")),
    "invalid-latitude": ("RPDEFeed", _with(_event(), (*_PLACE_GEO, "latitude"), 95.001)),
    "invalid-longitude": ("RPDEFeed", _with(_event(), (*_PLACE_GEO, "longitude"), 200.001)),
    "invalid-byday": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "10:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "ScheduledSession",
                    "byDay": ["Monday"],
                }
            ]
        ),
    ),
    "start-after-end": ("RPDEFeed", _event(endDate="2024-04-01T11:00:00Z")),
    "duration-missing": ("RPDEFeed", _event(duration=MISSING_KEY)),
    "zero-duration": ("RPDEFeed", _event(duration="PT0S")),
    "min-above-max": (
        "RPDEFeed",
        _event(ageRange={"@type": "QuantitativeValue", "minValue": 18, "maxValue": 12}),
    ),
    "age-range-empty": ("RPDEFeed", _event(ageRange={"@type": "QuantitativeValue"})),
    "activity-list-outdated": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "Concept",
                    "@id": "https://openactive.io/activity-list#c07d63a0-8eb9-4602-8bcc-23be6deb8f83",
                    "inScheme": "https://www.openactive.io/activity-list/activity-list.jsonld",
                    "prefLabel": "Yoga",
                }
            ]
        ),
    ),
    "activity-list-unofficial": (
        "RPDEFeed",
        _event(activity=[{"@type": "Concept", "prefLabel": "Yoga"}]),
    ),
    "activity-list-unavailable": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "Concept",
                    "@id": "https://example.com/activities#yoga",
                    "inScheme": "https://example.com/activities",
                    "prefLabel": "Yoga",
                }
            ]
        ),
    ),
    "activity-not-in-list": ("RPDEFeed", _event(activity=[_activity(UNKNOWN_ID, "Sky Knitting")])),
    "activity-label-mismatch": ("RPDEFeed", _event(activity=[_activity(YOGA_ID, "Yoga class")])),
    "activity-id-mismatch": ("RPDEFeed", _event(activity=[_activity(UNKNOWN_ID, "Yoga")])),
    "free-offer-not-marked-free": ("RPDEFeed", _with(_event(), ("offers", 0, "price"), 0)),
    "address-trailing-comma": (
        "RPDEFeed",
        _with(_event(), (*_ADDRESS, "streetAddress"), "1 High Street,"),
    ),
    "address-not-structured": ("RPDEFeed", _with(_event(), ("location", "address"), "1 High St")),
    "html": ("RPDEFeed", _event(name="<b>Yoga</b>")),
    "html-in-description": ("RPDEFeed", _event(description="<p>A class</p>")),
    "concept-id-without-scheme": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "Concept",
                    "@id": "https://openactive.io/activity-list#c07d63a0-8eb9-4602-8bcc-23be6deb8f83",
                    "prefLabel": "Yoga",
                }
            ]
        ),
    ),
    "concept-redundant-property": (
        "RPDEFeed",
        _event(
            activity=[
                {
                    "@type": "Concept",
                    "@id": "https://openactive.io/activity-list#c07d63a0-8eb9-4602-8bcc-23be6deb8f83",
                    "inScheme": "https://openactive.io/activity-list",
                    "prefLabel": "Yoga",
                    "broader": "https://openactive.io/activity-list#6ca15167-51da-4d2d-8d9c-2d3d3c8d7f5e",
                }
            ]
        ),
    ),
    "openactive-url-not-https": ("RPDEFeed", _event(_at_context="http://openactive.io/")),
    "nested-thumbnail": (
        "RPDEFeed",
        _event(
            image=[
                {
                    "@type": "ImageObject",
                    "url": "https://example.com/a.jpg",
                    "thumbnail": [
                        {
                            "@type": "ImageObject",
                            "url": "https://example.com/b.jpg",
                            "thumbnail": [
                                {"@type": "ImageObject", "url": "https://example.com/c.jpg"}
                            ],
                        }
                    ],
                }
            ]
        ),
    ),
    "event-has-schedule-or-subevent": (
        "RPDEFeed",
        _event(subEvent=[{"@type": "Event", "startDate": "2024-05-01T10:00:00Z"}]),
    ),
    "schedule-or-subevent-missing": ("RPDEFeed", _series()),
    "scheduled-session-without-parent": (
        "RPDEFeed",
        {
            "@context": CONTEXT,
            "@type": "ScheduledSession",
            "@id": "https://example.com/sessions/1",
            "startDate": "2024-05-01T10:00:00Z",
            "endDate": "2024-05-01T11:00:00Z",
            "duration": "PT1H",
        },
    ),
    "schedule-type-not-scheduled-session": (
        "RPDEFeed",
        _series(
            eventSchedule=[
                {
                    "@type": "Schedule",
                    "repeatFrequency": "P1W",
                    "startDate": "2024-05-01",
                    "startTime": "10:00",
                    "scheduleTimezone": "Europe/London",
                    "scheduledEventType": "Event",
                }
            ]
        ),
    ),
    "currency-missing": ("RPDEFeed", _with(_event(), ("offers", 0, "priceCurrency"), MISSING_KEY)),
    "bookable-event-without-offer": (
        "RPDEFeed",
        _event(isAccessibleWithoutBooking=False, offers=[{"@type": "Offer", "price": 0}]),
    ),
    "prepayment-channel-missing": (
        "RPDEFeed",
        _with(
            _with(_event(), ("offers", 0, "prepayment"), "https://openactive.io/Required"),
            ("offers", 0, "availableChannel"),
            ["https://openactive.io/InPersonAtVenue"],
        ),
    ),
    "assumed-no-gender-restriction": ("RPDEFeed", _event()),
    "assumed-age-range": ("RPDEFeed", _event()),
    "assumed-event-status": ("RPDEFeed", _event()),
    "wrong-root-type": ("C1Request", {**_order_quote(), "@type": "Order"}),
    "error-type-too-generic": (
        "OpenBookingError",
        {"@context": CONTEXT, "@type": "OpenBookingError", "name": "Error", "statusCode": 500},
    ),
    "root-not-an-error": ("OpenBookingError", _event()),
}
"""A (mode, document) per code that produces it."""

_IMIN_REQUEST: dict[str, Any] = {
    "@context": [CONTEXT, "https://imin.co/"],
    "type": "imin:CheckoutSession",
    "imin:initialOrder": {
        "type": "OrderQuote",
        "orderedItem": [
            {
                "type": "OrderItem",
                "orderedItem": {"type": "ScheduledSession", "id": "https://example.com/sessions/1"},
            }
        ],
    },
}
EXAMPLES["imin-wrong-root-type"] = (
    "IminCheckoutRequest",
    {"@context": [CONTEXT, "https://imin.co/"], "type": "UnavailableOpportunityError"},
)
EXAMPLES["imin-context-missing"] = ("IminCheckoutRequest", {**_IMIN_REQUEST, "@context": CONTEXT})
