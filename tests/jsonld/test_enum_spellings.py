"""Enumeration values keep the spelling they were read with (issue 12, item 1).

Under the OpenActive context an enumeration value is a plain string, so ``schema:Monday``
and ``https://schema.org/Monday`` are different values: the model holds the member
(``DayOfWeek.Monday``) for its users and writes back (and ``to_graph`` emits) the text read.
"""

from __future__ import annotations

import copy
import json
from typing import Any

import pytest

import openactive_checkout as oc
from openactive_checkout.vocab.enums import DayOfWeek, EventStatusType, GenderRestrictionType
from openactive_checkout.vocab.openactive import PartialSchedule, SessionSeries
from tests.jsonld.graphs import graph_of, isomorphic

SPELLINGS = [
    "https://schema.org/Tuesday",
    "http://schema.org/Tuesday",
    "schema:Tuesday",
    "Tuesday",
]


def series(by_day: Any, gender: str = "oa:MaleOnly") -> dict[str, Any]:
    return {
        "@context": "https://openactive.io/",
        "@type": "SessionSeries",
        "@id": "https://example.com/session-series/1",
        "name": "Walking Football",
        "genderRestriction": gender,
        "eventSchedule": [{"@type": "PartialSchedule", "byDay": by_day, "startTime": "18:00"}],
    }


@pytest.mark.parametrize("spelling", SPELLINGS)
@pytest.mark.parametrize("strict", [True, False], ids=["strict", "lenient"])
def test_the_member_is_read_and_the_text_written_back(spelling: str, strict: bool) -> None:
    document = series([spelling, "https://schema.org/Thursday"])
    model = oc.loads(document, model=SessionSeries, strict=strict)
    schedule = model.event_schedule[0]
    assert isinstance(schedule, PartialSchedule)
    assert schedule.by_day == [DayOfWeek.Tuesday, DayOfWeek.Thursday]
    assert model.gender_restriction is GenderRestrictionType.MaleOnly
    written = json.loads(oc.dumps(model))
    assert written == document
    assert isomorphic(oc.to_graph(model), graph_of(document))


@pytest.mark.parametrize(
    "spelling", ["schema:EventCancelled", "http://schema.org/EventCancelled", "EventCancelled"]
)
def test_a_single_valued_field_keeps_its_spelling_on_both_roads(spelling: str) -> None:
    document = {
        "@context": "https://openactive.io/",
        "@type": "ScheduledSession",
        "eventStatus": spelling,
    }
    inline = copy.deepcopy(document)
    inline["@context"] = ["https://openactive.io/", {"ex": "https://example.com/ns#"}]
    inline["description"] = {"@value": "Cancelled: pitch flooded", "@language": "en-GB"}
    for doc in (document, inline):  # the second reads on the normalising road
        model = oc.loads(doc)
        assert model.event_status is EventStatusType.EventCancelled  # type: ignore[attr-defined]
        assert json.loads(oc.dumps(model))["eventStatus"] == spelling
        assert isomorphic(oc.to_graph(model), graph_of(doc))


def test_a_model_built_in_code_writes_the_canonical_spelling() -> None:
    model = PartialSchedule(by_day=[DayOfWeek.Monday])
    assert json.loads(oc.dumps(model))["byDay"] == ["https://schema.org/Monday"]


def test_a_changed_value_is_written_canonically() -> None:
    model = oc.loads(series(["Monday", "schema:Friday"]), model=SessionSeries)
    schedule = model.event_schedule[0]
    assert isinstance(schedule, PartialSchedule)
    schedule.by_day = [DayOfWeek.Friday, DayOfWeek.Saturday]  # Friday moved: canonical too
    model.gender_restriction = GenderRestrictionType.FemaleOnly
    written = json.loads(oc.dumps(model))
    assert written["eventSchedule"][0]["byDay"] == [
        "https://schema.org/Friday",
        "https://schema.org/Saturday",
    ]
    assert written["genderRestriction"] == "https://openactive.io/FemaleOnly"


def test_an_unchanged_value_keeps_its_spelling_when_others_change() -> None:
    model = oc.loads(series(["Monday", "schema:Friday"]), model=SessionSeries)
    schedule = model.event_schedule[0]
    assert isinstance(schedule, PartialSchedule)
    schedule.by_day.append(DayOfWeek.Sunday)
    copied = model.model_copy(deep=True)
    for each in (model, copied):
        written = json.loads(oc.dumps(each))
        assert written["eventSchedule"][0]["byDay"] == [
            "Monday",
            "schema:Friday",
            "https://schema.org/Sunday",
        ]
        assert written["genderRestriction"] == "oa:MaleOnly"


def test_spellings_do_not_change_equality() -> None:
    spelled = oc.loads(series("schema:Monday", "MaleOnly"))
    canonical = oc.loads(series("https://schema.org/Monday", "https://openactive.io/MaleOnly"))
    assert spelled == canonical
    assert oc.dumps(spelled) != oc.dumps(canonical)
