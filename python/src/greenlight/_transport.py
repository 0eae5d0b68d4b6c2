"""HTTP to the API with the standard library: authentication (exchanging a refresh token for
access tokens, again before they expire), JSON in and out, the error envelope turned into
``GreenlightError``, and retries of requests that failed for a passing reason and are safe to
repeat."""

from __future__ import annotations

import base64
import http.client
import json
import os
import random
import socket
import threading
import time
from typing import Any, Callable, Dict, List, Mapping, Optional, Union
from urllib.parse import urlencode, urlsplit

from .errors import GreenlightError

DEFAULT_BASE_URL = "http://127.0.0.1:8787"
REFRESH_PREFIX = "glr_"
#: Exchange a refresh token again this long before its access token expires (seconds).
REFRESH_EARLY = 60.0
Query = Mapping[str, Union[str, int, bool, None]]


def env(name: str) -> Optional[str]:
    value = os.environ.get(name)
    return value if value else None


def claims_of(token: str) -> Optional[Dict[str, Any]]:
    """The claims of a JWT, read without checking its signature (the server checks it)."""
    parts = token.split(".")
    if len(parts) != 3 or not parts[1]:
        return None
    try:
        payload = parts[1] + "=" * (-len(parts[1]) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
    except ValueError:
        return None
    return claims if isinstance(claims, dict) else None


class Cancel:
    """Lets another thread abandon a request in flight: its socket is shut down, so a held
    long-poll ends at once and the server sees the client go."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._connections: List[http.client.HTTPConnection] = []

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            connections = list(self._connections)
        for connection in connections:
            sock = connection.sock
            if sock is not None:
                try:
                    sock.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass

    def _track(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            self._connections.append(connection)

    def _untrack(self, connection: http.client.HTTPConnection) -> None:
        with self._lock:
            if connection in self._connections:
                self._connections.remove(connection)


class Transport:
    def __init__(
        self,
        base_url: str,
        api_token: str,
        retries: int = 2,
        timeout: float = 30.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self.base_url = base_url.rstrip("/")
        if self.base_url.endswith("/v1"):
            self.base_url = self.base_url[: -len("/v1")]
        self.api_token = api_token
        self.retries = retries
        self.timeout = timeout
        self.now = now
        self._access: Optional[str] = None
        self._refresh_at = 0.0
        self._lock = threading.Lock()

    def request(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
        cancel: Optional[Cancel] = None,
    ) -> Any:
        safe_to_repeat = method == "GET" or idempotency_key is not None
        reauthenticated = False
        attempt = 0
        while True:
            try:
                return self.send(
                    method, path, query=query, body=body, idempotency_key=idempotency_key,
                    timeout=timeout, cancel=cancel, authorization=self._authorization(),
                )
            except GreenlightError as error:
                if cancel is not None and cancel.cancelled:
                    raise
                if error.status == 401 and error.code != "STEP_UP_REQUIRED" and self._is_refresh() and not reauthenticated:
                    # The access token was revoked or expired early: exchange the refresh token again.
                    reauthenticated = True
                    with self._lock:
                        self._access = None
                    continue
                # Busy or restarting with Retry-After: the server did not act on the request.
                told_to_wait = error.status in (429, 503) and error.retry_after is not None
                if not error.is_retryable or not (safe_to_repeat or told_to_wait) or attempt >= self.retries:
                    raise
                time.sleep(_backoff(attempt, error))
                attempt += 1

    def exchange(self, refresh_token: str) -> Dict[str, Any]:
        """Exchanges a refresh token for an access token (``POST /v1/auth/token``)."""
        answer: Dict[str, Any] = self.send(
            "POST", "/v1/auth/token", body={"grant_type": "refresh_token", "refresh_token": refresh_token}, authorization=None
        )
        return answer

    def _is_refresh(self) -> bool:
        return self.api_token.startswith(REFRESH_PREFIX)

    def _authorization(self) -> str:
        if not self._is_refresh():
            return f"Bearer {self.api_token}"
        # One exchange at a time, shared by every thread that needs it.
        with self._lock:
            if self._access is None or self.now() >= self._refresh_at:
                answer = self.exchange(self.api_token)
                lifetime = float(answer.get("expires_in", 0))
                self._access = str(answer["access_token"])
                self._refresh_at = self.now() + max(lifetime / 2, lifetime - REFRESH_EARLY)
            return f"Bearer {self._access}"

    def send(
        self,
        method: str,
        path: str,
        *,
        query: Optional[Query] = None,
        body: Any = None,
        idempotency_key: Optional[str] = None,
        timeout: Optional[float] = None,
        cancel: Optional[Cancel] = None,
        authorization: Optional[str],
    ) -> Any:
        url = urlsplit(self.base_url + path)
        params = {k: _text(v) for k, v in (query or {}).items() if v is not None}
        target = url.path + ("?" + urlencode(params) if params else "")
        headers = {"accept": "application/json", "user-agent": "greenlight-python"}
        if authorization:
            headers["authorization"] = authorization
        payload: Optional[bytes] = None
        if body is not None:
            payload = json.dumps(body).encode("utf-8")
            headers["content-type"] = "application/json"
        if idempotency_key is not None:
            headers["idempotency-key"] = idempotency_key
        connection_class = http.client.HTTPSConnection if url.scheme == "https" else http.client.HTTPConnection
        connection = connection_class(url.netloc, timeout=timeout if timeout is not None else self.timeout)
        where = f"{method} {url.scheme}://{url.netloc}{url.path}"
        if cancel is not None:
            cancel._track(connection)
        try:
            try:
                if cancel is not None and cancel.cancelled:
                    raise ConnectionAbortedError("cancelled")
                connection.request(method, target, body=payload, headers=headers)
                response = connection.getresponse()
                text = response.read().decode("utf-8")
            except (OSError, http.client.HTTPException) as error:
                what = "did not answer in time" if isinstance(error, socket.timeout) else "could not be reached"
                raise GreenlightError(0, "NETWORK", f"{where}: the server {what} ({error!r})") from error
        finally:
            if cancel is not None:
                cancel._untrack(connection)
            connection.close()
        parsed = _parse(text)
        if 200 <= response.status < 300:
            return parsed
        envelope = parsed.get("error") if isinstance(parsed, dict) else None
        envelope = envelope if isinstance(envelope, dict) else {}
        retry_after: Optional[float] = None
        try:
            retry_after = float(response.getheader("retry-after") or "")
        except ValueError:
            pass
        raise GreenlightError(
            response.status,
            str(envelope.get("code") or f"HTTP_{response.status}"),
            str(envelope.get("message") or f"{where} answered {response.status} {response.reason}"),
            envelope.get("requestId") or response.getheader("x-request-id"),
            envelope.get("field"),
            retry_after if retry_after is not None and retry_after > 0 else None,
        )


def _text(value: Union[str, int, bool]) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _parse(text: str) -> Any:
    if text == "":
        return None
    try:
        return json.loads(text)
    except ValueError:
        return text


def _backoff(attempt: int, error: GreenlightError) -> float:
    """Exponential backoff with jitter, or what the server asked for, whichever is longer (at most 10 s)."""
    exponential = 0.25 * 2**attempt * (0.5 + random.random())
    return min(10.0, max(exponential, error.retry_after or 0.0))
