"""The exceptions this library raises.

Callers branch on classes, never on message text::

    OpenActiveCheckoutError            base of everything raised here
    ├── ContextError                   a JSON-LD context that is not bundled (or is unusable)
    ├── DataError (also ValueError)    a document that cannot be read or written;
    │                                  ``.json_path`` names the place in the document
    │   └── FeedError                  an RPDE page that breaks the RPDE rules
    ├── UnknownFieldError              a model built in code with a keyword that names no
    │   (also TypeError, ValueError)   field; ``.field`` is the keyword, ``.suggestion``
    │                                  the closest field name
    ├── CheckoutHTTPError              an error status from a checkout (or feed) server
    │   └── UnavailableOpportunity     the server's 400 UnavailableOpportunityError
    ├── TransportError                 no usable HTTP answer: refused, timed out, broken,
    │                                  or over a limit
    └── MissingExtraError              an optional feature whose extra is not installed;
        (also ImportError)             ``.extra`` names it, the message says what to run
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the models import this module: only type checkers follow these
    from .vocab.imin import UnavailableOpportunityError
    from .vocab.openactive import OpenBookingError

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")

PathPart = str | int
"""One step of a path into a JSON document: an object key or an array index."""


def format_json_path(path: Sequence[PathPart]) -> str:
    """Render a path as JSONPath the way the OpenActive validator writes it.

    >>> format_json_path(("orderedItem", 0, "acceptedOffer"))
    '$.orderedItem[0].acceptedOffer'
    >>> format_json_path(("@id",))
    '$["@id"]'
    """
    parts = ["$"]
    for step in path:
        if isinstance(step, int):
            parts.append(f"[{step}]")
        elif _IDENTIFIER.fullmatch(step):
            parts.append(f".{step}")
        else:
            parts.append(f"[{json.dumps(step, ensure_ascii=False)}]")  # as JSON.stringify does
    return "".join(parts)


class OpenActiveCheckoutError(Exception):
    """Base class of every exception raised by openactive_checkout."""


class ContextError(OpenActiveCheckoutError):
    """A JSON-LD context could not be used: not bundled, or not a usable context.

    ``url`` is the context URL concerned (``None`` for an inline context); ``path`` the place
    in the document of the ``@context`` entry concerned, as a tuple (empty when unknown), and
    ``json_path`` the same rendered as JSONPath (``$["@context"][1]``).
    No network request is ever made to resolve a context unless the caller passed
    their own document loader.
    """

    def __init__(
        self, message: str, *, url: str | None = None, path: Sequence[PathPart] = ()
    ) -> None:
        self.url = url
        self.path: tuple[PathPart, ...] = tuple(path)
        self.json_path = format_json_path(self.path)
        self.reason = message
        super().__init__(f"{self.json_path}: {message}" if self.path else message)


class DataError(OpenActiveCheckoutError, ValueError):
    """A document (or a model) that cannot be read or written.

    ``path`` is the location of the problem as a tuple of keys and indexes, and
    ``json_path`` the same rendered as JSONPath (``$.orderedItem[0].acceptedOffer``).
    """

    def __init__(self, message: str, *, path: Sequence[PathPart] = ()) -> None:
        self.path: tuple[PathPart, ...] = tuple(path)
        self.json_path = format_json_path(self.path)
        self.reason = message
        super().__init__(f"{self.json_path}: {message}")


class UnknownFieldError(OpenActiveCheckoutError, TypeError, ValueError):
    """A model built in code (``Offer(prise=...)``) with a keyword that names none of its
    fields. A ``TypeError`` as Python's own unexpected-keyword error is, and a ``ValueError``
    as Pydantic's for a forbidden extra input is. ``field`` is the keyword; ``suggestion``
    the closest field name, if any. Extension properties are given explicitly
    (``extensions={"ext:foo": 1}``); documents read with ``loads`` keep every property."""

    def __init__(self, message: str, *, field: str | None = None, suggestion: str | None = None):
        super().__init__(message)
        self.field = field
        self.suggestion = suggestion


class FeedError(DataError):
    """An RPDE feed page that breaks the RPDE rules (missing ``items``/``next``, bad item)."""


class CheckoutHTTPError(OpenActiveCheckoutError):
    """A checkout server (or an RPDE feed server) answered with an error status.

    ``status_code`` is the HTTP status; ``error`` the parsed OpenBookingError model when
    the body was one, else ``None``; ``body`` the raw response text.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str = "",
        error: OpenBookingError | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.body = body
        self._error = error

    @property
    def error(self) -> OpenBookingError | None:
        """The answer's ``OpenBookingError`` model (or a subclass), or None when the body was
        not one."""
        return self._error


class TransportError(OpenActiveCheckoutError):
    """A request got no usable HTTP answer (connection refused, timeout, broken connection),
    after any retries; or a limit stopped it (its deadline passed, the answer was larger
    than allowed, the origin policy refused a URL). ``url`` is the URL requested, any
    userinfo in it shown as ``***``."""

    def __init__(self, message: str, *, url: str) -> None:
        super().__init__(message)
        self.url = url


class UnavailableOpportunity(CheckoutHTTPError):
    """The opportunity is not bookable through imin (400 ``UnavailableOpportunityError``).

    ``error`` is always the parsed ``UnavailableOpportunityError``, so
    ``exc.error.description`` needs no None check.
    """

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: str = "",
        error: UnavailableOpportunityError,
    ) -> None:
        super().__init__(message, status_code=status_code, body=body, error=error)
        self._unavailable = error

    @property
    def error(self) -> UnavailableOpportunityError:
        """The answer's ``UnavailableOpportunityError`` model."""
        return self._unavailable


class MissingExtraError(OpenActiveCheckoutError, ImportError):
    """A feature was used whose optional dependencies (an extra) are not installed.

    ``extra`` is the extra that brings them (``shacl``, ``mock``, ``oxigraph``) and ``name``
    the module that could not be imported; the message says what to run, e.g.
    ``pip install 'openactive-checkout[shacl]'``. The import failure is the ``__cause__``.
    """

    def __init__(self, message: str, *, extra: str, name: str) -> None:
        super().__init__(message, name=name)
        self.extra = extra
