"""Write the bundled JSON-LD contexts under ``contexts/``.

The OpenActive 2.x context is read from the pinned ``@openactive/data-models`` npm package
(``src/dist/contexts.js``, key ``2.x``). The small namespace contexts (ns-beta, ns-extension,
test-interface, imin) are not published in any package; their ``@context`` values are defined
below from the published namespace documents (see docs/contexts.md) and written from here, so
that ``contexts/`` is always regenerated, never hand-edited.

Usage::

    python scripts/refresh_contexts.py                      # npm pack the pinned package
    python scripts/refresh_contexts.py --data-models DIR    # use an unpacked copy
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

DATA_MODELS_PACKAGE = "@openactive/data-models"
DATA_MODELS_VERSION = "3.0.9"
ROOT = Path(__file__).resolve().parent.parent
CONTEXTS_DIR = ROOT / "contexts"

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


def write_contexts(data_models: Path, out_dir: Path = CONTEXTS_DIR) -> list[Path]:
    """Write every bundled context and the index; return the files written."""
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
    }
    index_path = out_dir / "index.json"
    index_path.write_text(render(index), encoding="utf-8")
    written.append(index_path)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data-models", type=Path, help="an unpacked @openactive/data-models")
    args = parser.parse_args(argv)
    if args.data_models is not None:
        written = write_contexts(args.data_models)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            written = write_contexts(fetch_data_models(Path(tmp)))
    for path in written:
        print(path.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
