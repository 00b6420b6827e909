"""The wheel as a new user gets it: built, installed alone in a fresh venv, run offline.

The wheel is built without the package index (``--no-build-isolation``: hatchling is a dev
dependency) and installed with ``pip install --no-index`` from a wheelhouse holding exactly
the distributions its core requirements pull in, packed back from this environment
(``tests/wheelhouse.py``): the venv gets the core and nothing else, as ``pip install`` from
the index gives it, with no network at all. Marked ``wheel`` (about 15 seconds).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from email.parser import Parser
from pathlib import Path

import pytest

from openactive_checkout._optional import EXTRAS
from tests.conftest import EXAMPLES, ROOT
from tests.wheelhouse import closure, repack

pytestmark = pytest.mark.wheel

EXTRA_MODULES = sorted(module for _, modules in EXTRAS.values() for module in modules)
CORE = {"pydantic", "msgspec", "pyld", "rdflib", "httpx"}
RESPONSE = str(EXAMPLES / "checkout-session-response.json")
FEED = str(EXAMPLES / "feed-scheduled-sessions.json")

# Installed into the venv once pip is done: every later Python process there refuses to open
# a network connection, so the commands below are shown to work offline.
OFFLINE_HOOK = """\
import sys


def _offline(event, args):
    if event in ("socket.connect", "socket.getaddrinfo"):
        raise RuntimeError(f"offline test: {event}{args!r}")


sys.addaudithook(_offline)
"""


@dataclass(frozen=True)
class Installed:
    """The built wheel and a fresh venv holding it (and only the core dependencies)."""

    wheel: Path
    venv: Path
    workdir: Path

    def bin(self, name: str) -> str:
        return str(self.venv / ("Scripts" if os.name == "nt" else "bin") / name)

    def run(self, *argv: str) -> subprocess.CompletedProcess[str]:
        """Run a program of the venv, from a directory outside the source tree."""
        return subprocess.run(
            argv, check=False, capture_output=True, text=True, cwd=self.workdir,
            env=_clean_env(), timeout=300,
        )  # fmt: skip

    def python(self, code: str) -> subprocess.CompletedProcess[str]:
        return self.run(self.bin("python"), "-c", code)


def _clean_env() -> dict[str, str]:
    """This environment without what would let the source tree or another Python leak in."""
    return {
        k: v
        for k, v in os.environ.items()
        if k not in ("PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "VIRTUAL_ENV")
    }


def _pip(*args: str, cwd: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "pip", "--disable-pip-version-check", *args],
        check=False, capture_output=True, text=True, cwd=cwd, env=_clean_env(),
    )  # fmt: skip
    assert done.returncode == 0, f"pip {' '.join(args)} failed:\n{done.stdout}{done.stderr}"


def _core_requirements(wheel: Path) -> list[str]:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/METADATA")]
        found = Parser().parsestr(archive.read(name).decode("utf-8"))
    return [r for r in found.get_all("Requires-Dist") or [] if "extra ==" not in r]


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Installed:
    base = tmp_path_factory.mktemp("wheel")
    dist, house, venv, workdir = base / "dist", base / "house", base / "venv", base / "work"
    for folder in (dist, house, workdir):
        folder.mkdir()
    _pip("wheel", "--no-deps", "--no-build-isolation", "--no-index", "--wheel-dir", str(dist),
         str(ROOT), cwd=workdir)  # fmt: skip
    (wheel,) = dist.glob("openactive_checkout-*.whl")
    for needed in closure(_core_requirements(wheel)):
        repack(needed, house)
    subprocess.run(
        [sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, env=_clean_env()
    )
    result = Installed(wheel=wheel, venv=venv, workdir=workdir)
    _pip("--python", result.bin("python"), "install", "--no-index", "--find-links", str(house),
         str(wheel), cwd=workdir)  # fmt: skip
    site = result.python("import sysconfig; print(sysconfig.get_paths()['purelib'])")
    assert site.returncode == 0, site.stderr
    (Path(site.stdout.strip()) / "sitecustomize.py").write_text(OFFLINE_HOOK, encoding="utf-8")
    return result


def test_the_wheel_ships_the_license_and_declares_the_extras(installed: Installed) -> None:
    with zipfile.ZipFile(installed.wheel) as wheel:
        names = wheel.namelist()
        (license_name,) = [n for n in names if n.endswith(".dist-info/licenses/LICENSE")]
        assert wheel.read(license_name) == (ROOT / "LICENSE").read_bytes()
        (metadata_name,) = [n for n in names if n.endswith(".dist-info/METADATA")]
        metadata = Parser().parsestr(wheel.read(metadata_name).decode("utf-8"))
    assert metadata["License-Expression"] == "MIT"
    assert set(metadata.get_all("Provides-Extra") or []) == {*EXTRAS, "all", "dev", "docs"}
    core = [r for r in metadata.get_all("Requires-Dist") or [] if "extra ==" not in r]
    assert {r.split("<")[0].split(">")[0].split("=")[0] for r in core} == CORE
    assert any(n.startswith("openactive_checkout/_contexts/") for n in names)
    published = ROOT / "contexts" / "published"
    for path in published.rglob("*"):
        if path.is_file():  # the published documents, byte for byte
            name = f"openactive_checkout/_contexts/published/{path.relative_to(published)}"
            assert name in names, name
    assert "openactive_checkout/py.typed" in names


def test_the_core_install_has_no_extra_and_imports(installed: Installed) -> None:
    done = installed.python(
        "import importlib.metadata, importlib.util, json, openactive_checkout as oc\n"
        f"missing = [m for m in {EXTRA_MODULES!r} if importlib.util.find_spec(m) is None]\n"
        "print(json.dumps({'file': oc.__file__, 'version': oc.__version__, 'missing': missing,\n"
        "    'metadata': importlib.metadata.version('openactive-checkout')}))"
    )
    assert done.returncode == 0, done.stderr
    found = json.loads(done.stdout)
    assert Path(found["file"]).is_relative_to(installed.venv)  # not the source tree
    assert found["missing"] == EXTRA_MODULES  # pyshacl, pyoxigraph, starlette, uvicorn
    assert found["version"] == found["metadata"] == installed.wheel.name.split("-")[1]


def test_the_published_documents_are_served_offline(installed: Installed) -> None:
    done = installed.python(
        "from openactive_checkout.jsonld import published_document\n"
        "print(len(published_document('https://openactive.io/activity-list')['concept']))"
    )
    assert done.returncode == 0, done.stderr
    assert int(done.stdout) > 700


def test_the_venv_is_offline(installed: Installed) -> None:
    """The hook the next test relies on is active: a connection attempt fails."""
    done = installed.python("import socket; socket.create_connection(('127.0.0.1', 9), 1)")
    assert done.returncode != 0
    assert "RuntimeError: offline test: socket." in done.stderr


def test_show_validate_and_convert_work_offline(installed: Installed) -> None:
    command = installed.bin("openactive-checkout")
    show = installed.run(command, "show", RESPONSE)
    assert show.returncode == 0, show.stderr
    assert "https://checkout.example.com/opendata/BQokikJOvBiI2H" in show.stdout

    validate = installed.run(
        command, "validate", "--mode", "IminCheckoutResponse", "--format", "json", RESPONSE
    )
    assert validate.returncode == 0, validate.stderr
    report = json.loads(validate.stdout)
    assert report["engine"] == "native"
    assert report["conforms"] is True

    feed = installed.run(command, "validate", FEED)
    assert feed.returncode == 0, feed.stderr

    convert = installed.run(command, "convert", RESPONSE, "--to", "nt")
    assert convert.returncode == 0, convert.stderr
    assert "<https://imin.co/CheckoutSession> ." in convert.stdout


@pytest.mark.parametrize(
    ("extra", "argv"),
    [
        ("shacl", ["validate", "--engine", "shacl", RESPONSE]),
        ("oxigraph", ["convert", RESPONSE, "--to", "nt", "--backend", "oxigraph"]),
        # A feed that does not exist: were the check gone, the command would stop on it.
        pytest.param(
            "mock",
            ["mock-server", "--port", "0", "--feed", str(EXAMPLES / "no-such-feed.json")],
            marks=pytest.mark.network,  # the command would start a loopback server
        ),
    ],
    ids=["shacl", "oxigraph", "mock"],
)
def test_an_extras_feature_says_what_to_install(
    installed: Installed, extra: str, argv: list[str]
) -> None:
    done = installed.run(installed.bin("openactive-checkout"), *argv)
    assert done.returncode == 2
    assert f"pip install 'openactive-checkout[{extra}]'" in done.stderr
    assert "Traceback" not in done.stderr
