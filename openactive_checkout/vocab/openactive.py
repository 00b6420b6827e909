"""OpenActive models used by the checkout envelope (hand-written until generated)."""

from __future__ import annotations

from pydantic import Field

from ._base import JsonLdNode
from ._types import DateTime, Duration, Number


class Organization(JsonLdNode):
    """An organization (schema:Organization)."""

    type_term = "Organization"
    name: str | None = Field(default=None, alias="name")
    url: str | None = Field(default=None, alias="url")
    description: str | None = Field(default=None, alias="description")


class Person(JsonLdNode):
    """A person (schema:Person)."""

    type_term = "Person"
    name: str | None = Field(default=None, alias="name")
    given_name: str | None = Field(default=None, alias="givenName")
    family_name: str | None = Field(default=None, alias="familyName")
    email: str | None = Field(default=None, alias="email")
    url: str | None = Field(default=None, alias="url")


class Offer(JsonLdNode):
    """An offer (schema:Offer)."""

    type_term = "Offer"
    name: str | None = Field(default=None, alias="name")
    price: Number | None = Field(default=None, alias="price")
    price_currency: str | None = Field(default=None, alias="priceCurrency")
    url: str | None = Field(default=None, alias="url")


class Event(JsonLdNode):
    """An event (schema:Event)."""

    type_term = "Event"
    name: str | None = Field(default=None, alias="name")
    start_date: DateTime | None = Field(default=None, alias="startDate")
    end_date: DateTime | None = Field(default=None, alias="endDate")
    duration: Duration | None = Field(default=None, alias="duration")
    offers: list[Offer] = Field(default_factory=list, alias="offers")
    url: str | None = Field(default=None, alias="url")


class ScheduledSession(Event):
    """A scheduled session (oa:ScheduledSession)."""

    type_term = "ScheduledSession"


class Slot(Event):
    """A facility slot (oa:Slot)."""

    type_term = "Slot"


class OrderItem(JsonLdNode):
    """One item of an order (schema:OrderItem)."""

    type_term = "OrderItem"
    position: int | None = Field(default=None, alias="position")
    accepted_offer: Offer | str | None = Field(default=None, alias="acceptedOffer")
    ordered_item: Event | str | None = Field(default=None, alias="orderedItem")
    attendee: Person | str | None = Field(default=None, alias="attendee")


class OrderQuote(JsonLdNode):
    """An order quote (oa:OrderQuote)."""

    type_term = "OrderQuote"
    broker: Organization | Person | None = Field(default=None, alias="broker")
    seller: Organization | Person | str | None = Field(default=None, alias="seller")
    customer: Person | Organization | str | None = Field(default=None, alias="customer")
    ordered_item: list[OrderItem] = Field(default_factory=list, alias="orderedItem")


class OpenBookingError(JsonLdNode):
    """An Open Booking API error (oa:OpenBookingError)."""

    type_term = "OpenBookingError"
    name: str | None = Field(default=None, alias="name")
    description: str | None = Field(default=None, alias="description")
    status_code: int | None = Field(default=None, alias="statusCode")
