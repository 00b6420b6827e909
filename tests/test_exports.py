"""The public surface: a sorted __all__ of documented names, nothing private leaking."""

from __future__ import annotations

import inspect
import subprocess
import sys

import pytest

import openactive_checkout as oc


def test_all_is_sorted_and_complete() -> None:
    public = {name for name in dir(oc) if not name.startswith("_")}
    modules = {name for name in public if inspect.ismodule(getattr(oc, name))}
    assert oc.__all__ == sorted(oc.__all__)
    assert set(oc.__all__) == public - modules


def test_every_public_name_is_documented() -> None:
    for name in oc.__all__:
        assert inspect.getdoc(getattr(oc, name)), f"{name} has no docstring"


def test_heavy_modules_load_on_first_use() -> None:
    code = (
        "import sys, openactive_checkout as oc\n"
        "heavy = ('httpx', 'rdflib', 'pyld', 'pyshacl')\n"
        "assert not [m for m in heavy if m in sys.modules], sys.modules.keys()\n"
        "assert oc.CheckoutClient.__name__ == 'CheckoutClient'\n"
        "assert 'httpx' in sys.modules\n"
        "assert callable(oc.to_graph) and 'rdflib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        oc.nope  # noqa: B018 - the attribute access is the test
