"""pytest fixtures for code that talks to an imin checkout server.

Enable them in a top-level ``conftest.py``::

    pytest_plugins = ["openactive_checkout.testing.pytest_plugin"]

then ask for ``mock_checkout_server`` (a running :class:`MockCheckoutServer` with nothing
bookable; call ``add_bookable``) or ``mock_checkout_server_factory`` (start servers with any
options; all are stopped after the test). Without sockets: ``mock_checkout`` (a
:class:`MockCheckout`, in process) and ``mock_checkout_client`` (a
:class:`~openactive_checkout.CheckoutClient` wired to it through a transport, closed after
the test); for an async client, ``async with mock_checkout.async_client() as client``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from ..http import CheckoutClient
from ._inprocess import MockCheckout
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


@pytest.fixture
def mock_checkout() -> MockCheckout:
    """The mock checkout server in process (no socket), nothing bookable yet."""
    return MockCheckout()


@pytest.fixture
def mock_checkout_client(mock_checkout: MockCheckout) -> Iterator[CheckoutClient]:
    """A CheckoutClient talking to ``mock_checkout`` in process; closed after the test."""
    with mock_checkout.client() as client:
        yield client
