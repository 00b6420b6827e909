"""Typo suggestions for unknown properties, by edit distance to the model's properties."""

from __future__ import annotations

from functools import lru_cache

from ._spec import ModelSpec


def edit_distance(a: str, b: str) -> int:
    """Optimal string alignment distance (insertions, deletions, substitutions and swaps of
    adjacent characters each cost 1)."""
    if a == b:
        return 0
    previous2: list[int] = []
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


def closest(name: str, candidates: list[str]) -> str | None:
    """The candidate closest to ``name`` if it is close enough to be a likely typo.

    Close enough: equal ignoring case, or within an edit distance of about a third of the
    name's length (at least 1, at most 3). Ties go to the first candidate.
    """
    local = name.rsplit(":", 1)[-1].rsplit("/", 1)[-1].rsplit("#", 1)[-1]
    best: tuple[int, str] | None = None
    limit = min(3, max(1, len(local) // 3))
    for candidate in candidates:
        if candidate == name:
            continue
        short = candidate.rsplit(":", 1)[-1]
        if short.lower() == local.lower():
            return candidate
        if abs(len(short) - len(local)) > limit:
            continue
        distance = edit_distance(local.lower(), short.lower())
        if distance <= limit and (best is None or distance < best[0]):
            best = (distance, candidate)
    return best[1] if best else None


def suggest(name: str, model: ModelSpec) -> str:
    """A sentence suggesting the model property ``name`` was probably meant ("" if none)."""
    return _suggest(name, tuple(model.in_spec_list))


@lru_cache(maxsize=4096)
def _suggest(name: str, properties: tuple[str, ...]) -> str:
    candidates = [f"@{c}" if c in ("type", "id") else c for c in properties]
    found = closest(name, candidates)
    return f" Did you mean `{found}`?" if found else ""
