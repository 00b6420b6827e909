"""Dask for work past one machine (the ``dask`` extra): bags of RPDE items, validated and
converted by the batch functions of :mod:`openactive_checkout.harvest`.

::

    from dask.distributed import Client, LocalCluster
    from openactive_checkout.dask import bag_from_ndjson, summarise

    client = Client(LocalCluster())          # or Client("tcp://scheduler:8786")
    bag = bag_from_ndjson("harvest/*.ndjson")
    summary = summarise(bag, mode="RPDEFeed")

:func:`bag_from_ndjson` reads the NDJSON files the harvester writes (one line per item,
blocks of ``blocksize`` bytes: hundreds of items per partition); :func:`bag_from_pages` makes
a bag of the items of RPDE pages held in memory. :func:`summarise` validates every item where
the bag's partitions live and merges the per-partition :class:`~openactive_checkout.harvest.
IssueSummary` objects: the result is the summary a plain loop gives
(``summarise_issues(all_items)``), whatever the partitioning. :func:`to_ntriples` converts a
bag into N-Triples text, one string per partition. Computation runs on the active Dask
scheduler: a ``distributed`` client when one exists, else Dask's default.

May import: errors, harvest.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from ._optional import require
from .harvest import IssueSummary, NTriplesBatch, summarise_issues
from .harvest import to_ntriples as _ntriples
from .validation import ValidationMode

__all__ = [
    "ITEMS_PER_PARTITION",
    "bag_from_ndjson",
    "bag_from_pages",
    "summarise",
    "to_ntriples",
]

ITEMS_PER_PARTITION = 500
"""Items per partition of :func:`bag_from_pages`."""


def _bag() -> Any:
    return require("dask.bag", extra="dask")


def bag_from_ndjson(paths: str | Sequence[str], *, blocksize: str | int = "1MiB") -> Any:
    """A Dask bag of the lines of NDJSON files (``paths``: a file, a glob, or a list).

    Each element is one line's text (an RPDE item as the harvester's NDJSON sink writes it);
    blank lines are left out. ``blocksize`` (bytes, or ``"1MiB"``) sets the partition size:
    about a thousand harvested items per MiB.
    """
    bag = _bag()
    return bag.read_text(paths, blocksize=blocksize).filter(_not_blank)


def _not_blank(line: str) -> bool:
    return bool(line.strip())


def bag_from_pages(
    pages: Iterable[Mapping[str, Any] | Any], *, items_per_partition: int = ITEMS_PER_PARTITION
) -> Any:
    """A Dask bag of the items of RPDE pages (parsed page objects, or ``FeedPage`` s whose
    items are written back as RPDE item objects), ``items_per_partition`` per partition."""
    if isinstance(items_per_partition, bool) or not isinstance(items_per_partition, int):
        raise TypeError("items_per_partition must be an int")
    if items_per_partition < 1:
        raise ValueError("items_per_partition must be at least 1")
    items: list[Any] = []
    for page in pages:
        if isinstance(page, Mapping):
            items.extend(page.get("items") or ())
        else:
            items.extend(_feed_item(item) for item in page.items)
    return _bag().from_sequence(items, partition_size=items_per_partition)


def _feed_item(item: Any) -> dict[str, Any]:
    from .jsonld import to_jsonld

    out: dict[str, Any] = {"state": item.state, "kind": item.kind, "id": item.id,
                           "modified": item.modified}  # fmt: skip
    if item.data is not None:
        out["data"] = to_jsonld(item.data)
    return out


def _summarise_partition(items: Iterable[Any], mode: ValidationMode, source: str) -> IssueSummary:
    return summarise_issues(items, mode=mode, source=source)


def _merge(summaries: Iterable[IssueSummary]) -> IssueSummary:
    return functools.reduce(IssueSummary.merge, summaries, IssueSummary())


def summarise(bag: Any, *, mode: ValidationMode = "RPDEFeed", source: str = "") -> IssueSummary:
    """Validate every element of ``bag`` (RPDE items or JSON-LD documents, as mappings or
    JSON text) in ``mode`` and return the merged :class:`IssueSummary` (computed now)."""
    per_partition = functools.partial(_summarise_partition, mode=mode, source=source)
    summary: IssueSummary = bag.reduction(per_partition, _merge).compute()
    return summary


def to_ntriples(bag: Any) -> Any:
    """A bag of :class:`~openactive_checkout.harvest.NTriplesBatch`, one per partition: the
    N-Triples of the partition's items, and the ones that could not be converted."""
    return bag.map_partitions(_ntriples_partition)


def _ntriples_partition(items: Iterable[Any]) -> list[NTriplesBatch]:
    return [_ntriples(items)]
