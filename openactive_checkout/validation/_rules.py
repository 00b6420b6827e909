"""Imports the rule modules in the order their rules run (and are documented)."""

from __future__ import annotations

import importlib

RULE_MODULES = (
    "_rules_document",
    "_rules_required",
    "_rules_fields",
    "_rules_context",
    "_rules_format",
    "_rules_quality",
    "_rules_notes",
    "_rules_booking",
    "_rules_imin",
)

for _name in RULE_MODULES:
    importlib.import_module(f"{__package__}.{_name}")
