"""The bundled SHACL shapes files (Turtle), by validation mode."""

from __future__ import annotations

from importlib import resources

from ._imin import IMIN_MODES_SET
from ._modes import ValidationModeError, profile_of


def _shape_text(name: str) -> str:
    return resources.files(__package__).joinpath("_data", "shapes", name).read_text("utf-8")


def shape_file_names(mode: str) -> list[str]:
    """The shapes files of ``mode``: common shapes, imin's for imin modes, the mode's."""
    names = ["common.ttl"]
    if mode in IMIN_MODES_SET:
        names.append("imin.ttl")
    names.append(f"modes/{mode}.ttl")
    return names


def shapes_turtle(mode: str) -> str:
    """The SHACL shapes of a validation mode as one Turtle document, for other RDF tools.

    The shapes check what class-targeted shapes can: required and forbidden properties (the
    mode's general rules), allowed values, ISO 8601 formats, currencies and ranges. Every
    property shape names the issue code it stands for (``oav:code``).
    """
    if profile_of(mode) is None:
        raise ValidationModeError(f"unknown validation mode {mode!r}")
    return "\n".join(_shape_text(name) for name in shape_file_names(mode))
