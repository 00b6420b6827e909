"""Whole graphs (or Oxigraph stores) as text in the six RDF formats."""

from __future__ import annotations

from typing import Any

from rdflib import Dataset, Graph

from ._rdf_names import CORE_PREFIXES, PREFIXES
from ._rdf_oxigraph import is_store, pyoxigraph
from .errors import DataError

FORMATS: dict[str, str] = {
    "turtle": "turtle",
    "ttl": "turtle",
    "nt": "nt",
    "ntriples": "nt",
    "n-triples": "nt",
    "nquads": "nquads",
    "n-quads": "nquads",
    "nq": "nquads",
    "jsonld": "jsonld",
    "json-ld": "jsonld",
    "xml": "xml",
    "rdfxml": "xml",
    "rdf/xml": "xml",
    "trig": "trig",
}
"""Accepted format names -> the canonical name (``turtle``, ``nt``, ``nquads``, ``jsonld``,
``xml``, ``trig``)."""

_RDFLIB = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld", "xml": "xml"}
_OXIGRAPH = {
    "turtle": "TURTLE",
    "nt": "N_TRIPLES",
    "nquads": "N_QUADS",
    "jsonld": "JSON_LD",
    "xml": "RDF_XML",
    "trig": "TRIG",
}


def format_name(name: str) -> str:
    """The canonical name of an RDF format, or a DataError listing the accepted ones."""
    canonical = FORMATS.get(name.lower()) if isinstance(name, str) else None
    if canonical is None:
        raise DataError(
            f"unknown RDF format {name!r}; use one of turtle, nt, nquads, jsonld, xml, trig"
        )
    return canonical


def serialize(source: Graph | Any, format: str = "turtle") -> str:
    """See :func:`openactive_checkout.graph.serialize`."""
    name = format_name(format)
    if isinstance(source, Graph):
        return _rdflib(source, name)
    if is_store(source):
        return _oxigraph(source, name)
    raise DataError(f"expected an rdflib Graph or a pyoxigraph Store, not {type(source).__name__}")


def _rdflib(graph: Graph, name: str) -> str:
    if name in _RDFLIB:
        return graph.serialize(format=_RDFLIB[name])
    if graph.store.context_aware and isinstance(graph, Dataset):
        return graph.serialize(format=name)
    # N-Quads and TriG of a plain graph: the graph as a dataset's default graph.
    dataset = Dataset()
    for prefix, namespace in graph.namespaces():
        dataset.bind(prefix, namespace, override=True)
    default = dataset.default_context
    for triple in graph:
        default.add(triple)
    return dataset.serialize(format=name)


def _oxigraph(store: Any, name: str) -> str:
    ox = pyoxigraph()
    rdf_format = getattr(ox.RdfFormat, _OXIGRAPH[name])
    options: dict[str, Any] = {"format": rdf_format}
    if not rdf_format.supports_datasets:
        options["from_graph"] = ox.DefaultGraph()
    if name in ("turtle", "trig", "xml"):
        options["prefixes"] = {**CORE_PREFIXES, **PREFIXES}
    data: bytes = store.dump(**options)
    return data.decode("utf-8")
