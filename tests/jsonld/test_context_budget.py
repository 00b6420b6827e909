"""Context processing costs what the distinct contexts cost, within a budget; every bad
context is a ContextError naming its place (issue 15)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout.jsonld import pyld_document_loader
from openactive_checkout.jsonld._context import (
    MAX_CONTEXT_ENTRIES,
    MAX_TERM_DEPENDENCIES,
    bundled_loader,
    process_context,
    reduce_context,
)

OA = "https://openactive.io/"
IMIN = "https://imin.co/"
SCHEMA = "https://schema.org/"


def expanded(document: Any) -> Any:
    return jsonld.expand(json.loads(json.dumps(document)),
                         {"documentLoader": pyld_document_loader()})  # fmt: skip


@pytest.mark.parametrize(
    ("context", "reduced"),
    [
        ([OA] * 5000 + [IMIN], [OA, IMIN]),
        ([OA, IMIN] * 5000, [OA, IMIN]),
        ([SCHEMA, OA] * 2000, [SCHEMA, OA]),
        ([{"a": "http://a/"}, {"a": "http://b/"}] * 500 + [{"x": "a:x"}],
         [{"a": "http://a/"}, {"a": "http://b/"}, {"x": "a:x"}]),
        ([OA, None, IMIN], [IMIN]),  # null: back to the empty context a document starts with
        ([OA, {"type": "http://e.com/t"}, OA], [OA]),  # OA's `type` again: back to [OA]
        ([OA, {"name": "http://e.com/n"}, OA], [OA, {"name": "http://e.com/n"}]),
        ([OA, IMIN], [OA, IMIN]),
    ],
    ids=["repeats", "alternating", "dataset-site", "inline", "null", "override", "no-override",
         "none"],
)  # fmt: skip
def test_repeats_are_left_out_and_the_meaning_kept(context: list[Any], reduced: Any) -> None:
    assert reduce_context(context) == reduced
    assert reduce_context(context, bundled_loader) == reduced
    doc = {"@context": context, "@type": "Event", "name": "Yoga", "x": "1", "a:y": "2"}
    small = {**doc, "@context": reduced}
    if len(context) <= 20:  # pyld on the long ones is what this avoids
        assert expanded(doc) == expanded(small)
    ours = process_context(context, bundled_loader).active
    theirs = process_context(reduced, bundled_loader).active
    assert (ours.terms, ours.vocab) == (theirs.terms, theirs.vocab)


def test_a_large_repetitive_context_reads_and_writes_back_small() -> None:
    doc = {"@context": [OA] * 40_000 + [IMIN], "@type": "Event", "name": "Yoga"}
    assert len(json.dumps(doc)) > 1_000_000
    written = json.loads(oc.dumps(oc.loads(doc)))
    assert written == {"@context": [OA, IMIN], "type": "Event", "name": "Yoga"}
    alternating = {"@context": [OA, IMIN] * 20_000, "@type": "Event", "name": "Yoga"}
    assert json.loads(oc.dumps(oc.loads(alternating))) == written


def test_too_many_distinct_contexts_is_a_context_error() -> None:
    context = [OA] + [{f"t{i}": f"https://e.com/{i}"} for i in range(MAX_CONTEXT_ENTRIES + 1)]
    with pytest.raises(oc.ContextError, match="more than 64 contexts") as caught:
        oc.loads({"@context": context, "@type": "Event"})
    place = caught.value.path  # (a URL counts with the document it loads)
    assert place[0] == "@context"
    assert isinstance(place[1], int)
    assert MAX_CONTEXT_ENTRIES // 2 < place[1] <= MAX_CONTEXT_ENTRIES


def test_a_long_chain_of_curie_terms_is_a_context_error() -> None:
    local: dict[str, Any] = {f"a{i}": f"a{i + 1}:x" for i in range(2000)}
    local["a2000"] = "https://e.com/"
    with pytest.raises(oc.ContextError, match="chain of more than") as caught:
        oc.loads({"@context": [OA, local], "@type": "Event"})
    assert caught.value.path[:2] == ("@context", 1)
    short = {f"a{i}": f"a{i + 1}:x" for i in range(MAX_TERM_DEPENDENCIES - 2)}
    short[f"a{MAX_TERM_DEPENDENCIES - 2}"] = "https://e.com/"
    read = oc.loads({"@context": [OA, short], "@type": "Event", "a0": "v"})
    assert json.loads(oc.dumps(read))["a0"] == "v"


@pytest.mark.parametrize(
    "local",
    [{"t": {"@id": []}}, {"t": {"@type": 1}}, {"t": 5}, {"@vocab": 3}, {"t": {"@reverse": {}}}],
)
def test_a_bad_term_definition_is_a_context_error_with_its_place(local: Any) -> None:
    with pytest.raises(oc.ContextError) as caught:
        oc.loads({"@context": [OA, local], "@type": "Event"})
    assert caught.value.path[:2] == ("@context", 1)
    assert caught.value.json_path.startswith('$["@context"][1]')


def test_deep_nesting_in_a_callers_context_is_a_context_error() -> None:
    def loader(url: str, options: dict[str, Any]) -> dict[str, Any]:
        depth = int(url.rsplit("/", 1)[1])
        return {"document": {"@context": f"https://e.com/{depth + 1}"}, "documentUrl": url}

    with pytest.raises(oc.ContextError, match="more than 16 deep") as caught:
        oc.loads({"@context": [OA, "https://e.com/0"], "@type": "Event"},
                 document_loader=loader)  # fmt: skip
    assert caught.value.json_path == '$["@context"][1]'
