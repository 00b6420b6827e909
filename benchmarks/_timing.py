"""Shared timing helpers for the benchmarks: best-of-N wall-clock per call."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any


def per_call(fn: Callable[[], Any], *, min_seconds: float = 0.5, repeats: int = 5) -> float:
    """Seconds per call of ``fn``: the best of ``repeats`` runs of at least ``min_seconds``."""
    fn()  # warm caches (contexts, pydantic schemas)
    calls = 1
    while True:
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        elapsed = time.perf_counter() - start
        if elapsed >= min_seconds / repeats:
            break
        calls *= 2
    best = elapsed / calls
    for _ in range(repeats - 1):
        start = time.perf_counter()
        for _ in range(calls):
            fn()
        best = min(best, (time.perf_counter() - start) / calls)
    return best


def row(label: str, seconds: float, baseline: float | None = None) -> str:
    """One line of a results table: microseconds per call and the ratio to a baseline."""
    ratio = f"{baseline / seconds:8.1f}x" if baseline is not None else " " * 9
    return f"{label:<48} {seconds * 1e6:10.1f} us {ratio}"
