"""Pydantic's API on the models gives the library's JSON-LD (issue 11).

``model_validate``/``model_validate_json`` read documents exactly as ``loads`` does,
``model_dump(by_alias=True)`` is the wire form, constructing in code refuses unknown
keywords, ``model_json_schema()`` describes the wire form (checked with jsonschema against
every pinned example), and a FastAPI app (the one docs/jsonld.md shows) takes and returns
the models as documents.
"""

from __future__ import annotations

import copy
import json
import pickle
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from pydantic import TypeAdapter, ValidationError

import openactive_checkout as oc
from openactive_checkout.jsonld._base import registered_classes
from tests.conftest import ROOT, SEED_FILES, seed_json, seed_text
from tests.jsonld.encodings import ENCODINGS


def _documents(data_models_dir: Path) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every pinned example: the seeds, then each data-models example (an RPDE page's data)."""
    for name in sorted(SEED_FILES):
        yield name, seed_json(name)
    for path in sorted((data_models_dir / "versions" / "2.x" / "examples").rglob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(content, dict) and isinstance(content.get("items"), list):
            for index, item in enumerate(content["items"]):
                if isinstance(item.get("data"), dict):
                    yield f"{path.name}[{index}]", item["data"]
        elif isinstance(content, dict) and "@context" in content:
            yield path.name, content


def _nested(node: Any) -> Iterator[oc.JsonLdNode]:
    """``node`` and every node it holds."""
    if isinstance(node, oc.JsonLdNode):
        yield node
        for name in type(node).model_fields:
            yield from _nested(getattr(node, name))
    elif isinstance(node, list):
        for item in node:
            yield from _nested(item)


# -- 1. reading ----------------------------------------------------------------------------


def test_model_validate_reads_every_example_as_loads_does(data_models_dir: Path) -> None:
    for name, document in _documents(data_models_dir):
        expected = oc.loads(document)
        cls = type(expected)
        for model in (
            cls.model_validate(document),
            cls.model_validate_json(json.dumps(document)),
            cls.model_validate_json(json.dumps(document).encode()),
            TypeAdapter(cls).validate_python(document),
            TypeAdapter(cls).validate_json(json.dumps(document)),
        ):
            assert model == expected, name
            assert [type(n) for n in _nested(model)] == [type(n) for n in _nested(expected)]
            assert oc.dumps(model) == oc.dumps(expected), name
            for node in _nested(model):
                assert not {"@context", "@type", "type"} & set(node.model_extra or {}), name


def test_model_validate_reads_every_equivalent_encoding() -> None:
    for label, seeds, encode in ENCODINGS:
        for seed in seeds:
            document = encode(seed_json(seed))
            expected = oc.loads(document)
            assert type(expected).model_validate(document) == expected, (label, seed)


def test_the_issue_reproduction_reads_once() -> None:
    wire = seed_json("response")
    model = oc.CheckoutSession.model_validate(wire)
    assert oc.dumps(model) == seed_text("response").replace(" ", "").replace("\n", "") or (
        json.loads(oc.dumps(model)) == wire
    )
    assert json.loads(oc.dumps(model)) == wire
    assert model.initial_order is not None
    item = model.initial_order.ordered_item[0].ordered_item
    assert type(item) is oc.ScheduledSession


def test_extension_properties_are_kept_out_of_the_keywords() -> None:
    document = {
        "@context": ["https://openactive.io/", {"ext": "https://example.com/ns#"}],
        "@type": "Offer",
        "price": 5,
        "ext:colour": "red",
        "beta:isFree": True,
    }
    offer = oc.Offer.model_validate(document)
    assert offer == oc.loads(document)
    assert offer.model_extra == {"ext:colour": "red", "beta:isFree": True}
    assert json.loads(oc.dumps(offer)) == document


@pytest.mark.parametrize(
    ("document", "json_path"),
    [
        ({"@context": "https://openactive.io/", "@type": "Slot", "@id": "slots 1"}, '$["@id"]'),
        (
            {"@context": "https://openactive.io/", "@type": "Offer", "price": "free"},
            "$.price",
        ),
        (
            {
                "@context": "https://openactive.io/",
                "@type": "OrderQuote",
                "orderedItem": [{"@type": "OrderItem", "position": "first"}],
            },
            "$.orderedItem[0].position",
        ),
        (
            {
                "@context": "https://openactive.io/",
                "@type": "Offer",
                "@id": "https://x.test/o",
                "validFromBeforeStartDate": "an hour",
            },
            "$.validFromBeforeStartDate",
        ),
    ],
)
def test_errors_are_the_readers(document: dict[str, Any], json_path: str) -> None:
    cls = oc.Offer if document["@type"] == "Offer" else registered_classes()[
        "https://openactive.io/" + document["@type"]]  # fmt: skip
    with pytest.raises(oc.DataError) as from_loads:
        oc.loads(document, model=cls)
    for read in (
        lambda: cls.model_validate(document),
        lambda: cls.model_validate_json(json.dumps(document)),
    ):
        with pytest.raises(oc.DataError) as raised:
            read()
        assert str(raised.value) == str(from_loads.value)
        assert raised.value.json_path.startswith(json_path)
    with pytest.raises(ValidationError) as wrapped:
        TypeAdapter(cls).validate_python(document)
    error = wrapped.value.errors()[0]
    assert error["type"] == "jsonld"
    assert error["ctx"]["json_path"] == from_loads.value.json_path
    assert error["msg"] == str(from_loads.value)


def test_a_document_of_another_class_is_refused_as_loads_refuses_it() -> None:
    with pytest.raises(oc.DataError, match="expected a OrderQuote document, got CheckoutSession"):
        oc.OrderQuote.model_validate(seed_json("response"))
    with pytest.raises(oc.DataError, match=r"JSON"):
        oc.OrderQuote.model_validate_json("{not json")
    with pytest.raises(oc.DataError, match="must be a JSON object"):
        oc.OrderQuote.model_validate_json("[1, 2]")


def test_model_dump_reads_back_to_the_same_model(data_models_dir: Path) -> None:
    for name, document in _documents(data_models_dir):
        model = oc.loads(document)
        cls = type(model)
        view = model.model_dump()
        assert "@context" not in view, name
        again = cls.model_validate(view)
        assert again == model, name
        assert [type(n) for n in _nested(again)] == [type(n) for n in _nested(model)], name


def test_a_node_without_context_picks_its_subclass_by_type() -> None:
    item = oc.OrderItem.model_validate(
        {"type": "OrderItem", "orderedItem": {"type": "Slot", "id": "https://x.test/s/1"}}
    )
    assert type(item.ordered_item) is oc.Slot
    assert item.model_extra == {}
    with pytest.raises(ValidationError, match="a Slot node where a Offer belongs"):
        oc.OrderItem.model_validate({"acceptedOffer": {"type": "Slot"}})
    # No type key: Pydantic's validation by field name or JSON-LD key, as before.
    offer = oc.Offer.model_validate({"price": 5, "priceCurrency": "GBP"})
    assert offer.price == Decimal(5)
    assert offer.price_currency == "GBP"


# -- 2. writing ----------------------------------------------------------------------------


def test_model_dump_by_alias_is_the_wire_form(data_models_dir: Path) -> None:
    for name, document in _documents(data_models_dir):
        model = oc.loads(document)
        wire = json.loads(oc.dumps(model))
        assert model.model_dump(mode="json", by_alias=True) == wire, name
        assert json.loads(model.model_dump_json(by_alias=True)) == wire, name
        assert next(iter(model.model_dump(mode="json", by_alias=True))) == "@context"
        assert TypeAdapter(type(model)).dump_python(model, mode="json", by_alias=True) == wire


def test_the_wire_form_of_a_model_built_in_code() -> None:
    quote = oc.OrderQuote(
        ordered_item=[oc.OrderItem(position=0, ordered_item="https://example.com/s/1")],
        total_payment_due=oc.vocab.PriceSpecification(price=Decimal("10.50"), price_currency="GBP"),
    )
    wire = quote.model_dump(mode="json", by_alias=True)
    assert wire == json.loads(oc.dumps(quote))
    assert wire["totalPaymentDue"]["price"] == 10.5  # a number, not "10.50"
    assert "orderProposalVersion" not in wire  # no null, "" or []
    assert oc.OrderQuote.model_validate(wire) == quote
    view = quote.model_dump()
    assert view["order_proposal_version"] is None  # the Python-side view keeps every field
    assert view["total_payment_due"]["price"] == Decimal("10.50")


def test_copies_pickles_and_equality_keep_working() -> None:
    model = oc.CheckoutSession.model_validate(seed_json("response"))
    for twin in (copy.deepcopy(model), pickle.loads(pickle.dumps(model)), model.model_copy()):
        assert twin == model
        assert oc.dumps(twin) == oc.dumps(model)
    changed = model.model_copy(update={"id": "https://x.test/sessions/1"})
    assert changed != model
    assert json.loads(oc.dumps(changed))["id"] == "https://x.test/sessions/1"


# -- 3. construction in code ---------------------------------------------------------------


def test_an_unknown_keyword_is_refused_with_the_close_match() -> None:
    with pytest.raises(oc.UnknownFieldError) as raised:
        oc.Offer(prise=Decimal(1))  # type: ignore[call-arg]
    assert raised.value.field == "prise"
    assert raised.value.suggestion == "price"
    assert "'prise'" in str(raised.value)
    assert "'price'" in str(raised.value)
    assert isinstance(raised.value, TypeError)
    assert isinstance(raised.value, ValueError)
    with pytest.raises(oc.UnknownFieldError, match="ordered_item"):
        oc.OrderQuote(orderd_item=[])  # type: ignore[call-arg]
    with pytest.raises(oc.UnknownFieldError, match="'@type'"):
        oc.Offer(**{"@type": "Slot"})
    with pytest.raises(oc.UnknownFieldError, match=r"Offer\.model_validate\(document\)"):
        oc.Offer(**{"@context": "https://openactive.io/", "@type": "Offer"})


def test_every_class_refuses_unknown_keywords_and_takes_its_field_names() -> None:
    for cls in registered_classes().values():
        for name, info in cls.model_fields.items():
            cls(**{name: [] if info.default_factory is list else None})  # all are optional
        with pytest.raises(oc.UnknownFieldError):
            cls(not_a_field_of_any_class=1)


def test_aliases_are_still_accepted_at_run_time() -> None:
    keys: dict[str, Any] = {"orderedItem": [oc.OrderItem(**{"@id": "https://x.test/i/1"})]}
    by_alias = oc.OrderQuote(**keys)
    by_name = oc.OrderQuote(ordered_item=[oc.OrderItem(id="https://x.test/i/1")])
    assert by_alias == by_name


def test_extension_properties_are_set_explicitly() -> None:
    offer = oc.Offer(
        price=Decimal(3),
        extensions={"beta:note": "hi", "https://example.com/ns#colour": "red"},
        **{"ext:size": 2},
    )
    assert offer.extensions == offer.model_extra
    assert offer.model_extra == {
        "beta:note": "hi", "https://example.com/ns#colour": "red", "ext:size": 2}  # fmt: skip
    wire = json.loads(oc.dumps(offer))
    assert wire["beta:note"] == "hi"
    assert wire["https://example.com/ns#colour"] == "red"
    with pytest.raises(oc.UnknownFieldError, match="is a field of Offer; give it as price="):
        oc.Offer(extensions={"price": 1})
    with pytest.raises(oc.UnknownFieldError, match="not a property key"):
        oc.Offer(extensions={"@type": "Slot"})


# -- 5. JSON Schema ------------------------------------------------------------------------


def _validator(schema: dict[str, Any]) -> jsonschema.Draft202012Validator:
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def test_the_json_schema_describes_the_wire_form() -> None:
    session = oc.CheckoutSession.model_json_schema()
    assert session["required"] == ["@context", "type"]
    assert {"@context", "type", "id", "imin:initialOrder", "potentialAction"} <= set(
        session["properties"]
    )
    quote = oc.OrderQuote.model_json_schema()
    assert quote["required"] == ["@context", "@type"]
    assert {"@context", "@type", "@id", "orderedItem"} <= set(quote["properties"])
    assert quote["properties"]["orderedItem"]["type"] == "array"
    event = oc.Event.model_json_schema()
    status = event["properties"]["eventStatus"]
    assert "https://schema.org/EventScheduled" in status["enum"]
    assert all(value.startswith("https://") for value in status["enum"])
    assert oc.Offer.model_json_schema()["properties"]["price"]["type"] == "number"
    assert oc.Offer.model_json_schema(mode="serialization") == oc.Offer.model_json_schema()
    assert session["properties"]["imin:initialOrder"]["description"].startswith("The order")


def test_the_json_schema_validates_every_example_and_refuses_bad_ones(
    data_models_dir: Path,
) -> None:
    for name, document in _documents(data_models_dir):
        cls = type(oc.loads(document))
        validator = _validator(cls.model_json_schema())
        errors = [e.message for e in validator.iter_errors(document)]
        assert errors == [], name
    offer = _validator(oc.Offer.model_json_schema())
    good = {"@context": "https://openactive.io/", "@type": "Offer", "price": 5}
    assert offer.is_valid(good)
    assert not offer.is_valid({**good, "price": "5"})
    assert not offer.is_valid({**good, "openBookingPrepayment": "Required"})  # not its IRI
    assert not offer.is_valid({"@type": "Offer"})  # no @context
    session = _validator(oc.CheckoutSession.model_json_schema())
    bad = seed_json("response")
    bad["potentialAction"] = {"type": "OrderAction"}  # an array on the wire
    assert not session.is_valid(bad)


def test_an_openapi_document_validates_the_examples(data_models_dir: Path) -> None:
    from fastapi import FastAPI

    app = FastAPI(separate_input_output_schemas=False)
    classes = sorted({type(oc.loads(d)) for _, d in _documents(data_models_dir)}, key=repr)
    for index, cls in enumerate(classes):
        app.post(f"/documents/{index}", response_model=cls)(_echo(cls))
    openapi = app.openapi()
    for name, document in _documents(data_models_dir):
        cls = type(oc.loads(document))
        schema = {
            "$ref": f"#/components/schemas/{cls.__name__}",
            "components": openapi["components"],
        }
        assert list(_validator(schema).iter_errors(document)) == [], name


def _echo(cls: type[oc.JsonLdNode]) -> Any:
    def echo(document: Any) -> Any:
        return document

    echo.__annotations__ = {"document": cls, "return": cls}
    return echo


# -- 6. FastAPI: the app of docs/jsonld.md -------------------------------------------------


def _docs_app() -> Any:
    """The FastAPI app of docs/jsonld.md, run as the docs page runs it (its TestClient
    checks run too), so the documented app is the tested one."""
    page = (ROOT / "docs" / "jsonld.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", page, flags=re.DOTALL)
    code = next(block for block in blocks if "FastAPI(" in block)
    namespace: dict[str, Any] = {"json": json}
    exec(compile(code, "docs/jsonld.md[FastAPI]", "exec"), namespace)  # our own docs
    return namespace["app"]


def test_the_fastapi_example() -> None:
    from fastapi.testclient import TestClient

    client = TestClient(_docs_app(), headers={"Content-Type": "application/ld+json"})
    for seed in ("request", "response"):
        text = seed_text(seed)
        answer = client.post("/checkout-sessions", content=text)
        assert answer.status_code == 201, answer.text
        request = oc.loads(text, model=oc.CheckoutSession)
        expected = request.model_copy(
            update={"potential_action": [
                oc.OrderAction(name="Checkout", target="https://checkout.example.com/s/1")]}
        )  # fmt: skip
        assert answer.json() == json.loads(oc.dumps(expected))
        quote = client.post("/order-quotes", content=text)
        assert quote.status_code == 200
        assert request.initial_order is not None
        assert quote.json() == json.loads(oc.dumps(request.initial_order))

    bad = seed_json("request")
    bad["imin:initialOrder"]["orderedItem"][0]["orderedItem"]["id"] = "sessions 1"
    answer = client.post("/checkout-sessions", json=bad)
    assert answer.status_code == 422
    detail = answer.json()["detail"][0]
    with pytest.raises(oc.DataError) as expected_error:
        oc.loads(bad)
    assert detail["ctx"]["json_path"] == expected_error.value.json_path
    assert detail["msg"] == str(expected_error.value)
    assert detail["loc"] == ["body"]

    openapi = client.get("/openapi.json").json()
    schemas = openapi["components"]["schemas"]
    session = schemas["CheckoutSession"]
    assert {"@context", "type", "imin:initialOrder"} <= set(session["properties"])
    assert "OrderQuote" in schemas
    document = {"$ref": "#/components/schemas/CheckoutSession", "components": {"schemas": schemas}}
    for seed in ("request", "response"):
        assert _validator(document).is_valid(seed_json(seed))
