"""No global state: our graphs do not depend on rdflib.NORMALIZE_LITERALS, which pySHACL flips
while it runs, and building them changes no rdflib setting."""

from __future__ import annotations

from decimal import Decimal

import pyshacl
import pytest
import rdflib
from rdflib.compare import to_canonical_graph

import openactive_checkout as oc
from openactive_checkout.graph import to_graph
from openactive_checkout.vocab.openactive import Offer, ScheduledSession
from tests.conftest import seed_json

SHAPES = """
@prefix sh: <http://www.w3.org/ns/shacl#> .
@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://example.com/shapes/Offer> a sh:NodeShape ;
    sh:targetClass schema:Offer ;
    sh:property [ sh:path schema:price ; sh:minInclusive 0 ] .
"""


def _models() -> list[oc.JsonLdNode]:
    session = ScheduledSession(
        id="https://example.com/sessions/1",
        maximum_attendee_capacity=12,
        offers=[Offer(price=Decimal(text)) for text in ("10.50", "1E+22", "0.1")],
    )
    return [session, oc.loads(seed_json("response")), oc.loads(seed_json("error"))]


def _exact(graph: rdflib.Graph) -> set[str]:
    """The graph's triples as canonical N-Triples lines: exact lexical forms, blank nodes
    relabelled canonically."""
    return set(to_canonical_graph(graph).serialize(format="nt").splitlines())


# pySHACL 0.40 uses rdflib 7.6's deprecated Dataset API internally; that is not ours to fix.
@pytest.mark.shacl
@pytest.mark.filterwarnings("ignore::DeprecationWarning:pyshacl")
@pytest.mark.filterwarnings("ignore:Dataset.*deprecated:DeprecationWarning")
def test_graphs_are_identical_before_and_after_a_pyshacl_run() -> None:
    before = _exact(to_graph(_models()))
    setting = rdflib.NORMALIZE_LITERALS
    report = pyshacl.validate(to_graph(_models()), shacl_graph=SHAPES, shacl_graph_format="turtle")
    assert report[0] is True
    assert rdflib.NORMALIZE_LITERALS is setting
    assert _exact(to_graph(_models())) == before


def test_graphs_do_not_depend_on_normalize_literals(monkeypatch: pytest.MonkeyPatch) -> None:
    normalised = _exact(to_graph(_models()))
    monkeypatch.setattr(rdflib, "NORMALIZE_LITERALS", False)  # what pySHACL does while it runs
    assert _exact(to_graph(_models())) == normalised


def test_building_graphs_changes_no_rdflib_setting() -> None:
    setting = rdflib.NORMALIZE_LITERALS
    to_graph(_models())
    assert rdflib.NORMALIZE_LITERALS is setting


def test_doubles_are_in_the_form_rdflib_reads_them() -> None:
    lines = _exact(to_graph(_models()[0]))
    assert any('"10.5"^^<http://www.w3.org/2001/XMLSchema#double>' in line for line in lines)
    assert any('"1e+22"^^<http://www.w3.org/2001/XMLSchema#double>' in line for line in lines)
    assert any('"0.1"^^<http://www.w3.org/2001/XMLSchema#double>' in line for line in lines)
