"""``openactive-checkout validate FILE... --mode MODE [--format text|json|sarif]``.

Validates documents the way a pipeline needs: JSON files (an RPDE page is read item by item,
never whole), NDJSON streams (one document per line), or standard input (``-``); output is
written as it is found (text for people, JSON or SARIF for tools); a progress line on stderr
for long runs. Exit code: 0 no failures, 1 failures, 2 usage error or unreadable input (a
missing file, text that is not JSON); every file is still validated before exiting.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TextIO

from ..errors import DataError
from ..validation import CODES, MODES, Issue, Severity, ValidationMode, validate, validate_all
from ..validation._api import Engine
from ..validation._modes import profile_of
from ..validation._stream import iter_lines, iter_page_issues
from .show import read_input

FORMATS = ("text", "json", "sarif")
SEVERITY_ORDER = (Severity.FAILURE, Severity.WARNING, Severity.NOTICE, Severity.SUGGESTION)
SARIF_LEVEL = {
    Severity.FAILURE: "error",
    Severity.WARNING: "warning",
    Severity.NOTICE: "note",
    Severity.SUGGESTION: "note",
}
NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".jsonlines")
SHACL_BATCH = 256


def register(subparsers: Any) -> None:
    parser = subparsers.add_parser(
        "validate",
        help="validate OpenActive / imin documents (files, RPDE pages, NDJSON streams)",
        description="Validate JSON documents with the official OpenActive validator's rules "
        "(or an imin checkout profile). RPDE pages are read item by item and NDJSON streams "
        "line by line, in constant memory. Exit code: 0 no failures, 1 failures, 2 usage "
        "error or unreadable input.",
    )
    parser.add_argument(
        "files", nargs="+", metavar="FILE", help="a JSON or NDJSON file; - for stdin"
    )
    parser.add_argument(
        "--mode",
        default="RPDEFeed",
        choices=MODES,
        metavar="MODE",
        help="validation mode (default RPDEFeed): " + ", ".join(MODES),
    )
    parser.add_argument("--format", choices=FORMATS, default="text", help="output format")
    parser.add_argument(
        "--input",
        choices=("auto", "json", "ndjson"),
        default="auto",
        help="input format (auto: .ndjson/.jsonl files are NDJSON, the rest JSON)",
    )
    parser.add_argument("--engine", choices=("native", "shacl"), default="native")
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
        help="always show progress",
    )
    progress.add_argument(
        "--no-progress", dest="progress", action="store_false", help="never show progress"
    )
    parser.set_defaults(handler=handle)


# -- output ------------------------------------------------------------------------------


class Output:
    """Receives the findings as they are produced and writes them out."""

    def __init__(self, stream: TextIO, mode: str, engine: str) -> None:
        self.stream = stream
        self.mode = mode
        self.engine = engine

    def start(self) -> None:
        """Before the first file."""

    def begin_file(self, name: str, kind: str) -> None:
        """A file starts."""

    def begin_document(self, name: str, index: int | None, line: int | None) -> None:
        """A document of the current file starts."""

    def issue(self, issue: Issue) -> None:
        """An issue of the current document."""

    def end_document(self, conforms: bool) -> None:
        """The current document is finished."""

    def file_error(self, name: str, message: str) -> None:
        """The current file could not be read (or is not JSON)."""

    def end_file(self) -> None:
        """The current file is finished."""

    def finish(self, summary: dict[str, Any]) -> None:
        """After the last file."""


class TextOutput(Output):
    def begin_document(self, name: str, index: int | None, line: int | None) -> None:
        self.where = name if line is None else f"{name}:{line}"

    def issue(self, issue: Issue) -> None:
        print(
            f"{self.where}: {issue.severity.value} {issue.code} at {issue.json_path}: "
            f"{issue.message}",
            file=self.stream,
        )

    def file_error(self, name: str, message: str) -> None:
        print(f"{name}: unreadable: {message}", file=self.stream)

    def finish(self, summary: dict[str, Any]) -> None:
        counts = ", ".join(f"{summary[s.value + 's']} {s.value}s" for s in SEVERITY_ORDER)
        verdict = (
            "no failures"
            if summary["conforms"]
            else (f"{summary['failing_documents']} with failures")
        )
        unreadable = f"; {summary['unreadable']} unreadable" if summary["unreadable"] else ""
        documents = summary["documents"]
        plural = "document" if documents == 1 else "documents"
        print(
            f"{documents} {plural} in {self.mode} mode: {verdict}{unreadable} ({counts})",
            file=self.stream,
        )


class JsonOutput(Output):
    """One JSON object, written incrementally (constant memory for long inputs)."""

    def start(self) -> None:
        head = json.dumps({"mode": self.mode, "engine": self.engine})[:-1]
        self.stream.write(f'{head}, "files": [')
        self.files = 0

    def begin_file(self, name: str, kind: str) -> None:
        self.stream.write(("," if self.files else "") + "\n  ")
        self.stream.write(f'{{"file": {json.dumps(name)}, "format": "{kind}", "documents": [')
        self.files += 1
        self.documents = 0
        self.error: str | None = None

    def begin_document(self, name: str, index: int | None, line: int | None) -> None:
        self.stream.write(("," if self.documents else "") + "\n    ")
        self.stream.write(f'{{"line": {json.dumps(line)}, "issues": [')
        self.documents += 1
        self.issues = 0

    def issue(self, issue: Issue) -> None:
        self.stream.write(("," if self.issues else "") + "\n      ")
        self.stream.write(json.dumps(issue.to_dict(), ensure_ascii=False))
        self.issues += 1

    def end_document(self, conforms: bool) -> None:
        self.stream.write(f'], "conforms": {json.dumps(conforms)}}}')

    def file_error(self, name: str, message: str) -> None:
        self.error = message

    def end_file(self) -> None:
        self.stream.write(f'], "error": {json.dumps(self.error)}}}')

    def finish(self, summary: dict[str, Any]) -> None:
        self.stream.write(f'\n], "summary": {json.dumps(summary)}, ')
        self.stream.write(f'"conforms": {json.dumps(summary["conforms"])}}}\n')


class SarifOutput(Output):
    """A SARIF 2.1.0 log, results written incrementally."""

    def start(self) -> None:
        from importlib.metadata import PackageNotFoundError, version

        try:
            tool_version = version("openactive-checkout")
        except PackageNotFoundError:  # pragma: no cover - running from a source tree
            tool_version = "0"
        rules = [
            {
                "id": code.code,
                "shortDescription": {"text": code.summary},
                "defaultConfiguration": {"level": SARIF_LEVEL[code.severity]},
                "properties": {"severity": code.severity.value, "official": code.official},
            }
            for code in CODES.values()
        ]
        driver = {
            "name": "openactive-checkout",
            "version": tool_version,
            "informationUri": "https://openactive.io/data-model-validator/",
            "rules": rules,
        }
        head = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
        }
        self.stream.write(json.dumps(head)[:-1] + ', "runs": [{')
        self.stream.write(f'"tool": {{"driver": {json.dumps(driver)}}}, ')
        self.stream.write(
            f'"properties": {json.dumps({"mode": self.mode, "engine": self.engine})}, '
        )
        self.stream.write('"results": [')
        self.results = 0
        self.notifications: list[dict[str, Any]] = []

    def begin_document(self, name: str, index: int | None, line: int | None) -> None:
        self.name = name
        self.line = line

    def issue(self, issue: Issue) -> None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": self.name}}
        if self.line is not None:
            physical["region"] = {"startLine": self.line}
        result = {
            "ruleId": issue.code,
            "level": SARIF_LEVEL[issue.severity],
            "message": {"text": issue.message},
            "locations": [
                {
                    "physicalLocation": physical,
                    "logicalLocations": [{"fullyQualifiedName": issue.json_path, "kind": "member"}],
                }
            ],
            "properties": {"severity": issue.severity.value, "jsonPath": issue.json_path},
        }
        self.stream.write(("," if self.results else "") + "\n  ")
        self.stream.write(json.dumps(result, ensure_ascii=False))
        self.results += 1

    def file_error(self, name: str, message: str) -> None:
        self.notifications.append(
            {
                "level": "error",
                "message": {"text": f"{name}: {message}"},
                "locations": [{"physicalLocation": {"artifactLocation": {"uri": name}}}],
            }
        )

    def finish(self, summary: dict[str, Any]) -> None:
        invocation = {
            "executionSuccessful": not self.notifications,
            "toolExecutionNotifications": self.notifications,
            "properties": {"summary": summary},
        }
        self.stream.write(f'\n], "invocations": [{json.dumps(invocation)}]}}]}}\n')


OUTPUTS: dict[str, type[Output]] = {"text": TextOutput, "json": JsonOutput, "sarif": SarifOutput}


# -- progress ----------------------------------------------------------------------------


class Progress:
    """A progress line on stderr, redrawn at most a few times a second."""

    def __init__(self, stream: TextIO, enabled: bool) -> None:
        self.stream = stream
        self.enabled = enabled
        self.started = time.monotonic()
        self.last = 0.0
        self.shown = False
        self.count = 0

    def step(self, name: str) -> None:
        self.count += 1
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.2 and self.count > 1:
            return
        self.last = now
        rate = self.count / max(now - self.started, 1e-9)
        self.stream.write(f"\rvalidating {name}: {self.count} documents/items ({rate:,.0f}/s)")
        self.stream.flush()
        self.shown = True

    def done(self) -> None:
        if self.shown:
            elapsed = time.monotonic() - self.started
            self.stream.write(f"\rvalidated {self.count} documents/items in {elapsed:.1f}s\n")
            self.stream.flush()


# -- the run -------------------------------------------------------------------------------


class Run:
    """Validates the files one after the other, counting as it goes."""

    def __init__(self, args: argparse.Namespace, output: Output, progress: Progress) -> None:
        self.mode: ValidationMode = args.mode  # one of MODES: argparse's choices
        self.engine: str = args.engine
        self.input: str = args.input
        self.minimum = SEVERITY_ORDER.index(Severity(args.min_severity))
        self.output = output
        self.progress = progress
        self.counts = dict.fromkeys(SEVERITY_ORDER, 0)
        self.documents = 0
        self.failing = 0
        self.unreadable = 0

    def summary(self) -> dict[str, Any]:
        summary: dict[str, Any] = {
            "documents": self.documents,
            "failing_documents": self.failing,
            "unreadable": self.unreadable,
        }
        for severity, count in self.counts.items():
            summary[severity.value + "s"] = count
        summary["conforms"] = self.failing == 0 and self.unreadable == 0
        return summary

    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.failing else 0

    def document(
        self, name: str, issues: Iterator[Issue] | tuple[Issue, ...], line: int | None
    ) -> None:
        self.output.begin_document(name, None, line)
        failed = False
        unreadable = False
        for issue in issues:
            self.counts[issue.severity] += 1
            if issue.severity is Severity.FAILURE:
                failed = True
            if issue.code == "invalid-json":
                unreadable = True
            if SEVERITY_ORDER.index(issue.severity) <= self.minimum:
                self.output.issue(issue)
            self.progress.step(name)
        self.output.end_document(not failed)
        self.documents += 1
        self.failing += failed
        if unreadable:
            self.unreadable += 1

    def file(self, name: str) -> None:
        kind = self.input
        if kind == "auto":
            kind = "ndjson" if name.lower().endswith(NDJSON_SUFFIXES) else "json"
        self.output.begin_file(name, kind)
        try:
            if kind == "ndjson":
                self._ndjson(name)
            else:
                self._json(name)
        except DataError as exc:
            self.unreadable += 1
            self.output.file_error(name, exc.reason)
        self.output.end_file()

    def _ndjson(self, name: str) -> None:
        # The SHACL engine validates lines in batches: one RDF graph and one pySHACL run
        # per batch (the native engine gains nothing from batching).
        size = SHACL_BATCH if self.engine == "shacl" else 1
        with _open(name) as stream:
            batch: list[tuple[int, bytes]] = []
            for line in iter_lines(stream):
                batch.append(line)
                if len(batch) >= size:
                    self._ndjson_batch(name, batch)
                    batch = []
            self._ndjson_batch(name, batch)

    def _ndjson_batch(self, name: str, batch: list[tuple[int, bytes]]) -> None:
        if not batch:
            return
        engine: Engine = "shacl" if self.engine == "shacl" else "native"
        reports = validate_all([raw for _, raw in batch], mode=self.mode, engine=engine)
        for (number, _), report in zip(batch, reports, strict=True):
            self.document(name, report.issues, number)

    def _json(self, name: str) -> None:
        with _spooled(name) as opener:
            if self.engine == "native":
                try:
                    issues = iter_page_issues(opener, self.mode, profile_of(self.mode) or "")
                except DataError as exc:  # not JSON: a document with one failure
                    self.document(name, (_invalid_json(exc.reason),), None)
                    return
                if issues is not None:
                    self.document(name, _guarded(issues), None)
                    return
            with opener() as stream:
                data = stream.read()
            engine: Engine = "shacl" if self.engine == "shacl" else "native"
            report = validate(data, mode=self.mode, engine=engine)
            self.document(name, report.issues, None)


def _invalid_json(message: str) -> Issue:
    return Issue(code="invalid-json", severity=Severity.FAILURE, path=(), message=message)


def _guarded(issues: Iterator[Issue]) -> Iterator[Issue]:
    """The page's issues; a JSON error found midway becomes an ``invalid-json`` failure."""
    try:
        yield from issues
    except DataError as exc:
        yield _invalid_json(exc.reason)


@contextlib.contextmanager
def _open(name: str) -> Iterator[IO[bytes]]:
    if name == "-":
        yield sys.stdin.buffer
        return
    try:
        stream = Path(name).open("rb")  # noqa: SIM115  (closed below; open errors are ours)
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror}") from None
    with stream:
        yield stream


@contextlib.contextmanager
def _spooled(name: str) -> Iterator[Callable[[], IO[bytes]]]:
    """An opener that can be called more than once (standard input is spooled first)."""
    if name != "-":
        path = Path(name)
        if not path.is_file():
            read_input(name)  # raises our DataError naming the problem
            raise DataError(f"cannot read {name}: not a file")
        yield lambda: path.open("rb")
        return
    with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
        shutil.copyfileobj(sys.stdin.buffer, spool)

        def reopen() -> IO[bytes]:
            spool.seek(0)
            return _Unclosed(spool)  # type: ignore[return-value]

        yield reopen


class _Unclosed(io.BufferedIOBase):
    """A view of a spooled file whose ``close`` leaves the file open (for a second pass)."""

    def __init__(self, raw: IO[bytes]) -> None:
        super().__init__()
        self._raw = raw

    def read(self, size: int | None = -1) -> bytes:
        return self._raw.read(-1 if size is None else size)

    def readable(self) -> bool:
        return True

    def close(self) -> None:
        pass


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    output = OUTPUTS[args.format](stdout, args.mode, args.engine)
    enabled = args.progress if args.progress is not None else stderr.isatty()
    progress = Progress(stderr, enabled)
    run = Run(args, output, progress)
    try:
        output.start()
        for name in args.files:
            run.file(name)
        progress.done()
        output.finish(run.summary())
    except BrokenPipeError:  # the reader went away (`| head`): stop quietly
        if stdout is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return run.exit_code() or 1
    return run.exit_code()
