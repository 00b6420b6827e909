"""tests/typing/user_script.py, which uses the whole public API, is real code: it runs.

That it type-checks is .ci/run's job, with the other type checks: ``mypy`` (strict, with the
pydantic plugin: pyproject lists the script), ``mypy --strict`` without any config (so without
the plugin, as a user may run it) and ``pyright`` (strict: the script says so on its first line).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "tests" / "typing" / "user_script.py"
TIMEOUT = 600


def run(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    """Run a checker from the project root on this source tree (not an installed copy)."""
    env = {**os.environ, "MYPYPATH": str(ROOT), "PYTHONPATH": str(ROOT)}
    return subprocess.run(
        args, cwd=ROOT, env=env, capture_output=True, text=True, timeout=TIMEOUT, check=False
    )


def test_the_user_script_runs(tmp_path: Path) -> None:
    # The script is real code: it books, walks feeds, validates and queries (in process and
    # on loopback), and prints "ok" at the end.
    result = run([sys.executable, "-W", "error", str(SCRIPT)], tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.splitlines()[-1] == "ok"
