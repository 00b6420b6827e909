"""Validation: the native engine against pySHACL and against the official validator, side by
side on the same documents, then a long RPDE page through the CLI.

    python -m benchmarks.bench_validation [--items 20000] [--no-node]

Part 1. The documents are the examples of the pinned ``@openactive/data-models`` package,
each in its validation mode. For each engine, milliseconds per document:

- ``native``: ``validate(doc, mode=...)``;
- ``shacl (batched)``: ``validate_all(docs, mode=..., engine="shacl")``, one RDF graph and
  one pySHACL run per mode (how the SHACL engine is meant to be used);
- ``shacl (one per call)``: ``validate(doc, engine="shacl")``, one pySHACL run per document;
- ``native, offline``: the same with ``documents="none"`` (nothing loads);
- ``official``: ``@openactive/data-model-validator`` in Node, timed inside Node (start-up and
  a warm-up run excluded): online, as its users run it, with its remote-JSON cache filled with
  the published documents the library bundles and the network refused; and offline. Goal
  (issue 13): native (online) at least 50x faster than the official validator online.

Before timing, the verdicts of both engines are compared document by document. Goal
(issue 5): native at least 20x faster than pySHACL, with the same verdicts.

Part 2. A synthetic RPDE page of N ScheduledSession items through ``openactive-checkout
validate`` (read item by item): items per second, and the time that means for 100,000.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import shutil
import subprocess
import tempfile
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

from benchmarks._timing import per_call
from openactive_checkout.cli import run
from openactive_checkout.validation import ValidationMode, is_mode, validate, validate_all

ROOT = Path(__file__).resolve().parent.parent
DATA_MODELS = ROOT / ".cache" / "npm" / "node_modules" / "@openactive" / "data-models"
VALIDATOR = DATA_MODELS.parent / "data-model-validator"

NODE_TIMER = r"""
const path = require('path');
const validatorDir = path.resolve(process.argv[1]);
const cacheDir = process.argv[2];  // online when given: the remote-JSON cache, network refused
if (cacheDir) {
  const axios = require(require.resolve('axios', { paths: [validatorDir] }));
  axios.get = async (url) => { throw new Error(`network refused: ${url}`); };
}
const { validate } = require(validatorDir);
(async () => {
  const chunks = [];
  for await (const chunk of process.stdin) chunks.push(chunk);
  const jobs = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  const options = cacheDir
    ? { loadRemoteJson: true, remoteJsonCachePath: cacheDir, remoteJsonCacheTimeToLive: 1e9 }
    : { loadRemoteJson: false };
  const once = async () => {
    for (const job of jobs) {
      await validate(JSON.parse(job.doc), { ...options, validationMode: job.mode });
    }
  };
  await once();  // warm up
  let best = Infinity;
  for (let i = 0; i < 3; i += 1) {
    const start = process.hrtime.bigint();
    await once();
    best = Math.min(best, Number(process.hrtime.bigint() - start) / 1e6);
  }
  process.stdout.write(JSON.stringify({ msPerDocument: best / jobs.length }));
})();
"""


def examples() -> list[tuple[str, ValidationMode, Any]]:
    """(name, mode, document) for the examples of the pinned data-models package."""
    base = DATA_MODELS / "versions" / "2.x" / "examples"
    listing = json.loads((base / "example_list.json").read_text(encoding="utf-8"))
    found: list[tuple[str, ValidationMode, Any]] = []
    for group in listing:
        for entry in group["exampleList"]:
            if not entry["file"].startswith("http"):
                doc = json.loads((base / entry["file"]).read_text(encoding="utf-8"))
                mode = entry.get("validationMode", "RPDEFeed")
                if not is_mode(mode):
                    raise SystemExit(f"{entry['file']}: unknown validation mode {mode!r}")
                found.append((entry["file"], mode, doc))
    return found


def by_mode(docs: list[tuple[str, ValidationMode, Any]]) -> dict[ValidationMode, list[Any]]:
    grouped: dict[ValidationMode, list[Any]] = defaultdict(list)
    for _, mode, doc in docs:
        grouped[mode].append(doc)
    return grouped


def fill_remote_json_cache(folder: Path) -> None:
    """The official validator's remote-JSON cache, filled with the published documents the
    library bundles (file: sha256 of the URL; body as its json-loader writes it)."""
    from openactive_checkout.jsonld import published_document
    from openactive_checkout.jsonld._context import bundled

    for url in bundled().documents:
        body = {
            "errorCode": "error_none",
            "data": published_document(url),
            "statusCode": 200,
            "url": url,
            "contentType": "application/ld+json",
            "fetchTime": int(time.time() * 1000),
        }
        name = hashlib.sha256(url.encode("utf-8")).hexdigest() + ".json"
        (folder / name).write_text(json.dumps(body), encoding="utf-8")


def official_ms(docs: list[tuple[str, ValidationMode, Any]], *, online: bool) -> float | None:
    """The official validator's milliseconds per document, timed inside Node (start-up and a
    warm-up run excluded); online with the published documents in its cache."""
    node = shutil.which("node")
    if node is None or not (VALIDATOR / "src" / "validate.js").is_file():
        return None
    jobs = [{"mode": mode, "doc": json.dumps(doc)} for _, mode, doc in docs]
    with tempfile.TemporaryDirectory() as cache:
        args = [node, "-e", NODE_TIMER, str(VALIDATOR)]
        if online:
            fill_remote_json_cache(Path(cache))
            args.append(cache)
        done = subprocess.run(
            args, input=json.dumps(jobs).encode("utf-8"), capture_output=True, check=True
        )
    result: float = json.loads(done.stdout)["msPerDocument"]
    return result


def part_one(use_node: bool) -> None:
    docs = examples()
    grouped = by_mode(docs)
    print(f"Part 1: {len(docs)} documents (the data-models examples, in their modes)")
    agree = 0
    for mode, group in grouped.items():
        native_reports = validate_all(group, mode=mode)
        shacl_reports = validate_all(group, mode=mode, engine="shacl")
        agree += sum(
            n.conforms == s.conforms for n, s in zip(native_reports, shacl_reports, strict=True)
        )
    print(f"  verdicts: native and shacl agree on {agree} of {len(docs)} documents")

    def native_all() -> None:
        for _, mode, doc in docs:
            validate(doc, mode=mode)

    def native_offline() -> None:
        for _, mode, doc in docs:
            validate(doc, mode=mode, documents="none")

    def shacl_batched() -> None:
        for mode, group in grouped.items():
            validate_all(group, mode=mode, engine="shacl")

    def shacl_single() -> None:
        for _, mode, doc in docs:
            validate(doc, mode=mode, engine="shacl")

    count = len(docs)
    native = per_call(native_all, min_seconds=1.0, repeats=3) / count
    offline = per_call(native_offline, min_seconds=1.0, repeats=3) / count
    online_official = official_ms(docs, online=True) if use_node else None
    offline_official = official_ms(docs, online=False) if use_node else None
    rows: list[tuple[str, float | None]] = [
        ("native", native),
        ('native, offline (documents="none")', offline),
        ("shacl (batched, one pySHACL run per mode)", per_call(shacl_batched, repeats=3) / count),
        ("shacl (one pySHACL run per document)", per_call(shacl_single, repeats=2) / count),
        (
            "official validator (Node, online, cached)",
            online_official / 1e3 if online_official is not None else None,
        ),
        (
            "official validator (Node, offline)",
            offline_official / 1e3 if offline_official is not None else None,
        ),
    ]
    print(f"  {'engine':<44} {'ms/document':>12} {'native is':>12}")
    for label, seconds in rows:
        if seconds is None:
            print(f"  {label:<44} {'(not run)':>12}")
            continue
        ratio = "" if label == "native" else f"{seconds / native:10.1f}x"
        print(f"  {label:<44} {seconds * 1e3:12.3f} {ratio:>12}")


def session_item(index: int) -> dict[str, Any]:
    start = f"2025-01-{1 + index % 28:02d}T{6 + index % 12:02d}:00:00Z"
    end = f"2025-01-{1 + index % 28:02d}T{7 + index % 12:02d}:00:00Z"
    return {
        "state": "updated",
        "kind": "ScheduledSession",
        "id": str(index),
        "modified": index,
        "data": {
            "@context": "https://openactive.io/",
            "@type": "ScheduledSession",
            "@id": f"https://example.com/scheduled-sessions/{index}",
            "superEvent": "https://example.com/session-series/1",
            "startDate": start,
            "endDate": end,
            "duration": "PT1H",
            "maximumAttendeeCapacity": 20,
            "remainingAttendeeCapacity": index % 20,
        },
    }


def part_two(items: int) -> None:
    print(f"Part 2: an RPDE page of {items:,} ScheduledSession items, CLI (item by item)")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.json"
        with path.open("w", encoding="utf-8") as stream:
            stream.write('{"next": "https://example.com/feed?afterChangeNumber=1", "items": [')
            for index in range(items):
                stream.write(("," if index else "") + json.dumps(session_item(index)))
            stream.write("]}")
        start = time.perf_counter()
        code = run(["validate", str(path), "--no-progress"], io.StringIO(), io.StringIO())
        elapsed = time.perf_counter() - start
    rate = items / elapsed
    print(
        f"  {elapsed:.2f}s, {rate:,.0f} items/s (exit code {code}); 100,000 items: "
        f"{100_000 / rate:.1f}s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument("--no-node", action="store_true", help="skip the official validator")
    args = parser.parse_args()
    if not (DATA_MODELS / "versions" / "2.x").is_dir():
        raise SystemExit(f"the pinned @openactive/data-models package is not at {DATA_MODELS}")
    part_one(not args.no_node)
    part_two(args.items)


if __name__ == "__main__":
    main()
