"""A local wheelhouse of exactly what a wheel's core requirements pull in, made offline.

Each distribution the requirements need (followed through their own requirements, markers
evaluated, extras ignored) is packed back into a wheel from the files this environment has
installed for it (its RECORD), so ``pip install --no-index --find-links`` can install the
wheel into a fresh venv without the package index, with the same versions as here. A
requirement that nothing installed satisfies is an error: the wheelhouse never guesses.
"""

from __future__ import annotations

import base64
import csv
import hashlib
import io
import zipfile
from email.parser import Parser
from importlib import metadata
from pathlib import Path

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

# Written by the installer, not part of the distribution (pip writes its own).
_INSTALLER_FILES = {"INSTALLER", "REQUESTED", "direct_url.json", "RECORD"}


def closure(requirements: list[str]) -> list[metadata.Distribution]:
    """The installed distributions ``requirements`` need, theirs included (sorted by name)."""
    found: dict[str, metadata.Distribution] = {}
    todo = [Requirement(text) for text in requirements]
    while todo:
        requirement = todo.pop()
        if requirement.marker is not None and not requirement.marker.evaluate({"extra": ""}):
            continue
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        dist = metadata.distribution(requirement.name)  # PackageNotFoundError if absent
        if not requirement.specifier.contains(dist.version, prereleases=True):
            raise LookupError(f"installed {requirement.name} {dist.version} is not {requirement}")
        found[name] = dist
        todo.extend(Requirement(text) for text in dist.requires or ())
    return [found[name] for name in sorted(found)]


def repack(dist: metadata.Distribution, folder: Path) -> Path:
    """``dist`` as a wheel in ``folder``, from its installed files (bytecode left out)."""
    files = [f for f in dist.files or () if _belongs(f)]
    dist_info = next(f.parts[0] for f in files if f.parts[0].endswith(".dist-info"))
    wheel_meta = Parser().parsestr(dist.read_text("WHEEL") or "")
    tag = wheel_meta.get_all("Tag")[0]  # the first tag names the file
    name = canonicalize_name(dist.metadata["Name"]).replace("-", "_")
    target = folder / f"{name}-{dist.version}-{tag}.whl"
    record = io.StringIO()
    writer = csv.writer(record, lineterminator="\n")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as wheel:
        for file in files:
            data = Path(str(dist.locate_file(file))).read_bytes()
            wheel.writestr(file.as_posix(), data)
            digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=")
            writer.writerow([file.as_posix(), f"sha256={digest.decode()}", len(data)])
        writer.writerow([f"{dist_info}/RECORD", "", ""])
        wheel.writestr(f"{dist_info}/RECORD", record.getvalue())
    return target


def _belongs(file: metadata.PackagePath) -> bool:
    """Whether an installed file is part of the distribution's wheel (not a script pip
    wrote outside site-packages, bytecode, or the installer's own records)."""
    parts = file.parts
    if parts[0] == ".." or "__pycache__" in parts or file.suffix == ".pyc":
        return False
    return not (parts[0].endswith(".dist-info") and parts[-1] in _INSTALLER_FILES)
