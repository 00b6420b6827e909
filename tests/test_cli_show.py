"""``openactive-checkout show``: the README's first command."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

from openactive_checkout.cli import run
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
