"""``openactive-checkout harvest FEED_URL... --state URL --to SINK [--validate MODE] [--follow]``.

Harvests RPDE feeds into a state store (resuming from it when it exists) and sinks:
``ndjson:DIR``, ``sparql:UPDATE_URL`` or ``parquet:DIR`` (``--to`` repeatable). Progress goes
to stderr, the summary to stdout (``--format json`` for a JSON summary). Exit codes: 0 every
feed read with no invalid item, 1 an invalid item or a feed that failed, 2 usage.
"""

from __future__ import annotations

import argparse
import json
import signal
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import TYPE_CHECKING, Any, TextIO

from ..errors import DataError
from ..validation._modes import MODES
from ._common import PROGRAM, add_command

if TYPE_CHECKING:
    from ..harvest import HarvestResult, Progress, Sink

SINK_KINDS = ("ndjson", "sparql", "parquet")


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``harvest`` sub-command."""
    parser = add_command(
        subparsers,
        "harvest",
        common=common,
        summary="harvest RPDE feeds into a state store and sinks, resumably",
        description="Read RPDE feeds (several at once) from where the state store left off, "
        "committing each page with its next URL, and write the changes to the sinks. "
        "Without --follow, stop when every feed has reached its last page.",
    )
    parser.add_argument("feeds", nargs="+", metavar="FEED_URL", help="an RPDE feed URL")
    parser.add_argument(
        "--state",
        default="sqlite:///harvest.db",
        metavar="URL",
        help="state store: sqlite:///FILE or postgresql://USER@HOST/DB (resumed when it exists)",
    )
    parser.add_argument(
        "--to",
        action="append",
        default=[],
        metavar="SINK",
        help="a sink (repeatable): ndjson:DIR, sparql:UPDATE_URL (a SPARQL 1.1 Update "
        "endpoint, e.g. http://127.0.0.1:7878/update) or parquet:DIR",
    )
    parser.add_argument(
        "--graph-store-url",
        metavar="URL",
        help="write sparql: sinks with the Graph Store Protocol at URL instead of SPARQL Update",
    )
    parser.add_argument(
        "--validate",
        choices=MODES,
        metavar="MODE",
        help="validate every item's data in MODE (e.g. RPDEFeed): " + ", ".join(MODES),
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="keep polling each feed's last page until interrupted (Ctrl-C or SIGTERM, which "
        "stop any harvest after the pages in hand)",
    )
    parser.add_argument(
        "--poll-interval", type=float, default=5.0, metavar="SECONDS",
        help="with --follow, how long to wait before polling a last page again",
    )  # fmt: skip
    parser.add_argument(
        "--concurrency", type=int, default=8, metavar="N", help="feeds read at once"
    )
    parser.add_argument(
        "--workers", type=int, default=0, metavar="N",
        help="processes that read and validate pages (0: none, all in one process)",
    )  # fmt: skip
    parser.add_argument(
        "--format", choices=("text", "json"), default="text", help="the summary's format"
    )
    parser.set_defaults(handler=handle)


def make_sinks(specs: list[str], graph_store_url: str | None) -> list[Sink]:
    """The sinks ``--to`` names (raising DataError for an unknown one)."""
    from ..harvest import NdjsonSink, ParquetSink, SparqlSink

    sinks: list[Sink] = []
    for spec in specs:
        kind, sep, target = spec.partition(":")
        if not sep or kind not in SINK_KINDS or not target:
            raise DataError(f"--to {spec!r}: use ndjson:DIR, sparql:UPDATE_URL or parquet:DIR")
        if kind == "ndjson":
            sinks.append(NdjsonSink(target))
        elif kind == "parquet":
            sinks.append(ParquetSink(target))
        elif graph_store_url:
            sinks.append(
                SparqlSink(target, protocol="graph-store", graph_store_url=graph_store_url)
            )
        else:
            sinks.append(SparqlSink(target))
    return sinks


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Harvest; 0 when every feed was read with no invalid item, else 1."""
    from ..harvest import harvest

    if args.concurrency < 1 or args.workers < 0:
        print(f"{PROGRAM} harvest: --concurrency must be at least 1, --workers at least 0",
              file=stderr)  # fmt: skip
        return 2
    from ..harvest._harvest import check_feeds

    try:
        check_feeds(args.feeds)
    except ValueError as exc:
        print(f"{PROGRAM} harvest: {exc}", file=stderr)
        return 2
    sinks = make_sinks(args.to, args.graph_store_url)
    stopping = threading.Event()
    shown = [0.0]

    def progress(state: Progress) -> None:
        now = time.monotonic()
        if args.quiet or now - shown[0] < 1.0:
            return
        shown[0] = now
        rate = state.items / state.seconds if state.seconds else 0.0
        print(
            f"{state.feeds_done}/{state.feeds_total} feeds, {state.pages} pages, "
            f"{state.items} items ({rate:.0f}/s)",
            file=stderr,
            flush=True,
        )

    with _stop_on_signals(stopping):
        result = harvest(
            args.feeds, state=args.state, sinks=sinks, validate=args.validate,
            follow=args.follow, stop=stopping.is_set, concurrency=args.concurrency,
            poll_interval=args.poll_interval, progress=progress, workers=args.workers,
        )  # fmt: skip
    if args.format == "json":
        print(json.dumps(summary_json(result), indent=2), file=stdout)
    elif not args.quiet:
        write_summary(result, stdout)
    return 0 if result.ok or (args.follow and _only_unfinished(result)) else 1


def _only_unfinished(result: HarvestResult) -> bool:
    """With --follow, a stopped feed is not a failure: only errors and invalid items are."""
    return all(f.error is None and not f.invalid and not f.skipped for f in result.feeds)


def summary_json(result: HarvestResult) -> dict[str, Any]:
    """The JSON summary: each feed's counts and the issue summary."""
    return {
        "ok": result.ok,
        "items": result.items,
        "seconds": round(result.seconds, 3),
        "feeds": [
            {"url": f.url, "finished": f.finished, "pages": f.pages, "items": f.items,
             "changed": f.changed, "deleted": f.deleted, "invalid": f.invalid,
             "skipped": f.skipped, "skipped_examples": f.skipped_examples, "error": f.error}
            for f in result.feeds
        ],
        "issues": result.issues.to_dict(),
    }  # fmt: skip


def write_summary(result: HarvestResult, out: TextIO) -> None:
    """The human summary: a line per feed, then the most frequent issues."""
    for feed in result.feeds:
        status = "error: " + feed.error if feed.error else ("done" if feed.finished else "stopped")
        print(
            f"{feed.url}: {feed.pages} pages, {feed.items} items, {feed.changed} changed "
            f"({feed.deleted} deleted), {feed.invalid} invalid, {feed.skipped} skipped; {status}",
            file=out,
        )
        for example in feed.skipped_examples:
            print(f"  skipped {example}", file=out)
    issues = result.issues
    rate = result.items / result.seconds if result.seconds else 0.0
    print(
        f"{len(result.feeds)} feeds, {result.items} items in {result.seconds:.1f} s "
        f"({rate:.0f}/s); {issues.items} validated, {issues.invalid} invalid",
        file=out,
    )
    for entry in issues.to_dict()["issues"][:20]:
        print(f"  {entry['count']:>7} {entry['severity']:<10} {entry['code']} at "
              f"{entry['path']}", file=out)  # fmt: skip


@contextmanager
def _stop_on_signals(stopping: threading.Event) -> Iterator[None]:
    """SIGINT and SIGTERM stop the harvest after the pages in hand (committed: resumable)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        stopping.set()

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
