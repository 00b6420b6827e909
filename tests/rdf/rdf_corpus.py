"""Documents and oracles for the RDF tests.

The meaning of a JSON-LD document is pyld's ``to_rdf`` (bundled contexts only) read by rdflib
with its default settings: the oracle every graph here is compared with.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import rdflib
from pyld import jsonld

from openactive_checkout.jsonld import pyld_document_loader as document_loader
from tests.conftest import DATA_MODELS, EXAMPLES


def pyld_graph(document: Any) -> rdflib.Graph:
    """pyld's N-Quads for ``document``, parsed by rdflib (default settings)."""
    nquads = jsonld.to_rdf(
        copy.deepcopy(document),
        {"documentLoader": document_loader(), "format": "application/n-quads"},
    )
    graph = rdflib.Graph()
    graph.parse(data=nquads, format="nt")  # default-graph N-Quads are N-Triples
    return graph


def _documents_in(name: str, data: Any) -> list[tuple[str, dict[str, Any]]]:
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        return [
            (f"{name}[{index}]", item["data"])
            for index, item in enumerate(data["items"])
            if isinstance(item, dict) and isinstance(item.get("data"), dict)
        ]
    return [(name, data)] if isinstance(data, dict) else []


def seed_documents() -> list[tuple[str, dict[str, Any]]]:
    """The seed documents (examples/), RPDE pages item by item."""
    found = []
    for path in sorted(EXAMPLES.glob("*.json")):
        found += _documents_in(path.name, json.loads(path.read_text(encoding="utf-8")))
    return found


def pinned_documents() -> list[tuple[str, dict[str, Any]]]:
    """Every document among @openactive/data-models' 2.x examples (empty if not installed)."""
    folder = DATA_MODELS / "versions" / "2.x" / "examples"
    found = []
    for path in sorted(folder.rglob("*.json")):
        name = path.relative_to(folder).as_posix()
        found += _documents_in(name, json.loads(path.read_text(encoding="utf-8")))
    return found


def all_documents() -> list[tuple[str, dict[str, Any]]]:
    return seed_documents() + pinned_documents()
