"""pyld's toRdf as a source of triples: the fallback for extension properties the builder does
not interpret itself, and the reference the tests compare graphs with.

pyld's dataset is turned into terms exactly as rdflib's N-Quads parser would read pyld's
N-Quads output (``xsd:string`` literals plain, other literals in rdflib's normal form).
"""

from __future__ import annotations

from typing import Any, TypeVar

from ..errors import DataError, OpenActiveCheckoutError
from ._names import RDF_LANGSTRING, XSD_STRING
from ._terms import TermFactory, Triple, checked_iri, normal_lexical

T = TypeVar("T")


def pyld_dataset(document: Any) -> dict[str, list[dict[str, Any]]]:
    """pyld's ``to_rdf`` of a JSON-LD document, with the bundled contexts only."""
    from pyld import jsonld

    from ..jsonld._context import document_loader
    from ..jsonld._expanded import translate_pyld_error

    try:
        dataset: dict[str, list[dict[str, Any]]] = jsonld.to_rdf(
            document, {"documentLoader": document_loader()}
        )
    except jsonld.JsonLdError as exc:
        raise translate_pyld_error(exc) from None
    except OpenActiveCheckoutError:
        raise  # from our document loader
    except Exception as exc:  # pyld's own failures on hostile input
        raise _pyld_failure(exc) from None
    return dataset


def _pyld_failure(exc: Exception) -> DataError:
    """Our error for what pyld raises, besides its JsonLdError, on input it cannot handle:
    RecursionError (deep nesting), OverflowError (an integer beyond a double), TypeError and
    the like (an invalid context pyld does not check, such as ``{"t": {"@id": []}}``)."""
    if isinstance(exc, RecursionError):
        return DataError("the document nests too deeply to be turned into RDF")
    if isinstance(exc, OverflowError):
        return DataError("a number in the document is too large for an xsd:double")
    return DataError(f"pyld cannot turn this JSON-LD into RDF ({type(exc).__name__}: {exc})")


def pyld_expand(document: Any) -> Any:
    """pyld's expansion of a JSON-LD document, with the bundled contexts only."""
    from pyld import jsonld

    from ..jsonld._context import document_loader
    from ..jsonld._expanded import translate_pyld_error

    try:
        return jsonld.expand(document, {"documentLoader": document_loader()})
    except jsonld.JsonLdError as exc:
        raise translate_pyld_error(exc) from None
    except OpenActiveCheckoutError:
        raise  # from our document loader
    except Exception as exc:  # pyld's own failures on hostile input
        raise _pyld_failure(exc) from None


def dataset_triples(
    dataset: dict[str, list[dict[str, Any]]],
    factory: TermFactory[T],
    named: dict[str, T] | None = None,
) -> list[Triple[T]]:
    """The default graph of a pyld dataset as triples of ``factory``'s terms.

    ``named`` maps IRIs to terms to use instead (a placeholder subject), and collects the
    blank nodes made for pyld's labels. A dataset with named graphs is a DataError.
    """
    graphs = [name for name, triples in dataset.items() if name != "@default" and triples]
    if graphs:
        raise DataError(f"named graphs ({', '.join(sorted(graphs))}) cannot be held in a graph")
    nodes: dict[str, T] = {} if named is None else named
    out: list[Triple[T]] = []
    for triple in dataset.get("@default", ()):
        out.append((
            _term(triple["subject"], factory, nodes),
            _term(triple["predicate"], factory, nodes),
            _term(triple["object"], factory, nodes),
        ))  # fmt: skip
    return out


def _term(item: dict[str, Any], factory: TermFactory[T], nodes: dict[str, T]) -> T:
    kind, value = item["type"], item["value"]
    if kind == "literal":
        datatype = item.get("datatype") or XSD_STRING
        if datatype == XSD_STRING:
            return factory.plain(value)
        if datatype == RDF_LANGSTRING:
            return factory.lang(value, item["language"])
        return factory.typed(normal_lexical(value, checked_iri(datatype)), datatype)
    term = nodes.get(value)
    if term is None:
        if kind == "blank node":
            term = nodes[value] = factory.blank()
        else:
            term = nodes[value] = factory.resource(checked_iri(value))
    return term
