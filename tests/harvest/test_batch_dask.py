"""The batch functions, and Dask on a LocalCluster(n_workers=2, processes=True): the same
issue summary as a plain loop."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from openactive_checkout.harvest import (
    IssueSummary,
    NdjsonSink,
    harvest,
    summarise_issues,
    to_ntriples,
    validate_texts,
)
from tests.harvest.synthetic import SyntheticFeeds


@pytest.fixture(scope="module")
def ndjson_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A harvest to NDJSON: 3 feeds, 300 items, some invalid, some deleted."""
    folder = tmp_path_factory.mktemp("ndjson")
    feeds = SyntheticFeeds(3, 100, page_size=50, invalid_every=9)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    sink = NdjsonSink(folder / "out")
    harvest(feeds.urls, state=f"sqlite:///{folder / 'h.db'}", sinks=[sink], transport=transport)
    feeds.change(0.05, 0.05)
    harvest(feeds.urls, state=f"sqlite:///{folder / 'h.db'}", sinks=[sink], transport=transport)
    return [sink.path_of(url) for url in feeds.urls]


def lines(files: list[Path]) -> list[str]:
    return [line for f in files for line in f.read_text(encoding="utf-8").splitlines(True)]


def test_summaries_merge_to_the_summary_of_the_whole(ndjson_files: list[Path]) -> None:
    items = lines(ndjson_files)
    whole = summarise_issues(items)
    parts = [summarise_issues(items[i : i + 37]) for i in range(0, len(items), 37)]
    merged = IssueSummary()
    for part in reversed(parts):
        merged = merged.merge(part)
    assert merged == whole
    assert whole.invalid > 0
    assert whole.counts
    entry = whole.to_dict()["issues"][0]
    assert entry["count"] > 0
    assert 1 <= len(entry["examples"]) <= 3


def test_batch_functions_report_bad_inputs_as_data() -> None:
    summary = summarise_issues(["{not json", {"state": "deleted", "kind": "X", "id": 1}])
    assert summary.items == 1
    assert summary.invalid == 1
    assert list(summary.counts) == [("invalid-json", "failure", "$")]
    reports = validate_texts(['{"@context": "https://openactive.io/", "@type": "Event"}', "x"])
    assert [r.issues[0].code for r in reports][1] == "invalid-json"
    batch = to_ntriples([
        {"state": "updated", "kind": "ScheduledSession", "id": 1,
         "modified": 1, "data": {"@context": "https://openactive.io/", "@type": "Event",
                                 "@id": "https://example.org/e/1", "name": "A"}},
        '{"@context": "https://openactive.io/", "@type": "Event", "@id": "not an iri"}',
        "[",
    ])  # fmt: skip
    assert '<https://example.org/e/1> <https://schema.org/name> "A" .' in batch.text
    assert [p.index for p in batch.problems] == [1, 2]


@pytest.mark.network
def test_dask_gives_the_plain_loops_summary(dask_client: object, ndjson_files: list[Path]) -> None:
    from openactive_checkout.dask import bag_from_ndjson, bag_from_pages, summarise
    from openactive_checkout.dask import to_ntriples as bag_ntriples

    bag = bag_from_ndjson([str(f) for f in ndjson_files], blocksize=30_000)
    assert bag.npartitions > 3
    plain = summarise_issues(lines(ndjson_files))
    assert summarise(bag) == plain
    items = [json.loads(line) for line in lines(ndjson_files)]
    pages = [{"items": items[i : i + 100], "next": "x"} for i in range(0, len(items), 100)]
    assert summarise(bag_from_pages(pages, items_per_partition=70)) == plain
    batches = bag_ntriples(bag_from_pages(pages, items_per_partition=100)).compute()
    assert len(batches) == -(-len(items) // 100)
    assert sum(b.text.count("\n") for b in batches) == len(to_ntriples(items).text.splitlines())
