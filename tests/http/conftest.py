"""Fixtures for the HTTP tests: the library's own pytest plugin, the example feed, and the
mock server run as a separate process through the command line."""

from __future__ import annotations

import os
import queue
import re
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

# The fixtures users get from the plugin (pytest_plugins may only be set in the root conftest).
from openactive_checkout.testing.pytest_plugin import (  # noqa: F401
    mock_checkout,
    mock_checkout_client,
    mock_checkout_server,
    mock_checkout_server_factory,
)

ROOT = Path(__file__).resolve().parents[2]
FEED_FILE = ROOT / "examples" / "feed-scheduled-sessions.json"
SEED_OPPORTUNITY = (
    "https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/310003324"
)
STARTUP_TIMEOUT = 30.0


@dataclass
class CliServer:
    """The mock server running as ``python -m openactive_checkout mock-server``."""

    process: subprocess.Popen[str]
    url: str
    banner: list[str] = field(default_factory=list)
    pump: threading.Thread | None = None
    stderr: str = ""

    def stop(self, sig: int = signal.SIGTERM) -> int:
        """Signal the process (this test's own child, by pid) and collect its exit code and
        standard error; its pipes are closed."""
        if self.process.poll() is None:
            self.process.send_signal(sig)
        try:
            code = self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=15)
            raise
        finally:
            if self.pump is not None:
                self.pump.join(timeout=15)
            if self.process.stderr is not None:
                self.stderr = self.process.stderr.read()
                self.process.stderr.close()
            if self.process.stdout is not None:
                self.process.stdout.close()
        return code


def start_cli_server(*args: str) -> CliServer:
    """Start the CLI mock server on a free loopback port; wait for its URL line."""
    process = subprocess.Popen(
        [sys.executable, "-m", "openactive_checkout", "mock-server", "--port", "0", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    lines: queue.Queue[str | None] = queue.Queue()

    def pump() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            lines.put(line.rstrip("\n"))
        lines.put(None)

    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    banner: list[str] = []
    try:
        while len(banner) < 3:
            line = lines.get(timeout=STARTUP_TIMEOUT)
            if line is None:
                break
            banner.append(line)
    except queue.Empty:
        pass
    server = CliServer(process=process, url=banner[0] if banner else "", banner=banner)
    server.pump = reader
    if not re.fullmatch(r"http://127\.0\.0\.1:\d+", server.url):
        server.stop(signal.SIGKILL)
        raise AssertionError(f"the mock server did not start: {banner!r} {server.stderr}")
    return server


@pytest.fixture(scope="module")
def cli_server() -> Iterator[CliServer]:
    """The CLI mock server with the example feed (pages of 2), nothing else bookable: the
    seed request's opportunity is one of the feed's."""
    server = start_cli_server("--feed", str(FEED_FILE), "--page-size", "2")
    try:
        yield server
    finally:
        server.stop()
