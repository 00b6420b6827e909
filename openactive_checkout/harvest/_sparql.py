"""The SPARQL 1.1 triple store sink: one named graph per item, over HTTP (httpx).

Each item lives in its own named graph, ``<FEED_URL>#<kind>/<id>`` (the id percent-encoded),
holding exactly the triples of its current version: an update replaces the graph, a deletion
drops it, so blank nodes never pile up and the store always holds the feed's graph. Each
page is one SPARQL 1.1 Update request (``DROP SILENT GRAPH`` for every item of the page,
then one ``INSERT DATA`` with a ``GRAPH`` block per updated item); with
``protocol="graph-store"`` each item is a Graph Store Protocol ``PUT`` (or ``DELETE``) on the
store's graph endpoint instead. Works with Oxigraph server, Apache Jena Fuseki and GraphDB.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal
from urllib.parse import quote

import httpx

from ..errors import CheckoutHTTPError, DataError, TransportError
from ..http._transport import check_base_url
from ..jsonld import loads
from ..rdf._build import GraphBuilder
from ..rdf._stream import NTriplesTerms, iri_ref, ntriples
from ._read import HarvestItem
from ._sinks import Sink

Protocol = Literal["update", "graph-store"]


def item_graph(feed: str, item: HarvestItem) -> str:
    """The IRI of the named graph that holds one item."""
    return f"{feed.split('#', 1)[0]}#{quote(item.kind, safe='')}/{quote(str(item.id), safe='')}"


def graph_store_url(update_url: str) -> str:
    """The Graph Store Protocol endpoint next to a SPARQL Update endpoint.

    Oxigraph serves ``/update`` and ``/store``, Fuseki ``/DATASET/update`` and
    ``/DATASET/data``; other stores need the endpoint given.
    """
    if update_url.endswith("/update"):
        base = update_url.removesuffix("/update")
        return base + ("/store" if base.count("/") <= 2 else "/data")
    raise DataError(
        f"cannot derive a Graph Store endpoint from {update_url!r}: give graph_store_url"
    )


class SparqlSink(Sink):
    """Items into a SPARQL 1.1 store, one named graph each (see the module docstring).

    ``update_url`` is the store's SPARQL 1.1 Update endpoint (Oxigraph:
    ``http://127.0.0.1:7878/update``); ``graph_store_url`` its Graph Store Protocol endpoint
    (derived from ``update_url`` when not given, used with ``protocol="graph-store"``).
    ``headers`` are sent with every request (authentication, say); ``client`` is an
    ``httpx.AsyncClient`` to send them with (not closed), by default one of the sink's own.
    """

    def __init__(
        self,
        update_url: str,
        *,
        protocol: Protocol = "update",
        graph_store_url: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 60.0,
        client: httpx.AsyncClient | None = None,
    ) -> None:
        check_base_url(update_url, "the SPARQL Update URL")
        if protocol not in ("update", "graph-store"):
            raise DataError(f"protocol must be 'update' or 'graph-store', not {protocol!r}")
        self.update_url = update_url
        self.protocol = protocol
        self.graph_store_url = graph_store_url
        if protocol == "graph-store" and graph_store_url is None:
            self.graph_store_url = _derive(update_url)
        self.headers = dict(headers or {})
        self.timeout = timeout
        self._given = client
        self._client: httpx.AsyncClient | None = client
        self._builder = GraphBuilder(NTriplesTerms())

    async def open(self) -> None:
        if self._client is None:
            self._client = httpx.AsyncClient(timeout=self.timeout)

    async def close(self) -> None:
        if self._client is not None and self._given is None:
            await self._client.aclose()
            self._client = None

    def _triples(self, item: HarvestItem) -> str | None:
        if item.state == "deleted" or item.data is None or not item.readable:
            return None
        model = item.model if item.model is not None else loads(item.data)
        return ntriples(self._builder.triples(model))

    def update_text(self, feed: str, items: Sequence[HarvestItem]) -> str:
        """The SPARQL Update request that writes one page's items."""
        drops = [f"DROP SILENT GRAPH {iri_ref(item_graph(feed, item))}" for item in items]
        blocks = []
        for item in items:
            text = self._triples(item)
            if text:
                blocks.append(f"GRAPH {iri_ref(item_graph(feed, item))} {{\n{text}}}")
        operations = drops + ([f"INSERT DATA {{\n{chr(10).join(blocks)}\n}}"] if blocks else [])
        return " ;\n".join(operations)

    async def write(self, feed: str, page_url: str, items: Sequence[HarvestItem]) -> None:
        if not items:
            return
        client = self._client
        if client is None:
            raise RuntimeError("the sink is not open")
        if self.protocol == "update":
            await self._send(
                client, "POST", self.update_url, self.update_text(feed, items).encode("utf-8"),
                {"Content-Type": "application/sparql-update"},
            )  # fmt: skip
            return
        assert self.graph_store_url is not None
        for item in items:
            target = f"{self.graph_store_url}?graph={quote(item_graph(feed, item), safe='')}"
            text = self._triples(item)
            if text is None:
                await self._send(client, "DELETE", target, None, {}, missing_ok=True)
            else:
                await self._send(client, "PUT", target, text.encode("utf-8"),
                                 {"Content-Type": "application/n-triples"})  # fmt: skip

    async def _send(
        self,
        client: httpx.AsyncClient,
        method: str,
        url: str,
        body: bytes | None,
        headers: dict[str, str],
        *,
        missing_ok: bool = False,
    ) -> None:
        try:
            response = await client.request(
                method, url, content=body, headers={**self.headers, **headers},
                timeout=self.timeout,
            )  # fmt: skip
        except httpx.HTTPError as exc:
            raise TransportError(f"{method} {url} failed: {exc}", url=url) from None
        if response.is_success or (missing_ok and response.status_code == 404):
            return
        raise CheckoutHTTPError(
            f"the SPARQL store answered {method} {url} with {response.status_code}: "
            f"{response.text[:500]}",
            status_code=response.status_code,
            body=response.text,
        )


def _derive(update_url: str) -> str:
    return graph_store_url(update_url)
