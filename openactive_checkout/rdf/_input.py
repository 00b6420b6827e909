"""The JSON-LD documents in a file: one document, an RPDE page, or NDJSON, read lazily.

* NDJSON (one JSON value per line) is read line by line: constant memory for any length.
* An RPDE page (``{"items": [...], "next": ...}``) is held as text, but its items are decoded
  one at a time (never the whole page as Python objects), and each item's ``data`` document
  is handed on before the next item is decoded. Deleted items (no ``data``) are counted.
  A page is an object whose ``items`` hold RPDE items (``state``/``data``, no type of their
  own) and which has no ``@context`` or type before ``items``.
* Anything else is one document (an array of documents is read element by element).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Generator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

from ..errors import DataError, PathPart
from ..jsonld._json import malformed

_WS = re.compile(r"[ \t\n\r]*")
_JSON_LD_KEYS = frozenset({"@type", "type", "@context"})
_DECODER = json.JSONDecoder()


@dataclass(frozen=True)
class InputDocument:
    """One document found in an input, or an RPDE item without one."""

    where: str
    """The input's name, with the line number for NDJSON."""
    path: tuple[PathPart, ...]
    """Where the document sits in that JSON value (``("items", 3, "data")``)."""
    data: Any
    """The JSON-LD document; None for a deleted RPDE item."""


def open_input(name: str) -> BinaryIO:
    """A binary stream for a file argument (``-`` is standard input)."""
    if name == "-":
        return sys.stdin.buffer
    try:
        return Path(name).open("rb")
    except OSError as exc:
        raise DataError(f"cannot read {name}: {exc.strerror}") from None


def iter_documents(name: str) -> Iterator[InputDocument]:
    """The documents of the file ``name`` (see the module docstring), lazily."""
    stream = open_input(name)
    try:
        yield from _documents(stream, name)
    finally:
        if stream is not sys.stdin.buffer:
            stream.close()


def _documents(stream: BinaryIO, name: str) -> Iterator[InputDocument]:
    first = _decode(stream.readline(), name)
    value = _whole_line(first)
    if value is _INCOMPLETE:
        yield from documents_in_text(first + _decode(stream.read(), name), name)
        return
    line_number, following = 1, None
    for raw in stream:
        line_number += 1
        following = _decode(raw, name)
        if following.strip():
            break
    if following is None or not following.strip():
        yield from documents_in(value, name, ())
        return
    # NDJSON: one JSON document per line.
    yield from documents_in(value, f"{name} line 1", ())
    yield from _ndjson_line(following, f"{name} line {line_number}")
    for raw in stream:
        line_number += 1
        yield from _ndjson_line(_decode(raw, name), f"{name} line {line_number}")


def _ndjson_line(text: str, where: str) -> Iterator[InputDocument]:
    if not text.strip():
        return
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: malformed JSON at column {exc.colno}: {exc.msg}") from None
    except (RecursionError, ValueError) as exc:
        raise DataError(f"{where}: {_unreadable(exc)}") from None
    yield from documents_in(value, where, ())


def _unreadable(exc: RecursionError | ValueError) -> str:
    """What the standard library's reader could not read, besides malformed text."""
    if isinstance(exc, RecursionError):
        return "the JSON nests too deeply to be read"
    return f"a number cannot be read: {exc}"  # an integer of more digits than int() reads


_INCOMPLETE = object()


def _whole_line(text: str) -> Any:
    if not text.strip():
        return _INCOMPLETE
    try:
        return json.loads(text)
    except (ValueError, RecursionError):  # judged again when the whole text is read
        return _INCOMPLETE


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError(f"{name} is not UTF-8 text ({exc.reason})") from None


def documents_in(value: Any, where: str, path: tuple[PathPart, ...]) -> Iterator[InputDocument]:
    """The documents in a parsed JSON value: an RPDE page's items, an array's elements, or
    the value itself."""
    stack: list[tuple[Any, tuple[PathPart, ...]]] = [(value, path)]  # no recursion: arrays
    while stack:  # may nest as deeply as the JSON reader allows
        value, path = stack.pop()
        if isinstance(value, dict) and _is_page(value):
            for index, item in enumerate(value["items"]):
                yield _item(item, where, (*path, "items", index))
        elif isinstance(value, list):
            stack.extend((value[i], (*path, i)) for i in reversed(range(len(value))))
        else:
            yield InputDocument(where, path, value)


def _is_page(value: dict[str, Any]) -> bool:
    """An RPDE page: ``items`` holding RPDE items, or empty with a ``next`` (a feed's end)."""
    items = value.get("items")
    if not isinstance(items, list) or _JSON_LD_KEYS & value.keys():
        return False
    return _is_item(items[0]) if items else "next" in value


def _is_item(item: Any) -> bool:
    """An RPDE item: ``state``/``kind``/``data`` keys, and no JSON-LD type of its own."""
    return (
        isinstance(item, dict)
        and ("state" in item or "data" in item)
        and not _JSON_LD_KEYS & item.keys()
    )


def _item(item: Any, where: str, path: tuple[PathPart, ...]) -> InputDocument:
    if not isinstance(item, dict):
        return InputDocument(where, path, item)  # loads() will say what is wrong
    if item.get("state") == "deleted" or item.get("data") is None:
        return InputDocument(where, (*path, "data"), None)
    return InputDocument(where, (*path, "data"), item["data"])


def documents_in_text(text: str, where: str) -> Iterator[InputDocument]:
    """The documents in JSON text; an RPDE page's items are decoded one at a time."""
    try:
        yield from _scan(text, where)
    except json.JSONDecodeError as exc:
        raise DataError(f"{where}: {malformed(exc)}") from None
    except DataError:
        raise
    except (RecursionError, ValueError) as exc:
        raise DataError(f"{where}: {_unreadable(exc)}") from None


def _scan(text: str, where: str) -> Iterator[InputDocument]:
    """Walk the top-level object key by key; stream ``items`` when it holds RPDE items."""
    index = _skip(text, 0)
    if not text.startswith("{", index):
        yield from documents_in(json.loads(text), where, ())
        return
    members: dict[str, Any] = {}
    streamed = False
    index = _skip(text, index + 1)
    if text.startswith("}", index):
        index += 1
    else:
        while True:
            key, index = _DECODER.raw_decode(text, index)
            if not isinstance(key, str):
                json.loads(text)  # raises the decoder's own error
            index = _expect(text, index, ":")
            end = None
            if (
                key == "items"
                and not streamed
                and text.startswith("[", index)
                and not _JSON_LD_KEYS & members.keys()
            ):
                end = yield from _stream_items(text, index, where)
            if end is None:
                members[key], index = _DECODER.raw_decode(text, index)
            else:
                streamed, index = True, end
            index = _skip(text, index)
            if text.startswith("}", index):
                index += 1
                break
            index = _expect(text, index, ",")
    if text[index:].strip():
        json.loads(text)  # raises the decoder's "Extra data" error at the right place
    if not streamed:
        yield from documents_in(members, where, ())


def _stream_items(text: str, index: int, where: str) -> Generator[InputDocument, None, int | None]:
    """Yield the RPDE items of the array at ``index``; return the index after it. Returns
    None, having yielded nothing, when the array is empty or does not hold RPDE items."""
    index = _skip(text, index + 1)
    if text.startswith("]", index):
        return None
    position = 0
    while True:
        item, index = _DECODER.raw_decode(text, index)
        if position == 0 and not _is_item(item):
            return None
        yield _item(item, where, ("items", position))
        position += 1
        index = _skip(text, index)
        if text.startswith("]", index):
            return index + 1
        index = _expect(text, index, ",")


def _skip(text: str, index: int) -> int:
    match = _WS.match(text, index)
    return index if match is None else match.end()


def _expect(text: str, index: int, char: str) -> int:
    index = _skip(text, index)
    if not text.startswith(char, index):
        json.loads(text)  # the decoder's own message for the whole text
        raise json.JSONDecodeError(f"expected {char!r}", text, index)  # pragma: no cover
    return _skip(text, index + 1)
