"""The validation modes: the 24 of the OpenActive data models, and the imin checkout
profiles."""

from __future__ import annotations

from ..errors import OpenActiveCheckoutError
from ._imin import ERROR, REQUEST, RESPONSE
from ._spec import spec


class ValidationModeError(OpenActiveCheckoutError, ValueError):
    """An unknown validation mode or engine name."""


IMIN_MODES: tuple[str, ...] = (REQUEST, RESPONSE, ERROR)
"""imin Standalone Checkout: the ``POST /checkout-sessions`` body, its 201 response, and the
400 ``UnavailableOpportunityError`` body."""


def openactive_modes() -> tuple[str, ...]:
    """The OpenActive validation modes, in the data models' order."""
    return spec().modes


def all_modes() -> tuple[str, ...]:
    return (*openactive_modes(), *IMIN_MODES)


def profile_of(mode: str) -> str | None:
    """``"openactive"`` or ``"imin"`` for a known mode; None otherwise."""
    if mode in IMIN_MODES:
        return "imin"
    if mode in openactive_modes():
        return "openactive"
    return None
