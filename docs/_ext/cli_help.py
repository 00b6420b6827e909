"""An MkDocs hook: the command line page shows the ``--help`` of the command being built.

A page line ``<!-- openactive-checkout --help -->`` becomes the help of the command and of
each of its sub-commands, as ``openactive-checkout [COMMAND] --help`` prints it, so the page
never goes stale. The package is imported from this checkout (not an installed copy).
"""

from __future__ import annotations

import argparse
import io
import os
import sys
from contextlib import redirect_stdout
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
MARKER = "<!-- openactive-checkout --help -->"
PROGRAM = "openactive-checkout"


def _help(argv: list[str]) -> str:
    """What ``openactive-checkout ARGV --help`` prints, at a fixed width."""
    from openactive_checkout.cli import run

    stdout, stderr = io.StringIO(), io.StringIO()
    with redirect_stdout(stdout):  # argparse prints help to sys.stdout
        code = run([*argv, "--help"], stdout, stderr)
    if code != 0:
        raise RuntimeError(f"{PROGRAM} {' '.join(argv)} --help exited {code}: {stderr.getvalue()}")
    return stdout.getvalue().rstrip()


def _commands() -> list[str]:
    """The sub-commands, in the order the parser lists them."""
    from openactive_checkout.cli import build_parser

    for action in build_parser()._actions:
        if isinstance(action, argparse._SubParsersAction):
            return list(action.choices)
    raise RuntimeError(f"{PROGRAM} has no sub-commands")


def help_markdown() -> str:
    """The help of the command and of each sub-command, as Markdown."""
    sections = [f"```text\n$ {PROGRAM} --help\n{_help([])}\n```"]
    for command in _commands():
        text = _help([command])
        sections.append(f"### `{command}`\n\n```text\n$ {PROGRAM} {command} --help\n{text}\n```")
    return "\n\n".join(sections)


def on_config(config: Any, **kwargs: Any) -> Any:
    """Document this checkout's package, whatever copy is installed."""
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    return config


def on_page_markdown(markdown: str, **kwargs: Any) -> str:
    """Put the help where the marker is."""
    if MARKER not in markdown:
        return markdown
    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = "80"  # argparse wraps at the terminal's width: the page's
    try:
        return markdown.replace(MARKER, help_markdown())
    finally:
        if saved is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = saved
