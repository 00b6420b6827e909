"""``openactive-checkout activity TEXT``: look activities (or facility types, accessibility
support) up by label in the published concept schemes bundled with the library."""

from __future__ import annotations

import argparse
import json
from typing import Any, TextIO

from ..concepts import Concept, Scheme, accessibility_support, activity_list, facility_types
from ._common import add_command

SCHEMES = {
    "activity-list": activity_list,
    "facility-types": facility_types,
    "accessibility-support": accessibility_support,
}


def register(subparsers: Any, common: argparse.ArgumentParser) -> None:
    """Add the ``activity`` sub-command."""
    parser = add_command(
        subparsers,
        "activity",
        common=common,
        summary="find activities in the OpenActive activity list by label",
        description="Print the concepts whose prefLabel or altLabel contains TEXT (any case; "
        "with --exact, is TEXT), with their ids and broader concepts, from the OpenActive "
        "activity list (or, with --scheme, the facility types or accessibility support) "
        "bundled with the library. An id (https://openactive.io/activity-list#...) prints "
        "that concept. Exit code: 0 found, 1 nothing matches, 2 usage error.",
    )
    parser.add_argument("text", help="a label (or part of one), or a concept id")
    parser.add_argument("--exact", action="store_true", help="match whole labels only")
    parser.add_argument(
        "--scheme", choices=sorted(SCHEMES), default="activity-list", help="the concept scheme"
    )
    parser.add_argument(
        "--format",
        choices=("text", "json"),
        default="text",
        help="text: one line per concept (label, id, broader concepts); json: a list",
    )
    parser.set_defaults(handler=handle)


def matches(scheme: Scheme, text: str, *, exact: bool) -> list[Concept]:
    """The concepts ``text`` names: the concept with that id, else by label."""
    found = scheme.get(text)
    if found is not None:
        return [found]
    return scheme.find(text, partial=not exact)


def handle(args: argparse.Namespace, stdout: TextIO, stderr: TextIO) -> int:
    """Print the matching concepts."""
    scheme = SCHEMES[args.scheme]()
    found = matches(scheme, args.text, exact=args.exact)
    if args.format == "json":
        rows = [
            {
                "id": c.id,
                "prefLabel": c.pref_label,
                "altLabel": c.alt_label,
                "broader": [b.pref_label for b in scheme.broader(c.id)] if c.id else [],
            }
            for c in found
        ]
        print(json.dumps(rows, ensure_ascii=False, indent=2), file=stdout)
    else:
        for concept in found:
            assert concept.id is not None
            broader = " < ".join(b.pref_label or "" for b in scheme.ancestors(concept.id))
            line = f"{concept.pref_label}\t{concept.id}"
            print(f"{line}\t({broader})" if broader else line, file=stdout)
    if not found and not args.quiet:
        print(f"no concept of {scheme.id} matches {args.text!r}", file=stderr)
    return 0 if found else 1
