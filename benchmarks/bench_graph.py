"""Models to RDF: ``to_graph`` against rdflib's own JSON-LD parser, and a 20,000-session feed
to N-Triples with and without Oxigraph. One run, side by side.

    python -m benchmarks.bench_graph [--sessions 20000]

Part 1. For each document (the seed documents and, when the pinned npm package is installed,
every example of ``@openactive/data-models``): ``to_graph(model)`` against
``Graph().parse(text, format="json-ld")`` of the same document with its contexts given inline
(so rdflib fetches nothing), both making a new graph. Both graphs are checked to be the same
first. Also shown: adding the finished triples to a new Graph (the floor both pay) and
``loads`` + ``to_graph`` from the text. Goal (issue 4): to_graph at least 3x faster than
rdflib's parser (geometric mean over the documents).

Part 2. A feed of N ScheduledSessions (NDJSON, each with an Offer; distinct ids, dates and
prices), end to end from the text. To N-Triples three ways: ``convert --to nt`` (N-Triples
text straight from the models, streaming), one rdflib Graph then ``serialize("nt")``, and
``convert --backend oxigraph`` (pyoxigraph's streaming serialiser). Then loading the feed
into one graph and asking ``sessions_by_start_date``: rdflib against Oxigraph. The Oxigraph
rows are skipped when pyoxigraph is not installed.
"""

from __future__ import annotations

import argparse
import io
import json
import math
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from rdflib import Graph
from rdflib.compare import isomorphic

import openactive_checkout as oc
from benchmarks._timing import per_call, row
from openactive_checkout.cli import run
from openactive_checkout.graph import sessions_by_start_date, to_graph, to_oxigraph
from openactive_checkout.jsonld._context import bundled

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
DATA_MODELS = ROOT / ".cache" / "npm" / "node_modules" / "@openactive" / "data-models"


def inline_context(value: Any) -> list[Any]:
    """A ``@context`` with every bundled URL replaced by its content (recursively)."""
    out: list[Any] = []
    for entry in value if isinstance(value, list) else [value]:
        if isinstance(entry, str):
            out.extend(inline_context(bundled().document(entry)["@context"]))
        else:
            out.append(entry)
    return out


def documents() -> list[tuple[str, dict[str, Any]]]:
    """(name, document) for the seed documents and the pinned examples."""
    found: list[tuple[str, dict[str, Any]]] = []
    sources = sorted(EXAMPLES.glob("*.json"))
    examples = DATA_MODELS / "versions" / "2.x" / "examples"
    if examples.is_dir():
        sources += sorted(examples.rglob("*.json"))
    else:
        print(f"(pinned examples not installed at {examples}: seed documents only)")
    for path in sources:
        data = json.loads(path.read_text(encoding="utf-8"))
        if isinstance(data, dict) and isinstance(data.get("items"), list):
            items = [i["data"] for i in data["items"] if isinstance(i, dict) and i.get("data")]
            found += [(f"{path.name}[{n}]", doc) for n, doc in enumerate(items[:1])]
        elif isinstance(data, dict):
            found.append((path.name, data))
    return found


def part_one() -> None:
    print("Part 1: to_graph(model) vs rdflib's JSON-LD parser, context inline (ratio rdflib/this)")
    ratios: list[float] = []
    totals = {"rdflib": 0.0, "ours": 0.0, "add": 0.0, "loads": 0.0}
    for name, document in documents():
        inline = dict(document, **{"@context": inline_context(document.get("@context"))})
        text = json.dumps(inline)
        wire = json.dumps(document)
        model = oc.loads(wire)

        def rdflib_parse(text: str = text) -> Graph:
            return Graph().parse(data=text, format="json-ld")

        def ours(model: Any = model) -> Graph:
            return to_graph(model)

        def loads_and_graph(wire: str = wire) -> Graph:
            return to_graph(oc.loads(wire))

        triples = list(ours())

        def add_only(triples: list[Any] = triples) -> Graph:
            graph = Graph()
            for triple in triples:
                graph.add(triple)
            return graph

        if not isomorphic(rdflib_parse(), ours()):
            raise SystemExit(f"{name}: rdflib's graph and to_graph's differ")
        times = {
            "rdflib": per_call(rdflib_parse, min_seconds=0.3),
            "ours": per_call(ours, min_seconds=0.3),
            "add": per_call(add_only, min_seconds=0.2),
            "loads": per_call(loads_and_graph, min_seconds=0.2),
        }
        for key, value in times.items():
            totals[key] += value
        t_rdflib, t_ours = times["rdflib"], times["ours"]
        ratios.append(t_rdflib / t_ours)
        print(f"{name[:40]:<40} {len(triples):4d} triples  rdflib {t_rdflib * 1e3:6.2f} ms  "
              f"to_graph {t_ours * 1e3:6.2f} ms  {t_rdflib / t_ours:4.1f}x  "
              f"(adding alone {times['add'] * 1e3:5.2f} ms, "
              f"loads + to_graph {times['loads'] * 1e3:5.2f} ms)")  # fmt: skip
    mean = math.exp(sum(map(math.log, ratios)) / len(ratios))
    print(row("all documents: rdflib parse", totals["rdflib"], totals["rdflib"]))
    print(row("all documents: to_graph(model)", totals["ours"], totals["rdflib"]))
    print(row("all documents: loads(text) + to_graph", totals["loads"], totals["rdflib"]))
    print(row("all documents: adding the triples to a Graph", totals["add"], totals["rdflib"]))
    print(f"to_graph speed-up over rdflib's parser: {mean:.1f}x geometric mean, "
          f"{min(ratios):.1f}x to {max(ratios):.1f}x (goal: at least 3x)\n")  # fmt: skip


def feed(sessions: int) -> str:
    """NDJSON: ``sessions`` distinct ScheduledSessions, one per line."""
    lines = []
    for n in range(sessions):
        day, hour = divmod(n, 12)
        lines.append(json.dumps({
            "@context": "https://openactive.io/",
            "@type": "ScheduledSession",
            "@id": f"https://example.com/api/scheduled-sessions/{n}",
            "identifier": str(n),
            "superEvent": f"https://example.com/api/session-series/{n % 97}",
            "startDate": f"2025-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{8 + hour:02d}:00:00Z",
            "endDate": f"2025-{1 + day // 28 % 12:02d}-{1 + day % 28:02d}T{8 + hour:02d}:45:00Z",
            "duration": "PT45M",
            "eventStatus": "https://schema.org/EventScheduled",
            "maximumAttendeeCapacity": 20,
            "remainingAttendeeCapacity": n % 21,
            "url": f"https://example.com/timetable/{n}",
            "offers": [{
                "@type": "Offer",
                "@id": f"https://example.com/api/session-series/{n % 97}#/offers/adult",
                "name": "Adult",
                "price": 5 + (n % 8) * 0.5,
                "priceCurrency": "GBP",
            }],
        }))  # fmt: skip
    return "\n".join(lines) + "\n"


def _seconds(run_once: Any) -> float:
    start = time.perf_counter()
    run_once()
    return time.perf_counter() - start


def part_two(sessions: int) -> None:
    print(f"Part 2: a {sessions:,}-session feed (NDJSON), end to end from the text")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "feed.ndjson"
        path.write_text(feed(sessions), encoding="utf-8")

        def cli(backend: str) -> None:
            with open(os.devnull, "w", encoding="utf-8") as sink:
                code = run(["convert", str(path), "--to", "nt", "--backend", backend],
                           sink, io.StringIO())  # fmt: skip
            if code != 0:
                raise SystemExit(f"convert --backend {backend} failed with exit code {code}")

        def models() -> list[Any]:
            with path.open(encoding="utf-8") as lines:
                return [oc.loads(line) for line in lines]

        def one_graph() -> None:
            to_graph(models()).serialize(format="nt")

        def graph_and_query() -> None:
            sessions_by_start_date(to_graph(models()), types=["ScheduledSession"])

        t_read = _seconds(models)
        print(f"{'  reading the models alone (loads per line)':<52} {t_read:7.2f} s")
        print("to N-Triples:")
        t_text = _seconds(lambda: cli("rdflib"))
        print(f"{'  convert --to nt (text straight from the models)':<52} {t_text:7.2f} s")
        t_graph = _seconds(one_graph)
        print(f"{'  one rdflib Graph, then serialize(format=nt)':<52} {t_graph:7.2f} s")
        try:
            import pyoxigraph  # noqa: F401
        except ImportError:
            print("Oxigraph: skipped (pip install 'openactive-checkout[oxigraph]')")
            return
        t_ox = _seconds(lambda: cli("oxigraph"))
        print(f"{'  convert --to nt --backend oxigraph':<52} {t_ox:7.2f} s")
        print("into a graph, then sessions_by_start_date (SPARQL):")
        t_rdflib_query = _seconds(graph_and_query)
        print(f"{'  rdflib: to_graph + query':<52} {t_rdflib_query:7.2f} s")
        t_ox_query = _seconds(
            lambda: sessions_by_start_date(to_oxigraph(models()), types=["ScheduledSession"])
        )
        print(f"{'  Oxigraph: to_oxigraph + query':<52} {t_ox_query:7.2f} s "
              f"{t_rdflib_query / t_ox_query:5.1f}x faster")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--sessions", type=int, default=20_000)
    args = parser.parse_args()
    part_one()
    part_two(args.sessions)


if __name__ == "__main__":
    main()
