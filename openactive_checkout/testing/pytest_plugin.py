"""pytest fixtures for code that talks to an imin checkout server.

Enable them in a top-level ``conftest.py``::

    pytest_plugins = ["openactive_checkout.testing.pytest_plugin"]

then ask for ``mock_checkout_server`` (a running :class:`MockCheckoutServer` with nothing
bookable; call ``add_bookable``) or ``mock_checkout_server_factory`` (start servers with any
options; all are stopped after the test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ._server import MockCheckoutServer

ServerFactory = Callable[..., MockCheckoutServer]


@pytest.fixture
def mock_checkout_server_factory() -> Iterator[ServerFactory]:
    """Start mock checkout servers: ``factory(bookable=[...], feed=..., ...)``."""
    started: list[MockCheckoutServer] = []

    def factory(**options: Any) -> MockCheckoutServer:
        server = MockCheckoutServer(**options).start()
        started.append(server)
        return server

    try:
        yield factory
    finally:
        for server in started:
            server.stop()


@pytest.fixture
def mock_checkout_server(
    mock_checkout_server_factory: ServerFactory,
) -> MockCheckoutServer:
    """A running mock checkout server on loopback, nothing bookable yet."""
    return mock_checkout_server_factory()
