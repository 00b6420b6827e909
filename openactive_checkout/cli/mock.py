"""``openactive-checkout mock-server``: run the mock imin checkout server in the foreground."""

from __future__ import annotations

import argparse
import os
import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any, TextIO

from ..errors import DataError
from ._common import add_command

# The server machinery (starlette, uvicorn) is imported by the handler, not here: every
# command's module is imported to build the parser.


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``mock-server`` sub-command."""
    parser = add_command(
        subparsers,
        "mock-server",
        common=common,
        summary="run a mock imin checkout server (POST /checkout-sessions, an RPDE feed)",
        description="Serve the imin Standalone Checkout API (POST /checkout-sessions, GET "
        "/checkout-sessions/TOKEN) and, with --feed, an RPDE feed at "
        "/feeds/scheduled-sessions, until interrupted (Ctrl-C or SIGTERM). The first line "
        "of the output is the server's URL (with --quiet, the only one).",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (loopback)")
    parser.add_argument(
        "--port", type=int, default=8000, help="port to listen on; 0 picks a free one"
    )
    parser.add_argument(
        "--bookable",
        action="append",
        default=[],
        metavar="ID",
        help="an opportunity @id that can be booked (repeatable)",
    )
    parser.add_argument(
        "--feed",
        metavar="FILE",
        help="an RPDE page or a JSON array of RPDE items to serve; its updated items are bookable",
    )
    parser.add_argument(
        "--page-size", type=int, default=50, metavar="N", help="items per feed page"
    )
    parser.add_argument("--broker-name", default="Example", help="the broker's name")
    parser.add_argument("--broker-url", default="https://www.example.com", help="the broker's URL")
    parser.add_argument(
        "--api-key-env",
        metavar="VAR",
        help="require the X-API-KEY header to equal this environment variable's value",
    )
    parser.set_defaults(handler=handle)


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Serve until interrupted; 0 after a clean stop."""
    from ..testing._app import FEED_PATH, MockState, create_app
    from ..testing._feed import MockFeed
    from ..testing._server import bind, url_of, uvicorn_server

    api_key = None
    if args.api_key_env:
        api_key = os.environ.get(args.api_key_env)
        if not api_key:
            raise DataError(f"the environment variable {args.api_key_env} is not set")
    feed = MockFeed.load(args.feed) if args.feed else None
    state = MockState(
        bookable=args.bookable,
        feed=feed,
        page_size=args.page_size,
        broker_name=args.broker_name,
        broker_url=args.broker_url,
        api_key=api_key,
    )
    sock = bind(args.host, args.port)
    server = uvicorn_server(create_app(state))
    # Signal handlers first: a signal that arrives once the URL is out must stop cleanly.
    with _exit_on_signals(server):
        url = url_of(sock)
        print(url, file=stdout)
        if not args.quiet:
            print(f"POST {url}/checkout-sessions", file=stdout)
            if feed is not None:
                print(f"RPDE feed {url}{FEED_PATH} ({len(feed.items)} items)", file=stdout)
            bookable = len(state.bookable_ids())
            print(f"{bookable} bookable opportunit{'y' if bookable == 1 else 'ies'}", file=stdout)
        stdout.flush()
        server.run(sockets=[sock])
    if not args.quiet:
        print("stopped", file=stderr)
    return 0


@contextmanager
def _exit_on_signals(server: Any) -> Iterator[None]:
    """Make SIGINT and SIGTERM stop the server gracefully, whenever they arrive.

    Uvicorn installs its own handlers while serving and re-raises the signal afterwards;
    ours, underneath, turns that into a clean exit instead of death by signal.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: FrameType | None) -> None:
        """Ask uvicorn to finish (it drains open requests first)."""
        server.should_exit = True

    previous = {sig: signal.signal(sig, stop) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
