"""Hypothesis: for any extension properties a model may carry, to_graph means what the
model's JSON-LD means (pyld's to_rdf); and from_graph reads the graph back to the same graph."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import openactive_checkout as oc
from openactive_checkout.graph import from_graph, to_graph
from openactive_checkout.vocab.openactive import ScheduledSession
from tests.jsonld.graphs import isomorphic
from tests.rdf.rdf_corpus import pyld_graph

IRIS = st.sampled_from(
    ["https://example.com/a", "https://example.com/b#x", "urn:isbn:0451450523", "_:n1", "_:n2"]
)
DATATYPES = st.sampled_from(
    ["xsd:integer", "xsd:double", "xsd:boolean", "xsd:date", "xsd:string", "https://e.com/dt"]
)
TEXT = st.text(st.characters(exclude_categories=["Cs"]), max_size=8)
SCALARS = st.one_of(
    TEXT,
    st.booleans(),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=False, allow_infinity=False),
)
KEYS = st.sampled_from(
    ["beta:a", "beta:b", "https://example.com/p", "sameAs", "schema:alternateName", "name"]
)


def values(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    node = st.fixed_dictionaries(
        {},
        optional={
            "@id": IRIS,
            "@type": st.sampled_from(["Event", "Place", "beta:Thing", "https://e.com/T"]),
            "beta:a": children,
            "name": children,
        },
    )
    return st.one_of(
        node,
        st.lists(children, max_size=3),
        st.builds(lambda v: {"@list": v}, st.lists(SCALARS, max_size=3)),
    )


VALUES = st.recursive(
    st.one_of(
        SCALARS,
        st.builds(lambda v, t: {"@value": v, "@type": t}, SCALARS, DATATYPES),
        st.builds(lambda i: {"@id": i}, IRIS),
    ),
    values,
    max_leaves=8,
)
EXTRAS = st.dictionaries(KEYS, VALUES, min_size=1, max_size=3).map(
    lambda extras: {k: v for k, v in extras.items() if k not in ("name",) or isinstance(v, str)}
)
SLOW = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# rdflib's isomorphism check warns about ill-typed numeric literals ("x"^^xsd:double) that
# the JSON-LD legitimately means; the comparison itself is right.
@pytest.mark.filterwarnings("ignore:Serializing weird numerical:UserWarning")
@SLOW
@given(EXTRAS, st.one_of(st.none(), st.sampled_from(["https://example.com/s/1", "_:root"])))
def test_extension_properties_mean_what_the_json_ld_means(
    extras: dict[str, Any], node_id: str | None
) -> None:
    data: dict[str, Any] = {**extras, "beta:extra": extras.get("beta:a")}
    if node_id is not None:
        data["@id"] = node_id
    model = ScheduledSession.model_validate(data)
    graph = to_graph(model)
    assert isomorphic(graph, pyld_graph(oc.to_jsonld(model)))


@pytest.mark.filterwarnings("ignore:Serializing weird numerical:UserWarning")
@SLOW
@given(EXTRAS)
def test_reading_a_graph_back_gives_the_same_graph(extras: dict[str, Any]) -> None:
    model = ScheduledSession.model_validate({"@id": "https://example.com/s/1", **extras})
    graph = to_graph(model)
    assert isomorphic(to_graph(from_graph(graph, "https://example.com/s/1")), graph)
