"""Write the bundled JSON-LD contexts under ``contexts/``.

The OpenActive 2.x context is read from the pinned ``@openactive/data-models`` npm package
(``src/dist/contexts.js``, key ``2.x``). The namespace contexts (ns-extension, ns-beta, imin)
are the ``@context`` of the published namespace documents (below), written as small files of
their own; test-interface publishes none, so its context is defined here. schema.org's context
is served from its published copy. Legacy and variant URLs (http, ``www.``, trailing slash,
``/ns/oa.jsonld``) are indexed with the canonical URL they are written back as. ``contexts/``
is always regenerated, never hand-edited.

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
PUBLISHED = "published"
# The published documents as served, beside the repository (``../shared/data``); in a copy
# without it, the bundled copies themselves (copied byte for byte, they regenerate themselves).
SHARED_DATA = next(
    (d for d in (ROOT.parent / "shared" / "data",) if d.is_dir()), CONTEXTS_DIR / PUBLISHED
)
SOURCES = "SOURCES.md"

# The namespace contexts written as small files of their own (read when the library loads), each
# the @context of the published namespace document it is named after (``published/NAME``);
# test-interface publishes no document, so its context is defined here, the way ns-beta's and
# imin's are published (ns-extension plus the namespace prefix).
FROM_PUBLISHED: dict[str, str] = {
    "ns-extension.jsonld": "ns-extension.jsonld",
    "ns-beta.jsonld": "ns-beta.jsonld",
    "imin.jsonld": "imin-ns.jsonld",
}
TEST_INTERFACE: list[Any] = [
    "https://openactive.io/ns-extension",
    {"test": "https://openactive.io/test-interface#"},
]
# The namespace contexts: ns-extension plus the namespace's prefix. The generator of the
# vocabulary reads the prefixes from here; the refresh checks that the published ones agree.
NAMESPACE_CONTEXTS: dict[str, list[Any]] = {
    "ns-beta.jsonld": [
        "https://openactive.io/ns-extension",
        {"beta": "https://openactive.io/ns-beta#"},
    ],
    "test-interface.jsonld": TEST_INTERFACE,
    "imin.jsonld": ["https://openactive.io/ns-extension", {"imin": "https://imin.co/"}],
}

OPENACTIVE = "https://openactive.io/"
SCHEMA_ORG = "https://schema.org/"
IMIN = "https://imin.co/"


def _variants(url: str, *, www: bool = False, slash: bool = True) -> list[str]:
    """``url`` as publishers also write it: http or https, with ``www.`` (if ``www``), with
    or without a trailing slash (if ``slash``); ``url`` itself among them."""
    rest = url.split("://", 1)[1]
    found = []
    for host in [rest, f"www.{rest}"] if www else [rest]:
        for proto in ("https", "http"):
            base = f"{proto}://{host}"
            found.append(base)
            if slash:
                found.append(base[:-1] if base.endswith("/") else base + "/")
    return list(dict.fromkeys(found))


# URL -> file, plus the canonical URL that a legacy URL is written back as.
CANONICAL: dict[str, str] = {
    OPENACTIVE: "openactive.jsonld",
    "https://openactive.io/ns-beta": "ns-beta.jsonld",
    "https://openactive.io/ns-extension": "ns-extension.jsonld",
    "https://openactive.io/test-interface": "test-interface.jsonld",
    IMIN: "imin.jsonld",
    SCHEMA_ORG: f"{PUBLISHED}/schemaorg-context.jsonld",  # served as published, 3,000 terms
}
LEGACY: dict[str, list[str]] = {
    OPENACTIVE: [
        *_variants(OPENACTIVE, www=True),
        *_variants("https://openactive.io/ns/oa.jsonld", www=True, slash=False),
    ],
    "https://openactive.io/ns-beta": _variants("https://openactive.io/ns-beta", www=True),
    "https://openactive.io/ns-extension": _variants("https://openactive.io/ns-extension", www=True),
    "https://openactive.io/test-interface": _variants(
        "https://openactive.io/test-interface", www=True
    ),
    IMIN: [
        *_variants(IMIN),
        *_variants("https://ns.imin.co/"),
        *_variants("https://schema.imin.co/"),
        *_variants("https://ns.imin.co/imin.jsonld", slash=False),
    ],
    SCHEMA_ORG: _variants(SCHEMA_ORG),
}


def contexts_index() -> dict[str, dict[str, str]]:
    """Every context URL read: its file, and for a legacy URL the canonical one."""
    index: dict[str, dict[str, str]] = {url: {"file": file} for url, file in CANONICAL.items()}
    for canonical, urls in LEGACY.items():
        for url in urls:
            if url not in index:
                index[url] = {"file": CANONICAL[canonical], "canonical": canonical}
    return index


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
    files: dict[str, Any] = {
        "openactive.jsonld": {"@context": read_openactive_context(data_models)}
    }
    for name, source in FROM_PUBLISHED.items():
        published = json.loads((shared_data / source).read_bytes())
        expected = NAMESPACE_CONTEXTS.get(name)
        if expected is not None and published["@context"] != expected:
            raise SystemExit(f"the published {source} has another @context than {expected}")
        files[name] = {"@context": published["@context"]}
    files["test-interface.jsonld"] = {"@context": TEST_INTERFACE}
    written = []
    for name, document in files.items():
        path = out_dir / name
        path.write_text(render(document), encoding="utf-8")
        written.append(path)
    index = {
        "source": f"{DATA_MODELS_PACKAGE}@{DATA_MODELS_VERSION}",
        "generator": "scripts/refresh_contexts.py",
        "contexts": contexts_index(),
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
