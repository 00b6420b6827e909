"""Shared fixtures (the bundled seed examples, the pinned npm packages, Node.js) and the
markers of the slow and external tests.

Markers (registered in pyproject.toml; ``pytest -m "not oracle"`` leaves those tests out):

- ``oracle``: runs the official validator under Node.js, or needs the pinned
  ``@openactive/data-model-validator`` package;
- ``shacl``: runs pySHACL;
- ``network``: starts a loopback server (in-process with uvicorn, or the mock-server process).

A test is marked by the fixtures it uses (``MARKING_FIXTURES``) or by hand. Marks are
checked while the tests run: a passing test that did what a marker names without carrying it,
or that carries a marker without doing it, fails with the reason (see ``Activity`` and
``MarkCheck``).
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import socket
import subprocess
import sys
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, NoReturn

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NPM_PREFIX = ROOT / ".cache" / "npm"
NPM_MODULES = Path(os.environ.get("OPENACTIVE_NPM_MODULES", NPM_PREFIX / "node_modules"))
NPM_PACKAGES = ("@openactive/data-models@3.0.9", "@openactive/data-model-validator@3.0.3")
DATA_MODELS = NPM_MODULES / "@openactive" / "data-models"
VALIDATOR = NPM_MODULES / "@openactive" / "data-model-validator"

SEED_FILES = {
    "request": "checkout-session-request.json",
    "response": "checkout-session-response.json",
    "error": "unavailable-opportunity-error.json",
}


def seed_text(name: str) -> str:
    """The text of one of the seed documents (request, response, error)."""
    return (EXAMPLES / SEED_FILES[name]).read_text(encoding="utf-8")


def seed_json(name: str) -> Any:
    return json.loads(seed_text(name))


def missing(reason: str) -> NoReturn:
    """Skip a test (or, at import time, its module) whose tool is not installed; under CI
    (the ``CI`` environment variable set, as .ci/run does) fail instead, so CI never passes
    with those tests left out."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI is set, so this fails instead of skipping)", pytrace=False)
    pytest.skip(reason, allow_module_level=True)


def _npm_packages_present() -> bool:
    return (DATA_MODELS / "versions" / "2.x").is_dir() and (VALIDATOR / "package.json").is_file()


def ensure_npm_packages() -> None:
    """Install the pinned npm packages under .cache/npm unless they are there already.

    .ci/run installs them first; this lets the README's plain ``pytest`` work on a fresh
    machine too. npm reaches only the npm registry. Without npm the tests that need the
    packages are skipped (see :func:`missing`).
    """
    if _npm_packages_present():
        return
    npm = shutil.which("npm")
    if npm is None:
        missing(
            f"the pinned npm packages are not in {NPM_MODULES} and npm is not found: install "
            f"Node.js/npm, or run `npm install --prefix .cache/npm {' '.join(NPM_PACKAGES)}` "
            "(or set OPENACTIVE_NPM_MODULES to a node_modules folder that has them)"
        )
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    # Test workers (pytest-xdist) may all get here at once: one installs, the others wait.
    with (NPM_PREFIX / ".install.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _npm_packages_present():
            return
        completed = subprocess.run(
            [npm, "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
             "--loglevel=error", *NPM_PACKAGES],
            capture_output=True, text=True, check=False,
        )  # fmt: skip
    if completed.returncode != 0:
        pytest.fail(
            f"npm could not install {' '.join(NPM_PACKAGES)} into {NPM_PREFIX}:\n"
            f"{completed.stderr[-2000:]}",
            pytrace=False,
        )


@pytest.fixture(scope="session")
def data_models_dir() -> Path:
    """The pinned @openactive/data-models package."""
    ensure_npm_packages()
    return DATA_MODELS


@pytest.fixture(scope="session")
def validator_dir() -> Path:
    """The pinned @openactive/data-model-validator package (its users are marked ``oracle``)."""
    ensure_npm_packages()
    ACTIVITY.note("oracle")
    return VALIDATOR


@pytest.fixture(scope="session")
def nodejs() -> str:
    """The Node.js executable that runs the official validator (users marked ``oracle``)."""
    found = shutil.which("node")
    if found is None:
        missing("Node.js is not found: install Node.js to run the official validator")
    return found


# -- markers -------------------------------------------------------------------------------

#: The markers of pyproject.toml that say what a test does, and what that is.
MARKERS = {
    "oracle": "runs the official validator (Node.js) or needs its npm package",
    "shacl": "runs pySHACL",
    "network": "starts a loopback server",
}

#: Fixtures that mark every test using them, directly or through other fixtures. Tests that
#: do such things themselves carry the mark by hand.
MARKING_FIXTURES = {
    "validator_dir": "oracle",
    "nodejs": "oracle",
    "mock_checkout_server_factory": "network",  # and mock_checkout_server, which uses it
    "cli_server": "network",  # tests/http/conftest.py
    "server": "network",  # tests/http/test_mock_server_http.py, test_checkout_client.py
    "feed_server": "network",  # tests/http/test_rpde.py
    "broken": "network",  # tests/http/test_rpde.py
    "both_engines": "shacl",  # tests/validation/test_validation_shacl.py
    "postgres_url": "network",  # tests/harvest/conftest.py
    "oxigraph_server": "network",  # tests/harvest/conftest.py
    "dask_client": "network",  # tests/harvest/conftest.py
}

#: Programs whose start is what a marker names (node: the official validator).
MARKING_PROGRAMS = {
    "node": "oracle",
    "nodejs": "oracle",
    "oxigraph": "network",  # `oxigraph serve` (tests/harvest)
    "pg_ctl": "network",  # `pg_ctl start` (tests/harvest)
}
#: Programs that run the program named in their arguments (as another user).
WRAPPERS = frozenset({"runuser", "su", "sudo"})
#: A command line with this argument starts a loopback server.
SERVER_COMMAND = "mock-server"


#: The markers (of ``MARKERS``) of every test collected, before ``-m`` leaves any out.
COLLECTED = pytest.StashKey[dict[str, set[str]]]()


@pytest.hookimpl(tryfirst=True)  # before ``-m`` selects by the marks
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark each test by the fixtures it uses (``MARKING_FIXTURES``)."""
    for item in items:
        for name in item.fixturenames:
            marker = MARKING_FIXTURES.get(name)
            if marker is not None and item.get_closest_marker(marker) is None:
                item.add_marker(marker)
    config.stash[COLLECTED] = {
        item.nodeid: {m.name for m in item.iter_markers() if m.name in MARKERS} for item in items
    }


class Activity:
    """What tests and fixtures do that a marker names, seen while they run.

    - ``oracle``: a process started from a program named ``node`` (seen through the
      ``subprocess.Popen`` audit event), or the ``validator_dir`` fixture set up;
    - ``shacl``: pySHACL's ``Validator.run`` called, or pySHACL first imported;
    - ``network``: a socket put into listening state (``socket.listen``), or a process started
      with ``mock-server`` in its command line.

    What a fixture does counts for every test that uses it, also when an earlier test set it up
    (a module-scoped server, say).
    """

    def __init__(self) -> None:
        self.open: list[set[str]] = []
        self.by_fixture: dict[tuple[str, str], set[str]] = {}
        self.listen: Callable[..., Any] | None = None
        self.shacl_run: Callable[..., Any] | None = None

    def note(self, marker: str) -> None:
        """Record ``marker`` for whatever is running now."""
        for seen in self.open:
            seen.add(marker)

    @contextmanager
    def recording(self, seen: set[str]) -> Iterator[set[str]]:
        """Add what happens from now until the end of the block to ``seen``."""
        self.open.append(seen)
        try:
            yield seen
        finally:
            # By identity: an empty set equals any other empty set.
            del self.open[next(i for i, s in enumerate(self.open) if s is seen)]

    def audit(self, event: str, args: tuple[Any, ...]) -> None:
        """The audit hook (``sys.addaudithook``): cheap unless a test is running."""
        if not self.open:
            return
        if event == "subprocess.Popen":
            argv = args[1] if isinstance(args[1], list | tuple) else [args[1]]
            program = Path(os.fsdecode(args[0] if args[0] is not None else argv[0])).name
            programs = [program]
            if program in WRAPPERS:  # `runuser -u postgres -- pg_ctl ...`
                programs += [
                    Path(os.fsdecode(a)).name for a in argv[1:] if isinstance(a, str | bytes)
                ]
            for name in programs:
                marker = MARKING_PROGRAMS.get(name.removesuffix(".exe"))
                if marker is not None:
                    self.note(marker)
            if SERVER_COMMAND in [os.fsdecode(a) for a in argv if isinstance(a, str | bytes)]:
                self.note("network")
        elif event == "import" and args[0] == "pyshacl":
            self.note("shacl")

    def install(self) -> None:
        """Watch sockets and processes (until :meth:`uninstall`; the audit hook stays, idle)."""
        if self.listen is not None:
            return
        sys.addaudithook(self.audit)
        listen = self.listen = socket.socket.listen
        activity = self

        def listening(sock: socket.socket, *args: Any) -> None:
            activity.note("network")
            listen(sock, *args)

        socket.socket.listen = listening  # type: ignore[method-assign]

    def watch_pyshacl(self) -> None:
        """Wrap ``pyshacl.Validator.run`` once pySHACL is loaded (it loads on first use)."""
        module = sys.modules.get("pyshacl")
        if self.shacl_run is not None or module is None:
            return
        run = self.shacl_run = module.Validator.run
        activity = self

        def running(validator: Any, *args: Any, **kwargs: Any) -> Any:
            activity.note("shacl")
            return run(validator, *args, **kwargs)

        module.Validator.run = running

    def uninstall(self) -> None:
        """Put ``socket.listen`` and pySHACL back as they were."""
        if self.listen is not None:
            socket.socket.listen = self.listen  # type: ignore[method-assign]
        module = sys.modules.get("pyshacl")
        if self.shacl_run is not None and module is not None:
            module.Validator.run = self.shacl_run
        self.listen = self.shacl_run = None
        self.open.clear()

    def of(self, item: pytest.Item, seen: set[str]) -> set[str]:
        """What ``item`` did: ``seen`` while it ran, plus what its fixtures did."""
        done = set(seen)
        scopes = [node.nodeid for node in item.listchain()]
        for name in item.fixturenames:
            for scope in scopes:
                done |= self.by_fixture.get((name, scope), set())
        return done


ACTIVITY = Activity()
#: What a test did while it was set up and run.
SEEN = pytest.StashKey[set[str]]()


def pytest_configure(config: pytest.Config) -> None:
    """Start watching, and check the marks of every test."""
    ACTIVITY.install()
    # A plugin, not hooks of this conftest: pytest calls a conftest's hooks only for the tests
    # under its folder, and sets up session-scoped fixtures at the root.
    config.pluginmanager.register(MarkCheck(), "openactive-checkout-mark-check")


def pytest_unconfigure(config: pytest.Config) -> None:
    """Stop watching."""
    ACTIVITY.uninstall()


class MarkCheck:
    """Records what tests and fixtures do (``ACTIVITY``) and fails a passing test whose marks
    do not say so."""

    @pytest.hookimpl(wrapper=True)
    def pytest_fixture_setup(
        self, fixturedef: pytest.FixtureDef[Any], request: pytest.FixtureRequest
    ) -> Generator[None, Any, Any]:
        """Record what each fixture does while it is set up, for every test that uses it."""
        seen: set[str] = set()
        had_pyshacl = "pyshacl" in sys.modules  # (see pytest_runtest_call)
        try:
            with ACTIVITY.recording(seen):
                return (yield)
        finally:
            if not had_pyshacl and "pyshacl" in sys.modules:
                seen.add("shacl")
            if seen:
                key = (fixturedef.argname, request.node.nodeid)
                ACTIVITY.by_fixture[key] = ACTIVITY.by_fixture.get(key, set()) | seen

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_setup(self, item: pytest.Item) -> Generator[None, None, None]:
        """Record what the test's setup does (the fixtures it sets up)."""
        ACTIVITY.watch_pyshacl()
        item.stash[SEEN] = seen = set()
        with ACTIVITY.recording(seen):
            return (yield)

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_call(self, item: pytest.Item) -> Generator[None, None, None]:
        """Record what the test does; once it has passed, compare that with its marks."""
        ACTIVITY.watch_pyshacl()
        seen = item.stash.get(SEEN, set())
        # importlib.import_module (how the library loads optional packages) raises no
        # "import" audit event, so a first import of pySHACL is seen in sys.modules instead.
        had_pyshacl = "pyshacl" in sys.modules
        with ACTIVITY.recording(seen):
            result = yield  # raises if the test failed: then its marks are not checked
        if not had_pyshacl and "pyshacl" in sys.modules:
            seen.add("shacl")
        done = ACTIVITY.of(item, seen)
        wrong = [
            f"it {MARKERS[marker]}, so it must be marked `{marker}`: add @pytest.mark.{marker}"
            for marker in sorted(done)
            if item.get_closest_marker(marker) is None
        ] + [
            f"it is marked `{marker}` ({MARKERS[marker]}) but did nothing of the kind: "
            "remove the mark"
            for marker in MARKERS
            if item.get_closest_marker(marker) is not None and marker not in done
        ]
        if wrong:
            pytest.fail(f"{item.nodeid}: " + "; ".join(wrong), pytrace=False)
        return result
