"""The Parquet sink (pyarrow, the ``arrow`` extra): flat columns per opportunity type.

Files are written under ``DIRECTORY/<kind>/``, one per page and kind, named by the feed and
a hash of the rows (written to a temporary name, then renamed: a killed harvester leaves no
half file, and a page written again replaces its own file). Every file of a kind has that
kind's schema (:data:`SCHEMAS`): the RPDE columns, the columns of the opportunity type, and
``jsonld``, the item's canonical JSON-LD. Like the NDJSON lines, rows fold by
``(kind, id)`` keeping the greatest ``modified_key`` (DuckDB:
``SELECT * FROM 'DIR/ScheduledSession/*.parquet' QUALIFY row_number() OVER
(PARTITION BY id ORDER BY modified_key DESC) = 1``).
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from .._optional import require
from ..errors import OpenActiveCheckoutError
from ._read import HarvestItem
from ._sinks import Sink, feed_file_stem

Getter = Callable[[dict[str, Any]], Any]


def _text(*path: str) -> Getter:
    def get(data: dict[str, Any]) -> Any:
        value: Any = data
        for key in path:
            if isinstance(value, list):
                value = value[0] if value else None
            if not isinstance(value, dict):
                return None
            value = value.get(key)
        if isinstance(value, list):
            value = value[0] if value else None
        if isinstance(value, dict):
            value = value.get("@id", value.get("id"))
        return None if value is None else str(value)

    return get


def _int(key: str) -> Getter:
    def get(data: dict[str, Any]) -> Any:
        value = data.get(key)
        return value if isinstance(value, int) and not isinstance(value, bool) else None

    return get


def _lowest_price(data: dict[str, Any]) -> Any:
    offers = data.get("offers")
    prices = [
        float(offer["price"])
        for offer in (offers if isinstance(offers, list) else [])
        if isinstance(offer, dict) and isinstance(offer.get("price"), int | float)
    ]
    return min(prices) if prices else None


_COMMON: list[tuple[str, str, Getter]] = [
    ("type", "string", _text("@type")),
    ("data_id", "string", _text("@id")),
    ("identifier", "string", _text("identifier")),
    ("name", "string", _text("name")),
    ("url", "string", _text("url")),
]
_EVENT: list[tuple[str, str, Getter]] = [
    ("start_date", "string", _text("startDate")),
    ("end_date", "string", _text("endDate")),
    ("duration", "string", _text("duration")),
    ("super_event", "string", _text("superEvent")),
    ("event_status", "string", _text("eventStatus")),
    ("maximum_attendee_capacity", "int64", _int("maximumAttendeeCapacity")),
    ("remaining_attendee_capacity", "int64", _int("remainingAttendeeCapacity")),
    ("lowest_price", "float64", _lowest_price),
]
_SERIES: list[tuple[str, str, Getter]] = [
    ("activity", "string", _text("activity", "prefLabel")),
    ("organizer", "string", _text("organizer", "name")),
    ("location", "string", _text("location", "name")),
    ("postcode", "string", _text("location", "address", "postalCode")),
    ("lowest_price", "float64", _lowest_price),
]
_SLOT: list[tuple[str, str, Getter]] = [
    ("facility_use", "string", _text("facilityUse")),
    ("start_date", "string", _text("startDate")),
    ("end_date", "string", _text("endDate")),
    ("duration", "string", _text("duration")),
    ("remaining_uses", "int64", _int("remainingUses")),
    ("maximum_uses", "int64", _int("maximumUses")),
    ("lowest_price", "float64", _lowest_price),
]
_FACILITY: list[tuple[str, str, Getter]] = [
    ("provider", "string", _text("provider", "name")),
    ("location", "string", _text("location", "name")),
    ("postcode", "string", _text("location", "address", "postalCode")),
]

SCHEMAS: dict[str, list[tuple[str, str, Getter]]] = {
    "ScheduledSession": _COMMON + _EVENT,
    "Event": _COMMON + _EVENT,
    "OnDemandEvent": _COMMON + _EVENT,
    "CourseInstance": _COMMON + _EVENT,
    "HeadlineEvent": _COMMON + _EVENT,
    "SessionSeries": _COMMON + _SERIES,
    "Course": _COMMON + _SERIES,
    "Slot": _COMMON + _SLOT,
    "FacilityUse": _COMMON + _FACILITY,
    "IndividualFacilityUse": _COMMON + _FACILITY,
}
"""The columns of each RPDE ``kind`` after the RPDE columns: ``(name, Arrow type, getter)``.
Other kinds get the common columns only. See docs/harvest.md for the table."""

RPDE_COLUMNS = [
    ("feed", "string"),
    ("state", "string"),
    ("kind", "string"),
    ("id", "string"),
    ("modified", "string"),
    ("modified_key", "string"),
]


def columns_of(kind: str) -> list[tuple[str, str, Getter]]:
    """The opportunity columns for an RPDE ``kind``."""
    return SCHEMAS.get(kind, _COMMON)


class ParquetSink(Sink):
    """Items into Parquet files under ``directory`` (see the module docstring)."""

    def __init__(self, directory: str | os.PathLike[str]) -> None:
        self.pa = require("pyarrow", extra="arrow")
        self.pq = require("pyarrow.parquet", extra="arrow")
        self.directory = Path(directory)

    def schema(self, kind: str) -> Any:
        """The Arrow schema of ``kind``'s files."""
        pa = self.pa
        fields = [pa.field(name, pa.string()) for name, _ in RPDE_COLUMNS]
        fields += [pa.field(name, getattr(pa, kind_)()) for name, kind_, _ in columns_of(kind)]
        fields.append(pa.field("jsonld", pa.string()))
        return pa.schema(fields)

    async def write(self, feed: str, page_url: str, items: Sequence[HarvestItem]) -> None:
        by_kind: dict[str, list[HarvestItem]] = {}
        for item in items:
            by_kind.setdefault(item.kind, []).append(item)
        for kind, chosen in by_kind.items():
            self._write_kind(feed, kind, chosen)

    def _write_kind(self, feed: str, kind: str, items: list[HarvestItem]) -> None:
        extra = columns_of(kind)
        rows: dict[str, list[Any]] = {name: [] for name, _ in RPDE_COLUMNS}
        rows.update({name: [] for name, _, _ in extra})
        rows["jsonld"] = []
        digest = hashlib.sha256(feed.encode("utf-8"))
        for item in items:
            data = item.data if item.state == "updated" else None
            jsonld = None if data is None else json.dumps(data, ensure_ascii=False)
            for name, value in (
                ("feed", feed), ("state", item.state), ("kind", item.kind),
                ("id", str(item.id)), ("modified", str(item.modified)),
                ("modified_key", item.modified_key), ("jsonld", jsonld),
            ):  # fmt: skip
                rows[name].append(value)
            for name, _, get in extra:
                rows[name].append(None if data is None else get(data))
            digest.update(f"\0{item.id}\0{item.modified_key}\0{item.state}".encode())
        table = self.pa.table(rows, schema=self.schema(kind))
        folder = self.directory / kind
        target = folder / f"{feed_file_stem(feed)}-{digest.hexdigest()[:16]}.parquet"
        partial = target.with_suffix(".parquet.part")
        try:
            folder.mkdir(parents=True, exist_ok=True)
            self.pq.write_table(table, partial)
            os.replace(partial, target)
        except OSError as exc:
            raise OpenActiveCheckoutError(f"cannot write {target}: {exc.strerror}") from None
