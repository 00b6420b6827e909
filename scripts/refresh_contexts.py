"""Write the bundled JSON-LD contexts under ``contexts/``.

The OpenActive 2.x context is read from the pinned ``@openactive/data-models`` npm package
(``src/dist/contexts.js``, key ``2.x``). The small namespace contexts (ns-beta, ns-extension,
test-interface, imin) are not published in any package; their ``@context`` values are defined
below from the published namespace documents (see docs/contexts.md) and written from here, so
that ``contexts/`` is always regenerated, never hand-edited.

The published OpenActive and imin documents (the namespace documents, the activity list and
its collections, the facility types, accessibility support, and schema.org's context) are
copied byte for byte from the shared data folder (``--shared-data``, which holds them exactly
as served, with a ``SOURCES.md`` naming their sources) into ``contexts/published/``, and the
index records, for each URL that serves one, its file, source repository, commit, path and
licence (from :data:`DOCUMENTS` below, checked against ``SOURCES.md``).

Usage::

    python scripts/refresh_contexts.py                      # npm pack the pinned package
    python scripts/refresh_contexts.py --data-models DIR    # use an unpacked copy
    python scripts/refresh_contexts.py --shared-data DIR    # the published documents' folder
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any, NamedTuple

DATA_MODELS_PACKAGE = "@openactive/data-models"
DATA_MODELS_VERSION = "3.0.9"
ROOT = Path(__file__).resolve().parent.parent
CONTEXTS_DIR = ROOT / "contexts"
SHARED_DATA = ROOT.parent / "shared" / "data"
PUBLISHED = "published"
SOURCES = "SOURCES.md"

# The @context of https://openactive.io/ns-extension, the base of every OpenActive namespace
# document (ns-beta, test-interface, imin). It re-declares the keyword aliases and the terms
# those documents use to describe their vocabularies.
NS_EXTENSION: dict[str, Any] = {
    "type": "@type",
    "id": "@id",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "schema": "https://schema.org/",
    "oa": "https://openactive.io/",
    "Class": "rdfs:Class",
    "Property": "rdf:Property",
    "label": "rdfs:label",
    "comment": "rdfs:comment",
    "subClassOf": {"@id": "rdfs:subClassOf", "@type": "@id"},
    "domainIncludes": {"@id": "schema:domainIncludes", "@type": "@id"},
    "rangeIncludes": {"@id": "schema:rangeIncludes", "@type": "@id"},
    "discussionUrl": {"@id": "schema:discussionUrl", "@type": "@id"},
    # Same IRI as the OpenActive context's own `documentation` term, so the order of the
    # contexts in a document never changes what `documentation` means.
    "documentation": "https://pending.schema.org/documentation",
}

NAMESPACE_CONTEXTS: dict[str, Any] = {
    "ns-extension.jsonld": NS_EXTENSION,
    "ns-beta.jsonld": [
        "https://openactive.io/ns-extension",
        {"beta": "https://openactive.io/ns-beta#"},
    ],
    "test-interface.jsonld": [
        "https://openactive.io/ns-extension",
        {"test": "https://openactive.io/test-interface#"},
    ],
    "imin.jsonld": ["https://openactive.io/ns-extension", {"imin": "https://imin.co/"}],
}

# URL -> file, plus the canonical URL that a legacy URL is written back as.
INDEX: dict[str, dict[str, str]] = {
    "https://openactive.io/": {"file": "openactive.jsonld"},
    "https://openactive.io/ns-beta": {"file": "ns-beta.jsonld"},
    "https://openactive.io/ns-extension": {"file": "ns-extension.jsonld"},
    "https://openactive.io/test-interface": {"file": "test-interface.jsonld"},
    "https://imin.co/": {"file": "imin.jsonld"},
    "https://imin.co": {"file": "imin.jsonld", "canonical": "https://imin.co/"},
    "https://ns.imin.co/": {"file": "imin.jsonld", "canonical": "https://imin.co/"},
    "https://schema.imin.co/": {"file": "imin.jsonld", "canonical": "https://imin.co/"},
}


class Published(NamedTuple):
    """A published document: its file in the shared data folder, the URLs that serve it, and
    where it comes from."""

    file: str
    urls: tuple[str, ...]
    repository: str
    commit: str
    path: str
    licence: str


_ACTIVITY_LIST = ("openactive/activity-list", "abbf7bcfa360bc2cf9dc8752dcd17e854d605577")
_COLLECTIONS = ("cardio", "holistic", "strength-and-conditioning")

# The published documents, as SOURCES.md of the shared data folder lists them.
DOCUMENTS: tuple[Published, ...] = (
    Published(
        "activity-list.jsonld",
        ("https://openactive.io/activity-list",
         "https://openactive.io/activity-list/activity-list.jsonld"),
        *_ACTIVITY_LIST, "data/activity-list.jsonld", "CC BY 4.0",
    ),
    *(
        Published(
            f"activity-list-collections/{name}.jsonld",
            (f"https://openactive.io/activity-list/collections/{name}.jsonld",),
            *_ACTIVITY_LIST, f"data/collections/{name}.jsonld", "CC BY 4.0",
        )
        for name in _COLLECTIONS
    ),
    Published(
        "facility-types.jsonld", ("https://openactive.io/facility-types",),
        "openactive/facility-types", "b36c7e10552a254f7c043bd4b4473ff6dd6f1d0d",
        "data/facility-types.jsonld", "CC BY 4.0",
    ),
    Published(
        "accessibility-support.jsonld", ("https://openactive.io/accessibility-support",),
        "openactive/accessibility-support", "4ac465a9910593cf6bff756772f5b74d91753627",
        "accessibility-support.jsonld", "CC BY 4.0",
    ),
    Published(
        "ns-beta.jsonld", ("https://openactive.io/ns-beta",),
        "openactive/ns-beta", "1633eead590cc9bb17a5303bd11af2ce266a7deb", "beta.jsonld",
        "CC BY 4.0 (OpenActive)",
    ),
    Published(
        "ns-extension.jsonld", ("https://openactive.io/ns-extension",),
        "openactive/ns-extension", "5d65fa5fbc39fa0d4ee8db1aa2ebe08f3fb84930",
        "extension.jsonld", "CC BY 4.0 (OpenActive)",
    ),
    Published(
        "imin-ns.jsonld", ("https://imin.co/", "http://ns.imin.co/imin.jsonld"),
        "imin-ltd/ns", "1384d2c3b18558f979919a185aa4db3fb351c381", "imin.jsonld",
        "published by imin for reuse",
    ),
    Published(
        "schemaorg-context.jsonld", ("https://schema.org/",),
        "schemaorg/schemaorg", "cc71c8e064859e912aac8b11ec06e6bc53255b6a",
        "data/releases/30.0/schemaorgcontext.jsonld",
        "schema.org data: CC BY-SA 3.0; repository code Apache-2.0",
    ),
)  # fmt: skip


def check_sources(shared_data: Path) -> None:
    """Every document's file, commit and licence appear in one row of ``SOURCES.md``."""
    rows = [
        line for line in (shared_data / SOURCES).read_text(encoding="utf-8").splitlines()
        if line.startswith("| ")
    ]  # fmt: skip
    for doc in DOCUMENTS:
        top = doc.file.split("/")[0]
        stem = top if top.endswith(".jsonld") else f"{top}/*.jsonld"
        matching = [r for r in rows if r.startswith(f"| {stem} |")]
        if len(matching) != 1:
            raise SystemExit(f"{SOURCES} has no single row for {doc.file}")
        row = matching[0]
        commit_ok = doc.commit in row or "| same," in row
        if not commit_ok or not row.rstrip(" |").endswith(doc.licence):
            raise SystemExit(f"{SOURCES} does not give {doc.file} the source recorded here")


def copy_published(shared_data: Path, out_dir: Path) -> list[Path]:
    """Copy the published documents (and ``SOURCES.md``) byte for byte into ``published/``."""
    check_sources(shared_data)
    target = out_dir / PUBLISHED
    written = []
    for name in [*(doc.file for doc in DOCUMENTS), SOURCES]:
        source = shared_data / name
        if name.endswith(".jsonld"):
            json.loads(source.read_bytes())  # a document that is not JSON stops the refresh
        dest = target / name
        dest.parent.mkdir(parents=True, exist_ok=True)
        if dest.resolve() != source.resolve():
            shutil.copyfile(source, dest)
        written.append(dest)
    return written


def documents_index() -> dict[str, dict[str, str]]:
    """URL served -> file under ``contexts/``, source repository, commit, path and licence."""
    return {
        url: {
            "file": f"{PUBLISHED}/{doc.file}",
            "repository": doc.repository,
            "commit": doc.commit,
            "path": doc.path,
            "licence": doc.licence,
        }
        for doc in DOCUMENTS
        for url in doc.urls
    }


def fetch_data_models(dest: Path) -> Path:
    """``npm pack`` the pinned data-models package into ``dest``; return the package folder."""
    spec = f"{DATA_MODELS_PACKAGE}@{DATA_MODELS_VERSION}"
    out = subprocess.run(
        ["npm", "pack", spec, "--silent"], cwd=dest, check=True, capture_output=True, text=True
    )
    tarball = dest / out.stdout.strip().splitlines()[-1]
    subprocess.run(["tar", "xzf", tarball.name], cwd=dest, check=True)
    return dest / "package"


def read_openactive_context(data_models: Path) -> dict[str, Any]:
    """The ``2.x`` context from ``src/dist/contexts.js`` (a CommonJS module holding JSON)."""
    source = (data_models / "src" / "dist" / "contexts.js").read_text(encoding="utf-8")
    start = source.index("{")
    end = source.rindex("}") + 1
    contexts: dict[str, Any] = json.loads(source[start:end])
    context: dict[str, Any] = contexts["2.x"]
    return context


def render(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def write_contexts(
    data_models: Path, out_dir: Path = CONTEXTS_DIR, shared_data: Path = SHARED_DATA
) -> list[Path]:
    """Write every bundled context, the published documents and the index; return the files
    written."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files = {"openactive.jsonld": {"@context": read_openactive_context(data_models)}}
    files.update({name: {"@context": ctx} for name, ctx in NAMESPACE_CONTEXTS.items()})
    written = []
    for name, document in files.items():
        path = out_dir / name
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    index = {
        "source": f"{DATA_MODELS_PACKAGE}@{DATA_MODELS_VERSION}",
        "generator": "scripts/refresh_contexts.py",
        "contexts": INDEX,
        "documents": documents_index(),
    }
    written += copy_published(shared_data, out_dir)
    index_path = out_dir / "index.json"
    index_path.write_text(render(index), encoding="utf-8")
    written.append(index_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-models", type=Path, help="an unpacked @openactive/data-models")
    parser.add_argument(
        "--shared-data", type=Path, default=SHARED_DATA,
        help="the folder of published documents and their SOURCES.md (default: ../shared/data)",
    )  # fmt: skip
    args = parser.parse_args(argv)
    if args.data_models is not None:
        written = write_contexts(args.data_models, shared_data=args.shared_data)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            written = write_contexts(fetch_data_models(Path(tmp)), shared_data=args.shared_data)
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
