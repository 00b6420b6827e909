"""The IRIs and prefixes of the RDF side (plain strings: importing this loads no RDF library)."""

from __future__ import annotations

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = RDF + "type"
RDF_FIRST = RDF + "first"
RDF_REST = RDF + "rest"
RDF_NIL = RDF + "nil"
RDF_LANGSTRING = RDF + "langString"
XSD_STRING = XSD + "string"
XSD_BOOLEAN = XSD + "boolean"
XSD_INTEGER = XSD + "integer"
XSD_DOUBLE = XSD + "double"

PREFIXES: dict[str, str] = {
    "schema": "https://schema.org/",
    "oa": "https://openactive.io/",
    "beta": "https://openactive.io/ns-beta#",
    "imin": "https://imin.co/",
    "pending": "https://pending.schema.org/",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "dc": "http://purl.org/dc/terms/",
    "dcat": "http://www.w3.org/ns/dcat#",
}
"""The prefixes bound in every graph built here (as the OpenActive and imin contexts name
them)."""

CORE_PREFIXES: dict[str, str] = {
    "rdf": RDF,
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": XSD,
    "owl": "http://www.w3.org/2002/07/owl#",
}
"""The RDF core prefixes, also usable in queries without declaring them."""
