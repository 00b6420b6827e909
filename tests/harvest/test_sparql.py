"""The SPARQL sink against a real Oxigraph server (started by tests/harvest/conftest.py):
after any harvest, the store holds exactly the feeds' graph, one named graph per item."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pyoxigraph
import pytest
from rdflib import Graph
from rdflib.compare import isomorphic

from openactive_checkout import loads, to_graph
from openactive_checkout.harvest import HarvestItem, SparqlSink, harvest, item_graph
from tests.harvest.conftest import Oxigraph
from tests.harvest.synthetic import SyntheticFeeds

pytestmark = pytest.mark.network


def store_graphs(server: Oxigraph) -> dict[str, Any]:
    response = httpx.get(server.url + "/store", headers={"Accept": "application/n-quads"})
    response.raise_for_status()
    lines: dict[str, list[str]] = {}
    for quad in pyoxigraph.parse(response.content, format=pyoxigraph.RdfFormat.N_QUADS):
        assert isinstance(quad.graph_name, pyoxigraph.NamedNode)  # nothing in the default graph
        lines.setdefault(quad.graph_name.value, []).append(
            f"{quad.subject} {quad.predicate} {quad.object} .\n"
        )
    return {name: Graph().parse(data="".join(text), format="nt") for name, text in lines.items()}


def assert_store_is_the_feeds(server: Oxigraph, feeds: SyntheticFeeds) -> int:
    found = store_graphs(server)
    expected: dict[str, Any] = {}
    for url, items in feeds.expected().items():
        for (kind, item_id), item in items.items():
            if item["state"] == "updated":
                key = HarvestItem("updated", kind, item_id, item["modified"])
                expected[item_graph(url, key)] = to_graph(loads(item["data"]))
    assert set(found) == set(expected)
    for name, graph in expected.items():
        assert isomorphic(found[name], graph), name
    return sum(len(g) for g in found.values())


def test_the_store_holds_exactly_the_feeds_graph_after_changes(
    oxigraph_server: Oxigraph, tmp_path: Path
) -> None:
    oxigraph_server.clear()
    feeds = SyntheticFeeds(2, 40, page_size=10)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    state = f"sqlite:///{tmp_path / 'h.db'}"
    sink = SparqlSink(oxigraph_server.update_url)
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    triples = assert_store_is_the_feeds(oxigraph_server, feeds)
    assert triples == 80 * 21  # 21 triples per session
    feeds.change(0.05, 0.05)
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    assert_store_is_the_feeds(oxigraph_server, feeds)


def test_the_graph_store_protocol_gives_the_same_store(
    oxigraph_server: Oxigraph, tmp_path: Path
) -> None:
    oxigraph_server.clear()
    feeds = SyntheticFeeds(1, 20, page_size=10)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    state = f"sqlite:///{tmp_path / 'h.db'}"
    sink = SparqlSink(oxigraph_server.update_url, protocol="graph-store")
    assert sink.graph_store_url == oxigraph_server.url + "/store"
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    feeds.change(0.1, 0.1)
    assert harvest(feeds.urls, state=state, sinks=[sink], transport=transport).ok
    assert_store_is_the_feeds(oxigraph_server, feeds)


def test_a_store_error_fails_the_feed_and_commits_nothing(
    oxigraph_server: Oxigraph, tmp_path: Path
) -> None:
    feeds = SyntheticFeeds(1, 10, page_size=10)
    transport = httpx.ASGITransport(app=feeds)  # type: ignore[arg-type]
    sink = SparqlSink(oxigraph_server.url + "/no-such-endpoint")
    result = harvest(feeds.urls, state=f"sqlite:///{tmp_path / 'h.db'}", sinks=[sink],
                     transport=transport)  # fmt: skip
    assert result.feeds[0].error is not None
    assert "SPARQL store answered" in result.feeds[0].error
    assert result.feeds[0].pages == 0
