"""Extension and unknown properties survive; canonical documents never reach pyld."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pyld import jsonld

import openactive_checkout as oc
from tests.conftest import SEED_FILES, seed_json, seed_text
from tests.jsonld.graphs import same_graph


@pytest.fixture
def no_pyld(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("pyld was called")

    for name in ("expand", "compact", "to_rdf", "flatten", "frame", "normalize"):
        monkeypatch.setattr(jsonld, name, refuse)


@pytest.mark.usefixtures("no_pyld")
@pytest.mark.parametrize("name", sorted(SEED_FILES))
def test_canonical_documents_make_no_pyld_call(name: str) -> None:
    assert json.loads(oc.dumps(oc.loads(seed_text(name)))) == seed_json(name)


@pytest.mark.usefixtures("no_pyld")
def test_keyword_spellings_and_iris_stay_on_the_fast_road() -> None:
    doc = seed_json("response")
    order = doc["imin:initialOrder"]
    order["@type"] = order.pop("type")
    order["https://schema.org/seller"] = "https://example.com/sellers/1"
    order["orderedItem"] = order["orderedItem"][0]  # one value where an array is expected
    assert oc.to_jsonld(oc.loads(doc))["imin:initialOrder"]["orderedItem"] == [
        seed_json("response")["imin:initialOrder"]["orderedItem"][0]
    ]


def _with_extensions() -> dict[str, Any]:
    doc = seed_json("response")
    doc["@context"] = [*doc["@context"], {"ext": "https://example.com/ns#"}]
    doc["ext:colour"] = "red"
    doc["imin:initialOrder"]["beta:formattedDescription"] = "<b>hi</b>"
    doc["imin:initialOrder"]["broker"]["ext:rating"] = {"type": "ext:Rating", "ext:stars": 4}
    doc["imin:initialOrder"]["orderedItem"][0]["imin:notInAnyModel"] = [1, 2.5, True]
    doc["potentialAction"][0]["https://example.org/terms#note"] = {"@id": "https://x.org/n"}
    doc["potentialAction"][0]["unknownSchemaTerm"] = "kept"
    return doc


def test_extension_and_unknown_properties_round_trip_unchanged() -> None:
    doc = _with_extensions()
    out = oc.to_jsonld(oc.loads(doc))
    assert out == doc
    assert same_graph(out, doc)


def test_extensions_survive_the_normalising_road() -> None:
    doc = _with_extensions()
    doc["@context"] = [
        "https://imin.co/",
        {"ext": "https://example.com/ns#"},
        "https://openactive.io/",
    ]
    out = oc.to_jsonld(oc.loads(doc))
    assert same_graph(out, doc)
    assert out["@context"] == [
        "https://openactive.io/",
        "https://imin.co/",
        {"ext": "https://example.com/ns#"},
    ]
    assert out["ext:colour"] == "red"
    # And the result is itself canonical: a fixed point.
    assert oc.to_jsonld(oc.loads(out)) == out


def test_a_second_value_for_a_single_valued_field_is_kept() -> None:
    doc = seed_json("response")
    doc["imin:initialOrder"]["broker"]["name"] = ["Example", "Example Ltd"]
    out = oc.to_jsonld(oc.loads(doc))
    assert same_graph(out, doc)
    assert out["imin:initialOrder"]["broker"]["name"] == "Example"


def test_model_extra_exposes_extensions() -> None:
    model = oc.loads(_with_extensions(), model=oc.CheckoutSession)
    assert model.model_extra == {"ext:colour": "red"}
    assert model.initial_order is not None
    assert model.initial_order.model_extra == {"beta:formattedDescription": "<b>hi</b>"}


def test_extensions_added_in_code_bring_their_context() -> None:
    order = oc.OrderQuote(**{"beta:formattedDescription": "<b>hi</b>"})
    assert oc.to_jsonld(order) == {
        "@context": ["https://openactive.io/", "https://openactive.io/ns-beta"],
        "@type": "OrderQuote",
        "beta:formattedDescription": "<b>hi</b>",
    }


def test_unknown_types_keep_their_type() -> None:
    doc = seed_json("request")
    item = doc["imin:initialOrder"]["orderedItem"][0]["orderedItem"]
    item["type"] = "ext:Session"
    doc["@context"].append({"ext": "https://example.com/ns#"})
    model = oc.loads(doc, model=oc.CheckoutSession)
    assert model.initial_order is not None
    ordered = model.initial_order.ordered_item[0].ordered_item
    assert isinstance(ordered, oc.Event)
    assert ordered.types == ("https://example.com/ns#Session",)
    assert oc.to_jsonld(model) == doc


def test_an_unknown_root_type_reads_as_a_generic_node() -> None:
    doc = {"@context": "https://openactive.io/", "@type": "Thing", "name": "x"}
    model = oc.loads(doc)
    assert isinstance(model, oc.GenericNode)
    assert oc.to_jsonld(model) == doc
