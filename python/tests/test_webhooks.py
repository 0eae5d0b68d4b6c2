import base64
import hashlib
import hmac
from datetime import datetime, timezone

import pytest

from greenlight import WebhookVerificationError, sign_indent_webhook, verify_webhook

# Indent's published test vector.
SECRET = "secret_123"
TIMESTAMP = "2020-05-01T07:00:00Z"
BODY = '{"events":[{"event":"access/grant","timestamp":"2020-05-01T07:00:00Z"}]}'
SIGNATURE = "c27f187960625ebccc33336030b071dac1d54b1e98d9e27fe5452ee00c935fb0"
AT_VECTOR_TIME = datetime(2020, 5, 1, 7, 1, tzinfo=timezone.utc).timestamp()
HEADERS = {"X-Indent-Timestamp": TIMESTAMP, "X-Indent-Signature": SIGNATURE}


def refusal(**kwargs: object) -> str:
    with pytest.raises(WebhookVerificationError) as caught:
        verify_webhook(**{"secret": SECRET, "headers": HEADERS, "body": BODY, "now": AT_VECTOR_TIME, **kwargs})  # type: ignore[arg-type]
    return str(caught.value)


def test_accepts_indents_test_vector_as_text_or_bytes_with_headers_in_any_case() -> None:
    verify_webhook(SECRET, HEADERS, BODY, now=AT_VECTOR_TIME)
    verify_webhook(SECRET, {k.lower(): v for k, v in HEADERS.items()}, BODY.encode(), now=AT_VECTOR_TIME)
    verify_webhook(SECRET, list(HEADERS.items()), bytearray(BODY.encode()), now=AT_VECTOR_TIME)


def test_signs_as_indent_does() -> None:
    assert sign_indent_webhook(SECRET, BODY, TIMESTAMP) == HEADERS
    fresh = sign_indent_webhook(SECRET, BODY)
    verify_webhook(SECRET, fresh, BODY)


def test_refuses_a_tampered_body_another_secret_and_a_bad_signature() -> None:
    assert "does not match" in refusal(body=BODY.replace("grant", "revoke"))
    assert "does not match" in refusal(secret="secret_124")
    assert "does not match" in refusal(headers={**HEADERS, "X-Indent-Signature": "zz" + SIGNATURE[2:]})
    assert "does not match" in refusal(headers={**HEADERS, "X-Indent-Signature": SIGNATURE[:-2]})


def test_refuses_stale_future_and_unreadable_timestamps() -> None:
    assert "more than 300s" in refusal(now=AT_VECTOR_TIME + 10 * 60)
    assert "more than 300s" in refusal(now=AT_VECTOR_TIME - 10 * 60)
    assert "more than 30s" in refusal(tolerance=30)
    assert "not a valid time" in refusal(headers={**HEADERS, "X-Indent-Timestamp": "yesterday"})
    assert "X-Indent-Timestamp is missing" in refusal(headers={"X-Indent-Signature": SIGNATURE})
    assert "not signed" in refusal(headers={})


def test_standard_webhooks() -> None:
    key = b"a secret of 24 bytes...."
    secret = "whsec_" + base64.b64encode(key).decode()
    stamp = "1700000000"
    mac = base64.b64encode(hmac.new(key, f"msg_1.{stamp}.{BODY}".encode(), hashlib.sha256).digest()).decode()
    headers = {"webhook-id": "msg_1", "webhook-timestamp": stamp, "webhook-signature": f"v1,bogus v1,{mac}"}
    verify_webhook(secret, headers, BODY, now=1700000100)
    with pytest.raises(WebhookVerificationError, match="no webhook-signature matches"):
        verify_webhook(secret, headers, BODY + " ", now=1700000100)
    with pytest.raises(WebhookVerificationError, match="from now"):
        verify_webhook(secret, headers, BODY, now=1700000000 + 301)
    with pytest.raises(WebhookVerificationError, match="webhook-id or webhook-timestamp is missing"):
        verify_webhook(secret, {"webhook-signature": f"v1,{mac}"}, BODY, now=1700000100)
