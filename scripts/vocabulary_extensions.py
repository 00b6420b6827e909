"""The extension vocabularies the generated models carry: ns-beta and imin terms.

The ns-beta and imin namespaces are not published in any versioned package, so the terms this
library models are transcribed here, each with its source. Ranges use the data models' own
notation (``"#Model"``, ``"ArrayOf#Model"``, a data type or enumeration IRI). Domains are
data-model class names; a property is attached to each domain class (and so inherited by its
subclasses). ``scripts/generate_vocabulary.py`` reads these tables.
"""

from __future__ import annotations

from dataclasses import dataclass

from refresh_contexts import DATA_MODELS_PACKAGE, DATA_MODELS_VERSION

SOURCE = f"{DATA_MODELS_PACKAGE}@{DATA_MODELS_VERSION}"

SCHEMA = "https://schema.org/"
OA = "https://openactive.io/"
BETA = "https://openactive.io/ns-beta#"
IMIN = "https://imin.co/"


@dataclass(frozen=True)
class ExtensionProperty:
    """One property of an extension namespace attached to data-model classes."""

    alias: str
    domains: tuple[str, ...]
    range: tuple[str, ...]
    description: str
    source: str


@dataclass(frozen=True)
class ExtensionClass:
    """One class of an extension namespace, a subclass of a data-model class."""

    name: str
    type_term: str
    parent: str
    description: str
    source: str
    fields: tuple[ExtensionProperty, ...] = ()


NS_BETA_DOC = "https://openactive.io/ns-beta/beta.jsonld"
NS_BETA_EXAMPLES = f"{SOURCE} versions/2.x/examples"

BETA_PROPERTIES: tuple[ExtensionProperty, ...] = (
    ExtensionProperty(
        "beta:formattedDescription",
        ("Event", "Place", "Organization", "Person", "FacilityUse", "Brand"),
        (SCHEMA + "Text",),
        "The description with its formatting, as HTML.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:distance",
        ("Event",),
        ("#QuantitativeValue",),
        "The distance of a run, cycle or other activity, with its unit.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:attendeeCount",
        ("Event",),
        (SCHEMA + "Integer",),
        "For events with unlimited tickets: the number of attendees (actual attendance).",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:registrationCount",
        ("Event",),
        (SCHEMA + "Integer",),
        "For events with unlimited tickets: the number of registrations.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:course",
        ("CourseInstance",),
        ("#Course",),
        "The course of which this is an offering.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:isWheelchairAccessible",
        ("Event", "FacilityUse"),
        (SCHEMA + "Boolean",),
        "Whether the event or facility is suitable for wheelchair access.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:estimatedDuration",
        ("Event",),
        ("#QuantitativeValue",),
        "The duration of an event as a range (e.g. 30 to 60 minutes).",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:timeZone",
        ("Schedule",),
        (SCHEMA + "Text",),
        "Deprecated (use scheduleTimezone): the time zone occurrences are generated in.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:video",
        ("Event", "FacilityUse", "Brand", "Organization", "Course", "Place"),
        ("ArrayOf#VideoObject",),
        "Related videos (on Place as used by the pinned examples).",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:sportsActivityLocation",
        ("Event", "FacilityUse"),
        ("ArrayOf#SportsActivityLocation",),
        "The specific locations within the location, e.g. Court 1.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:offerValidityPeriod",
        ("Event", "FacilityUse"),
        (SCHEMA + "Duration",),
        "How long before the event its offers are valid.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:facilityType",
        ("FacilityUse",),
        ("ArrayOf#Concept",),
        "The type of facility in use (the beta predecessor of facilityType).",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:facilitySetting",
        ("Event", "FacilityUse"),
        (BETA + "FacilitySettingType",),
        "Whether the event or facility is indoors or outdoors.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:isVirtuallyCoached",
        ("Event",),
        (SCHEMA + "Boolean",),
        "Whether the event is led by a virtual coach.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:codeType",
        ("Barcode",),
        (SCHEMA + "Text",),
        "The type of barcode, e.g. Code39.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:virtualLocation",
        ("Event",),
        ("#VirtualLocation",),
        "A means of electronic access to a shared virtual space.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:affiliatedLocation",
        ("Event",),
        ("#Place",),
        "The physical location affiliated with a virtual event.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:isInteractivityPreferred",
        ("Event",),
        (SCHEMA + "Boolean",),
        "Whether a virtual event is interactive rather than a one-way broadcast.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:participantSuppliedEquipment",
        ("Event",),
        (OA + "RequiredStatusType",),
        "Whether the participant must or may supply equipment.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:donationPaymentUrl",
        ("Event",),
        (SCHEMA + "URL",),
        "The web page where the activity provider accepts donations.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:formalCriteriaMet",
        ("Organization", "Person"),
        ("ArrayOf#" + SCHEMA + "URL",),
        "URLs each describing formal criteria met by the organizer.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:isFirstSessionAccessibleForFree",
        ("Event",),
        (SCHEMA + "Boolean",),
        "Whether the first session is free.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:partySize",
        ("Offer",),
        ("#QuantitativeValue",),
        "The number of people the reservation should accommodate.",
        NS_BETA_DOC,
    ),
    ExtensionProperty(
        "beta:placeType",
        ("Place",),
        ("ArrayOf#Concept",),
        "The types of the place, from the OpenActive place-types scheme.",
        NS_BETA_EXAMPLES + "/place_example_1.json",
    ),
    ExtensionProperty(
        "beta:serviceOperator",
        ("Place",),
        ("#Organization",),
        "The organization operating the services at the place.",
        NS_BETA_EXAMPLES + "/place_example_1.json",
    ),
    ExtensionProperty(
        "beta:virtualTour",
        ("Place",),
        ("ArrayOf#MediaObject",),
        "Virtual tours of the place (schema:3DModel media objects).",
        NS_BETA_EXAMPLES + "/place_example_1.json",
    ),
)

BETA_CLASSES: tuple[ExtensionClass, ...] = (
    ExtensionClass(
        "Bar", "beta:Bar", "LocationFeatureSpecification", "A bar is available.", NS_BETA_DOC
    ),
    ExtensionClass(
        "Cafe", "beta:Cafe", "LocationFeatureSpecification", "A cafe is available.", NS_BETA_DOC
    ),
    ExtensionClass(
        "IndicativeOffer",
        "beta:IndicativeOffer",
        "Offer",
        "An offer giving an indication of the available price, not an exact amount.",
        NS_BETA_DOC,
    ),
    ExtensionClass(
        "AuthenticatedPerson",
        "beta:AuthenticatedPerson",
        "Person",
        "A person authenticated to the seller, for whom the broker may book.",
        NS_BETA_DOC,
        (
            ExtensionProperty(
                "beta:accessToken",
                ("AuthenticatedPerson",),
                (SCHEMA + "Text",),
                "The token of the broker's authorisation to book on behalf of the customer.",
                NS_BETA_DOC,
            ),
        ),
    ),
)

#: Enumerations of extension namespaces: name -> (namespace, values, description, source).
BETA_ENUMS: dict[str, tuple[str, tuple[str, ...], str, str]] = {
    "FacilitySettingType": (
        BETA,
        ("IndoorFacility", "OutdoorFacility"),
        "Settings in which a facility can exist (ns-beta).",
        NS_BETA_DOC,
    ),
}

IMIN_NS_DOC = "https://github.com/imin-ltd/ns (imin namespace) and imin's API documentation"

IMIN_PROPERTIES: tuple[ExtensionProperty, ...] = (
    ExtensionProperty(
        "imin:fullAddress",
        ("PostalAddress", "Place"),
        (SCHEMA + "Text",),
        "The full address in one line.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:locationSummary",
        ("Event", "FacilityUse"),
        ("ArrayOf#Place",),
        "A summary of the places an event or facility is found at (imin search results).",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:aggregateOffer",
        ("Event", "FacilityUse"),
        ("#Offer",),
        "imin's summary of the prices (an ``imin:AggregateOffer``, read as "
        ":class:`~openactive_checkout.vocab.imin.IminAggregateOffer`).",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:checkoutUrlTemplate",
        ("Event", "FacilityUse"),
        (SCHEMA + "Text",),
        "A URI template of the imin checkout page for the opportunity.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:isPotentiallyBookable",
        ("Event", "FacilityUse", "Offer"),
        (SCHEMA + "Boolean",),
        "Whether the opportunity may be bookable through imin.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:membershipRequired",
        ("Offer",),
        (SCHEMA + "Boolean",),
        "Whether the offer is only available to members.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:presentAsSlots",
        ("Event",),
        (SCHEMA + "Boolean",),
        "Whether the data is better consumed as slots than as sessions.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:aggregatedActivity",
        ("Place",),
        ("ArrayOf#Concept",),
        "All the activities found at a place.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:dataSource",
        ("Event", "FacilityUse", "Place"),
        ("#WebAPI",),
        "The open-data source imin read the item from.",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:is13OrOver",
        ("Person",),
        (SCHEMA + "Boolean",),
        "Whether the customer confirmed being 13 or over (authenticated checkout).",
        IMIN_NS_DOC,
    ),
    ExtensionProperty(
        "imin:isPresentlyCancellable",
        ("OrderItem",),
        (SCHEMA + "Boolean",),
        "Whether the order item can be cancelled by the customer now.",
        IMIN_NS_DOC,
    ),
)

#: Extension values of data-model enumerations: enum name -> ((name, IRI), ...).
IMIN_ENUM_VALUES: dict[str, tuple[tuple[str, str], ...]] = {
    "OrderItemStatus": (("CustomerCancellationPending", IMIN + "CustomerCancellationPending"),),
}

#: Data-model fields imin's checkout fills with an id string where the data models want an
#: object (no ``allowReferencing``): these fields also accept a string, with the reason.
IMIN_STRING_REFERENCES: dict[tuple[str, str], str] = {
    ("Order", "customer"): "imin's Authenticated Checkout sends a customer-account id here.",
    ("OrderItem", "attendee"): "imin's Group Booking sends an attendee id here.",
}
