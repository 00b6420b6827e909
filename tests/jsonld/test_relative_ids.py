"""Fragment and relative ids (``#/imin:locationSummary/0``, ``sessions/1``) are kept as
written: JSON-LD keeps a relative IRI when a document has no base. Their RDF is pyld's, which
resolves them against its stand-in base ``http://example.org/base/``."""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest
import rdflib
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout.jsonld import pyld_document_loader
from tests.jsonld.graphs import isomorphic

IMIN = ["https://openactive.io/", "https://imin.co/"]


def pyld_graph(document: Any) -> rdflib.Graph:
    options = {"documentLoader": pyld_document_loader(), "format": "application/n-quads"}
    graph = rdflib.Graph()
    graph.parse(data=jsonld.to_rdf(copy.deepcopy(document), options), format="nt")
    return graph


@pytest.mark.parametrize("reference", ["#/imin:locationSummary/0", "sessions/1", "../a?b#c"])
@pytest.mark.parametrize("context", [IMIN, list(reversed(IMIN))], ids=["fast", "normalising"])
def test_a_relative_id_is_kept_as_written(reference: str, context: list[str]) -> None:
    doc = {
        "@context": context,
        "type": "ScheduledSession",
        "id": "https://example.com/sessions/1",
        "imin:locationSummary": [{"type": "Place", "id": reference, "name": "Pool"}],
        "superEvent": {"type": "SessionSeries", "id": reference, "name": "Swim"},
    }
    session = oc.loads(doc)
    assert session.super_event is not None
    assert session.super_event.id == reference
    written = json.loads(oc.dumps(session))
    assert written["superEvent"]["id"] == reference
    assert written["imin:locationSummary"][0]["id"] == reference
    assert isomorphic(oc.to_graph(session), pyld_graph(doc))
    assert isomorphic(pyld_graph(written), pyld_graph(doc))


def test_a_relative_id_in_code_is_kept() -> None:
    session = oc.ScheduledSession(id="#/session")
    assert json.loads(oc.dumps(session))["@id"] == "#/session"
    subjects = set(oc.to_graph(session).subjects())
    assert subjects == {rdflib.URIRef("http://example.org/base/#/session")}


@pytest.mark.parametrize("context", [IMIN, list(reversed(IMIN))], ids=["fast", "normalising"])
def test_a_relative_reference_in_an_id_coerced_field(context: list[str]) -> None:
    doc = {"@context": context, "type": "Slot", "facilityUse": "#/facilityUse/0"}
    slot = oc.loads(doc)
    assert json.loads(oc.dumps(slot))["facilityUse"] == "#/facilityUse/0"
    assert isomorphic(oc.to_graph(slot), pyld_graph(doc))
