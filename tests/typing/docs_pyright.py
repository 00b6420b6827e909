"""Run pyright on the Python examples of README.md and docs/ (``.ci/run`` calls this).

    python tests/typing/docs_pyright.py [pyright arguments...]

Each page's blocks run in one namespace (tests/test_docs.py), so each page becomes one file,
its blocks in order, in a temporary directory; pyright checks those files against this
source tree, as a user's editor (Pylance) would check code copied from the docs. The exit
status is pyright's.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.test_docs import PAGES, python_blocks  # noqa: E402  (the path above)


def main(argv: list[str]) -> int:
    pyright = shutil.which("pyright")
    if pyright is None:
        sys.exit("pyright is not installed: pip install pyright (a dev dependency)")
    with tempfile.TemporaryDirectory() as folder:
        files = []
        for page in PAGES:
            blocks = python_blocks(page)
            if not blocks:
                continue
            name = str(page.relative_to(ROOT)).replace("/", "__").replace(".md", ".py")
            path = Path(folder) / name
            path.write_text("\n".join(b.code for b in blocks), encoding="utf-8")
            files.append(str(path))
        config = Path(folder) / "pyrightconfig.json"
        config.write_text(
            f'{{"extraPaths": ["{ROOT}"], "pythonVersion": "3.11"}}', encoding="utf-8"
        )
        command = [pyright, "--project", str(config), *argv, *files]
        return subprocess.run(command, cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
