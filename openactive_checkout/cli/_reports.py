"""How ``validate`` reports: the findings as text, JSON, NDJSON or SARIF, and a progress line.

Each format is an :class:`Output` that receives the findings as they are found and writes them
at once, so a long run needs constant memory and a pipeline sees results early.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, TextIO

from .._version import installed_version
from ..validation import CODES, Issue, Severity
from ._common import PROGRAM
from ._positions import Locate, Position

SEVERITY_ORDER = (Severity.FAILURE, Severity.WARNING, Severity.NOTICE, Severity.SUGGESTION)
SARIF_LEVEL = {
    Severity.FAILURE: "error",
    Severity.WARNING: "warning",
    Severity.NOTICE: "note",
    Severity.SUGGESTION: "note",
}


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
            "version": installed_version(),
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
