"""Sinks: where harvested items go besides the state store. The base class and NDJSON.

The harvester writes each page's changes to every sink *before* it commits the page to the
state store, so a harvester killed in between writes the same changes again when it resumes:
a sink must take a page written twice (NDJSON lines fold by ``modified``; the SPARQL sink
replaces graphs; Parquet files are named by their content).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from ..errors import OpenActiveCheckoutError
from ._read import HarvestItem


class Sink:
    """A destination for harvested items (subclass and override :meth:`write`)."""

    async def open(self) -> None:
        """Called once before the first write."""

    async def write(self, feed: str, page_url: str, items: Sequence[HarvestItem]) -> None:
        """Write the changes one page of ``feed`` brought (updates and deletions, in feed
        order). Raising stops the feed: the page is not committed, and is read again."""
        raise NotImplementedError

    async def close(self) -> None:
        """Called once after the last write (also when the harvest failed)."""


_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def feed_file_stem(feed: str) -> str:
    """A file name for a feed URL: readable (host and path) and unique (a short hash)."""
    parts = urlsplit(feed)
    readable = _UNSAFE.sub("-", f"{parts.hostname or ''}{parts.path}").strip("-")[:80]
    digest = hashlib.sha256(feed.encode("utf-8")).hexdigest()[:10]
    return f"{readable or 'feed'}-{digest}"


class NdjsonSink(Sink):
    """One NDJSON file per feed in ``directory``: each line an RPDE item, in harvest order.

    Each line is ``{"state", "kind", "id", "modified", "data"}`` (no ``data`` for a
    deletion), ``data`` in the canonical wire form. Lines are appended, never rewritten:
    folding them by ``(kind, id)``, keeping the greatest ``modified``, gives the feed's
    current state, also across resumed harvests (a resumed harvest may repeat lines). A line
    left half-written by a killed harvester is cut off when the file is next opened.
    """

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.directory = Path(directory)
        self._checked: set[Path] = set()

    def path_of(self, feed: str) -> Path:
        """The file that holds ``feed``'s items."""
        return self.directory / f"{feed_file_stem(feed)}.ndjson"

    async def open(self) -> None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OpenActiveCheckoutError(
                f"cannot create the NDJSON directory {self.directory}: {exc.strerror}"
            ) from None

    async def write(self, feed: str, page_url: str, items: Sequence[HarvestItem]) -> None:
        if not items:
            return
        path = self.path_of(feed)
        text = "".join(
            json.dumps(item.to_rpde(), ensure_ascii=False, separators=(",", ":")) + "\n"
            for item in items
        ).encode("utf-8")
        try:
            if path not in self._checked:
                _cut_partial_line(path)
                self._checked.add(path)
            with path.open("ab") as out:
                out.write(text)
        except OSError as exc:
            raise OpenActiveCheckoutError(f"cannot write {path}: {exc.strerror}") from None


def _cut_partial_line(path: Path) -> None:
    """Truncate ``path`` after its last newline (a killed writer's half line goes)."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    if size == 0:
        return
    with path.open("r+b") as file:
        position = size
        while position > 0:
            step = min(65536, position)
            file.seek(position - step)
            chunk = file.read(step)
            newline = chunk.rfind(b"\n")
            if newline >= 0:
                end = position - step + newline + 1
                if end != size:
                    file.truncate(end)
                return
            position -= step
        file.truncate(0)
