"""RPDE feeds, read page by page: a public face of :mod:`openactive_checkout.http`."""

from .http._rpde import FeedItem, FeedPage, aiter_items, iter_items, read_page

__all__ = ["FeedItem", "FeedPage", "aiter_items", "iter_items", "read_page"]
