"""The errors the SDK raises: the server's answers, and approvals that were not granted."""

from __future__ import annotations

from typing import Any, Dict, Literal, Optional

ErrorKind = Literal["denied", "waiting", "expired", "cancelled", "unknown"]
Petition = Dict[str, Any]

RETRYABLE_STATUSES = frozenset({0, 429, 502, 503, 504})


class GreenlightError(Exception):
    """An error the server answered with (its status and ``{error: {code, message, requestId}}``),
    or status 0 and code ``NETWORK`` when the server could not be reached."""

    def __init__(
        self,
        status: int,
        code: str,
        message: str,
        request_id: Optional[str] = None,
        field: Optional[str] = None,
        retry_after: Optional[float] = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.field = field
        self.retry_after = retry_after

    @property
    def is_retryable(self) -> bool:
        """Whether trying again later may succeed: unreachable, busy or restarting."""
        return self.status in RETRYABLE_STATUSES

    def __str__(self) -> str:
        where = f" (request {self.request_id})" if self.request_id else ""
        return f"{self.status} {self.code}: {self.message}{where}"


class StepUpRequiredError(GreenlightError):
    """Approving a high-risk petition needs a person's recent, strong sign-in: approve it in the
    web UI at ``review_url``."""

    def __init__(self, error: GreenlightError, review_url: str) -> None:
        super().__init__(error.status, error.code, error.message, error.request_id, error.field)
        self.review_url = review_url


class ApprovalError(Exception):
    """What ``approval()`` raises when access was not granted. ``kind`` says why, ``petition``
    is the petition as last seen, ``reason`` the decider's reason when one was given."""

    kind: ErrorKind = "unknown"

    def __init__(self, message: str, petition: Optional[Petition] = None, reason: Optional[str] = None) -> None:
        super().__init__(message)
        self.petition = petition
        self.reason = reason


class ApprovalDeniedError(ApprovalError):
    """A reviewer or the policy said no, or took the access back."""

    kind: ErrorKind = "denied"


class ApprovalTimeoutError(ApprovalError):
    """Not decided when the wait ended; the petition stays open, and once granted, asking
    again returns at once."""

    kind: ErrorKind = "waiting"


class ApprovalExpiredError(ApprovalError):
    """The request, or the access, ran out of time."""

    kind: ErrorKind = "expired"


class ApprovalCancelledError(ApprovalError):
    """The petition was withdrawn before a decision."""

    kind: ErrorKind = "cancelled"


def get_error_kind(error: BaseException) -> ErrorKind:
    """``'denied'``, ``'waiting'``, ``'expired'``, ``'cancelled'``, or ``'unknown'`` for anything
    else (including errors that are not Greenlight's)."""
    return error.kind if isinstance(error, ApprovalError) else "unknown"


def kind_of_closed(petition: Petition) -> ErrorKind:
    """The kind a decided petition that is not granted stands for."""
    outcome = petition.get("state", {}).get("status", {}).get("outcome")
    if outcome == "cancelled":
        return "cancelled"
    if outcome in ("expired", "timed_out"):
        return "expired"
    if outcome in ("denied", "revoked"):
        return "denied"
    return "unknown"


ERROR_CLASSES = {
    "denied": ApprovalDeniedError,
    "waiting": ApprovalTimeoutError,
    "expired": ApprovalExpiredError,
    "cancelled": ApprovalCancelledError,
    "unknown": ApprovalError,
}
