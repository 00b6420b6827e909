"""imin checkout profile rules: the top object's type and the imin context."""

from __future__ import annotations

from typing import Any

from ._engine import Check
from ._imin import ERROR, IMIN_NAMESPACE, ROOT_TYPES, is_imin_term
from ._issues import Severity
from ._node import Node
from ._registry import Code, register

_IMIN_CONTEXTS = (
    "https://imin.co/",
    "https://imin.co",
    "https://ns.imin.co/",
    "https://schema.imin.co/",
)


def _uses_imin_terms(value: Any) -> bool:
    if isinstance(value, dict):
        for key, item in value.items():
            if key.startswith("imin:") or is_imin_term(key) or _uses_imin_terms(item):
                return True
            if key in ("type", "@type") and isinstance(item, str) and item.startswith("imin:"):
                return True
    elif isinstance(value, list):
        return any(_uses_imin_terms(item) for item in value)
    return False


@register(
    "IminRootType",
    "model",
    [
        Code(
            "imin-wrong-root-type",
            Severity.FAILURE,
            "The top object of an imin checkout payload has the wrong type "
            "(``imin:CheckoutSession``; for an error, an ``OpenBookingError`` subclass such as "
            "``UnavailableOpportunityError``).",
        ),
        Code(
            "imin-context-missing",
            Severity.FAILURE,
            'A document using ``imin:`` terms does not list ``"https://imin.co/"`` in its '
            "``@context``.",
        ),
    ],
    profiles=("imin",),
)
def imin_root_type(check: Check, node: Node) -> None:
    """imin checkout payloads are a ``CheckoutSession`` (or an error) in imin's context."""
    if not node.is_root:
        return
    kind = node.model.type
    if check.mode == ERROR:
        is_error = "#OpenBookingError" in node.model.sub_class_graph
        if not is_error:
            check.emit(
                "imin-wrong-root-type",
                node.path_to("type" if "type" in node.value else "@type"),
                "An imin error response must be an OpenBookingError subclass, such as "
                "`UnavailableOpportunityError`.",
                node.get("type"),
            )
    elif kind not in ROOT_TYPES[check.mode]:
        check.emit(
            "imin-wrong-root-type",
            node.path_to("type" if "type" in node.value else "@type"),
            f"In {check.mode} mode the top object must be an `imin:CheckoutSession`.",
            node.get("type"),
        )
    context = node.get("@context")
    urls = [context] if isinstance(context, str) else context if isinstance(context, list) else []
    if _uses_imin_terms(node.value) and not any(url in _IMIN_CONTEXTS for url in urls):
        check.emit(
            "imin-context-missing",
            node.path_to("@context"),
            f'`imin:` terms are used: add "{IMIN_NAMESPACE}" to `@context` '
            '(["https://openactive.io/", "https://imin.co/"]).',
            context,
        )
