"""The Parquet sink: a flat schema per kind plus the canonical JSON-LD; rows fold to the feed."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

import httpx

from openactive_checkout.harvest import HarvestItem, ParquetSink, harvest
from tests.conftest import missing
from tests.harvest.helpers import canonical_expected
from tests.harvest.synthetic import SyntheticFeeds

try:
    import pyarrow.parquet as pq
except ImportError:
    missing("pyarrow is not installed: pip install 'openactive-checkout[arrow]'")


def test_parquet_rows_fold_to_the_feed_and_replays_replace_their_file(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(2, 30, page_size=10)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    sink = ParquetSink(tmp_path / "pq")
    state = f"sqlite:///{tmp_path / 'h.db'}"
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    feeds.change(0.1, 0.1)
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    files = sorted((tmp_path / "pq" / "ScheduledSession").glob("*.parquet"))
    assert files
    assert not list((tmp_path / "pq").rglob("*.part"))
    table = pq.read_table(files, schema=sink.schema("ScheduledSession"))
    assert {"start_date", "remaining_attendee_capacity", "lowest_price", "jsonld"} <= set(
        table.column_names
    )
    rows = table.to_pylist()
    folded: dict[tuple[str, str, str], dict[str, object]] = {}
    for row in rows:
        key = (row["feed"], row["kind"], row["id"])
        if key not in folded or row["modified_key"] > folded[key]["modified_key"]:  # type: ignore[operator]
            folded[key] = row
    expected = canonical_expected(feeds.expected())
    assert len(folded) == sum(len(items) for items in expected.values())
    for (feed, kind, item_id), row in folded.items():
        item = expected[feed][(kind, item_id)]
        assert row["state"] == item["state"]
        assert row["modified"] == str(item["modified"])
        if item["state"] == "updated":
            assert json.loads(row["jsonld"]) == item["data"]  # type: ignore[arg-type]
            assert row["start_date"] == item["data"]["startDate"]
        else:
            assert row["jsonld"] is None
            assert row["start_date"] is None
    # Writing the same page again replaces its file instead of adding one.
    page = [r for r in rows if r["state"] == "updated"][:1]
    assert page
    before = sorted(p.name for p in (tmp_path / "pq").rglob("*.parquet"))
    item = HarvestItem("updated", "ScheduledSession", page[0]["id"], 1, data={})  # type: ignore[arg-type]
    asyncio.run(sink.write(feeds.urls[0], "p", [item]))
    asyncio.run(sink.write(feeds.urls[0], "p", [item]))
    after = sorted(p.name for p in (tmp_path / "pq").rglob("*.parquet"))
    assert len(after) == len(before) + 1
