"""The bundled contexts: one index, regenerated not hand-edited, read the way pyld reads them."""

from __future__ import annotations

import filecmp
import importlib.util
import json
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout.jsonld._context import (
    CANONICAL_ORDER,
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


def test_regenerating_the_contexts_changes_nothing(data_models_dir: Path, tmp_path: Path) -> None:
    _refresh_module().write_contexts(data_models_dir, tmp_path)
    committed = ROOT / "contexts"
    names = sorted(p.name for p in committed.iterdir())
    assert names == sorted(p.name for p in tmp_path.iterdir())
    _, mismatch, errors = filecmp.cmpfiles(committed, tmp_path, names, shallow=False)
    assert (mismatch, errors) == ([], [])


def test_the_index_names_every_file_and_every_canonical_url() -> None:
    index = json.loads((ROOT / "contexts" / "index.json").read_text())
    for url, entry in index["contexts"].items():
        assert (ROOT / "contexts" / entry["file"]).is_file(), url
        assert entry.get("canonical", url) in CANONICAL_ORDER
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
     ["https://imin.co/", "https://openactive.io/"]],
    ids=["openactive", "openactive+imin", "openactive+beta", "imin+openactive"],
)  # fmt: skip
def test_compiled_context_agrees_with_pyld_on_every_term(urls: list[str]) -> None:
    """Each term, prefix use and type term resolves to the IRI pyld expands it to."""
    ours = active_context(urls)
    keys = [k for k in ours.terms if ours.terms[k].iri and not ours.terms[k].iri.startswith("@")]
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
