"""Format rules: ISO 8601 durations, datetimes, times and dates, ISO 4217 currencies,
ISO 3166-1 countries, coordinates and RFC 5545 ``BYDAY`` values."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from ._engine import Check
from ._formats import is_byday, is_date, is_datetime, is_duration, is_time, is_time_with_offset
from ._issues import Severity
from ._js import js_string
from ._node import Node
from ._registry import Code, register
from ._spec import FieldSpec, ModelSpec
from ._typing import DATE, DATETIME, DURATION, TEXT, TIME, string_kind

_BLANK = FieldSpec({})
_LEADING_ZERO_RE = re.compile(r"[0-9]:[0-5][0-9]")


def _format_applies(kind: str) -> Callable[[ModelSpec, str], bool]:
    """The static part of :func:`_is_kind`: can a value of ``key`` ever be checked as a
    ``kind``?"""

    def applies(model: ModelSpec, key: str) -> bool:
        if not model.has_spec:
            return True
        field = model.field(key)
        if field is None:
            return False
        possible = field.possible_types
        return field.is_only_type(kind) or kind in possible or TEXT not in possible

    return applies


def _strings_only(kind: str) -> Callable[[ModelSpec, str], bool]:
    """The static part of :func:`_is_kind` for other values than strings: only a field whose
    one type is ``kind`` checks them."""

    def strings_only(model: ModelSpec, key: str) -> bool:
        field = model.field(key) if model.has_spec else None
        return field is None or not field.is_only_type(kind)

    return strings_only


def _same_as(model: ModelSpec, key: str, iri: str) -> bool:
    field = model.field(key)
    return field is not None and field.same_as == iri


def _is_kind(check: Check, node: Node, key: str, kind: str) -> tuple[bool, Any]:
    """Whether the value of ``key`` is checked as a ``kind`` (a Date, DateTime, ...): the
    field's only type is ``kind``, or the value looks like one (and the field does not
    read it as plain text). A model without specification has a blank field: its values
    are still recognised by their look (a DateTime-looking string is checked as one)."""
    model = node.model
    field = model.field(key) if model.has_spec else _BLANK
    if field is None:
        return False, None
    value = node.value[key]  # field rules run on the node's own keys
    if field.is_only_type(kind):
        return True, value
    if not isinstance(value, str) or string_kind(value) != kind:
        return False, value
    possible = field.possible_types
    return kind in possible or TEXT not in possible, value


@register(
    "DurationFormat",
    "field",
    [
        Code(
            "invalid-duration",
            Severity.FAILURE,
            "A duration is not ISO 8601 (``PT1H30M``, ``P1D``).",
            "DurationFormatRule.default",
        )
    ],
    applies=_format_applies(DURATION),
    strings_only=_strings_only(DURATION),
)
def duration_format(check: Check, node: Node, key: str) -> None:
    """Durations are ISO 8601 durations; only the smallest unit may have a fraction."""
    applies, value = _is_kind(check, node, key, DURATION)
    if applies and not is_duration(js_string(value)):
        check.emit(
            "invalid-duration",
            node.path_to(key),
            'Durations must be ISO 8601 durations, e.g. "P1D", "PT1H" or "PT1H30M".',
            value,
        )


@register(
    "DatetimeFormat",
    "field",
    [
        Code(
            "invalid-datetime",
            Severity.FAILURE,
            "A DateTime is not ``YYYY-MM-DDThh:mm:ss`` with a time zone (no fractional seconds).",
            "DatetimeFormatRule.default",
        )
    ],
    applies=_format_applies(DATETIME),
    strings_only=_strings_only(DATETIME),
)
def datetime_format(check: Check, node: Node, key: str) -> None:
    """DateTimes are ISO 8601 with seconds and a time zone: ``2018-08-01T10:51:02Z``."""
    applies, value = _is_kind(check, node, key, DATETIME)
    if applies and (value is None or not is_datetime(js_string(value))):
        check.emit(
            "invalid-datetime",
            node.path_to(key),
            "DateTimes must be ISO 8601 with a time zone and no fractional seconds, e.g. "
            '"2018-08-01T10:51:02Z" or "2018-08-01T10:51:02+01:00".',
            value,
        )


@register(
    "TimeFormat",
    "field",
    [
        Code(
            "invalid-time",
            Severity.FAILURE,
            "A Time is not ``hh:mm`` or ``hh:mm:ss``.",
            "TimeFormatRule.default",
        ),
        Code(
            "time-has-timezone",
            Severity.FAILURE,
            "A Time carries a time zone; times are local to the event's location.",
            "TimeFormatRule.defaultTimezoneDetected",
        ),
        Code(
            "time-leading-zero",
            Severity.FAILURE,
            "A Time lacks its leading zero (``9:00`` for ``09:00``).",
            "TimeFormatRule.leadingZero",
        ),
    ],
    applies=_format_applies(TIME),
    strings_only=_strings_only(TIME),
)
def time_format(check: Check, node: Node, key: str) -> None:
    """Times are local ISO 8601 times without a time zone: ``12:00``."""
    applies, value = _is_kind(check, node, key, TIME)
    if not applies or (value is not None and is_time(js_string(value))):
        return
    text = js_string(value) if value is not None else ""
    if isinstance(value, str) and _LEADING_ZERO_RE.fullmatch(value):
        check.emit(
            "time-leading-zero",
            node.path_to(key),
            f'Times need a leading zero: "0{value}".',
            value,
        )
    elif value is not None and is_time_with_offset(text):
        check.emit(
            "time-has-timezone",
            node.path_to(key),
            "Times must not contain a time zone: give the local time at the event's location.",
            value,
        )
    else:
        check.emit(
            "invalid-time",
            node.path_to(key),
            'Times must be ISO 8601 local times, e.g. "12:00".',
            value,
        )


@register(
    "DateFormat",
    "field",
    [
        Code(
            "invalid-date",
            Severity.FAILURE,
            "A Date is not ``YYYY-MM-DD`` (or is not a real date).",
            "DateFormatRule.default",
        )
    ],
    applies=_format_applies(DATE),
    strings_only=_strings_only(DATE),
)
def date_format(check: Check, node: Node, key: str) -> None:
    """Dates are ISO 8601 calendar dates: ``2018-08-01``."""
    applies, value = _is_kind(check, node, key, DATE)
    if applies and (value is None or not is_date(js_string(value))):
        check.emit(
            "invalid-date",
            node.path_to(key),
            'Dates must be ISO 8601 dates, e.g. "2018-08-01".',
            value,
        )


@register(
    "CurrencyCodeFormat",
    "field",
    [
        Code(
            "invalid-currency",
            Severity.FAILURE,
            "A ``priceCurrency`` is not an ISO 4217 code (``GBP``).",
            "CurrencyCodeFormatRule.default",
        )
    ],
    applies=lambda model, key: _same_as(model, key, "https://schema.org/priceCurrency"),
)
def currency_code_format(check: Check, node: Node, key: str) -> None:
    """Currencies are ISO 4217 three-letter codes."""
    value = node.value[key]
    if not isinstance(value, str) or value.upper() not in check.spec.currency_codes:
        check.emit(
            "invalid-currency",
            node.path_to(key),
            'Currency codes must be ISO 4217 codes, e.g. "GBP".',
            value,
        )


@register(
    "CountryCodeFormat",
    "field",
    [
        Code(
            "invalid-country",
            Severity.FAILURE,
            "An ``addressCountry`` is not an ISO 3166-1 alpha-2 code.",
            "CountryCodeFormatRule.default",
        ),
        Code(
            "country-uk",
            Severity.FAILURE,
            'An ``addressCountry`` is ``"UK"``: the ISO 3166-1 code is ``"GB"``.',
            "CountryCodeFormatRule.ukDetected",
        ),
    ],
    fields={"PostalAddress": ["addressCountry"]},
    applies=lambda model, key: model.field(key) is not None,
)
def country_code_format(check: Check, node: Node, key: str) -> None:
    """Countries are ISO 3166-1 alpha-2 codes (``GB``, not ``UK``)."""
    value = node.value[key]
    if isinstance(value, str) and value.upper() in check.spec.country_codes:
        return
    uk = isinstance(value, str) and value.lower().strip() == "uk"
    check.emit(
        "country-uk" if uk else "invalid-country",
        node.path_to(key),
        'Country codes are ISO 3166-1 alpha-2 codes: "UK" is "GB".'
        if uk
        else 'Country codes must be ISO 3166-1 alpha-2 codes, e.g. "GB".',
        value,
    )


@register(
    "LatLongFormat",
    "field",
    [
        Code(
            "invalid-latitude",
            Severity.FAILURE,
            "A latitude is not a number between -90 and 90.",
            "LatLongFormatRule.latitude",
        ),
        Code(
            "invalid-longitude",
            Severity.FAILURE,
            "A longitude is not a number between -180 and 180.",
            "LatLongFormatRule.longitude",
        ),
    ],
    fields={"GeoCoordinates": ["latitude", "longitude"]},
    applies=lambda model, key: model.field(key) is not None,
)
def lat_long_format(check: Check, node: Node, key: str) -> None:
    """Coordinates are decimal numbers in range."""
    field = node.model.field(key)
    assert field is not None
    value = node.value[key]
    number = not isinstance(value, bool) and isinstance(value, int | float)
    limit = 90 if field.name == "latitude" else 180
    if number and -limit <= value <= limit:
        return
    if field.name not in ("latitude", "longitude"):
        return
    check.emit(
        f"invalid-{field.name}",
        node.path_to(key),
        f"`{field.name}` must be a decimal number between -{limit} and {limit}.",
        value,
    )


@register(
    "RruleFormat",
    "field",
    [
        Code(
            "invalid-byday",
            Severity.FAILURE,
            "A ``byDay`` entry is neither a ``schema:DayOfWeek`` IRI nor an RFC 5545 ``BYDAY`` "
            "value (``MO``, ``+1MO``).",
            "RruleFormatRule.default",
        )
    ],
    fields={"Schedule": ["byDay"], "PartialSchedule": ["byDay"]},
    applies=lambda model, key: model.has_spec and model.field(key) is not None,
)
def rrule_format(check: Check, node: Node, key: str) -> None:
    """``byDay`` values are day IRIs or RFC 5545 ``BYDAY`` components, one per element."""
    field = node.model.field(key)
    assert field is not None
    value = node.value[key]
    if check.detect(field, value) != f"ArrayOf#{TEXT}":
        return
    days = check.spec.enum_options("DayOfWeek")
    for item in value:
        if item not in days and not is_byday(item):
            check.emit(
                "invalid-byday",
                node.path_to(key),
                f'`{key}` values must be day IRIs (e.g. "https://schema.org/Monday") or RFC 5545 '
                f'BYDAY values (e.g. "+1MO"), one per array element; "{item}" is neither.',
                value,
            )
            return
