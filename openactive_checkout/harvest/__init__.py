"""Resumable RPDE harvesting into real stores, and batch functions any engine can run.

:func:`harvest` (and :func:`aharvest`) read many RPDE feeds concurrently into a state store
(:func:`open_state`: SQLite by default, PostgreSQL for several harvesters sharing the work),
committing each page's changes with its ``next`` URL in one transaction, so a harvest killed
at any moment resumes with nothing lost or duplicated. Sinks receive the changes:
:class:`NdjsonSink` (a file per feed), :class:`SparqlSink` (a SPARQL 1.1 store, one named
graph per item) and :class:`ParquetSink` (the ``arrow`` extra).

:func:`summarise_issues`, :func:`validate_texts` and :func:`to_ntriples` are plain functions
over batches of items; :class:`IssueSummary` merges. :mod:`openactive_checkout.dask` runs
them on a Dask cluster; Spark and Ray call them the same way (docs/harvest.md).

Owns the page fetch adapter (``_fetch``), defensive item reading (``_read``), the state
stores (``_state``, ``_postgres``, ``_open``), the sinks (``_sinks``, ``_sparql``,
``_parquet``), the harvest loop (``_harvest``) and the batch functions (``_batch``).

May import: errors, jsonld, vocab, http, validation, rdf.
"""

from ._batch import (
    MAX_EXAMPLES,
    ConversionProblem,
    IssueExample,
    IssueSummary,
    NTriplesBatch,
    summarise_issues,
    to_ntriples,
    validate_texts,
)
from ._harvest import FeedResult, HarvestResult, Progress, aharvest, harvest
from ._open import open_state
from ._parquet import SCHEMAS, ParquetSink
from ._read import HarvestItem
from ._sinks import NdjsonSink, Sink
from ._sparql import SparqlSink, item_graph
from ._state import FeedState, SqliteState, StateStore, StoredItem

__all__ = [
    "MAX_EXAMPLES",
    "SCHEMAS",
    "ConversionProblem",
    "FeedResult",
    "FeedState",
    "HarvestItem",
    "HarvestResult",
    "IssueExample",
    "IssueSummary",
    "NTriplesBatch",
    "NdjsonSink",
    "ParquetSink",
    "Progress",
    "Sink",
    "SparqlSink",
    "SqliteState",
    "StateStore",
    "StoredItem",
    "aharvest",
    "harvest",
    "item_graph",
    "open_state",
    "summarise_issues",
    "to_ntriples",
    "validate_texts",
]
