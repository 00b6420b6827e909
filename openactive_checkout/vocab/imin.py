"""The imin vocabulary (``https://imin.co/``), hand-written beside the generated OpenActive
models, plus the schema.org types imin documents use that OpenActive does not model.

imin documents are written with ``"@context": ["https://openactive.io/", "https://imin.co/"]``
and ``type``/``id`` keys, as imin's documentation shows.

What lives where:

* imin *classes* are here: the Standalone Checkout envelope (:class:`CheckoutSession`,
  :class:`OrderAction`, :class:`WebPage`), imin's price summary (:class:`IminAggregateOffer`
  holding schema.org :class:`AggregateOffer` prices), and imin's errors
  (:class:`UnavailableOpportunityError`, :class:`NotYetImplementedError`).
* imin *properties* of OpenActive types (``imin:fullAddress``, ``imin:locationSummary``,
  ``imin:aggregateOffer``, ``imin:checkoutUrlTemplate``, ``imin:isPotentiallyBookable``, ...)
  are fields of the generated classes in :mod:`openactive_checkout.vocab.openactive`, attached
  by ``scripts/generate_vocabulary.py`` from the tables in ``scripts/vocabulary_extensions.py``
  (generated code is never edited by hand).
* imin's status value ``imin:CustomerCancellationPending`` is a member of the generated
  :class:`~openactive_checkout.vocab.enums.OrderItemStatus`.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, ClassVar

from pydantic import BeforeValidator, Field

from ..jsonld._base import JsonLdNode
from ..jsonld._context import IMIN
from ..jsonld._types import Number
from ._enum_support import enum_validator
from .openactive import Event, Offer, OpenBookingError, OrderItem, OrderQuote

__all__ = [
    "AggregateOffer",
    "CheckoutSession",
    "IminAggregateOffer",
    "LinkType",
    "NotYetImplementedError",
    "OrderAction",
    "UnavailableOpportunityError",
    "WebPage",
]


class LinkType(StrEnum):
    """The kinds of ``imin:navigationLinks`` a checkout session may carry."""

    BackToBrokerLink = "https://imin.co/BackToBrokerLink"
    BackToBrokerUserProfileLink = "https://imin.co/BackToBrokerUserProfileLink"


LinkTypeValue = Annotated[LinkType, BeforeValidator(enum_validator(LinkType))]
"""A ``LinkType`` read from its IRI, ``imin:`` CURIE or name."""


class OrderAction(JsonLdNode):
    """An action that orders something (schema:OrderAction): imin's "Checkout" link."""

    type_term = "OrderAction"
    name: str | None = Field(default=None, validation_alias="name", serialization_alias="name")
    """The action's name (``"Checkout"``)."""
    target: str | None = Field(
        default=None, validation_alias="target", serialization_alias="target"
    )
    """The URL the consumer's "Book" button goes to."""


class WebPage(JsonLdNode):
    """A web page (schema:WebPage), as in ``imin:navigationLinks``."""

    type_term = "WebPage"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    name: str | None = Field(default=None, validation_alias="name", serialization_alias="name")
    """The link text."""
    url: str | None = Field(default=None, validation_alias="url", serialization_alias="url")
    """Where the link goes."""
    link_type: LinkTypeValue | str | None = Field(
        default=None, validation_alias="imin:linkType", serialization_alias="imin:linkType"
    )
    """A :class:`LinkType` (``https://imin.co/BackToBrokerLink`` or
    ``https://imin.co/BackToBrokerUserProfileLink``); other values are kept as text."""


class CheckoutSession(JsonLdNode):
    """An imin Standalone Checkout session (``imin:CheckoutSession``).

    The request a data consumer POSTs to ``/checkout-sessions``, and the 201 response that
    echoes it back with a ``broker`` and a ``potentialAction`` holding the checkout URL.
    """

    type_term = "imin:CheckoutSession"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    initial_order: OrderQuote | None = Field(
        default=None, validation_alias="imin:initialOrder", serialization_alias="imin:initialOrder"
    )
    """The order being checked out (``imin:initialOrder``)."""
    potential_action: list[OrderAction] = Field(
        default_factory=list,
        validation_alias="potentialAction",
        serialization_alias="potentialAction",
    )
    """The checkout actions of the response; the first one's ``target`` is the checkout URL."""
    navigation_links: list[WebPage] = Field(
        default_factory=list,
        validation_alias="imin:navigationLinks",
        serialization_alias="imin:navigationLinks",
    )
    """Links back to the broker shown by the checkout (``imin:navigationLinks``)."""

    @classmethod
    def for_opportunity(
        cls, opportunity_id: str, opportunity_type: str = "ScheduledSession"
    ) -> CheckoutSession:
        """The Standalone Checkout request for one opportunity from the open data.

        ``opportunity_type`` is the opportunity's type term (``ScheduledSession``, ``Slot``,
        ...); ``opportunity_id`` its ``@id`` in the open-data feed.
        """
        from ..jsonld._context import active_context
        from ..jsonld._nodes import choose_class

        iri = active_context("https://openactive.io/").expand_iri(opportunity_type, vocab=True)
        item_cls = choose_class((iri,) if iri else (), OrderItem.jsonld_spec().by_iri[
            "https://schema.org/orderedItem"])  # fmt: skip
        if not issubclass(item_cls, Event):
            raise ValueError(f"{opportunity_type!r} is not an opportunity type")
        opportunity = item_cls(id=opportunity_id)
        if iri is not None and item_cls.type_iri() != iri:
            opportunity.with_types(iri)
        return cls(initial_order=OrderQuote(ordered_item=[OrderItem(ordered_item=opportunity)]))

    @property
    def checkout_url(self) -> str | None:
        """``potentialAction[0].target``: where the "Book" button goes (None if absent)."""
        if self.potential_action:
            return self.potential_action[0].target
        return None


class AggregateOffer(Offer):
    """A summary of several offers (schema:AggregateOffer), as imin's prices use it.

    The OpenActive data models do not define this schema.org type; imin's search results
    carry it inside ``imin:aggregateOffer`` (``publicAdult``, ``publicJunior``, ...).
    """

    type_term = "AggregateOffer"
    low_price: Number | None = Field(
        default=None, validation_alias="lowPrice", serialization_alias="lowPrice"
    )
    """The lowest price of the offers (schema:lowPrice)."""
    high_price: Number | None = Field(
        default=None, validation_alias="highPrice", serialization_alias="highPrice"
    )
    """The highest price of the offers (schema:highPrice)."""
    offer_count: int | None = Field(
        default=None, validation_alias="offerCount", serialization_alias="offerCount"
    )
    """How many offers there are (schema:offerCount)."""


class IminAggregateOffer(AggregateOffer):
    """imin's price summary of an opportunity (``imin:AggregateOffer``).

    Found under ``imin:aggregateOffer`` of events and facility uses (a field of the generated
    classes, typed :class:`~openactive_checkout.vocab.openactive.Offer`, which this class
    extends). imin writes its members without a prefix, so under the published contexts
    ``publicAdult`` means ``https://schema.org/publicAdult`` (through ``@vocab``); the fields
    here use those keys, so documents round-trip unchanged.
    """

    type_term = "imin:AggregateOffer"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    public_adult: AggregateOffer | None = Field(
        default=None, validation_alias="publicAdult", serialization_alias="publicAdult"
    )
    """The price for an adult who is not a member."""
    public_junior: AggregateOffer | None = Field(
        default=None, validation_alias="publicJunior", serialization_alias="publicJunior"
    )
    """The price for a junior who is not a member."""
    active_entitlement: AggregateOffer | None = Field(
        default=None, validation_alias="activeEntitlement", serialization_alias="activeEntitlement"
    )
    """The price for the customer's active entitlement (membership, concession), when known.
    Inferred from imin's entitlement pricing documentation."""


class UnavailableOpportunityError(OpenBookingError):
    """imin's 400 answer when an opportunity cannot be booked through imin.

    Under the published contexts this type expands to
    ``https://schema.org/UnavailableOpportunityError``: it is neither an OpenActive 2.x term
    (OpenActive renamed it ``OpportunityOfferPairNotBookableError``) nor an imin one. It is an
    :class:`~openactive_checkout.vocab.openactive.OpenBookingError` here so that callers can
    handle every error answer alike.
    """

    type_term = "UnavailableOpportunityError"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    required_content: ClassVar[Mapping[str, object]] = {"statusCode": 400}
    """imin answers it with HTTP 400."""


class NotYetImplementedError(OpenBookingError):
    """imin's error for a request its platform does not support yet.

    Type ``imin:NotYetImplementedError``.

    The HTTP status imin uses is not documented, so no ``statusCode`` is fixed here.
    """

    type_term = "imin:NotYetImplementedError"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
