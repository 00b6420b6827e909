"""HTTP: the imin Standalone Checkout client and the RPDE feed reader (httpx).

Owns ``_transport`` (sending with the one retry policy, the API-key header, the argument
checks the clients and the walker share), ``_client`` (the sync and async checkout clients,
which take an httpx ``transport`` or a caller's ``http_client``) and ``_rpde`` (reading RPDE
pages and walking feeds).
May import :mod:`openactive_checkout.errors`, :mod:`~openactive_checkout.jsonld` and
:mod:`~openactive_checkout.vocab`; nothing imports it but the public faces
(:mod:`openactive_checkout.client`, :mod:`openactive_checkout.rpde`), the CLI and testing.
"""

from ._client import AsyncCheckoutClient, CheckoutClient, CreatedSession
from ._rpde import FeedItem, FeedPage, aiter_items, iter_items, read_page

__all__ = [
    "AsyncCheckoutClient",
    "CheckoutClient",
    "CreatedSession",
    "FeedItem",
    "FeedPage",
    "aiter_items",
    "iter_items",
    "read_page",
]
