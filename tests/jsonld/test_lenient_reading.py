"""Lenient reading (issue 12, item 3) on documents shaped like what publishers send.

``tests/jsonld/real/`` holds documents written for these tests, each modelled on a habit of
real feeds: dates where date-times are required, prices as text, free text for a Concept,
placeholders, PHP's floats and text booleans, enumeration values spelled as ``http:`` IRIs,
CURIEs or bare names. On every one, and on mutations of them, a lenient read must keep the
graph (pyld's canonical N-Quads before and after), ``to_graph`` must equal pyld's graph, the
writer must write no ``[]``, ``null`` or ``""`` the document did not have, and each kept
value must be listed with the path and wording of the error a strict read raises.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyld import jsonld

import openactive_checkout as oc
from openactive_checkout.jsonld import _fast, pyld_document_loader
from openactive_checkout.vocab.openactive import Offer, ScheduledSession
from tests.jsonld.graphs import graph_of, isomorphic

CORPUS = Path(__file__).parent / "real"
FILES = sorted(CORPUS.glob("*.json"))
DATE_TIME = "expected an ISO 8601 date-time with a UTC offset, such as 2018-10-03T20:15:00+01:00"

PROBLEMS: dict[str, set[str]] = {
    "activity-as-free-text": {"$.activity[0]"},
    "bare-enum-names": set(),
    "beta-extension-text-boolean": {'$["beta:isWheelchairAccessible"]'},
    "clean-control": set(),
    "date-where-date-time-required": {"$.startDate", "$.endDate"},
    "dotnet-session-series-http-schema-enums": set(),
    "facility-use-slots": {"$.event[0].duration", "$.event[0].offers[0].price"},
    "mixed-good-and-bad-list-items": {"$.activity[1]", "$.eventSchedule[0].byDay[1]"},
    "normalising-road-legacy-context": {
        "$.startDate",
        "$.superEvent.activity[0]",
        "$.superEvent.offers[0].price",
    },
    "php-floats-and-text-booleans": {
        "$.maximumAttendeeCapacity",
        "$.isCoached",
        "$.isAccessibleForFree",
        "$.location.geo.latitude",
    },
    "php-scheduled-session-curie-enums": set(),
    "placeholders": {"$.startDate", "$.duration", "$.maximumAttendeeCapacity"},
    "price-as-text": {"$.offers[0].price"},
}
"""Where each document has a value that does not fit its field (JSONPath)."""


def load(path: Path) -> Any:
    return json.loads(path.read_text(encoding="utf-8"))


def canonical(document: Any) -> str:
    """pyld's canonical N-Quads (URDNA2015) of a JSON-LD document, with the bundled loader."""
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": pyld_document_loader(),
    }
    return str(jsonld.normalize(copy.deepcopy(document), options))


def empties(value: Any, path: str = "$") -> Iterator[str]:
    """Where a JSON value holds ``[]``, ``null`` or ``""``."""
    if value is None or value in ("", []):
        yield path
    if isinstance(value, dict):
        for key, item in value.items():
            yield from empties(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from empties(item, f"{path}[{index}]")


def check_round_trip(document: Any) -> oc.JsonLdNode:
    """Read leniently, then: the same graph written back, to_graph as pyld, no empties."""
    model = oc.loads(document, strict=False)
    written = json.loads(oc.dumps(model))
    assert canonical(written) == canonical(document)
    assert isomorphic(oc.to_graph(model), graph_of(document))
    assert set(empties(written)) <= set(empties(document))
    return model


def test_the_corpus_has_every_document_listed() -> None:
    assert {path.stem for path in FILES} == set(PROBLEMS)


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_a_lenient_read_keeps_the_graph_and_lists_each_misfit(path: Path) -> None:
    document = load(path)
    model = check_round_trip(document)
    problems = oc.read_problems(model)
    assert {problem.json_path for problem in problems} == PROBLEMS[path.stem]
    assert len(problems) == len(PROBLEMS[path.stem])  # each once


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_the_normalising_road_reads_leniently_too(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def fall_back(reader: Any, document: Any) -> Any:
        raise _fast.FallbackError

    monkeypatch.setattr(_fast.FastReader, "read_root", fall_back)
    model = check_round_trip(load(path))
    found = {problem.json_path for problem in oc.read_problems(model)}
    assert found == PROBLEMS[path.stem]


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_a_strict_read_raises_the_first_problem_with_the_same_wording(path: Path) -> None:
    document = load(path)
    problems = oc.read_problems(oc.loads(document, strict=False))
    if not problems:
        assert oc.read_problems(oc.loads(document)) == ()
        return
    with pytest.raises(oc.DataError) as caught:
        oc.loads(document)
    error = caught.value
    assert (error.path, error.reason) in {(p.path, p.message) for p in problems}


@pytest.mark.parametrize("path", FILES, ids=[path.stem for path in FILES])
def test_validation_gives_a_verdict_on_every_document(path: Path) -> None:
    document = load(path)
    report = oc.validate(document)
    model = oc.loads(document, strict=False)
    assert oc.validate(model).issues  # the model is validated as its wire JSON
    flagged = {issue.path for issue in report.issues}
    for problem in oc.read_problems(model):
        typed = "ISO 8601" in problem.message or "JSON number" in problem.message
        if typed and found_at(document, problem.path):  # (a path names the model's key)
            assert problem.path in flagged, problem  # the rules report what a read keeps


def found_at(document: Any, path: tuple[Any, ...]) -> bool:
    for step in path:
        in_object = isinstance(document, dict) and step in document
        in_array = isinstance(document, list) and isinstance(step, int) and step < len(document)
        if not (in_object or in_array):
            return False
        document = document[step]
    return True


def test_well_formed_values_are_typed_and_misfits_kept_under_their_key() -> None:
    document = load(CORPUS / "date-where-date-time-required.json")
    session = oc.loads(document, model=ScheduledSession, strict=False)
    assert session.start_date is None
    assert session.end_date is None
    assert session.model_extra == {"startDate": "2025-06-14", "endDate": "2025-06-14"}
    assert session.maximum_attendee_capacity == 30
    problem = oc.read_problems(session)[0]
    assert isinstance(problem, oc.ReadProblem)
    assert problem.path == ("startDate",)
    assert problem.value == "2025-06-14"
    assert problem.message == f"{DATE_TIME} (got '2025-06-14')"
    assert str(problem) == f"$.startDate: {DATE_TIME} (got '2025-06-14')"


def test_good_items_of_a_list_stay_typed_beside_the_kept_ones() -> None:
    series = oc.loads(load(CORPUS / "mixed-good-and-bad-list-items.json"), strict=False)
    schedule = series.event_schedule[0]  # type: ignore[attr-defined]
    assert [str(day) for day in schedule.by_day] == [
        "https://schema.org/Monday",
        "https://schema.org/Saturday",
    ]
    assert schedule.model_extra == {"byDay": [3]}
    assert [concept.pref_label for concept in series.activity] == ["Badminton"]  # type: ignore[attr-defined]
    assert series.model_extra == {"activity": "Badminton (club night)"}


def test_problems_belong_to_the_node_that_holds_the_value() -> None:
    series = oc.loads(load(CORPUS / "price-as-text.json"), strict=False)
    member, guest = series.offers  # type: ignore[attr-defined]
    assert isinstance(member, Offer)
    assert member.price is None
    assert [p.json_path for p in oc.read_problems(member)] == ["$.offers[0].price"]
    assert oc.read_problems(guest) == ()
    assert str(guest.price) == "7.5"


def test_models_read_strictly_or_built_in_code_have_no_problems() -> None:
    assert oc.read_problems(oc.loads(load(CORPUS / "clean-control.json"))) == ()
    assert oc.read_problems(ScheduledSession(name="x")) == ()
    with pytest.raises(oc.DataError, match="expected a model"):
        oc.read_problems({"@type": "Event"})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    [b"\xff\xfe", "not json", "[1, 2]", '"text"', '{"@context": 5, "@type": "Event"}'],
    ids=["not-utf8", "not-json", "array", "string", "bad-context"],
)
def test_a_lenient_read_still_refuses_what_is_not_json_ld(text: str | bytes) -> None:
    with pytest.raises(oc.OpenActiveCheckoutError):
        oc.loads(text, strict=False)


# -- mutations -----------------------------------------------------------------------------

BAD_VALUES: list[Any] = [
    "TBC", "2025-06-14", "5.00", 7.0, "true", ["x", 3], None,
    {"@type": "Concept", "prefLabel": "x"}, "Monday", "schema:EventCancelled",
]  # fmt: skip
"""Misfits publishers send (``""`` is left to the writer's own tests: item 2 of issue 12)."""


def leaves(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Paths of the scalar values of a document, keywords and contexts left out."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not key.startswith("@") and key not in ("type", "id"):
                yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    else:
        yield path


def mutated(document: Any, path: tuple[Any, ...], value: Any) -> Any:
    out = copy.deepcopy(document)
    target = out
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return out


@pytest.mark.parametrize(
    "name", ["clean-control", "php-scheduled-session-curie-enums", "facility-use-slots"]
)
def test_every_value_mutated_into_a_misfit_reads_leniently(name: str) -> None:
    document = load(CORPUS / f"{name}.json")
    for path in leaves(document):
        for value in BAD_VALUES:
            changed = mutated(document, path, value)
            problems = {(p.path, p.message) for p in oc.read_problems(check_round_trip(changed))}
            try:
                oc.loads(changed)
            except oc.DataError as error:
                raised: Any = (error.path, error.reason)
            else:
                raised = None
            assert raised is None or raised in problems


@pytest.mark.parametrize("road", ["fast", "normalising"])
def test_a_key_json_ld_ignores_is_listed_not_refused(
    road: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    document = load(CORPUS / "clean-control.json")
    document["offers"][0]["@unknown"] = "kept?"
    if road == "normalising":

        def fall_back(reader: Any, document: Any) -> Any:
            raise _fast.FallbackError

        monkeypatch.setattr(_fast.FastReader, "read_root", fall_back)
    with pytest.raises(oc.DataError, match="has no meaning") as caught:
        oc.loads(document)
    model = check_round_trip(document)
    [problem] = oc.read_problems(model)
    assert (problem.path, problem.message) == (caught.value.path, caught.value.reason)
    assert problem.json_path == '$.offers[0]["@unknown"]'
