"""HTTP: the imin Standalone Checkout client and the RPDE feed reader (httpx).

Owns ``_transport`` (sending with the one retry policy, the API-key header, the argument
checks the clients and the walker share), ``_client`` (the sync and async checkout clients,
which take an httpx ``transport`` or a caller's ``http_client``) and ``_rpde`` (reading RPDE
pages, fetching one page within every limit, walking and following feeds).
:mod:`openactive_checkout.client` and :mod:`openactive_checkout.rpde` are its older public
faces.

May import: errors, jsonld, vocab.
"""

from ._client import AsyncCheckoutClient, CheckoutClient, CreatedSession
from ._rpde import (
    FeedItem,
    FeedPage,
    afetch_page,
    aiter_items,
    aiter_pages,
    fetch_page,
    iter_items,
    iter_pages,
    read_page,
)

__all__ = [
    "AsyncCheckoutClient",
    "CheckoutClient",
    "CreatedSession",
    "FeedItem",
    "FeedPage",
    "afetch_page",
    "aiter_items",
    "aiter_pages",
    "fetch_page",
    "iter_items",
    "iter_pages",
    "read_page",
]
