"""``openactive-checkout show FILE``: read a checkout document, print its checkout URL and
normalised JSON-LD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from ..errors import DataError
from ..jsonld import dumps, loads
from ..vocab.imin import CheckoutSession, UnavailableOpportunityError
from ._common import add_command


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``show`` sub-command."""
    parser = add_command(
        subparsers,
        "show",
        common=common,
        summary="print a checkout session's URL and its normalised JSON-LD",
        description="Read a JSON-LD document (an imin checkout session, an error, or any "
        "OpenActive document), print the checkout URL when it has one, then the document "
        "in the canonical wire form. With --quiet, only the document. Exit code: 0 success, "
        "1 the document is an UnavailableOpportunityError, 2 usage error or unreadable input.",
    )
    parser.add_argument("file", help="a JSON-LD file, or - for standard input")
    parser.add_argument("--compact", action="store_true", help="print JSON on one line")
    parser.set_defaults(handler=handle)


def read_input(name: str) -> bytes:
    """The bytes of a file argument (``-`` is standard input); DataError if unreadable."""
    if name == "-":
        return sys.stdin.buffer.read()
    try:
        return Path(name).read_bytes()
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror}") from None


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Print the document (after its checkout URL or error description, unless quiet)."""
    model = loads(read_input(args.file))
    if args.quiet:
        pass
    elif isinstance(model, CheckoutSession):
        url = model.checkout_url
        print(f"checkout URL: {url}" if url else "checkout URL: (none yet)", file=stdout)
    elif isinstance(model, UnavailableOpportunityError):
        print(f"unavailable: {model.description or '(no description)'}", file=stdout)
    print(dumps(model, indent=None if args.compact else 2), file=stdout)
    return 1 if isinstance(model, UnavailableOpportunityError) else 0
