"""The generated vocabulary on the largest pinned examples, against pyld; and the import cost.

    python -m benchmarks.bench_vocabulary

For each of the largest JSON-LD documents among ``@openactive/data-models@3.0.9``'s examples:
``loads`` + ``dumps`` (read into the generated models, write the wire form) against what a
JSON-LD toolkit does with the same text: parse the JSON, pyld ``expand`` then ``compact`` back
to the document's context (bundled loader, no network), write the JSON. Both sides parse and
write JSON text with the same codec (this package's, msgspec), so the ratio measures JSON-LD
work alone. Goal (issue 3): ours at least 30x faster.

Then ``import openactive_checkout`` in fresh interpreters (``-X importtime``, best of 5, with
bytecode caches as an installed package has them), and which of rdflib, pyld and pySHACL that
import loads. Goal: at most 150 ms, none of the three.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from pyld import jsonld

import openactive_checkout as oc
from benchmarks._timing import per_call, row
from openactive_checkout.jsonld import pyld_document_loader as document_loader
from openactive_checkout.jsonld._json import decode, encode

ROOT = Path(__file__).resolve().parent.parent
NPM_MODULES = Path(os.environ.get("OPENACTIVE_NPM_MODULES", ROOT / ".cache/npm/node_modules"))
EXAMPLES = NPM_MODULES / "@openactive" / "data-models" / "versions" / "2.x" / "examples"
LARGEST = 4
IMPORT_RUNS = 5


def largest_documents(count: int = LARGEST) -> list[tuple[str, str]]:
    """(name, JSON text) of the largest JSON-LD documents (an RPDE item's data counts)."""
    if not EXAMPLES.is_dir():
        sys.exit(f"{EXAMPLES} is missing: install @openactive/data-models@3.0.9 (see .ci/run)")
    documents = []
    for path in sorted(EXAMPLES.rglob("*.json")):
        parsed: Any = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(parsed, dict):
            continue
        for data in [item["data"] for item in parsed.get("items", []) if "data" in item] or [
            parsed
        ]:
            documents.append((path.name, json.dumps(data, ensure_ascii=False)))
    return sorted(documents, key=lambda d: -len(d[1]))[:count]


def compare(name: str, text: str) -> float:
    """Print the timings for one document; return the speed-up over pyld."""
    context = {"@context": json.loads(text)["@context"]}
    options = {"documentLoader": document_loader()}

    def ours() -> str:
        return oc.dumps(oc.loads(text))

    def pyld_round_trip() -> str:
        expanded = jsonld.expand(decode(text), options)
        return encode(jsonld.compact(expanded, context, options))

    def plain_json() -> str:
        return encode(decode(text))

    assert json.loads(ours()) == json.loads(text), name
    t_pyld = per_call(pyld_round_trip)
    t_ours = per_call(ours)
    t_json = per_call(plain_json)
    print(f"{name} ({len(text)} bytes); ratio = pyld / this")
    print(row("  pyld expand + compact (+ JSON text)", t_pyld, t_pyld))
    print(row("  openactive_checkout loads + dumps", t_ours, t_pyld))
    print(row("  JSON text read + written (ceiling)", t_json, t_pyld))
    return t_pyld / t_ours


def import_milliseconds() -> tuple[float, list[str]]:
    """Best cumulative ``import openactive_checkout`` time, and heavy modules it loaded."""
    code = (
        "import sys, openactive_checkout\n"
        "print(sorted(m for m in ('rdflib', 'pyld', 'pyshacl') if m in sys.modules))"
    )
    # With bytecode caches, as after `pip install` (which compiles them): the first run
    # writes them where PYTHONDONTWRITEBYTECODE had stopped that; best of the runs.
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    best = float("inf")
    loaded: list[str] = []
    for _ in range(IMPORT_RUNS):
        run = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", code],
            capture_output=True, text=True, check=True, cwd=ROOT, env=env,
        )  # fmt: skip
        match = re.search(r"\|\s*(\d+) \| openactive_checkout\n", run.stderr)
        if match is None:
            sys.exit("could not read -X importtime output")
        best = min(best, int(match.group(1)) / 1000)
        loaded = json.loads(run.stdout.strip().replace("'", '"'))
    return best, loaded


def main() -> None:
    ratios = [compare(name, text) for name, text in largest_documents()]
    print(f"speed-up over pyld: {min(ratios):.1f}x worst, {max(ratios):.1f}x best "
          "(goal: at least 30x)")  # fmt: skip
    milliseconds, loaded = import_milliseconds()
    print(f"import openactive_checkout: {milliseconds:.1f} ms, best of {IMPORT_RUNS} "
          f"(goal: at most 150 ms); rdflib/pyld/pySHACL loaded: {loaded or 'none'}")  # fmt: skip


if __name__ == "__main__":
    main()
