"""Indent's ``indentapi`` module, served by Greenlight.

>>> from indentapi import IndentAPI
>>> indent = IndentAPI(space_name=os.getenv("INDENT_SPACE"), api_token=os.getenv("INDENT_API_TOKEN"))
>>> resources = indent.resource.list(view="requestable")
>>> pet = indent.petition.create(reason="to debug production", resources=[r for r in resources if r["displayName"] == "Production"])

The server is ``GREENLIGHT_API_URL`` (default ``http://127.0.0.1:8787``) or ``base_url=``.
"""

from typing import Any, Optional

from greenlight import GreenlightAPI, GreenlightError, Resource
from greenlight._transport import env


class IndentAPI(GreenlightAPI):
    """Greenlight's client under Indent's name: ``INDENT_SPACE`` and ``INDENT_API_TOKEN`` come
    first, then ``GREENLIGHT_SPACE`` and ``GREENLIGHT_API_TOKEN``."""

    def __init__(
        self, space_name: Optional[str] = None, api_token: Optional[str] = None, base_url: Optional[str] = None, **options: Any
    ) -> None:
        """``options``: ``retries``, ``timeout`` and ``now``, as ``GreenlightAPI`` takes them."""
        super().__init__(space_name or env("INDENT_SPACE"), api_token or env("INDENT_API_TOKEN"), base_url, **options)


__all__ = ["IndentAPI", "GreenlightError", "Resource"]
