"""What type a JSON value is, in the data-models' type language, and whether it is allowed.

The data-models describe a field's type as schema.org datatypes (``https://schema.org/Text``,
``.../DateTime``, ``.../URL``...), enum types (``https://openactive.io/TaxMode``), models
(``#Offer``) and arrays of those (``ArrayOf#Offer``). :func:`detect_type` classifies a value
the way the official validator does (a string that looks like a DateTime *is* a DateTime,
an enum value is its enum type, an object is ``#`` + its ``@type``) and :func:`type_allowed`
decides whether the detected type fits one of the field's possible types, following model
subclassing and the datatype hierarchy (a Date is a Text, an Integer a Number).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from ._js import js_float, js_number_text, js_string
from ._spec import FieldSpec, Spec
from ._terms import MISSING

SCHEMA = "https://schema.org/"
TEXT = SCHEMA + "Text"
NUMBER = SCHEMA + "Number"
INTEGER = SCHEMA + "Integer"
BOOLEAN = SCHEMA + "Boolean"
DATE = SCHEMA + "Date"
DATETIME = SCHEMA + "DateTime"
TIME = SCHEMA + "Time"
DURATION = SCHEMA + "Duration"
URL = SCHEMA + "URL"
PROPERTY = SCHEMA + "Property"

_MEMO_LIMIT = 256
"""How many facts a field remembers (see :attr:`FieldSpec.memo`)."""

#: A datatype that may stand for another (``Date`` is a ``Text``).
_NARROWER = {
    DATE: TEXT,
    DATETIME: TEXT,
    DURATION: TEXT,
    TIME: TEXT,
    INTEGER: NUMBER,
    URL: TEXT,
}

_DATE_RE = re.compile(r"[0-9]{4}(-?)[0-9]{2}\1[0-9]{2}")
_DATETIME_RE = re.compile(
    r"[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(Z|[+-][0-9]{2}:[0-9]{2})?"
)
_TIME_RE = re.compile(r"[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?(Z|[+-][0-9]{2}:[0-9]{2})?")
_DURATION_RE = re.compile(r"P[.,0-9YMDHTMSW]+")
_INTEGER_TEXT_RE = re.compile(r"-?[0-9]+([eE]-?[0-9]+)?")
_MODEL_NAME_RE = re.compile(r"[A-Za-z:]+")
_UNION_RE = re.compile(r"\{([A-Za-z:]+)(?:,([A-Za-z:]+))+\}")
_UNION_MEMBER_RE = re.compile(r",?([A-Za-z:]+)")

# An absolute http(s) URL with a host name, an IPv4 address or localhost (the validator's
# dperini-derived pattern).
_HOST_CHAR = "a-z0-9\u00a1-\U0010ffff"
URL_RE = re.compile(
    r"(?:https?)://"
    r"(?:"
    r"(?:[1-9][0-9]?|1[0-9][0-9]|2[01][0-9]|22[0-3])"
    r"(?:\.(?:1?[0-9]{1,2}|2[0-4][0-9]|25[0-5])){2}"
    r"(?:\.(?:[1-9][0-9]?|1[0-9][0-9]|2[0-4][0-9]|25[0-4]))"
    r"|localhost"
    rf"|(?:(?:[{_HOST_CHAR}][{_HOST_CHAR}_-]{{0,62}})?[{_HOST_CHAR}]\.)+"
    r"(?:[a-z\u00a1-\U0010ffff]{2,}\.?)"
    r")"
    r"(?::[0-9]{2,5})?"
    r"(?:[/?#]\S*)?",
    re.IGNORECASE,
)
UUID_RE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-5][0-9a-f]{3}-[089ab][0-9a-f]{3}-[0-9a-f]{12}")

_VARCHAR = r"(?:[A-Za-z0-9_]|%[0-9A-Fa-f]{2})"
_VARSPEC = rf"{_VARCHAR}(?:{_VARCHAR}|\.)*(?::[1-9][0-9]{{0,3}}|\*)?"
_EXPRESSION_RE = re.compile(rf"[+#./;?&]?{_VARSPEC}(?:,{_VARSPEC})*")


def is_url(value: Any) -> bool:
    """An absolute http(s) URL (the validator's ``isUrl``)."""
    return isinstance(value, str) and URL_RE.fullmatch(value) is not None


def is_uuid(value: Any) -> bool:
    return isinstance(value, str) and UUID_RE.fullmatch(value) is not None


def is_url_template(value: Any) -> bool:
    """An RFC 6570 URI template with at least one variable expression."""
    if not isinstance(value, str):
        return False
    expressions = 0
    index = 0
    while index < len(value):
        char = value[index]
        if char == "}":
            return False
        if char == "{":
            end = value.find("}", index + 1)
            if end < 0:
                return False
            body = value[index + 1 : end]
            if not body or "{" in body or not _EXPRESSION_RE.fullmatch(body):
                return False
            expressions += 1
            index = end + 1
            continue
        index += 1
    return expressions > 0


def detect_type(spec: Spec, field: FieldSpec, value: Any, in_array: bool = False) -> str:
    """The type the validator sees in ``value`` for ``field`` (``Field.detectType``)."""
    possible = field.possible_types
    if value is None:
        return "null"
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, int | float):
        found = NUMBER
        if _INTEGER_TEXT_RE.fullmatch(js_number_text(value)) and js_float(value) % 1 == 0:
            found = INTEGER
        if in_array:
            if f"ArrayOf#{found}" not in possible and f"ArrayOf#{NUMBER}" in possible:
                found = NUMBER
        elif found not in possible and NUMBER in possible:
            found = NUMBER
        return found
    if isinstance(value, str):
        if _plain_text(spec, field, in_array) and string_kind(value) is None:
            return TEXT  # what _detect_string's answer becomes below, whatever it is
        found = _detect_string(spec, field, value)
        if in_array:
            if f"ArrayOf#{found}" not in possible and f"ArrayOf#{TEXT}" in possible:
                found = TEXT
        elif found not in possible and TEXT in possible:
            found = TEXT
        return found
    if isinstance(value, list):
        unique = list(dict.fromkeys(detect_type(spec, field, v, True) for v in value))
        if len(unique) == 1:
            return "ArrayOf#" + unique[0].removeprefix("#")
        if unique:
            return "ArrayOf#{" + ",".join(t.removeprefix("#") for t in unique) + "}"
        return "Array"
    if isinstance(value, dict):
        type_name = spec.terms.field(value, "@type")
        return "#Thing" if type_name is MISSING else "#" + js_string(type_name)
    return "unknown"


def _plain_text(spec: Spec, field: FieldSpec, in_array: bool) -> bool:
    """Whether every string that does not look like a date or time is detected as Text for
    ``field``: Text is allowed, but no URL, Property or enum type that would be kept."""
    key = ("plain-text", in_array)
    found: bool | None = field.memo.get(key)
    if found is None:
        possible = field.possible_types
        wrap = "ArrayOf#" if in_array else ""
        found = (
            f"{wrap}{TEXT}" in possible
            and f"{wrap}{URL}" not in possible
            and f"{wrap}{PROPERTY}" not in possible
            and not any(spec.is_enum(t) for t in possible)
        )
        field.memo[key] = found
    return found


@lru_cache(maxsize=8192)
def string_kind(value: str) -> str | None:
    """The date/time datatype a string looks like (Date, DateTime, Time, Duration), if any."""
    if _DATE_RE.fullmatch(value):
        return DATE
    if _DATETIME_RE.fullmatch(value):
        return DATETIME
    if _TIME_RE.fullmatch(value):
        return TIME
    if _DURATION_RE.fullmatch(value):
        return DURATION
    return None


def _detect_string(spec: Spec, field: FieldSpec, value: str) -> str:
    kind = string_kind(value)
    if kind is not None:
        return kind
    for type_name, options in _enum_sets(spec, field):
        if value in options:
            return type_name
    if field.value_constraint == "UriTemplate" and is_url_template(value):
        return TEXT
    if value in spec.properties:
        return PROPERTY
    if is_url(value):
        return URL
    return TEXT


def _enum_sets(spec: Spec, field: FieldSpec) -> tuple[tuple[str, frozenset[str]], ...]:
    """The field's enum types, in order, each with its set of full-IRI values."""
    found: tuple[tuple[str, frozenset[str]], ...] | None = field.memo.get("enum-sets")
    if found is None:
        found = tuple(
            (type_name, frozenset(spec.enum_options(type_name)))
            for type_name in field.possible_types
            if spec.is_enum(type_name)
        )
        field.memo["enum-sets"] = found
    return found


def can_be_type_of(spec: Spec, test: str | None, actual: str) -> bool:
    """Whether a value detected as ``test`` may stand where ``actual`` is expected."""
    if test is None:
        return False
    if test == actual:
        return True
    test_key, actual_key = test, actual
    if test_key.startswith("ArrayOf#") and actual_key.startswith("ArrayOf#"):
        test_key, actual_key = test_key[8:], actual_key[8:]
    elif test_key.startswith("#") and actual_key.startswith("#"):
        test_key, actual_key = test_key[1:], actual_key[1:]
    if _NARROWER.get(test_key) == actual_key:
        return True
    if _MODEL_NAME_RE.fullmatch(test_key):
        graph = spec.sub_class_graph(test_key)
        if graph and can_be_type_of(spec, graph[0][1:], actual_key):
            return True
    if _UNION_RE.fullmatch(test_key) and _MODEL_NAME_RE.fullmatch(actual_key):
        return all(
            can_be_type_of(spec, member, actual_key)
            for member in _UNION_MEMBER_RE.findall(test_key)
        )
    if _MODEL_NAME_RE.fullmatch(test_key) and _MODEL_NAME_RE.fullmatch(actual_key):
        prop = spec.terms.qualify(test_key)
        if prop.prefix is None and prop.namespace is None:
            return True  # an extension type the validator cannot check
    return False


def type_allowed(spec: Spec, field: FieldSpec, value: Any, derived: str | None = None) -> bool:
    """Whether ``value`` has one of the field's possible types (``detectedTypeIsAllowed``);
    ``derived`` is its detected type when already known."""
    if derived is None:
        derived = detect_type(spec, field, value)
    memo = field.memo
    key = ("allowed", derived)
    found: bool | None = memo.get(key)
    if found is None:
        found = any(can_be_type_of(spec, derived, expected) for expected in field.possible_types)
        if len(memo) < _MEMO_LIMIT:  # detected types include documents' own type names
            memo[key] = found
    return found
