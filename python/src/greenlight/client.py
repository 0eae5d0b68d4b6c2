"""A client for Greenlight's API (Indent v1's), in the shape of Indent's ``IndentAPI``."""

from __future__ import annotations

import time
import uuid
from typing import Any, Callable, Dict, Iterator, List, Mapping, Optional, Sequence
from urllib.parse import quote

from ._transport import DEFAULT_BASE_URL, Cancel, Transport, claims_of, env
from .errors import GreenlightError, StepUpRequiredError

JSON = Dict[str, Any]
Petition = Dict[str, Any]
#: The longest one long-poll asks the server to hold (seconds); servers cap it at 60 s by default.
LONG_POLL = 25.0


def _enc(text: str) -> str:
    return quote(text, safe="")


class Resource(Dict[str, Any]):
    """A resource as a request names it: a kind, and an id or an email. It is a dict, so it is
    sent as it is and reads like the resources the API answers with.

    >>> Resource(kind="action", id="reset-password:123", display_name="Reset password")
    {'kind': 'action', 'id': 'reset-password:123', 'displayName': 'Reset password'}
    """

    def __init__(
        self,
        kind: str,
        id: Optional[str] = None,
        *,
        email: Optional[str] = None,
        display_name: Optional[str] = None,
        labels: Optional[Mapping[str, str]] = None,
        **extra: Any,
    ) -> None:
        super().__init__(kind=kind)
        if id is not None:
            self["id"] = id
        if email is not None:
            self["email"] = email
        if display_name is not None:
            self["displayName"] = display_name
        if labels is not None:
            self["labels"] = dict(labels)
        self.update(extra)


def _pages(fetch: Callable[[Optional[str]], JSON], key: str) -> Iterator[JSON]:
    token: Optional[str] = None
    while True:
        page = fetch(token)
        yield from page.get(key, [])
        token = page.get("nextPageToken") or None
        if not token:
            return


class _Petitions:
    def __init__(self, api: "GreenlightAPI") -> None:
        self._api = api

    @property
    def _path(self) -> str:
        return f"{self._api._space_path}/petitions"

    def create(
        self,
        petition: Optional[Mapping[str, Any]] = None,
        *,
        reason: Optional[str] = None,
        resources: Optional[Sequence[Mapping[str, Any]]] = None,
        petitioners: Optional[Sequence[Mapping[str, Any]]] = None,
        idempotency_key: Optional[str] = None,
        **fields: Any,
    ) -> Petition:
        """Creates a petition, or returns the open or granted one that asks for the same access.

        ``create(reason="to debug production", resources=[...])``, or the whole petition as a dict.
        """
        body: JSON = dict(petition or {})
        if reason is not None:
            body["reason"] = reason
        if resources is not None:
            body["resources"] = [dict(r) for r in resources]
        if petitioners is not None:
            body["petitioners"] = [dict(p) for p in petitioners]
        body.update(fields)
        body.setdefault("reason", "")
        result: Petition = self._api._call(
            "POST", self._path, body={"petition": body}, idempotency_key=idempotency_key or str(uuid.uuid4())
        )
        return result

    def get(self, name: str) -> Petition:
        result: Petition = self._api._call("GET", f"{self._path}/{_enc(name)}")
        return result

    def list(
        self,
        *,
        phase: Optional[str] = None,
        label_selector: Optional[str] = None,
        awaiting: Optional[str] = None,
        reviewed_by: Optional[str] = None,
        petitioner: Optional[str] = None,
        ascending: Optional[bool] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[Petition]:
        """Every petition that matches, newest first, fetched a page at a time as it is read."""
        query = {
            "phase": phase,
            "labelSelector": label_selector,
            "awaiting": awaiting,
            "reviewedBy": reviewed_by,
            "petitioner": petitioner,
            "ascending": ascending,
            "pageSize": page_size,
        }
        return _pages(lambda token: self._api._call("GET", self._path, query={**query, "pageToken": token}), "petitions")

    def poll(self, name: str, hold: float, cancel: Optional[Cancel] = None) -> Petition:
        """One long-poll: the petition once decided, or after ``hold`` seconds as it is."""
        hold_ms = max(0, round(hold * 1000))
        result: Petition = self._api._call(
            "GET",
            f"{self._path}/{_enc(name)}",
            query={"waitFor": "decision", "timeout": f"{hold_ms}ms"},
            timeout=hold + 30.0,
            cancel=cancel,
        )
        return result

    def wait_for(self, name: str, timeout: float = 10.0) -> Petition:
        """Holds until the petition is decided or ``timeout`` seconds pass, then returns it as it
        is. The server holds the request (no polling), again and again for long waits."""
        deadline = self._api.now() + timeout
        while True:
            hold = max(0.0, min(deadline - self._api.now(), LONG_POLL))
            petition = self.poll(name, hold)
            if petition["state"]["status"]["phase"] != "open" or self._api.now() >= deadline:
                return petition

    def review(
        self,
        name: str,
        decision: str,
        *,
        reason: Optional[str] = None,
        duration: Optional[str] = None,
        indefinite: bool = False,
    ) -> JSON:
        """Approves, denies or revokes (``decision``): a claim on the petition."""
        labels: Dict[str, str] = {}
        if duration is not None:
            labels["indent.com/time/duration"] = duration
        if indefinite:
            labels["indent.com/time/indefinite"] = "true"
        claim = {"event": f"access/{decision}", "reason": reason or "", "meta": {"labels": labels}}
        try:
            result: JSON = self._api._call(
                "POST", f"{self._path}/{_enc(name)}/claims", body={"claim": claim}, idempotency_key=str(uuid.uuid4())
            )
            return result
        except GreenlightError as error:
            if error.code == "STEP_UP_REQUIRED":
                url = f"{self._api.base_url}/spaces/{_enc(self._api.space_name)}/petitions/{_enc(name)}"
                raise StepUpRequiredError(error, url) from error
            raise

    def approve(self, name: str, *, reason: Optional[str] = None, duration: Optional[str] = None, indefinite: bool = False) -> JSON:
        return self.review(name, "approve", reason=reason, duration=duration, indefinite=indefinite)

    def deny(self, name: str, reason: Optional[str] = None) -> JSON:
        return self.review(name, "deny", reason=reason)

    def revoke(self, name: str, reason: Optional[str] = None) -> JSON:
        return self.review(name, "revoke", reason=reason)

    def close(self, name: str) -> Petition:
        """Closes the petition: cancelled if open, revoked if granted."""
        result: Petition = self._api._call(
            "PUT", f"{self._path}/{_enc(name)}", body={"petition": {"state": {"status": {"phase": "closed"}}}}
        )
        return result


class _Resources:
    def __init__(self, api: "GreenlightAPI") -> None:
        self._api = api

    def list(
        self,
        *,
        view: Optional[str] = None,
        label_selector: Optional[str] = None,
        search: Optional[str] = None,
        kind: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[JSON]:
        """The catalog, a page at a time as it is read: ``view='requestable'`` or ``'people'``,
        ``search`` (id, display name, email or name, in any case), ``kind``, ``label_selector``."""
        query = {"view": view, "labelSelector": label_selector, "search": search, "kind": kind, "pageSize": page_size}
        path = f"{self._api._space_path}/resources"
        return _pages(lambda token: self._api._call("GET", path, query={**query, "pageToken": token}), "resources")

    def bulk_update(self, resources: Sequence[Mapping[str, Any]]) -> List[JSON]:
        """Creates or updates each resource by kind and id, all in one transaction."""
        answer = self._api._call(
            "POST", f"{self._api._space_path}/resources:bulkUpdate", body={"resources": [dict(r) for r in resources]}
        )
        result: List[JSON] = answer.get("resources", [])
        return result


class _Grants:
    def __init__(self, api: "GreenlightAPI") -> None:
        self._api = api

    def list(
        self,
        *,
        status: Optional[str] = None,
        petition: Optional[str] = None,
        provisioning: Optional[str] = None,
        page_size: Optional[int] = None,
    ) -> Iterator[JSON]:
        """Access held because a petition was approved, oldest first."""
        query = {"status": status, "petition": petition, "provisioning": provisioning, "pageSize": page_size}
        path = f"{self._api._space_path}/grants"
        return _pages(lambda token: self._api._call("GET", path, query={**query, "pageToken": token}), "grants")


class _Tokens:
    def __init__(self, api: "GreenlightAPI") -> None:
        self._api = api

    def exchange(self, refresh_token: str) -> JSON:
        """Exchanges a refresh token (``glr_…``) for a short-lived access token."""
        return self._api._transport.exchange(refresh_token)


class GreenlightAPI:
    """A client for Greenlight's API. Refresh tokens (``glr_…``) are exchanged for access tokens
    automatically, and again before they expire.

    Reads ``GREENLIGHT_API_URL`` (default ``http://127.0.0.1:8787``), ``GREENLIGHT_API_TOKEN``
    and ``GREENLIGHT_SPACE``, or Indent's ``INDENT_API_TOKEN`` and ``INDENT_SPACE``.

    >>> api = GreenlightAPI()
    >>> resources = list(api.resource.list(view="requestable"))
    >>> pet = api.petition.create(reason="to debug production", resources=resources[:1])
    """

    def __init__(
        self,
        space_name: Optional[str] = None,
        api_token: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        retries: int = 2,
        timeout: float = 30.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        token = api_token or env("GREENLIGHT_API_TOKEN") or env("INDENT_API_TOKEN")
        if not token:
            raise ValueError(
                "no API token: pass api_token= or set GREENLIGHT_API_TOKEN "
                "(a service account's refresh token, an access token, or the server's admin token)"
            )
        claims = claims_of(token) or {}
        self.space_name: str = str(
            space_name or env("GREENLIGHT_SPACE") or env("INDENT_SPACE") or claims.get("space") or "default"
        )
        self._transport = Transport(base_url or env("GREENLIGHT_API_URL") or DEFAULT_BASE_URL, token, retries, timeout, now)
        self.base_url: str = self._transport.base_url
        self.now = now
        self.petition = _Petitions(self)
        self.resource = _Resources(self)
        self.grant = _Grants(self)
        self.token = _Tokens(self)

    @property
    def _space_path(self) -> str:
        return f"/v1/spaces/{_enc(self.space_name)}"

    def _call(self, method: str, path: str, **options: Any) -> Any:
        return self._transport.request(method, path, **options)
