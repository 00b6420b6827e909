"""The shipped requirement data is exactly what the generator writes from the pinned npm
packages (so it is never hand-edited), and it carries what the rules need."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

from openactive_checkout.validation._spec import spec

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "generate_validation_data.py"


def load_generator() -> ModuleType:
    module_spec = importlib.util.spec_from_file_location("generate_validation_data", SCRIPT)
    assert module_spec is not None
    assert module_spec.loader is not None
    module = importlib.util.module_from_spec(module_spec)
    sys.modules.setdefault("generate_validation_data", module)
    module_spec.loader.exec_module(module)
    return module


def test_regenerating_the_data_and_shapes_changes_nothing(
    data_models_dir: Path, validator_dir: Path
) -> None:
    """Also reads the validator's package: marked ``oracle`` by the fixture."""
    generator = load_generator()
    npm_modules = data_models_dir.parent.parent
    assert validator_dir.parent.parent == npm_modules
    files = generator.outputs(generator.build(npm_modules))
    # the data, common and imin shapes, one shapes file per mode, the docs' table of codes
    assert len(files) == 1 + 2 + 27 + 1
    for path, expected in files.items():
        assert path.read_text(encoding="utf-8") == expected, path
    shipped = set(generator.SHAPES_DIR.rglob("*.ttl"))
    assert shipped == {p for p in files if p.suffix == ".ttl"}


def test_data_comes_from_the_pinned_packages() -> None:
    source = spec().data["source"]
    assert source["@openactive/data-models"] == "3.0.9"
    assert source["@openactive/data-model-validator"] == "3.0.3"
    assert source["specVersion"] == "2.x"


def test_every_model_of_the_data_models_is_present(data_models_dir: Path) -> None:
    names = {p.stem for p in (data_models_dir / "versions" / "2.x" / "models").glob("*.json")}
    assert names <= set(spec().data["models"])
    assert {"FeedPage", "FeedItem"} <= set(spec().data["models"])


def test_models_are_rendered_with_their_parents_fields() -> None:
    session = spec().model("ScheduledSession")
    assert session.has_spec
    assert "#Event" in session.sub_class_graph
    # `name` is declared on Event and inherited by ScheduledSession.
    assert session.field("name") is not None
    assert session.field("schema:name") is session.field("name")


def test_requirements_follow_mode_and_containing_property() -> None:
    item = spec().model("OrderItem")
    request = item.requirements("C1Request", "orderedItem")
    assert "acceptedOffer" in request.required
    assert "orderedItem" in request.referenced
    assert "id" in request.shall_not_include
    response = item.requirements("C1Response", "orderedItem")
    assert "orderedItem" in response.shall_not_be_referenced


def test_the_24_validation_modes_are_listed() -> None:
    modes = spec().modes
    assert len(modes) == 24
    assert modes[0] == "RPDEFeed"
    assert {"C1Request", "BResponse", "OrderPatch", "OpenBookingError"} <= set(modes)


def test_code_lists_are_present() -> None:
    assert "GBP" in spec().currency_codes
    assert "GB" in spec().country_codes
    assert "UK" not in spec().country_codes
    assert spec().enum_options("https://openactive.io/TaxMode") == (
        "https://openactive.io/TaxGross",
        "https://openactive.io/TaxNet",
    )


def test_data_file_is_valid_json_with_stable_key_order() -> None:
    text = (
        ROOT / "openactive_checkout" / "validation" / "_data" / "openactive-2.x.json"
    ).read_text(encoding="utf-8")
    data = json.loads(text)
    assert list(data)[:3] == ["source", "meta", "context"]


def test_the_docs_list_every_code_with_an_example() -> None:
    from openactive_checkout.validation import CODES

    text = (ROOT / "docs" / "validation.md").read_text(encoding="utf-8")
    for code in CODES:
        assert f"| `{code}` |" in text, code
