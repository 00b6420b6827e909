"""OpenActive and imin checkout data: typed models, exact JSON-LD, RDF and validation.

The models, reading and writing load with the package; the HTTP client (httpx), the RDF
functions (rdflib) and validation (its rule tables) load on first use, so
``import openactive_checkout`` stays fast (so does ``__version__``, read from the installed
package's metadata on first use). Every
OpenActive type is in :mod:`openactive_checkout.vocab`; the names here are the ones a
checkout integration uses most.
"""

import importlib as _importlib
from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from .errors import (
    CheckoutHTTPError,
    ContextError,
    DataError,
    FeedError,
    MissingExtraError,
    OpenActiveCheckoutError,
    TransportError,
    UnavailableOpportunity,
    UnknownFieldError,
)
from .jsonld import ReadProblem, dumps, loads, read_problems, to_jsonld
from .vocab import (
    CheckoutSession,
    Event,
    GenericNode,
    JsonLdNode,
    Offer,
    OpenBookingError,
    OrderAction,
    OrderItem,
    OrderQuote,
    Organization,
    Person,
    ScheduledSession,
    Slot,
    UnavailableOpportunityError,
    WebPage,
)

if _TYPE_CHECKING:
    __version__: str
    from .http import AsyncCheckoutClient, CheckoutClient, CreatedSession, FeedItem, FeedPage
    from .rdf import checkout_links, from_graph, sessions_by_start_date, to_graph, to_oxigraph
    from .validation import (
        Issue,
        Severity,
        ValidationModeError,
        ValidationReport,
        validate,
        validate_all,
    )

_LAZY = {
    "AsyncCheckoutClient": "http",
    "CheckoutClient": "http",
    "CreatedSession": "http",
    "FeedItem": "http",
    "FeedPage": "http",
    "Issue": "validation",
    "Severity": "validation",
    "ValidationModeError": "validation",
    "ValidationReport": "validation",
    "validate": "validation",
    "validate_all": "validation",
    "checkout_links": "rdf",
    "from_graph": "rdf",
    "sessions_by_start_date": "rdf",
    "to_graph": "rdf",
    "to_oxigraph": "rdf",
}

__all__ = [
    "AsyncCheckoutClient",
    "CheckoutClient",
    "CheckoutHTTPError",
    "CheckoutSession",
    "ContextError",
    "CreatedSession",
    "DataError",
    "Event",
    "FeedError",
    "FeedItem",
    "FeedPage",
    "GenericNode",
    "Issue",
    "JsonLdNode",
    "MissingExtraError",
    "Offer",
    "OpenActiveCheckoutError",
    "OpenBookingError",
    "OrderAction",
    "OrderItem",
    "OrderQuote",
    "Organization",
    "Person",
    "ReadProblem",
    "ScheduledSession",
    "Severity",
    "Slot",
    "TransportError",
    "UnavailableOpportunity",
    "UnavailableOpportunityError",
    "UnknownFieldError",
    "ValidationModeError",
    "ValidationReport",
    "WebPage",
    "checkout_links",
    "dumps",
    "from_graph",
    "loads",
    "read_problems",
    "sessions_by_start_date",
    "to_graph",
    "to_jsonld",
    "to_oxigraph",
    "validate",
    "validate_all",
]


def __getattr__(name: str) -> _Any:
    """Load the HTTP client, feed reader, RDF and validation functions on first use."""
    if name == "__version__":
        from ._version import installed_version

        globals()[name] = version = installed_version()
        return version
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(_importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_LAZY) | {"__version__"})
