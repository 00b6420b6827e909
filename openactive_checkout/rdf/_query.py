"""SPARQL on an rdflib graph or a pyoxigraph store, with one result shape for both.

Queries may use the ``schema``, ``oa``, ``beta``, ``imin``, ``pending``, ``skos``, ``dc``,
``dcat``, ``rdf``, ``rdfs``, ``xsd`` and ``owl`` prefixes without declaring them. Results
hold rdflib terms whichever engine ran the query.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, ConjunctiveGraph, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import DataError
from ._names import CORE_PREFIXES, PREFIXES, XSD_STRING
from ._oxigraph import is_store, pyoxigraph

INIT_NS: dict[str, str] = {**CORE_PREFIXES, **PREFIXES}
"""The prefixes every query may use undeclared, handed to the engine (rdflib's ``initNs``,
pyoxigraph's ``prefixes``) rather than written before the query, so that the line numbers of
a syntax error are those of the query's own text. A query's own declarations win."""


@dataclass(frozen=True)
class QueryResult:
    """The answer to a SPARQL query.

    ``SELECT``: ``variables`` and ``rows`` (one tuple per solution, ``None`` where a variable
    is unbound). ``ASK``: ``boolean``. ``CONSTRUCT``/``DESCRIBE``: rows of
    (``subject``, ``predicate``, ``object``).
    """

    variables: tuple[str, ...]
    rows: tuple[tuple[Node | None, ...], ...] = ()
    boolean: bool | None = None
    kind: str = field(default="select")
    """``"select"``, ``"ask"`` or ``"graph"`` (CONSTRUCT and DESCRIBE)."""

    def __len__(self) -> int:
        return len(self.rows)

    def dicts(self) -> list[dict[str, Node]]:
        """The rows as ``{variable: term}`` (unbound variables left out)."""
        return [
            {name: term for name, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]

    def to_json(self) -> dict[str, Any]:
        """The SPARQL 1.1 Query Results JSON Format (``application/sparql-results+json``)."""
        if self.kind == "ask":
            return {"head": {}, "boolean": bool(self.boolean)}
        bindings = [{k: _json_term(t) for k, t in row.items()} for row in self.dicts()]
        return {"head": {"vars": list(self.variables)}, "results": {"bindings": bindings}}

    def to_table(self) -> str:
        """A plain-text table (terms in N-Triples form, ``-`` where unbound)."""
        if self.kind == "ask":
            return "true" if self.boolean else "false"
        header = list(self.variables)
        body = [["-" if t is None else t.n3() for t in row] for row in self.rows]
        widths = [max([len(h)] + [len(r[i]) for r in body]) for i, h in enumerate(header)]

        def line(cells: list[str]) -> str:
            return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

        lines = [line(header), "  ".join("-" * w for w in widths), *map(line, body)]
        lines.append(f"({len(body)} row{'' if len(body) == 1 else 's'})")
        return "\n".join(lines)


def _json_term(term: Node) -> dict[str, str]:
    if isinstance(term, URIRef):
        return {"type": "uri", "value": str(term)}
    if isinstance(term, BNode):
        return {"type": "bnode", "value": str(term)}
    if isinstance(term, Literal):
        out = {"type": "literal", "value": str(term)}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype is not None and str(term.datatype) != XSD_STRING:
            out["datatype"] = str(term.datatype)
        return out
    return {"type": "literal", "value": str(term)}  # pragma: no cover - RDF-star terms


def run_query(source: Graph | Any, sparql: str, *, allow_external: bool = False) -> QueryResult:
    """Run ``sparql`` on an rdflib Graph or a pyoxigraph Store.

    Unless ``allow_external``, a query that would reach outside ``source`` is a DataError
    before it runs: ``SERVICE`` (an HTTP request to another endpoint) and, on an rdflib
    Dataset, ``FROM``/``FROM NAMED`` naming a graph the dataset does not hold (rdflib
    would read it from a file or URL).
    """
    if not isinstance(sparql, str):
        raise DataError(f"a SPARQL query must be a string, not {type(sparql).__name__}")
    if isinstance(source, Graph):
        return _rdflib_query(source, sparql, allow_external)
    if is_store(source):
        return _oxigraph_query(source, sparql, allow_external)
    raise DataError(f"expected an rdflib Graph or a pyoxigraph Store, not {type(source).__name__}")


_EXTERNAL_HINT = "pass allow_external=True to allow it"
_SERVICE_REFUSED = (
    f"the query calls a SERVICE (an HTTP request to another endpoint); {_EXTERNAL_HINT}"
)


def _rdflib_query(graph: Graph, text: str, allow_external: bool) -> QueryResult:
    from rdflib.plugins.sparql import prepareQuery

    try:
        prepared = prepareQuery(text, initNs=INIT_NS)
    except Exception as exc:  # rdflib raises pyparsing's and its own errors for bad queries
        raise DataError(f"the SPARQL query failed: {_first_line(exc)}") from None
    if not allow_external:
        _refuse_external(graph, prepared.algebra)
    # rdflib evaluates lazily: what fails while the results are read fails here too.
    try:
        result = graph.query(prepared)
        if result.type == "ASK":
            return QueryResult(variables=(), boolean=bool(result.askAnswer), kind="ask")
        rows: tuple[tuple[Node | None, ...], ...]
        if result.type in ("CONSTRUCT", "DESCRIBE"):
            rows = tuple((s, p, o) for s, p, o in result.graph or ())
            return QueryResult(
                variables=("subject", "predicate", "object"), rows=rows, kind="graph"
            )
        variables = tuple(str(v) for v in result.vars or ())
        rows = tuple(tuple(row) for row in result if isinstance(row, tuple))
    except Exception as exc:  # whatever rdflib raises while evaluating
        raise DataError(f"the SPARQL query failed: {_first_line(exc)}") from None
    return QueryResult(variables=variables, rows=rows)


def _refuse_external(graph: Graph, algebra: Any) -> None:
    """DataError if the parsed query would call a SERVICE or load a graph from elsewhere."""
    if isinstance(graph, ConjunctiveGraph):  # a Dataset too: only datasets load graphs
        # dict.get: a CompValue's own get() answers a missing key with the key itself
        for clause in dict.get(algebra, "datasetClause") or ():
            default = dict.get(clause, "default")
            name = default if default is not None else dict.get(clause, "named")
            if name is not None and not len(graph.get_context(name)):
                keyword = "FROM" if default is not None else "FROM NAMED"
                raise DataError(
                    f"the query's {keyword} <{name}> names a graph the dataset does not "
                    f"hold, which rdflib would read from that file or URL; {_EXTERNAL_HINT}"
                )
    stack: list[Any] = [algebra]
    while stack:
        part = stack.pop()
        if isinstance(part, dict):
            if getattr(part, "name", None) == "ServiceGraphPattern":
                raise DataError(_SERVICE_REFUSED)
            stack.extend(part.values())
        elif isinstance(part, list | tuple):
            stack.extend(part)


_SPARQL_SKIP = re.compile(
    r"'''(?:[^'\\]|\\.|'(?!''))*'''"
    r'|"""(?:[^"\\]|\\.|"(?!""))*"""'
    r"|'(?:[^'\\\n\r]|\\.)*'"
    r'|"(?:[^"\\\n\r]|\\.)*"'
    r'|<[^<>"{}|^`\\\x00-\x20]*>'
    r"|#[^\n\r]*"
)
"""What may hide the word SERVICE in a query's text: strings, IRIs and comments."""

_SERVICE_WORD = re.compile(r"(?<![\w:?$@.-])SERVICE(?![\w:-])", re.IGNORECASE)


def calls_service(text: str) -> bool:
    """Whether a SPARQL query's text uses the ``SERVICE`` keyword (outside strings, IRIs,
    comments, prefixed names and variables)."""
    return _SERVICE_WORD.search(_SPARQL_SKIP.sub(" ", text)) is not None


def _oxigraph_query(store: Any, text: str, allow_external: bool) -> QueryResult:
    # pyoxigraph resolves FROM and FROM NAMED within the store; its SERVICE makes HTTP calls.
    if not allow_external and calls_service(text):
        raise DataError(_SERVICE_REFUSED)
    ox = pyoxigraph()
    try:
        result = store.query(text, prefixes=INIT_NS)
        if isinstance(result, ox.QueryBoolean):
            return QueryResult(variables=(), boolean=bool(result), kind="ask")
        rows: tuple[tuple[Node | None, ...], ...]
        if isinstance(result, ox.QueryTriples):
            rows = tuple(
                (from_oxigraph(t.subject), from_oxigraph(t.predicate), from_oxigraph(t.object))
                for t in result
            )
            return QueryResult(
                variables=("subject", "predicate", "object"), rows=rows, kind="graph"
            )
        variables = tuple(v.value for v in result.variables)
        rows = tuple(
            tuple(None if solution[v] is None else from_oxigraph(solution[v]) for v in variables)
            for solution in result
        )
    except (SyntaxError, ValueError, OSError, RuntimeError) as exc:
        raise DataError(f"the SPARQL query failed: {_first_line(exc)}") from None
    return QueryResult(variables=variables, rows=rows)


def from_oxigraph(term: Any) -> Node:
    """An rdflib term for a pyoxigraph term (literals keep their lexical form)."""
    kind = type(term).__name__
    if kind == "NamedNode":
        return URIRef(term.value)
    if kind == "BlankNode":
        return BNode(term.value)
    if kind == "Literal":
        if term.language:
            return Literal(term.value, lang=term.language, normalize=False)
        datatype = term.datatype.value
        if datatype == XSD_STRING:
            return Literal(term.value, normalize=False)
        return Literal(term.value, datatype=URIRef(datatype), normalize=False)
    raise DataError(f"a {kind} cannot be turned into an rdflib term")


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0]


def dumps_json(result: QueryResult) -> str:
    """The SPARQL JSON results as text."""
    return json.dumps(result.to_json(), ensure_ascii=False, indent=2)
