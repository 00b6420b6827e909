"""Load test: many concurrent ``create_session`` calls through ``AsyncCheckoutClient``.

Starts the mock imin checkout server in its own process (``python -m openactive_checkout
mock-server``, loopback, a free port) with a generated RPDE feed of N bookable sessions, then
fires N concurrent ``create_session`` calls per round. Side by side, the same requests go
through a bare ``httpx.AsyncClient`` with the same pool size, posting pre-serialised JSON and
reading the answer with ``json.loads`` (no models, no JSON-LD): what a user would write by
hand. The ratio shows the client's typing cost against its queueing gain (it queues calls on
a semaphore; bare httpx queues them in its pool, which slows down as the queue grows).

Prints calls, errors (by class), throughput and latency percentiles; exits 1 if any call
failed (the goal is zero errors).

    python -m benchmarks.load_checkout                 # 300 concurrent calls, 3 rounds
    python -m benchmarks.load_checkout --concurrency 1000 --rounds 5
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import queue
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from openactive_checkout.client import AsyncCheckoutClient
from openactive_checkout.jsonld import dumps
from openactive_checkout.vocab.imin import CheckoutSession

FEED_BASE = "https://opendata.example.com/api/scheduled-sessions/load-"


@dataclass
class Result:
    """One contender's totals over every round."""

    name: str
    latencies: list[float] = field(default_factory=list)
    errors: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    @property
    def calls(self) -> int:
        """Calls made, failed or not."""
        return len(self.latencies) + sum(self.errors.values())

    @property
    def throughput(self) -> float:
        """Successful calls per second."""
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        """The latency below which a fraction ``p`` of successful calls fell, in ms."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def write_feed(directory: Path, count: int) -> Path:
    """An RPDE page of ``count`` updated ScheduledSessions (all bookable)."""
    items = [
        {
            "state": "updated",
            "kind": "ScheduledSession",
            "id": f"load-{n}",
            "modified": 1_700_000_000 + n,
            "data": {
                "@context": "https://openactive.io/",
                "@type": "ScheduledSession",
                "@id": f"{FEED_BASE}{n}",
                "startDate": "2024-11-18T18:00:00Z",
                "endDate": "2024-11-18T19:00:00Z",
            },
        }
        for n in range(count)
    ]
    path = directory / "feed.json"
    path.write_text(json.dumps({"items": items, "next": "https://example.com/feed"}))
    return path


class ServerProcess:
    """The mock server in its own process; stopped with SIGTERM (its pid only)."""

    def __init__(self, feed: Path) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "openactive_checkout", "mock-server", "--port", "0",
             "--feed", str(feed)],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )  # fmt: skip
        lines: queue.Queue[str] = queue.Queue()
        assert self.process.stdout is not None
        stdout = self.process.stdout
        threading.Thread(target=lambda: lines.put(stdout.readline()), daemon=True).start()
        try:
            self.url = lines.get(timeout=60).strip()
        except queue.Empty:
            self.url = ""
        if not self.url.startswith("http://"):
            self.stop()
            raise SystemExit(f"the mock server did not start: {self.process.stderr}")

    def stop(self) -> None:
        """SIGTERM the server and wait for it."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
        try:
            self.process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.communicate(timeout=30)


async def timed(result: Result, calls: Sequence[Callable[[], Awaitable[object]]]) -> None:
    """Run every call at once; add their latencies and errors to ``result``."""

    async def one(call: Callable[[], Awaitable[object]]) -> None:
        started = time.perf_counter()
        try:
            await call()
        except Exception as exc:  # a load test counts failures instead of stopping
            result.errors[type(exc).__name__] += 1
        else:
            result.latencies.append(time.perf_counter() - started)

    started = time.perf_counter()
    await asyncio.gather(*(one(c) for c in calls))
    result.seconds += time.perf_counter() - started


async def with_client(url: str, ids: list[str], result: Result, max_connections: int) -> None:
    """One round through AsyncCheckoutClient."""
    async with AsyncCheckoutClient(url, max_connections=max_connections) as client:

        def call(opportunity: str) -> Callable[[], Awaitable[object]]:
            async def create() -> object:
                session = await client.create_session(opportunity)
                if not session.checkout_url:
                    raise RuntimeError("no checkout URL in the answer")
                return session

            return create

        await timed(result, [call(i) for i in ids])


async def with_raw_httpx(url: str, ids: list[str], result: Result, max_connections: int) -> None:
    """One round through a bare httpx.AsyncClient, no models."""
    limits = httpx.Limits(
        max_connections=max_connections, max_keepalive_connections=max_connections
    )
    bodies = [dumps(CheckoutSession.for_opportunity(i)).encode() for i in ids]
    headers = {"Content-Type": "application/json", "Accept": "application/json"}
    async with httpx.AsyncClient(timeout=10.0, limits=limits) as client:

        def call(body: bytes) -> Callable[[], Awaitable[object]]:
            async def post() -> object:
                response = await client.post(f"{url}/checkout-sessions", content=body,
                                             headers=headers)  # fmt: skip
                if response.status_code != 201:
                    raise RuntimeError(f"status {response.status_code}")
                answer = json.loads(response.content)
                if not answer["potentialAction"][0]["target"]:
                    raise RuntimeError("no checkout URL in the answer")
                return answer

            return post

        await timed(result, [call(b) for b in bodies])


def report(results: list[Result], concurrency: int, rounds: int, url: str) -> None:
    """Print the table and the ratio."""
    print(
        f"load test: {concurrency} concurrent create_session calls x {rounds} rounds against "
        f"{url} (mock server in its own process, {os.cpu_count()} CPUs)"
    )
    print(f"{'':24}{'calls':>7}{'errors':>8}{'seconds':>9}{'calls/s':>9}"
          f"{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}")  # fmt: skip
    for r in results:
        print(
            f"{r.name:24}{r.calls:>7}{sum(r.errors.values()):>8}{r.seconds:>9.3f}"
            f"{r.throughput:>9.1f}{r.percentile(0.5):>9.1f}{r.percentile(0.95):>9.1f}"
            f"{(max(r.latencies) * 1000 if r.latencies else float('nan')):>9.1f}"
        )
        for name, count in r.errors.most_common():
            print(f"{'':26}{count} x {name}")
    client, raw = results
    if raw.throughput:
        ratio = client.throughput / raw.throughput
        print(f"throughput ratio AsyncCheckoutClient / raw httpx: {ratio:.2f}")
    if client.latencies:
        print(
            f"mean latency AsyncCheckoutClient: {statistics.fmean(client.latencies) * 1000:.1f} ms"
        )


def main(argv: list[str] | None = None) -> int:
    """Run the load test; 1 if any call failed."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("--concurrency", type=int, default=300, help="calls at once (300)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds of calls (3)")
    parser.add_argument("--max-connections", type=int, default=10, help="pool size (10)")
    args = parser.parse_args(argv)
    if args.concurrency < 1 or args.rounds < 1 or args.max_connections < 1:
        parser.error("--concurrency, --rounds and --max-connections must be positive")
    ids = [f"{FEED_BASE}{n}" for n in range(args.concurrency)]
    with tempfile.TemporaryDirectory() as tmp:
        server = ServerProcess(write_feed(Path(tmp), args.concurrency))
        try:
            client, raw = Result("AsyncCheckoutClient"), Result("raw httpx (no models)")
            for _ in range(args.rounds):
                asyncio.run(with_client(server.url, ids, client, args.max_connections))
                asyncio.run(with_raw_httpx(server.url, ids, raw, args.max_connections))
        finally:
            server.stop()
    report([client, raw], args.concurrency, args.rounds, server.url)
    return 1 if client.errors or raw.errors else 0


if __name__ == "__main__":
    sys.exit(main())
