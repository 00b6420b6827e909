"""The validation modes: the 24 of the OpenActive data models, and the imin checkout
profiles.

:data:`ValidationMode` spells them out as a ``Literal`` type, so a type checker catches a
misspelt mode; :data:`MODES` is the same modes as a tuple, derived from it. A test checks
that they are exactly the modes of the pinned data models plus the imin profiles.
"""

from __future__ import annotations

import difflib
from typing import Literal, TypeGuard, get_args

from ..errors import OpenActiveCheckoutError
from ._imin import ERROR, REQUEST, RESPONSE
from ._spec import spec


class ValidationModeError(OpenActiveCheckoutError, ValueError):
    """An unknown validation mode, engine name or ``documents`` option."""


ValidationMode = Literal[
    "RPDEFeed",
    "BookableRPDEFeed",
    "DatasetSite",
    "DataCatalog",
    "C1Request",
    "C1Response",
    "C1ResponseOrderItemError",
    "C2Request",
    "C2Response",
    "C2ResponseOrderItemError",
    "PRequest",
    "PResponse",
    "PResponseOrderItemError",
    "OrderProposalPatch",
    "BRequest",
    "BOrderProposalRequest",
    "BResponse",
    "BResponseOrderItemError",
    "OrderPatch",
    "OrdersFeed",
    "OrderProposalsFeed",
    "OrderStatus",
    "OpenBookingError",
    "TestInterface",
    "IminCheckoutRequest",
    "IminCheckoutResponse",
    "IminCheckoutError",
]
"""A validation mode ``validate`` accepts: one of the OpenActive data models' 24 (in their
order), then the three imin Standalone Checkout profiles."""

MODES: tuple[ValidationMode, ...] = get_args(ValidationMode)
"""Every validation mode ``validate`` accepts, in the order of :data:`ValidationMode`."""

IMIN_MODES: tuple[ValidationMode, ...] = (REQUEST, RESPONSE, ERROR)
"""imin Standalone Checkout: the ``POST /checkout-sessions`` body, its 201 response, and the
400 ``UnavailableOpportunityError`` body."""


def openactive_modes() -> tuple[str, ...]:
    """The OpenActive validation modes, in the data models' order (from the data itself)."""
    return spec().modes


def all_modes() -> tuple[str, ...]:
    """The modes the requirement data defines: the data models', then imin's profiles.
    :data:`MODES` must equal this (a test says so)."""
    return (*openactive_modes(), *IMIN_MODES)


def is_mode(value: object) -> TypeGuard[ValidationMode]:
    """Whether ``value`` is a validation mode: narrows a string read at run time (from a
    file, a command line) to :data:`ValidationMode` for type checkers."""
    return isinstance(value, str) and value in MODES


def profile_of(mode: str) -> str | None:
    """``"openactive"`` or ``"imin"`` for a known mode; None otherwise."""
    if mode in IMIN_MODES:
        return "imin"
    if mode in MODES:
        return "openactive"
    return None


def unknown_mode_message(mode: object) -> str:
    """Why ``mode`` is refused: the close match when there is one, and the modes there are."""
    hint = ""
    if isinstance(mode, str):
        by_lower = {known.lower(): known for known in MODES}
        close = difflib.get_close_matches(mode.lower(), list(by_lower), n=1)
        if close:
            hint = f" (did you mean {by_lower[close[0]]!r}?)"
    return f"unknown validation mode {mode!r}{hint}; the modes are " + ", ".join(MODES)
