"""``openactive-checkout show``: the README's first command."""

from __future__ import annotations

import argparse
import importlib.metadata
import io
import json
import subprocess
import sys
from pathlib import Path

from openactive_checkout.cli import build_parser, run
from tests.conftest import EXAMPLES, seed_json


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = run(list(argv), out, err)
    return code, out.getvalue(), err.getvalue()


def test_show_prints_the_checkout_url_and_the_normalised_document() -> None:
    code, out, err = _run("show", str(EXAMPLES / "checkout-session-response.json"))
    assert code == 0, err
    first, rest = out.split("\n", 1)
    assert first == "checkout URL: https://checkout.example.com/opendata/BQokikJOvBiI2H"
    assert json.loads(rest) == seed_json("response")


def test_show_an_error_document_exits_1() -> None:
    code, out, _ = _run("show", str(EXAMPLES / "unavailable-opportunity-error.json"), "--compact")
    assert code == 1
    assert out.splitlines()[0] == "unavailable: This opportunity is not available to book."
    assert json.loads(out.splitlines()[1]) == seed_json("error")


def test_unreadable_input_exits_2_with_our_message() -> None:
    code, _, err = _run("show", "/nonexistent/file.json")
    assert code == 2
    assert "cannot read /nonexistent/file.json" in err
    code, _, err = _run("show", str(EXAMPLES / "checkout-session-response.json"), "--bogus")
    assert code == 2


def test_the_console_script_runs_on_the_bundled_example() -> None:
    result = subprocess.run(
        [sys.executable, "-c", "from openactive_checkout.cli import main; main()",
         "show", str(EXAMPLES / "checkout-session-response.json")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "checkout URL: https://checkout.example.com/opendata/BQokikJOvBiI2H" in result.stdout


def test_a_closed_pipe_ends_quietly(tmp_path: Path) -> None:
    big = seed_json("response")
    big["@context"].append({"ext": "https://example.com/ns#"})
    big.update({f"ext:p{i}": "x" * 100 for i in range(5000)})  # ~600 KB: more than a pipe holds
    source = tmp_path / "big.json"
    source.write_text(json.dumps(big))
    command = (
        f"{sys.executable} -c 'from openactive_checkout.cli import main; main()' "
        f"show {source} | head -c 10"
    )
    result = subprocess.run(command, shell=True, capture_output=True, text=True, check=False)
    assert result.stdout == "checkout U"
    assert "Traceback" not in result.stderr
    assert "BrokenPipe" not in result.stderr


# -- what every command has: --version, --output, --quiet, help for every option ------------

COMMANDS = {
    "show": [str(EXAMPLES / "checkout-session-response.json")],
    "validate": [str(EXAMPLES / "checkout-session-request.json"), "--mode", "C1Request"],
    "convert": [str(EXAMPLES / "checkout-session-response.json"), "--to", "nt"],
    "query": [str(EXAMPLES / "checkout-session-response.json"), "--sparql", "ASK {}"],
    "mock-server": [],
    "activity": ["yoga"],
    "harvest": ["http://127.0.0.1:9/feed"],
}


def _subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (subparsers,) = (a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(subparsers.choices)


def test_the_version_comes_from_the_package_metadata() -> None:
    expected = f"openactive-checkout {importlib.metadata.version('openactive-checkout')}\n"
    assert _run("--version") == (0, expected, "")
    for command in COMMANDS:
        assert _run(command, "--version") == (0, expected, ""), command


def test_every_command_has_the_shared_options_and_help_for_every_option() -> None:
    commands = _subcommands()
    assert set(commands) == set(COMMANDS)
    for name, parser in commands.items():
        options = {o for action in parser._actions for o in action.option_strings}
        assert {"--output", "--quiet", "--version", "--help"} <= options, name
        for action in parser._actions:
            assert action.help, (name, action.dest)
        text = " ".join(parser.format_help().split())
        for action in parser._actions:
            takes_a_value = action.option_strings and action.nargs != 0
            if takes_a_value and action.default not in (None, argparse.SUPPRESS):
                assert f"(default: {action.default})" in text, (name, action.dest)
        assert "(default: True)" not in text  # flags take no value: no default shown
    assert "(default: RPDEFeed)" in " ".join(commands["validate"].format_help().split())


def test_output_writes_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "out.json"
    source = str(EXAMPLES / "checkout-session-response.json")
    code, out, err = _run("show", source, "--quiet", "--output", str(target))
    assert (code, out, err) == (0, "", "")
    assert json.loads(target.read_text(encoding="utf-8")) == seed_json("response")
    code, _, err = _run("show", source, "--output", str(tmp_path / "no" / "such" / "dir.json"))
    assert code == 2
    assert "cannot write" in err


def test_output_never_overwrites_an_input(tmp_path: Path) -> None:
    source = tmp_path / "doc.json"
    source.write_text(json.dumps(seed_json("response")), encoding="utf-8")
    code, _, err = _run("show", str(source), "-o", str(source))
    assert code == 2
    assert "would overwrite an input" in err
    assert json.loads(source.read_text(encoding="utf-8")) == seed_json("response")


def test_quiet_show_prints_only_the_document() -> None:
    code, out, _ = _run("show", str(EXAMPLES / "unavailable-opportunity-error.json"), "-q")
    assert code == 1  # the exit code still says it is an error
    assert json.loads(out) == seed_json("error")
