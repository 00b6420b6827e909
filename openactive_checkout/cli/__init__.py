"""The ``openactive-checkout`` command: a thin shell over the library.

Each sub-command lives in its own module exposing ``register(subparsers)``, which adds a
parser whose ``handler(args, stdout, stderr) -> int`` does the work. Exit codes: 0 success,
1 the data has problems (failures, an error response), 2 usage or unreadable input.

Owns one module per command: ``show``, ``validate``, ``rdf`` (``convert`` and ``query``),
``mock`` (``mock-server``).

May import: errors, jsonld, vocab, rdf, validation, http, testing.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import TextIO

from ..errors import OpenActiveCheckoutError

COMMAND_MODULES = (
    "openactive_checkout.cli.show",
    "openactive_checkout.cli.mock",
    "openactive_checkout.cli.validate",
    "openactive_checkout.cli.rdf",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog="openactive-checkout",
        description="OpenActive and imin checkout data: read, normalise, convert, validate.",
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line ``argv`` (without the program name); return the exit code."""
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse reports usage errors itself
        return int(exc.code or 0) if exc.code in (0, None) else 2
    try:
        code: int = args.handler(args, stdout, stderr)
    except OpenActiveCheckoutError as exc:
        print(f"openactive-checkout: {exc}", file=stderr)
        return 2
    return code


def main() -> None:
    """Console-script entry point."""
    try:
        code = run(sys.argv[1:], sys.stdout, sys.stderr)
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader went away (`... | head`): stop quietly, as the Python docs advise.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        code = 1
    sys.exit(code)
