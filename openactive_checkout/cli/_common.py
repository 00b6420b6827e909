"""What every command shares: ``--output``, ``--quiet`` and ``--version``, help that shows
the defaults, and telling an RPDE item from a document.

The shared options live in one parent parser (:func:`common_options`) that every command's
parser inherits; :func:`add_command` makes a command's parser with it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from .._version import installed_version

PROGRAM = "openactive-checkout"


_JSON_LD_KEYS = frozenset({"@type", "type", "@context"})


def is_rpde_item(value: Any) -> bool:
    """Whether a JSON value is an RPDE item (``{"state", "kind", "id", "modified", "data"}``,
    as ``iter_items`` yields them, dumped), not a JSON-LD document."""
    return (
        isinstance(value, dict)
        and "state" in value
        and ("data" in value or "kind" in value)
        and not _JSON_LD_KEYS & value.keys()
    )


class VersionAction(argparse.Action):
    """``--version``: print ``openactive-checkout <version>`` and exit 0.

    The version is looked up only when asked for (package metadata is slow to load).
    """

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        kwargs.setdefault("help", "print the program's version and exit")
        super().__init__(
            option_strings, dest=argparse.SUPPRESS, default=argparse.SUPPRESS, nargs=0, **kwargs
        )

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        print(f"{PROGRAM} {installed_version()}", file=sys.stdout)
        parser.exit()


class HelpFormatter(argparse.ArgumentDefaultsHelpFormatter):
    """Help that shows each option's default, when it has one worth showing (not for flags,
    which take no value, nor options that are unset unless given)."""

    def _get_help_string(self, action: argparse.Action) -> str | None:
        # The one hook ArgumentDefaultsHelpFormatter itself overrides.
        if action.default is None or action.nargs == 0:
            return action.help
        return super()._get_help_string(action)


def common_options() -> argparse.ArgumentParser:
    """The parent parser holding the options every command has."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--output",
        "-o",
        metavar="FILE",
        default="-",
        help="write the command's output to FILE instead of standard output (-)",
    )
    parent.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress and no summary: only the output itself (and error messages)",
    )
    parent.add_argument("--version", action=VersionAction)
    return parent


def add_command(
    subparsers: Any, name: str, *, common: argparse.ArgumentParser, summary: str, description: str
) -> argparse.ArgumentParser:
    """A command's parser: the shared options, defaults shown in its help."""
    parser: argparse.ArgumentParser = subparsers.add_parser(
        name,
        help=summary,
        description=description,
        parents=[common],
        formatter_class=HelpFormatter,
    )
    return parser
