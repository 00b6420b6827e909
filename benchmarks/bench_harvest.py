"""Harvesting at scale (issue 14): throughput and memory, kill -9 and resume, the triple
store sink, and Dask against a plain loop.

    python -m benchmarks.bench_harvest [--quick] [--workers N] [--kills 20] [--only PART]

Part ``throughput``: mock feeds (ScheduledSession items, 500 per feed, pages of 100, one item
in 50 invalid) served on loopback by uvicorn; ``openactive-checkout harvest`` run as a
process into SQLite with ``--validate RPDEFeed``, once for 20 feeds (10k items) and once for
200 feeds (100k items). Prints items/s and the peak RSS of the harvester (its worker
processes included, sampled every 50 ms); the goal is peak RSS at 100k no more than 1.2x
that at 10k (constant memory).

Part ``kills``: the harvester killed (SIGKILL) at ``--kills`` random points, the feeds
changing now and then, and resumed; after each series the store and the NDJSON files must
equal the feeds exactly (items, versions, deletions).

Part ``sparql``: ``oxigraph serve`` started on loopback; about 100k triples harvested into it
(one named graph per item), then 5% of the items changed and 5% deleted and harvested again;
the store must hold exactly the feeds' graph (every named graph isomorphic to its item's).

Part ``dask``: 10k harvested items (NDJSON) summarised by ``summarise_issues`` in one loop and
by ``openactive_checkout.dask.summarise`` on ``LocalCluster(n_workers=2, processes=True)``;
the summaries must be equal.

``--quick`` divides the sizes by ten (a smoke run).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import httpx

from openactive_checkout.harvest import NdjsonSink, SparqlSink, harvest, summarise_issues
from openactive_checkout.testing import BackgroundServer
from tests.harvest.faults import kill_and_resume
from tests.harvest.synthetic import SyntheticFeeds

ITEMS_PER_FEED = 500


def _tree_rss(pid: int) -> int:
    import psutil  # type: ignore[import-untyped]  # (distributed's dependency)

    try:
        process = psutil.Process(pid)
        total: int = process.memory_info().rss
        for child in process.children(recursive=True):
            with suppress(psutil.Error):
                total += child.memory_info().rss
        return total
    except psutil.Error:
        return 0


def run_harvester(argv: list[str]) -> tuple[float, int, str]:
    """Run a harvester process: (seconds, peak RSS of its process tree in bytes, stdout)."""
    started = time.monotonic()
    process = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    done = threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], _tree_rss(process.pid))
            done.wait(0.05)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    out, err = process.communicate()
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    if process.returncode not in (0, 1):
        raise SystemExit(f"the harvester failed ({process.returncode}):\n{err[-3000:]}")
    return seconds, peak[0], out


def throughput(scale: float, workers: int) -> None:
    print("== throughput and memory: SQLite, --validate RPDEFeed, pages of 100")
    peaks: dict[int, int] = {}
    for feeds_count in (20, 200):
        n_feeds = max(2, round(feeds_count * scale))
        feeds = SyntheticFeeds(n_feeds, ITEMS_PER_FEED, page_size=100, invalid_every=50)
        with BackgroundServer(feeds) as server, tempfile.TemporaryDirectory() as folder:
            feeds.base = server.url
            argv = [sys.executable, "-m", "openactive_checkout", "harvest", *feeds.urls,
                    "--state", f"sqlite:///{folder}/h.db", "--validate", "RPDEFeed",
                    "--quiet", "--format", "json", "--workers", str(workers)]  # fmt: skip
            seconds, peak, out = run_harvester(argv)
        summary = json.loads(out)
        items = summary["items"]
        expected_invalid = n_feeds * (ITEMS_PER_FEED // 50)
        assert items == n_feeds * ITEMS_PER_FEED, items
        assert summary["issues"]["invalid"] == expected_invalid, summary["issues"]["invalid"]
        peaks[items] = peak
        print(
            f"{n_feeds:>4} feeds x {ITEMS_PER_FEED} = {items:>7} items: {seconds:7.1f} s, "
            f"{items / seconds:7.0f} items/s (process), "
            f"{items / summary['seconds']:7.0f} items/s (harvest loop), "
            f"peak RSS {peak / 2**20:6.1f} MiB (workers={workers})"
        )
    small, large = sorted(peaks)
    ratio = peaks[large] / peaks[small]
    print(f"peak RSS at {large} items / at {small} items: {ratio:.2f}x (goal <= 1.2x)")


def kills(count: int, scale: float) -> None:
    print(f"== kill -9 at {count} random points, then resume")
    feeds = SyntheticFeeds(10, max(20, round(200 * scale * 10) // 10), page_size=10, seed=20)
    with BackgroundServer(feeds) as server, tempfile.TemporaryDirectory() as folder:
        feeds.base = server.url
        report = kill_and_resume(feeds, Path(folder), kills=count, rng=random.Random(20))
    print(
        f"{report.kills} kills ({report.killed_mid_harvest} while harvesting), "
        f"{report.runs} runs in {report.seconds:.1f} s: store and NDJSON equal to the feeds"
    )


@contextmanager
def oxigraph_server() -> Iterator[str]:
    program = shutil.which("oxigraph")
    if program is None:
        raise SystemExit("oxigraph is not installed: pip install oxigraph")
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    folder = tempfile.mkdtemp(prefix="bench-oxigraph-")
    process = subprocess.Popen(
        [program, "serve", "--location", folder, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(600):
            try:
                httpx.get(url + "/query?query=ASK%7B%7D", timeout=1.0)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url
    finally:
        process.kill()
        process.wait()
        shutil.rmtree(folder, ignore_errors=True)


def _store_graphs(url: str) -> dict[str, list[str]]:
    import pyoxigraph

    response = httpx.get(url + "/store", headers={"Accept": "application/n-quads"}, timeout=300)
    response.raise_for_status()
    graphs: dict[str, list[str]] = {}
    for quad in pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_QUADS):
        name = quad.graph_name.value if isinstance(quad.graph_name, pyoxigraph.NamedNode) else ""
        graphs.setdefault(name, []).append(f"{quad.subject} {quad.predicate} {quad.object} .\n")
    return graphs


def _check_store(url: str, feeds: SyntheticFeeds) -> int:
    from rdflib import Graph
    from rdflib.compare import isomorphic

    from openactive_checkout import loads, to_graph
    from openactive_checkout.harvest import HarvestItem, item_graph

    found = _store_graphs(url)
    expected: dict[str, Any] = {}
    for feed, items in feeds.expected().items():
        for (kind, item_id), item in items.items():
            if item["state"] == "updated":
                name = item_graph(feed, HarvestItem("updated", kind, item_id, item["modified"]))
                expected[name] = item["data"]
    assert set(found) == set(expected), "the store's graphs are not the feeds' items"
    for name, data in expected.items():
        graph = Graph().parse(data="".join(found[name]), format="nt")
        assert isomorphic(graph, to_graph(loads(data))), name
    return sum(len(lines) for lines in found.values())


def sparql(scale: float) -> None:
    print("== SPARQL sink into oxigraph serve (one named graph per item)")
    per_feed = max(10, round(480 * scale))
    feeds = SyntheticFeeds(10, per_feed, page_size=100, seed=7)
    with oxigraph_server() as url, tempfile.TemporaryDirectory() as folder:
        transport = httpx.ASGITransport(app=feeds)
        state = f"sqlite:///{folder}/h.db"
        sink = SparqlSink(url + "/update")
        started = time.monotonic()
        result = harvest(feeds.urls, state=state, sinks=[sink], transport=transport)
        load = time.monotonic() - started
        assert result.ok
        triples = _check_store(url, feeds)
        print(f"loaded {triples} triples ({result.items} items) in {load:.1f} s "
              f"({triples / load:.0f} triples/s)")  # fmt: skip
        updated, deleted = feeds.change(0.05, 0.05)
        started = time.monotonic()
        again = harvest(feeds.urls, state=state, sinks=[sink], transport=transport)
        seconds = time.monotonic() - started
        assert again.ok
        triples = _check_store(url, feeds)
        print(f"re-harvest: {updated} changed, {deleted} deleted in {seconds:.1f} s; the store "
              f"holds exactly the feeds' graph ({triples} triples)")  # fmt: skip


def dask_summary(scale: float) -> None:
    print("== Dask LocalCluster(n_workers=2, processes=True) against a plain loop")
    from dask.distributed import Client, LocalCluster

    from openactive_checkout.dask import bag_from_ndjson, summarise

    n_feeds = max(2, round(20 * scale))
    feeds = SyntheticFeeds(n_feeds, ITEMS_PER_FEED, page_size=100, invalid_every=50)
    with tempfile.TemporaryDirectory() as folder:
        sink = NdjsonSink(Path(folder) / "nd")
        transport = httpx.ASGITransport(app=feeds)
        harvest(feeds.urls, state=f"sqlite:///{folder}/h.db", sinks=[sink], transport=transport)
        files = [str(sink.path_of(url)) for url in feeds.urls]
        lines = [line for f in files for line in Path(f).read_text("utf-8").splitlines()]
        started = time.monotonic()
        plain = summarise_issues(lines)
        loop_seconds = time.monotonic() - started
        cluster = LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None,
            silence_logs=50,
        )  # fmt: skip
        with cluster, Client(cluster):  # type: ignore[no-untyped-call]
            bag = bag_from_ndjson(files, blocksize="512KiB")
            started = time.monotonic()
            distributed = summarise(bag)
            dask_seconds = time.monotonic() - started
    assert distributed == plain, "Dask's summary differs from the plain loop's"
    print(f"{len(lines)} items: plain loop {loop_seconds:.1f} s, Dask {dask_seconds:.1f} s "
          f"({bag.npartitions} partitions); summaries equal ({plain.total} issues, "
          f"{len(plain.counts)} code/path pairs, {plain.invalid} invalid items)")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--quick", action="store_true", help="sizes divided by ten")
    parser.add_argument("--workers", type=int, default=2, help="harvester worker processes")
    parser.add_argument("--kills", type=int, default=20, help="kill -9 points")
    parser.add_argument(
        "--only", choices=("throughput", "kills", "sparql", "dask"), action="append",
        help="run only these parts (repeatable)",
    )  # fmt: skip
    args = parser.parse_args()
    scale = 0.1 if args.quick else 1.0
    parts = args.only or ["throughput", "kills", "sparql", "dask"]
    print(f"{os.cpu_count()} CPUs; Python {sys.version.split()[0]}")
    if "throughput" in parts:
        throughput(scale, args.workers)
    if "kills" in parts:
        kills(args.kills, scale)
    if "sparql" in parts:
        sparql(scale)
    if "dask" in parts:
        dask_summary(scale)


if __name__ == "__main__":
    main()
