"""The PostgreSQL state store on a real cluster (started by tests/harvest/conftest.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest

from openactive_checkout.harvest import HarvestItem, HarvestResult, harvest, open_state
from openactive_checkout.testing import BackgroundServer
from tests.harvest.helpers import canonical_expected, store_contents
from tests.harvest.synthetic import SyntheticFeeds

pytestmark = pytest.mark.network


def test_a_harvest_into_postgres_equals_the_feeds_and_resumes(postgres_database: str) -> None:
    feeds = SyntheticFeeds(3, 40, page_size=10)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    assert harvest(feeds.urls, state=postgres_database, transport=transport).ok
    feeds.change(0.05, 0.05)
    again = harvest(feeds.urls, state=postgres_database, transport=transport)
    assert again.ok
    with open_state(postgres_database) as store:
        assert store_contents(store) == canonical_expected(feeds.expected())
        # newer modified wins; a stale replay changes nothing
        feed = feeds.urls[0]
        stale = HarvestItem("updated", "ScheduledSession", "0000001", 1, data={"x": 1})
        assert store.changes(feed, [stale]) == []
        store.commit_page(feed, [stale], feed, last=False)
        assert store_contents(store)[feed] == canonical_expected(feeds.expected())[feed]


def test_harvesters_share_the_feeds_without_a_coordinator(postgres_database: str) -> None:
    feeds = SyntheticFeeds(6, 60, page_size=5)

    def one() -> HarvestResult:
        transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
        return harvest(feeds.urls, state=postgres_database, concurrency=2, transport=transport)

    # Two harvesters (threads here, each with its own connection) share one database.
    with ThreadPoolExecutor(2) as pool:
        first, second = pool.map(lambda _: one(), range(2))
    read = [f.url for f in first.feeds] + [f.url for f in second.feeds]
    assert sorted(read) == sorted(feeds.urls)  # each feed read by exactly one harvester
    assert first.feeds
    assert second.feeds
    with open_state(postgres_database) as store:
        assert store_contents(store) == canonical_expected(feeds.expected())


def test_a_killed_harvesters_feeds_are_free_at_once(postgres_database: str) -> None:
    feeds = SyntheticFeeds(4, 60, page_size=5)
    with BackgroundServer(feeds) as server:  # type: ignore[arg-type]
        feeds.base = server.url
        command = [sys.executable, "-m", "openactive_checkout", "harvest", *feeds.urls,
                   "--state", postgres_database, "--quiet"]  # fmt: skip
        process = subprocess.Popen(command, env=dict(os.environ), stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        with open_state(postgres_database) as store:
            while time.monotonic() < deadline:  # wait for a committed page, then kill
                state = store.feed(feeds.urls[0])
                if state is not None and state.pages:
                    break
                time.sleep(0.05)
        process.send_signal(signal.SIGKILL)
        process.wait()
        # The leases (60 s) are not waited for: once the dead harvester's backend has gone
        # (it notices the closed connection at once), its feeds are free.
        import psycopg

        with psycopg.connect(postgres_database, autocommit=True) as db:
            leased = (
                "SELECT count(*) FROM harvest_feeds WHERE lease_until > extract(epoch FROM now())"
            )
            held = (
                "SELECT count(*) FROM harvest_feeds "
                "WHERE lease_pid IN (SELECT pid FROM pg_stat_activity)"
            )
            assert db.execute(leased).fetchone()[0] > 0  # type: ignore[index]
            deadline = time.monotonic() + 10
            while db.execute(held).fetchone()[0] and time.monotonic() < deadline:  # type: ignore[index]
                time.sleep(0.05)
        result = harvest(feeds.urls, state=postgres_database)
    assert result.ok
    assert len(result.feeds) == 4
    with open_state(postgres_database) as store:
        assert store_contents(store) == canonical_expected(feeds.expected())
