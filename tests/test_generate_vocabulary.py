"""scripts/generate_vocabulary.py: regenerating from the pinned data models changes nothing."""

from __future__ import annotations

import importlib
import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT

VOCAB = ROOT / "openactive_checkout" / "vocab"
GENERATED = ("enums.py", "openactive.py", "beta.py")


@pytest.fixture(scope="module")
def generator() -> Iterator[ModuleType]:
    """The generator script as a module (scripts/ is not a package)."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        yield importlib.import_module("generate_vocabulary")
    finally:
        sys.path.remove(str(ROOT / "scripts"))


@pytest.fixture(scope="module")
def generated(generator: ModuleType, data_models_dir: Path) -> dict[str, str]:
    sources: dict[str, str] = generator.generate(data_models_dir)
    return sources


def test_regenerating_changes_nothing(
    generator: ModuleType, data_models_dir: Path, generated: dict[str, str]
) -> None:
    assert sorted(generated) == sorted(GENERATED)
    for name, text in generated.items():
        assert (VOCAB / name).read_text(encoding="utf-8") == text, f"vocab/{name} is stale"
    assert generator.stale_files(data_models_dir) == []
    assert generator.main(["--data-models", str(data_models_dir), "--check"]) == 0


def test_generation_is_deterministic(
    generator: ModuleType, data_models_dir: Path, generated: dict[str, str]
) -> None:
    assert generator.generate(data_models_dir) == generated


def test_banner_names_the_source_and_has_no_timestamp(generated: dict[str, str]) -> None:
    for name, text in generated.items():
        first = text.splitlines()[0]
        assert "@openactive/data-models@3.0.9" in first, name
        assert "do not edit" in first, name
        assert not re.search(r"\b20\d\d-\d\d-\d\d|\d\d:\d\d:\d\d", text.split('"""', 1)[0]), name


def _copy_data_models(source: Path, dest: Path) -> Path:
    for part in ("versions/2.x/models", "versions/2.x/enums.json", "src/dist/contexts.js"):
        target = dest / part
        target.parent.mkdir(parents=True, exist_ok=True)
        if (source / part).is_dir():
            shutil.copytree(source / part, target)
        else:
            shutil.copy2(source / part, target)
    return dest


def test_a_changed_model_is_reported_stale(
    generator: ModuleType, data_models_dir: Path, tmp_path: Path
) -> None:
    """The no-op check can fail: a new field in the source shows up in the output."""
    copy = _copy_data_models(data_models_dir, tmp_path / "data-models")
    path = copy / "versions/2.x/models/Slot.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    model["fields"]["maximumDuration"] = {
        "fieldName": "maximumDuration",
        "sameAs": "https://schema.org/maximumDuration",
        "requiredType": "https://schema.org/Duration",
        "description": ["The longest a slot may be booked for."],
    }
    path.write_text(json.dumps(model), encoding="utf-8")
    assert generator.stale_files(copy) == ["openactive.py"]
    text = generator.generate(copy)["openactive.py"]
    assert _field("maximum_duration", "Duration | None", "maximumDuration") in _joined(text)


def test_a_field_whose_term_means_another_iri_gets_a_curie(
    generator: ModuleType, data_models_dir: Path, tmp_path: Path
) -> None:
    copy = _copy_data_models(data_models_dir, tmp_path / "data-models")
    path = copy / "versions/2.x/models/Brand.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    # `title` means dcterms:title under the OpenActive context.
    model["fields"]["title"] = {
        "fieldName": "title",
        "sameAs": "https://schema.org/title",
        "requiredType": "https://schema.org/Text",
    }
    path.write_text(json.dumps(model), encoding="utf-8")
    text = generator.generate(copy)["openactive.py"]
    assert _field("title", "str | None", "schema:title") in _joined(text)


def _joined(source: str) -> str:
    """The source with ruff's wrapping undone (one space for each run of whitespace)."""
    return " ".join(source.split()).replace("( ", "(").replace(" )", ")")


def _field(name: str, annotation: str, key: str) -> str:
    """How the generator declares a single-valued field: the field name is the constructor
    parameter for type checkers, the JSON-LD key its validation and serialization alias."""
    keys = f'validation_alias="{key}", serialization_alias="{key}"'
    return f"{name}: {annotation} = Field(default=None, {keys})"


def test_an_unknown_data_type_stops_the_generator(
    generator: ModuleType, data_models_dir: Path, tmp_path: Path
) -> None:
    copy = _copy_data_models(data_models_dir, tmp_path / "data-models")
    path = copy / "versions/2.x/models/Brand.json"
    model = json.loads(path.read_text(encoding="utf-8"))
    model["fields"]["name"]["requiredType"] = "https://schema.org/Quaternion"
    path.write_text(json.dumps(model), encoding="utf-8")
    with pytest.raises(ValueError, match="Quaternion"):
        generator.generate(copy)


def test_the_generated_files_are_not_edited_by_hand() -> None:
    """Every generated module starts with the banner the generator writes."""
    banner = "# Generated by scripts/generate_vocabulary.py"
    for name in GENERATED:
        assert (VOCAB / name).read_text(encoding="utf-8").startswith(banner), name
