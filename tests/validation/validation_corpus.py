"""The agreement corpus: the official data-models examples in their validation modes, and
deterministic single-point mutations of them.

Each mutation changes one thing at one place (drops a property, nulls a value, breaks a date,
misspells a key, shortens an enum IRI, adds an unknown property, ...). Sites are chosen with
a fixed seed, spread over the operators and the examples, so the corpus is the same on
every run and every machine. Used by ``test_validation_agreement.py`` and by
``benchmarks/bench_validation.py``.
"""

from __future__ import annotations

import copy
import json
import random
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SEED = 20240601
PER_OPERATOR = 14
"""Mutations drawn per operator (fewer when an operator has fewer sites)."""

Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Case:
    """One document to validate in one mode."""

    id: str
    mode: str
    doc: Any


def examples(data_models: Path) -> list[Case]:
    """The data-models examples (those in the package) with the mode their list gives."""
    base = data_models / "versions" / "2.x" / "examples"
    listing = json.loads((base / "example_list.json").read_text(encoding="utf-8"))
    cases = []
    for group in listing:
        for entry in group["exampleList"]:
            if entry["file"].startswith("http"):
                continue  # published elsewhere, not in the package
            doc = json.loads((base / entry["file"]).read_text(encoding="utf-8"))
            cases.append(Case(entry["file"], entry.get("validationMode", "RPDEFeed"), doc))
    for path in sorted((base / "tutorials").rglob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        cases.append(Case(str(path.relative_to(base)), "RPDEFeed", doc))
    return cases


# -- walking ---------------------------------------------------------------------------


def sites(doc: Any, path: Path_ = ()) -> Iterator[tuple[Path_, Any]]:
    """Every (path, value) below the root, depth first, in document order."""
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield (*path, key), value
            yield from sites(value, (*path, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield (*path, index), value
            yield from sites(value, (*path, index))


def objects(doc: Any, path: Path_ = ()) -> Iterator[tuple[Path_, dict[str, Any]]]:
    if isinstance(doc, dict):
        yield path, doc
    for sub_path, value in sites(doc, path):
        if isinstance(value, dict):
            yield sub_path, value


def parent_of(doc: Any, path: Path_) -> Any:
    for step in path[:-1]:
        doc = doc[step]
    return doc


def render(path: Path_) -> str:
    return "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in path) or "$"


# -- operators ---------------------------------------------------------------------------

DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(Z|[+-]\d{2}:\d{2})")
TIME = re.compile(r"\d{2}:\d{2}")
DURATION = re.compile(r"P(T?\d+[YMWDHS])+")
ENUM_IRI = re.compile(r"https://(openactive\.io|schema\.org)/[A-Z][A-Za-z]+")


def is_key(path: Path_) -> bool:
    return bool(path) and isinstance(path[-1], str)


def key_of(path: Path_) -> str:
    step = path[-1]
    return step if isinstance(step, str) else ""


ValueOp = Callable[[Path_, Any], Any]


def _replace(new: Callable[[Any], Any]) -> Callable[[Any, Path_], None]:
    def apply(doc: Any, path: Path_) -> None:
        holder = parent_of(doc, path)
        holder[path[-1]] = new(holder[path[-1]])

    return apply


def _rename(new: Callable[[str], str]) -> Callable[[Any, Path_], None]:
    def apply(doc: Any, path: Path_) -> None:
        holder = parent_of(doc, path)
        key = path[-1]
        items = [(new(k) if k == key else k, v) for k, v in holder.items()]
        holder.clear()
        holder.update(items)

    return apply


def _drop(doc: Any, path: Path_) -> None:
    del parent_of(doc, path)[path[-1]]


def _typo(key: str) -> str:
    if len(key) > 4:
        return key[:-2] + key[-1] + key[-2]  # swap the last two letters
    return key + "s"


def _add(key: str, value: Any) -> Callable[[Any, Path_], None]:
    def apply(doc: Any, path: Path_) -> None:
        target = doc
        for step in path:
            target = target[step]
        target[key] = value

    return apply


@dataclass(frozen=True)
class Operator:
    name: str
    applies: Callable[[Path_, Any], bool]
    apply: Callable[[Any, Path_], None]
    on_objects: bool = False


OPERATORS: tuple[Operator, ...] = (
    Operator("drop", lambda p, v: is_key(p) and key_of(p) != "@context", _drop),
    Operator("drop-type", lambda p, v: is_key(p) and key_of(p) in ("@type", "type"), _drop),
    Operator("drop-id", lambda p, v: is_key(p) and key_of(p) in ("@id", "id"), _drop),
    Operator(
        "null", lambda p, v: is_key(p) and not isinstance(v, dict | list), _replace(lambda v: None)
    ),
    Operator(
        "empty-string",
        lambda p, v: is_key(p) and isinstance(v, str) and key_of(p) not in ("@type", "type"),
        _replace(lambda v: ""),
    ),
    Operator("empty-array", lambda p, v: is_key(p) and isinstance(v, list), _replace(lambda v: [])),
    Operator(
        "unwrap-array",
        lambda p, v: is_key(p) and isinstance(v, list) and len(v) > 0,
        _replace(lambda v: v[0]),
    ),
    Operator(
        "wrap-array",
        lambda p, v: (
            is_key(p)
            and isinstance(v, str | int | float | dict)
            and not isinstance(v, bool)
            and key_of(p) not in ("@type", "type", "@context")
        ),
        _replace(lambda v: [v]),
    ),
    Operator(
        "number-as-string",
        lambda p, v: is_key(p) and isinstance(v, int | float) and not isinstance(v, bool),
        _replace(str),
    ),
    Operator(
        "string-as-number",
        lambda p, v: (
            is_key(p)
            and isinstance(v, str)
            and key_of(p)
            not in (
                "@type",
                "type",
                "@context",
                "addressCountry",
                "streetAddress",
                "addressLocality",
                "addressRegion",
                "postalCode",
                "priceCurrency",
                "availableChannel",
                "state",
            )
        ),
        _replace(lambda v: 42),
    ),
    Operator(
        "bool-as-string",
        lambda p, v: is_key(p) and isinstance(v, bool),
        _replace(lambda v: str(v).lower()),
    ),
    Operator(
        "object-as-reference",
        lambda p, v: is_key(p) and isinstance(v, dict) and key_of(p) not in ("data",),
        _replace(lambda v: v.get("@id", v.get("id", "https://example.com/things/1"))),
    ),
    Operator(
        "reference-as-object",
        lambda p, v: (
            is_key(p)
            and isinstance(v, str)
            and v.startswith("https://")
            and key_of(p) not in ("@id", "id", "@context", "url", "@type", "type")
        ),
        _replace(lambda v: {"@id": v}),
    ),
    Operator(
        "typo-key",
        lambda p, v: (
            is_key(p)
            and not key_of(p).startswith("@")
            and key_of(p)
            not in ("type", "id", "state", "kind", "data", "items", "next", "modified", "license")
        ),
        _rename(_typo),
    ),
    Operator(
        "prefix-key",
        lambda p, v: (
            is_key(p)
            and key_of(p).isalpha()
            and key_of(p)
            not in ("type", "id", "state", "kind", "data", "items", "next", "modified", "license")
        ),
        _rename(lambda k: "schema:" + k),
    ),
    Operator(
        "namespace-key",
        lambda p, v: (
            is_key(p)
            and key_of(p)
            in ("name", "description", "url", "startDate", "endDate", "price", "duration")
        ),
        _rename(lambda k: "https://schema.org/" + k),
    ),
    Operator(
        "type-alias",
        lambda p, v: is_key(p) and key_of(p) in ("@type", "@id"),
        _rename(lambda k: k[1:]),
    ),
    Operator(
        "type-keyword",
        lambda p, v: is_key(p) and key_of(p) in ("type", "id"),
        _rename(lambda k: "@" + k),
    ),
    Operator(
        "change-type",
        lambda p, v: is_key(p) and key_of(p) in ("@type", "type") and isinstance(v, str),
        _replace(
            lambda v: {"Event": "SessionSeries", "OrderQuote": "Order", "Order": "OrderQuote"}.get(
                v, "Event"
            )
        ),
    ),
    Operator(
        "unknown-type",
        lambda p, v: is_key(p) and key_of(p) in ("@type", "type") and isinstance(v, str),
        _replace(lambda v: "ExtraThing"),
    ),
    Operator(
        "prefixed-type",
        lambda p, v: (
            is_key(p) and key_of(p) in ("@type", "type") and isinstance(v, str) and v.isalpha()
        ),
        _replace(lambda v: "schema:" + v),
    ),
    Operator(
        "datetime-fraction",
        lambda p, v: isinstance(v, str) and bool(DATETIME.fullmatch(v)),
        _replace(lambda v: v[:19] + ".123" + v[19:]),
    ),
    Operator(
        "datetime-no-zone",
        lambda p, v: isinstance(v, str) and bool(DATETIME.fullmatch(v)),
        _replace(lambda v: v[:19]),
    ),
    Operator(
        "datetime-bad-day",
        lambda p, v: isinstance(v, str) and bool(DATETIME.fullmatch(v)),
        _replace(lambda v: v[:5] + "02-30" + v[10:]),
    ),
    Operator(
        "date-only",
        lambda p, v: isinstance(v, str) and bool(DATETIME.fullmatch(v)),
        _replace(lambda v: v[:10]),
    ),
    Operator(
        "time-with-zone",
        lambda p, v: isinstance(v, str) and bool(TIME.fullmatch(v)),
        _replace(lambda v: v + "Z"),
    ),
    Operator(
        "time-no-leading-zero",
        lambda p, v: isinstance(v, str) and bool(TIME.fullmatch(v)),
        _replace(lambda v: v.lstrip("0") or "0:00"),
    ),
    Operator(
        "duration-words",
        lambda p, v: isinstance(v, str) and bool(DURATION.fullmatch(v)),
        _replace(lambda v: "90 minutes"),
    ),
    Operator(
        "duration-zero",
        lambda p, v: isinstance(v, str) and bool(DURATION.fullmatch(v)),
        _replace(lambda v: "PT0S"),
    ),
    Operator(
        "enum-short",
        lambda p, v: isinstance(v, str) and bool(ENUM_IRI.fullmatch(v)),
        _replace(lambda v: v.rsplit("/", 1)[1]),
    ),
    Operator(
        "enum-curie",
        lambda p, v: isinstance(v, str) and bool(ENUM_IRI.fullmatch(v)),
        _replace(lambda v: ("oa:" if "openactive" in v else "schema:") + v.rsplit("/", 1)[1]),
    ),
    Operator(
        "currency-unknown",
        lambda p, v: is_key(p) and key_of(p) == "priceCurrency",
        _replace(lambda v: "XYZ"),
    ),
    Operator(
        "currency-lowercase",
        lambda p, v: is_key(p) and key_of(p) == "priceCurrency",
        _replace(lambda v: str(v).lower()),
    ),
    Operator(
        "country-uk",
        lambda p, v: is_key(p) and key_of(p) == "addressCountry",
        _replace(lambda v: "UK"),
    ),
    Operator(
        "coordinate-out-of-range",
        lambda p, v: is_key(p) and key_of(p) in ("latitude", "longitude"),
        _replace(lambda v: 200.5),
    ),
    Operator(
        "coordinate-low-precision",
        lambda p, v: is_key(p) and key_of(p) in ("latitude", "longitude"),
        _replace(lambda v: 51.5),
    ),
    Operator(
        "price-three-decimals",
        lambda p, v: is_key(p) and key_of(p) == "price" and isinstance(v, int | float),
        _replace(lambda v: v + 0.005),
    ),
    Operator(
        "negative-number",
        lambda p, v: is_key(p) and isinstance(v, int) and not isinstance(v, bool),
        _replace(lambda v: -3),
    ),
    Operator(
        "html",
        lambda p, v: (
            is_key(p)
            and key_of(p)
            in ("name", "description", "streetAddress", "attendeeInstructions", "prefLabel")
        ),
        _replace(lambda v: f"<p>{v}</p>"),
    ),
    Operator(
        "html-entity",
        lambda p, v: is_key(p) and key_of(p) in ("name", "description", "streetAddress"),
        _replace(lambda v: f"{v} &amp; more"),
    ),
    Operator(
        "relative-id",
        lambda p, v: is_key(p) and key_of(p) in ("@id", "id") and isinstance(v, str),
        _replace(lambda v: "/things/1"),
    ),
    Operator(
        "http-context",
        lambda p, v: is_key(p) and key_of(p) == "@context",
        _replace(lambda v: "http://openactive.io/"),
    ),
    Operator(
        "context-extra-first",
        lambda p, v: is_key(p) and key_of(p) == "@context",
        _replace(lambda v: ["https://openactive.io/ns-beta", *(v if isinstance(v, list) else [v])]),
    ),
    Operator(
        "context-inline",
        lambda p, v: is_key(p) and key_of(p) == "@context",
        _replace(lambda v: {"@vocab": "https://schema.org/"}),
    ),
    Operator("add-unknown", lambda p, v: True, _add("colour", "blue"), on_objects=True),
    Operator(
        "add-beta", lambda p, v: True, _add("beta:isWheelchairAccessible", True), on_objects=True
    ),
    Operator("add-extension", lambda p, v: True, _add("ext:internalCode", "X1"), on_objects=True),
    Operator("add-schema-org", lambda p, v: True, _add("keywords", "fun"), on_objects=True),
    Operator(
        "add-nested-context",
        lambda p, v: len(p) > 0,
        _add("@context", "https://openactive.io/"),
        on_objects=True,
    ),
    Operator(
        "add-value-object", lambda p, v: True, _add("name", {"@value": "A name"}), on_objects=True
    ),
)


# -- mutations aimed at what the official validator reads online --------------------------

NS_BETA = "https://openactive.io/ns-beta"
IMIN = "https://imin.co/"


def is_activity(path: Path_, value: Any) -> bool:
    """An object in an ``activity`` array (a Concept)."""
    return len(path) >= 2 and path[-2] == "activity" and isinstance(value, dict)


def _with_context(url: str, key: str, value: Any) -> Callable[[Any, Path_], None]:
    """Add ``url`` to the root's ``@context`` and ``key`` to the object at the path."""

    def apply(doc: Any, path: Path_) -> None:
        if isinstance(doc, dict) and "@context" in doc:
            context = doc["@context"]
            context = context if isinstance(context, list) else [context]
            if url not in context:
                doc["@context"] = [*context, url]
        _add(key, value)(doc, path)

    return apply


def _set_key(key: str, value: Any) -> Callable[[Any, Path_], None]:
    def apply(doc: Any, path: Path_) -> None:
        target = doc
        for step in path:
            target = target[step]
        if value is None:
            target.pop(key, None)
        else:
            target[key] = value

    return apply


def _upper_label(doc: Any, path: Path_) -> None:
    target = doc
    for step in path:
        target = target[step]
    if isinstance(target.get("prefLabel"), str):
        target["prefLabel"] = target["prefLabel"].upper()


ONLINE_OPERATORS: tuple[Operator, ...] = (
    Operator(
        "activity-unknown-id",
        is_activity,
        _set_key("@id", "https://openactive.io/activity-list#00000000-0000-4000-8000-000000000000"),
    ),
    Operator("activity-wrong-label", is_activity, _set_key("prefLabel", "Sky Knitting")),
    Operator("activity-label-case", is_activity, _upper_label),
    Operator(
        "activity-legacy-scheme",
        is_activity,
        _set_key("inScheme", "https://www.openactive.io/activity-list/activity-list.jsonld"),
    ),
    Operator("activity-no-scheme", is_activity, _set_key("inScheme", None)),
    Operator(
        "activity-other-scheme", is_activity, _set_key("inScheme", "https://example.com/list")
    ),
    Operator(
        "activity-facility-scheme",
        is_activity,
        _set_key("inScheme", "https://openactive.io/facility-types"),
    ),
    Operator(
        "context-add-beta",
        lambda p, v: is_key(p) and key_of(p) == "@context",
        _replace(lambda v: [*(v if isinstance(v, list) else [v]), NS_BETA]),
    ),
    Operator(
        "add-beta-defined",
        lambda p, v: True,
        _with_context(NS_BETA, "beta:isWheelchairAccessible", True),
        on_objects=True,
    ),
    Operator(
        "add-beta-unknown",
        lambda p, v: True,
        _with_context(NS_BETA, "beta:isWheelchairAccesible", True),
        on_objects=True,
    ),
    Operator(
        "add-beta-wrong-type",
        lambda p, v: True,
        _with_context(NS_BETA, "beta:partySize", 2),
        on_objects=True,
    ),
    Operator(
        "add-beta-superseded",
        lambda p, v: True,
        _with_context(NS_BETA, "beta:facilityType", "https://example.com/x"),
        on_objects=True,
    ),
    Operator(
        "add-imin",
        lambda p, v: True,
        _with_context(IMIN, "imin:membershipRequired", True),
        on_objects=True,
    ),
    Operator(
        "add-imin-unknown",
        lambda p, v: True,
        _with_context(IMIN, "imin:colour", "blue"),
        on_objects=True,
    ),
)


def mutations(base: list[Case], *, per_operator: int = PER_OPERATOR) -> list[Case]:
    """Single-point mutations of ``base``: up to ``per_operator`` per operator."""
    rng = random.Random(SEED)
    out: list[Case] = []
    for operator in (*OPERATORS, *ONLINE_OPERATORS):
        candidates: list[tuple[Case, Path_]] = []
        for case in base:
            if operator.on_objects:
                found = [(p, v) for p, v in objects(case.doc)]
            else:
                found = list(sites(case.doc))
            candidates += [(case, p) for p, v in found if operator.applies(p, v)]
        for case, path in rng.sample(candidates, min(per_operator, len(candidates))):
            doc = copy.deepcopy(case.doc)
            operator.apply(doc, path)
            out.append(Case(f"{case.id}#{operator.name}@{render(path)}", case.mode, doc))
    return out


#: Values and keys the random mutations draw from.
RANDOM_VALUES: tuple[Any, ...] = (
    None, "", [], {}, 0, -1, 1.5, 3, True, False, "text", "https://example.com/x",
    "2018-01-01", "2018-01-01T10:00:00Z", "10:00", "PT1H", "P0D", {"@type": "Thing"},
    {"@type": "Event"}, {"@type": "Place", "name": "x"}, {"@type": "Offer", "price": 0}, ["a"],
    [{}], [None], "<b>x</b>", "a &amp; b", "GBP", "gbp", "UK", "https://openactive.io/TaxNet",
    "https://schema.org/EventScheduled", "Monday", "MO", "https://openactive.io/activity-list",
    {"@id": "https://example.com/y"}, [1, 2], {"@value": "v"}, "ScheduledSession", "Schedule",
    "https://openactive.io/Required",
)  # fmt: skip
RANDOM_KEYS: tuple[str, ...] = (
    "name", "description", "url", "startDate", "endDate", "duration", "offers", "price",
    "priceCurrency", "location", "organizer", "activity", "@id", "@type", "type", "id",
    "eventSchedule", "subEvent", "superEvent", "ageRange", "genderRestriction", "eventStatus",
    "remainingAttendeeCapacity", "identifier", "seller", "broker", "customer", "orderedItem",
    "acceptedOffer", "position", "orderItemStatus", "beta:foo", "ext:bar", "schema:name",
    "https://schema.org/name", "keywords", "colour", "offer", "leader", "inScheme", "prefLabel",
    "byDay", "startTime", "scheduledEventType", "@context", "latitude", "addressCountry",
    "taxMode", "prepayment", "availableChannel", "isAccessibleForFree",
    "isAccessibleWithoutBooking", "minValue", "maxValue", "statusCode",
)  # fmt: skip
RANDOM_COUNT = 200


def _random_edit(rng: random.Random, doc: Any) -> str:
    """One random edit: set a value, delete or add a property, or rename a key."""
    all_sites = list(sites(doc))
    all_objects = list(objects(doc))
    roll = rng.random()
    if roll < 0.35 and all_sites:
        path, _ = rng.choice(all_sites)
        parent_of(doc, path)[path[-1]] = copy.deepcopy(rng.choice(RANDOM_VALUES))
        return f"set{render(path)}"
    keyed = [path for path, _ in all_sites if isinstance(path[-1], str)]
    if roll < 0.55 and keyed:
        path = rng.choice(keyed)
        del parent_of(doc, path)[path[-1]]
        return f"drop{render(path)}"
    path, target = rng.choice(all_objects)
    key = rng.choice(RANDOM_KEYS)
    if roll < 0.8 or not target:
        target[key] = copy.deepcopy(rng.choice(RANDOM_VALUES))
        return f"add{render(path)}.{key}"
    old = rng.choice(list(target))
    items = [(key if k == old else k, v) for k, v in target.items()]
    target.clear()
    target.update(items)
    return f"rename{render(path)}.{old}->{key}"


def random_mutations(
    base: list[Case], modes: list[str], *, count: int = RANDOM_COUNT
) -> list[Case]:
    """Random one- and two-point edits, 40% of them validated in another mode."""
    rng = random.Random(SEED + 1)
    out = []
    for index in range(count):
        case = rng.choice(base)
        doc = copy.deepcopy(case.doc)
        description = _random_edit(rng, doc)
        if rng.random() < 0.3:
            description += "+" + _random_edit(rng, doc)
        mode = case.mode if rng.random() < 0.6 else rng.choice(modes)
        out.append(Case(f"{case.id}#random{index}:{description}@{mode}", mode, doc))
    return out


def mode_swaps(base: list[Case]) -> list[Case]:
    """Booking examples validated in the neighbouring modes (a request as a response...)."""
    swaps = {
        "C1Request": ["C2Request", "BRequest"],
        "C1Response": ["C2Response", "OrderStatus"],
        "BRequest": ["C2Request", "BOrderProposalRequest"],
        "BResponse": ["OrderStatus", "C2Response"],
        "OrderPatch": ["OrderProposalPatch"],
        "PRequest": ["BOrderProposalRequest"],
    }
    out = []
    for case in base:
        for mode in swaps.get(case.mode, []):
            out.append(Case(f"{case.id}#mode={mode}", mode, copy.deepcopy(case.doc)))
    return out


def corpus(data_models: Path) -> list[Case]:
    """The examples, their mutations (by operator and random) and their mode swaps."""
    base = examples(data_models)
    listing = json.loads(
        (data_models / "versions" / "2.x" / "meta.json").read_text(encoding="utf-8")
    )
    modes = [
        entry["validationMode"]
        for group in listing["validationModeGroups"]
        for entry in group["validationModeList"]
    ]
    return base + mutations(base) + random_mutations(base, modes) + mode_swaps(base)
