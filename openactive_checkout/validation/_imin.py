"""The imin checkout profiles: requirement data for imin's Standalone Checkout exchange.

imin is not in the OpenActive data models, so its requirements are written here, in the same
shape as the data-models' (``fields``, ``inSpec``, ``validationMode`` ->
``imperativeConfiguration``, ``...WithContext``), from imin's Standalone Checkout page (see
SPEC-NOTES §1):

- ``IminCheckoutRequest``: the ``POST /checkout-sessions`` body, an ``imin:CheckoutSession``
  whose ``imin:initialOrder`` is an ``OrderQuote`` with an **array** ``orderedItem`` of
  ``OrderItem``, each ``orderedItem`` an object with ``type`` and ``id`` (the opportunity);
- ``IminCheckoutResponse``: the 201 body, the request echoed back plus
  ``imin:initialOrder.broker`` (an ``Organization`` with ``name``) and ``potentialAction``, an
  **array** of ``OrderAction`` (``name``, ``target`` URL: the checkout page);
- ``IminCheckoutError``: the 400 body, an ``UnavailableOpportunityError`` (or another error).

imin writes ``type``/``id`` (the keyword aliases), which the OpenActive booking modes forbid;
the profiles accept them. The OpenActive models keep every other rule (types, formats, enums,
empty values...).
"""

from __future__ import annotations

import copy
from typing import Any, Final

IMIN_NAMESPACE = "https://imin.co/"
REQUEST: Final = "IminCheckoutRequest"
RESPONSE: Final = "IminCheckoutResponse"
ERROR: Final = "IminCheckoutError"
IMIN_MODES_SET = frozenset({REQUEST, RESPONSE, ERROR})

#: imin vocabulary terms (local names under https://imin.co/), accepted on any object.
IMIN_TERMS = frozenset(
    {
        "CheckoutSession",
        "initialOrder",
        "navigationLinks",
        "linkType",
        "checkoutUrlTemplate",
        "fullAddress",
        "locationSummary",
        "aggregateOffer",
        "AggregateOffer",
        "membershipRequired",
        "isPotentiallyBookable",
        "indicativePrice",
        "iminSearchId",
        "dataSource",
        "level",
        "aggregatedActivity",
        "presentAsSlots",
        "totalItems",
        "item",
        "RestrictedCollection",
        "receipt",
        "isPresentlyCancellable",
        "is13OrOver",
        "NotYetImplementedError",
        "CustomerCancellationPending",
    }
)

#: Opportunity types an ``OrderItem.orderedItem`` may be.
OPPORTUNITY_MODELS = (
    "Event",
    "ScheduledSession",
    "SessionSeries",
    "Slot",
    "FacilityUse",
    "IndividualFacilityUse",
    "CourseInstance",
    "HeadlineEvent",
    "OnDemandEvent",
    "EventSeries",
    "Course",
)

_TEXT = "https://schema.org/Text"
_URL = "https://schema.org/URL"
_INTEGER = "https://schema.org/Integer"


def _field(name: str, **data: Any) -> dict[str, Any]:
    return {"fieldName": name, **data}


#: imin's own models, by the type name written in documents.
IMIN_MODELS: dict[str, dict[str, Any]] = {
    "imin:CheckoutSession": {
        "type": "imin:CheckoutSession",
        "hasId": False,
        "baseSchemaClass": "https://schema.org/Thing",
        "requiredFields": ["type", "imin:initialOrder"],
        "inSpec": ["type", "id", "imin:initialOrder", "potentialAction", "imin:navigationLinks"],
        "validationMode": {REQUEST: "request", RESPONSE: "response"},
        "imperativeConfiguration": {
            "request": {"requiredFields": ["type", "imin:initialOrder"], "shallNotInclude": []},
            "response": {"requiredFields": ["type", "imin:initialOrder", "potentialAction"]},
        },
        "fields": {
            "type": _field("type", requiredType=_TEXT, requiredContent="imin:CheckoutSession"),
            "id": _field("id", requiredType=_URL),
            "imin:initialOrder": _field(
                "imin:initialOrder", sameAs="https://imin.co/initialOrder", model="#OrderQuote"
            ),
            "potentialAction": _field(
                "potentialAction",
                sameAs="https://schema.org/potentialAction",
                model="ArrayOf#OrderAction",
            ),
            "imin:navigationLinks": _field(
                "imin:navigationLinks",
                sameAs="https://imin.co/navigationLinks",
                model="ArrayOf#WebPage",
            ),
        },
    },
    "OrderAction": {
        "type": "OrderAction",
        "hasId": False,
        "baseSchemaClass": "https://schema.org/OrderAction",
        "requiredFields": ["type", "name", "target"],
        "inSpec": ["type", "name", "target"],
        "fields": {
            "type": _field("type", requiredType=_TEXT, requiredContent="OrderAction"),
            "name": _field("name", sameAs="https://schema.org/name", requiredType=_TEXT),
            "target": _field("target", sameAs="https://schema.org/target", requiredType=_URL),
        },
    },
    "WebPage": {
        "type": "WebPage",
        "hasId": False,
        "baseSchemaClass": "https://schema.org/WebPage",
        "requiredFields": ["type", "url"],
        "recommendedFields": ["name", "imin:linkType"],
        "inSpec": ["type", "name", "url", "imin:linkType"],
        "fields": {
            "type": _field("type", requiredType=_TEXT, requiredContent="WebPage"),
            "name": _field("name", sameAs="https://schema.org/name", requiredType=_TEXT),
            "url": _field("url", sameAs="https://schema.org/url", requiredType=_URL),
            "imin:linkType": _field(
                "imin:linkType",
                sameAs="https://imin.co/linkType",
                requiredType=_TEXT,
                options=[
                    "https://imin.co/BackToBrokerLink",
                    "https://imin.co/BackToBrokerUserProfileLink",
                ],
            ),
        },
    },
    "UnavailableOpportunityError": {
        "type": "UnavailableOpportunityError",
        "hasId": False,
        "subClassGraph": ["#OpenBookingError"],
        "baseSchemaClass": "https://schema.org/Thing",
        "requiredFields": ["type"],
        "recommendedFields": ["description"],
        "inSpec": ["type", "name", "description", "statusCode"],
        "fields": {
            "type": _field(
                "type", requiredType=_TEXT, requiredContent="UnavailableOpportunityError"
            ),
            "name": _field("name", sameAs="https://schema.org/name", requiredType=_TEXT),
            "description": _field(
                "description", sameAs="https://schema.org/description", requiredType=_TEXT
            ),
            "statusCode": _field(
                "statusCode", sameAs="https://openactive.io/statusCode", requiredType=_INTEGER
            ),
        },
    },
}
IMIN_MODELS["imin:NotYetImplementedError"] = {
    **copy.deepcopy(IMIN_MODELS["UnavailableOpportunityError"]),
    "type": "imin:NotYetImplementedError",
}
IMIN_MODELS["imin:NotYetImplementedError"]["fields"]["type"]["requiredContent"] = (
    "imin:NotYetImplementedError"
)

_BOTH = {REQUEST: "iminRequest", RESPONSE: "iminResponse"}
_REFERENCE = {"requiredFields": ["type", "id"], "recommendedFields": []}
_EMBEDDED = {"requiredFields": ["type"], "recommendedFields": []}

#: What the imin modes require of OpenActive models (merged into their data-models entry).
OVERLAY: dict[str, dict[str, Any]] = {
    "OrderQuote": {
        "validationMode": _BOTH,
        "imperativeConfiguration": {
            "iminRequest": {"requiredFields": ["type", "orderedItem"], "recommendedFields": []},
            "iminResponse": {
                "requiredFields": ["type", "broker", "orderedItem"],
                "recommendedFields": [],
            },
        },
    },
    "OrderItem": {
        "validationMode": _BOTH,
        "imperativeConfiguration": {
            name: {
                "requiredFields": ["type", "orderedItem"],
                "recommendedFields": [],
                "shallNotBeReferencedFields": ["orderedItem"],
            }
            for name in ("iminRequest", "iminResponse")
        },
    },
    "Organization": {
        "validationMode": _BOTH,
        "imperativeConfiguration": {
            name: {"requiredFields": ["type", "name"], "recommendedFields": ["url"]}
            for name in ("iminRequest", "iminResponse")
        },
    },
    "Person": {
        "validationMode": _BOTH,
        "imperativeConfiguration": {
            name: {
                "requiredFields": ["type"],
                "recommendedFields": ["givenName", "familyName", "email"],
            }
            for name in ("iminRequest", "iminResponse")
        },
    },
    "Offer": {
        "validationMode": _BOTH,
        "imperativeConfiguration": {"iminRequest": _EMBEDDED, "iminResponse": _EMBEDDED},
    },
    **{
        name: {
            "validationMode": _BOTH,
            "imperativeConfiguration": {"iminRequest": _EMBEDDED, "iminResponse": _EMBEDDED},
            "imperativeConfigurationWithContext": {
                "iminRequest": {"orderedItem": _REFERENCE},
                "iminResponse": {"orderedItem": _REFERENCE},
            },
        }
        for name in OPPORTUNITY_MODELS
    },
}

ROOT_TYPES = {
    REQUEST: ("imin:CheckoutSession",),
    RESPONSE: ("imin:CheckoutSession",),
}


def overlay(name: str, data: dict[str, Any]) -> dict[str, Any]:
    """An OpenActive model's data with the imin modes' requirements added."""
    extra = OVERLAY.get(name)
    if extra is None:
        return data
    merged = dict(data)
    for key, value in extra.items():
        merged[key] = {**data.get(key, {}), **value}
    return merged


def is_imin_term(key: str) -> bool:
    """``imin:term`` or ``https://imin.co/term`` for a term of the imin vocabulary."""
    for prefix in ("imin:", IMIN_NAMESPACE):
        if key.startswith(prefix):
            return key[len(prefix) :] in IMIN_TERMS
    return False
