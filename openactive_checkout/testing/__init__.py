"""A mock imin checkout server for tests and local development.

:class:`MockCheckoutServer` runs the server (uvicorn, loopback, a free port) in a
background thread; :class:`MockCheckout` serves the same application in process, through an
httpx transport (``httpx.ASGITransport`` for async clients, :class:`SyncASGITransport` for
sync ones): no socket, no port. ``openactive-checkout mock-server`` runs it in the
foreground; the pytest plugin :mod:`openactive_checkout.testing.pytest_plugin` provides
fixtures. :func:`create_app` gives the bare ASGI application for other servers or
transports.

For harvesting tests the mock serves many feeds (``feeds={name: source}``), changes them
while serving (``delete_item``, ``add_items``) and injects failures
(``inject_failures``: error statuses, slow or trickling answers, truncated bodies, a
``next`` that loops), for any request or one feed's pages.

Everything here needs the ``mock`` extra (starlette, uvicorn): without it, importing this
package (or running ``mock-server``) raises
:class:`~openactive_checkout.errors.MissingExtraError` naming the extra.

Owns the mock application (``_app``), its RPDE feed (``_feed``), the problem documents it
answers with (``_problems``), the socket server (``_server``), the in-process transports
(``_inprocess``) and the pytest plugin.

May import: errors, jsonld, vocab, http.
"""

from .._optional import require as _require

# Before the modules that import them, so a missing one is named with its extra.
_require("starlette", extra="mock")
_require("uvicorn", extra="mock")


from ._app import MockControls, MockState, create_app  # noqa: E402
from ._feed import MockFeed  # noqa: E402
from ._inprocess import MockCheckout, SyncASGITransport  # noqa: E402
from ._server import BackgroundServer, MockCheckoutServer  # noqa: E402

__all__ = [
    "BackgroundServer",
    "MockCheckout",
    "MockCheckoutServer",
    "MockControls",
    "MockFeed",
    "MockState",
    "SyncASGITransport",
    "create_app",
]
