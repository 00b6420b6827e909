"""Hostile documents for the fuzz tests: JSON values shaped like JSON-LD (keywords, OpenActive
terms, contexts, IRIs) holding what breaks parsers (deep nesting, huge integers, lone
surrogates, control characters in IRIs, shared blank nodes, language-tagged values), as
values and as JSON text (some of it not JSON at all)."""

from __future__ import annotations

import json
import os
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

DEEP = "OC_FUZZ_EXAMPLES" in os.environ


def fuzz_settings(default: int) -> settings:
    """``default`` examples, derandomized (the same inputs on every run, so CI is stable);
    with ``OC_FUZZ_EXAMPLES=N`` set, N random examples (a deeper run, see docs/security.md)."""
    return settings(
        max_examples=int(os.environ["OC_FUZZ_EXAMPLES"]) if DEEP else default,
        deadline=None,
        derandomize=not DEEP,
        database=None,
        suppress_health_check=list(HealthCheck),
    )


CONTEXTS = [
    "https://openactive.io/",
    "https://imin.co/",
    "https://openactive.io/ns-beta",
    "https://remote.example/context",
    {"ext": "https://ex.org/ext#"},
    {"@vocab": "https://ex.org/v/"},
    {"t": {"@id": []}},
    {"t": {"@id": "https://ex.org/t", "@type": "@id"}},
    {"t": {"@id": "https://ex.org/t", "@container": "@list"}},
    {"t": {"@id": "https://ex.org/t", "@language": "en"}},
    {"t": {"@reverse": "https://ex.org/r"}},
    {"t": "ext:t", "ext": "https://ex.org/\u0001/"},
    {"name": "https://ex.org/na me"},
    {"@base": "https://ex.org/base/"},
    {"@version": 1.1},
    None,
    [],
]

IRIS = [
    "https://ex.org/e",
    "https://ex.org/a\u0001b",
    "https://ex.org/a\u007fb",
    "https://ex.org/a>b",
    "https://ex.org/a b",
    "https://ex.org/\ud800",
    "https://ex.org/a{b}",
    "relative/path",
    "_:b0",
    "_:p",
    "oa:Event",
    "schema:name",
    "ext:thing",
    "mailto:x@ex.org",
    "urn:uuid:1",
]

TERMS = [
    "@id", "@type", "@context", "@value", "@language", "@list", "@set", "@reverse", "@graph",
    "@index", "@included", "@nest", "@json", "id", "type", "name", "location", "startDate",
    "endDate", "organizer", "offers", "price", "priceCurrency", "orderedItem", "acceptedOffer",
    "maximumAttendeeCapacity", "remainingAttendeeCapacity", "superEvent", "subEvent", "url",
    "imin:initialOrder", "potentialAction", "target", "items", "next", "state", "data",
    "beta:isWheelchairAccessible", "ext:x", "t", "https://ex.org/q", "https://ex.org/\u0001",
    "_:k", "x",
]  # fmt: skip

TYPES = [
    "Event", "ScheduledSession", "SessionSeries", "Slot", "Place", "Offer", "Organization",
    "Person", "OrderQuote", "OrderItem", "Order", "imin:CheckoutSession",
    "UnavailableOpportunityError", "OpenBookingError", "https://ex.org/T", "_:t", "oa:Nope",
    "https://ex.org/a\u0001", "",
]  # fmt: skip

HUGE_INTEGERS = st.sampled_from([10**21, -(10**21), 10**308, 10**309, -(10**400), 2**1100])
text = st.text(max_size=8) | st.sampled_from(["a\ud800b", "\udfff", "x\u0000y", "\u2028", "é"])
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**64), 2**64),
    HUGE_INTEGERS,
    st.floats(allow_nan=False, allow_infinity=False),
    text,
    st.sampled_from(IRIS + TYPES),
    st.sampled_from(["2024-01-01T10:00:00Z", "PT1H", "GBP", "en", "en-GB", "12:00", "1e309"]),
)


def _objects(children: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    special = st.one_of(
        st.builds(
            lambda v, lang: {"@value": v, "@language": lang},
            text,
            st.sampled_from(["en", "x y", ""]),
        ),
        st.builds(
            lambda v, t: {"@value": v, "@type": t}, scalars, st.sampled_from([*IRIS, "@json"])
        ),
        st.builds(lambda items: {"@list": items}, st.lists(children, max_size=3)),
        st.builds(lambda i: {"@id": i}, st.sampled_from(IRIS)),
        st.builds(lambda c, v: {"@context": c, "x": v}, st.sampled_from(CONTEXTS), children),
    )
    plain = st.dictionaries(st.sampled_from(TERMS) | text, children, max_size=4)
    return special | plain


json_values: st.SearchStrategy[Any] = st.recursive(
    scalars,
    lambda children: st.lists(children, max_size=3) | _objects(children),
    max_leaves=20,
)


@st.composite
def documents(draw: st.DrawFn) -> dict[str, Any]:
    """A node that looks like an OpenActive document, with hostile parts."""
    context = draw(
        st.sampled_from(CONTEXTS[:2])
        | st.lists(st.sampled_from(CONTEXTS), min_size=1, max_size=3)
        | st.just(["https://openactive.io/", "https://imin.co/"])
    )
    doc: dict[str, Any] = {"@context": context, "@type": draw(st.sampled_from(TYPES))}
    if draw(st.booleans()):
        doc["@id"] = draw(st.sampled_from(IRIS))
    doc.update(draw(st.dictionaries(st.sampled_from(TERMS), json_values, max_size=5)))
    if draw(st.booleans()):  # a blank node shared with extension properties that pyld reads
        doc["location"] = {"@type": "Place", "@id": "_:p"}
        doc["https://ex.org/q"] = [{"@id": "_:p"}, {"@value": "x", "@language": "en"}]
    return doc


def _deep(kind: str, depth: int) -> str:
    if kind == "array":
        return "[" * depth + "]" * depth
    if kind == "object":
        return '{"a":' * depth + "1" + "}" * depth
    inner = '{"@type":"Place","containedInPlace":' * depth + "1" + "}" * depth
    return '{"@context":"https://openactive.io/","@type":"Event","location":' + inner + "}"


deep_texts = st.builds(
    _deep,
    st.sampled_from(["array", "object", "event"]),
    st.sampled_from([50, 101, 400, 999, 1000, 3000]),
)
huge_number_texts = st.builds(
    lambda digits, key, sign: (
        '{"@context":"https://openactive.io/","@type":"Event","'
        + key
        + '":'
        + sign
        + "9" * digits
        + "}"
    ),
    st.sampled_from([22, 309, 400, 4300, 4301, 10000]),
    st.sampled_from(["maximumAttendeeCapacity", "name", "price", "https://ex.org/n"]),
    st.sampled_from(["", "-"]),
)


@st.composite
def mangled_texts(draw: st.DrawFn) -> str:
    """JSON text of a document, cut or spliced (often not JSON any more)."""
    value = draw(documents() | json_values)
    dumped = json.dumps(value, ensure_ascii=draw(st.booleans()))
    how = draw(st.sampled_from(["keep", "cut", "splice", "bom"]))
    if how == "cut":
        return dumped[: draw(st.integers(0, len(dumped)))]
    if how == "splice":
        at = draw(st.integers(0, len(dumped)))
        return (
            dumped[:at]
            + draw(st.sampled_from(["[", "{", '"', "\\ud800", "1e999", ",", "NaN"]))
            + dumped[at:]
        )
    if how == "bom":
        return "\ufeff" + dumped
    return dumped


texts = st.one_of(
    st.builds(json.dumps, documents()),
    mangled_texts(),
    deep_texts,
    huge_number_texts,
    st.text(max_size=30),
)
