"""The normalising road's own JSON-LD expansion (``_expand``) gives exactly pyld's expanded form.

On every real document (the pinned data models' examples, the repository's examples, the seed
documents and their equivalent encodings), with the contexts shuffled, duplicated, inlined and
nested, and on generated documents and contexts: where ``_expand`` expands natively, its
result equals pyld's ``jsonld.expand``; where it does not, it says so (``UnsupportedError``) and the
reader leaves the document to pyld. Reading through the normalising road keeps the graph.
"""

from __future__ import annotations

import copy
import json
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout.errors import ContextError, DataError
from openactive_checkout.jsonld import bundled_context, bundled_contexts
from openactive_checkout.jsonld import pyld_document_loader as document_loader
from openactive_checkout.jsonld._context import bundled_loader
from openactive_checkout.jsonld._expand import Expander, UnsupportedError, root_context
from openactive_checkout.rdf import to_graph
from tests.conftest import DATA_MODELS, EXAMPLES, ensure_npm_packages
from tests.jsonld.encodings import cases
from tests.jsonld.graphs import graph_of, isomorphic

OA = "https://openactive.io/"
BETA = "https://openactive.io/ns-beta"
IMIN = "https://imin.co/"
Doc = dict[str, Any]


def native(document: Any) -> list[Any]:
    """``_expand``'s expanded form of a document (bundled contexts)."""
    raw = document.get("@context") if isinstance(document, dict) else None
    ctx = root_context(raw, bundled_loader)
    return Expander(bundled_loader).expand_document(document, ctx, raw)


def pyld_expand(document: Any) -> Any:
    return jsonld.expand(copy.deepcopy(document), {"documentLoader": document_loader()})


def _real_documents() -> list[Any]:
    """(id, document) for the pinned examples, the repository's examples and the seeds."""
    ensure_npm_packages()
    found: list[Any] = []
    folders = [(DATA_MODELS / "versions" / "2.x" / "examples", "data-models"), (EXAMPLES, "ex")]
    for folder, label in folders:
        for path in sorted(Path(folder).rglob("*.json")):
            if path.name == "example_list.json":
                continue
            document = json.loads(path.read_text(encoding="utf-8"))
            items = [document] if "items" not in document else [
                item["data"] for item in document["items"] if "data" in item]  # fmt: skip
            for index, item in enumerate(items):
                found.append(pytest.param(item, id=f"{label}/{path.name}#{index}"))
    for name, seed, encoding in cases():
        from tests.conftest import seed_json

        found.append(pytest.param(encoding(copy.deepcopy(seed_json(seed))), id=f"seed/{name}"))
    return found


REAL = _real_documents()


def _contexts(document: Doc) -> list[Any]:
    raw = document.get("@context")
    return list(raw) if isinstance(raw, list) else [raw]


def shuffled(document: Doc, seed: int) -> Doc:
    """The document with its contexts in another order (duplicated when there is only one)."""
    out = copy.deepcopy(document)
    entries = _contexts(out)
    if len(entries) > 1:
        random.Random(seed).shuffle(entries)
        if entries == _contexts(document):
            entries.reverse()
    else:
        entries = entries * 2
    out["@context"] = entries
    return out


def inlined(document: Doc) -> Doc:
    """The document with every bundled context URL replaced by the context itself."""
    out = copy.deepcopy(document)
    entries: list[Any] = []
    for entry in _contexts(out):
        inline = bundled_context(entry)["@context"] if isinstance(entry, str) else entry
        entries.extend(inline if isinstance(inline, list) else [inline])
    out["@context"] = entries
    return out


def nested(document: Doc) -> Doc:
    """The document's context repeated on every object that has a type."""
    out = copy.deepcopy(document)
    context = out.get("@context")
    stack: list[Any] = [v for k, v in out.items() if k != "@context"]
    while stack:
        item = stack.pop()
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            stack.extend(item.values())
            if "@type" in item or "type" in item:
                item["@context"] = copy.deepcopy(context)
    return out


VARIANTS = {
    "as-is": copy.deepcopy,
    "shuffled": lambda doc: shuffled(doc, 1),
    "inlined": inlined,
    "nested": nested,
}


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize("document", REAL)
def test_native_expansion_is_pylds(document: Doc, variant: str) -> None:
    doc = VARIANTS[variant](document)
    assert native(doc) == pyld_expand(doc)


@pytest.mark.parametrize("document", REAL)
def test_reordered_contexts_keep_the_graph(document: Doc) -> None:
    doc = shuffled(document, 2)
    model = oc.loads(doc)
    written = json.loads(oc.dumps(model))
    expected = graph_of(doc)
    assert isomorphic(expected, graph_of(written))
    assert isomorphic(expected, to_graph(model))


def test_real_documents_are_read_natively() -> None:
    """Every real document, in every variant, is expanded without pyld."""
    for param in REAL:
        for variant in VARIANTS.values():
            native(variant(param.values[0]))  # raises UnsupportedError otherwise


def test_the_bundled_contexts_are_modelled() -> None:
    for url in bundled_contexts():
        if "schema.org" in url:  # its terms carry types (@type coercion): pyld expands those
            continue
        root_context(url, bundled_loader)
        root_context(bundled_context(url)["@context"], bundled_loader)


# -- what the native expansion leaves to pyld, and what it says itself ----------------------

UNSUPPORTED = {
    "container": {"@context": [OA, {"tags": {"@id": "https://ex.org/t", "@container": "@set"}}]},
    "typed-term": {"@context": [OA, {"d": {"@id": "https://ex.org/d", "@type": "xsd:date"}}]},
    "vocab-coercion": {"@context": [OA, {"v": {"@id": "https://ex.org/v", "@type": "@vocab"}}]},
    "protected": {"@context": [OA, {"@protected": True, "q": "https://ex.org/q"}]},
    "language": {"@context": [OA, {"@language": "en"}]},
    "base": {"@context": [OA, {"@base": "https://ex.org/"}]},
    "scoped": {"@context": [OA, {"s": {"@id": "https://ex.org/s", "@context": {}}}]},
    "curie-on-non-prefix": {
        "@context": [{"ex": {"@id": "http://ex.org/"}, "foo": "ex:foo"}],
        "foo": 1,
    },
    "nest": {"@context": OA, "@type": "Event", "@nest": {"name": "x"}},
    "included": {"@context": OA, "@type": "Event", "@included": [{"@id": "https://ex.org/1"}]},
    "json-literal": {"@context": OA, "name": {"@value": {"a": 1}, "@type": "@json"}},
    "direction": {"@context": OA, "name": {"@value": "x", "@direction": "rtl"}},
    "colliding-keywords": {"@context": OA, "@id": "https://ex.org/1", "id": "https://ex.org/2"},
    "typed-and-language": {
        "@context": OA,
        "name": {"@value": "x", "@type": "Text", "@language": "en"},
    },
    "value-with-extra-key": {"@context": OA, "name": {"@value": "x", "description": "y"}},
    "list-with-extra-key": {"@context": OA, "name": {"@list": ["x"], "description": "y"}},
    "reverse-value": {"@context": OA, "concepts": "a literal"},
}


@pytest.mark.parametrize("name", sorted(UNSUPPORTED))
def test_what_it_does_not_model_is_left_to_pyld(name: str) -> None:
    with pytest.raises(UnsupportedError):
        native(UNSUPPORTED[name])


@pytest.mark.parametrize(
    "key", ["1a:b", ":x", "_:b1", "schema:", "urn:x:y", "beta:x", "oa:x", "schema://x", "@graph"]
)
def test_unusual_keys_expand_as_pyld_does(key: str) -> None:
    doc = {"@context": [IMIN, OA], "@type": "Event", key: [{"@id": "https://ex.org/1"}]}
    assert native(doc) == pyld_expand(doc)


@pytest.mark.parametrize("key", ["a:b c", "@odd", "has space"])
def test_keys_json_ld_drops_are_data_errors(key: str) -> None:
    doc = {"@context": [IMIN, OA], "@type": "Event", key: "x"}
    (theirs,) = pyld_expand(doc)
    assert len(theirs) == 1  # pyld keeps the type alone
    with pytest.raises(DataError, match="has no meaning"):
        native(doc)


def test_types_under_two_keys_are_merged_as_pyld_does() -> None:
    doc = {"@context": [IMIN, OA], "@type": "Event", "type": ["beta:Extra", "Event"]}
    assert native(doc) == pyld_expand(doc)
    assert list(oc.loads(doc).types) == pyld_expand(doc)[0]["@type"]


def test_a_document_it_leaves_to_pyld_still_reads() -> None:
    doc = {
        "@context": [OA, {"tags": {"@id": "https://ex.org/tags", "@container": "@set"}}],
        "@type": "Event",
        "name": "Yoga",
        "tags": ["a", "b"],
    }
    model = oc.loads(doc)
    assert isinstance(model, oc.Event)
    assert isomorphic(graph_of(doc), graph_of(json.loads(oc.dumps(model))))


@pytest.mark.parametrize(
    ("document", "path"),
    [
        ({"@context": [IMIN, OA, {"@vocab": None}], "@type": "schema:Event", "odd": 1}, "$.odd"),
        ({"@context": [IMIN, OA], "@type": "Event", "@odd": 1}, '$["@odd"]'),
        ({"@context": [IMIN, OA], "@type": "Event", "@id": "rel 1"}, '$["@id"]'),
        ({"@context": [IMIN, OA], "@type": "Event", "@id": 5}, '$["@id"]'),
        ({"@context": [IMIN, OA], "@type": ["Event", 5]}, '$["@type"][1]'),
        (
            {
                "@context": [IMIN, OA],
                "@type": "Event",
                "location": {"@context": {"@vocab": None}, "@type": "schema:Place", "oops": 1},
            },
            "$.location.oops",
        ),
    ],
)
def test_stricter_than_json_ld_with_the_place(document: Doc, path: str) -> None:
    with pytest.raises(DataError) as caught:
        oc.loads(document)
    assert caught.value.json_path == path


def test_a_relative_iri_value_is_not_resolved_against_an_invented_base() -> None:
    ev = {"ev": {"@id": "https://example.org/ev", "@type": "@id"}}
    doc = {"@context": [IMIN, OA, ev], "@type": "Event", "ev": "/about"}
    (expanded,) = native(doc)
    assert expanded["https://example.org/ev"] == [{"@id": "/about"}]
    (theirs,) = pyld_expand(doc)
    assert theirs["https://example.org/ev"] == [{"@id": "http://example.org/about"}]
    written = json.loads(oc.dumps(oc.loads(doc)))
    assert isomorphic(graph_of(doc), graph_of(written))  # relative, and resolved alike


@pytest.mark.parametrize("context", [OA, [OA, OA]], ids=["fast", "normalising"])
def test_a_relative_iri_in_a_field_is_refused_on_both_roads(context: Any) -> None:
    # kept as written (issue 12 item 5), but a Concept field cannot hold it
    with pytest.raises(DataError, match="Concept") as caught:
        oc.loads({"@context": context, "@type": "Event", "activity": "rel"})
    assert caught.value.json_path == "$.activity[0]"


def test_an_unloadable_nested_context_is_a_context_error() -> None:
    doc = {"@context": [IMIN, OA], "@type": "Event",
           "location": {"@context": "https://example.com/ctx", "@type": "Place"}}  # fmt: skip
    with pytest.raises(ContextError):
        oc.loads(doc)


# -- generated documents ----------------------------------------------------------------------

_KEYS = st.sampled_from(
    [
        "name", "description", "url", "schema:name", "https://schema.org/description",
        "beta:isWheelchairAccessible", "ex", "exv:prop", "rel", "identifier", "ev",
        "https://example.org/free", "concepts", "kind",
    ]
)  # fmt: skip
_TYPES = st.sampled_from(
    ["Event", "Place", "schema:Thing", "https://example.org/Kind", "beta:Gap", "exv:Type"]
)
_IDS = st.sampled_from(["https://example.org/n/1", "_:b0", "schema:x", "exv:node", "urn:x:1"])
_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(alphabet="ab yz", max_size=6),
    _IDS,
)
_INLINE = st.sampled_from(
    [
        {"ex": "https://example.org/ex"},
        {"exv": "https://example.org/v#", "ev": {"@id": "exv:ev", "@type": "@id"}},
        {"rel": {"@reverse": "https://example.org/rel"}},
        {"@vocab": "https://example.org/vocab/"},
        {"name": "https://example.org/name"},
        {"name": None},
        {"kind": "@type", "ident": "@id"},
        {"exv": {"@id": "https://example.org/w/", "@prefix": True}},
        None,
    ]
)
_CONTEXT = st.builds(
    lambda first, rest: [first, *rest],
    st.sampled_from([OA, BETA, IMIN]),
    st.lists(st.one_of(st.sampled_from([OA, BETA, IMIN]), _INLINE), max_size=3),
)


def _value(children: Any) -> Any:
    value_object = st.fixed_dictionaries(
        {"@value": _SCALARS},
        optional={"@type": _TYPES | st.lists(_TYPES, max_size=2), "@index": st.text(max_size=3)},
    )
    language = st.fixed_dictionaries(
        {"@value": st.text(max_size=4), "@language": st.sampled_from(["en", "EN-GB", "cy"])}
    )
    return st.one_of(
        _SCALARS,
        value_object,
        language,
        st.fixed_dictionaries({"@list": st.lists(st.one_of(_SCALARS, children), max_size=3)}),
        st.fixed_dictionaries({"@set": st.lists(st.one_of(_SCALARS, children), max_size=3)}),
        st.lists(st.one_of(_SCALARS, children), max_size=3),
        children,
    )


_NODES = st.recursive(
    st.fixed_dictionaries(
        {},
        optional={
            "@type": _TYPES | st.lists(_TYPES, max_size=2),
            "type": _TYPES,
            "@id": _IDS,
            "id": _IDS,
        },
    ),
    lambda children: st.one_of(
        st.dictionaries(_KEYS, _value(children), max_size=4),
        st.builds(
            lambda node, ctx: {**node, "@context": ctx},
            st.dictionaries(_KEYS, _value(children), max_size=3),
            _CONTEXT,
        ),
        st.fixed_dictionaries({"@reverse": st.dictionaries(_KEYS, children, max_size=2)}),
        st.fixed_dictionaries({"@graph": st.lists(children, max_size=2)}),
    ),
    max_leaves=12,
)


STRICTER = ("has no meaning under the document's @context", "must be an absolute IRI",
            "has no IRI under the document's @context")  # fmt: skip


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(context=_CONTEXT, body=_NODES)
def test_generated_documents_expand_as_pyld_does(context: list[Any], body: Doc) -> None:
    document = {"@context": context, **body}
    outcome = _native_outcome(document)
    if isinstance(outcome, UnsupportedError):
        return  # left to pyld
    if isinstance(outcome, DataError):
        try:
            pyld_expand(document)
        except jsonld.JsonLdError:
            return  # pyld refuses it too
        # Stricter than JSON-LD (see above): pyld drops the key, or invents a base.
        assert any(reason in str(outcome) for reason in STRICTER), outcome
        return
    assert outcome == _without_invented_base(pyld_expand(document))


def _native_outcome(document: Doc) -> Any:
    """The native expansion, or the exception that stopped it."""
    try:
        return native(copy.deepcopy(document))
    except (UnsupportedError, DataError) as error:
        return error


def _without_invented_base(value: Any) -> Any:
    """pyld's expansion, with the base it resolves relative IRIs against taken off."""
    if isinstance(value, list):
        return [_without_invented_base(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_invented_base(v) for k, v in value.items()}
    if isinstance(value, str) and value.startswith("http://example.org/base/"):
        return value[len("http://example.org/base/") :]
    return value


# -- hostile input (issue 15): only the library's errors, and nothing worse than linear -------

REORDERED = [IMIN, OA]  # a context that sends a document down the normalising road


def test_a_thousand_nested_arrays_are_a_data_error() -> None:
    value: Any = 1
    for _ in range(1000):
        value = [value]
    with pytest.raises(DataError, match="nests deeper"):
        oc.loads({"@context": REORDERED, "@type": "Event", "odd:x": value})


def test_forty_thousand_nested_objects_are_a_data_error() -> None:
    value: Any = {}
    for _ in range(40_000):
        value = {"odd:x": value}
    with pytest.raises(DataError, match="nests deeper"):
        oc.loads({"@context": REORDERED, "@type": "Event", "odd:x": value})


def test_a_wide_document_reads() -> None:
    wide = {f"odd:k{i}": i for i in range(40_000)}
    doc = {"@context": REORDERED, "@type": "Event", "odd:list": list(range(40_000)), **wide}
    model = oc.loads(doc)
    assert len(model.model_extra or {}) == 40_001


@pytest.mark.parametrize("context", [REORDERED, [OA, {"t": {"@id": "https://ex.org/t",
                                                             "@container": "@set"}}]],
                         ids=["native", "pyld"])  # fmt: skip
@pytest.mark.parametrize(
    ("body", "path"),
    [
        ({"@type": "Offer", "price": "BIG"}, "$.price"),
        ({"@type": "Event", "odd:x": {"@value": "BIG"}}, '$["odd:x"]["@value"]'),
        ({"@type": "Event", "odd:x": [["BIG"]]}, '$["odd:x"][0][0]'),
        ({"@type": "Event", "name": {"@list": ["BIG"]}}, '$.name["@list"][0]'),
        ({"@type": "Event", "odd:x": "NAN"}, '$["odd:x"]'),
        ({"@type": "Event", "odd:x": "INF"}, '$["odd:x"]'),
    ],
)
def test_numbers_no_json_text_holds_are_data_errors(context: Any, body: Doc, path: str) -> None:
    """A mapping may hold integers of more digits than Python writes as text (4,300), NaN or
    infinities; read, they could neither be validated nor written."""
    hostile = {"BIG": int("1" + "0" * 4000) * 10**301, "NAN": float("nan"), "INF": float("inf")}

    def swap(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: swap(v) for k, v in value.items()}
        if isinstance(value, list):
            return [swap(v) for v in value]
        return hostile.get(value, value) if isinstance(value, str) else value

    with pytest.raises(DataError) as caught:
        oc.loads({"@context": context, **swap(body)})
    assert caught.value.json_path == path


def test_integers_of_309_digits_read_and_write_back() -> None:
    big = 10**309  # more than a float holds
    doc = {"@context": REORDERED, "@type": "Event", "odd:x": big, "odd:y": {"@value": -big}}
    written = json.loads(oc.dumps(oc.loads(doc)))
    assert written["odd:x"] == big
    assert written["odd:y"] == -big
    text = json.dumps({"@context": REORDERED, "@type": "Offer", "price": big})
    assert json.loads(oc.dumps(oc.loads(text)))["price"] == big


def test_deep_chains_of_large_nested_contexts_are_left_to_pyld(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Each distinct chain of nested contexts is processed afresh, so their total size is
    bounded; beyond it pyld, which applies contexts one after another, expands."""
    from openactive_checkout.jsonld import _expand

    monkeypatch.setattr(_expand, "_NESTED_BUDGET", 2_000)
    big = {f"t{i}": f"https://example.org/t{i}" for i in range(40)}
    doc: Doc = {"@context": REORDERED, "@type": "Event"}
    inner = doc
    for level in range(6):
        child: Doc = {"@context": {**big, "level": f"https://example.org/l{level}"}, "name": "x"}
        inner["odd:child"] = child
        inner = child
    with pytest.raises(UnsupportedError, match="nested contexts"):
        native(doc)
    model = oc.loads(doc)  # through pyld
    assert isomorphic(graph_of(doc), graph_of(json.loads(oc.dumps(model))))
