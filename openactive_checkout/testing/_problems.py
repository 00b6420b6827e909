"""What the mock server finds wrong with a ``POST /checkout-sessions`` body.

Reading problems (malformed JSON, a relative ``@id``, a value of the wrong kind) stop the
reader, so there is one of them at most; structural problems of a readable session are all
listed. Each problem is a JSONPath in the canonical compact keys
(``$["imin:initialOrder"].orderedItem[0].orderedItem.id``) and a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import ContextError, DataError, PathPart, format_json_path
from ..jsonld import loads
from ..jsonld._base import JsonLdNode
from ..jsonld._context import is_absolute_iri
from ..jsonld._reader import load_json
from ..vocab.imin import CheckoutSession
from ..vocab.openactive import OrderItem, OrderQuote

Path = tuple[PathPart, ...]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a request, and where."""

    path: Path
    message: str

    @property
    def json_path(self) -> str:
        """The path rendered as JSONPath."""
        return format_json_path(self.path)

    def __str__(self) -> str:
        return f"{self.json_path}: {self.message}"


@dataclass(frozen=True)
class Checked:
    """A request body judged: the session when it is usable, else the problems."""

    session: CheckoutSession | None
    problems: tuple[Problem, ...]
    opportunity_ids: tuple[str, ...] = ()


def check_request(body: bytes) -> Checked:
    """Read and judge a checkout session request body."""
    try:
        document = load_json(body)
    except DataError as exc:
        return Checked(None, (Problem(exc.path, exc.reason),))
    if not isinstance(document, dict):
        return Checked(None, (Problem((), "a checkout session must be a JSON object"),))
    problems: list[Problem] = []
    if "@context" not in document:
        problems.append(
            Problem(
                ("@context",),
                'missing: a checkout session is JSON-LD with "@context": '
                '["https://openactive.io/", "https://imin.co/"]',
            )
        )
    try:
        model = loads(document)
    except DataError as exc:
        return Checked(None, (*problems, Problem(exc.path, exc.reason)))
    except ContextError as exc:
        return Checked(None, (*problems, Problem(("@context",), str(exc))))
    if not isinstance(model, CheckoutSession):
        problems.append(
            Problem((_keys(model)[0],), f"expected imin:CheckoutSession, not {_type_name(model)}")
        )
        return Checked(None, tuple(problems))
    ids = _check_session(model, problems)
    if problems:
        return Checked(None, tuple(problems))
    return Checked(model, (), tuple(ids))


def _keys(node: JsonLdNode) -> tuple[str, str]:
    """(type key, id key) the document was written with."""
    context: Any = node._context
    return (getattr(context, "type_key", "@type"), getattr(context, "id_key", "@id"))


def _type_name(node: JsonLdNode) -> str:
    return ", ".join(node.types) if node.types else "an untyped node"


def _check_session(session: CheckoutSession, problems: list[Problem]) -> list[str]:
    type_key, id_key = _keys(session)
    order = session.initial_order
    where: Path = ("imin:initialOrder",)
    if order is None:
        problems.append(Problem(where, "missing: the OrderQuote naming what to book"))
        return []
    if order.types != (OrderQuote.type_iri(),):
        problems.append(Problem((*where, type_key), f"must be OrderQuote, not {_type_name(order)}"))
    if not order.ordered_item:
        problems.append(
            Problem((*where, "orderedItem"), "missing: an array of at least one OrderItem")
        )
        return []
    ids: list[str] = []
    for index, item in enumerate(order.ordered_item):
        at: Path = (*where, "orderedItem", index)
        if item.types != (OrderItem.type_iri(),):
            problems.append(Problem((*at, type_key), f"must be OrderItem, not {_type_name(item)}"))
        opportunity = item.ordered_item
        at = (*at, "orderedItem")
        if opportunity is None:
            problems.append(Problem(at, "missing: the opportunity to book, with its id"))
        elif isinstance(opportunity, str):
            if is_absolute_iri(opportunity):
                ids.append(opportunity)
            else:
                problems.append(Problem(at, f"must be the opportunity's URL, not {opportunity!r}"))
        else:
            if not opportunity.types:
                problems.append(
                    Problem((*at, type_key), "missing: the opportunity's type (ScheduledSession)")
                )
            if opportunity.id is None:
                problems.append(
                    Problem((*at, id_key), "missing: the opportunity's id from the open data")
                )
            elif not is_absolute_iri(opportunity.id):  # (a relative id reads, as JSON-LD says)
                problems.append(
                    Problem((*at, id_key), f"must be the opportunity's URL, not {opportunity.id!r}")
                )
            else:
                ids.append(opportunity.id)
    return ids
