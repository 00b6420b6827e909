"""Reading enumeration values: full IRIs, CURIEs or bare names, normalised to the member.

The reader keeps the text a member was read from (``jsonld._nodes.note_spellings``) and
writes it back: only the model's value is normalised, never the document's.

Hand-written beside the generated ``enums`` module, which builds each ``*Value`` annotation
with :func:`enum_validator`.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any

from pydantic_core import PydanticCustomError

_PREFIXES = {
    "oa:": "https://openactive.io/",
    "schema:": "https://schema.org/",
    "http://schema.org/": "https://schema.org/",
    "http://openactive.io/": "https://openactive.io/",
    "https://www.openactive.io/": "https://openactive.io/",
    "gr:": "http://purl.org/goodrelations/v1#",
    "beta:": "https://openactive.io/ns-beta#",
    "imin:": "https://imin.co/",
}
"""Spellings of a value's namespace that are read as the namespace itself."""


def enum_validator(enum: type[StrEnum]) -> Callable[[Any], Any]:
    """A before-validator turning an IRI, CURIE or bare name into a member of ``enum``."""
    by_text: dict[str, StrEnum] = {}
    for member in enum:
        by_text[member.value] = member
        by_text.setdefault(member.name, member)
    allowed = ", ".join(member.value for member in enum)

    def convert(value: Any) -> Any:
        if isinstance(value, enum) or not isinstance(value, str):
            return value
        text = value
        for prefix, namespace in _PREFIXES.items():
            if text.startswith(prefix):
                text = namespace + text[len(prefix) :]
                break
        member = by_text.get(text) or by_text.get(value)
        if member is None:
            raise PydanticCustomError(
                "enum_iri",
                "expected one of the {enum} values {allowed} (as an IRI, a CURIE or a name)",
                {"enum": enum.__name__, "allowed": allowed},
            )
        return member

    return convert
