"""Questions users ask of checkout data, answered with SPARQL on a graph or an Oxigraph store."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from rdflib import Graph, URIRef
from rdflib.term import Node

from ..errors import DataError
from ..jsonld._base import model_context
from ..jsonld._context import is_absolute_iri
from ..jsonld._types import _DATETIME
from ._query import run_query
from ._terms import checked_iri

CHECKOUT_LINKS_QUERY = """\
SELECT ?session ?opportunity ?opportunityType ?url WHERE {
  ?session a imin:CheckoutSession ;
           imin:initialOrder/schema:orderedItem/schema:orderedItem ?opportunity ;
           schema:potentialAction ?action .
  ?action a schema:OrderAction ;
          schema:target ?url .
  OPTIONAL { ?opportunity a ?opportunityType }
}"""
"""Each opportunity of each checkout session with the session's checkout URL
(``potentialAction`` ``OrderAction`` ``target``)."""

SESSIONS_QUERY = """\
SELECT ?session ?type ?name ?start ?end WHERE {
  {restriction}
  ?session schema:startDate ?start .
  OPTIONAL { ?session a ?type }
  OPTIONAL { ?session schema:name ?name }
  OPTIONAL { ?session schema:endDate ?end }
}"""
"""Every node with a ``startDate``, with its types, name and ``endDate``; ``{restriction}``
is replaced by a ``VALUES`` restriction on the types when some are asked for (first: rdflib
joins a ``VALUES`` block in the middle of a pattern very slowly)."""


@dataclass(frozen=True)
class CheckoutLink:
    """An opportunity in a checkout session, and where its "Book" button goes."""

    opportunity: str
    """The opportunity's ``@id`` (or the URL written in its place)."""
    opportunity_types: tuple[str, ...]
    """Its type IRIs (``https://openactive.io/ScheduledSession``, ...)."""
    checkout_url: str
    """The session's ``potentialAction`` ``OrderAction`` ``target``."""
    session: str | None
    """The checkout session's ``@id``; None for a session without one."""


@dataclass(frozen=True)
class Session:
    """A node with a start date (a ScheduledSession, Slot, Event, ...)."""

    id: str | None
    types: tuple[str, ...]
    name: str | None
    start_date: datetime | None
    """The ``startDate``, parsed; None when it is not a date-time with a UTC offset."""
    start_text: str
    """The ``startDate`` as written."""
    end_date: datetime | None


def checkout_links(source: Graph | Any) -> list[CheckoutLink]:
    """Every opportunity in the checkout sessions of ``source`` with its checkout URL.

    ``source`` is an rdflib Graph or a pyoxigraph Store (see :data:`CHECKOUT_LINKS_QUERY`).
    Sorted by opportunity, then URL.
    """
    found: dict[tuple[str | None, str, str], list[str]] = {}
    for session, opportunity, kind, url in run_query(source, CHECKOUT_LINKS_QUERY).rows:
        key = (_id(session), _text(opportunity), _text(url))
        types = found.setdefault(key, [])
        if kind is not None and str(kind) not in types:
            types.append(str(kind))
    links = [
        CheckoutLink(opportunity=o, opportunity_types=tuple(sorted(t)), checkout_url=u, session=s)
        for (s, o, u), t in found.items()
    ]
    return sorted(links, key=lambda link: (link.opportunity, link.checkout_url, link.session or ""))


def sessions_by_start_date(
    source: Graph | Any,
    *,
    start: datetime | None = None,
    end: datetime | None = None,
    types: Iterable[str] | None = None,
) -> list[Session]:
    """The nodes of ``source`` that have a ``startDate``, earliest first.

    ``start`` and ``end`` (timezone-aware) keep those starting at or after ``start`` and
    before ``end``; nodes whose ``startDate`` is not a date-time then drop out (without a
    range they come last). ``types`` keeps nodes of those types: type terms
    (``"ScheduledSession"``, ``"imin:CheckoutSession"``) or IRIs.
    """
    for name, value in (("start", start), ("end", end)):
        if value is not None and (not isinstance(value, datetime) or value.utcoffset() is None):
            raise DataError(f"{name} must be a timezone-aware datetime, not {value!r}")
    restriction = ""
    if types is not None:
        iris = [_type_iri(t) for t in ([types] if isinstance(types, str) else types)]
        values = " ".join(URIRef(i).n3() for i in iris)
        restriction = f"VALUES ?kind {{ {values} }}\n  ?session a ?kind ."
    rows = run_query(source, SESSIONS_QUERY.replace("{restriction}", restriction)).rows
    grouped: dict[Node | None, dict[str, Any]] = {}
    for subject, kind, title, begins, finishes in rows:
        entry = grouped.setdefault(subject, {"types": [], "name": None, "start": None, "end": None})
        if kind is not None and str(kind) not in entry["types"]:
            entry["types"].append(str(kind))
        for slot, term in (("name", title), ("start", begins), ("end", finishes)):
            if term is not None and (entry[slot] is None or str(term) < entry[slot]):
                entry[slot] = str(term)  # several values: the first in text order, stably
    sessions = [
        Session(
            id=_id(subject),
            types=tuple(sorted(entry["types"])),
            name=entry["name"],
            start_date=_datetime(entry["start"]),
            start_text=entry["start"],
            end_date=_datetime(entry["end"]),
        )
        for subject, entry in grouped.items()
    ]
    if start is not None or end is not None:
        sessions = [
            s
            for s in sessions
            if s.start_date is not None
            and (start is None or s.start_date >= start)
            and (end is None or s.start_date < end)
        ]
    return sorted(sessions, key=_order)


def _order(session: Session) -> tuple[Any, ...]:
    if session.start_date is None:
        return (1, 0.0, session.start_text, session.id or "")
    return (0, session.start_date.timestamp(), session.start_text, session.id or "")


def _type_iri(term: str) -> str:
    if not isinstance(term, str):
        raise DataError(f"a type must be a string, not {type(term).__name__}")
    iri = model_context().expand_iri(term, vocab=True)
    if iri is None or iri.startswith(("@", "_:")) or not is_absolute_iri(iri):
        raise DataError(f"{term!r} is not a type term or IRI")
    return checked_iri(iri)


def _datetime(text: str | None) -> datetime | None:
    if text is None or not _DATETIME.match(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _id(term: Node | None) -> str | None:
    return str(term) if isinstance(term, URIRef) else None


def _text(term: Node | None) -> str:
    return "" if term is None else str(term)
