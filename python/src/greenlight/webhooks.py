"""Checking that a webhook came from Greenlight (or from Indent), for the receiving side: the
signature over the raw body, compared in constant time, and a timestamp within 5 minutes."""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import re
import time
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Dict, Iterable, Mapping, Optional, Tuple, Union

DEFAULT_TOLERANCE = 300.0
Headers = Union[Mapping[str, Any], Iterable[Tuple[str, str]]]

_RFC3339 = re.compile(
    r"^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$"
)


class WebhookVerificationError(Exception):
    """Why a webhook was refused: not signed, signed with another secret, or too old."""


def _lower_headers(headers: Headers) -> Dict[str, str]:
    items = headers.items() if hasattr(headers, "items") else headers  # type: ignore[union-attr]
    lowered: Dict[str, str] = {}
    for key, value in items:
        if isinstance(value, (list, tuple)):
            value = value[0] if value else ""
        lowered.setdefault(str(key).lower(), value.decode("latin-1") if isinstance(value, bytes) else str(value))
    return lowered


def _parse_time(text: str) -> Optional[float]:
    """Seconds since the epoch of an RFC 3339 time (or an HTTP date), None if it is neither."""
    match = _RFC3339.match(text.strip())
    if match:
        year, month, day, hour, minute, second = (int(g) for g in match.groups()[:6])
        fraction = float("0." + match.group(7)) if match.group(7) else 0.0
        try:
            at = datetime(year, month, day, hour, minute, second, tzinfo=timezone.utc).timestamp() + fraction
        except ValueError:
            return None
        if match.group(9):
            offset = (int(match.group(10)) * 60 + int(match.group(11))) * 60
            at -= offset if match.group(9) == "+" else -offset
        return at
    try:
        parsed = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if parsed is None:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=timezone.utc)).timestamp()


def _check_fresh(at: Optional[float], now: float, tolerance: float, text: str) -> None:
    if at is None:
        raise WebhookVerificationError(f"the timestamp {text[:40]!r} is not a valid time")
    if abs(now - at) > tolerance:
        raise WebhookVerificationError(
            f"the timestamp is more than {tolerance:g}s from now; a replay, or a clock that is off"
        )


def _bytes(body: Union[str, bytes, bytearray, memoryview]) -> bytes:
    return body.encode("utf-8") if isinstance(body, str) else bytes(body)


def verify_webhook(
    secret: str,
    headers: Headers,
    body: Union[str, bytes, bytearray, memoryview],
    *,
    tolerance: float = DEFAULT_TOLERANCE,
    now: Optional[float] = None,
) -> None:
    """Verifies a webhook signed in Indent's scheme (``X-Indent-Timestamp``,
    ``X-Indent-Signature``: hex HMAC-SHA256 of ``v0:<timestamp>:<body>``) or in Standard
    Webhooks' (``webhook-id``, ``webhook-timestamp``, ``webhook-signature``: ``v1,<base64>`` of
    HMAC-SHA256 over ``<id>.<timestamp>.<body>``, with a ``whsec_`` secret). Returns if it is
    genuine and its timestamp within ``tolerance`` seconds (5 minutes) of now; raises
    ``WebhookVerificationError`` saying what is wrong otherwise. ``body`` is the raw body,
    exactly as received.

    >>> verify_webhook(os.environ["GREENLIGHT_WEBHOOK_SECRET"], request.headers, request.get_data())
    """
    header = _lower_headers(headers)
    raw = _bytes(body)
    current = time.time() if now is None else now

    indent_signature = header.get("x-indent-signature")
    if indent_signature is not None:
        timestamp = header.get("x-indent-timestamp")
        if timestamp is None:
            raise WebhookVerificationError("X-Indent-Timestamp is missing")
        _check_fresh(_parse_time(timestamp), current, tolerance, timestamp)
        expected = hmac.new(secret.encode("utf-8"), b"v0:" + timestamp.encode("utf-8") + b":" + raw, hashlib.sha256).hexdigest()
        if not hmac.compare_digest(expected.encode("ascii"), indent_signature.strip().lower().encode("utf-8", "replace")):
            raise WebhookVerificationError(
                "X-Indent-Signature does not match the body; check the secret, and verify the raw body"
            )
        return

    standard_signature = header.get("webhook-signature")
    if standard_signature is not None:
        webhook_id = header.get("webhook-id")
        timestamp = header.get("webhook-timestamp")
        if webhook_id is None or timestamp is None:
            raise WebhookVerificationError("webhook-id or webhook-timestamp is missing")
        _check_fresh(float(timestamp) if timestamp.isdigit() else None, current, tolerance, timestamp)
        if secret.startswith("whsec_"):
            try:
                key = base64.b64decode(secret[len("whsec_"):], validate=True)
            except (binascii.Error, ValueError):
                raise WebhookVerificationError("the secret is not valid base64 after whsec_") from None
        else:
            key = secret.encode("utf-8")
        signed = webhook_id.encode("utf-8") + b"." + timestamp.encode("utf-8") + b"." + raw
        expected_b64 = base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest())
        matched = False
        for entry in standard_signature.split(" "):
            version, _, value = entry.partition(",")
            # Every entry is compared, so the time taken does not say which one matched.
            if version == "v1" and hmac.compare_digest(expected_b64, value.encode("utf-8", "replace")):
                matched = True
        if not matched:
            raise WebhookVerificationError(
                "no webhook-signature matches the body; check the secret, and verify the raw body"
            )
        return

    raise WebhookVerificationError(
        "the request is not signed: neither X-Indent-Signature nor webhook-signature is present"
    )


def sign_indent_webhook(secret: str, body: Union[str, bytes], timestamp: Optional[str] = None) -> Dict[str, str]:
    """The headers that sign ``body`` in Indent's scheme, for tests and for services that send
    Indent-style webhooks themselves."""
    stamp = timestamp or datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%f")[:-3] + "Z"
    mac = hmac.new(secret.encode("utf-8"), b"v0:" + stamp.encode("utf-8") + b":" + _bytes(body), hashlib.sha256)
    return {"X-Indent-Timestamp": stamp, "X-Indent-Signature": mac.hexdigest()}
