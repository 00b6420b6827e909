"""The one version source: the installed distribution's metadata (as DESIGN asks)."""

from __future__ import annotations

DISTRIBUTION = "openactive-checkout"


def installed_version() -> str:
    """The version in the installed package's metadata; ``0+unknown`` when run from a source
    tree that was never installed. importlib.metadata costs some milliseconds to import, so
    callers ask on first use, never at import time."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(DISTRIBUTION)
    except PackageNotFoundError:
        return "0+unknown"
