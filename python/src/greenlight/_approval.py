"""``approval()``: blocks until access is granted, as Indent's ``await approval`` did."""

from __future__ import annotations

import asyncio
import sys
import threading
import time
import uuid
from typing import Any, Callable, Dict, Generator, List, Mapping, Optional, Sequence, Tuple, TypeVar, Union

from ._transport import Cancel
from .client import GreenlightAPI, Petition
from .errors import ERROR_CLASSES, ApprovalError, GreenlightError, kind_of_closed

DEFAULT_TIMEOUT = 300.0
#: The longest one long-poll is asked to hold (seconds). Short enough that a cancelled wait's
#: thread is never held long; the server's cap is 60 s.
MAX_HOLD = 20.0
MAX_RETRY_PAUSE = 5.0
FIRST_REPORT = 2.0

T = TypeVar("T")
Request = Mapping[str, Any]

_default_client: Optional[GreenlightAPI] = None
_default_lock = threading.Lock()


def _client(client: Optional[GreenlightAPI]) -> GreenlightAPI:
    global _default_client
    if client is not None:
        return client
    with _default_lock:
        if _default_client is None:
            _default_client = GreenlightAPI()
        return _default_client


class _Sleep:
    def __init__(self, seconds: float) -> None:
        self.seconds = seconds


#: A step of the wait: blocking work to run (in a thread, for the async form), or a pause.
Step = Union[Callable[[], Any], _Sleep]


class _Progress:
    """The lines Indent's quickstart shows, on stderr, unless quiet."""

    def __init__(self, quiet: bool) -> None:
        self.quiet = quiet
        self.next_report = FIRST_REPORT

    def line(self, text: str) -> None:
        if not self.quiet:
            print(text, file=sys.stderr, flush=True)

    def due(self, elapsed: float) -> bool:
        """After 2 s, then each time the wait has doubled."""
        if elapsed < self.next_report:
            return False
        while self.next_report <= elapsed:
            self.next_report *= 2
        return True


def _describe_wait(seconds: float) -> str:
    if seconds >= 60 and seconds % 60 == 0:
        return f"{int(seconds // 60)} min"
    return f"{seconds:g} s"


def _request_body(request: Request) -> Dict[str, Any]:
    body: Dict[str, Any] = {
        "reason": request.get("reason") or "",
        "resources": [dict(r) for r in request.get("resources") or []],
    }
    if not body["resources"]:
        raise ValueError("approval() needs resources: what is asked for, such as [Resource(kind='action', id='reset-password:123')]")
    if request.get("petitioners"):
        body["petitioners"] = [dict(p) for p in request["petitioners"]]
    if request.get("duration"):
        body["defaultDuration"] = request["duration"]
    if request.get("labels"):
        body["meta"] = {"labels": dict(request["labels"])}
    return body


def _outcome(petition: Petition) -> Tuple[Optional[str], List[str]]:
    """The decider's reason and who decided, from the last decision in the history."""
    events = petition.get("state", {}).get("eventHistory") or []
    for event in reversed(events):
        if event.get("event") in ("access/deny", "access/revoke", "access/approve"):
            actor = event.get("actor") or {}
            who = actor.get("email") or f"{actor.get('kind', '')}/{actor.get('id', '')}"
            return (event.get("reason") or None), [who]
    return None, []


def _steps(
    client: GreenlightAPI,
    request: Request,
    timeout: float,
    quiet: bool,
    idempotency_key: Optional[str],
    cancel: Cancel,
) -> Generator[Step, Any, Petition]:
    """The wait, as steps a driver runs: blocking in ``approval_sync``, in threads in ``approval``."""
    progress = _Progress(quiet)
    started = client.now()
    deadline = started + timeout
    key = idempotency_key or str(uuid.uuid4())
    body = _request_body(request)

    def until_answered(attempt: Callable[[], Petition], last: Optional[Petition]) -> Generator[Step, Any, Petition]:
        failures = 0
        while True:
            try:
                result: Petition = yield attempt
                return result
            except GreenlightError as error:
                pause = min(MAX_RETRY_PAUSE, 0.2 * 2**failures)
                if not error.is_retryable or client.now() + pause >= deadline:
                    kind = "waiting" if error.is_retryable and last is not None else "unknown"
                    raise ERROR_CLASSES[kind](f"approval failed: {error}", last) from error
                failures += 1
                yield _Sleep(pause)

    petition = yield from until_answered(lambda: client.petition.create(body, idempotency_key=key), None)
    progress.line(f"⏵ Requested approval #{client.space_name}/{petition['name']}")

    while petition["state"]["status"]["phase"] == "open":
        elapsed = client.now() - started
        if elapsed >= timeout:
            progress.line(f"❌ Not decided within {_describe_wait(timeout)}")
            raise ERROR_CLASSES["waiting"](
                f"petition {petition['name']} was not decided within {_describe_wait(timeout)}; "
                "it stays open, and once granted, asking again returns at once",
                petition,
            )
        if progress.due(elapsed):
            progress.line(f"↳ Waiting for approval... ({round(elapsed)}s elapsed)")
        hold = min(timeout - elapsed, progress.next_report - elapsed, MAX_HOLD)
        name = petition["name"]
        petition = yield from until_answered(lambda: client.petition.poll(name, hold, cancel), petition)

    if petition["state"]["status"]["phase"] == "granted":
        progress.line("✅ Granted")
        return petition
    kind = kind_of_closed(petition)
    reason, decided_by = _outcome(petition)
    why = f": {reason}" if reason else ""
    by = f" by {', '.join(decided_by)}" if decided_by else ""
    state = petition["state"]["status"].get("outcome") or petition["state"]["status"]["phase"]
    progress.line(f"❌ Denied{by}{why}" if kind == "denied" else f"❌ Not granted ({state}){why}")
    message = f"was {state}{by}{why}" if kind == "denied" else f"was not granted: it is {state}{why}"
    raise ERROR_CLASSES[kind](f"petition {petition['name']} {message}", petition, reason)


def _normalise(request: Optional[Request], fields: Dict[str, Any]) -> Request:
    merged: Dict[str, Any] = dict(request or {})
    merged.update({k: v for k, v in fields.items() if v is not None})
    return merged


def approval_sync(
    request: Optional[Request] = None,
    *,
    reason: Optional[str] = None,
    resources: Optional[Sequence[Mapping[str, Any]]] = None,
    petitioners: Optional[Sequence[Mapping[str, Any]]] = None,
    duration: Optional[str] = None,
    labels: Optional[Mapping[str, str]] = None,
    timeout: float = DEFAULT_TIMEOUT,
    quiet: bool = False,
    client: Optional[GreenlightAPI] = None,
    idempotency_key: Optional[str] = None,
) -> Petition:
    """Blocks until access is granted and returns the granted petition; see ``approval``."""
    merged = _normalise(
        request, {"reason": reason, "resources": resources, "petitioners": petitioners, "duration": duration, "labels": labels}
    )
    steps = _steps(_client(client), merged, timeout, quiet, idempotency_key, Cancel())
    sent: Any = None
    failure: Optional[BaseException] = None
    while True:
        try:
            step = steps.throw(failure) if failure is not None else steps.send(sent)
        except StopIteration as done:
            result: Petition = done.value
            return result
        sent, failure = None, None
        if isinstance(step, _Sleep):
            time.sleep(step.seconds)
            continue
        try:
            sent = step()
        except GreenlightError as error:
            failure = error


async def _in_thread(work: Callable[[], T], cancel: Cancel) -> T:
    """Runs blocking work on a thread of its own (waits must not starve a shared pool); a
    cancelled caller shuts its socket, so the thread ends at once too."""
    loop = asyncio.get_running_loop()
    future: "asyncio.Future[T]" = loop.create_future()

    def settle(value: Any, error: Optional[BaseException]) -> None:
        if future.done():
            return
        if error is not None:
            future.set_exception(error)
        else:
            future.set_result(value)

    def run() -> None:
        try:
            value = work()
        except BaseException as error:  # handed to the awaiting task
            loop.call_soon_threadsafe(settle, None, error)
        else:
            loop.call_soon_threadsafe(settle, value, None)

    threading.Thread(target=run, name="greenlight-approval", daemon=True).start()
    try:
        return await future
    except asyncio.CancelledError:
        cancel.cancel()
        raise


async def approval(
    request: Optional[Request] = None,
    *,
    reason: Optional[str] = None,
    resources: Optional[Sequence[Mapping[str, Any]]] = None,
    petitioners: Optional[Sequence[Mapping[str, Any]]] = None,
    duration: Optional[str] = None,
    labels: Optional[Mapping[str, str]] = None,
    timeout: float = DEFAULT_TIMEOUT,
    quiet: bool = False,
    client: Optional[GreenlightAPI] = None,
    idempotency_key: Optional[str] = None,
) -> Petition:
    """Waits until access is granted and returns the granted petition.

    Finds the open or granted petition for the same petitioners and resources, or creates one;
    returns at once if already granted; otherwise waits on the server's long-poll for a
    decision, up to ``timeout`` seconds (5 minutes by default). Anything but a grant raises an
    ``ApprovalError``: ``ApprovalDeniedError`` (with the reviewer's ``reason``),
    ``ApprovalTimeoutError`` (kind ``waiting``), ``ApprovalExpiredError`` or
    ``ApprovalCancelledError``. Cancelling the task stops the wait at once; the petition stays.

    >>> petition = await approval({
    ...     "reason": "to recover account",
    ...     "resources": [{"kind": "action", "id": f"reset-password:{user_id}"}],
    ... })
    """
    merged = _normalise(
        request, {"reason": reason, "resources": resources, "petitioners": petitioners, "duration": duration, "labels": labels}
    )
    cancel = Cancel()
    steps = _steps(_client(client), merged, timeout, quiet, idempotency_key, cancel)
    sent: Any = None
    failure: Optional[BaseException] = None
    try:
        while True:
            try:
                step = steps.throw(failure) if failure is not None else steps.send(sent)
            except StopIteration as done:
                result: Petition = done.value
                return result
            sent, failure = None, None
            if isinstance(step, _Sleep):
                await asyncio.sleep(step.seconds)
                continue
            try:
                sent = await _in_thread(step, cancel)
            except GreenlightError as error:
                failure = error
    finally:
        steps.close()


__all__ = ["approval", "approval_sync", "ApprovalError", "DEFAULT_TIMEOUT"]
