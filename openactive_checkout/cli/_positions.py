"""Where a JSON path sits in a file: the line and column of a key (or array element), for the
``region`` of a SARIF result.

The standard library's decoder gives no positions, so :class:`TextPositions` scans a JSON
text once (strings and numbers are skipped by the C decoder), recording the offset of each
member's key and each element's value. :class:`PagePositions` does the same for an RPDE page
without holding it: it walks the file forwards, one item at a time, as the validator's issues
come (in the page's order). Lines and columns count from 1, columns in characters (SARIF's
``unicodeCodePoints``). A path that is not in the text (a missing property) is placed at its
nearest ancestor that is.
"""

from __future__ import annotations

import bisect
import contextlib
import json
import re
from collections.abc import Callable, Iterator
from typing import IO

from ..errors import DataError, PathPart
from ..validation._stream import _Reader

Path = tuple[PathPart, ...]
Position = tuple[int, int]
Locate = Callable[[Path], Position | None]

_DECODER = json.JSONDecoder()
_WS = re.compile(r"[ \t\n\r]*")
_NEWLINE = re.compile("\n")


class TextPositions:
    """The positions of the paths of one JSON text (indexed on first use).

    ``line`` and ``column`` are those of the text's first character in its file.
    """

    def __init__(self, text: str, *, line: int = 1, column: int = 1) -> None:
        self.text = text
        self.line = line
        self.column = column
        self._offsets: dict[Path, int] | None = None
        self._newlines: list[int] = []

    def locate(self, path: Path) -> Position | None:
        """The position of ``path`` (or of its nearest ancestor in the text); None when the
        text is not JSON."""
        if self._offsets is None:
            self._offsets = _index(self.text)
            self._newlines = [m.start() for m in _NEWLINE.finditer(self.text)]
        for end in range(len(path), -1, -1):
            offset = self._offsets.get(path[:end])
            if offset is not None:
                return self._position(offset)
        return None

    def _position(self, offset: int) -> Position:
        before = bisect.bisect_left(self._newlines, offset)
        if not before:
            return self.line, self.column + offset
        return self.line + before, offset - self._newlines[before - 1]


def _index(text: str) -> dict[Path, int]:
    """The offset of every path of a JSON text: a member's key, an element's value."""
    offsets: dict[Path, int] = {}
    start = _WS.match(text).end()  # type: ignore[union-attr]  # `*` always matches
    offsets[()] = start
    # Text that is not JSON (or too deep): the positions found so far.
    with contextlib.suppress(ValueError, IndexError, RecursionError):
        _scan(text, start, (), offsets)
    return offsets


def _scan(text: str, pos: int, path: Path, offsets: dict[Path, int]) -> int:
    """Record the paths of the value at ``pos`` (no whitespace before it); return its end."""
    skip = _WS.match
    char = text[pos]
    if char == "{":
        pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos] == "}":
            return pos + 1
        while True:
            key, after = _DECODER.raw_decode(text, pos)
            if not isinstance(key, str):
                raise ValueError("an object key must be a string")
            child = (*path, key)
            offsets[child] = pos  # a repeated key: the last one, as JSON.parse keeps
            pos = skip(text, after).end()  # type: ignore[union-attr]
            if text[pos] != ":":
                raise ValueError("expected ':'")
            pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
            pos = skip(text, _scan(text, pos, child, offsets)).end()  # type: ignore[union-attr]
            if text[pos] == "}":
                return pos + 1
            if text[pos] != ",":
                raise ValueError("expected ',' or '}'")
            pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
    if char == "[":
        pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
        if text[pos] == "]":
            return pos + 1
        index = 0
        while True:
            child = (*path, index)
            offsets[child] = pos
            pos = skip(text, _scan(text, pos, child, offsets)).end()  # type: ignore[union-attr]
            if text[pos] == "]":
                return pos + 1
            if text[pos] != ",":
                raise ValueError("expected ',' or ']'")
            pos = skip(text, pos + 1).end()  # type: ignore[union-attr]
            index += 1
    _, end = _DECODER.raw_decode(text, pos)
    end_: int = end
    return end_


class PagePositions:
    """The positions of the paths of an RPDE page file, found by reading it forwards.

    ``opener`` opens the file again (each call a new stream from its start). Items are
    looked at one at a time; asking for an item before the last one asked for reads the
    file again from the start.
    """

    def __init__(self, opener: Callable[[], IO[bytes]]) -> None:
        self.opener = opener
        self._walk: Iterator[tuple[str | int, TextPositions | None]] | None = None
        self._stream: IO[bytes] | None = None
        self._item: tuple[int, TextPositions] | None = None
        self._members: dict[str, tuple[Position, TextPositions | None]] = {}
        self._root: Position = (1, 1)
        self._ended = False
        self._last_item = -1  # the index of the last item the walk has passed
        self._past_items = False  # whether the walk has passed the whole `items` array

    def locate(self, path: Path) -> Position | None:
        """The position of ``path`` in the page (or of its nearest ancestor)."""
        try:
            if len(path) >= 2 and path[0] == "items" and isinstance(path[1], int):
                item = self._find_item(path[1])
                if item is not None:
                    return item.locate(path[2:])
                path = ("items",)
            if not path:
                return self._start()
            member = self._find_member(str(path[0]))
        except (DataError, OSError, ValueError):
            return None
        if member is None:
            return self._start()
        position, value = member
        if len(path) > 1 and value is not None:
            found = value.locate(path[1:])
            if found is not None and found != (value.line, value.column):
                return found
        return position

    def close(self) -> None:
        """Close the file being read."""
        if self._stream is not None:
            self._stream.close()
            self._stream = None
        self._walk = None

    def _start(self) -> Position:
        if self._walk is None and not self._ended:
            next(self._events(), None)  # reads as far as the page's first member
        return self._root

    def _find_item(self, index: int) -> TextPositions | None:
        if self._item is not None and self._item[0] == index:
            return self._item[1]
        if self._ended or self._past_items or index <= self._last_item:
            self.close()
            self._ended = self._past_items = False
            self._last_item = -1
            self._item = None
        for key, text in self._events():
            if key == index and text is not None:
                self._item = (index, text)
                return text
        return None

    def _find_member(self, key: str) -> tuple[Position, TextPositions | None] | None:
        if key in self._members:
            return self._members[key]
        if self._ended:
            return None
        for _ in self._events():
            if key in self._members:
                return self._members[key]
        return None

    def _events(self) -> Iterator[tuple[str | int, TextPositions | None]]:
        """Continue the walk: the page's members (keys) and items (indexes) as they come."""
        if self._walk is None:
            self._stream = self.opener()
            self._walk = self._walk_page(_Reader(self._stream))
        for event in self._walk:
            key = event[0]
            if isinstance(key, int):
                self._last_item = key
            elif key == "items":
                self._past_items = True
            yield event
        self._ended = True
        self.close()

    def _walk_page(self, reader: _Reader) -> Iterator[tuple[str | int, TextPositions | None]]:
        """Yield (index, its text's positions) per item of ``items``, and (key, None) per
        member of the page once its position (and its value's, but for ``items``) is
        recorded."""
        reader.peek()
        self._root = reader.line_column(reader.pos)
        yield from _members(reader, self._members)


def _members(
    reader: _Reader, members: dict[str, tuple[Position, TextPositions | None]]
) -> Iterator[tuple[str | int, TextPositions | None]]:
    reader.expect("{")
    if reader.peek() == "}":
        return
    while True:
        reader.peek()
        key_position = reader.line_column(reader.pos)
        key = reader.value()
        reader.expect(":")
        if key == "items" and reader.peek() == "[":
            members[key] = (key_position, None)
            reader.expect("[")
            index = 0
            while reader.peek() != "]":
                start = reader.offset + reader.pos
                line, column = reader.line_column(reader.pos)
                reader.value()
                text = reader.buffer[start - reader.offset : reader.pos]
                yield index, TextPositions(text, line=line, column=column)
                index += 1
                if reader.peek() != ",":
                    break
                reader.expect(",")
            reader.expect("]")
        else:
            reader.peek()
            start = reader.offset + reader.pos
            line, column = reader.line_column(reader.pos)
            reader.value()
            text = reader.buffer[start - reader.offset : reader.pos]
            members[str(key)] = (key_position, TextPositions(text, line=line, column=column))
        yield str(key), None
        if reader.peek() != ",":
            return
        reader.expect(",")


def text_locator(data: bytes, *, line: int = 1, prefix: Path = ()) -> Locate:
    """Positions in one JSON text (a whole document, or one NDJSON line starting at ``line``),
    indexed on first use; ``prefix`` leads from the text's root to the document (an RPDE
    item's ``data``)."""
    found: list[TextPositions] = []

    def locate(path: Path) -> Position | None:
        if not found:
            text = data.decode("utf-8", "replace").removeprefix("\ufeff")
            found.append(TextPositions(text, line=line))
        return found[0].locate((*prefix, *path))

    return locate
