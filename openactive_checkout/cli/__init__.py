"""The ``openactive-checkout`` command: a thin shell over the library.

Each sub-command lives in its own module exposing ``register(subparsers, common)``, which adds
a parser (inheriting the shared options of ``common``: ``--output``, ``--quiet``,
``--version``) whose ``handler(args, stdout, stderr) -> int`` does the work; ``stdout`` is
the ``--output`` file when one is given. Standard output carries only the command's output;
every diagnostic goes to standard error. Exit codes: 0 success, 1 the data has problems
(failures, an error response), 2 usage or unreadable input.

Owns one module per command: ``show``, ``validate``, ``rdf`` (``convert`` and ``query``),
``mock`` (``mock-server``), ``concepts`` (``activity``), ``harvest``; the shared options in
``_common``; for ``validate``, its inputs (``_inputs``), its report formats and progress line
(``_reports``) and positions in the input for SARIF regions (``_positions``).

May import: errors, jsonld, vocab, concepts, rdf, validation, http, testing, harvest.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import re
import sys
from pathlib import Path
from typing import Any, TextIO, cast

from ..errors import OpenActiveCheckoutError
from ._common import PROGRAM, HelpFormatter, VersionAction, common_options

COMMAND_MODULES = (
    "openactive_checkout.cli.show",
    "openactive_checkout.cli.mock",
    "openactive_checkout.cli.validate",
    "openactive_checkout.cli.rdf",
    "openactive_checkout.cli.concepts",
    "openactive_checkout.cli.harvest",
)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every sub-command registered."""
    parser = argparse.ArgumentParser(
        prog=PROGRAM,
        description="OpenActive and imin checkout data: read, normalise, convert, validate.",
        formatter_class=HelpFormatter,
    )
    parser.add_argument("--version", action=VersionAction)
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = common_options()
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers, common)
    return parser


def run(argv: list[str], stdout: TextIO, stderr: TextIO) -> int:
    """Run the command line ``argv`` (without the program name); return the exit code.

    Everything is written to ``stdout`` and ``stderr`` (help and ``--version`` included),
    or to the ``--output`` file instead of ``stdout``.
    """
    stdout, stderr = SurrogateEscaping.wrap(stdout), SurrogateEscaping.wrap(stderr)
    parser = build_parser()
    try:
        # argparse prints help, the version and usage errors itself, to sys.stdout/stderr.
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            args = parser.parse_args(argv)
    except SystemExit as exc:
        return 0 if exc.code in (0, None) else 2
    out = stdout
    if args.output != "-":
        if _is_an_input(args.output, args):
            print(f"{PROGRAM}: --output {args.output} would overwrite an input", file=stderr)
            return 2
        try:
            file = open(args.output, "w", encoding="utf-8")  # noqa: SIM115  (closed below)
        except OSError as exc:
            print(f"{PROGRAM}: cannot write {args.output}: {exc.strerror}", file=stderr)
            return 2
        out = SurrogateEscaping.wrap(file)
    try:
        code: int = args.handler(args, out, stderr)
    except OpenActiveCheckoutError as exc:
        print(f"{PROGRAM}: {exc}", file=stderr)
        return 2
    except RecursionError:  # input nested beyond what Python's stack follows
        print(f"{PROGRAM}: the input nests too deeply to be read", file=stderr)
        return 2
    finally:
        if out is not stdout:
            out.close()
    return code


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


class SurrogateEscaping:
    """A text stream that writes a lone surrogate as its ``\\uXXXX`` escape.

    ``loads`` accepts JSON text such as ``"\\ud800"`` (as ``json.loads`` does), but no
    encoding of standard output can hold the character it makes. Written as an escape, it
    stays exact in every output that knows the escape: JSON, N-Triples, Turtle, TriG,
    SPARQL results (RDF/XML, which cannot hold it, refuses such a document with a message).
    """

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    @classmethod
    def wrap(cls, stream: TextIO) -> TextIO:
        """``stream``, escaping (not wrapped twice)."""
        return stream if isinstance(stream, cls) else cast(TextIO, cls(stream))

    def write(self, text: str) -> int:
        if _SURROGATE.search(text):
            self.stream.write(_SURROGATE.sub(_escape, text))
        else:
            self.stream.write(text)
        return len(text)

    def flush(self) -> None:
        self.stream.flush()

    def isatty(self) -> bool:
        return self.stream.isatty()

    def fileno(self) -> int:
        return self.stream.fileno()

    def writable(self) -> bool:
        return True

    def close(self) -> None:
        """Close the stream underneath (only ``--output`` files are closed)."""
        self.stream.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self.stream, name)  # encoding, errors, buffer, ...


def _is_an_input(output: str, args: argparse.Namespace) -> bool:
    """Whether the file ``output`` is one of the command's input files."""
    inputs = [*getattr(args, "files", ()), getattr(args, "file", None) or "-"]
    target = Path(output)
    for name in inputs:
        if name == "-":
            continue
        with contextlib.suppress(OSError):
            if target.samefile(name):
                return True
    return False


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
