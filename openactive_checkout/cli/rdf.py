"""``openactive-checkout convert FILE... --to FORMAT`` and
``openactive-checkout query FILE... --sparql QUERY``.

Both read JSON-LD documents, RPDE pages (item by item) and NDJSON (line by line); ``-`` reads
standard input. ``convert`` writes each document's triples as soon as it is read, so a feed
of any size converts in constant memory (an RPDE page's text is held, its items are decoded
one at a time). ``query`` loads every document into one graph and runs a SPARQL query on it.
A document that cannot be read is reported on stderr and the rest go on: exit code 1; input
that cannot be read at all (a missing file, text that is not JSON): exit code 2.
"""

from __future__ import annotations

import argparse
import codecs
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO

from ..errors import DataError, OpenActiveCheckoutError
from ..jsonld import loads
from ..jsonld._base import JsonLdNode
from ..rdf._input import InputDocument, iter_documents
from ..rdf._names import CORE_PREFIXES, PREFIXES
from ._common import add_command, is_rpde_item

# rdflib, pyld and pyoxigraph load only when a command runs (the CLI starts fast).

OUTPUT_FORMATS = ("turtle", "nt", "nquads", "jsonld", "xml", "trig")


_FILE_HELP = "a JSON-LD document, RPDE page or NDJSON file (documents or RPDE items); - for stdin"


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``convert`` and ``query`` sub-commands."""
    convert = add_command(
        subparsers,
        "convert",
        common=common,
        summary="convert JSON-LD documents, RPDE pages or NDJSON to RDF",
        description="Write the RDF meaning of JSON-LD documents (RPDE pages item by item, "
        "NDJSON line by line, in constant memory) as Turtle, N-Triples, N-Quads, expanded "
        "JSON-LD, RDF/XML or TriG. Exit code: 0 success, 1 some documents could not be read "
        "(reported on stderr), 2 unreadable input.",
    )
    convert.add_argument("files", nargs="+", metavar="FILE", help=_FILE_HELP)
    convert.add_argument("--to", required=True, choices=OUTPUT_FORMATS, help="the RDF format")
    _backend_option(convert)
    convert.set_defaults(handler=handle_convert)

    query = add_command(
        subparsers,
        "query",
        common=common,
        summary="run a SPARQL query over JSON-LD documents, RPDE pages or NDJSON",
        description="Load every document into one graph and run a SPARQL query on it. The "
        "prefixes " + ", ".join(f"{p}:" for p in {**PREFIXES, **CORE_PREFIXES}) + " need no "
        "declaration (a query's own PREFIX declarations win). Exit code: 0 success, 1 some "
        "documents could not be read, 2 unreadable input or a bad query.",
    )
    query.add_argument("files", nargs="+", metavar="FILE", help=_FILE_HELP)
    query.add_argument(
        "--sparql", required=True, metavar="QUERY", help="the query, or @FILE to read it from FILE"
    )
    query.add_argument(
        "--format",
        choices=("table", "json"),
        default="table",
        help="a text table, or SPARQL 1.1 JSON results",
    )
    _backend_option(query)
    query.set_defaults(handler=handle_query)


def _backend_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--backend",
        choices=("rdflib", "oxigraph"),
        default="rdflib",
        help="rdflib, or Oxigraph (faster on large feeds; needs the oxigraph extra)",
    )


class _Reader:
    """The models of the input files, with problems reported as they are met."""

    def __init__(self, stderr: TextIO, *, quiet: bool = False) -> None:
        self.stderr = stderr
        self.quiet = quiet
        self.failed = 0
        self.unreadable = 0
        self.deleted = 0
        self.read = 0

    def models(self, files: list[str]) -> Iterator[tuple[InputDocument, JsonLdNode]]:
        for name in files:
            try:
                for found in iter_documents(name):
                    document, deleted = _unwrap_item(found)
                    if deleted:
                        self.deleted += 1
                        continue
                    try:
                        model = loads(_as_mapping(document.data))
                    except OpenActiveCheckoutError as exc:
                        self.report(document, exc)
                        continue
                    except RecursionError:  # a document only Python's stack limits: say so
                        self.report(document, DataError(TOO_DEEP))
                        continue
                    self.read += 1
                    yield document, model
            except DataError as exc:
                self.unreadable += 1
                print(f"openactive-checkout: {exc.reason}", file=self.stderr)

    def report(self, document: InputDocument, exc: OpenActiveCheckoutError) -> None:
        from ..rdf._extras import with_path

        self.failed += 1
        text = str(with_path(exc, *document.path)) if isinstance(exc, DataError) else str(exc)
        print(f"openactive-checkout: {document.where}: {text}", file=self.stderr)

    def exit_code(self) -> int:
        if (self.deleted or self.failed) and not self.quiet:
            print(
                f"openactive-checkout: {self.read} documents read, {self.failed} failed, "
                f"{self.deleted} deleted RPDE items skipped",
                file=self.stderr,
            )
        return 2 if self.unreadable else 1 if self.failed else 0


TOO_DEEP = "the document nests too deeply to be read"


def _unwrap_item(document: InputDocument) -> tuple[InputDocument, bool]:
    """The document, or its ``data`` when it is an RPDE item (an NDJSON line of items);
    and whether it is a deleted item (or a deleted RPDE item found in a page)."""
    item = document.data
    if item is None:
        return document, True
    if not is_rpde_item(item):
        return document, False
    if item["state"] == "deleted":
        return InputDocument(document.where, (*document.path, "data"), None), True
    return InputDocument(document.where, (*document.path, "data"), item.get("data")), False


def _as_mapping(data: Any) -> Any:
    if data is None:
        raise DataError("an updated RPDE item must have data")
    if not isinstance(data, dict):
        raise DataError("a JSON-LD document must be a JSON object")
    return data


# -- convert ---------------------------------------------------------------------------------


def handle_convert(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from ..rdf._build import GraphBuilder
    from ..rdf._export import FORMATS
    from ..rdf._stream import WRITERS, NTriplesTerms, ntriples
    from ..rdf._terms import RdflibTerms

    reader = _Reader(stderr, quiet=args.quiet)
    name = FORMATS[args.to]
    if args.backend == "oxigraph":
        try:
            _convert_oxigraph(reader, args.files, name, stdout)
        except ImportError as exc:
            print(f"openactive-checkout: {exc}", file=stderr)
            return 2
    elif name in ("nt", "nquads"):  # lines of text straight from the models
        builder_nt = GraphBuilder(NTriplesTerms())
        for document, model in reader.models(args.files):
            try:
                lines = ntriples(builder_nt.triples(model))
            except OpenActiveCheckoutError as exc:  # a DataError, or a ContextError
                reader.report(document, exc)
                continue
            except RecursionError:
                reader.report(document, DataError(TOO_DEEP))
                continue
            stdout.write(lines)
    else:
        writer = WRITERS[name](stdout)
        builder = GraphBuilder(RdflibTerms())
        writer.start()
        for document, model in reader.models(args.files):
            try:
                writer.write(builder.triples(model))  # written whole or not at all
            except OpenActiveCheckoutError as exc:  # a DataError, or a ContextError
                reader.report(document, exc)
            except RecursionError:
                reader.report(document, DataError(TOO_DEEP))
        writer.close()
    return reader.exit_code()


def _convert_oxigraph(reader: _Reader, files: list[str], name: str, stdout: TextIO) -> None:
    from ..rdf._build import GraphBuilder
    from ..rdf._export import OXIGRAPH_FORMATS
    from ..rdf._oxigraph import OxigraphTerms, pyoxigraph

    ox = pyoxigraph()
    rdf_format = getattr(ox.RdfFormat, OXIGRAPH_FORMATS[name])
    make = ox.Quad if rdf_format.supports_datasets else ox.Triple
    builder = GraphBuilder(OxigraphTerms())

    def statements() -> Iterator[Any]:
        for document, model in reader.models(files):
            try:
                triples = builder.triples(model)
            except OpenActiveCheckoutError as exc:  # a DataError, or a ContextError
                reader.report(document, exc)
                continue
            for s, p, o in triples:
                yield make(s, p, o)

    prefixes = {**CORE_PREFIXES, **PREFIXES} if name in ("turtle", "trig", "xml") else None
    ox.serialize(statements(), _TextSink(stdout), rdf_format, prefixes=prefixes)


class _TextSink:
    """A binary writer (for pyoxigraph) over a text stream."""

    def __init__(self, out: TextIO) -> None:
        self.out = out
        self.decoder = codecs.getincrementaldecoder("utf-8")()

    def write(self, data: bytes) -> int:
        self.out.write(self.decoder.decode(bytes(data)))
        return len(data)

    def flush(self) -> None:
        self.out.flush()


# -- query -----------------------------------------------------------------------------------


def handle_query(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    from ..rdf._build import GraphBuilder
    from ..rdf._graph import new_graph
    from ..rdf._query import dumps_json, run_query
    from ..rdf._terms import RdflibTerms

    sparql = _query_text(args.sparql)
    reader = _Reader(stderr, quiet=args.quiet)
    if args.backend == "oxigraph":
        try:
            source = _load_oxigraph(reader, args.files)
        except ImportError as exc:
            print(f"openactive-checkout: {exc}", file=stderr)
            return 2
    else:
        source = new_graph()
        builder = GraphBuilder(RdflibTerms())
        add = source.store.add
        for document, model in reader.models(args.files):
            try:
                triples = builder.triples(model)
            except OpenActiveCheckoutError as exc:  # a DataError, or a ContextError
                reader.report(document, exc)
                continue
            for triple in triples:
                add(triple, source, False)
    try:
        result = run_query(source, sparql)
    except DataError as exc:
        print(f"openactive-checkout: {exc.reason}", file=stderr)
        return 2
    if args.format == "json":
        text = dumps_json(result)
    else:
        text = result.to_table()
        if args.quiet and result.kind != "ask":
            text = text.rsplit("\n", 1)[0]  # the table without its "(N rows)" summary
    print(text, file=stdout)
    return reader.exit_code()


def _load_oxigraph(reader: _Reader, files: list[str]) -> Any:
    from ..rdf._build import GraphBuilder
    from ..rdf._oxigraph import BATCH_TEXT, load_ntriples, pyoxigraph
    from ..rdf._stream import NTriplesTerms, ntriples

    store = pyoxigraph().Store()
    builder = GraphBuilder(NTriplesTerms())
    documents: list[InputDocument] = []
    batch: list[tuple[int, str]] = []
    size = 0

    def flush() -> None:
        load_ntriples(store, batch, on_error=lambda i, exc: reader.report(documents[i], exc))
        documents.clear()
        batch.clear()

    for document, model in reader.models(files):
        try:
            text = ntriples(builder.triples(model))
        except DataError as exc:
            reader.report(document, exc)
            continue
        batch.append((len(documents), text))
        documents.append(document)
        size += len(text)
        if size >= BATCH_TEXT:
            flush()
            size = 0
    flush()
    return store


def _query_text(value: str) -> str:
    if not value.startswith("@"):
        return value
    try:
        return Path(value[1:]).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        reason = exc.strerror if isinstance(exc, OSError) else "not UTF-8 text"
        raise DataError(f"cannot read the query file {value[1:]}: {reason}") from None
