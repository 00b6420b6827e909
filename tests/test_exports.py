"""The public surface: a sorted __all__ of documented names, nothing private leaking."""

from __future__ import annotations

import importlib.metadata
import inspect
import subprocess
import sys

import pytest

import openactive_checkout as oc
from tests.conftest import ROOT


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
        "assert callable(oc.to_graph) and 'rdflib' not in sys.modules\n"
        "assert len(oc.to_graph(oc.CheckoutSession.for_opportunity('https://e.org/s/1')))\n"
        "assert 'rdflib' in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_the_command_line_and_the_rdf_package_start_without_rdflib() -> None:
    """rdflib loads when RDF is made, not with the CLI (show, validate) or rdf's names."""
    code = (
        "import io, sys\n"
        "from openactive_checkout.cli import run\n"
        "from openactive_checkout.rdf import PREFIXES, to_graph\n"
        "assert run(['show', 'examples/checkout-session-response.json'], io.StringIO(),\n"
        "           io.StringIO()) == 0\n"
        "assert run(['validate', 'examples/feed-scheduled-sessions.json'], io.StringIO(),\n"
        "           io.StringIO()) == 0\n"
        "assert 'rdflib' not in sys.modules, 'rdflib loaded'\n"
        "from openactive_checkout.rdf import FORMATS\n"
        "assert 'rdflib' in sys.modules and 'nt' in FORMATS\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_an_unknown_name_is_an_attribute_error() -> None:
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        oc.nope  # noqa: B018 - the attribute access is the test


def test_version_comes_from_the_package_metadata() -> None:
    from openactive_checkout import __version__

    assert __version__ == oc.__version__ == importlib.metadata.version("openactive-checkout")
    assert "__version__" in dir(oc)


def test_version_of_a_source_tree_never_installed(monkeypatch: pytest.MonkeyPatch) -> None:
    def not_installed(name: str) -> str:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "version", not_installed)
    # Not cached during the test; as before it afterwards (setitem records the prior state).
    monkeypatch.setitem(vars(oc), "__version__", "")
    monkeypatch.delitem(vars(oc), "__version__")
    assert oc.__version__ == "0+unknown"
    assert vars(oc)["__version__"] == "0+unknown"  # cached: read once
