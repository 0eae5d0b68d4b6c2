"""Greenlight's Python SDK: ask for approval in code, call the API, verify webhooks.

>>> import greenlight
>>> petition = greenlight.approval_sync(
...     reason="to recover account",
...     resources=[greenlight.Resource(kind="action", id="reset-password:123")],
... )
"""

from ._approval import DEFAULT_TIMEOUT, approval, approval_sync
from .client import GreenlightAPI, Resource
from .errors import (
    ApprovalCancelledError,
    ApprovalDeniedError,
    ApprovalError,
    ApprovalExpiredError,
    ApprovalTimeoutError,
    ErrorKind,
    GreenlightError,
    StepUpRequiredError,
    get_error_kind,
)
from .webhooks import WebhookVerificationError, sign_indent_webhook, verify_webhook

__version__ = "0.1.0"

__all__ = [
    "DEFAULT_TIMEOUT",
    "ApprovalCancelledError",
    "ApprovalDeniedError",
    "ApprovalError",
    "ApprovalExpiredError",
    "ApprovalTimeoutError",
    "ErrorKind",
    "GreenlightAPI",
    "GreenlightError",
    "Resource",
    "StepUpRequiredError",
    "WebhookVerificationError",
    "approval",
    "approval_sync",
    "get_error_kind",
    "sign_indent_webhook",
    "verify_webhook",
]
