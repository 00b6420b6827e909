"""A mock imin checkout server for tests and local development.

:class:`MockCheckoutServer` runs the server (uvicorn, loopback, a free port) in a
background thread; :class:`MockCheckout` serves the same application in process, through an
httpx transport (``httpx.ASGITransport`` for async clients, :class:`SyncASGITransport` for
sync ones): no socket, no port. ``openactive-checkout mock-server`` runs it in the
foreground; the pytest plugin :mod:`openactive_checkout.testing.pytest_plugin` provides
fixtures. :func:`create_app` gives the bare ASGI application for other servers or
transports.
"""

from ._app import MockControls, MockState, create_app
from ._feed import MockFeed
from ._inprocess import MockCheckout, SyncASGITransport
from ._server import BackgroundServer, MockCheckoutServer

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
