"""The markers of the slow and external tests (``oracle``, ``shacl``, ``network``) are where
they belong, and the check in tests/conftest.py catches a test that does what a marker names
without carrying it, or carries it for nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

#: Prints {node id: [marker names]} for the tests it collects.
COLLECT = """
import json, sys
import pytest

class Marks:
    def pytest_collection_finish(self, session):
        self.found = {i.nodeid: sorted({m.name for m in i.iter_markers()}) for i in session.items}

marks = Marks()
code = pytest.main(["--collect-only", "-q", "-p", "no:cacheprovider", *sys.argv[1:]],
                   plugins=[marks])
print("MARKS " + json.dumps(marks.found))
sys.exit(code)
"""


def run_python(code: str, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """Run Python code in a new process that imports this checkout (``tests.conftest``)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST_XDIST")}
    env.update(PYTHONPATH=str(ROOT), COLUMNS="500")  # whole summary lines
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=300,
    )  # fmt: skip


def collected_marks(config: pytest.Config, files: list[str]) -> dict[str, set[str]]:
    """{test name: markers} of the tests in ``files``: from this run's collection when it
    holds them (tests/conftest.py keeps it), else from collecting them in a new process."""
    # tests/conftest.py as pytest loaded it (``tests.conftest`` is another copy of the module).
    plugin = next(
        p
        for p in config.pluginmanager.get_plugins()
        if getattr(p, "__file__", None) == str(ROOT / "tests" / "conftest.py")
    )
    collected = config.stash[plugin.COLLECTED]
    if all(any(nodeid.startswith(f"{f}::") for nodeid in collected) for f in files):
        found = {n: m for n, m in collected.items() if n.split("::", 1)[0] in files}
    else:
        completed = run_python(COLLECT, *files, cwd=ROOT)
        assert completed.returncode == 0, completed.stdout + completed.stderr
        line = next(x for x in completed.stdout.splitlines() if x.startswith("MARKS "))
        found = {n: set(m) for n, m in json.loads(line.removeprefix("MARKS ")).items()}
    return {nodeid.split("::", 1)[1]: names for nodeid, names in found.items()}


def test_tests_are_marked_by_what_they_use(request: pytest.FixtureRequest) -> None:
    files = [
        "tests/validation/test_validation_agreement.py",
        "tests/validation/test_validation_data.py",
        "tests/validation/test_validation_shacl.py",
        "tests/http/test_mock_cli.py",
    ]
    marks = collected_marks(request.config, files)

    def marked(name: str) -> set[str]:
        return {m for m in marks[name] if m in ("oracle", "shacl", "network")}

    def family(prefix: str) -> list[str]:
        """The parametrized tests of one function."""
        found = [name for name in marks if name.startswith(prefix)]
        assert found, prefix
        return found

    # The official validator, through the `outcomes` fixture (which asks for `nodejs`).
    for run in ("online", "offline"):  # the official validator runs both ways
        assert marked(f"test_verdict_agreement[{run}]") == {"oracle"}
        assert marked(f"test_failure_path_recall[{run}]") == {"oracle"}
    # The validator's npm package, through `validator_dir`.
    assert marked("test_regenerating_the_data_and_shapes_changes_nothing") == {"oracle"}
    # The data models alone are not the oracle.
    assert marked("test_the_corpus_has_at_least_150_mutations_and_is_deterministic") == set()
    # pySHACL, through the module's `both_engines` fixture or by hand.
    assert marked("test_both_engines_report_the_same_issues") == {"shacl"}
    assert marked("test_shacl_engine_from_the_cli") == {"shacl"}
    assert all(marked(name) == set() for name in family("test_patterns_agree_with_the_native"))
    # The mock server process, through `cli_server` or by hand.
    assert marked("test_raw_http_gets_the_seed_exchange") == {"network"}
    assert marked("test_sigterm_stops_the_server_cleanly") == {"network"}
    assert all(marked(name) == set() for name in family("test_bad_options_exit_2"))


CHECKED = """
import socket
import subprocess

import pyshacl
import pytest


def listen():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()


@pytest.fixture(scope="module")
def listening():
    listen()


@pytest.mark.network
def test_marked_listens():
    listen()


def test_unmarked_listens():
    listen()


@pytest.mark.network
def test_marked_for_nothing():
    pass


@pytest.mark.network
def test_first_user_of_a_server_fixture(listening):
    pass


def test_later_unmarked_user_of_the_same_fixture(listening):
    pass


@pytest.fixture(scope="session")
def shared():
    listen()


@pytest.mark.network
def test_first_user_of_a_session_fixture(shared):
    pass


def test_later_unmarked_user_of_the_session_fixture(shared):
    pass


@pytest.mark.oracle
def test_marked_runs_node():
    subprocess.run(["./node"], check=True)


def test_unmarked_runs_node():
    subprocess.run(["./node"], check=True)


@pytest.mark.shacl
def test_marked_runs_pyshacl():
    pyshacl.validate()


def test_unmarked_runs_pyshacl():
    pyshacl.validate()


def test_unmarked_does_nothing():
    pass
"""

#: What the check looks at in pySHACL (the real one takes seconds to import).
PYSHACL = """
class Validator:
    def run(self):
        return True, None, ""


def validate():
    return Validator().run()
"""

INI = """
[pytest]
addopts = -p no:cacheprovider -p no:xdist -p no:benchmark -p no:asyncio --strict-markers -rA
filterwarnings = error
markers =
    oracle: official validator
    shacl: pySHACL
    network: loopback server
"""


def test_a_wrong_mark_fails_the_test(tmp_path: Path) -> None:
    (tmp_path / "pytest.ini").write_text(INI, encoding="utf-8")
    # In a folder below the root, as tests/ is: session-scoped fixtures are set up at the root.
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "conftest.py").write_text("from tests.conftest import *  # noqa: F403\n")
    (tmp_path / "sub" / "test_checked.py").write_text(CHECKED, encoding="utf-8")
    (tmp_path / "pyshacl.py").write_text(PYSHACL, encoding="utf-8")
    node = tmp_path / "node"  # a program named like Node.js: what the check looks at
    node.write_text("#!/bin/sh\nexit 0\n", encoding="utf-8")
    node.chmod(0o755)
    completed = run_python("import pytest, sys; sys.exit(pytest.main())", cwd=tmp_path)
    outcome = {}
    for line in completed.stdout.splitlines():
        word, _, rest = line.partition(" sub/test_checked.py::")
        if word in ("PASSED", "FAILED", "ERROR") and rest:
            name, _, message = rest.partition(" - ")
            outcome[name] = (word, message)
    assert {name for name, (word, _) in outcome.items() if word == "PASSED"} == {
        "test_marked_listens",
        "test_first_user_of_a_server_fixture",
        "test_first_user_of_a_session_fixture",
        "test_marked_runs_node",
        "test_marked_runs_pyshacl",
        "test_unmarked_does_nothing",
    }, completed.stdout
    assert "must be marked `network`" in outcome["test_unmarked_listens"][1]
    assert "must be marked `network`" in outcome["test_later_unmarked_user_of_the_same_fixture"][1]
    assert "be marked `network`" in outcome["test_later_unmarked_user_of_the_session_fixture"][1]
    assert "marked `network`" in outcome["test_marked_for_nothing"][1]
    assert "remove the mark" in outcome["test_marked_for_nothing"][1]
    assert "must be marked `oracle`" in outcome["test_unmarked_runs_node"][1]
    assert "must be marked `shacl`" in outcome["test_unmarked_runs_pyshacl"][1]


@pytest.mark.parametrize("ci", ["", "true"])
def test_missing_npm_skips_but_fails_under_ci(tmp_path: Path, ci: str) -> None:
    code = (
        "import pytest\n"
        "from tests import conftest\n"
        "try:\n"
        "    conftest.ensure_npm_packages()\n"
        "except BaseException as exc:\n"
        "    print(type(exc).__name__, exc)\n"
    )
    env_path = tmp_path / "bin"
    env_path.mkdir()
    completed = subprocess.run(
        [sys.executable, "-c", code],
        cwd=tmp_path,
        env={
            **os.environ,
            "PYTHONPATH": str(ROOT),
            "PATH": str(env_path),  # no npm
            "OPENACTIVE_NPM_MODULES": str(tmp_path / "node_modules"),  # not installed
            "CI": ci,
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    kind, _, message = completed.stdout.strip().partition(" ")
    assert kind == ("Failed" if ci else "Skipped")
    assert "npm is not found" in message
    assert "npm install --prefix .cache/npm @openactive/data-models@3.0.9" in message
