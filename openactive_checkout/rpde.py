"""RPDE feeds, read page by page: a public face of :mod:`openactive_checkout.http`.

:func:`fetch_page` fetches one page within every limit (origin policy, body size,
deadline); :func:`iter_pages` walks a feed page by page (``follow=True`` keeps polling its
last page); :func:`iter_items` yields the items; :func:`read_page` reads a page you have.
"""

from .http._rpde import (
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
