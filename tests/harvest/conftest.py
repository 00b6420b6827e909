"""Real components for the harvest tests, started here on loopback and always stopped.

* ``postgres_url``: a PostgreSQL cluster made with ``initdb`` in a temporary folder and run
  with ``pg_ctl`` (as the ``postgres`` user when the tests run as root);
* ``oxigraph_server``: ``oxigraph serve`` (PyPI ``oxigraph``) on a temporary store;
* ``dask_client``: a Dask ``LocalCluster(n_workers=2, processes=True)`` and its client;
* ``feed_server``: the synthetic feeds (``synthetic.py``) served by uvicorn.

A component that is not installed skips its tests with the reason (under CI, fails them:
``missing`` in tests/conftest.py).
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.conftest import missing
from tests.harvest.synthetic import SyntheticFeeds

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _postgres_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def _as_postgres(argv: list[str]) -> list[str]:
    """Run as the ``postgres`` user when we are root (PostgreSQL refuses to run as root)."""
    if os.geteuid() != 0:
        return argv
    if shutil.which("runuser") is None:
        missing("running PostgreSQL as root needs runuser (util-linux)")
    return ["runuser", "-u", "postgres", "--", *argv]


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A PostgreSQL cluster on a loopback port, for the session; its URL."""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        missing("psycopg is not installed: pip install 'openactive-checkout[postgres]'")
    initdb, pg_ctl = _postgres_bin("initdb"), _postgres_bin("pg_ctl")
    if initdb is None or pg_ctl is None:
        missing("PostgreSQL (initdb, pg_ctl) is not installed: apt-get install postgresql")
    folder = Path(tempfile.mkdtemp(prefix="oa-harvest-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    data = folder / "data"
    port = free_port()
    subprocess.run(
        _as_postgres([initdb, "-D", str(data), "-A", "trust", "-U", "postgres", "--no-sync"]),
        check=True, capture_output=True,
    )  # fmt: skip
    options = f"-k {folder} -c listen_addresses=127.0.0.1 -p {port} -c fsync=off"
    started = subprocess.run(
        _as_postgres([pg_ctl, "-D", str(data), "-o", options, "-l", str(folder / "log"),
                      "-w", "-t", "60", "start"]),
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    try:
        if started.returncode != 0:
            log = (folder / "log").read_text(errors="replace") if (folder / "log").exists() else ""
            pytest.fail(f"PostgreSQL did not start: {started.stderr}\n{log[-2000:]}")
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run(
            _as_postgres([pg_ctl, "-D", str(data), "-m", "immediate", "-w", "stop"]),
            capture_output=True, check=False,
        )  # fmt: skip
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def postgres_database(postgres_url: str) -> Iterator[str]:
    """A fresh database in the session's cluster, for one test."""
    import psycopg

    name = f"h{os.getpid()}_{time.monotonic_ns()}"
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(f'CREATE DATABASE "{name}"')
    yield postgres_url.rsplit("/", 1)[0] + "/" + name
    with psycopg.connect(postgres_url, autocommit=True) as db:
        db.execute(f'DROP DATABASE "{name}" WITH (FORCE)')


@dataclass
class Oxigraph:
    url: str

    @property
    def update_url(self) -> str:
        return self.url + "/update"

    def query(self, sparql: str) -> Any:
        response = httpx.post(
            self.url + "/query", content=sparql.encode(),
            headers={"Content-Type": "application/sparql-query",
                     "Accept": "application/sparql-results+json"},
        )  # fmt: skip
        response.raise_for_status()
        return response.json()

    def construct(self, sparql: str) -> str:
        response = httpx.post(
            self.url + "/query", content=sparql.encode(),
            headers={"Content-Type": "application/sparql-query", "Accept": "application/n-quads"},
        )  # fmt: skip
        response.raise_for_status()
        return response.text

    def clear(self) -> None:
        httpx.post(
            self.update_url, content=b"DROP ALL",
            headers={"Content-Type": "application/sparql-update"},
        ).raise_for_status()  # fmt: skip


@pytest.fixture(scope="session")
def oxigraph_server() -> Iterator[Oxigraph]:
    """``oxigraph serve`` on a loopback port, for the session."""
    program = shutil.which("oxigraph")
    if program is None:
        missing("the Oxigraph server is not installed: pip install oxigraph")
    folder = tempfile.mkdtemp(prefix="oa-harvest-oxigraph-")
    port = free_port()
    process = subprocess.Popen(
        [program, "serve", "--location", folder, "--bind", f"127.0.0.1:{port}"],
        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            if process.poll() is not None:
                error = process.stderr.read().decode(errors="replace") if process.stderr else ""
                pytest.fail(f"oxigraph serve stopped: {error[-2000:]}")
            try:
                httpx.get(url + "/query?query=ASK%7B%7D", timeout=1.0)
                break
            except httpx.TransportError:
                if time.monotonic() > deadline:
                    pytest.fail("oxigraph serve did not answer in time")
                time.sleep(0.05)
        yield Oxigraph(url)
    finally:
        process.kill()
        process.wait()
        if process.stderr:
            process.stderr.close()
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def dask_client() -> Iterator[Any]:
    """A Dask client on ``LocalCluster(n_workers=2, processes=True)``, for the session."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        missing("Dask is not installed: pip install 'openactive-checkout[dask]'")
    cluster = LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
        dashboard_address=None, silence_logs=50,
    )  # fmt: skip
    client = Client(cluster)
    try:
        yield client
    finally:
        client.close()
        cluster.close()


@pytest.fixture
def feed_server() -> Iterator[tuple[SyntheticFeeds, str]]:
    """Synthetic feeds (4 feeds of 60 items, pages of 10) on a loopback port; ``(feeds,
    base URL)``: the feed URLs are ``feeds.urls`` once ``feeds.base`` is set to it."""
    from openactive_checkout.testing import BackgroundServer

    feeds = SyntheticFeeds(4, 60, page_size=10, invalid_every=25)
    with BackgroundServer(feeds) as server:  # type: ignore[arg-type]
        feeds.base = server.url
        yield feeds, server.url
