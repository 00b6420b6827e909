"""Shared fixtures: the bundled seed examples and the pinned npm packages."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

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


def ensure_npm_packages() -> None:
    """Install the pinned npm packages under .cache/npm unless they are there already.

    .ci/run installs them first; this lets the README's plain ``pytest`` work on a fresh
    machine too. npm reaches only the npm registry.
    """
    if (DATA_MODELS / "versions" / "2.x").is_dir() and (VALIDATOR / "package.json").is_file():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.fail("npm is needed to fetch the pinned OpenActive packages for these tests")
    NPM_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run(
        [npm, "install", "--prefix", str(NPM_PREFIX), "--no-audit", "--no-fund",
         "--loglevel=error", *NPM_PACKAGES],
        check=True,
    )  # fmt: skip


@pytest.fixture(scope="session")
def data_models_dir() -> Path:
    """The pinned @openactive/data-models package."""
    ensure_npm_packages()
    return DATA_MODELS


@pytest.fixture(scope="session")
def validator_dir() -> Path:
    """The pinned @openactive/data-model-validator package."""
    ensure_npm_packages()
    return VALIDATOR
