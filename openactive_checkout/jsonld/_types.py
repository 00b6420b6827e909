"""Value types shared by every model: dates and times that keep their text, durations, money.

Dates and times in OpenActive JSON-LD are plain string literals, so changing their text
(``Z`` to ``+00:00``, ``20:15`` to ``20:15:00``) changes the data's meaning. Values read from
a document therefore remember their text (``.lexical``) and are written back unchanged;
values built in code are written in the canonical wire form (no fractional seconds).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Annotated, Any

from pydantic import BeforeValidator, WrapValidator
from pydantic_core import PydanticCustomError

MISFIT: Any = object()
"""What a fast converter returns for a value it cannot convert exactly."""


class _Lexical:
    """What the three classes below share: the text a value was read from, kept by copies
    (a copy is the value itself: it is immutable) and by pickling."""

    __slots__ = ()
    _lexical: str

    @property
    def lexical(self) -> str | None:
        """The text this value was read from (None when it was built in code). Read-only:
        the value is immutable, as dates and times are."""
        return getattr(self, "_lexical", None)

    def __copy__(self) -> typing.Self:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> typing.Self:
        return self

    def __reduce_ex__(self, protocol: typing.SupportsIndex) -> tuple[Any, ...]:
        reduced = super().__reduce_ex__(protocol)  # date, time or datetime's own
        assert isinstance(reduced, tuple)
        return _with_lexical, (reduced[0], reduced[1], self.lexical)


def _with_lexical(rebuild: Callable[..., Any], args: tuple[Any, ...], lexical: str | None) -> Any:
    """Unpickles a value of the classes below (see ``_Lexical.__reduce_ex__``)."""
    value = rebuild(*args)
    if lexical is not None:
        value._lexical = lexical
    return value


class LexicalDateTime(_Lexical, datetime):
    """A timezone-aware ``datetime`` that remembers the text it was read from."""

    __slots__ = ("_lexical",)


class LexicalDate(_Lexical, date):
    """A ``date`` that remembers the text it was read from."""

    __slots__ = ("_lexical",)


class LexicalTime(_Lexical, time):
    """A ``time`` of day that remembers the text it was read from."""

    __slots__ = ("_lexical",)


_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_TIME = re.compile(r"^\d{2}:\d{2}(:\d{2}(\.\d+)?)?$")
_DURATION = re.compile(
    r"^-?P(?!$)(\d+(\.\d+)?Y)?(\d+(\.\d+)?M)?(\d+(\.\d+)?W)?(\d+(\.\d+)?D)?"
    r"(T(?=\d)(\d+(\.\d+)?H)?(\d+(\.\d+)?M)?(\d+(\.\d+)?S)?)?$"
)


def _error(kind: str, value: Any, expected: str) -> PydanticCustomError:
    # The reader adds the offending value to the message itself ("(got ...)").
    del value
    return PydanticCustomError(kind, "expected {expected}", {"expected": expected})


def _datetime(value: Any, handler: Any) -> datetime:
    if isinstance(value, datetime):
        if value.tzinfo is None or value.utcoffset() is None:
            raise _error("naive_datetime", value, "a timezone-aware datetime")
        return value
    if not isinstance(value, str) or not _DATETIME.match(value):
        raise _error(
            "datetime_text", value, "an ISO 8601 date-time with a UTC offset, such as "
            "2018-10-03T20:15:00+01:00",
        )  # fmt: skip
    try:
        result = LexicalDateTime.fromisoformat(value)  # built as the subclass directly
    except ValueError:
        raise _error("datetime_text", value, "a valid calendar date-time") from None
    result._lexical = value
    return result


def _date(value: Any, handler: Any) -> date:
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if not isinstance(value, str) or not _DATE.match(value):
        raise _error("date_text", value, "an ISO 8601 date, such as 2018-10-03")
    try:
        result = LexicalDate.fromisoformat(value)
    except ValueError:
        raise _error("date_text", value, "a valid calendar date") from None
    result._lexical = value
    return result


def _time(value: Any, handler: Any) -> time:
    if isinstance(value, time):
        return value
    if not isinstance(value, str) or not _TIME.match(value):
        raise _error("time_text", value, "a time of day, such as 20:15 or 20:15:00")
    try:
        result = LexicalTime.fromisoformat(value)  # no offset: the pattern above has none
    except ValueError:
        raise _error("time_text", value, "a valid time of day") from None
    result._lexical = value
    return result


def _duration(value: Any, handler: Any) -> str:
    if isinstance(value, timedelta):
        return format_duration(value)
    if not isinstance(value, str) or not _DURATION.match(value):
        raise _error("duration_text", value, "an ISO 8601 duration, such as PT1H30M")
    return value


def _number(value: Any) -> Any:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise _error("number", value, "a JSON number")
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def decimal_value(value: Any) -> Any:
    """The reader's fast road equivalent of ``Number``'s validator for JSON numbers: the
    ``Decimal`` it gives, or ``MISFIT`` where it would raise."""
    kind = type(value)
    if kind is float or kind is int:
        try:
            return Decimal(str(value))
        except ValueError:  # an integer of more digits than Python converts to text
            return MISFIT
    return value if kind is Decimal else MISFIT


NUMBER_CONVERTERS: dict[Any, Callable[[Any], Any]] = {_number: decimal_value}
"""``Number``'s before-validator, with the reader's fast road equivalent."""


DateTime = Annotated[datetime, WrapValidator(_datetime)]
"""A timezone-aware date-time; text ``YYYY-MM-DDThh:mm:ss`` plus ``Z`` or ``±hh:mm``."""
Date = Annotated[date, WrapValidator(_date)]
"""A calendar date, ``YYYY-MM-DD``."""
Time = Annotated[time, WrapValidator(_time)]
"""A time of day, ``hh:mm`` or ``hh:mm:ss``."""
Duration = Annotated[str, WrapValidator(_duration)]
"""An ISO 8601 duration such as ``PT1H30M``, kept as text (months and years have no fixed
length); a ``timedelta`` given in code is converted. See :func:`parse_duration`."""
Number = Annotated[Decimal, BeforeValidator(_number)]
"""A JSON number held exactly as a ``Decimal`` (prices, coordinates) and written as a number."""


def _lexical_reader(
    cls: type[LexicalDateTime | LexicalDate | LexicalTime], match: Callable[[str], Any]
) -> Callable[[Any], Any]:
    """The fast road's equivalent of ``_datetime``, ``_date`` or ``_time`` for text: the
    value (remembering its text) where the pattern and the calendar accept it, else MISFIT."""

    def read(value: Any) -> Any:
        if type(value) is not str or match(value) is None:
            return MISFIT
        try:
            result = cls.fromisoformat(value)
        except ValueError:
            return MISFIT
        result._lexical = value
        return result

    return read


def _duration_text(value: Any) -> Any:
    return value if type(value) is str and _DURATION_MATCH(value) is not None else MISFIT


_DURATION_MATCH = _DURATION.match
_datetime_text = _lexical_reader(LexicalDateTime, _DATETIME.match)
_date_text = _lexical_reader(LexicalDate, _DATE.match)
_time_text = _lexical_reader(LexicalTime, _TIME.match)

_MEMO_LIMIT = 4096


def _memoised(convert: Callable[[Any], Any]) -> Callable[[Any], Any]:
    """``convert``, remembering what it gave for each text (up to ``_MEMO_LIMIT`` texts,
    then starting afresh). For values that repeat across a feed (times of day, dates,
    durations); what it gives is immutable, so one value may be held by many models."""
    memo: dict[str, Any] = {}

    def memoised(value: Any) -> Any:
        if type(value) is str:
            result = memo.get(value)
            if result is not None:
                return result
        result = convert(value)
        if result is not MISFIT:
            if len(memo) >= _MEMO_LIMIT:
                memo.clear()
            memo[value] = result
        return result

    return memoised


TEXT_CONVERTERS: dict[Any, Callable[[Any], Any]] = {
    _datetime: _datetime_text,  # date-times rarely repeat: converted each time
    _date: _memoised(_date_text),
    _time: _memoised(_time_text),
    _duration: _memoised(_duration_text),
}
"""The wrap validators above, each with the reader's fast road equivalent for text: exactly
the value the validator gives, or :data:`MISFIT` where it would raise (the validator then
runs, through Pydantic, and says why)."""


def format_datetime(value: datetime) -> str:
    """The wire form of a date-time: no fractional seconds, ``Z`` for UTC."""
    lexical = getattr(value, "_lexical", None)
    if lexical is not None:
        return str(lexical)
    text = value.replace(microsecond=0).isoformat()
    return text[:-6] + "Z" if text.endswith("+00:00") else text


def format_date(value: date) -> str:
    """The wire form of a date."""
    lexical = getattr(value, "_lexical", None)
    return str(lexical) if lexical is not None else value.isoformat()


def format_time(value: time) -> str:
    """The wire form of a time of day: ``hh:mm`` unless it has seconds."""
    lexical = getattr(value, "_lexical", None)
    if lexical is not None:
        return str(lexical)
    if value.second:
        return value.replace(microsecond=0).isoformat()
    return value.strftime("%H:%M")


def format_duration(value: timedelta) -> str:
    """An ISO 8601 duration for a ``timedelta`` (days, hours, minutes, seconds)."""
    total = int(value.total_seconds())
    sign = "-" if total < 0 else ""
    total = abs(total)
    days, rest = divmod(total, 86400)
    hours, rest = divmod(rest, 3600)
    minutes, seconds = divmod(rest, 60)
    text = f"{sign}P{days}D" if days else f"{sign}P"
    clock = "".join(f"{n}{u}" for n, u in ((hours, "H"), (minutes, "M"), (seconds, "S")) if n)
    if clock:
        text += "T" + clock
    return text if text not in ("P", "-P") else "PT0S"


def parse_duration(text: str) -> timedelta:
    """A ``timedelta`` for a duration without years or months (``PT1H30M``, ``P1DT2H``)."""
    match = _DURATION.match(text)
    if not match or match.group(1) or match.group(3):
        raise ValueError(f"{text!r} is not a duration without years or months")
    weeks, days = (float(g[:-1]) if g else 0.0 for g in (match.group(5), match.group(7)))
    hours, minutes, seconds = (
        float(g[:-1]) if g else 0.0 for g in (match.group(10), match.group(12), match.group(14))
    )
    delta = timedelta(weeks=weeks, days=days, hours=hours, minutes=minutes, seconds=seconds)
    return -delta if text.startswith("-") else delta


Spellings = dict[str, tuple[tuple[int | None, Any, str], ...]]
"""How a node's enumeration values were spelled in the document it was read from, where the
text was not the member's own value: field name -> (index in a list field or None, the
member read, the text read). Kept on the node (its ``_spellings``) by the reader."""


def respelled(spellings: Spellings, name: str, value: Any) -> Any:
    """A field's ``value`` with each member read from another spelling replaced by the text
    it was read from, so writing it keeps the document's literal. A member changed since it
    was read (another member, another position) is written as itself."""
    spelled = spellings.get(name)
    if not spelled:
        return value
    if type(value) is list:
        out = list(value)
        for index, member, text in spelled:
            if index is not None and index < len(out) and out[index] is member:
                out[index] = text
        return out
    for index, member, text in spelled:
        if index is None and value is member:
            return text
    return value
