"""Shared fixtures: the bundled seed examples and the pinned npm packages."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
NPM_MODULES = Path(
    os.environ.get("OPENACTIVE_NPM_MODULES", ROOT / ".cache" / "npm" / "node_modules")
)
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


@pytest.fixture(scope="session")
def data_models_dir() -> Path:
    """The pinned @openactive/data-models package (installed by .ci/run with npm)."""
    if not (DATA_MODELS / "versions" / "2.x").is_dir():
        pytest.fail(
            f"@openactive/data-models is not installed at {DATA_MODELS}; run the npm step of "
            ".ci/run (or set OPENACTIVE_NPM_MODULES)"
        )
    return DATA_MODELS
