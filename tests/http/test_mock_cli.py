"""The mock server as a new user runs it: ``python -m openactive_checkout mock-server`` in its
own process, driven with the clients and with raw HTTP."""

from __future__ import annotations

import asyncio
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

import openactive_checkout as oc
from openactive_checkout.cli import run
from openactive_checkout.client import AsyncCheckoutClient, CheckoutClient
from openactive_checkout.rpde import iter_items
from tests.conftest import seed_json, seed_text
from tests.http.conftest import (
    FEED_FILE,
    ROOT,
    SEED_OPPORTUNITY,
    STARTUP_TIMEOUT,
    CliServer,
    start_cli_server,
)

FEED = json.loads(FEED_FILE.read_text(encoding="utf-8"))


def test_the_banner_names_the_url_feed_and_bookable_count(cli_server: CliServer) -> None:
    url = cli_server.url
    assert cli_server.banner == [
        url,
        f"POST {url}/checkout-sessions",
        f"RPDE feed {url}/feeds/scheduled-sessions (6 items)",
    ]


def test_raw_http_gets_the_seed_exchange(cli_server: CliServer) -> None:
    response = httpx.post(
        f"{cli_server.url}/checkout-sessions",
        content=seed_text("request"),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        timeout=10,
    )
    assert response.status_code == 201
    token = response.headers["location"].removeprefix("/checkout-sessions/")
    expected = seed_json("response")
    expected["potentialAction"][0]["target"] = f"{cli_server.url}/opendata/{token}"
    assert response.json() == expected
    fetched = httpx.get(cli_server.url + response.headers["location"], timeout=10)
    assert fetched.json() == expected
    unavailable = httpx.post(
        f"{cli_server.url}/checkout-sessions",
        content=seed_text("request").replace("310003324", "1"),
        timeout=10,
    )
    assert (unavailable.status_code, unavailable.json()) == (400, seed_json("error"))
    invalid = httpx.post(f"{cli_server.url}/checkout-sessions", content=b"[1,", timeout=10)
    assert invalid.status_code == 400
    assert invalid.json()["@type"] == "OpenBookingError"


def test_feed_to_checkout_url_with_the_clients(cli_server: CliServer) -> None:
    items = list(iter_items(cli_server.url + "/feeds/scheduled-sessions"))
    assert len(items) == len(FEED["items"])
    deleted = [i for i in items if i.state == "deleted"]
    updated = [i for i in items if i.state == "updated" and i.data is not None]
    assert len(deleted) == 2
    assert all(i.data is None for i in deleted)
    with CheckoutClient(cli_server.url) as client:
        for item in updated:
            assert item.data is not None
            assert item.data.id is not None
            session = client.create_session(item.data.id)
            assert session.checkout_url is not None
            assert session.checkout_url.startswith(cli_server.url + "/opendata/")
        for item in deleted:
            # A deleted item's RPDE id is not an opportunity id; its old @id is not bookable.
            gone = (
                f"https://opendata.fusion-lifestyle.com/OpenActive/api/scheduled-sessions/{item.id}"
            )
            with pytest.raises(oc.UnavailableOpportunity):
                client.create_session(gone)


def test_concurrent_async_calls_against_the_process(cli_server: CliServer) -> None:
    async def main() -> list[oc.CheckoutSession]:
        async with AsyncCheckoutClient(cli_server.url) as client:
            return await asyncio.gather(
                *(client.create_session(SEED_OPPORTUNITY) for _ in range(60))
            )

    sessions = asyncio.run(main())
    assert len({s.checkout_url for s in sessions}) == 60


@pytest.mark.network
def test_sigterm_stops_the_server_cleanly() -> None:
    server = start_cli_server("--bookable", SEED_OPPORTUNITY)
    assert server.banner[2] == "1 bookable opportunity"
    # No retries: the socket listens before the URL is printed, so the first try connects.
    with CheckoutClient(server.url, retries=0) as client:
        assert client.create_session(SEED_OPPORTUNITY).checkout_url
    assert server.stop() == 0
    assert server.stderr.strip() == "stopped"


@pytest.mark.network
def test_sigint_stops_the_server_cleanly() -> None:
    server = start_cli_server()
    assert server.stop(signal.SIGINT) == 0
    assert server.stderr.strip() == "stopped"


@pytest.mark.network
def test_the_api_key_comes_from_the_environment() -> None:
    env = {**os.environ, "MOCK_KEY": "from-env-123"}
    process = subprocess.Popen(
        [sys.executable, "-m", "openactive_checkout", "mock-server", "--port", "0",
         "--api-key-env", "MOCK_KEY", "--bookable", SEED_OPPORTUNITY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT, env=env,
    )  # fmt: skip
    server = CliServer(process=process, url="")
    try:
        assert process.stdout is not None
        server.url = process.stdout.readline().strip()
        with CheckoutClient(server.url, api_key="from-env-123") as client:
            assert client.create_session(SEED_OPPORTUNITY).checkout_url
        with CheckoutClient(server.url) as client, pytest.raises(oc.CheckoutHTTPError) as info:
            client.create_session(SEED_OPPORTUNITY)
        assert info.value.status_code == 403
    finally:
        assert server.stop() == 0


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--feed", "no-such-file.json"], "cannot read the feed file"),
        (["--feed", "examples/checkout-session-request.json"], "$.items: an RPDE page must"),
        (["--api-key-env", "SURELY_NOT_SET_4711"], "SURELY_NOT_SET_4711 is not set"),
        (["--page-size", "0"], "page_size must be a positive int"),
        (["--port", "70000"], "port must be an int from 0 to 65535"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    stdout, stderr = io.StringIO(), io.StringIO()
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        code = run(["mock-server", "--port", "0", *args], stdout, stderr)
    finally:
        os.chdir(cwd)
    assert code == 2
    assert message in stderr.getvalue()
    assert stdout.getvalue() == ""


def test_a_busy_port_is_reported(cli_server: CliServer) -> None:
    port = cli_server.url.rsplit(":", 1)[1]
    stdout, stderr = io.StringIO(), io.StringIO()
    assert run(["mock-server", "--port", port], stdout, stderr) == 2
    assert f"cannot listen on 127.0.0.1:{port}" in stderr.getvalue()


@pytest.mark.network
def test_quiet_with_an_output_file_writes_only_the_url_there(tmp_path: Path) -> None:
    banner = tmp_path / "url.txt"
    process = subprocess.Popen(
        [sys.executable, "-m", "openactive_checkout", "mock-server", "--port", "0", "--quiet",
         "--output", str(banner), "--bookable", SEED_OPPORTUNITY],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
    )  # fmt: skip
    server = CliServer(process=process, url="")
    try:
        deadline = time.monotonic() + STARTUP_TIMEOUT
        while not banner.exists() or not banner.read_text(encoding="utf-8").endswith("\n"):
            assert process.poll() is None, "the mock server stopped"
            assert time.monotonic() < deadline, "the mock server did not start"
            time.sleep(0.05)
        server.url = banner.read_text(encoding="utf-8").strip()
        assert server.url.startswith("http://127.0.0.1:")  # the URL, and nothing else
        with CheckoutClient(server.url) as client:
            assert client.create_session(SEED_OPPORTUNITY).checkout_url
    finally:
        assert server.stop() == 0
    assert server.stderr == ""  # quiet: no "stopped"
    assert banner.read_text(encoding="utf-8") == server.url + "\n"
