"""``openactive-checkout harvest``: sinks, summary, exit codes, resuming."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from openactive_checkout.cli import run
from openactive_checkout.harvest import NdjsonSink, open_state
from tests.harvest.helpers import canonical_expected, fold, read_ndjson, store_contents
from tests.harvest.synthetic import SyntheticFeeds


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_harvest_writes_the_sinks_reports_and_resumes(
    feed_server: tuple[SyntheticFeeds, str], tmp_path: Path
) -> None:
    feeds, _ = feed_server
    state = f"sqlite:///{tmp_path / 'h.db'}"
    out = tmp_path / "nd"
    code, stdout, stderr = cli(
        "harvest", *feeds.urls, "--state", state, "--to", f"ndjson:{out}",
        "--validate", "RPDEFeed", "--format", "json",
    )  # fmt: skip
    summary = json.loads(stdout)
    # invalid_every=25: two items of each feed lack startDate, so the exit code is 1.
    assert code == 1, stderr
    assert [f["items"] for f in summary["feeds"]] == [60] * 4
    assert summary["issues"]["invalid"] == 8
    assert all(f["finished"] and f["error"] is None for f in summary["feeds"])
    expected = canonical_expected(feeds.expected())
    with open_state(state) as store:
        assert store_contents(store) == expected
    feeds.change(0.05, 0.05)
    code, stdout, _ = cli("harvest", *feeds.urls, "--state", state, "--to", f"ndjson:{out}")
    assert code == 0  # the invalid items were not read again: resumed from the cursors
    assert "4 feeds" in stdout
    expected = canonical_expected(feeds.expected())
    sink = NdjsonSink(out)
    for url in feeds.urls:
        assert fold(read_ndjson(sink.path_of(url))) == expected[url]


def test_a_failed_feed_exits_1(feed_server: tuple[SyntheticFeeds, str], tmp_path: Path) -> None:
    feeds, _ = feed_server
    feeds.feeds[2].failures = [500]
    code, stdout, _ = cli("harvest", *feeds.urls, "--state", str(tmp_path / "h.db"), "-q",
                          "--format", "json")  # fmt: skip
    assert code == 1
    failed = [f for f in json.loads(stdout)["feeds"] if f["error"]]
    assert [f["url"] for f in failed] == [feeds.urls[2]]


@pytest.mark.parametrize(
    "argv",
    [
        ["harvest", "http://x.test/f", "--to", "csv:out"],
        ["harvest", "http://x.test/f", "--to", "ndjson:"],
        ["harvest", "http://x.test/f", "--state", "mysql://x/y"],
        ["harvest", "http://x.test/f", "--validate", "NoSuchMode"],
        ["harvest", "http://x.test/f", "--concurrency", "0"],
        ["harvest", "not a url"],
    ],
)
def test_usage_errors_exit_2(
    argv: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, stdout, stderr = cli(*argv)
    assert code == 2
    assert stdout == ""
    assert stderr
    assert "Traceback" not in stderr
