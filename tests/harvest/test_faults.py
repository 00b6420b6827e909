"""Fault tests: the harvester process killed (SIGKILL) at random points, then resumed.

The benchmark (benchmarks/bench_harvest.py) kills it twenty times; here a few kills keep
the suite fast. ``OA_HARVEST_KILLS`` sets the count.
"""

from __future__ import annotations

import os
import random
from pathlib import Path

import pytest

from openactive_checkout.testing import BackgroundServer
from tests.harvest.faults import kill_and_resume
from tests.harvest.synthetic import SyntheticFeeds

KILLS = int(os.environ.get("OA_HARVEST_KILLS", "3"))


@pytest.mark.network
def test_a_harvester_killed_at_random_points_resumes_to_the_exact_feed(tmp_path: Path) -> None:
    feeds = SyntheticFeeds(6, 120, page_size=10, seed=14)
    with BackgroundServer(feeds) as server:  # type: ignore[arg-type]
        feeds.base = server.url
        report = kill_and_resume(feeds, tmp_path, kills=KILLS, rng=random.Random(14), max_delay=2.0)
    assert report.kills == KILLS
