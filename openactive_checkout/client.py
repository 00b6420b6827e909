"""The imin Standalone Checkout client: a public face of :mod:`openactive_checkout.http`.

::

    with CheckoutClient("https://checkout.example.com", api_key=key) as client:
        session = client.create_session(opportunity_id)
        book_url = session.checkout_url
"""

from .http._client import AsyncCheckoutClient, CheckoutClient, CreatedSession

__all__ = ["AsyncCheckoutClient", "CheckoutClient", "CreatedSession"]
