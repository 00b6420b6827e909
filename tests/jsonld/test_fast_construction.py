"""Models the fast road builds without Pydantic equal those Pydantic validates.

The fast road converts values itself (enumeration members, dates, numbers, strict unions)
and builds models directly when every value fits. This test reads every pinned example and
seed document twice: as the library does, and with every shortcut turned off so each node
is validated by Pydantic from the raw values; the models, what they say was set, and their
JSON-LD must be identical.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import openactive_checkout as oc
from openactive_checkout.jsonld import _context, _doc_context
from openactive_checkout.jsonld._base import JsonLdNode, registered_classes
from openactive_checkout.jsonld._types import MISFIT, NUMBER_CONVERTERS, TEXT_CONVERTERS
from tests.conftest import SEED_FILES, seed_json


def _documents(data_models_dir: Path) -> list[tuple[str, Any]]:
    docs = [(name, seed_json(name)) for name in sorted(SEED_FILES)]
    for path in sorted((data_models_dir / "versions" / "2.x" / "examples").rglob("*.json")):
        content = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(content, dict) and isinstance(content.get("items"), list):
            docs += [(f"{path.name}[{i}]", item["data"]) for i, item in
                     enumerate(content["items"]) if isinstance(item.get("data"), dict)]  # fmt: skip
        elif isinstance(content, dict) and "@context" in content:
            docs.append((path.name, content))
    return docs


def _reset_caches() -> None:
    _doc_context._PLANS.clear()
    _context._active_context_cached.cache_clear()


@contextlib.contextmanager
def _pydantic_only() -> Iterator[None]:
    """Every class's spec without converters or direct construction, caches emptied."""
    classes = {*registered_classes().values(), oc.GenericNode, JsonLdNode}
    saved = {cls: cls.__dict__.get("_spec_cache") for cls in classes}
    for cls in classes:
        spec = cls.jsonld_spec()
        fields = tuple(
            dataclasses.replace(f, plain=None, convert=None, string_fits=False, members=None)
            for f in spec.fields
        )
        cls._spec_cache = dataclasses.replace(
            spec, fields=fields, by_iri={f.iri: f for f in fields}, defaults=None
        )
    _reset_caches()
    try:
        yield
    finally:
        for cls, spec in saved.items():
            cls._spec_cache = spec
        _reset_caches()


def _snapshot(node: Any) -> Any:
    """Everything observable about a model tree, in a comparable form."""
    if isinstance(node, list):
        return [_snapshot(item) for item in node]
    if not isinstance(node, JsonLdNode):
        return (type(node).__name__, node, getattr(node, "lexical", None))
    return (
        type(node).__name__,
        node.types,
        sorted(node.__pydantic_fields_set__),
        node.__pydantic_extra__,
        getattr(node._context, "value", None),
        # Field values in __dict__ order (Pydantic's); per-node state (_types, _context) aside.
        [(k, _snapshot(v)) for k, v in node.__dict__.items() if not k.startswith("_")],
    )


def test_direct_construction_matches_pydantic(data_models_dir: Path) -> None:
    documents = _documents(data_models_dir)
    assert len(documents) > 30
    fast = {name: oc.loads(json.dumps(doc)) for name, doc in documents}
    fast_out = {name: oc.dumps(model) for name, model in fast.items()}
    fast_dump = {name: model.model_dump() for name, model in fast.items()}
    fast_snap = {name: _snapshot(model) for name, model in fast.items()}
    with _pydantic_only():
        for name, doc in documents:
            slow = oc.loads(json.dumps(doc))
            assert slow == fast[name], name
            assert _snapshot(slow) == fast_snap[name], name
            assert slow.model_dump() == fast_dump[name], name
            assert oc.dumps(slow) == fast_out[name], name


# The fast converters against the validators they stand for: the same value (and text kept),
# or MISFIT exactly where the validator raises.
_TEXT = st.text(alphabet="0123456789-:.,TZ+ WPYMDHS\n", max_size=28)
_NEAR = st.from_regex(  # text close to the accepted forms, which fromisoformat may accept too
    r"([0-9]{2,8}(-[0-9W]{1,3}){0,2}[T ])?[0-9]{1,6}(:[0-9]{1,2}){0,2}([.,][0-9]{1,8})?"
    r"(Z|[+-][0-9]{1,2}(:?[0-9]{2})?)?\n?",
    fullmatch=True,
)
_SHAPES = st.sampled_from(
    ["2018-10-03", "2018-02-30", "20181003", "2018-W40-3", "20:15", "20:15:00", "24:00", "20",
     "2015", "201500", "20:15:00.5", "20:15:00,5", "20:15:00+01:00", "20:15Z", "PT1H30M",
     "P1Y2M3DT4H5M6S", "P", "PT", "P1.5D", "2018-10-03T20:15:00Z", "2018-10-03T20:15+01:00",
     "2018-10-03T20:15:00.123-0800", "2018-10-03 20:15:00Z", "2018-10-03T20:15:00",
     "2018-10-03T20:15:00+01", "2018-10-03T20:15:00Z\n", "٢٠١٨-10-03"]
)  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.one_of(_TEXT, _NEAR, _SHAPES, st.integers(), st.floats(allow_nan=False)))
def test_fast_converters_give_what_the_validators_give(value: Any) -> None:
    for validator, fast in TEXT_CONVERTERS.items():
        _same_outcome(lambda v, validator=validator: validator(v, None), fast, value)
    for before, fast in NUMBER_CONVERTERS.items():
        _same_outcome(before, fast, value)


def _same_outcome(validator: Any, fast: Any, value: Any) -> None:
    try:
        expected = validator(value)
    except ValueError:  # PydanticCustomError included
        assert fast(value) is MISFIT, value
        return
    got = fast(value)
    if type(value) is not str and type(expected) is not Decimal:
        assert got is MISFIT, value  # fast converters take text (numbers for Decimals) only
        return
    assert type(got) is type(expected), value
    assert got == expected, value
    assert getattr(got, "lexical", None) == getattr(expected, "lexical", None), value
