"""What ``validate`` reads: a file or standard input, told apart as JSON or NDJSON, read once
or (for a JSON document that needs two passes) spooled."""

from __future__ import annotations

import contextlib
import io
import itertools
import json
import os
import shutil
import stat
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from ..errors import DataError

SNIFF = 1 << 20
"""How much of an input's first line is read to tell NDJSON from JSON."""


class Source:
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
