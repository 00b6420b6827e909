"""What the harvest tests compare: a store's items, NDJSON lines folded, against the feeds."""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from openactive_checkout import loads, to_jsonld
from openactive_checkout.harvest import StateStore

Expected = dict[str, dict[tuple[str, str], dict[str, Any]]]


def canonical(item: dict[str, Any]) -> dict[str, Any]:
    """An RPDE item with its data in the canonical wire form (as the harvester stores it)."""
    if item.get("data") is None:
        return item
    return {**item, "data": to_jsonld(loads(item["data"]))}


def canonical_expected(expected: Expected) -> Expected:
    return {
        feed: {key: canonical(item) for key, item in items.items()}
        for feed, items in expected.items()
    }


def store_contents(store: StateStore) -> Expected:
    found: Expected = {}
    for item in store.items():
        found.setdefault(item.feed, {})[(item.kind, str(item.id))] = item.to_rpde()
    return found


def fold(lines: Iterable[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    """Fold RPDE items by (kind, id), keeping the greatest modified."""
    state: dict[tuple[str, str], dict[str, Any]] = {}
    for item in lines:
        key = (item["kind"], str(item["id"]))
        if key not in state or item["modified"] > state[key]["modified"]:
            state[key] = item
    return state


def read_ndjson(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
