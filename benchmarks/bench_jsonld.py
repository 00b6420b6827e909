"""Reading + writing the seed's 201 response: openactive_checkout against pyld, one run.

    python -m benchmarks.bench_jsonld

pyld's path is what a JSON-LD toolkit does with the same text: parse the JSON, then
``jsonld.expand`` and ``jsonld.compact`` back to the document's context (with the same bundled
loader, so no network), then write the JSON. Both sides parse and write JSON text with the
same codec (this package's, msgspec), so the ratio measures JSON-LD work alone; that codec
alone is the practical ceiling. Goal (issue 2): ours at least 20x faster than pyld's.
"""

from __future__ import annotations

import json
from pathlib import Path

from pyld import jsonld

import openactive_checkout as oc
from benchmarks._timing import per_call, row
from openactive_checkout.jsonld import pyld_document_loader as document_loader
from openactive_checkout.jsonld._json import decode, encode

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "examples" / "checkout-session-response.json"
NORMALISE = ROOT / "examples" / "checkout-session-request.json"


def main() -> None:
    text = SEED.read_text(encoding="utf-8")
    context = {"@context": json.loads(text)["@context"]}
    options = {"documentLoader": document_loader()}

    def ours() -> str:
        return oc.dumps(oc.loads(text))

    def pyld_round_trip() -> str:
        expanded = jsonld.expand(decode(text), options)
        return encode(jsonld.compact(expanded, context, options))

    def plain_json() -> str:
        return encode(decode(text))

    # The normalising road: the same request with its contexts in another order.
    reordered = json.loads(NORMALISE.read_text(encoding="utf-8"))
    reordered["@context"] = list(reversed(reordered["@context"]))
    reordered_text = json.dumps(reordered)

    def ours_normalising() -> str:
        return oc.dumps(oc.loads(reordered_text))

    assert json.loads(ours()) == json.loads(text)
    t_pyld = per_call(pyld_round_trip)
    t_ours = per_call(ours)
    t_json = per_call(plain_json)
    t_norm = per_call(ours_normalising)
    print(f"read + write {SEED.relative_to(ROOT)} ({len(text)} bytes); ratio = pyld / this")
    print(row("pyld expand + compact (+ JSON text)", t_pyld, t_pyld))
    print(row("openactive_checkout loads + dumps", t_ours, t_pyld))
    print(row("openactive_checkout, contexts reordered (pyld)", t_norm, t_pyld))
    print(row("JSON text read + written (ceiling)", t_json, t_pyld))
    goal = t_pyld / t_ours
    print(f"speed-up over pyld: {goal:.1f}x (goal: at least 20x)")


if __name__ == "__main__":
    main()
