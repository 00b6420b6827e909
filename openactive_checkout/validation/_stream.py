"""Validating long inputs in constant memory: RPDE pages item by item, NDJSON line by line.

An RPDE page is read twice, never whole: a first pass checks each item's ``state`` (whether
the page counts as an RPDE page at all) and keeps one item per distinct value type (all that
the page-level rules see of ``items``); the second pass validates the page's other
properties, then each item as ``$.items[i]`` as it is read. The issues are those of
validating the whole page at once (in another order).
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import IO, Any

from ..errors import DataError
from ._api import too_deep
from ._engine import Check, child_model, document_rules, root_model, visit, visit_node_only
from ._issues import Issue, Severity
from ._js import JSON_DECODER
from ._node import Node
from ._spec import spec
from ._typing import detect_type

CHUNK = 1 << 16
_WHITESPACE = " \t\n\r"
_DECODER = JSON_DECODER

Opener = Callable[[], IO[bytes]]


class _NotStreamableError(Exception):
    """The input is not a page whose ``items`` can be streamed (read it whole)."""


class _Reader:
    """Incremental JSON values over a UTF-8 byte stream, holding one value at a time."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.stream = stream
        self.buffer = ""
        self.pos = 0
        self.eof = False
        self.offset = 0
        self._pending = b""
        self._started = False
        self._lines = 0  # newlines before the buffer
        self._line_start = 0  # the offset at which the buffer's first line starts

    def _more(self) -> bool:
        if self.eof:
            return False
        chunk = self.stream.read(CHUNK)
        if not chunk:
            self.eof = True
            if self._pending:
                raise DataError("the input is not UTF-8 text")
            return False
        data = self._pending + chunk
        try:
            text = data.decode("utf-8")
            self._pending = b""
        except UnicodeDecodeError as exc:
            if exc.start < len(data) - 3:
                raise DataError(f"the input is not UTF-8 text: {exc.reason}") from None
            text, self._pending = data[: exc.start].decode("utf-8"), data[exc.start :]
        if not self._started:
            self._started = True
            text = text.removeprefix("\ufeff")
        dropped = self.buffer.count("\n", 0, self.pos)
        if dropped:
            self._lines += dropped
            self._line_start = self.offset + self.buffer.rfind("\n", 0, self.pos) + 1
        self.offset += self.pos
        self.buffer = self.buffer[self.pos :] + text
        self.pos = 0
        return True

    def line_column(self, pos: int) -> tuple[int, int]:
        """The line and column (from 1, in characters) of the buffer's position ``pos``."""
        before = self.buffer.count("\n", 0, pos)
        start = self.offset + self.buffer.rfind("\n", 0, pos) + 1 if before else self._line_start
        return self._lines + before + 1, self.offset + pos - start + 1

    def peek(self) -> str:
        """The next non-whitespace character ("" at the end of the input)."""
        while True:
            while self.pos < len(self.buffer) and self.buffer[self.pos] in _WHITESPACE:
                self.pos += 1
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._more():
                return ""

    def expect(self, char: str) -> None:
        if self.peek() != char:
            where = self.offset + self.pos
            raise DataError(f"the input is not valid JSON: expected {char!r} at character {where}")
        self.pos += 1

    def _followed(self, end: int) -> bool:
        """Whether something other than whitespace follows position ``end`` in the buffer."""
        buffer = self.buffer
        while end < len(buffer):
            if buffer[end] not in _WHITESPACE:
                return True
            end += 1
        return False

    def value(self) -> Any:
        """The next JSON value."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as exc:
                if self._more():
                    continue
                where = self.offset + exc.pos
                raise DataError(
                    f"the input is not valid JSON: {exc.msg} at character {where}"
                ) from None
            except RecursionError:
                where = self.offset + self.pos
                raise DataError(
                    f"the value at character {where} nests too deeply to be read"
                ) from None
            # A number cut at the buffer's end decodes too early: only accept a value once
            # something follows it (or the input has ended).
            if not self._followed(end) and self._more():
                continue
            self.pos = end
            return value


def _walk_page(stream: IO[bytes], on_item: Callable[[int, Any], None]) -> dict[str, Any]:
    """Read a top-level object, handing each element of ``items`` to ``on_item``.

    Returns the object without ``items``; raises :class:`_NotStreamableError` when the input is
    not an object with one ``items`` array.
    """
    reader = _Reader(stream)
    if reader.peek() != "{":
        raise _NotStreamableError
    reader.expect("{")
    shell: dict[str, Any] = {}
    streamed = False
    if reader.peek() == "}":
        raise _NotStreamableError
    while True:
        key = reader.value()
        if not isinstance(key, str):
            raise DataError("the input is not valid JSON: object keys must be strings")
        reader.expect(":")
        if key == "items":
            if streamed or reader.peek() != "[":
                raise _NotStreamableError
            reader.expect("[")
            index = 0
            if reader.peek() == "]":
                reader.expect("]")
            else:
                while True:
                    on_item(index, reader.value())
                    index += 1
                    if reader.peek() != ",":
                        reader.expect("]")
                        break
                    reader.expect(",")
            streamed = True
        else:
            value = reader.value()
            shell.pop(key, None)  # as JSON.parse: the last value wins
            shell[key] = value
        if reader.peek() != ",":
            reader.expect("}")
            break
        reader.expect(",")
    if reader.peek() != "":
        raise DataError("the input is not valid JSON: extra data after the document")
    if not streamed:
        raise _NotStreamableError
    return shell


@dataclass
class _Scan:
    """What the first pass learns about a page's items."""

    count: int = 0
    states_valid: bool = True
    samples: list[Any] = field(default_factory=list)
    sample_types: set[str] = field(default_factory=set)


def iter_page_issues(
    open_input: Opener, mode: str, profile: str = "openactive"
) -> Iterator[Issue] | None:
    """The issues of the page ``open_input()`` reads, found item by item.

    ``open_input`` is called twice (one call per pass). Returns None when the input is not
    an object with an ``items`` array: validate it whole instead. Raises
    :class:`~openactive_checkout.errors.DataError` when the input is not JSON.
    """
    the_spec = spec()
    scan = _Scan()
    items_field = the_spec.model("FeedPage").field("items")

    def first_pass(index: int, item: Any) -> None:
        scan.count += 1
        if not (isinstance(item, dict) and item.get("state") in ("updated", "deleted")):
            scan.states_valid = False
        kind = detect_type(the_spec, items_field, item, True) if items_field else ""
        if kind not in scan.sample_types:
            scan.sample_types.add(kind)
            scan.samples.append(item)

    try:
        with open_input() as stream:
            shell = _walk_page(stream, first_pass)
    except _NotStreamableError:
        return None
    return _second_pass(open_input, shell, scan, mode, profile)


def _second_pass(
    open_input: Opener, shell: dict[str, Any], scan: _Scan, mode: str, profile: str
) -> Iterator[Issue]:
    check = Check(spec(), mode, profile)
    # Stand-ins with the same verdicts as the real page: an `items` array that makes the
    # page an RPDE page exactly when the real one is, and one sample item per value type.
    document = {**shell, "items": [] if scan.states_valid else [None]}
    page = {**shell, "items": scan.samples}
    for func in document_rules(mode, profile):
        func(check, document)
    root = Node(check.spec, "$", page, None, root_model(check, page, document))
    visit_node_only(check, root)
    for key, value in shell.items():
        deep = too_deep(value, (key,))
        if deep is not None:
            check.issues.append(deep)
            continue
        try:
            _visit_value(check, root, key, value)
        except RecursionError:
            check.issues.append(_too_deep((key,)))
    yield from _drain(check)

    def validate_item(index: int, item: Any) -> None:
        deep = too_deep(item, ("items", index))
        if deep is not None:
            check.issues.append(deep)
            return
        if isinstance(item, dict) and "@value" not in item:
            model = child_model(check, root, "items", item)
            try:
                visit(check, Node(check.spec, "items", item, root, model, index=index))
            except RecursionError:
                check.issues.append(_too_deep(("items", index)))

    with open_input() as stream:
        reader = _ItemReader(stream)
        for index, item in reader:
            validate_item(index, item)
            yield from _drain(check)


def _too_deep(path: tuple[str | int, ...]) -> Issue:
    return Issue(
        code="invalid-json",
        severity=Severity.FAILURE,
        path=path,
        message="the value nests too deeply to be validated",
    )


class _ItemReader:
    """The (index, item) pairs of a page, read one at a time."""

    def __init__(self, stream: IO[bytes]) -> None:
        self.reader = _Reader(stream)

    def __iter__(self) -> Iterator[tuple[int, Any]]:
        reader = self.reader
        reader.expect("{")
        while True:
            key = reader.value()
            reader.expect(":")
            if key == "items":
                reader.expect("[")
                if reader.peek() == "]":
                    return
                index = 0
                while True:
                    yield index, reader.value()
                    index += 1
                    if reader.peek() != ",":
                        return
                    reader.expect(",")
            reader.value()
            reader.expect(",")


def _visit_value(check: Check, parent: Node, key: str, value: Any) -> None:
    if isinstance(value, list):
        for index, item in enumerate(value):
            if isinstance(item, dict) and "@value" not in item:
                model = child_model(check, parent, key, item)
                visit(check, Node(check.spec, key, item, parent, model, index=index))
    elif isinstance(value, dict) and "@value" not in value:
        visit(check, Node(check.spec, key, value, parent, child_model(check, parent, key, value)))


def _drain(check: Check) -> Iterator[Issue]:
    issues, check.issues = check.issues, []
    yield from issues


def iter_lines(stream: Iterable[bytes]) -> Iterator[tuple[int, bytes]]:
    """The non-blank lines of an NDJSON stream as (line number, raw bytes)."""
    for number, raw in enumerate(stream, 1):
        if raw.strip():
            yield number, raw
