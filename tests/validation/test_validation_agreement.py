"""Agreement with the official OpenActive validator (``@openactive/data-model-validator``).

The official validator runs twice per session, each time in one Node process over the whole
corpus (the data-models examples in their modes, the deterministic mutation corpus of
``validation_corpus.py``, and the per-code examples):

- ``online``, as its users run it (``loadRemoteJson: true``), with its remote-JSON cache
  filled with the published documents the library bundles (the activity list, the namespace
  documents, ...) and the network refused (``oracle.js`` replaces axios' ``get``); compared
  with the native engine's default, ``documents="published"``;
- ``offline`` (``loadRemoteJson: false``), compared with ``documents="none"``.

The thresholds are the issue's: online at least 99% of documents get the same verdict
(failure or not) and at least 98% of the official failure paths are reported; offline the
agreement is exact. Both runs are also held to exact agreement, issue by issue.
"""

from __future__ import annotations

import hashlib
import json
import subprocess
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import validation_corpus
from validation_corpus import Case

from openactive_checkout.jsonld import published_document
from openactive_checkout.jsonld._context import bundled
from openactive_checkout.validation import ValidationDocuments, validate
from openactive_checkout.validation._examples import EXAMPLE_DOCUMENTS, EXAMPLES

HERE = Path(__file__).resolve().parent
ORACLE = HERE / "oracle.js"
VERDICT_AGREEMENT = {"online": 0.99, "offline": 1.0}
FAILURE_PATH_RECALL = {"online": 0.98, "offline": 1.0}
RUNS = ("online", "offline")

#: The documents the per-code examples add to the published ones (one set for the corpus).
EXTRA_DOCUMENTS: dict[str, Any] = {
    url: doc for documents in EXAMPLE_DOCUMENTS.values() for url, doc in documents.items()
}
ONLINE_DOCUMENTS = ValidationDocuments(EXTRA_DOCUMENTS)

#: Documents where a difference from the official validator is deliberate (id -> reason).
#: docs/validation.md lists the same differences. Empty: none on this corpus.
KNOWN_DIFFERENCES: dict[str, str] = {}


@dataclass(frozen=True)
class Outcome:
    case: Case
    official: list[dict[str, Any]] | None
    """The official results; None when the official validator crashed on the document."""
    crash: str = ""
    run: str = "online"

    def ours(self) -> Any:
        """The native report, with the documents of the official run."""
        documents = ONLINE_DOCUMENTS if self.run == "online" else "none"
        return validate(self.case.doc, mode=self.case.mode, documents=documents)  # type: ignore[arg-type]


def cache_entry(url: str, data: Any) -> dict[str, Any]:
    """A remote-JSON cache file's body, as the official validator's json-loader writes it."""
    return {
        "errorCode": "error_none",
        "data": data,
        "statusCode": 200,
        "url": url,
        "contentType": "application/ld+json",
        "fetchTime": int(time.time() * 1000),
    }


def fill_remote_json_cache(folder: Path) -> int:
    """Write every published document the library bundles (and the examples' extra ones)
    into ``folder`` as the official validator's remote-JSON cache; return how many."""
    folder.mkdir(parents=True, exist_ok=True)
    documents = {url: published_document(url) for url in bundled_contexts_documents()}
    documents.update(EXTRA_DOCUMENTS)
    for url, data in documents.items():
        name = hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json"
        (folder / name).write_text(json.dumps(cache_entry(url, data)), encoding="utf-8")
    return len(documents)


def bundled_contexts_documents() -> list[str]:
    """The URLs of the published documents bundled with the library."""
    return sorted(bundled().documents)


def example_cases() -> list[Case]:
    return [
        Case(f"example:{code}", mode, doc)
        for code, (mode, doc) in EXAMPLES.items()
        if not isinstance(doc, str) and not mode.startswith("Imin")
    ]


@pytest.fixture(scope="session")
def cases(data_models_dir: Path) -> list[Case]:
    return validation_corpus.corpus(data_models_dir) + example_cases()


@pytest.fixture(scope="session", params=RUNS)
def outcomes(
    request: pytest.FixtureRequest,
    cases: list[Case],
    validator_dir: Path,
    nodejs: str,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Outcome]:
    run: str = request.param
    if not (validator_dir / "src" / "validate.js").is_file():
        pytest.fail(f"@openactive/data-model-validator is not installed at {validator_dir}")
    args = [nodejs, str(ORACLE), str(validator_dir), run]
    if run == "online":
        cache = tmp_path_factory.mktemp("remote-json-cache")
        fill_remote_json_cache(cache)
        args.append(str(cache))
    jobs = [{"id": c.id, "mode": c.mode, "doc": c.doc} for c in cases]
    completed = subprocess.run(
        args,
        input=json.dumps(jobs).encode("utf-8"),
        capture_output=True,
        check=False,
        timeout=3600,
    )
    if completed.returncode != 0:
        pytest.fail(f"the official validator failed: {completed.stderr.decode()[-2000:]}")
    results = json.loads(completed.stdout)
    out = {}
    for case in cases:
        result = results[case.id]
        if isinstance(result, dict):
            out[case.id] = Outcome(case, None, result["crashed"], run=run)
        else:
            out[case.id] = Outcome(case, result, run=run)
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
    operators = (*validation_corpus.OPERATORS, *validation_corpus.ONLINE_OPERATORS)
    assert len({op.name for op in operators}) == len(operators)


def run_of(outcomes: dict[str, Outcome]) -> str:
    return next(iter(outcomes.values())).run


def test_verdict_agreement(outcomes: dict[str, Outcome]) -> None:
    rows = compared(outcomes)
    disagreements = [
        o.case.id
        for o in rows
        if o.official is not None
        and official_failure(o.official) != (not o.ours().conforms)
        and o.case.id not in KNOWN_DIFFERENCES
    ]
    agreement = 1 - len(disagreements) / len(rows)
    print(f"{run_of(outcomes)}: verdict agreement {agreement:.2%} over {len(rows)} documents")
    assert agreement >= VERDICT_AGREEMENT[run_of(outcomes)], disagreements[:20]
    assert not disagreements, f"{agreement:.1%} agreement; disagreements: {disagreements[:20]}"


def test_failure_path_recall(outcomes: dict[str, Outcome]) -> None:
    expected = 0
    found = 0
    missed: Counter[str] = Counter()
    for outcome in compared(outcomes):
        assert outcome.official is not None
        official = {r["path"] for r in outcome.official if r["severity"] == "failure"}
        ours = {i.json_path for i in outcome.ours().failures}
        expected += len(official)
        found += len(official & ours)
        for path in official - ours:
            missed[f"{outcome.case.id} {path}"] += 1
    recall = found / expected
    print(f"{run_of(outcomes)}: failure-path recall {recall:.2%} of {expected} paths")
    assert recall >= FAILURE_PATH_RECALL[run_of(outcomes)], list(missed)[:20]
    assert not missed, f"recall {recall:.1%}; missed: {list(missed)[:20]}"


def test_every_official_issue_is_reproduced_with_its_severity(
    outcomes: dict[str, Outcome],
) -> None:
    """Stronger than the thresholds: the same (path, severity) multiset, issue by issue."""
    different = []
    for outcome in compared(outcomes):
        assert outcome.official is not None
        theirs = Counter((r["path"], r["severity"]) for r in outcome.official)
        ours = Counter((i.json_path, i.severity.value) for i in outcome.ours())
        if theirs != ours and outcome.case.id not in KNOWN_DIFFERENCES:
            different.append((outcome.case.id, sorted(theirs - ours), sorted(ours - theirs)))
    assert not different, different[:5]


def test_documents_that_crash_the_official_validator_get_a_report(
    outcomes: dict[str, Outcome],
) -> None:
    crashed = [o for o in outcomes.values() if o.official is None]
    assert len(crashed) < len(outcomes) * 0.05
    for outcome in crashed:
        assert outcome.ours().mode == outcome.case.mode


def test_each_official_example_gets_the_official_verdict(
    outcomes: dict[str, Outcome], data_models_dir: Path
) -> None:
    for case in validation_corpus.examples(data_models_dir):
        outcome = outcomes[case.id]
        assert outcome.official is not None, case.id
        assert official_failure(outcome.official) == (not outcome.ours().conforms), case.id
