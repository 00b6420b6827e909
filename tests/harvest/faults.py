"""Kill a harvester process (SIGKILL) at random points, resume it, and check the store.

:func:`kill_and_resume` runs ``openactive-checkout harvest`` as a subprocess against feeds
served by the calling process, kills it ``kills`` times after a random delay (changing the
feeds now and then, as a live feed changes), then lets a last run finish. The store and the
NDJSON files must then hold exactly the feeds' items, versions and deletions. Used by
tests/harvest/test_faults.py (a few kills) and benchmarks/bench_harvest.py (twenty).
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from openactive_checkout.harvest import NdjsonSink, open_state
from tests.harvest.helpers import canonical_expected, fold, read_ndjson, store_contents
from tests.harvest.synthetic import SyntheticFeeds


@dataclass
class KillReport:
    kills: int
    killed_mid_harvest: int
    """Kills that landed while the harvester was still working (not after it finished)."""
    runs: int
    seconds: float


def harvester(urls: list[str], state: str, out: Path) -> list[str]:
    return [sys.executable, "-m", "openactive_checkout", "harvest", *urls, "--state", state,
            "--to", f"ndjson:{out}", "--quiet", "--concurrency", "4"]  # fmt: skip


def kill_and_resume(
    feeds: SyntheticFeeds,
    folder: Path,
    *,
    kills: int,
    rng: random.Random,
    max_delay: float = 2.5,
    change_every: int = 3,
) -> KillReport:
    """Kill the harvester ``kills`` times, finish, and assert the store equals the feeds."""
    state = f"sqlite:///{folder / 'harvest.db'}"
    out = folder / "ndjson"
    command = harvester(feeds.urls, state, out)
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    started = time.monotonic()
    mid = 0
    for kill in range(kills):
        if change_every and kill % change_every == change_every - 1:
            feeds.change(0.05, 0.05)
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.PIPE)  # fmt: skip
        time.sleep(rng.uniform(0.2, max_delay))
        if process.poll() is None:
            mid += 1
            process.send_signal(signal.SIGKILL)
        process.wait()
        if process.stderr:
            error = process.stderr.read().decode(errors="replace")
            process.stderr.close()
            assert process.returncode in (0, -signal.SIGKILL), error
    final = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    assert final.returncode == 0, final.stderr
    expected = canonical_expected(feeds.expected())
    with open_state(state) as store:
        assert store_contents(store) == expected
    sink = NdjsonSink(out)
    for url in feeds.urls:
        assert fold(read_ndjson(sink.path_of(url))) == expected[url]
    return KillReport(kills, mid, kills + 1, time.monotonic() - started)
