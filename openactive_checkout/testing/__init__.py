"""A mock imin checkout server for tests and local development.

:class:`MockCheckoutServer` runs the server (uvicorn, loopback, a free port) in a
background thread; ``openactive-checkout mock-server`` runs it in the foreground; the pytest
plugin :mod:`openactive_checkout.testing.pytest_plugin` provides fixtures. :func:`create_app`
gives the bare ASGI application for other servers or in-process transports.

Owns the mock application (``_app``), its RPDE feed (``_feed``), the problem documents it
answers with (``_problems``), the socket server (``_server``) and the pytest plugin.

May import: errors, jsonld, vocab, http.
"""

from ._app import MockState, create_app
from ._feed import MockFeed
from ._server import BackgroundServer, MockCheckoutServer

__all__ = ["BackgroundServer", "MockCheckoutServer", "MockFeed", "MockState", "create_app"]
