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
import io
import itertools
import json
import os
import shutil
import stat
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, TextIO

from ..errors import DataError
from ..validation import CODES, MODES, Issue, Severity, ValidationMode, validate, validate_all
from ..validation._api import Engine
from ..validation._modes import profile_of
from ..validation._stream import iter_lines, iter_page_issues
from ._common import PROGRAM, add_command, is_rpde_item, tool_version
from ._positions import Locate, PagePositions, Position, TextPositions
from ._positions import Path as JsonPath

FORMATS = ("text", "json", "ndjson", "sarif")
SEVERITY_ORDER = (Severity.FAILURE, Severity.WARNING, Severity.NOTICE, Severity.SUGGESTION)
SARIF_LEVEL = {
    Severity.FAILURE: "error",
    Severity.WARNING: "warning",
    Severity.NOTICE: "note",
    Severity.SUGGESTION: "note",
}
NDJSON_SUFFIXES = (".ndjson", ".jsonl", ".jsonlines")
SHACL_BATCH = 256
SNIFF = 1 << 20
"""How much of an input's first line is read to tell NDJSON from JSON."""


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


@dataclass(frozen=True)
class Document:
    """Where a document comes from: its file, its line (NDJSON), the RPDE item it is the
    data of (``id``, ``kind``, ``state``), and how to find a path's position in the file."""

    name: str
    line: int | None = None
    item: dict[str, Any] | None = None
    locate: Locate | None = None

    @property
    def where(self) -> str:
        """``file``, ``file:line``, and the item's id when it is an item's data."""
        where = self.name if self.line is None else f"{self.name}:{self.line}"
        if self.item is None:
            return where
        item_id = self.item["id"]
        return f"{where}: item {'(no id)' if item_id is None else item_id}"


class Output:
    """Receives the findings as they are produced and writes them out."""

    def __init__(self, stream: TextIO, mode: str, engine: str, *, quiet: bool = False) -> None:
        self.stream = stream
        self.mode = mode
        self.engine = engine
        self.quiet = quiet

    def start(self) -> None:
        """Before the first file."""

    def begin_file(self, name: str, kind: str) -> None:
        """A file starts."""

    def begin_document(self, document: Document) -> None:
        """A document of the current file starts."""

    def issue(self, issue: Issue) -> None:
        """An issue of the current document."""

    def end_document(self, conforms: bool) -> None:
        """The current document is finished."""

    def file_error(self, name: str, message: str) -> None:
        """The current file could not be read (or is not JSON): for the report's record
        (the diagnostic itself goes to stderr)."""

    def end_file(self) -> None:
        """The current file is finished."""

    def finish(self, summary: dict[str, Any]) -> None:
        """After the last file."""


class TextOutput(Output):
    """One line per issue (``file:line: severity code at path: message``), then a summary."""

    def begin_document(self, document: Document) -> None:
        self.where = document.where

    def issue(self, issue: Issue) -> None:
        print(
            f"{self.where}: {issue.severity.value} {issue.code} at {issue.json_path}: "
            f"{issue.message}",
            file=self.stream,
        )

    def finish(self, summary: dict[str, Any]) -> None:
        if self.quiet:
            return
        counts = ", ".join(f"{summary[s.value + 's']} {s.value}s" for s in SEVERITY_ORDER)
        verdict = (
            "no failures"
            if summary["conforms"]
            else (f"{summary['failing_documents']} with failures")
        )
        unreadable = f"; {summary['unreadable']} unreadable" if summary["unreadable"] else ""
        deleted = summary["deleted_items"]
        skipped = f"; {deleted} deleted RPDE items" if deleted else ""
        documents = summary["documents"]
        plural = "document" if documents == 1 else "documents"
        print(
            f"{documents} {plural} in {self.mode} mode: {verdict}{unreadable}{skipped} ({counts})",
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

    def begin_document(self, document: Document) -> None:
        self.stream.write(("," if self.documents else "") + "\n    ")
        line, item = json.dumps(document.line), json.dumps(document.item, ensure_ascii=False)
        self.stream.write(f'{{"line": {line}, "item": {item}, "issues": [')
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


class NdjsonOutput(Output):
    """One JSON object per issue and line: ``file``, ``line``, ``item`` and the issue's own
    fields (``code``, ``severity``, ``path``, ``json_path``, ``message``, ``value``)."""

    def begin_document(self, document: Document) -> None:
        self.head = {"file": document.name, "line": document.line, "item": document.item}

    def issue(self, issue: Issue) -> None:
        self.stream.write(json.dumps({**self.head, **issue.to_dict()}, ensure_ascii=False))
        self.stream.write("\n")


class SarifOutput(Output):
    """A SARIF 2.1.0 log, results written incrementally; each result's region is the line and
    column of the offending key (or of the NDJSON line) when it can be found."""

    def start(self) -> None:
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
            "name": PROGRAM,
            "version": tool_version(),
            "informationUri": "https://openactive.io/data-model-validator/",
            "rules": rules,
        }
        head = {
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
        }
        self.stream.write(json.dumps(head)[:-1] + ', "runs": [{')
        self.stream.write(f'"tool": {{"driver": {json.dumps(driver)}}}, ')
        self.stream.write('"columnKind": "unicodeCodePoints", ')
        self.stream.write(
            f'"properties": {json.dumps({"mode": self.mode, "engine": self.engine})}, '
        )
        self.stream.write('"results": [')
        self.results = 0
        self.notifications: list[dict[str, Any]] = []

    def begin_document(self, document: Document) -> None:
        self.document = document

    def region(self, issue: Issue) -> dict[str, int] | None:
        """Where the issue is in the file, as far as it can be found."""
        document = self.document
        position: Position | None = None
        if document.locate is not None:
            position = document.locate(issue.path)
        if position is not None:
            return {"startLine": position[0], "startColumn": position[1]}
        if document.line is not None:
            return {"startLine": document.line}
        return None

    def issue(self, issue: Issue) -> None:
        physical: dict[str, Any] = {"artifactLocation": {"uri": self.document.name}}
        region = self.region(issue)
        if region is not None:
            physical["region"] = region
        properties: dict[str, Any] = {"severity": issue.severity.value, "jsonPath": issue.json_path}
        if self.document.item is not None:
            properties["item"] = self.document.item
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
            "properties": properties,
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


OUTPUTS: dict[str, type[Output]] = {
    "text": TextOutput,
    "json": JsonOutput,
    "ndjson": NdjsonOutput,
    "sarif": SarifOutput,
}


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
            source = _Source(name)
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
            with contextlib.suppress(ValueError):
                item = json.loads(raw)
        if not is_rpde_item(item):
            return _Line(Document(name, number, None, _line_locator(raw, number, ())), raw)
        if item["state"] == "deleted":
            self.deleted += 1
            return None
        info = {"id": item.get("id"), "kind": item.get("kind"), "state": item["state"]}
        document = Document(name, number, info, _line_locator(raw, number, ("data",)))
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

    def _json(self, name: str, source: _Source) -> None:
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
            self.document(Document(name, locate=_text_locator(data)), report.issues)


@dataclass(frozen=True)
class _Line:
    """One NDJSON line to validate: its document, what to validate, or its issues found
    without validating (an RPDE item without data)."""

    document: Document
    payload: Any
    issues: tuple[Issue, ...] | None = None


def _line_locator(raw: bytes, number: int, prefix: JsonPath) -> Locate:
    """Positions in one NDJSON line (``prefix`` leads to the document: an item's ``data``)."""
    found: list[TextPositions] = []

    def locate(path: JsonPath) -> Position | None:
        if not found:
            text = raw.decode("utf-8", "replace").removeprefix("\ufeff")
            found.append(TextPositions(text, line=number))
        return found[0].locate((*prefix, *path))

    return locate


def _text_locator(data: bytes) -> Locate:
    """Positions in a JSON document read whole."""
    found: list[TextPositions] = []

    def locate(path: JsonPath) -> Position | None:
        if not found:
            found.append(TextPositions(data.decode("utf-8", "replace").removeprefix("\ufeff")))
        return found[0].locate(path)

    return locate


def _invalid_json(message: str) -> Issue:
    return Issue(code="invalid-json", severity=Severity.FAILURE, path=(), message=message)


def _guarded(issues: Iterator[Issue]) -> Iterator[Issue]:
    """The page's issues; a JSON error found midway becomes an ``invalid-json`` failure."""
    try:
        yield from issues
    except DataError as exc:
        yield _invalid_json(exc.reason)


class _Source:
    """An input: a file, or standard input (``-``); a pipe or other stream that cannot be
    read twice is treated as standard input is (spooled when a JSON document needs two
    passes)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.head: list[bytes] = []
        self.stream: IO[bytes]
        if name == "-":
            self.stream = sys.stdin.buffer
            self.regular = False
            return
        try:
            self.stream = Path(name).open("rb")  # noqa: SIM115  (closed by close())
            self.regular = stat.S_ISREG(os.fstat(self.stream.fileno()).st_mode)
        except OSError as exc:
            raise DataError(f"cannot read {name}: {exc.strerror}") from None

    def close(self) -> None:
        """Close the file (never standard input)."""
        if self.name != "-":
            self.stream.close()

    def looks_like_ndjson(self) -> bool:
        """Whether the first line is a whole JSON value and another non-blank line follows
        (which no JSON document can be). The lines read are kept for :meth:`lines`."""
        first = self.stream.readline(SNIFF)
        self.head.append(first)
        if not first.endswith(b"\n"):
            return False
        try:
            json.loads(first.removeprefix(b"\xef\xbb\xbf"))
        except ValueError:
            return False
        while True:
            line = self.stream.readline(SNIFF)
            if not line:
                return False
            if line.strip():
                if not line.endswith(b"\n"):  # a long line: keep it whole
                    line += self.stream.readline()
                self.head.append(line)
                return True
            self.head.append(line)

    def lines(self) -> Iterable[bytes]:
        """The input's lines (those read to sniff the format first)."""
        return itertools.chain(self.head, self.stream)

    @contextlib.contextmanager
    def opener(self) -> Iterator[Callable[[], IO[bytes]]]:
        """An opener that can be called more than once, each stream reading the whole
        input independently (a stream read once is spooled first)."""
        if self.regular:
            path = Path(self.name)
            yield lambda: path.open("rb")
            return
        with tempfile.SpooledTemporaryFile(max_size=8 << 20) as spool:
            spool.writelines(self.head)
            shutil.copyfileobj(self.stream, spool)
            yield lambda: io.BufferedReader(_View(spool))


class _View(io.RawIOBase):
    """An independent reader of a spooled file, from its start (closing it leaves the
    file open, for another pass)."""

    def __init__(self, spool: IO[bytes]) -> None:
        super().__init__()
        self._spool = spool
        self._pos = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        self._spool.seek(self._pos)
        data = self._spool.read(len(buffer))
        buffer[: len(data)] = data
        self._pos += len(data)
        return len(data)


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
        if stdout is sys.stdout:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        return run.exit_code() or 1
    return run.exit_code()
