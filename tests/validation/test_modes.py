"""The validation modes: a Literal type, a tuple derived from it, and the requirement data
agree; an unknown mode is refused with the modes there are and the close match."""

from __future__ import annotations

import typing

import pytest

from openactive_checkout.validation import (
    IMIN_MODES,
    MODES,
    ValidationMode,
    ValidationModeError,
    is_mode,
    validate,
)
from openactive_checkout.validation._modes import all_modes, openactive_modes


def test_modes_are_the_literal_types_arguments() -> None:
    assert typing.get_args(ValidationMode) == MODES
    assert len(set(MODES)) == len(MODES) == 27


def test_the_literal_names_exactly_the_modes_of_the_requirement_data() -> None:
    # The data-models' own list (generated data), then imin's profiles: a new data-models
    # version with another mode fails here until ValidationMode names it.
    assert len(openactive_modes()) == 24
    assert all_modes() == MODES
    assert MODES[-3:] == IMIN_MODES


@pytest.mark.parametrize(
    ("mode", "suggestion"),
    [
        ("C1Requst", "C1Request"),
        ("rpdefeed", "RPDEFeed"),
        ("IminCheckoutReqest", "IminCheckoutRequest"),
        ("B Response", "BResponse"),
        ("nothing-like-it", None),
        (None, None),
    ],
)
def test_an_unknown_mode_names_the_modes_and_the_close_match(
    mode: object, suggestion: str | None
) -> None:
    with pytest.raises(ValidationModeError) as info:
        validate({}, mode=mode)  # type: ignore[arg-type]
    message = str(info.value)
    assert message.startswith(f"unknown validation mode {mode!r}")
    assert message.endswith("; the modes are " + ", ".join(MODES))
    if suggestion is None:
        assert "did you mean" not in message
    else:
        assert f"(did you mean {suggestion!r}?)" in message
    assert isinstance(info.value, ValueError)


def test_is_mode_narrows_a_string() -> None:
    assert all(is_mode(mode) for mode in MODES)
    assert not is_mode("c1request")
    assert not is_mode(None)
    name: str = "C1Request"
    if is_mode(name):
        assert validate({}, mode=name).mode == "C1Request"
