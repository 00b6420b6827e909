"""The imin vocabulary (``https://imin.co/``), hand-written beside the generated OpenActive
models, plus the schema.org types imin documents use that OpenActive does not model.

imin documents are written with ``"@context": ["https://openactive.io/", "https://imin.co/"]``
and ``type``/``id`` keys, as imin's documentation shows.
"""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field

from .._context import IMIN
from ._base import JsonLdNode
from .openactive import Event, OrderItem, OrderQuote


class OrderAction(JsonLdNode):
    """An action that orders something (schema:OrderAction): imin's "Checkout" link."""

    type_term = "OrderAction"
    name: str | None = Field(default=None, alias="name")
    target: str | None = Field(default=None, alias="target")
    """The URL the consumer's "Book" button goes to."""


class WebPage(JsonLdNode):
    """A web page (schema:WebPage), as in ``imin:navigationLinks``."""

    type_term = "WebPage"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    name: str | None = Field(default=None, alias="name")
    url: str | None = Field(default=None, alias="url")
    link_type: str | None = Field(default=None, alias="imin:linkType")
    """``https://imin.co/BackToBrokerLink`` or ``https://imin.co/BackToBrokerUserProfileLink``."""


class CheckoutSession(JsonLdNode):
    """An imin Standalone Checkout session (``imin:CheckoutSession``).

    The request a data consumer POSTs to ``/checkout-sessions``, and the 201 response that
    echoes it back with a ``broker`` and a ``potentialAction`` holding the checkout URL.
    """

    type_term = "imin:CheckoutSession"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    initial_order: OrderQuote | None = Field(default=None, alias="imin:initialOrder")
    potential_action: list[OrderAction] = Field(default_factory=list, alias="potentialAction")
    navigation_links: list[WebPage] = Field(default_factory=list, alias="imin:navigationLinks")

    @classmethod
    def for_opportunity(
        cls, opportunity_id: str, opportunity_type: str = "ScheduledSession"
    ) -> CheckoutSession:
        """The Standalone Checkout request for one opportunity from the open data.

        ``opportunity_type`` is the opportunity's type term (``ScheduledSession``, ``Slot``,
        ...); ``opportunity_id`` its ``@id`` in the open-data feed.
        """
        from .._context import active_context
        from .._reader import choose_class

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


class UnavailableOpportunityError(JsonLdNode):
    """imin's 400 answer when an opportunity cannot be booked through imin.

    Under the published contexts this type expands to
    ``https://schema.org/UnavailableOpportunityError``: it is neither an OpenActive 2.x term
    (OpenActive renamed it ``OpportunityOfferPairNotBookableError``) nor an imin one.
    """

    type_term = "UnavailableOpportunityError"
    namespace_contexts: ClassVar[tuple[str, ...]] = (IMIN,)
    name: str | None = Field(default=None, alias="name")
    description: str | None = Field(default=None, alias="description")
