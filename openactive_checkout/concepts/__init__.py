"""SKOS concept schemes: the OpenActive activity list, facility types and accessibility
support, as typed models with look-ups.

:func:`activity_list`, :func:`facility_types` and :func:`accessibility_support` return a
:class:`Scheme` read from the published document bundled with the library (on first call,
then kept; nothing is fetched); :func:`load_scheme` reads a caller's own scheme (a
publisher's activity list). A :class:`Scheme` finds a :class:`Concept` by id
(:meth:`Scheme.get`), by ``prefLabel`` or ``altLabel`` (:meth:`Scheme.find`,
case-insensitive), walks ``broader``/``narrower`` (:meth:`Scheme.ancestors`,
:meth:`Scheme.descendants`, :meth:`Scheme.is_a`) and lists the members of the activity
list's collections (:meth:`Scheme.collection`). ``Concept`` and ``ConceptScheme`` are the
vocabulary's models.

Owns the scheme index (``_scheme``) and the published schemes (``_published``).

May import: errors, jsonld, vocab.
"""

from __future__ import annotations

from ..vocab.openactive import Concept, ConceptScheme
from ._published import (
    ACCESSIBILITY_SUPPORT,
    ACTIVITY_LIST,
    FACILITY_TYPES,
    accessibility_support,
    activity_list,
    facility_types,
)
from ._scheme import Collection, Scheme, load_scheme

__all__ = [
    "ACCESSIBILITY_SUPPORT",
    "ACTIVITY_LIST",
    "FACILITY_TYPES",
    "Collection",
    "Concept",
    "ConceptScheme",
    "Scheme",
    "accessibility_support",
    "activity_list",
    "facility_types",
    "load_scheme",
]
