"""The published concept schemes, read from the copies bundled with the library."""

from __future__ import annotations

from functools import cache

from ..jsonld import published_document
from ..jsonld._context import bundled
from ._scheme import Scheme, load_scheme

ACTIVITY_LIST = "https://openactive.io/activity-list"
"""The OpenActive activity list's URL (its ``inScheme``)."""
FACILITY_TYPES = "https://openactive.io/facility-types"
"""The OpenActive facility types' URL."""
ACCESSIBILITY_SUPPORT = "https://openactive.io/accessibility-support"
"""The OpenActive accessibility support scheme's URL."""

_COLLECTIONS = "https://openactive.io/activity-list/collections/"


@cache
def _published(url: str) -> Scheme:
    collections = []
    if url == ACTIVITY_LIST:
        collections = [
            published_document(other)
            for other in sorted(bundled().documents)
            if other.startswith(_COLLECTIONS)
        ]
    return load_scheme(published_document(url), collections=collections)


def activity_list() -> Scheme:
    """The OpenActive activity list (768 concepts, with its collections), read on the first
    call and kept."""
    return _published(ACTIVITY_LIST)


def facility_types() -> Scheme:
    """The OpenActive facility types, read on the first call and kept."""
    return _published(FACILITY_TYPES)


def accessibility_support() -> Scheme:
    """The OpenActive accessibility support scheme, read on the first call and kept."""
    return _published(ACCESSIBILITY_SUPPORT)
