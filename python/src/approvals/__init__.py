"""Indent's ``approvals`` module, served by Greenlight: code written against Indent's Python
quickstart runs unchanged.

>>> from approvals import approval, Resource
>>> await approval({"reason": "to recover account", "resources": [{"kind": "action", "id": "reset-password:123"}]})
>>> await approval(reason="to delete project", resources=[Resource(kind="delete_project", id="project_123")])

It reads ``INDENT_API_TOKEN`` and ``INDENT_SPACE`` (or ``GREENLIGHT_API_TOKEN`` and
``GREENLIGHT_SPACE``), and the server from ``GREENLIGHT_API_URL``. Waits are 5 minutes by
default, where Indent's were 10 seconds.
"""

from greenlight import (
    ApprovalCancelledError,
    ApprovalDeniedError,
    ApprovalError,
    ApprovalExpiredError,
    ApprovalTimeoutError,
    Resource,
    approval,
    approval_sync,
    get_error_kind,
)

__all__ = [
    "ApprovalCancelledError",
    "ApprovalDeniedError",
    "ApprovalError",
    "ApprovalExpiredError",
    "ApprovalTimeoutError",
    "Resource",
    "approval",
    "approval_sync",
    "get_error_kind",
]
