"""The models: every OpenActive type and enumeration, the ns-beta classes and the imin vocabulary.

* :mod:`.openactive` - one class per OpenActive data-models type (generated);
* :mod:`.enums` - the OpenActive enumerations, values as full IRIs (generated);
* :mod:`.beta` - the ns-beta classes (generated);
* :mod:`.imin` - the imin vocabulary (hand-written).

The base class :class:`JsonLdNode` and the field types come from :mod:`..jsonld`.

May import: errors, jsonld.
"""

from ..jsonld._base import GenericNode, JsonLdNode
from . import beta, enums, imin, openactive
from .beta import *  # noqa: F403 - re-exports exactly beta.__all__
from .enums import *  # noqa: F403 - re-exports exactly enums.__all__
from .imin import *  # noqa: F403 - re-exports exactly imin.__all__
from .openactive import *  # noqa: F403 - re-exports exactly openactive.__all__

__all__ = ["GenericNode", "JsonLdNode"]
__all__ += openactive.__all__
__all__ += enums.__all__
__all__ += beta.__all__
__all__ += imin.__all__
