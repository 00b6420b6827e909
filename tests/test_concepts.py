"""The concept schemes: the published ones bundled with the library, look-ups, hierarchy,
collections, a caller's own scheme, the opt-in SKOS triples and the ``activity`` command."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from openactive_checkout.cli import run
from openactive_checkout.concepts import (
    ACTIVITY_LIST,
    Concept,
    Scheme,
    accessibility_support,
    activity_list,
    facility_types,
    load_scheme,
)
from openactive_checkout.errors import DataError
from openactive_checkout.jsonld import loads
from openactive_checkout.rdf import query, to_graph

YOGA = "https://openactive.io/activity-list#bf1a5e00-cdcf-465d-8c5a-6f57040b7f7e"
ASHTANGA = "https://openactive.io/activity-list#1a8e23f3-5e12-411f-99fc-a4fe98010f7d"
GROUP_EXERCISE = "https://openactive.io/activity-list#984068a7-5b7b-4989-bb33-f96953d8960c"


def test_the_published_schemes() -> None:
    schemes = activity_list(), facility_types(), accessibility_support()
    assert [len(s) for s in schemes] == [768, 35, 6]
    assert activity_list() is schemes[0]  # read once, kept
    assert schemes[0].id == ACTIVITY_LIST
    assert all(isinstance(c, Concept) for c in schemes[0])


def test_look_ups_by_id_and_label() -> None:
    scheme = activity_list()
    yoga = scheme.get(YOGA)
    assert yoga is not None
    assert yoga.pref_label == "Yoga"
    assert scheme.get("https://example.com/nothing") is None
    assert YOGA in scheme
    assert scheme.find("yOgA") == [yoga]
    assert scheme.find("no such activity") == []
    partial = scheme.find("yoga", partial=True)
    assert partial[0] is yoga
    assert len(partial) > 10
    assert all("yoga" in (c.pref_label or "").casefold() or c.alt_label for c in partial)
    with pytest.raises(KeyError, match="nothing"):
        scheme.concept("https://example.com/nothing")


def test_alt_labels_are_found() -> None:
    scheme = activity_list()
    with_alt = next(c for c in scheme if c.alt_label)
    assert with_alt in scheme.find(with_alt.alt_label[0].upper())


def test_the_hierarchy() -> None:
    scheme = activity_list()
    assert [c.id for c in scheme.ancestors(ASHTANGA)] == [YOGA, GROUP_EXERCISE]
    assert [c.id for c in scheme.broader(ASHTANGA)] == [YOGA]
    below = {c.id for c in scheme.descendants(YOGA)}
    assert ASHTANGA in below
    assert YOGA not in below
    assert {c.id for c in scheme.narrower(YOGA)} <= below
    assert scheme.is_a(ASHTANGA, YOGA)
    assert not scheme.is_a(YOGA, ASHTANGA)
    with pytest.raises(KeyError):
        scheme.ancestors("https://example.com/nothing")


def test_collections() -> None:
    scheme = activity_list()
    assert {c.pref_label for c in scheme.collections} == {
        "Cardio",
        "Holistic",
        "Strength and Conditioning",
    }
    cardio = scheme.collection("cardio")
    assert cardio
    assert all(isinstance(c, Concept) for c in cardio)
    assert scheme.is_a(cardio[0].id or "", "Cardio")
    with pytest.raises(KeyError, match="Cardio"):
        scheme.collection("Nope")


def test_a_callers_own_scheme() -> None:
    mine = {
        "@context": "https://openactive.io/",
        "@type": "ConceptScheme",
        "@id": "https://example.com/list",
        "concept": [
            {"@type": "Concept", "@id": "https://example.com/list#a", "prefLabel": "Swim"},
            {
                "@type": "Concept",
                "@id": "https://example.com/list#b",
                "prefLabel": "Lane Swim",
                "altLabel": ["Lengths"],
                "broader": ["https://example.com/list#a"],
            },
        ],
    }
    scheme = load_scheme(json.dumps(mine))
    assert isinstance(scheme, Scheme)
    assert [c.id for c in scheme.find("lengths")] == ["https://example.com/list#b"]
    assert [c.pref_label for c in scheme.descendants("https://example.com/list#a")] == ["Lane Swim"]
    with pytest.raises(DataError):
        load_scheme({"@context": "https://openactive.io/", "@type": "Event", "name": "x"})
    with pytest.raises(DataError, match=r"collections\[0\]"):
        load_scheme(mine, collections=[{"@id": "https://example.com/c"}])


def test_importing_the_package_does_not_read_the_activity_list() -> None:
    code = (
        "import sys, openactive_checkout, openactive_checkout.validation;"
        "from openactive_checkout.concepts import _published;"
        "assert _published._published.cache_info().currsize == 0"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_to_graph_adds_the_skos_triples_of_the_concepts_used() -> None:
    event = loads(
        {
            "@context": "https://openactive.io/",
            "@type": "SessionSeries",
            "@id": "https://example.com/series/1",
            "activity": [
                {
                    "@type": "Concept",
                    "@id": ASHTANGA,
                    "inScheme": ACTIVITY_LIST,
                    "prefLabel": "Ashtanga Yoga",
                }
            ],
        }
    )
    sparql = """
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX oa: <https://openactive.io/>
        SELECT ?session WHERE {
            ?session oa:activity ?activity .
            ?activity skos:broader+ ?kind .
            ?kind skos:prefLabel "Yoga" .
        }"""
    assert len(query(to_graph(event), sparql)) == 0  # opt-in
    rows = query(to_graph(event, concepts=True), sparql).rows
    assert [str(r[0]) for r in rows] == ["https://example.com/series/1"]
    only = query(to_graph(event, concepts=[facility_types()]), sparql)
    assert len(only) == 0


def test_the_activity_command() -> None:
    out, err = io.StringIO(), io.StringIO()
    assert run(["activity", "yoga", "--exact"], out, err) == 0
    assert out.getvalue() == f"Yoga\t{YOGA}\t(Group Exercise)\n"
    out = io.StringIO()
    assert run(["activity", "yoga", "--format", "json"], out, err) == 0
    rows = json.loads(out.getvalue())
    assert rows[0] == {
        "id": YOGA,
        "prefLabel": "Yoga",
        "altLabel": [],
        "broader": ["Group Exercise"],
    }
    assert len(rows) > 10
    out, err = io.StringIO(), io.StringIO()
    assert run(["activity", "underwater knitting"], out, err) == 1
    assert out.getvalue() == ""
    assert "underwater knitting" in err.getvalue()
    out = io.StringIO()
    assert run(["activity", "hearing", "--scheme", "accessibility-support"], out, err) == 0
    assert "accessibility-support#" in out.getvalue()
