"""The command line on hostile input: our message and exit code 2 (or 1 for one bad document
among others), never a traceback; lone surrogates written as escapes."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from rdflib import Graph, Literal

from openactive_checkout.cli import run

EVENT = {"@context": "https://openactive.io/", "@type": "Event", "@id": "https://ex.org/e"}
SURROGATE = '{"@context":"https://openactive.io/","@type":"Event","@id":"https://ex.org/e","name":"a\\ud800b"}'


def _run(*argv: str) -> tuple[int, str, str]:
    """Run the CLI with strict UTF-8 streams (as standard output is)."""
    out = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8")
    code = run(list(argv), out, err)
    out.flush()
    err.flush()
    return code, out.buffer.getvalue().decode(), err.buffer.getvalue().decode()  # type: ignore[attr-defined]


@pytest.fixture
def surrogate(tmp_path: Path) -> str:
    path = tmp_path / "surrogate.json"
    path.write_text(SURROGATE)
    return str(path)


def test_show_writes_a_lone_surrogate_as_its_json_escape(surrogate: str) -> None:
    code, out, _ = _run("show", surrogate, "--compact")
    assert code == 0
    assert json.loads(out)["name"] == "a\ud800b"


@pytest.mark.parametrize("to", ["nt", "turtle"])
def test_convert_writes_a_lone_surrogate_as_an_escape_that_reads_back(
    surrogate: str, to: str
) -> None:
    code, out, _ = _run("convert", surrogate, "--to", to)
    assert code == 0
    graph = Graph().parse(data=out, format=to)
    assert Literal("a\ud800b") in set(graph.objects())


def test_convert_to_rdf_xml_refuses_a_lone_surrogate_and_goes_on(
    surrogate: str, tmp_path: Path
) -> None:
    other = tmp_path / "other.json"
    other.write_text(json.dumps(EVENT))
    code, out, err = _run("convert", surrogate, str(other), "--to", "xml")
    assert code == 1
    assert "XML cannot hold" in err
    assert "https://ex.org/e" in out  # the other document is written


def test_query_results_hold_the_escape(surrogate: str) -> None:
    sparql = "SELECT ?n WHERE { ?s schema:name ?n }"
    code, out, _ = _run("query", surrogate, "--sparql", sparql, "--format", "json")
    assert code == 0
    assert json.loads(out)["results"]["bindings"][0]["n"]["value"] == "a\ud800b"


def test_the_real_standard_output_takes_a_lone_surrogate(surrogate: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "openactive_checkout", "show", surrogate, "--compact"],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert b"a\\ud800b" in done.stdout


@pytest.mark.parametrize("command", ["convert", "query"])
def test_a_context_error_in_one_document_does_not_stop_the_others(
    tmp_path: Path, command: str
) -> None:
    lines = [
        {**EVENT, "https://ex.org/q": {"@context": "https://remote.example/ctx", "x": 1}},
        {**EVENT, "@id": "https://ex.org/kept"},
    ]
    path = tmp_path / "in.ndjson"
    path.write_text("\n".join(json.dumps(line) for line in lines) + "\n")
    extra = (
        ["--to", "nt"] if command == "convert" else ["--sparql", "SELECT ?s { ?s a schema:Event }"]
    )
    code, out, err = _run(command, str(path), *extra)
    assert code == 1
    assert "line 1" in err
    assert "remote.example" in err
    assert "https://ex.org/kept" in out


HOSTILE_TEXTS = {
    "deep-array": "[" * 5000 + "]" * 5000,
    "deep-object": '{"a":' * 5000 + "1" + "}" * 5000,
    "long-integer": '{"@context":"https://openactive.io/","@type":"Event","name":'
    + "9" * 4301
    + "}",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
@pytest.mark.parametrize(
    "command",
    [["show"], ["convert", "--to", "nt"], ["query", "--sparql", "ASK {}"], ["validate"]],
    ids=lambda c: c[0],
)
def test_unreadable_json_is_our_message_and_exit_code_2(
    tmp_path: Path, name: str, command: list[str]
) -> None:
    path = tmp_path / "in.json"
    path.write_text(HOSTILE_TEXTS[name])
    code, _, err = _run(command[0], str(path), *command[1:])
    if name == "long-integer" and command[0] == "validate":
        assert code == 1  # read as JSON.parse reads it: a document with findings
    else:
        assert code == 2
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("openactive-checkout:")


def test_ndjson_lines_nested_too_deeply_are_reported_and_the_rest_converted(tmp_path: Path) -> None:
    path = tmp_path / "in.ndjson"
    path.write_text(json.dumps(EVENT) + "\n" + "[" * 5000 + "]" * 5000 + "\n")
    code, out, err = _run("convert", str(path), "--to", "nt")
    assert code == 2
    assert "nests too deeply" in err
    assert "https://ex.org/e" in out


@pytest.mark.parametrize(
    "command", [["convert", "--to", "nt"], ["query", "--sparql", "ASK {}"]], ids=lambda c: c[0]
)
def test_oxigraph_refuses_a_lone_surrogate_per_document(
    surrogate: str, tmp_path: Path, command: list[str]
) -> None:
    pytest.importorskip("pyoxigraph")
    other = tmp_path / "other.json"
    other.write_text(json.dumps(EVENT))
    code, _, err = _run(command[0], surrogate, str(other), *command[1:], "--backend", "oxigraph")
    assert code == 1
    assert "surrogate" in err or "not a valid unicode" in err
