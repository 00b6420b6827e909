"""Hypothesis: reading then writing is a fixed point that keeps the graph; bad input only
ever raises our errors."""

from __future__ import annotations

import contextlib
import copy
import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openactive_checkout as oc
from tests.conftest import seed_json
from tests.jsonld.encodings import ENCODINGS
from tests.jsonld.graphs import same_graph

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="\x00"),
    min_size=1,
    max_size=12,
)
urls = st.builds(
    lambda host, path: f"https://{host}.example.com/{path}",
    st.from_regex(r"[a-z]{1,8}", fullmatch=True),
    st.from_regex(r"[a-z0-9/_-]{0,12}", fullmatch=True),
)
scalars = st.one_of(text, st.integers(-(10**6), 10**6), st.booleans())
ext_keys = st.from_regex(r"ext:[a-z][a-zA-Z]{0,8}", fullmatch=True)
ext_values = st.one_of(
    scalars,
    st.lists(scalars, min_size=2, max_size=3),
    st.builds(lambda u: {"@id": u}, urls),
    st.dictionaries(ext_keys, scalars, min_size=1, max_size=2),
)
extensions = st.dictionaries(ext_keys, ext_values, max_size=3)


@st.composite
def checkout_documents(draw: st.DrawFn) -> dict[str, Any]:
    doc = seed_json(draw(st.sampled_from(["request", "response"])))
    order = doc["imin:initialOrder"]
    items = draw(st.lists(st.tuples(urls, st.sampled_from(["ScheduledSession", "Slot"])),
                          min_size=1, max_size=3))  # fmt: skip
    order["orderedItem"] = [
        {"type": "OrderItem", "orderedItem": {"type": kind, "id": url}} for url, kind in items
    ]
    if "broker" in order:
        order["broker"]["name"] = draw(text)
        order["broker"]["url"] = draw(urls)
        order["broker"].update(draw(extensions))
        doc["potentialAction"][0]["target"] = draw(urls)
    extra = draw(extensions)
    if extra:
        doc["@context"] = [*doc["@context"], {"ext": "https://example.com/ext#"}]
        doc.update(extra)
    return doc


@st.composite
def encoded_documents(draw: st.DrawFn) -> tuple[dict[str, Any], dict[str, Any]]:
    doc = draw(checkout_documents())
    encoded = copy.deepcopy(doc)
    # Whole-document rewrites go last, and only one of them: they change the document's shape.
    final = ("fully-expanded-no-context", "pyld-compacted", "graph-wrapper")
    names = [name for name, seeds, _ in ENCODINGS if "request" in seeds and name not in final]
    chosen = draw(st.lists(st.sampled_from(names), max_size=3, unique=True))
    chosen += draw(st.lists(st.sampled_from(final), max_size=1))
    for name in chosen:
        build = next(b for n, _, b in ENCODINGS if n == name)
        encoded = build(encoded)
    return doc, encoded


@SETTINGS
@given(encoded_documents())
def test_reading_then_writing_is_a_fixed_point_that_keeps_the_graph(
    pair: tuple[dict[str, Any], dict[str, Any]],
) -> None:
    _, encoded = pair
    first = oc.to_jsonld(oc.loads(json.dumps(encoded)))
    second = oc.to_jsonld(oc.loads(json.dumps(first)))
    assert json.dumps(second) == json.dumps(first)
    assert same_graph(first, encoded)


json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), text),
    lambda children: st.one_of(
        st.lists(children, max_size=3),
        st.dictionaries(
            st.one_of(text, st.sampled_from(["@id", "@type", "type", "id", "@value", "@list",
                                             "@graph", "@context", "@reverse", "orderedItem",
                                             "imin:initialOrder", "@language", "name"])),
            children, max_size=4),
    ),
    max_leaves=12,
)  # fmt: skip


@SETTINGS
@given(json_values)
def test_arbitrary_json_raises_only_our_errors(value: Any) -> None:
    with contextlib.suppress(oc.OpenActiveCheckoutError):
        oc.loads(json.dumps(value))


@SETTINGS
@given(checkout_documents(), st.data())
def test_corrupted_checkout_documents_raise_only_our_errors(
    doc: dict[str, Any], data: st.DataObject
) -> None:
    node: Any = doc
    for _ in range(data.draw(st.integers(0, 3))):
        children = [v for v in (node.values() if isinstance(node, dict) else node)
                    if isinstance(v, dict | list)]  # fmt: skip
        if not children:
            break
        node = data.draw(st.sampled_from(children))
    if isinstance(node, dict):
        node[data.draw(st.sampled_from(["@id", "@type", "id", "type", "@value", "@context",
                                        "@list", "orderedItem", "name", "@reverse"]))] = data.draw(
            json_values)  # fmt: skip
    with contextlib.suppress(oc.OpenActiveCheckoutError):
        oc.dumps(oc.loads(json.dumps(doc)))
