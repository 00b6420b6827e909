"""Whole graphs (or Oxigraph stores) as text in the six RDF formats."""

from __future__ import annotations

import io
from typing import Any

from rdflib import ConjunctiveGraph, Dataset, Graph

from ..errors import DataError
from ._names import CORE_PREFIXES, PREFIXES
from ._oxigraph import is_store, pyoxigraph
from ._stream import TrigWriter

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
OXIGRAPH_FORMATS = {
    # Our format name -> pyoxigraph.RdfFormat member (also used by the CLI).
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
    if isinstance(graph, Dataset | ConjunctiveGraph) and name in ("nquads", "trig"):
        return graph.serialize(format=name)  # named graphs and all
    if name == "nquads":
        name = "nt"  # a plain graph is the default graph: its N-Triples are its N-Quads
    if name == "trig":
        out = io.StringIO()
        writer = TrigWriter(out)
        writer.start()
        writer.write(graph)
        writer.close()
        return out.getvalue()
    try:
        return graph.serialize(format=_RDFLIB[name])
    except ValueError as exc:  # RDF/XML: a property IRI with no local name
        raise DataError(f"the graph cannot be written as {name}: {exc}") from None


def _oxigraph(store: Any, name: str) -> str:
    ox = pyoxigraph()
    rdf_format = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[name])
    options: dict[str, Any] = {"format": rdf_format}
    if not rdf_format.supports_datasets:
        options["from_graph"] = ox.DefaultGraph()
    if name in ("turtle", "trig", "xml"):
        options["prefixes"] = {**CORE_PREFIXES, **PREFIXES}
    data: bytes = store.dump(**options)
    return data.decode("utf-8")
