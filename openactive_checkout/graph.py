"""Models as RDF: a public face of :mod:`openactive_checkout.rdf` (kept for existing code)."""

from .rdf import (
    CHECKOUT_LINKS_QUERY,
    CORE_PREFIXES,
    FORMATS,
    PREFIXES,
    SESSIONS_QUERY,
    CheckoutLink,
    QueryResult,
    Session,
    checkout_links,
    from_graph,
    query,
    serialize,
    sessions_by_start_date,
    to_graph,
    to_oxigraph,
)

__all__ = [
    "CHECKOUT_LINKS_QUERY",
    "CORE_PREFIXES",
    "FORMATS",
    "PREFIXES",
    "SESSIONS_QUERY",
    "CheckoutLink",
    "QueryResult",
    "Session",
    "checkout_links",
    "from_graph",
    "query",
    "serialize",
    "sessions_by_start_date",
    "to_graph",
    "to_oxigraph",
]
