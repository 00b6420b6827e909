"""Open Booking API rules: the type of the top object in each booking mode."""

from __future__ import annotations

from ._engine import Check
from ._issues import Severity
from ._node import Node
from ._registry import Code, register
from ._rules_required import BOOKING_MODES

_EXPECTED = {
    "C1Request": ("OrderQuote",),
    "C1Response": ("OrderQuote",),
    "C2Request": ("OrderQuote",),
    "C2Response": ("OrderQuote",),
    "PRequest": ("OrderProposal",),
    "PResponse": ("OrderProposal",),
    "OrderProposalPatch": ("OrderProposal",),
    "BRequest": ("Order",),
    "BOrderProposalRequest": ("Order",),
    "BResponse": ("Order",),
    "OrderPatch": ("Order",),
    "OrdersFeed": ("Order", "OrderProposal"),
    "OrderStatus": ("Order", "OrderProposal", "OrderQuote"),
}


@register(
    "BookingRootTypeCorrect",
    "model",
    [
        Code(
            "wrong-root-type",
            Severity.FAILURE,
            "The top object of a booking payload has the wrong type for the mode (C1/C2: "
            "``OrderQuote``; P: ``OrderProposal``; B: ``Order``).",
            "BookingRootTypeCorrectRule.orderQuote",
        )
    ],
    modes=BOOKING_MODES,
)
def booking_root_type_correct(check: Check, node: Node) -> None:
    """Booking payloads have the type their step requires."""
    if not node.model.is_json_ld or not node.is_root:
        return
    expected = _EXPECTED.get(check.mode)
    if expected is None or node.model.type in expected:
        return
    names = " or ".join(f"`{t}`" for t in expected)
    check.emit(
        "wrong-root-type",
        node.path_to("@type"),
        f"In {check.mode} mode the top object must be of type {names}.",
        node.model.type,
    )


@register(
    "BookingRootTypeError",
    "model",
    [
        Code(
            "error-type-too-generic",
            Severity.WARNING,
            "An error response uses ``OpenBookingError`` itself rather than a specific subclass.",
            "BookingRootTypeErrorRule.rootTypeTooGeneric",
        ),
        Code(
            "root-not-an-error",
            Severity.FAILURE,
            "An error response's type is not a subclass of ``OpenBookingError``.",
            "BookingRootTypeErrorRule.rootTypeNotAnError",
        ),
    ],
    modes=["OpenBookingError"],
)
def booking_root_type_error(check: Check, node: Node) -> None:
    """Error responses are a specific ``OpenBookingError`` subclass."""
    if not node.model.is_json_ld or not node.is_root:
        return
    if node.model.type == "OpenBookingError":
        check.emit(
            "error-type-too-generic",
            node.path_to("@type"),
            "Use one of the more specific subclasses of `OpenBookingError`.",
            node.model.type,
        )
    elif "#OpenBookingError" not in node.model.sub_class_graph:
        check.emit(
            "root-not-an-error",
            node.path_to("@type"),
            "Error responses must be a subclass of `OpenBookingError`.",
            node.model.type,
        )
