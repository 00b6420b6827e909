"""The public view of the bundled contexts agrees with contexts/index.json and its files."""

from __future__ import annotations

import json

import pytest

import openactive_checkout as oc
from openactive_checkout.jsonld import bundled_context, bundled_contexts
from tests.conftest import ROOT

INDEX = json.loads((ROOT / "contexts" / "index.json").read_text(encoding="utf-8"))["contexts"]


def test_every_indexed_url_maps_to_its_canonical_url() -> None:
    assert dict(bundled_contexts()) == {
        url: entry.get("canonical", url) for url, entry in INDEX.items()
    }
    assert bundled_contexts()["https://ns.imin.co/"] == "https://imin.co/"
    assert bundled_contexts()["https://openactive.io/"] == "https://openactive.io/"


def test_the_mapping_is_read_only() -> None:
    contexts = bundled_contexts()
    with pytest.raises(TypeError):
        contexts["https://example.com/"] = "https://example.com/"  # type: ignore[index]
    assert "https://example.com/" not in bundled_contexts()


@pytest.mark.parametrize("url", sorted(INDEX))
def test_each_document_is_the_bundled_file(url: str) -> None:
    expected = json.loads((ROOT / "contexts" / INDEX[url]["file"]).read_text(encoding="utf-8"))
    assert bundled_context(url) == expected
    assert "@context" in bundled_context(url)


def test_a_returned_document_is_a_copy() -> None:
    document = bundled_context("https://imin.co/")
    document["@context"] = "changed"
    assert bundled_context("https://imin.co/")["@context"] != "changed"
    session = oc.loads('{"@context": "https://imin.co/", "type": "imin:CheckoutSession"}')
    assert type(session).__name__ == "CheckoutSession"


def test_an_unbundled_url_is_a_context_error() -> None:
    with pytest.raises(oc.ContextError, match="not bundled") as caught:
        bundled_context("https://example.com/context")
    assert caught.value.url == "https://example.com/context"


def test_the_pyld_loader_serves_bundled_contexts_and_refuses_others() -> None:
    from pyld import jsonld

    from openactive_checkout.jsonld import pyld_document_loader

    loader = pyld_document_loader()
    doc = {"@context": "https://openactive.io/", "@type": "Event", "name": "Yoga"}
    expanded = jsonld.expand(doc, {"documentLoader": loader})
    assert expanded[0]["@type"] == ["https://schema.org/Event"]
    assert loader("https://openactive.io/", {})["document"] == bundled_context(
        "https://openactive.io/"
    )
    with pytest.raises(jsonld.JsonLdError):
        jsonld.expand(
            {"@context": "https://example.com/ctx.jsonld", "a": 1}, {"documentLoader": loader}
        )
