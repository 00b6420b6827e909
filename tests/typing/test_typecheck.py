"""The public API type-checks for users: tests/typing/user_script.py, which uses all of it,
passes ``mypy --strict`` (with the pydantic plugin and without it) and ``pyright --strict``,
and runs.

The checkers are slow (tens of seconds): these tests are marked ``typecheck``
(``pytest -m "not typecheck"`` leaves them out). .ci/run also runs pyright on the script.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "typing" / "user_script.py"
TIMEOUT = 600


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a checker from the project root on this source tree (not an installed copy)."""
    env = {**os.environ, "MYPYPATH": str(ROOT), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


@pytest.mark.typecheck
def test_mypy_strict_with_the_projects_config(tmp_path: Path) -> None:
    # pyproject's [tool.mypy]: strict, with the pydantic plugin, as a project would have it.
    result = run(
        [sys.executable, "-m", "mypy", "--strict", "--cache-dir", str(tmp_path), str(SCRIPT)],
        tmp_path,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found in 1 source file" in result.stdout


@pytest.mark.typecheck
def test_mypy_strict_without_the_pydantic_plugin(tmp_path: Path) -> None:
    # A user without our config: no plugin. Imported modules are silenced as mypy silences
    # an installed package, so only the script's own use of the API is judged.
    config = tmp_path / "mypy.ini"
    config.write_text("[mypy]\n", encoding="utf-8")
    result = run(
        [sys.executable, "-m", "mypy", "--strict", "--config-file", str(config),
         "--follow-imports=silent", "--cache-dir", str(tmp_path / "cache"), str(SCRIPT)],
        tmp_path,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues found in 1 source file" in result.stdout


@pytest.mark.typecheck
def test_pyright_strict(tmp_path: Path) -> None:
    if importlib.util.find_spec("pyright") is None:
        pytest.skip("pyright is not installed: pip install -e '.[dev]' (PyPI pyright)")
    assert SCRIPT.read_text(encoding="utf-8").startswith("# pyright: strict\n")
    result = run(
        [sys.executable, "-m", "pyright", "--pythonpath", sys.executable, str(SCRIPT)], tmp_path
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 errors" in result.stdout


def test_the_user_script_runs(tmp_path: Path) -> None:
    # The script is real code: it books, walks feeds, validates and queries (in process and
    # on loopback), and prints "ok" at the end.
    result = run([sys.executable, "-W", "error", str(SCRIPT)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "ok"
