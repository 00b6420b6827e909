"""The harvester: many RPDE feeds at once, each page committed with its cursor.

Each worker (``concurrency`` of them, asyncio tasks sharing one httpx client) claims a feed
from the state store and reads it from its cursor: fetch a page, read each item
defensively, validate it (optionally), then, under one lock: the page's changes (items
newer than the store's) go to every sink, and the store commits them with the ``next`` URL
in one transaction. A harvester killed at any moment resumes from the last committed page;
a page written to the sinks but not committed is written again (sinks take that).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import dataclasses
import functools
import multiprocessing
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import httpx

from ..errors import FeedError, OpenActiveCheckoutError
from ..validation import Issue, ValidationMode, validate
from ._batch import IssueSummary
from ._fetch import PageFetcher, RawPage
from ._open import open_state
from ._read import HarvestItem, SkippedItem, read_item
from ._sinks import Sink
from ._state import StateStore

MAX_SKIPPED = 20
"""How many unreadable items a :class:`FeedResult` lists (all are counted)."""


@dataclass
class FeedResult:
    """What the harvest did with one feed."""

    url: str
    pages: int = 0
    items: int = 0
    """Items read (every item of every page, changed or not)."""
    changed: int = 0
    """Items that changed the store (new, newer versions, deletions)."""
    deleted: int = 0
    """Of ``changed``, deletions."""
    invalid: int = 0
    """Items with a failure (unreadable data, or a validation failure)."""
    skipped: int = 0
    """Items with no usable ``state``/``kind``/``id``/``modified``: not stored."""
    skipped_examples: list[str] = field(default_factory=list)
    error: str | None = None
    """Why the feed stopped before its end (None when it was read to its end)."""
    finished: bool = False
    """Whether the feed was read to its last page."""

    @property
    def ok(self) -> bool:
        """Read to the end with no invalid or skipped item."""
        return self.finished and self.error is None and not self.invalid and not self.skipped


@dataclass
class HarvestResult:
    """The outcome of :func:`harvest`: one :class:`FeedResult` per feed read by this
    harvester, and the summary of the issues found."""

    feeds: list[FeedResult]
    issues: IssueSummary
    seconds: float = 0.0

    @property
    def items(self) -> int:
        """Items read across all feeds."""
        return sum(feed.items for feed in self.feeds)

    @property
    def ok(self) -> bool:
        """Every feed read to its end and every item valid."""
        return all(feed.ok for feed in self.feeds)


@dataclass(frozen=True)
class Progress:
    """Counts passed to the ``progress`` callback after every committed page."""

    feed: str
    feeds_done: int
    feeds_total: int
    pages: int
    items: int
    seconds: float


@dataclass
class PageRead:
    """A page's items read (and validated): what :func:`read_page_items` returns."""

    items: list[HarvestItem]
    skipped: list[SkippedItem]
    checked: list[tuple[str, list[Issue]]]
    """For each updated item read or validated: its name (``kind/id``) and its problems."""


def read_page_items(
    raw_items: list[Any], mode: ValidationMode | None, *, models: bool = True
) -> PageRead:
    """Read a page's raw items defensively and validate the updated ones' data in ``mode``.

    A plain function of picklable values, so worker processes can run it; ``models=False``
    leaves the models out of the items (sinks that need one read it from the data again).
    """
    read = PageRead([], [], [])
    for index, raw in enumerate(raw_items):
        item = read_item(raw, ("items", index))
        if isinstance(item, SkippedItem):
            read.skipped.append(item)
            continue
        if not models and item.model is not None:
            item = dataclasses.replace(item, model=None)
        read.items.append(item)
        if item.state == "deleted":
            continue
        problems = list(item.problems)
        if mode is not None:
            problems += validate(raw["data"], mode=mode).issues
        if problems or mode is not None:
            read.checked.append((f"{item.kind}/{item.id}", problems))
    return read


class _Run:
    def __init__(
        self,
        feeds: list[str],
        store: StateStore,
        sinks: Sequence[Sink],
        client: httpx.AsyncClient,
        *,
        mode: ValidationMode | None,
        follow: bool,
        stop: Callable[[], bool],
        poll_interval: float,
        retries: int,
        max_backoff: float,
        progress: Callable[[Progress], None] | None,
        pool: concurrent.futures.Executor | None = None,
    ) -> None:
        self.pool = pool
        self.feeds = feeds
        self.store = store
        self.sinks = sinks
        self.client = client
        self.mode = mode
        self.follow = follow
        self.stop = stop
        self.poll_interval = poll_interval
        self.fetcher = PageFetcher(client, retries=retries, max_backoff=max_backoff)
        self.max_backoff = max_backoff
        self.progress = progress
        self.lock = asyncio.Lock()
        self.results: list[FeedResult] = []
        self.issues = IssueSummary()
        self.started = time.time()
        self.clock = time.monotonic()
        self.pages = 0
        self.items = 0
        self.done = 0

    async def worker(self) -> None:
        while not self.stop():
            async with self.lock:
                claimed = self.store.claim(self.feeds, self.started)
            if claimed is None:
                return
            result = FeedResult(claimed.url)
            self.results.append(result)
            try:
                await self.read_feed(result, claimed.next_url)
            except (OpenActiveCheckoutError, httpx.HTTPError, OSError) as exc:
                result.error = str(exc) or type(exc).__name__
            finally:
                async with self.lock:
                    self.store.release(result.url, error=result.error)
                self.done += 1

    async def read_feed(self, result: FeedResult, url: str) -> None:
        failures = 0
        while not self.stop():
            try:
                page = await self.fetcher.fetch(result.url, url)
            except (OpenActiveCheckoutError, httpx.HTTPError) as exc:
                if not self.follow:
                    raise
                failures += 1
                result.error = str(exc)
                await self.wait(min(self.max_backoff, self.poll_interval * 2**failures))
                continue
            failures = 0
            result.error = None
            last = not page.items
            if not last and page.next == url:
                raise FeedError(
                    f"the page {url} has items but its next URL points back to itself, so "
                    "the feed would never advance",
                    path=("next",),
                )
            await self.commit(result, page, last=last and not self.follow)
            if last:
                result.finished = True
                if not self.follow:
                    return
                asked = min(page.retry_after or 0.0, self.max_backoff)  # Retry-After
                await self.wait(max(self.poll_interval, asked))
            url = page.next

    async def wait(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while not self.stop() and time.monotonic() < deadline:
            await asyncio.sleep(min(0.1, max(0.0, deadline - time.monotonic())))

    def count(self, result: FeedResult, page: RawPage, read: PageRead) -> None:
        for skipped in read.skipped:
            result.skipped += 1
            if len(result.skipped_examples) < MAX_SKIPPED:
                result.skipped_examples.append(f"{page.url}: {skipped}")
        for name, problems in read.checked:
            self.issues.add(problems, source=result.url, item=name)
            if any(problem.is_failure for problem in problems):
                result.invalid += 1

    async def commit(self, result: FeedResult, page: RawPage, *, last: bool) -> None:
        if self.pool is None:
            read = read_page_items(page.items, self.mode)
        else:
            loop = asyncio.get_running_loop()
            read = await loop.run_in_executor(
                self.pool, functools.partial(read_page_items, page.items, self.mode, models=False)
            )
        self.count(result, page, read)
        items = read.items
        async with self.lock:
            changed = self.store.changes(result.url, items)
            for sink in self.sinks:
                await sink.write(result.url, page.url, changed)
            self.store.commit_page(result.url, changed, page.next, last=last)
        result.pages += 1
        result.items += len(page.items)
        result.changed += len(changed)
        result.deleted += sum(item.state == "deleted" for item in changed)
        self.pages += 1
        self.items += len(page.items)
        if self.progress is not None:
            self.progress(
                Progress(
                    result.url,
                    self.done,
                    len(self.feeds),
                    self.pages,
                    self.items,
                    time.monotonic() - self.clock,
                )
            )


def check_feeds(feeds: Sequence[str]) -> list[str]:
    if isinstance(feeds, str):
        feeds = [feeds]
    urls = list(dict.fromkeys(feeds))
    if not urls:
        raise ValueError("give at least one feed URL")
    for url in urls:
        if not isinstance(url, str):
            raise TypeError(f"a feed URL must be a string, not {type(url).__name__}")
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"a feed URL must be an absolute http(s) URL, not {url!r}")
    return urls


async def aharvest(
    feeds: Sequence[str],
    *,
    state: str | StateStore = "sqlite:///harvest.db",
    sinks: Sequence[Sink] = (),
    validate: ValidationMode | None = None,
    follow: bool = False,
    stop: Callable[[], bool] | None = None,
    concurrency: int = 8,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    max_backoff: float = 30.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
    workers: int = 0,
) -> HarvestResult:
    """The asyncio form of :func:`harvest` (same arguments)."""
    urls = check_feeds(feeds)
    if isinstance(concurrency, bool) or not isinstance(concurrency, int) or concurrency < 1:
        raise ValueError(f"concurrency must be a positive int, not {concurrency!r}")
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 0:
        raise ValueError(f"workers must be an int >= 0, not {workers!r}")
    if client is not None and transport is not None:
        raise TypeError("give client or transport, not both")
    store = open_state(state) if isinstance(state, str) else state
    own_store = isinstance(state, str)
    http = client or httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, transport=transport,
        limits=httpx.Limits(max_connections=max(concurrency, 10)),
    )  # fmt: skip
    run: _Run | None = None
    pool = (
        concurrent.futures.ProcessPoolExecutor(
            workers, mp_context=multiprocessing.get_context("spawn")
        )
        if workers
        else None
    )
    try:
        store.register(urls)
        for sink in sinks:
            await sink.open()
        run = _Run(
            urls, store, sinks, http, mode=validate, follow=follow,
            stop=stop or (lambda: False), poll_interval=poll_interval, retries=retries,
            max_backoff=max_backoff, progress=progress, pool=pool,
        )  # fmt: skip
        await asyncio.gather(*(run.worker() for _ in range(min(concurrency, len(urls)))))
    finally:
        try:
            for sink in sinks:
                await sink.close()
        finally:
            if pool is not None:
                pool.shutdown(cancel_futures=True)
            if client is None:
                await http.aclose()
            if own_store:
                store.close()
    order = {url: n for n, url in enumerate(urls)}
    results = sorted(run.results, key=lambda r: order[r.url])
    return HarvestResult(results, run.issues, time.monotonic() - run.clock)


def harvest(
    feeds: Sequence[str],
    *,
    state: str | StateStore = "sqlite:///harvest.db",
    sinks: Sequence[Sink] = (),
    validate: ValidationMode | None = None,
    follow: bool = False,
    stop: Callable[[], bool] | None = None,
    concurrency: int = 8,
    client: httpx.AsyncClient | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout: float = 30.0,
    retries: int = 3,
    max_backoff: float = 30.0,
    poll_interval: float = 5.0,
    progress: Callable[[Progress], None] | None = None,
    workers: int = 0,
) -> HarvestResult:
    """Harvest RPDE feeds into a state store and sinks, resuming where the store left off.

    ``feeds`` are feed URLs, read ``concurrency`` at a time. ``state`` is a store URL
    (``sqlite:///harvest.db``, ``postgresql://...``) or an open :class:`StateStore`; each
    page's changes and its ``next`` URL are committed in one transaction, so a harvest
    stopped at any point (even killed) resumes from the last committed page, losing and
    duplicating nothing. ``sinks`` (:class:`NdjsonSink`, :class:`SparqlSink`,
    :class:`ParquetSink`) receive each page's changes before the commit. ``validate`` is a
    validation mode (``"RPDEFeed"``) to validate every updated item's data in; issues are
    summarised in the result.

    Without ``follow``, each feed is read to its last page (a page with no items) and the
    call returns when every feed has been. With ``follow``, the last page is polled every
    ``poll_interval`` seconds (errors back off up to ``max_backoff``) until ``stop()``
    returns true. ``stop`` is also checked between pages. ``client`` (an
    ``httpx.AsyncClient``) or ``transport`` choose how pages are fetched; ``timeout`` bounds
    each request of the harvester's own client; transient failures are retried ``retries``
    times. ``progress`` is called after every committed page. ``workers`` processes (0:
    none, the work is done in the calling thread) read and validate the pages, for harvests
    that validate on a machine with cores to spare.

    A feed that fails (an error status, no answer, a page that is not RPDE) is recorded in
    its :class:`FeedResult` and the others go on.
    """
    return asyncio.run(
        aharvest(
            feeds,
            state=state,
            sinks=sinks,
            validate=validate,
            follow=follow,
            stop=stop,
            concurrency=concurrency,
            client=client,
            transport=transport,
            timeout=timeout,
            retries=retries,
            max_backoff=max_backoff,
            poll_interval=poll_interval,
            progress=progress,
            workers=workers,
        )
    )
