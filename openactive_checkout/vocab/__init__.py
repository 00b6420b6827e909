"""The models: OpenActive types and the imin vocabulary."""

from ._base import GenericNode, JsonLdNode
from .imin import CheckoutSession, OrderAction, UnavailableOpportunityError, WebPage
from .openactive import (
    Event,
    Offer,
    OpenBookingError,
    OrderItem,
    OrderQuote,
    Organization,
    Person,
    ScheduledSession,
    Slot,
)

__all__ = [
    "CheckoutSession",
    "Event",
    "GenericNode",
    "JsonLdNode",
    "Offer",
    "OpenBookingError",
    "OrderAction",
    "OrderItem",
    "OrderQuote",
    "Organization",
    "Person",
    "ScheduledSession",
    "Slot",
    "UnavailableOpportunityError",
    "WebPage",
]
