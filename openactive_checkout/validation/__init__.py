"""Validation of OpenActive and imin checkout documents.

:func:`validate` gives a :class:`ValidationReport` of :class:`Issue` s for one document, with
the verdict the official OpenActive validator gives when run online, as its users run it: the
activity list and the extension namespace documents it would fetch are the published ones
bundled with the library (nothing is fetched); ``documents="none"`` gives its offline verdict,
and a caller may add their own documents (:class:`ValidationDocuments`). Rules are derived from the
pinned ``@openactive/data-models`` requirement data and registered in :data:`RULES` (every
code they report is in :data:`CODES`). :data:`ValidationMode` is the ``Literal`` type of the
modes :func:`validate` accepts, :data:`MODES` the same as a tuple, and :func:`is_mode` narrows
a string to it.

Owns the rule registry and rules (``_registry``, ``_rules*``), the engine and the document
view it walks (``_engine``, ``_node``), the requirement data derived from the pinned data
models (``_spec``, ``_data/``), the imin profiles (``_imin``), the SHACL shapes and their
pySHACL runner (``_shapes``, ``_shape_files``, ``_shacl``), streaming (``_stream``) and the
remote documents the rules read (``_remote``, ``_namespaces``).

May import: errors, jsonld, vocab.
"""

from __future__ import annotations

from . import _rules  # noqa: F401  (registers the rules, in order)
from ._api import validate, validate_all
from ._issues import Issue, Severity, ValidationReport
from ._modes import IMIN_MODES, MODES, ValidationMode, ValidationModeError, is_mode
from ._registry import CODES, RULES, Code, Rule
from ._remote import Documents, ValidationDocuments
from ._shape_files import shapes_turtle

__all__ = [
    "CODES",
    "IMIN_MODES",
    "MODES",
    "RULES",
    "Code",
    "Documents",
    "Issue",
    "Rule",
    "Severity",
    "ValidationDocuments",
    "ValidationMode",
    "ValidationModeError",
    "ValidationReport",
    "is_mode",
    "shapes_turtle",
    "validate",
    "validate_all",
]
