"""Extras: the core never needs them, and each feature that does names the extra to install.

A missing package is simulated by ``sys.modules[name] = None``, which makes its import raise
ImportError as if it were not installed (tests/test_wheel.py checks a real core install).
"""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import tomllib
from collections.abc import Callable

import pytest

import openactive_checkout as oc
from openactive_checkout._optional import EXTRAS, require
from openactive_checkout.cli import run
from tests.conftest import EXAMPLES, ROOT, seed_json

RESPONSE = str(EXAMPLES / "checkout-session-response.json")
EXTRA_MODULES = sorted(module for _, modules in EXTRAS.values() for module in modules)


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _hide(monkeypatch: pytest.MonkeyPatch, module: str) -> None:
    """Make ``module`` and its submodules unimportable; forget the modules that imported it.

    (A submodule left in ``sys.modules`` would still import: it is found there first.)
    """
    monkeypatch.setitem(sys.modules, module, None)
    for name in list(sys.modules):
        if name.startswith((f"{module}.", "openactive_checkout.testing")):
            monkeypatch.delitem(sys.modules, name)


def _shacl() -> object:
    return oc.validate(seed_json("response"), mode="IminCheckoutResponse", engine="shacl")


def _mock() -> object:
    return importlib.import_module("openactive_checkout.testing")


def _oxigraph() -> object:
    return oc.to_oxigraph(oc.loads(seed_json("response")))


USES: list[tuple[str, str, Callable[[], object]]] = [
    ("shacl", "pyshacl", _shacl),
    ("mock", "starlette", _mock),
    ("mock", "uvicorn", _mock),
    ("oxigraph", "pyoxigraph", _oxigraph),
]


@pytest.mark.parametrize(("extra", "module", "use"), USES, ids=[u[1] for u in USES])
def test_a_feature_without_its_extra_names_the_extra(
    monkeypatch: pytest.MonkeyPatch, extra: str, module: str, use: Callable[[], object]
) -> None:
    _hide(monkeypatch, module)
    with pytest.raises(oc.MissingExtraError) as caught:
        use()
    error = caught.value
    assert isinstance(error, ImportError)
    assert isinstance(error, oc.OpenActiveCheckoutError)
    assert error.extra == extra
    assert error.name == module
    assert f"pip install 'openactive-checkout[{extra}]'" in str(error)
    assert isinstance(error.__cause__, ImportError)


# mock-server is given a feed that does not exist: were the extra's check gone, the command
# would stop at once on that (and fail this test) instead of serving until interrupted.
NO_FEED = str(ROOT / "examples" / "no-such-feed.json")
CLI_USES = [
    ("shacl", "pyshacl", ["validate", "--engine", "shacl", RESPONSE]),
    ("mock", "starlette", ["mock-server", "--port", "0", "--feed", NO_FEED]),
    ("mock", "uvicorn", ["mock-server", "--port", "0", "--feed", NO_FEED]),
    ("oxigraph", "pyoxigraph", ["convert", RESPONSE, "--to", "nt", "--backend", "oxigraph"]),
    ("oxigraph", "pyoxigraph", ["query", RESPONSE, "--sparql", "ASK {}", "--backend", "oxigraph"]),
]


@pytest.mark.parametrize(
    ("extra", "module", "argv"), CLI_USES, ids=[f"{a[0]}-{module}" for _, module, a in CLI_USES]
)
def test_the_cli_without_an_extra_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch, extra: str, module: str, argv: list[str]
) -> None:
    _hide(monkeypatch, module)
    code, out, err = cli(*argv)
    assert code == 2
    assert out == ""
    assert f"pip install 'openactive-checkout[{extra}]'" in err
    assert "Traceback" not in err


def test_the_core_runs_with_no_extra_importable() -> None:
    """Reading, writing, RDF, native validation and the core commands, every extra hidden."""
    code = f"""
import io, sys
for name in {EXTRA_MODULES!r}:
    sys.modules[name] = None
import openactive_checkout as oc
from openactive_checkout.cli import run

model = oc.loads(open({RESPONSE!r}, "rb").read())
assert oc.loads(oc.dumps(model)) == model
from openactive_checkout.graph import serialize
assert "CheckoutSession" in serialize(oc.to_graph(model), format="turtle")
assert oc.validate(model, mode="IminCheckoutResponse").issues == ()
for argv in (
    ["show", {RESPONSE!r}],
    ["validate", "--mode", "IminCheckoutResponse", {RESPONSE!r}],
    ["convert", {RESPONSE!r}, "--to", "turtle"],
    ["query", {RESPONSE!r}, "--sparql", "ASK {{ ?s ?p ?o }}"],
):
    out, err = io.StringIO(), io.StringIO()
    assert run(argv, out, err) == 0, (argv, err.getvalue())
    assert out.getvalue(), argv
"""
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_the_extras_table_matches_pyproject() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = project["optional-dependencies"]

    def names(requirements: list[str]) -> set[str]:
        return {r.split("[")[0].split(">")[0].split("=")[0].split("<")[0] for r in requirements}

    for extra, (_, modules) in EXTRAS.items():
        assert names(declared[extra]) == set(modules), extra
    assert declared["all"] == [f"openactive-checkout[{','.join(EXTRAS)}]"]
    assert "openactive-checkout[all]" in declared["dev"]
    assert not names(project["dependencies"]) & set(EXTRA_MODULES)


def test_require_refuses_a_module_its_extra_does_not_provide() -> None:
    with pytest.raises(ValueError, match="does not provide 'rdflib'"):
        require("rdflib", extra="shacl")
