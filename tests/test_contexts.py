"""The bundled contexts: one index, regenerated not hand-edited, read the way pyld reads them."""

from __future__ import annotations

import filecmp
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout import ContextError
from openactive_checkout.jsonld import published_document
from openactive_checkout.jsonld._context import (
    CANONICAL_ORDER,
    WRITE_ORDER,
    active_context,
    bundled,
    document_loader,
)
from tests.conftest import ROOT, seed_json

SCRIPT = ROOT / "scripts" / "refresh_contexts.py"


def _refresh_module() -> Any:
    spec = importlib.util.spec_from_file_location("refresh_contexts", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _shared_data() -> Path:
    """The published documents as served (``../shared/data``); where that folder is absent
    (a copy of the repository alone), the bundled copies, which regenerate themselves."""
    shared: Path = _refresh_module().SHARED_DATA
    return shared if shared.is_dir() else ROOT / "contexts" / "published"


def _files(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file())


def test_regenerating_the_contexts_changes_nothing(data_models_dir: Path, tmp_path: Path) -> None:
    _refresh_module().write_contexts(data_models_dir, tmp_path, _shared_data())
    committed = ROOT / "contexts"
    names = _files(committed)
    assert names == _files(tmp_path)
    _, mismatch, errors = filecmp.cmpfiles(committed, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_published_documents_are_bundled_byte_for_byte() -> None:
    shared = _shared_data()
    published = ROOT / "contexts" / "published"
    assert _files(published) == _files(shared)
    for name in _files(shared):
        assert (published / name).read_bytes() == (shared / name).read_bytes(), name


def test_the_refresh_refuses_sources_that_disagree(data_models_dir: Path, tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shutil.copytree(_shared_data(), shared)
    sources = shared / "SOURCES.md"
    sources.write_text(sources.read_text().replace("b36c7e10", "00000000"))
    with pytest.raises(SystemExit, match=r"facility-types\.jsonld"):
        _refresh_module().write_contexts(data_models_dir, tmp_path / "out", shared)


def test_the_index_records_each_published_documents_source() -> None:
    index = json.loads((ROOT / "contexts" / "index.json").read_text())
    documents = index["documents"]
    listed = {entry["file"] for entry in documents.values()}
    published = ROOT / "contexts" / "published"
    assert listed == {f"published/{n}" for n in _files(published) if n.endswith(".jsonld")}
    for url, entry in documents.items():
        assert set(entry) == {"file", "repository", "commit", "path", "licence"}, url
        assert len(entry["commit"]) == 40, url
    assert documents["https://imin.co/"]["repository"] == "imin-ltd/ns"
    assert documents["http://ns.imin.co/imin.jsonld"]["file"] == "published/imin-ns.jsonld"
    assert documents["https://schema.org/"]["licence"].startswith("schema.org data: CC BY-SA")


def test_published_document_serves_every_url_parsed_and_fresh() -> None:
    index = json.loads((ROOT / "contexts" / "index.json").read_text())
    for url, entry in index["documents"].items():
        expected = json.loads((ROOT / "contexts" / entry["file"]).read_bytes())
        assert published_document(url) == expected, url
    scheme = published_document("https://openactive.io/activity-list")
    assert scheme["type"] == "ConceptScheme"
    scheme["concept"].clear()  # a copy: the next call is not affected
    assert len(published_document("https://openactive.io/activity-list")["concept"]) == 768
    cardio = "https://openactive.io/activity-list/collections/cardio.jsonld"
    assert published_document(cardio)["@type"] == "ConceptCollection"


@pytest.mark.parametrize(
    "url",
    ["https://example.com/", "https://openactive.io/", "https://openactive.io/activity-list/"],
)
def test_published_document_refuses_other_urls(url: str) -> None:
    with pytest.raises(ContextError, match="no published document") as raised:
        published_document(url)
    assert raised.value.url == url


def test_importing_the_package_reads_no_published_document() -> None:
    code = (
        "import sys\n"
        "opened = []\n"
        "sys.addaudithook(lambda e, a: opened.append(str(a[0])) if e == 'open' else None)\n"
        "import openactive_checkout, openactive_checkout.jsonld\n"
        "assert not [p for p in opened if 'published' in p], opened\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT, env=env)


def test_the_index_names_every_file_and_every_canonical_url() -> None:
    index = json.loads((ROOT / "contexts" / "index.json").read_text())
    for url, entry in index["contexts"].items():
        assert (ROOT / "contexts" / entry["file"]).is_file(), url
        assert entry.get("canonical", url) in WRITE_ORDER
    assert set(CANONICAL_ORDER) <= set(index["contexts"])


def test_the_openactive_context_has_its_published_shape() -> None:
    ctx = bundled().document("https://openactive.io/")["@context"]
    assert len(ctx) == 252
    assert ctx["@vocab"] == "https://schema.org/"
    coerced = [k for k, v in ctx.items() if isinstance(v, dict) and v.get("@type") == "@id"]
    assert len(coerced) == 29


@pytest.mark.parametrize(
    "urls",
    [["https://openactive.io/"], ["https://openactive.io/", "https://imin.co/"],
     ["https://openactive.io/", "https://openactive.io/ns-beta"],
     ["https://imin.co/", "https://openactive.io/"],
     ["https://openactive.io/", "https://openactive.io/ns-extension"],
     ["https://schema.org/", "https://openactive.io/"], ["https://schema.org/"],
     ["http://openactive.io/", "https://openactive.io/ns-beta/", "http://schema.org"]],
    ids=["openactive", "openactive+imin", "openactive+beta", "imin+openactive",
         "openactive+extension", "dataset-site", "schema.org", "legacy"],
)  # fmt: skip
def test_compiled_context_agrees_with_pyld_on_every_term(urls: list[str]) -> None:
    """Each term, prefix use and type term resolves to the IRI pyld expands it to."""
    ours = active_context(urls)
    keys = [k for k in ours.terms if ours.terms[k].iri and not ours.terms[k].iri.startswith("@")]
    keys = keys[:: max(1, len(keys) // 300)]  # schema.org's 3,000 terms: a tenth of them
    keys += ["documentation", "discussionUrl", "label", "url", "startDate"]
    keys += ["oa:thing", "schema:name", "beta:x", "imin:y", "unknownTerm", "https://e.com/p"]
    for key in keys:
        term = ours.resolve_key(key)
        value: Any = "https://example.com/value"
        if term is not None and term.reverse:
            value = {"@id": value}
        doc = {"@context": urls, "@id": "https://example.com/s", key: value}
        expanded = jsonld.expand(doc, {"documentLoader": document_loader()})
        if term is None:
            assert expanded == [] or key not in str(expanded), key
            continue
        node = expanded[0] if expanded else {}
        prop = term.iri
        if term.reverse:
            assert "@reverse" in node, key
            continue
        assert prop in node, (key, prop, node)
        is_iri = "@id" in node[prop][0]
        assert is_iri == term.coerce_id, key


def test_pyld_context_cache_is_used_not_reloaded(monkeypatch: pytest.MonkeyPatch) -> None:
    loader = document_loader()
    calls: list[str] = []
    original = type(loader).__call__

    def counting(self: Any, url: str, options: dict[str, Any]) -> Any:
        calls.append(url)
        return original(self, url, options)

    doc = seed_json("request")
    doc["@context"] = ["https://imin.co/", "https://openactive.io/"]  # the normalising road
    oc.loads(doc)
    monkeypatch.setattr(type(loader), "__call__", counting)
    oc.loads(doc)
    oc.loads(doc)
    assert calls == []


LEGACY = {
    "https://www.openactive.io/ns/oa.jsonld": "https://openactive.io/",
    "https://openactive.io/ns/oa.jsonld": "https://openactive.io/",
    "http://openactive.io/": "https://openactive.io/",
    "https://openactive.io": "https://openactive.io/",
    "https://openactive.io/ns-beta/": "https://openactive.io/ns-beta",
    "http://openactive.io/ns-extension": "https://openactive.io/ns-extension",
    "http://ns.imin.co/imin.jsonld": "https://imin.co/",
    "https://ns.imin.co/": "https://imin.co/",
    "http://schema.org/": "https://schema.org/",
    "https://schema.org": "https://schema.org/",
}


@pytest.mark.parametrize("legacy", sorted(LEGACY))
def test_a_legacy_url_reads_as_todays_and_is_written_as_it(legacy: str) -> None:
    canonical = LEGACY[legacy]
    assert oc.jsonld.bundled_contexts()[legacy] == canonical
    assert bundled().document(legacy) == bundled().document(canonical)
    first = [] if canonical in ("https://openactive.io/", "https://schema.org/") else [
        "https://openactive.io/"]  # fmt: skip
    doc = {"@context": [*first, legacy], "@type": "Event", "name": "Yoga"}
    written = json.loads(oc.dumps(oc.loads(doc)))["@context"]
    entries = written if isinstance(written, list) else [written]
    assert legacy not in entries
    assert canonical in entries


def test_the_namespace_contexts_are_the_published_documents() -> None:
    for url, published in [
        ("https://openactive.io/ns-extension", "ns-extension.jsonld"),
        ("https://openactive.io/ns-beta", "ns-beta.jsonld"),
        ("https://imin.co/", "imin-ns.jsonld"),
        ("https://schema.org/", "schemaorg-context.jsonld"),
    ]:
        document = json.loads((ROOT / "contexts" / "published" / published).read_bytes())
        assert bundled().document(url)["@context"] == document["@context"], url
    extension = bundled().document("https://openactive.io/ns-extension")["@context"]
    assert extension["documentation"] == "schema:documentation"  # not OpenActive's term


@pytest.mark.parametrize(
    ("context", "iri"),
    [
        (["https://openactive.io/"], "https://pending.schema.org/documentation"),
        (["https://openactive.io/", "https://imin.co/"], "https://schema.org/documentation"),
        (["https://imin.co/", "https://openactive.io/"], "https://pending.schema.org/documentation"),
        (["https://schema.org/", "https://openactive.io/"],
         "https://pending.schema.org/documentation"),
        (["https://schema.org/"], "http://schema.org/documentation"),
    ],
)  # fmt: skip
def test_documentation_means_what_pyld_says_and_is_written_back_so(
    context: list[str], iri: str
) -> None:
    doc = {"@context": context, "@type": "BookingService", "documentation": "https://d.example/"}
    node = jsonld.expand(doc, {"documentLoader": document_loader()})[0]
    assert iri in node
    written = json.loads(oc.dumps(oc.loads(doc)))
    again = jsonld.expand(written, {"documentLoader": document_loader()})[0]
    assert again[iri] == node[iri]
