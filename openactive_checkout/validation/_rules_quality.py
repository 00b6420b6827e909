"""Data-quality rules: dates in order, durations, age ranges, activity lists, free offers,
addresses, HTML, concepts, event structure, prices and prepayment."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from typing import Any

from ..errors import PathPart
from ._engine import Check
from ._formats import contains_html, duration_is_zero, is_date, is_datetime
from ._issues import Severity
from ._js import js_less_than, js_strict_equal, js_string
from ._node import Node
from ._registry import Code, register
from ._remote import ConceptList
from ._terms import MISSING

EVENT_MODELS = [
    "Event",
    "CourseInstance",
    "EventSeries",
    "HeadlineEvent",
    "ScheduledSession",
    "SessionSeries",
]
SCHEDULED_MODELS = [*EVENT_MODELS, "Schedule", "Slot"]

_OFFSET_RE = re.compile(r"(Z|z)|([+-])([0-9]{2}):?([0-9]{2})?")


def instant(value: Any) -> datetime | None:
    """A DateTime or Date value as an instant (dates at UTC midnight); None if invalid."""
    text = js_string(value) if value is not None else ""
    if is_datetime(text):
        base = datetime(int(text[0:4]), int(text[5:7]), int(text[8:10]), tzinfo=UTC)
        hours, minutes, seconds = int(text[11:13]), int(text[14:16]), int(text[17:19])
        moment = base + timedelta(hours=hours, minutes=minutes, seconds=seconds)
        match = _OFFSET_RE.fullmatch(text[19:])
        if match is not None and match.group(2):
            sign = 1 if match.group(2) == "+" else -1
            moment -= sign * timedelta(hours=int(match.group(3)), minutes=int(match.group(4) or 0))
        return moment
    if is_date(text):
        digits = text.replace("-", "")
        return datetime(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]), tzinfo=UTC)
    return None


@register(
    "EndBeforeStart",
    "model",
    [
        Code(
            "start-after-end",
            Severity.FAILURE,
            "``startDate`` is after ``endDate``.",
            "EndBeforeStartRule.default",
        )
    ],
    models=SCHEDULED_MODELS,
)
def end_before_start(check: Check, node: Node) -> None:
    """An event does not end before it starts."""
    start_value = node.inherited("startDate")
    end_value = node.inherited("endDate")
    if start_value is MISSING or end_value is MISSING:
        return
    start, end = instant(start_value), instant(end_value)
    if start is not None and end is not None and start > end:
        check.emit(
            "start-after-end",
            node.path_to(node.key_of("startDate") or "startDate"),
            f"The start date is after the end date of `{node.model.type}`.",
            start_value,
        )


@register(
    "DatesMustHaveDuration",
    "model",
    [
        Code(
            "duration-missing",
            Severity.FAILURE,
            "An event with a start and an end date has no ``duration``.",
            "DatesMustHaveDurationRule.default",
        )
    ],
    models=SCHEDULED_MODELS,
    modes=["RPDEFeed", "BookableRPDEFeed"],
)
def dates_must_have_duration(check: Check, node: Node) -> None:
    """Events with ``startDate`` and ``endDate`` state their ``duration``."""
    if node.inherited("startDate") is MISSING or node.inherited("endDate") is MISSING:
        return
    if node.inherited("duration") is MISSING:
        check.emit(
            "duration-missing",
            node.path_to("duration"),
            "A duration must be provided when a start date and an end date are set.",
        )


@register(
    "NoZeroDuration",
    "model",
    [
        Code(
            "zero-duration",
            Severity.FAILURE,
            "A ``duration`` is zero (or unreadable, which reads as zero).",
            "NoZeroDurationRule.default",
        )
    ],
    models=SCHEDULED_MODELS,
)
def no_zero_duration(check: Check, node: Node) -> None:
    """Durations are not zero."""
    if not node.has("duration"):
        return
    value = node.get("duration")
    if duration_is_zero(value):
        check.emit(
            "zero-duration",
            node.path_to(node.key_of("duration")),
            f"A `{node.model.type}` must have a non-zero duration.",
            value,
        )


@register(
    "MaxLessThanMin",
    "model",
    [
        Code(
            "min-above-max",
            Severity.WARNING,
            "``minValue`` is greater than ``maxValue``.",
            "MaxLessThenMinRule.default",
        )
    ],
    models=["QuantitativeValue"],
)
def max_less_than_min(check: Check, node: Node) -> None:
    """A range's minimum is not above its maximum."""
    low = node.inherited("minValue")
    high = node.inherited("maxValue")
    if low is MISSING or high is MISSING:
        return
    if js_less_than(high, low):
        check.emit(
            "min-above-max",
            node.path_to(node.key_of("minValue") or "minValue"),
            "`minValue` must not be greater than `maxValue`.",
            low,
        )


@register(
    "AgeRangeMinOrMax",
    "field",
    [
        Code(
            "age-range-empty",
            Severity.FAILURE,
            "An ``ageRange`` has neither ``minValue`` nor ``maxValue``.",
            "AgeRangeMinOrMaxRule.default",
        )
    ],
    fields={"Event": ["ageRange"]},
)
def age_range_min_or_max(check: Check, node: Node, key: str) -> None:
    """An event's ``ageRange`` states a minimum or a maximum."""
    value = node.value[key]
    if value is MISSING:
        return
    terms = check.spec.terms
    has_bound = isinstance(value, dict) and (
        terms.has_field(value, "minValue") or terms.has_field(value, "maxValue")
    )
    if not has_bound:
        check.emit(
            "age-range-empty",
            node.path_to(key),
            f'`{node.model.type}` "{key}" must have a `minValue` or a `maxValue`.',
            value,
        )


_UPGRADE_LISTS = frozenset(
    {
        "https://www.openactive.io/activity-list/activity-list.jsonld",
        "https://openactive.io/activity-list/activity-list.jsonld",
        "http://www.openactive.io/activity-list/activity-list.jsonld",
        "http://openactive.io/activity-list/activity-list.jsonld",
        "https://www.openactive.io/activity-list/",
        "https://openactive.io/activity-list/",
        "http://www.openactive.io/activity-list/",
        "http://openactive.io/activity-list/",
        "https://www.openactive.io/activity-list",
        "http://www.openactive.io/activity-list",
        "http://openactive.io/activity-list",
    }
)


@register(
    "ActivityInActivityList",
    "field",
    [
        Code(
            "activity-list-outdated",
            Severity.FAILURE,
            "An activity's ``inScheme`` is an old address of the OpenActive activity list.",
            "ActivityInActivityListRule.upgradeActivityList",
        ),
        Code(
            "activity-list-unofficial",
            Severity.FAILURE,
            "An activity does not use the official OpenActive activity list as ``inScheme``.",
            "ActivityInActivityListRule.useOfficialActivityList",
        ),
        Code(
            "activity-list-unavailable",
            Severity.FAILURE,
            "An activity's concept scheme did not load (neither published and bundled, nor "
            "given with ``documents=``; or validation is offline), so the activity cannot be "
            "checked against it.",
            "ActivityInActivityListRule.listErrorCode",
        ),
        Code(
            "activity-not-in-list",
            Severity.FAILURE,
            "An activity is not in its activity list: no concept has its ``@id`` or its "
            "``prefLabel`` (case-insensitive).",
            "ActivityInActivityListRule.default",
        ),
        Code(
            "activity-label-mismatch",
            Severity.WARNING,
            "An activity's ``@id`` is in the activity list, but its ``prefLabel`` is not that "
            "concept's.",
            "ActivityInActivityListRule.noPrefLabelMatch",
        ),
        Code(
            "activity-id-mismatch",
            Severity.FAILURE,
            "An activity's ``prefLabel`` is in the activity list, but its ``@id`` is not that "
            "concept's (or is missing).",
            "ActivityInActivityListRule.noIdMatch",
        ),
    ],
    fields={
        name: ["activity"]
        for name in (
            "Event",
            "FacilityUse",
            "IndividualFacilityUse",
            "CourseInstance",
            "EventSeries",
            "HeadlineEvent",
            "SessionSeries",
            "Course",
        )
    },
)
def activity_in_activity_list(check: Check, node: Node, key: str) -> None:
    """Activities come from the OpenActive activity list: each is looked up, by ``@id`` and
    by ``prefLabel``, in the list its ``inScheme`` names (the official list when it names an
    old address of it, or none), in O(1) through an index built once per list. The list
    comes from the published documents bundled with the library (or the caller's
    ``documents=``); offline, nothing loads and each activity is reported unchecked, as the
    official validator reports it offline."""
    value = node.value[key]
    if not isinstance(value, list):
        return
    defaults: list[str] = check.spec.meta["defaultActivityLists"]
    terms = check.spec.terms
    for index, activity in enumerate(value):
        if not isinstance(activity, dict | list):
            continue
        path = node.path_to(key, index)
        given: dict[str, Any] = activity if isinstance(activity, dict) else {}
        scheme = terms.field(given, "inScheme") if given is activity else MISSING
        lists = list(defaults)
        if scheme is not MISSING and isinstance(scheme, str) and scheme in _UPGRADE_LISTS:
            check.emit(
                "activity-list-outdated",
                path,
                f'Use "https://openactive.io/activity-list" as `inScheme` instead of "{scheme}".',
                activity,
            )
        elif scheme is MISSING or not any(js_strict_equal(scheme, d) for d in defaults):
            if scheme is not MISSING:
                lists = [scheme]
            check.emit(
                "activity-list-unofficial",
                path,
                "Align activities with the official OpenActive activity list "
                '("inScheme": "https://openactive.io/activity-list").',
                activity,
            )
        loaded: list[ConceptList] = []
        for url in lists:
            found = check.documents.concept_list(url) if isinstance(url, str) else None
            if found is None:
                check.emit(
                    "activity-list-unavailable",
                    path,
                    f"The activity list {js_string(url)} did not load, so this activity could "
                    "not be checked against it.",
                    activity,
                )
            else:
                loaded.append(found)
        label = terms.field(given, "prefLabel") if given is activity else MISSING
        concept_id = terms.field(given, "id") if given is activity else MISSING
        _look_up(check, path, activity, loaded, (label, concept_id))


def _look_up(
    check: Check,
    path: tuple[PathPart, ...],
    activity: Any,
    loaded: list[ConceptList],
    given: tuple[Any, Any],
) -> None:
    """The validator's walk over each list's concepts, answered from the indexes: the first
    concept (in list order) whose ``prefLabel`` (case-insensitive) or ``id`` matches decides.
    ``given`` is the activity's (``prefLabel``, ``@id``)."""
    label, concept_id = given
    for concepts in loaded:
        if not concepts.ids:
            continue
        hits = []
        if label is not MISSING and isinstance(label, str):
            hits.append(concepts.by_label.get(label.lower()))
        if concept_id is not MISSING and isinstance(concept_id, str):
            hits.append(concepts.by_id.get(concept_id))
        positions = [p for p in hits if p is not None]
        if not positions:
            continue
        first = min(positions)
        right_label = concepts.labels[first]
        right_id = concepts.ids[first]
        label_ok = label is MISSING or (
            isinstance(label, str)
            and isinstance(right_label, str)
            and right_label.lower() == label.lower()
        )
        id_ok = concept_id is MISSING or js_strict_equal(right_id, concept_id)
        if not label_ok:
            check.emit(
                "activity-label-mismatch",
                path,
                f"Activity {js_string(concept_id)} was found in the activity list "
                f'"{concepts.url}", but its `prefLabel` does not match: the correct '
                f"`prefLabel` is {js_string(right_label)}.",
                activity,
            )
        elif not id_ok:
            check.emit(
                "activity-id-mismatch",
                path,
                f"Activity {js_string(label)} was found in the activity list "
                f'"{concepts.url}", but its `@id` does not match: the correct `@id` is '
                f"{js_string(right_id)}.",
                activity,
            )
        return
    shown = label if isinstance(label, str) else concept_id
    check.emit(
        "activity-not-in-list",
        path,
        (
            f"Activity {js_string(shown)} could not be found in the activity list."
            if shown is not MISSING
            else "The activity could not be found in the activity list."
        ),
        activity,
    )


@register(
    "IsAccessibleForFree",
    "model",
    [
        Code(
            "free-offer-not-marked-free",
            Severity.WARNING,
            "An event has an offer with ``price`` 0 but is not ``isAccessibleForFree``.",
            "IsAccessibleForFreeRule.default",
        )
    ],
    models=EVENT_MODELS,
)
def is_accessible_for_free(check: Check, node: Node) -> None:
    """Events with a free offer say ``isAccessibleForFree: true``."""
    if not node.model.has_spec:
        return
    free = node.mapped("isAccessibleForFree")
    if free is True:
        return
    offers = node.inherited("offers")
    if not isinstance(offers, list):
        return
    for offer in offers:
        price = check.spec.terms.field(offer, "price") if isinstance(offer, dict) else MISSING
        if not isinstance(price, bool) and isinstance(price, int | float) and price == 0:
            check.emit(
                "free-offer-not-marked-free",
                node.path_to(node.key_of("isAccessibleForFree") or "isAccessibleForFree"),
                f"A `{node.model.type}` with a free offer (price 0) should set "
                "`isAccessibleForFree` to true.",
                None if free is MISSING else free,
            )
            return


@register(
    "AddressTrailingComma",
    "field",
    [
        Code(
            "address-trailing-comma",
            Severity.WARNING,
            "An address component ends with a comma.",
            "AddressTrailingCommaRule.default",
        )
    ],
    fields={
        "PostalAddress": [
            "streetAddress",
            "addressLocality",
            "addressRegion",
            "addressCountry",
            "postalCode",
        ]
    },
)
def address_trailing_comma(check: Check, node: Node, key: str) -> None:
    """Address components have no trailing comma."""
    value = node.value[key]
    if isinstance(value, str) and re.search(r",\s*$", value):
        check.emit(
            "address-trailing-comma",
            node.path_to(key),
            "Address properties should not end with a comma.",
            value,
        )


@register(
    "AddressWarning",
    "field",
    [
        Code(
            "address-not-structured",
            Severity.WARNING,
            "A place's ``address`` is a string, not a ``PostalAddress``.",
            "AddressWarningRule.default",
        )
    ],
    fields={"Place": ["address"]},
    applies=lambda model, key: model.has_spec,
)
def address_warning(check: Check, node: Node, key: str) -> None:
    """Addresses are structured (``PostalAddress``), which more consumers can use."""
    value = node.value[key]
    if value is not MISSING and value is not None and not isinstance(value, dict | list):
        check.emit(
            "address-not-structured",
            node.path,
            "Give the address as a PostalAddress with its components (streetAddress, "
            "addressLocality, addressRegion, postalCode, addressCountry).",
            value,
        )


@register(
    "NoHtml",
    "field",
    [
        Code(
            "html",
            Severity.FAILURE,
            "A text value contains HTML tags or entities.",
            "NoHtmlRule.default",
        ),
        Code(
            "html-in-description",
            Severity.FAILURE,
            "``description`` contains HTML (use ``beta:formattedDescription`` for that).",
            "NoHtmlRule.descriptionIncludesHtml",
        ),
    ],
    applies=lambda model, key: key != "beta:formattedDescription",
    strings_only=lambda model, key: True,
)
def no_html(check: Check, node: Node, key: str) -> None:
    """Text is plain: no tags, no entities (except in ``beta:formattedDescription``)."""
    value = node.value[key]
    if isinstance(value, str) and contains_html(value):
        in_description = key == "description"
        check.emit(
            "html-in-description" if in_description else "html",
            node.path_to(key),
            "HTML must be stripped from `description`; put the HTML in "
            "`beta:formattedDescription` as well."
            if in_description
            else "HTML must be stripped from all data before publishing.",
            value,
        )


@register(
    "ConceptIdInScheme",
    "field",
    [
        Code(
            "concept-id-without-scheme",
            Severity.WARNING,
            "A ``Concept`` has an ``@id`` without ``inScheme``, or ``inScheme`` without an "
            "``@id``.",
            "ConceptIdInSchemeRule.default",
        )
    ],
    fields={"Concept": ["id", "inScheme"]},
)
def concept_id_in_scheme(check: Check, node: Node, key: str) -> None:
    """A concept from a controlled vocabulary has both its ``@id`` and ``inScheme``."""
    other = "inScheme" if check.spec.terms.qualify(key).alias == "id" else "id"
    if not node.has(other):
        check.emit(
            "concept-id-without-scheme",
            node.path_to(key),
            f"A Concept with `{key}` also needs `{'@id' if other == 'id' else other}`.",
            node.value[key],
        )


@register(
    "ConceptNoPropsIfInScheme",
    "field",
    [
        Code(
            "concept-redundant-property",
            Severity.WARNING,
            "A ``Concept`` from a controlled vocabulary repeats vocabulary data inline.",
            "ConceptNoPropsIfInSchemeRule.default",
        )
    ],
    fields={"Concept": ["broader", "narrower", "definition", "related"]},
)
def concept_no_props_if_in_scheme(check: Check, node: Node, key: str) -> None:
    """A concept from a controlled vocabulary does not repeat the vocabulary's data."""
    if node.has("inScheme"):
        check.emit(
            "concept-redundant-property",
            node.path_to(key),
            f"`{key}` is defined by the vocabulary in `inScheme`: remove it from the JSON.",
            node.value[key],
        )


@register(
    "OpenactiveUrlsCorrect",
    "model",
    [
        Code(
            "openactive-url-not-https",
            Severity.FAILURE,
            "An OpenActive context URL does not start with ``https://openactive.io``.",
            "OpenactiveUrlsCorrectRule.default",
        )
    ],
)
def openactive_urls_correct(check: Check, node: Node) -> None:
    """OpenActive URLs are ``https://openactive.io/...`` (not http, not www)."""
    if not node.model.is_json_ld:
        return
    value = node.get("@context")
    contexts = [value] if isinstance(value, str) else value if isinstance(value, list) else []
    for context in contexts:
        if (
            isinstance(context, str)
            and re.match(r"https?://(www.)?openactive\.io", context)
            and not context.startswith("https://openactive.io")
        ):
            check.emit(
                "openactive-url-not-https",
                node.path_to("@context"),
                "OpenActive URLs must start with https://openactive.io.",
                value,
            )
            return


@register(
    "ThumbnailHasNoThumbnail",
    "model",
    [
        Code(
            "nested-thumbnail",
            Severity.FAILURE,
            "The thumbnail of an ``ImageObject`` has a thumbnail of its own.",
            "ThumbnailHasNoThumbnailRule.default",
        )
    ],
    models=["ImageObject"],
)
def thumbnail_has_no_thumbnail(check: Check, node: Node) -> None:
    """Thumbnails do not nest."""
    parent = node.parent
    if node.has("thumbnail") and parent is not None and parent.model.type == "ImageObject":
        check.emit(
            "nested-thumbnail",
            node.path_to(node.key_of("thumbnail")),
            "The thumbnail of an `ImageObject` cannot have a thumbnail of its own.",
            node.get("thumbnail"),
        )


@register(
    "EventNoScheduleSubevent",
    "model",
    [
        Code(
            "event-has-schedule-or-subevent",
            Severity.WARNING,
            "An ``Event`` has ``eventSchedule`` or ``subEvent``: a more specific type "
            "(``SessionSeries``, ``CourseInstance``, ``EventSeries``) fits better.",
            "EventNoScheduleSubeventRule.default",
        )
    ],
    models=["Event"],
)
def event_no_schedule_subevent(check: Check, node: Node) -> None:
    """A plain ``Event`` does not group other events."""
    if node.model.type != "Event":
        return
    for field in ("eventSchedule", "subEvent"):
        if node.get(field) is not MISSING:
            check.emit(
                "event-has-schedule-or-subevent",
                node.path,
                f"`{field}` was found on an `Event`: to group events use `SessionSeries`, "
                "`CourseInstance` or `EventSeries`.",
            )
            return


@register(
    "SessionCourseHasSubeventOrSchedule",
    "model",
    [
        Code(
            "schedule-or-subevent-missing",
            Severity.FAILURE,
            "A ``SessionSeries`` or ``CourseInstance`` has neither ``eventSchedule`` nor "
            "``subEvent``.",
            "SessionCourseHasSubeventOrScheduleRule.default",
        )
    ],
    models=["SessionSeries", "CourseInstance"],
)
def session_course_has_subevent_or_schedule(check: Check, node: Node) -> None:
    """Series and courses say when they happen."""

    def absent(value: Any) -> bool:
        return value is MISSING or value == []

    if (
        absent(node.get("eventSchedule"))
        and absent(node.get("subEvent"))
        and node.name != "superEvent"
    ):
        check.emit(
            "schedule-or-subevent-missing",
            node.path,
            f"A `{node.model.type}` must have an `eventSchedule` or at least one `subEvent`.",
        )


@register(
    "ScheduledSessionMustBeSubevent",
    "model",
    [
        Code(
            "scheduled-session-without-parent",
            Severity.FAILURE,
            "A ``ScheduledSession`` is neither a ``subEvent`` nor has a ``superEvent``.",
            "ScheduledSessionMustBeSubeventRule.default",
        )
    ],
    models=["ScheduledSession"],
    modes=[
        "RPDEFeed",
        "BookableRPDEFeed",
        "C1Response",
        "C1ResponseOrderItemError",
        "C2Response",
        "C2ResponseOrderItemError",
        "PResponse",
        "PResponseOrderItemError",
        "BResponse",
        "BResponseOrderItemError",
    ],
)
def scheduled_session_must_be_subevent(check: Check, node: Node) -> None:
    """A scheduled session belongs to a series."""
    if node.name != "subEvent" and not (
        isinstance(node.value, dict) and "superEvent" in node.value
    ):
        check.emit(
            "scheduled-session-without-parent",
            node.path,
            "A `ScheduledSession` must be a `subEvent` of another event, or have a `superEvent`.",
        )


@register(
    "SessionSeriesScheduleType",
    "field",
    [
        Code(
            "schedule-type-not-scheduled-session",
            Severity.FAILURE,
            "A ``SessionSeries`` schedule's ``scheduledEventType`` is not ``ScheduledSession``.",
            "SessionSeriesScheduleTypeRule.default",
        )
    ],
    fields={"SessionSeries": ["eventSchedule"]},
)
def session_series_schedule_type(check: Check, node: Node, key: str) -> None:
    """A session series' schedules generate ``ScheduledSession``\\ s."""
    value = node.value[key]
    if not isinstance(value, list):
        return
    terms = check.spec.terms
    for index, schedule in enumerate(value):
        if not isinstance(schedule, dict):
            continue
        if terms.field(schedule, "type") == "Schedule" and not js_strict_equal(
            terms.field(schedule, "scheduledEventType"), "ScheduledSession"
        ):
            check.emit(
                "schedule-type-not-scheduled-session",
                node.path_to(key, "scheduledEventType", index),
                'The `eventSchedule` of a `SessionSeries` must have "scheduledEventType": '
                '"ScheduledSession".',
            )


@register(
    "CurrencyIfNonZeroPrice",
    "model",
    [
        Code(
            "currency-missing",
            Severity.FAILURE,
            "A non-zero ``price`` has no ``priceCurrency``.",
            "CurrencyIfNonZeroPriceRule.default",
        )
    ],
    models=["TaxChargeSpecification", "PriceSpecification", "Offer", "OfferOverride"],
)
def currency_if_non_zero_price(check: Check, node: Node) -> None:
    """Prices other than zero state their currency."""
    if not node.has("price") or node.has("priceCurrency"):
        return
    price = node.mapped("price")
    if not js_strict_equal(price, 0):
        check.emit(
            "currency-missing",
            # (sic) the official validator reports at the object, or at its `duration`
            node.path_to(node.key_of("duration")),
            f'A `{node.model.type}` with a non-zero price needs a `priceCurrency` (e.g. "GBP").',
            price,
        )


@register(
    "IfNeedsBookingMustHaveValidOffer",
    "model",
    [
        Code(
            "bookable-event-without-offer",
            Severity.FAILURE,
            "An event with ``isAccessibleWithoutBooking: false`` has no offer with an "
            "``@id`` or ``url``.",
            "IfNeedsBookingMustHaveValidOfferRule.default",
        )
    ],
    models=EVENT_MODELS,
)
def if_needs_booking_must_have_valid_offer(check: Check, node: Node) -> None:
    """Events that need booking say where to book (an offer with ``@id`` or ``url``)."""
    if node.get("isAccessibleWithoutBooking") is not False:
        return
    offers = node.inherited("offers")
    terms = check.spec.terms
    if isinstance(offers, list):
        for offer in offers:
            if isinstance(offer, dict) and (
                isinstance(terms.field(offer, "id"), str)
                or isinstance(terms.field(offer, "url"), str)
            ):
                return
    check.emit(
        "bookable-event-without-offer",
        node.path,
        "An event with `isAccessibleWithoutBooking` false should have at least one `Offer` "
        "with an `@id` or `url`.",
    )


@register(
    "AvailableChannelForPrepayment",
    "field",
    [
        Code(
            "prepayment-channel-missing",
            Severity.FAILURE,
            "Prepayment is required or optional but no ``availableChannel`` takes payment.",
            "AvailableChannelPrepaymentRule.default",
        )
    ],
    fields={"Offer": ["availableChannel"]},
)
def available_channel_for_prepayment(check: Check, node: Node, key: str) -> None:
    """When prepayment is possible, a channel that takes payment is offered."""
    prepayment = node.get("prepayment")
    if prepayment not in ("https://openactive.io/Required", "https://openactive.io/Optional"):
        return
    channels = node.value[key]
    valid = (
        "https://openactive.io/OpenBookingPrepayment",
        "https://openactive.io/TelephonePrepayment",
        "https://openactive.io/OnlinePrepayment",
    )
    # JavaScript's includes(): a substring of a string, an element of an array.
    present = isinstance(channels, str | list) and any(v in channels for v in valid)
    if not present:
        check.emit(
            "prepayment-channel-missing",
            node.path_to("availableChannel"),
            "`availableChannel` must include a channel that takes payment "
            "(OpenBookingPrepayment, TelephonePrepayment or OnlinePrepayment) when "
            "prepayment is required or optional.",
            channels,
        )
