"""An array whose items are all dropped (``null``, ``""``) is not written: never ``[]``."""

from __future__ import annotations

import json

import pytest

import openactive_checkout as oc
from openactive_checkout.vocab.openactive import SessionSeries


@pytest.mark.parametrize("context", ["https://openactive.io/", ["https://imin.co/", "https://openactive.io/"]],
                         ids=["fast", "normalising"])  # fmt: skip
def test_an_array_of_empty_strings_is_not_written(context: object) -> None:
    doc = {"@context": context, "@type": "SessionSeries", "category": [""], "level": ["", "x"]}
    written = json.loads(oc.dumps(oc.loads(doc)))
    assert "category" not in written
    assert written["level"] == ["x"]


def test_a_model_built_in_code() -> None:
    series = SessionSeries(name="Yoga", level=["", ""], category=[""])
    assert json.loads(oc.dumps(series)) == {
        "@context": "https://openactive.io/",
        "@type": "SessionSeries",
        "name": "Yoga",
    }


@pytest.mark.parametrize("context", ["https://schema.org/", ["https://imin.co/", "https://openactive.io/"]],
                         ids=["generic-node", "extension"])  # fmt: skip
def test_an_extension_array_of_an_empty_string_stays_an_array(context: object) -> None:
    """[""] is data the validator accepts, where "" alone fails it: kept as written."""
    doc = {"@context": context, "@type": "Thing", "https://example.com/tags": [""]}
    written = json.loads(oc.dumps(oc.loads(doc)))
    assert [v for k, v in written.items() if k.endswith("tags")] == [[""]]
