"""Every ```python block in README.md and docs/*.md runs, in order, one namespace per page."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
PAGES = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)


def test_there_are_examples_to_run() -> None:
    assert sum(len(BLOCK.findall(p.read_text(encoding="utf-8"))) for p in PAGES) >= 5


#: What a page's examples use that a marker names (tests/conftest.py checks the marks).
USES = {
    "network": re.compile(r"MockCheckoutServer|BackgroundServer|mock_checkout_server"),
    "shacl": re.compile(r"[\"']shacl[\"']"),
}


def page_param(page: Path) -> Any:
    code = "".join(BLOCK.findall(page.read_text(encoding="utf-8")))
    marks = [getattr(pytest.mark, name) for name, uses in USES.items() if uses.search(code)]
    return pytest.param(page, marks=marks, id=page.relative_to(ROOT).as_posix())


@pytest.mark.parametrize("page", [page_param(p) for p in PAGES])
def test_page_examples_run(page: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    for index, block in enumerate(BLOCK.findall(page.read_text(encoding="utf-8"))):
        code = compile(block, f"{page.name}[block {index}]", "exec")
        exec(code, namespace)  # running our own documentation is the point
