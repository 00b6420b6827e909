"""Many checkout sessions at once: the async client with asyncio, the sync one with threads."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

import pytest

import openactive_checkout as oc
from openactive_checkout.client import AsyncCheckoutClient, CheckoutClient
from openactive_checkout.testing import MockCheckoutServer

pytestmark = pytest.mark.network  # every test here runs a mock server

CALLS = 50


def opportunity(n: int) -> str:
    return f"https://opendata.example.com/api/scheduled-sessions/{n}"


def test_concurrent_async_sessions_all_succeed_with_distinct_urls() -> None:
    ids = [opportunity(n) for n in range(CALLS)]
    with MockCheckoutServer(bookable=ids[::2]) as server:

        async def one(client: AsyncCheckoutClient, n: int) -> str | None:
            try:
                session = await client.create_session(ids[n])
            except oc.UnavailableOpportunity:
                return None
            assert session.initial_order is not None
            item = session.initial_order.ordered_item[0].ordered_item
            assert isinstance(item, oc.ScheduledSession)
            assert item.id == ids[n]  # each answer is the echo of its own request
            return session.checkout_url

        async def main() -> list[str | None]:
            async with AsyncCheckoutClient(server.url, max_connections=20) as client:
                return await asyncio.gather(*(one(client, n) for n in range(CALLS)))

        urls = asyncio.run(main())
        assert server.sessions_created == CALLS // 2
    booked = [u for u in urls if u is not None]
    assert [u is not None for u in urls] == [n % 2 == 0 for n in range(CALLS)]
    assert len(set(booked)) == len(booked)


def test_concurrent_async_sessions_survive_injected_rate_limits() -> None:
    ids = [opportunity(n) for n in range(CALLS)]
    with MockCheckoutServer(bookable=ids) as server:
        server.inject_failures(429, count=CALLS // 2, retry_after="0")

        async def main() -> list[oc.CheckoutSession]:
            async with AsyncCheckoutClient(server.url, retries=5, max_backoff=0.01) as client:
                return await asyncio.gather(*(client.create_session(i) for i in ids))

        sessions = asyncio.run(main())
        assert server.sessions_created == CALLS
    assert all(s.checkout_url for s in sessions)


def test_one_sync_client_shared_by_threads() -> None:
    ids = [opportunity(n) for n in range(CALLS)]
    with MockCheckoutServer(bookable=ids) as server, CheckoutClient(server.url) as client:
        with ThreadPoolExecutor(max_workers=8) as pool:
            sessions = list(pool.map(client.create_session, ids))
        assert server.sessions_created == CALLS
    assert len({s.checkout_url for s in sessions}) == CALLS
