"""Agreement with the official OpenActive validator (``@openactive/data-model-validator``).

The official validator runs once per session, offline (``loadRemoteJson: false``), in one
Node process over the whole corpus: the data-models examples in their modes, the
deterministic mutation corpus (``validation_corpus.py``), and the per-code examples. The
thresholds are the issue's: at least 95% of documents get the same verdict (failure or not),
and at least 90% of the official failure paths are reported by the native engine.
"""

from __future__ import annotations

import json
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import validation_corpus
from validation_corpus import Case

from openactive_checkout.validation import validate
from openactive_checkout.validation._examples import EXAMPLES

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "oracle.js"
VERDICT_AGREEMENT = 0.95
FAILURE_PATH_RECALL = 0.90

#: Documents where a difference from the official validator is deliberate (id -> reason).
#: docs/validation.md lists the same differences. Empty: none on this corpus.
KNOWN_DIFFERENCES: dict[str, str] = {}


@dataclass(frozen=True)
class Outcome:
    case: Case
    official: list[dict[str, Any]] | None
    """The official results; None when the official validator crashed on the document."""
    crash: str = ""


def example_cases() -> list[Case]:
    return [
        Case(f"example:{code}", mode, doc)
        for code, (mode, doc) in EXAMPLES.items()
        if not isinstance(doc, str) and not mode.startswith("Imin")
    ]


@pytest.fixture(scope="session")
def cases(data_models_dir: Path) -> list[Case]:
    return validation_corpus.corpus(data_models_dir) + example_cases()


@pytest.fixture(scope="session")
def outcomes(cases: list[Case], validator_dir: Path, nodejs: str) -> dict[str, Outcome]:
    if not (validator_dir / "src" / "validate.js").is_file():
        pytest.fail(f"@openactive/data-model-validator is not installed at {validator_dir}")
    jobs = [{"id": c.id, "mode": c.mode, "doc": c.doc} for c in cases]
    completed = subprocess.run(
        [nodejs, str(ORACLE), str(validator_dir)],
        input=json.dumps(jobs).encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=600,
    )
    if completed.returncode != 0:
        pytest.fail(f"the official validator failed: {completed.stderr.decode()[-2000:]}")
    results = json.loads(completed.stdout)
    out = {}
    for case in cases:
        result = results[case.id]
        if isinstance(result, dict):
            out[case.id] = Outcome(case, None, result["crashed"])
        else:
            out[case.id] = Outcome(case, result)
    return out


def official_failure(results: list[dict[str, Any]]) -> bool:
    return any(r["severity"] == "failure" for r in results)


def compared(outcomes: dict[str, Outcome]) -> list[Outcome]:
    return [o for o in outcomes.values() if o.official is not None]


def test_the_corpus_has_at_least_150_mutations_and_is_deterministic(
    data_models_dir: Path,
) -> None:
    base = validation_corpus.examples(data_models_dir)
    first = validation_corpus.mutations(base)
    second = validation_corpus.mutations(validation_corpus.examples(data_models_dir))
    assert len(first) >= 150
    assert [(c.id, c.doc) for c in first] == [(c.id, c.doc) for c in second]
    assert len({c.id for c in first}) == len(first)
    assert len({op.name for op in validation_corpus.OPERATORS}) == len(validation_corpus.OPERATORS)


def test_verdict_agreement(outcomes: dict[str, Outcome]) -> None:
    rows = compared(outcomes)
    disagreements = [
        o.case.id
        for o in rows
        if o.official is not None
        and official_failure(o.official) != (not validate(o.case.doc, mode=o.case.mode).conforms)
        and o.case.id not in KNOWN_DIFFERENCES
    ]
    agreement = 1 - len(disagreements) / len(rows)
    assert agreement >= VERDICT_AGREEMENT, disagreements[:20]
    assert not disagreements, f"{agreement:.1%} agreement; disagreements: {disagreements[:20]}"


def test_failure_path_recall(outcomes: dict[str, Outcome]) -> None:
    expected = 0
    found = 0
    missed: Counter[str] = Counter()
    for outcome in compared(outcomes):
        assert outcome.official is not None
        official = {r["path"] for r in outcome.official if r["severity"] == "failure"}
        ours = {i.json_path for i in validate(outcome.case.doc, mode=outcome.case.mode).failures}
        expected += len(official)
        found += len(official & ours)
        for path in official - ours:
            missed[f"{outcome.case.id} {path}"] += 1
    recall = found / expected
    assert recall >= FAILURE_PATH_RECALL, list(missed)[:20]
    assert not missed, f"recall {recall:.1%}; missed: {list(missed)[:20]}"


def test_every_official_issue_is_reproduced_with_its_severity(
    outcomes: dict[str, Outcome],
) -> None:
    """Stronger than the thresholds: the same (path, severity) multiset, issue by issue."""
    different = []
    for outcome in compared(outcomes):
        assert outcome.official is not None
        theirs = Counter((r["path"], r["severity"]) for r in outcome.official)
        report = validate(outcome.case.doc, mode=outcome.case.mode)
        ours = Counter((i.json_path, i.severity.value) for i in report)
        if theirs != ours and outcome.case.id not in KNOWN_DIFFERENCES:
            different.append((outcome.case.id, sorted(theirs - ours), sorted(ours - theirs)))
    assert not different, different[:5]


def test_documents_that_crash_the_official_validator_get_a_report(
    outcomes: dict[str, Outcome],
) -> None:
    crashed = [o for o in outcomes.values() if o.official is None]
    assert len(crashed) < len(outcomes) * 0.05
    for outcome in crashed:
        report = validate(outcome.case.doc, mode=outcome.case.mode)
        assert report.mode == outcome.case.mode


def test_each_official_example_gets_the_official_verdict(
    outcomes: dict[str, Outcome], data_models_dir: Path
) -> None:
    for case in validation_corpus.examples(data_models_dir):
        official = outcomes[case.id].official
        assert official is not None, case.id
        ours = validate(case.doc, mode=case.mode)
        assert official_failure(official) == (not ours.conforms), case.id
