"""Batch functions: plain functions over lists of items that any engine can call.

Dask (:mod:`openactive_checkout.dask`), Spark (``mapPartitions``), Ray (``map_batches``) or a
plain loop call the same functions on a batch of inputs and merge the results:
:func:`summarise_issues` validates RPDE items (or JSON-LD documents) into an
:class:`IssueSummary`, and summaries merge (``a.merge(b)``) to the summary of the whole,
whatever the batches were; :func:`validate_texts` gives one report per document;
:func:`to_ntriples` converts items to N-Triples text.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from ..errors import ContextError, DataError
from ..validation import Issue, Severity, ValidationMode, ValidationReport, validate, validate_all

MAX_EXAMPLES = 3
"""How many examples an :class:`IssueSummary` keeps for each code and path."""

IssueKey = tuple[str, str, str]
"""``(code, severity, json_path)``: what an :class:`IssueSummary` counts by."""


@dataclass(frozen=True, order=True)
class IssueExample:
    """One occurrence of an issue: where (``source``, ``item``), what, and the value."""

    source: str
    item: str
    message: str
    value: str = ""
    """The offending value as JSON text (empty when there is none)."""

    def to_dict(self) -> dict[str, str]:
        """A JSON-ready dict."""
        return {"source": self.source, "item": self.item, "message": self.message,
                "value": self.value}  # fmt: skip


@dataclass
class IssueSummary:
    """Issues counted by code, severity and path, with a few examples of each.

    ``items`` counts the documents validated and ``invalid`` those with a failure. Summaries
    of any split of a collection merge (:meth:`merge`) into the summary of the whole: the
    examples kept are the first ``MAX_EXAMPLES`` in ``(source, item, message)`` order, so
    the result does not depend on how the work was split.
    """

    items: int = 0
    invalid: int = 0
    counts: dict[IssueKey, int] = field(default_factory=dict)
    examples: dict[IssueKey, list[IssueExample]] = field(default_factory=dict)

    def add(self, issues: Iterable[Issue], *, source: str = "", item: str = "") -> None:
        """Count the issues of one document (``item`` names it, ``source`` where it came from)."""
        self.items += 1
        failed = False
        counts, examples = self.counts, self.examples
        for issue in issues:
            failed = failed or issue.is_failure
            key = (issue.code, issue.severity.value, issue.json_path)
            counts[key] = counts.get(key, 0) + 1
            held = examples.get(key)
            if held is not None and len(held) >= MAX_EXAMPLES:
                last = held[-1]
                if (source, item) > (last.source, last.item):
                    continue  # sorts after every example kept (the common case: feed order)
            value = "" if issue.value is None else json.dumps(issue.value, default=str)[:200]
            self._keep(key, [IssueExample(source, item, issue.message, value)])
        self.invalid += failed

    def _keep(self, key: IssueKey, new: list[IssueExample]) -> None:
        held = self.examples.get(key, [])
        if len(held) >= MAX_EXAMPLES and all(example >= held[-1] for example in new):
            return
        self.examples[key] = sorted({*held, *new})[:MAX_EXAMPLES]

    def merge(self, other: IssueSummary) -> IssueSummary:
        """A new summary of both (neither is changed)."""
        merged = IssueSummary(
            self.items + other.items,
            self.invalid + other.invalid,
            dict(self.counts),
            {key: list(examples) for key, examples in self.examples.items()},
        )
        for key, count in other.counts.items():
            merged.counts[key] = merged.counts.get(key, 0) + count
        for key, examples in other.examples.items():
            merged._keep(key, examples)
        return merged

    @property
    def total(self) -> int:
        """The number of issues counted."""
        return sum(self.counts.values())

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict: the totals and one entry per key, most frequent first."""
        return {
            "items": self.items,
            "invalid": self.invalid,
            "issues": [
                {"code": code, "severity": severity, "path": path, "count": count,
                 "examples": [e.to_dict() for e in self.examples.get((code, severity, path), [])]}
                for (code, severity, path), count in sorted(
                    self.counts.items(), key=lambda pair: (-pair[1], pair[0]))
            ],
        }  # fmt: skip


def _parse(value: Any) -> tuple[Any, str | None]:
    """A JSON value from a mapping or JSON text; the reason when the text is not JSON."""
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError as exc:
            return None, f"not UTF-8 text: {exc.reason}"
    if isinstance(value, str):
        try:
            return json.loads(value), None
        except json.JSONDecodeError as exc:
            return None, f"not JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    return value, None


def _document(value: Any) -> tuple[str, Any | None]:
    """``(a name, the JSON-LD document)`` of an RPDE item or a document; None for a deletion."""
    if isinstance(value, Mapping) and "state" in value and "@context" not in value:
        name = f"{value.get('kind', '')}/{value.get('id', '')}"
        return name, (None if value.get("state") == "deleted" else value.get("data"))
    if isinstance(value, Mapping):
        return str(value.get("@id", value.get("id", ""))), value
    return "", value


def summarise_issues(
    items: Iterable[Any], *, mode: ValidationMode = "RPDEFeed", source: str = ""
) -> IssueSummary:
    """Validate a batch and summarise the issues.

    Each input is an RPDE item (``{"state", "kind", "id", "modified", "data"}``: its ``data``
    is validated, a deletion is skipped) or a JSON-LD document, as a mapping or JSON text (an
    NDJSON line); text that is not JSON counts as one ``invalid-json`` failure. ``source``
    names the batch's origin in the examples.
    """
    summary = IssueSummary()
    for value in items:
        parsed, problem = _parse(value)
        if problem is not None:
            invalid = Issue(code="invalid-json", severity=Severity.FAILURE, path=(),
                            message=f"the input is {problem}")  # fmt: skip
            summary.add([invalid], source=source)
            continue
        name, document = _document(parsed)
        if document is None and isinstance(parsed, Mapping) and parsed.get("state") == "deleted":
            continue
        summary.add(validate(document, mode=mode).issues, source=source, item=name)
    return summary


def validate_texts(
    texts: Iterable[str | bytes], *, mode: ValidationMode = "RPDEFeed"
) -> list[ValidationReport]:
    """One report per JSON-LD document text, in order (text that is not JSON gets an
    ``invalid-json`` failure, not an exception)."""
    return validate_all(texts, mode=mode)


@dataclass(frozen=True)
class ConversionProblem:
    """An input of :func:`to_ntriples` that has no RDF: its position and the reason."""

    index: int
    message: str


@dataclass(frozen=True)
class NTriplesBatch:
    """The N-Triples of a batch and the inputs that could not be converted."""

    text: str
    problems: tuple[ConversionProblem, ...] = ()


def to_ntriples(items: Iterable[Any]) -> NTriplesBatch:
    """The N-Triples of a batch of RPDE items or JSON-LD documents (mappings or JSON text).

    Deletions have no triples. Blank node labels are unique across the batch (and across
    batches: each call draws a fresh random prefix). An input that cannot be read or has no
    RDF meaning is reported in ``problems`` by its position; the others are converted.
    """
    from ..jsonld import loads
    from ..rdf._build import GraphBuilder
    from ..rdf._stream import NTriplesTerms, ntriples

    builder = GraphBuilder(NTriplesTerms())
    parts: list[str] = []
    problems: list[ConversionProblem] = []
    for index, value in enumerate(items):
        parsed, problem = _parse(value)
        if problem is not None:
            problems.append(ConversionProblem(index, problem))
            continue
        _, document = _document(parsed)
        if document is None:
            continue
        try:
            parts.append(ntriples(builder.triples(loads(document))))
        except DataError as exc:
            problems.append(ConversionProblem(index, str(exc)))
        except ContextError as exc:
            problems.append(ConversionProblem(index, str(exc)))
    return NTriplesBatch("".join(parts), tuple(problems))
