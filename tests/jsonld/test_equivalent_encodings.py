"""Any equivalent encoding of a seed document reads back to the canonical form."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from typing import Any

import pytest

import openactive_checkout as oc
from tests.conftest import seed_json
from tests.jsonld.encodings import ENCODINGS, cases
from tests.jsonld.graphs import same_graph

CASES = cases()


def test_there_are_at_least_twenty_encodings() -> None:
    assert len(ENCODINGS) >= 20


@pytest.mark.parametrize(("seed", "build"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_encoding_means_the_same_as_the_seed(
    seed: str, build: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    """The encodings are genuinely equivalent (else the next test would prove nothing)."""
    encoded = build(copy.deepcopy(seed_json(seed)))
    assert json.dumps(encoded) != json.dumps(seed_json(seed))
    assert same_graph(encoded, seed_json(seed))


@pytest.mark.parametrize(("seed", "build"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_encoding_reads_back_to_the_canonical_form(
    seed: str, build: Callable[[dict[str, Any]], dict[str, Any]]
) -> None:
    encoded = build(copy.deepcopy(seed_json(seed)))
    model = oc.loads(json.dumps(encoded))
    # The canonical form, key order included.
    assert json.dumps(oc.to_jsonld(model)) == json.dumps(seed_json(seed))
