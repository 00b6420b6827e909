"""The harvester in process (the synthetic feeds through an ASGI transport, no socket):
stores equal to the feeds, resuming, upsert rules, failures, validation, follow mode."""

from __future__ import annotations

import asyncio
from pathlib import Path

import httpx
import pytest

from openactive_checkout.errors import OpenActiveCheckoutError
from openactive_checkout.harvest import (
    HarvestItem,
    NdjsonSink,
    SqliteState,
    aharvest,
    harvest,
    open_state,
)
from tests.harvest.helpers import (
    canonical_expected,
    fold,
    read_ndjson,
    store_contents,
)
from tests.harvest.synthetic import SyntheticFeeds


def run(feeds: SyntheticFeeds, state: str, **options: object) -> object:
    return harvest(
        feeds.urls, state=state, transport=httpx.ASGITransport(app=feeds),  # type: ignore[arg-type]
        max_backoff=0.0, **options,  # type: ignore[arg-type]
    )  # fmt: skip


def contents(state: str) -> dict[str, dict[tuple[str, str], dict[str, object]]]:
    with open_state(state) as store:
        return store_contents(store)


def test_a_harvest_stores_every_feed_exactly_and_resumes_with_changes(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(3, 45, page_size=10)
    state = f"sqlite:///{tmp_path / 'h.db'}"
    sink = NdjsonSink(tmp_path / "out")
    result = run(feeds, state, sinks=[sink])
    assert result.ok  # type: ignore[attr-defined]
    assert [f.items for f in result.feeds] == [45, 45, 45]  # type: ignore[attr-defined]
    assert [f.pages for f in result.feeds] == [6, 6, 6]  # type: ignore[attr-defined]
    assert contents(state) == canonical_expected(feeds.expected())

    updated, deleted = feeds.change(0.1, 0.1)
    again = run(feeds, state, sinks=[sink])
    # Only the changed items are read again: the cursor was kept.
    assert sum(f.changed for f in again.feeds) == updated + deleted  # type: ignore[attr-defined]
    assert sum(f.deleted for f in again.feeds) == deleted  # type: ignore[attr-defined]
    expected = canonical_expected(feeds.expected())
    assert contents(state) == expected
    tombstones = [i for items in expected.values() for i in items.values() if "data" not in i]
    assert len(tombstones) == deleted
    for url in feeds.urls:
        assert fold(read_ndjson(sink.path_of(url))) == expected[url]

    nothing = run(feeds, state, sinks=[sink])
    assert sum(f.changed for f in nothing.feeds) == 0  # type: ignore[attr-defined]
    assert all(f.pages == 1 for f in nothing.feeds)  # type: ignore[attr-defined]


def test_newer_modified_wins_and_a_replayed_page_changes_nothing(tmp_path: Path) -> None:
    feed = "http://feeds.test/feeds/0"
    with SqliteState(tmp_path / "s.db") as store:
        store.register([feed])
        new = HarvestItem("updated", "ScheduledSession", "a", 10, data={"v": 2})
        old = HarvestItem("updated", "ScheduledSession", "a", 9, data={"v": 1})
        gone = HarvestItem("deleted", "ScheduledSession", "b", 5)
        store.commit_page(feed, [new, gone], f"{feed}?p=2", last=False)
        assert store.changes(feed, [old, gone]) == []
        store.commit_page(feed, [old, gone], f"{feed}?p=3", last=False)  # replayed, stale
        items = {item.id: item for item in store.items(feed)}
        assert items["a"].modified == 10
        assert items["a"].data == {"v": 2}
        assert items["b"].state == "deleted"
        assert items["b"].data is None
        state = store.feed(feed)
        assert state is not None
        assert state.next_url == f"{feed}?p=3"
        # String stamps compare as text, integers as numbers (10 > 9, not "10" < "9").
        later = HarvestItem("updated", "ScheduledSession", 7, "2026-01-02", data={})
        earlier = HarvestItem("updated", "ScheduledSession", 7, "2026-01-01", data={})
        store.commit_page(feed, [later], feed, last=False)
        assert store.changes(feed, [earlier, later]) == []


def test_a_second_harvester_on_the_same_sqlite_file_is_refused(tmp_path: Path) -> None:
    with (
        SqliteState(tmp_path / "s.db"),
        pytest.raises(OpenActiveCheckoutError, match="in use by another harvester"),
    ):
        SqliteState(tmp_path / "s.db")
    SqliteState(tmp_path / "s.db").close()  # free again once closed


def test_a_failing_feed_is_reported_and_the_others_are_read(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(3, 30, page_size=10)
    feeds.feeds[0].failures = [503, 500]  # a retried 503, then a 500 the feed fails on
    feeds.feeds[1].loop = True
    result = run(feeds, f"sqlite:///{tmp_path / 'h.db'}")
    first, looping, fine = result.feeds  # type: ignore[attr-defined]
    assert first.error is not None
    assert "500" in first.error
    assert not first.finished
    assert looping.error is not None
    assert "never advance" in looping.error
    assert fine.ok
    assert not result.ok  # type: ignore[attr-defined]
    # The next run reads the failed feed from its cursor (nothing was committed for it).
    again = run(feeds, f"sqlite:///{tmp_path / 'h.db'}")
    assert again.feeds[0].ok
    assert again.feeds[0].items == 30


def test_items_are_read_defensively_and_validated(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(1, 20, page_size=10, invalid_every=5)
    items = feeds.feeds[0].items
    items["0000000"].data = {**(items["0000000"].data or {}), "@context": "https://ex.org/c"}
    items["0000002"].data = {**(items["0000002"].data or {}), "maximumAttendeeCapacity": "ten"}
    feeds.feeds[0].items["0000001"].modified = "x"  # type: ignore[assignment]
    state = f"sqlite:///{tmp_path / 'h.db'}"
    result = run(feeds, state, validate="RPDEFeed")
    feed = result.feeds[0]  # type: ignore[attr-defined]
    # An int id is fine, a modified of the wrong kind is not: "x" is a string, so it is kept.
    assert feed.skipped == 0
    assert feed.invalid == 6  # 4 without startDate, 1 unreadable, 1 value that does not fit
    issues = result.issues  # type: ignore[attr-defined]
    assert issues.items == 20
    assert issues.invalid == 6
    codes = {code for code, _, _ in issues.counts}
    assert "unreadable-data" in codes
    assert issues.counts[("unfit-value", "failure", "$.maximumAttendeeCapacity")] == 1
    assert issues.counts[("required-field-missing", "failure", "$.startDate")] == 4
    examples = issues.examples[("required-field-missing", "failure", "$.startDate")]
    assert [e.item for e in examples] == [f"ScheduledSession/{n:07d}" for n in (4, 9, 14)]
    with open_state(state) as store:
        kept = next(i for i in store.items() if i.id == "0000000")
    assert kept.data is not None
    assert kept.data["@context"] == "https://ex.org/c"  # raw data kept: nothing lost
    with open_state(state) as store:
        unfit = next(i for i in store.items() if i.id == "0000002")
    assert unfit.data is not None
    assert unfit.data["maximumAttendeeCapacity"] == "ten"  # kept verbatim in the wire form


def test_an_item_without_a_key_is_skipped_and_reported(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(1, 10, page_size=10)
    original = feeds.page

    def page(number: int, query: dict[str, list[str]]) -> dict[str, object]:
        answer = original(number, query)
        if answer["items"]:
            answer["items"][3] = {"state": "updated", "kind": "ScheduledSession"}  # type: ignore[index]
        return answer

    feeds.page = page  # type: ignore[method-assign]
    result = run(feeds, f"sqlite:///{tmp_path / 'h.db'}")
    feed = result.feeds[0]  # type: ignore[attr-defined]
    assert feed.skipped == 1
    assert not feed.ok
    assert "$.items[3].id" in feed.skipped_examples[0]


def test_follow_mode_polls_the_last_page_until_stopped(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(2, 15, page_size=10)
    state = f"sqlite:///{tmp_path / 'h.db'}"

    async def main() -> object:
        seen: list[int] = []

        def progress(p: object) -> None:
            seen.append(p.pages)  # type: ignore[attr-defined]
            if p.pages == 6:  # type: ignore[attr-defined]
                feeds.change(0.2, 0.0)  # new versions appear while following

        return await aharvest(
            feeds.urls, state=state, transport=httpx.ASGITransport(app=feeds),  # type: ignore[arg-type]
            follow=True, poll_interval=0.01, progress=progress,
            stop=lambda: len(seen) >= 14,
        )  # fmt: skip

    result = asyncio.run(main())
    assert all(f.finished and f.error is None for f in result.feeds)  # type: ignore[attr-defined]
    assert contents(state) == canonical_expected(feeds.expected())


def test_bad_arguments_are_refused_before_any_request(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="at least one feed"):
        harvest([], state=f"sqlite:///{tmp_path / 'h.db'}")
    with pytest.raises(ValueError, match="concurrency"):
        harvest(["http://x.test/f"], state=f"sqlite:///{tmp_path / 'h.db'}", concurrency=0)
    with pytest.raises(ValueError, match="unknown state store"):
        open_state("mysql://x/y")


def test_worker_processes_give_the_same_store_and_issues(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(2, 30, page_size=10, invalid_every=7)
    plain = run(feeds, f"sqlite:///{tmp_path / 'a.db'}", validate="RPDEFeed")
    pooled = run(feeds, f"sqlite:///{tmp_path / 'b.db'}", validate="RPDEFeed", workers=1)
    assert pooled.issues == plain.issues  # type: ignore[attr-defined]
    assert pooled.issues.invalid == 8  # type: ignore[attr-defined]
    assert contents(f"sqlite:///{tmp_path / 'b.db'}") == contents(f"sqlite:///{tmp_path / 'a.db'}")


def test_a_database_error_is_ours(tmp_path: Path) -> None:
    import sqlite3

    with SqliteState(tmp_path / "s.db") as store:
        store.register(["http://x.test/f"])
        other = sqlite3.connect(tmp_path / "s.db")
        other.execute("DROP TABLE harvest_items")
        other.commit()
        other.close()
        item = HarvestItem("deleted", "ScheduledSession", "a", 1)
        with pytest.raises(OpenActiveCheckoutError, match=r"harvest state .* failed"):
            store.commit_page("http://x.test/f", [item], "http://x.test/f", last=False)
