"""The public surface: a sorted __all__ of documented names, nothing private leaking."""

from __future__ import annotations

import inspect

import openactive_checkout as oc


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(oc) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(oc, name))}
    assert oc.__all__ == sorted(oc.__all__)
    assert set(oc.__all__) == public - modules


def test_every_public_name_is_documented() -> None:
    for name in oc.__all__:
        assert inspect.getdoc(getattr(oc, name)), f"{name} has no docstring"


def test_nothing_comes_from_a_private_module_under_a_private_name() -> None:
    for name in oc.__all__:
        assert not name.startswith("_")
