"""``openactive-checkout validate FILE... --mode MODE [--format text|json|ndjson|sarif]``.

Validates documents the way a pipeline needs: JSON files (an RPDE page is read item by item,
never whole), NDJSON streams (one document, or one RPDE item as ``iter_items`` yields them,
per line), or standard input (``-``); output is written as it is found (text for people, JSON,
NDJSON or SARIF for tools) to standard output, which carries nothing else: an unreadable input
and every other diagnostic go to standard error, with a progress line for long runs. Exit
code: 0 no failures, 1 failures, 2 usage error or unreadable input (a missing file, text that
is not JSON); every file is still validated before exiting.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TextIO

from ..errors import DataError
from ..validation import MODES, Issue, Severity, ValidationMode, validate, validate_all
from ..validation._api import Engine
from ..validation._js import JSON_DECODER
from ..validation._modes import profile_of
from ..validation._stream import iter_lines, iter_page_issues
from ._common import PROGRAM, add_command, is_rpde_item
from ._inputs import Source
from ._positions import PagePositions, text_locator
from ._reports import OUTPUTS, SEVERITY_ORDER, Document, Output, Progress

FORMATS = tuple(OUTPUTS)
NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".jsonlines")
SHACL_BATCH = 256


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``validate`` sub-command."""
    parser = add_command(
        subparsers,
        "validate",
        common=common,
        summary="validate OpenActive / imin documents (files, RPDE pages, NDJSON streams)",
        description="Validate JSON documents with the official OpenActive validator's rules "
        "(or an imin checkout profile). RPDE pages are read item by item and NDJSON streams "
        "(documents, or RPDE items whose data is validated) line by line, in constant memory. "
        "Standard output carries only the report; diagnostics go to standard error. Exit "
        "code: 0 no failures, 1 failures, 2 usage error or unreadable input.",
    )
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="a JSON or NDJSON file (documents or RPDE items); - for stdin",
    )
    parser.add_argument(
        "--mode",
        default="RPDEFeed",
        choices=MODES,
        metavar="MODE",
        help="validation mode: " + ", ".join(MODES),
    )
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="output format: text lines, one JSON report, one JSON issue per line, or SARIF",
    )
    parser.add_argument(
        "--input",
        choices=("auto", "json", "ndjson"),
        default="auto",
        help="input format (auto: .ndjson/.jsonl/.jsonlines files are NDJSON, as is any input "
        "whose first line is a whole JSON value followed by more lines; the rest JSON)",
    )
    parser.add_argument(
        "--engine",
        choices=("native", "shacl"),
        default="native",
        help="the rule engine: native, or pySHACL with the bundled shapes (the shacl extra)",
    )
    parser.add_argument(
        "--min-severity",
        choices=[s.value for s in SEVERITY_ORDER],
        default="suggestion",
        help="report issues of this severity or worse (the exit code counts failures only)",
    )
    progress = parser.add_mutually_exclusive_group()
    progress.add_argument(
        "--progress",
        dest="progress",
        action="store_true",
        default=None,
        help="always show progress on stderr (default: when stderr is a terminal)",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show progress"
    )
    parser.set_defaults(handler=handle)


# -- output ------------------------------------------------------------------------------


# -- the run -------------------------------------------------------------------------------


class Run:
    """Validates the files one after the other, counting as it goes."""

    def __init__(
        self, args: argparse.Namespace, output: Output, progress: Progress, stderr: TextIO
    ) -> None:
        self.mode: ValidationMode = args.mode  # one of MODES: argparse's choices
        self.engine: Engine = "shacl" if args.engine == "shacl" else "native"
        self.input: str = args.input
        self.minimum = SEVERITY_ORDER.index(Severity(args.min_severity))
        self.output = output
        self.progress = progress
        self.stderr = stderr
        self.counts = dict.fromkeys(SEVERITY_ORDER, 0)
        self.documents = 0
        self.failing = 0
        self.unreadable = 0
        self.deleted = 0

    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "documents": self.documents,
            "failing_documents": self.failing,
            "unreadable": self.unreadable,
            "deleted_items": self.deleted,
        }
        for severity, count in self.counts.items():
            summary[severity.value + "s"] = count
        summary["conforms"] = self.failing == 0 and self.unreadable == 0
        return summary

    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.failing else 0

    def diagnostic(self, where: str, message: str) -> None:
        """Say on stderr that ``where`` cannot be read."""
        print(f"{PROGRAM}: {where}: unreadable: {message}", file=self.stderr)

    def document(self, document: Document, issues: Iterable[Issue]) -> None:
        self.output.begin_document(document)
        failed = False
        unreadable = False
        for issue in issues:
            self.counts[issue.severity] += 1
            if issue.severity is Severity.FAILURE:
                failed = True
            if issue.code == "invalid-json":
                unreadable = True
                self.diagnostic(document.where, issue.message)
            if SEVERITY_ORDER.index(issue.severity) <= self.minimum:
                self.output.issue(issue)
            self.progress.step(document.name)
        self.output.end_document(not failed)
        self.documents += 1
        self.failing += failed
        if unreadable:
            self.unreadable += 1

    def file(self, name: str) -> None:
        suffixed = name.lower().endswith(NDJSON_SUFFIXES)
        try:
            source = Source(name)
        except DataError as exc:
            kind = self.input if self.input != "auto" else "ndjson" if suffixed else "json"
            self.output.begin_file(name, kind)
            self._file_error(name, exc.reason)
            self.output.end_file()
            return
        with contextlib.closing(source):
            kind = self.input
            if kind == "auto":
                kind = "ndjson" if suffixed or source.looks_like_ndjson() else "json"
            self.output.begin_file(name, kind)
            try:
                if kind == "ndjson":
                    self._ndjson(name, source.lines())
                else:
                    self._json(name, source)
            except DataError as exc:
                self._file_error(name, exc.reason)
            self.output.end_file()

    def _file_error(self, name: str, message: str) -> None:
        self.unreadable += 1
        self.diagnostic(name, message)
        self.output.file_error(name, message)

    # NDJSON: one document, or one RPDE item, per line.

    def _ndjson(self, name: str, lines: Iterable[bytes]) -> None:
        # The SHACL engine validates lines in batches: one RDF graph and one pySHACL run
        # per batch (the native engine gains nothing from batching).
        size = SHACL_BATCH if self.engine == "shacl" else 1
        batch: list[_Line] = []
        for number, raw in iter_lines(lines):
            line = self._line(name, number, raw)
            if line is None:
                continue
            batch.append(line)
            if len(batch) >= size:
                self._ndjson_batch(batch)
                batch = []
        self._ndjson_batch(batch)

    def _line(self, name: str, number: int, raw: bytes) -> _Line | None:
        """What to validate on one line: the line itself, or the data of the RPDE item it
        holds (None for a deleted item: nothing to validate)."""
        item: Any = None
        if b'"state"' in raw:  # only then can it be an RPDE item: decode it to see
            with contextlib.suppress(ValueError, RecursionError):
                item = JSON_DECODER.decode(raw.decode("utf-8-sig"))
        if not is_rpde_item(item):
            return _Line(Document(name, number, None, text_locator(raw, line=number)), raw)
        if item["state"] == "deleted":
            self.deleted += 1
            return None
        info = {"id": item.get("id"), "kind": item.get("kind"), "state": item["state"]}
        document = Document(name, number, info, text_locator(raw, line=number, prefix=("data",)))
        data = item.get("data")
        if isinstance(data, dict):
            return _Line(document, data)
        problem = Issue(
            code="invalid-input",
            severity=Severity.FAILURE,
            path=(),
            message="an updated RPDE item's data must be a JSON object"
            + (" (it has none)" if data is None else ""),
            value=data,
        )
        return _Line(document, None, (problem,))

    def _ndjson_batch(self, batch: list[_Line]) -> None:
        if not batch:
            return
        todo = [line.payload for line in batch if line.issues is None]
        reports = iter(validate_all(todo, mode=self.mode, engine=self.engine) if todo else ())
        for line in batch:
            issues = next(reports).issues if line.issues is None else line.issues
            self.document(line.document, issues)

    # JSON: one document, or an RPDE page read item by item.

    def _json(self, name: str, source: Source) -> None:
        with source.opener() as opener:
            if self.engine == "native":
                try:
                    issues = iter_page_issues(opener, self.mode, profile_of(self.mode) or "")
                except DataError as exc:  # not JSON: a document with one failure
                    self.document(Document(name), (_invalid_json(exc.reason),))
                    return
                if issues is not None:
                    positions = PagePositions(opener)
                    try:
                        self.document(Document(name, locate=positions.locate), _guarded(issues))
                    finally:
                        positions.close()
                    return
            with opener() as stream:
                data = stream.read()
            report = validate(data, mode=self.mode, engine=self.engine)
            self.document(Document(name, locate=text_locator(data)), report.issues)


@dataclass(frozen=True)
class _Line:
    """One NDJSON line to validate: its document, what to validate, or its issues found
    without validating (an RPDE item without data)."""

    document: Document
    payload: Any
    issues: tuple[Issue, ...] | None = None


def _invalid_json(message: str) -> Issue:
    return Issue(code="invalid-json", severity=Severity.FAILURE, path=(), message=message)


def _guarded(issues: Iterator[Issue]) -> Iterator[Issue]:
    """The page's issues; a JSON error found midway becomes an ``invalid-json`` failure."""
    try:
        yield from issues
    except DataError as exc:
        yield _invalid_json(exc.reason)


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Validate every file, writing the report as it goes; the exit code."""
    output = OUTPUTS[args.format](stdout, args.mode, args.engine, quiet=args.quiet)
    if args.quiet:
        enabled = False
    else:
        enabled = args.progress if args.progress is not None else stderr.isatty()
    progress = Progress(stderr, enabled)
    run = Run(args, output, progress, stderr)
    try:
        output.start()
        for name in args.files:
            run.file(name)
        progress.done()
        output.finish(run.summary())
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        if getattr(stdout, "stream", stdout) is sys.stdout:  # unwrapped: see cli.run
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return run.exit_code() or 1
    return run.exit_code()
