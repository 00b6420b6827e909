"""Reading + writing JSON-LD: openactive_checkout against pyld, one run.

    python -m benchmarks.bench_jsonld

pyld's path is what a JSON-LD toolkit does with the same text: parse the JSON, then
``jsonld.expand`` and ``jsonld.compact`` back to the document's context (with the same bundled
loader, so no network), then write the JSON. Both sides parse and write JSON text with the
same codec (this package's, msgspec), so the ratio measures JSON-LD work alone; that codec
alone is the practical ceiling.

Two roads are timed. The fast road reads documents whose context is already canonical (the
seed's 201 response; goal, issue 2: at least 20x pyld). The normalising road reads every other
document; here, "contexts reordered": the seed documents and the pinned data models' examples
with their contexts shuffled (duplicated where there is only one), each against pyld on the
very same text (goal, issue 12: at least 3x pyld on each set).
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

from pyld import jsonld

import openactive_checkout as oc
from benchmarks._timing import per_call, row
from openactive_checkout.jsonld import pyld_document_loader as document_loader
from openactive_checkout.jsonld._json import decode, encode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "checkout-session-response.json"
SEEDS = ("checkout-session-request.json", "checkout-session-response.json",
         "unavailable-opportunity-error.json")  # fmt: skip
PINNED = ROOT / ".cache" / "npm" / "node_modules" / "@openactive" / "data-models" / "versions"
PINNED_EXAMPLES = PINNED / "2.x" / "examples"


def shuffled_contexts(document: dict[str, Any], seed: int) -> dict[str, Any]:
    """The document with its contexts in another order (duplicated when there is only one),
    which sends it down the normalising road."""
    out = copy.deepcopy(document)
    raw = out.get("@context")
    entries = list(raw) if isinstance(raw, list) else [raw]
    if len(entries) > 1:
        original = list(entries)
        random.Random(seed).shuffle(entries)
        if entries == original:
            entries.reverse()
    else:
        entries *= 2
    out["@context"] = entries
    return out


def pinned_examples() -> list[dict[str, Any]]:
    """The JSON-LD documents among the pinned data models' examples (RPDE items' data)."""
    documents = []
    for path in sorted(PINNED_EXAMPLES.rglob("*.json")):
        if path.name == "example_list.json":
            continue
        document = json.loads(path.read_text(encoding="utf-8"))
        if "items" in document:
            documents += [item["data"] for item in document["items"] if "data" in item]
        else:
            documents.append(document)
    return documents


def round_trips(texts: list[str]) -> tuple[Callable[[], Any], Callable[[], Any]]:
    """(ours, pyld's) read + write of every text, each against its own context."""
    options = {"documentLoader": document_loader()}
    contexts = [{"@context": json.loads(text)["@context"]} for text in texts]

    def ours() -> None:
        for text in texts:
            oc.dumps(oc.loads(text))

    def pyld_round_trip() -> None:
        for text, context in zip(texts, contexts, strict=True):
            encode(jsonld.compact(jsonld.expand(decode(text), options), context, options))

    return ours, pyld_round_trip


def normalising(label: str, documents: list[dict[str, Any]]) -> float:
    """Time the normalising road on the documents with shuffled contexts; the ratio to pyld."""
    texts = [json.dumps(shuffled_contexts(doc, seed)) for seed, doc in enumerate(documents)]
    ours, theirs = round_trips(texts)
    t_pyld = per_call(theirs, min_seconds=1.0)
    t_ours = per_call(ours, min_seconds=1.0)
    size = sum(map(len, texts))
    print(f"contexts reordered: {label} ({len(texts)} documents, {size} bytes)")
    print(row("  pyld expand + compact (+ JSON text)", t_pyld, t_pyld))
    print(row("  openactive_checkout loads + dumps", t_ours, t_pyld))
    return t_pyld / t_ours


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    ours, theirs = round_trips([text])

    def plain_json() -> str:
        return encode(decode(text))

    assert json.loads(oc.dumps(oc.loads(text))) == json.loads(text)
    t_pyld = per_call(theirs)
    t_ours = per_call(ours)
    t_json = per_call(plain_json)
    print(f"read + write {SEED.relative_to(ROOT)} ({len(text)} bytes); ratio = pyld / this")
    print(row("pyld expand + compact (+ JSON text)", t_pyld, t_pyld))
    print(row("openactive_checkout loads + dumps", t_ours, t_pyld))
    print(row("JSON text read + written (ceiling)", t_json, t_pyld))
    print(f"fast road speed-up over pyld: {t_pyld / t_ours:.1f}x (goal: at least 20x)")
    print()

    seeds = [json.loads((ROOT / "examples" / name).read_text(encoding="utf-8")) for name in SEEDS]
    ratios = {"seed documents": normalising("the seed documents", seeds)}
    if PINNED_EXAMPLES.is_dir():
        ratios["pinned examples"] = normalising("the pinned examples", pinned_examples())
    else:
        print(f"(the pinned examples are not installed: {PINNED_EXAMPLES.relative_to(ROOT)})")
    for label, ratio in ratios.items():
        print(f"normalising road speed-up over pyld, {label}: {ratio:.1f}x (goal: at least 3x)")


if __name__ == "__main__":
    main()
