"""The SHACL engine: shapes generated from the requirement data, run by pySHACL together with
the JSON-level rules, give the native engine's verdict on every document of the corpus."""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import pytest
import rdflib
import validation_corpus
from pyld import jsonld

from openactive_checkout.jsonld import pyld_document_loader as document_loader
from openactive_checkout.validation import CODES, MODES, validate, validate_all
from openactive_checkout.validation._examples import EXAMPLES, _order_quote
from openactive_checkout.validation._formats import is_date, is_datetime, is_duration, is_time
from openactive_checkout.validation._shacl import shapes_for
from openactive_checkout.validation._shapes import PATTERNS
from openactive_checkout.validation._typing import DATE, DATETIME, DURATION, TIME

ROOT = Path(__file__).resolve().parents[2]
SHAPES = ROOT / "openactive_checkout" / "validation" / "_data" / "shapes"
ANNOTATION = rdflib.URIRef("urn:openactive-checkout:validation#code")


def all_cases(data_models_dir: Path) -> list[validation_corpus.Case]:
    cases = validation_corpus.corpus(data_models_dir)
    cases += [
        validation_corpus.Case(f"example:{code}", mode, doc)
        for code, (mode, doc) in EXAMPLES.items()
    ]
    return cases


@pytest.fixture(scope="module")
def both_engines(data_models_dir: Path) -> list[tuple[str, Any, Any]]:
    """(case id, native report, SHACL report) for every case, one SHACL run per mode."""
    by_mode: dict[str, list[validation_corpus.Case]] = defaultdict(list)
    for case in all_cases(data_models_dir):
        by_mode[case.mode].append(case)
    rows = []
    for mode, cases in by_mode.items():
        docs = [case.doc for case in cases]
        native = validate_all(docs, mode=mode)
        shacl = validate_all(docs, mode=mode, engine="shacl")
        rows += [(c.id, n, s) for c, n, s in zip(cases, native, shacl, strict=True)]
    return rows


def test_both_engines_give_the_same_verdict_on_every_document(
    both_engines: list[tuple[str, Any, Any]],
) -> None:
    different = [case for case, native, shacl in both_engines if native.conforms != shacl.conforms]
    assert not different


def test_both_engines_report_the_same_issues(both_engines: list[tuple[str, Any, Any]]) -> None:
    for case, native, shacl in both_engines:
        ours = Counter((i.json_path, i.code, i.severity) for i in native)
        theirs = Counter((i.json_path, i.code, i.severity) for i in shacl)
        assert ours == theirs, (case, ours - theirs, theirs - ours)
        assert shacl.engine == "shacl"


@pytest.mark.shacl
def test_the_shapes_find_issues_themselves(data_models_dir: Path) -> None:
    """The shapes are not decoration: pySHACL finds the issues they cover."""
    import openactive_checkout.validation._shacl as shacl

    found: Counter[str] = Counter()
    original = shacl._issues_from_results

    def counting(*args: Any, **kwargs: Any) -> Any:
        result = original(*args, **kwargs)
        for issues in result.values():
            found.update(issue.code for issue in issues)
        return result

    mode, doc = EXAMPLES["invalid-datetime"]
    shacl._issues_from_results = counting  # type: ignore[assignment]
    try:
        report = validate(doc, mode=mode, engine="shacl")
        for code in ("invalid-currency", "country-uk"):
            mode, doc = EXAMPLES[code]
            validate(doc, mode=mode, engine="shacl")
        quote = _order_quote()
        del quote["orderedItem"][0]["acceptedOffer"]  # OrderItem requires it in C1Request
        missing = validate(quote, mode="C1Request", engine="shacl")
    finally:
        shacl._issues_from_results = original  # type: ignore[assignment]
    assert "invalid-datetime" in {i.code for i in report}
    assert "$.orderedItem[0].acceptedOffer" in {i.json_path for i in missing.failures}
    assert {"invalid-datetime", "invalid-currency", "required-field-missing"} <= set(found)
    assert "country-uk" not in found  # a JSON-level rule: not in the shapes


def test_shapes_are_valid_turtle_with_known_codes() -> None:
    files = sorted(SHAPES.rglob("*.ttl"))
    assert len(files) == 2 + len(MODES)
    for path in files:
        graph = rdflib.Graph().parse(path, format="turtle")
        codes = {str(o) for o in graph.objects(None, ANNOTATION)}
        assert codes <= set(CODES), path


def test_the_shapes_graph_is_parsed_once_per_mode() -> None:
    assert shapes_for("C1Request") is shapes_for("C1Request")
    assert shapes_for("C1Request").graph is not shapes_for("C2Request").graph


@pytest.mark.shacl
def test_pyshacl_leaves_rdflib_settings_alone() -> None:
    before = rdflib.NORMALIZE_LITERALS
    mode, doc = EXAMPLES["invalid-datetime"]
    validate(doc, mode=mode, engine="shacl")
    assert before == rdflib.NORMALIZE_LITERALS


def test_unparseable_text_is_one_failure_with_either_engine() -> None:
    assert [i.code for i in validate("{", engine="shacl")] == ["invalid-json"]


@pytest.mark.shacl
def test_the_shapes_work_on_their_own_with_pyshacl() -> None:
    """Another RDF tool can use the shapes: pySHACL on pyld's RDF of a plain document."""
    import pyshacl

    doc = {
        "@context": "https://openactive.io/",
        "@type": "Offer",
        "@id": "https://example.com/offers/1",
        "price": 5,
        "priceCurrency": "POUNDS",
    }
    nquads = jsonld.to_rdf(
        doc, {"documentLoader": document_loader(), "format": "application/n-quads"}
    )
    data = rdflib.Graph().parse(data=nquads, format="nt")  # default graph only
    shapes = rdflib.Graph()
    shapes.parse(SHAPES / "common.ttl", format="turtle")
    shapes.parse(SHAPES / "modes" / "C1Response.ttl", format="turtle")
    conforms, results, _ = pyshacl.validate(data, shacl_graph=shapes)
    assert not conforms
    codes = {
        str(o)
        for o in results.objects(None, rdflib.URIRef("http://www.w3.org/ns/shacl#sourceShape"))
    }
    assert any("priceCurrency" in c for c in codes)


# -- the shapes' patterns are the native format checks -----------------------------------

FORMATS = {DATETIME: is_datetime, DATE: is_date, TIME: is_time, DURATION: is_duration}
SAMPLES = [
    "2018-01-27T12:00:00Z",
    "2018-01-27T12:00:00+01:00",
    "2018-01-27T12:00:00+0100",
    "2018-01-27T12:00:00+01",
    "2018-01-27T24:00:00Z",
    "2016-02-29T00:00:00Z",
    "2000-02-29T00:00:00Z",
    "1900-02-29T00:00:00Z",
    "2018-01-27T12:00:00+14:00",
    "2018-01-27T12:00:00+14:01",
    "2018-01-27T12:00:00-12:00",
    "2018-01-27T12:00:00-12:30",
    "2018-01-27T12:00:00",
    "2018-01-27T12:00:00.000Z",
    "2018-02-30T12:00:00Z",
    "2018-04-31",
    "2018-12-31",
    "20180127",
    "20160229",
    "20170229",
    "12:00",
    "12:00:00",
    "24:00",
    "24:00:01",
    "9:00",
    "23:60",
    "PT1H30M",
    "P1D",
    "P2W",
    "PT1.5H",
    "PT1.5H30M",
    "P",
    "PT",
    "P1Y2M3DT4H5M6S",
    "0000-02-29",
    "9999-12-31T23:59:59z",
]


@pytest.mark.parametrize("kind", sorted(FORMATS))
def test_patterns_agree_with_the_native_checks(kind: str) -> None:
    pattern = re.compile(PATTERNS[kind])
    rng = random.Random(7)
    alphabet = "0123456789-:TZ+PYMWDHS.,z"
    values = list(SAMPLES)
    for _ in range(3000):
        base = rng.choice(SAMPLES)
        chars = list(base)
        chars[rng.randrange(len(chars))] = rng.choice(alphabet)
        values.append("".join(chars))
    for value in values:
        assert bool(pattern.search(value)) == FORMATS[kind](value), (kind, value)


@pytest.mark.shacl
def test_shacl_engine_from_the_cli(tmp_path: Path) -> None:
    from io import StringIO

    from openactive_checkout.cli import run

    mode, doc = EXAMPLES["invalid-datetime"]
    path = tmp_path / "doc.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    out = StringIO()
    code = run(
        ["validate", str(path), "--mode", mode, "--engine", "shacl", "--format", "json"],
        out,
        StringIO(),
    )
    data = json.loads(out.getvalue())
    assert code == 1
    assert data["engine"] == "shacl"
    native = validate(doc, mode=mode)
    assert Counter(i["code"] for i in data["files"][0]["documents"][0]["issues"]) == Counter(
        i.code for i in native
    )
