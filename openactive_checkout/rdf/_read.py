"""A graph back to a model: the node tree under one subject, as expanded JSON-LD, read by
``loads`` (so every rule of the reader applies: classes from ``rdf:type``, fields by IRI,
several values for a single-valued field kept as extension properties).

Literals become JSON values only when ``to_graph`` would write the very same literal back
(``"10"^^xsd:integer`` is 10, ``"true"^^xsd:boolean`` is true, ``"10.5"^^xsd:double`` is 10.5);
any other literal stays a value object with its datatype. Blank nodes that are well-formed RDF
lists become ``@list``; other blank nodes are embedded, with an ``_:`` id when several triples
point to them. An IRI node is embedded where it is first met and referenced afterwards.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import defaultdict
from typing import Any

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from ..errors import DataError
from ..jsonld._base import JsonLdNode
from ..jsonld._nodes import MAX_DEPTH
from ._names import (
    RDF_FIRST,
    RDF_NIL,
    RDF_REST,
    RDF_TYPE,
    XSD_BOOLEAN,
    XSD_DOUBLE,
    XSD_INTEGER,
    XSD_STRING,
)
from ._terms import checked_iri, double_lexical

_TYPE = URIRef(RDF_TYPE)
_FIRST = URIRef(RDF_FIRST)
_REST = URIRef(RDF_REST)
_NIL = URIRef(RDF_NIL)
_INTEGER = re.compile(r"-?(0|[1-9][0-9]*)")
_SHOWN = 10


def read_graph(graph: Graph, root: str | Node | None) -> JsonLdNode:
    """See :func:`openactive_checkout.graph.from_graph`."""
    from ..jsonld import loads

    if not isinstance(graph, Graph):
        raise DataError(f"expected an rdflib Graph, not {type(graph).__name__}")
    tree = _Tree(graph)
    start = tree.root(root)
    tree.start = start
    document = tree.node(start, set(), 0)
    if root is None:
        unread = [s for s in tree.subjects if s not in tree.done and s not in tree.lists]
        if unread:
            raise DataError(
                f"{len(unread)} subjects are not reachable from the root {start.n3()}: "
                f"{_listing(unread)}; pass root= to read one node"
            )
    try:
        return loads(document)
    except DataError as exc:
        raise DataError(f"the node {start.n3()} does not read as a model: {exc.reason}",
                        path=exc.path) from None  # fmt: skip


def _is_cell(subject: Node, pairs: list[tuple[Node, Node]]) -> bool:
    return (
        isinstance(subject, BNode)
        and len(pairs) == 2
        and {pairs[0][0], pairs[1][0]} == {_FIRST, _REST}
    )


def _short(term: Node) -> str:
    text = term.n3()
    return text if len(text) <= 120 else text[:117] + "..."


def _listing(terms: list[Node]) -> str:
    shown = ", ".join(sorted(t.n3() for t in terms)[:_SHOWN])
    return shown + (f" and {len(terms) - _SHOWN} more" if len(terms) > _SHOWN else "")


class _Tree:
    def __init__(self, graph: Graph) -> None:
        self.incoming: dict[Node, int] = defaultdict(int)
        found: dict[Node, list[tuple[Node, Node]]] = defaultdict(list)
        for s, p, o in graph:
            found[s].append((p, o))
            if not isinstance(o, Literal):
                self.incoming[o] += 1
        # Per subject, the store's own order (insertion order for rdflib's memory store), so a
        # graph made by to_graph reads back with its arrays in their order. One triple, or
        # the two of an RDF list cell, need no second look (and a long list stays fast).
        self.subjects: dict[Node, list[tuple[Node, Node]]] = {
            s: pairs if len(pairs) == 1 or _is_cell(s, pairs) else list(graph.predicate_objects(s))
            for s, pairs in found.items()
        }
        self.lists = self._list_nodes()
        self.done: set[Node] = set()
        self.start: Node | None = None

    def root(self, root: str | Node | None) -> Node:
        if root is not None:
            if isinstance(root, str) and not isinstance(root, Node):
                term: Node = URIRef(checked_iri(root))
            elif isinstance(root, Node):
                term = root
            else:
                raise DataError(f"root must be an IRI or an rdflib term, not {type(root).__name__}")
            if term not in self.subjects:
                raise DataError(f"the graph has no triples about {term.n3()}")
            return term
        if not self.subjects:
            raise DataError("the graph is empty: there is no node to read")
        roots = [s for s in self.subjects if not self.incoming.get(s) and s not in self.lists]
        if len(roots) == 1:
            return roots[0]
        if not roots:
            raise DataError(
                "every subject of the graph is the object of some triple, so there is no root; "
                "pass root= to read one node"
            )
        raise DataError(f"the graph has {len(roots)} root nodes: {_listing(roots)}; "
                        "pass root= to read one of them")  # fmt: skip

    def _list_nodes(self) -> dict[Node, list[Node]]:
        """Heads of well-formed RDF lists (blank nodes, one rdf:first and one rdf:rest each,
        pointed to once) -> their items; the other nodes of those lists -> []."""
        cells: dict[Node, tuple[Node, Node]] = {}
        for subject, pairs in self.subjects.items():
            if isinstance(subject, BNode) and len(pairs) == 2 and self.incoming[subject] == 1:
                first = [o for p, o in pairs if p == _FIRST]
                rest = [o for p, o in pairs if p == _REST]
                if len(first) == 1 and len(rest) == 1:
                    cells[subject] = (first[0], rest[0])
        tails = {rest for _, rest in cells.values()}
        result: dict[Node, list[Node]] = {}
        for head in cells:
            if head in tails:
                continue  # not a head
            items: list[Node] = []
            seen: dict[Node, None] = {}  # the cells in order: a set that remembers it
            cell: Node = head
            while cell in cells and cell not in seen:
                seen[cell] = None
                items.append(cells[cell][0])
                cell = cells[cell][1]
            if cell == _NIL:
                result[head] = items
                for inner in itertools.islice(seen, 1, None):
                    result[inner] = []
        return result

    def _check_depth(self, depth: int, term: Node) -> None:
        """The document ``loads`` reads nests at most MAX_DEPTH levels: say so for the graph
        (each linked node is two levels: the property's array, then the node)."""
        if depth > MAX_DEPTH:
            assert self.start is not None
            raise DataError(
                f"the graph nests too deeply below {_short(self.start)} to be read as one "
                f"document: {_short(term)} is {depth // 2} links away (a document nests at "
                f"most {MAX_DEPTH} levels); pass another root= to read part of it"
            )

    def node(self, subject: Node, path: set[Node], depth: int) -> dict[str, Any]:
        """The node object for ``subject`` with everything it links to embedded; ``depth``
        is its level in the document."""
        self._check_depth(depth + 1 if subject in self.subjects else depth, subject)
        self.done.add(subject)
        out: dict[str, Any] = {}
        if isinstance(subject, URIRef):
            out["@id"] = str(subject)
        elif self.incoming.get(subject, 0) > (1 if path else 0):
            out["@id"] = f"_:{subject}"  # pointed to from elsewhere too: keep its label
        types: list[str] = []
        path = path | {subject}
        for predicate, obj in self.subjects.get(subject, ()):
            if predicate == _TYPE and isinstance(obj, URIRef):
                types.append(str(obj))
                continue
            out.setdefault(str(predicate), []).append(self.value(obj, path, depth + 2))
        if types:
            out["@type"] = types
        return out

    def value(self, obj: Node, path: set[Node], depth: int) -> dict[str, Any]:
        if isinstance(obj, Literal):
            self._check_depth(depth, obj)
            return literal_value(obj)
        if self.lists.get(obj):
            self._check_depth(depth, obj)
            self.done.add(obj)
            return {"@list": [self.value(item, path, depth + 2) for item in self.lists[obj]]}
        if obj in self.subjects and obj not in self.done and obj not in path:
            return self.node(obj, path, depth)
        if isinstance(obj, BNode):
            return {"@id": f"_:{obj}"}
        return {"@id": str(obj)}


def literal_value(literal: Literal) -> dict[str, Any]:
    """An expanded value object for a literal: a JSON number or boolean when ``to_graph``
    writes that value back as this very literal, else the lexical form and datatype."""
    text = str(literal)
    if literal.language:
        return {"@value": text, "@language": literal.language}
    datatype = None if literal.datatype is None else str(literal.datatype)
    if datatype is None or datatype == XSD_STRING:
        return {"@value": text}
    if datatype == XSD_BOOLEAN and text in ("true", "false"):
        return {"@value": text == "true"}
    if datatype == XSD_INTEGER and _INTEGER.fullmatch(text) and len(text.lstrip("-")) <= 21:
        number = int(text)
        if abs(number) < 10**21:
            return {"@value": number}
    if datatype == XSD_DOUBLE:
        try:
            number_f = float(text)
        except ValueError:
            number_f = math.nan
        if (
            math.isfinite(number_f)
            and not (number_f.is_integer() and abs(number_f) < 1e21)
            and double_lexical(number_f) == text
        ):
            return {"@value": number_f}
    return {"@value": text, "@type": datatype}
