"""The convert and query commands as a new user runs them."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import Any

import pytest

import openactive_checkout as oc
from openactive_checkout.cli import run
from openactive_checkout.graph import to_graph, to_oxigraph
from openactive_checkout.rdf._input import documents_in_text
from tests.conftest import EXAMPLES, seed_json
from tests.jsonld.graphs import isomorphic
from tests.rdf.test_rdf_export import RDFLIB_PARSERS, parse_back

FEED = EXAMPLES / "feed-scheduled-sessions.json"
RESPONSE = EXAMPLES / "checkout-session-response.json"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def _feed_models() -> list[oc.JsonLdNode]:
    page = json.loads(FEED.read_text(encoding="utf-8"))
    return [oc.loads(item["data"]) for item in page["items"] if item.get("data")]


@pytest.mark.parametrize("name", list(RDFLIB_PARSERS))
def test_convert_an_rpde_page_to_every_format(name: str) -> None:
    code, out, err = cli("convert", str(FEED), "--to", name)
    assert code == 0
    assert "2 deleted RPDE items skipped" in err
    assert isomorphic(parse_back(out, name), to_graph(_feed_models()))


def test_convert_several_files_and_a_document() -> None:
    code, out, _ = cli("convert", str(RESPONSE), str(FEED), "--to", "nt")
    assert code == 0
    expected = to_graph([oc.loads(seed_json("response")), *_feed_models()])
    assert isomorphic(parse_back(out, "nt"), expected)


def test_convert_ndjson_from_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    lines = [json.dumps(item["data"]) for item in json.loads(FEED.read_text())["items"]
             if item.get("data")]  # fmt: skip
    text = "\n".join(lines) + "\n\n"
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(text.encode())))
    code, out, err = cli("convert", "-", "--to", "turtle")
    assert (code, err) == (0, "")
    assert isomorphic(parse_back(out, "turtle"), to_graph(_feed_models()))


def test_a_bad_document_is_reported_and_the_rest_converted(tmp_path: Path) -> None:
    page = json.loads(FEED.read_text(encoding="utf-8"))
    page["items"][1]["data"]["startDate"] = "tomorrow"
    path = tmp_path / "page.json"
    path.write_text(json.dumps(page, indent=2), encoding="utf-8")
    code, out, err = cli("convert", str(path), "--to", "nt")
    assert code == 1
    assert f"{path}: $.items[1].data.startDate:" in err
    assert "3 documents read, 1 failed" in err
    assert len(parse_back(out, "nt")) == len(to_graph(_feed_models()[1:]))


def test_ndjson_errors_name_the_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.ndjson"
    good = json.dumps(seed_json("error"))
    path.write_text(f'{good}\n{{"@type": "Event", "@id": "not an iri"}}\n{good}\n')
    code, out, err = cli("convert", str(path), "--to", "nt")
    assert code == 1
    assert f'{path} line 2: $["@id"]' in err
    assert len(parse_back(out, "nt")) == 4


def test_unreadable_input_is_exit_code_2(tmp_path: Path) -> None:
    code, _, err = cli("convert", str(tmp_path / "missing.json"), str(RESPONSE), "--to", "nt")
    assert code == 2
    assert "cannot read" in err
    broken = tmp_path / "broken.json"
    broken.write_text('{"items": [\n  {"state": "updated", "data": {}},\n  {oops}\n]}')
    code, _, err = cli("convert", str(broken), "--to", "nt")
    assert code == 2
    assert "malformed JSON at line 3" in err


def test_an_unknown_format_is_a_usage_error() -> None:
    assert cli("convert", str(RESPONSE), "--to", "yaml")[0] == 2


def test_rpde_items_are_decoded_one_at_a_time() -> None:
    page = json.loads(FEED.read_text(encoding="utf-8"))
    text = json.dumps(page, indent=2)
    cut = text.rindex('"state"')  # break the JSON inside the last item
    documents = documents_in_text(text[:cut] + "BROKEN" + text[cut:], "page")
    first = next(documents)  # handed on before the rest of the page is decoded
    assert first.path == ("items", 0, "data")
    assert first.data is None
    assert next(documents).data["@type"] == "ScheduledSession"
    with pytest.raises(oc.DataError, match="malformed JSON"):
        list(documents)


def test_pages_json_arrays_and_single_documents_are_told_apart() -> None:
    empty_page = '{"next": "https://e.com/next", "items": []}'
    assert list(documents_in_text(empty_page, "x")) == []
    document = {"@context": "https://openactive.io/", "@type": "Event", "items": [{"state": 1}]}
    [found] = documents_in_text(json.dumps(document), "x")
    assert found.data == document
    many = list(documents_in_text(json.dumps([seed_json("error"), seed_json("request")]), "x"))
    assert [d.path for d in many] == [(0,), (1,)]


def test_query_as_a_table_and_as_json(tmp_path: Path) -> None:
    sparql = "SELECT ?s ?start WHERE { ?s schema:startDate ?start } ORDER BY ?start"
    code, out, _ = cli("query", str(FEED), "--sparql", sparql)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["s", "start"]
    assert lines[-1] == "(4 rows)"
    assert '"2024-11-18T18:00:00Z"' in lines[2]
    code, quiet, _ = cli("query", str(FEED), "--sparql", sparql, "--quiet")
    assert quiet.splitlines() == lines[:-1]  # the table without its summary line
    query_file = tmp_path / "q.rq"
    query_file.write_text(sparql, encoding="utf-8")
    code, out, _ = cli("query", str(FEED), str(RESPONSE), "--sparql", f"@{query_file}",
                       "--format", "json")  # fmt: skip
    assert code == 0
    results: dict[str, Any] = json.loads(out)
    assert results["head"]["vars"] == ["s", "start"]
    assert len(results["results"]["bindings"]) == 4


def test_query_errors() -> None:
    code, _, err = cli("query", str(FEED), "--sparql", "SELECT WHERE {")
    assert code == 2
    assert "SPARQL query failed" in err
    code, _, err = cli("query", str(FEED), "--sparql", "@/nonexistent/q.rq")
    assert code == 2
    assert "cannot read the query file" in err


def test_help_lists_the_commands() -> None:
    code, out, _ = cli("--help")  # argparse prints the help, to run()'s stdout
    assert code == 0
    assert "convert" in out
    assert "query" in out


def test_the_oxigraph_backend_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pyoxigraph", None)  # as if the extra were not installed
    for command in (["convert", str(RESPONSE), "--to", "nt"],
                    ["query", str(RESPONSE), "--sparql", "ASK {}"]):  # fmt: skip
        code, _, err = cli(*command, "--backend", "oxigraph")
        assert code == 2
        assert "pip install 'openactive-checkout[oxigraph]'" in err
    with pytest.raises(ImportError, match=r"openactive-checkout\[oxigraph\]"):
        to_oxigraph(oc.loads(seed_json("error")))


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_a_syntax_error_names_the_line_of_the_users_query(backend: str) -> None:
    if backend == "oxigraph":
        pytest.importorskip("pyoxigraph")
    sparql = 'SELECT ?s\nWHERE {\n  ?s schema:startDate "unterminated }\n'  # line 3 is wrong
    code, out, err = cli("query", str(RESPONSE), "--sparql", sparql, "--backend", backend)
    assert (code, out) == (2, "")
    assert re.search(r"line:3\b|error at 3:", err), err  # rdflib's wording, then Oxigraph's


@pytest.mark.parametrize("backend", ["rdflib", "oxigraph"])
def test_the_usual_prefixes_need_no_declaration_and_a_querys_own_win(backend: str) -> None:
    if backend == "oxigraph":
        pytest.importorskip("pyoxigraph")
    count = "SELECT (COUNT(?s) AS ?n) WHERE { ?s schema:startDate ?start }"
    code, out, _ = cli(
        "query", str(FEED), "--sparql", count, "--backend", backend, "--format", "json"
    )
    assert code == 0
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "4"
    own = "PREFIX schema: <http://example.com/not-schema#>\n" + count
    code, out, _ = cli(
        "query", str(FEED), "--sparql", own, "--backend", backend, "--format", "json"
    )
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "0"


def test_convert_ndjson_of_rpde_items(tmp_path: Path) -> None:
    page = json.loads(FEED.read_text(encoding="utf-8"))
    items = [{"data": None, **item} for item in page["items"]]  # as dumped: deleted data null
    path = tmp_path / "items.ndjson"
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    code, out, err = cli("convert", str(path), "--to", "nt")
    assert code == 0
    assert "2 deleted RPDE items skipped" in err
    assert isomorphic(parse_back(out, "nt"), to_graph(_feed_models()))
    # --quiet: no summary; --output: the triples go to the file
    target = tmp_path / "feed.nt"
    code, out, err = cli("convert", str(path), "--to", "nt", "--quiet", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert isomorphic(
        parse_back(target.read_text(encoding="utf-8"), "nt"), to_graph(_feed_models())
    )


def test_an_updated_item_without_data_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "items.ndjson"
    item = {"state": "updated", "kind": "ScheduledSession", "id": "1", "modified": 1, "data": None}
    path.write_text(json.dumps(item) + "\n" + json.dumps(item) + "\n", encoding="utf-8")
    code, _, err = cli("convert", str(path), "--to", "nt", "--quiet")
    assert code == 1
    assert f"{path} line 2: $.data: an updated RPDE item must have data" in err
    assert "documents read" not in err  # quiet: no summary
