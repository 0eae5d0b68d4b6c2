import asyncio
import json
import os
import threading
import time
from typing import Any, Callable, Dict, List
from urllib.parse import urlencode
from urllib.request import urlopen

import pytest

import greenlight
from greenlight import (
    ApprovalCancelledError,
    ApprovalDeniedError,
    ApprovalTimeoutError,
    GreenlightAPI,
    Resource,
    approval,
    approval_sync,
    get_error_kind,
)


def ask(unique: Callable[[str], str]) -> Dict[str, Any]:
    """A request no other test makes: its own petitioner and action."""
    return {
        "reason": "to recover account",
        "resources": [Resource(kind="action", id=unique("reset-password"), display_name="Reset password")],
        "petitioners": [{"kind": "user", "email": f"{unique('user')}@example.com"}],
    }


async def until_open(admin: GreenlightAPI, request: Dict[str, Any]) -> str:
    """The petition's name once approval() has made it and holds its long-poll."""
    email = request["petitioners"][0]["email"]
    for _ in range(200):
        found = await asyncio.to_thread(
            lambda: [p for p in admin.petition.list(phase="open", page_size=100) if p["petitioners"][0].get("email") == email]
        )
        if found:
            name = str(found[0]["name"])
            await asyncio.to_thread(until_waiting, name)
            return name
        await asyncio.sleep(0.05)
    raise AssertionError("approval() made no petition")


def until_waiting(name: str) -> None:
    """Returns once the server holds a long-poll on the petition (the server tells it)."""
    url = os.environ["GREENLIGHT_TEST_WAITERS_URL"] + "?" + urlencode({"petition": name})
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        with urlopen(url) as answer:
            if json.load(answer)["count"] >= 1:
                return
        time.sleep(0.01)
    raise AssertionError(f"no long-poll was held on {name}")


def test_an_approval_from_another_client_releases_the_waiter(admin: GreenlightAPI, unique: Callable[[str], str], capsys: pytest.CaptureFixture[str]) -> None:
    request = ask(unique)

    async def main() -> None:
        released: List[float] = []

        async def wait() -> Dict[str, Any]:
            petition = await approval(request, client=admin, timeout=30)
            released.append(time.perf_counter())
            return petition

        waiting = asyncio.ensure_future(wait())
        name = await until_open(admin, request)
        sent = time.perf_counter()
        await asyncio.to_thread(admin.petition.approve, name, reason="looks fine", duration="1h")
        answered = time.perf_counter()
        petition = await asyncio.wait_for(waiting, 5)
        assert petition["name"] == name and petition["state"]["status"]["phase"] == "granted"
        after_sent = (released[0] - sent) * 1000
        after_answered = max(0.0, (released[0] - answered) * 1000)
        with capsys.disabled():
            print(f"\nreleased {after_sent:.1f} ms after the approval was sent ({after_answered:.1f} ms after it was answered)")
        assert after_sent < 2000

        # Granted: asking again returns at once, with the same petition.
        started = time.perf_counter()
        again = await approval(request, client=admin, quiet=True)
        assert again["name"] == name and time.perf_counter() - started < 2

    asyncio.run(main())
    err = capsys.readouterr().err
    assert f"⏵ Requested approval #default/" in err and "✅ Granted" in err


def test_a_hundred_concurrent_identical_calls_make_one_petition(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)

    async def main() -> None:
        waiting = asyncio.gather(*(approval(request, client=admin, quiet=True, timeout=60) for _ in range(100)))
        name = await until_open(admin, request)
        email = request["petitioners"][0]["email"]
        mine = [p for p in admin.petition.list(page_size=100) if p["petitioners"][0].get("email") == email]
        assert [p["name"] for p in mine] == [name]
        await asyncio.to_thread(admin.petition.approve, name)
        petitions = await asyncio.wait_for(waiting, 30)
        assert {p["name"] for p in petitions} == {name}

    asyncio.run(main())


def test_a_denial_raises_with_the_reviewers_reason(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)

    async def main() -> None:
        waiting = asyncio.ensure_future(approval(request, client=admin, quiet=True, timeout=30))
        name = await until_open(admin, request)
        await asyncio.to_thread(admin.petition.deny, name, "not on prod")
        with pytest.raises(ApprovalDeniedError) as caught:
            await asyncio.wait_for(waiting, 5)
        assert caught.value.reason == "not on prod"
        assert get_error_kind(caught.value) == "denied"
        assert "not on prod" in str(caught.value)
        assert caught.value.petition is not None and caught.value.petition["name"] == name

    asyncio.run(main())


def test_no_decision_in_time_raises_waiting_and_the_petition_stays_open(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)
    started = time.monotonic()
    with pytest.raises(ApprovalTimeoutError) as caught:
        approval_sync(**request, client=admin, quiet=True, timeout=1)
    assert 0.9 < time.monotonic() - started < 5
    assert get_error_kind(caught.value) == "waiting"
    assert caught.value.petition is not None
    assert admin.petition.get(caught.value.petition["name"])["state"]["status"]["phase"] == "open"


def test_a_withdrawn_petition_raises_cancelled(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)

    async def main() -> None:
        waiting = asyncio.ensure_future(approval(request, client=admin, quiet=True, timeout=30))
        name = await until_open(admin, request)
        await asyncio.to_thread(admin.petition.close, name)
        with pytest.raises(ApprovalCancelledError):
            await asyncio.wait_for(waiting, 5)

    asyncio.run(main())


def test_cancelling_the_task_stops_the_wait_at_once(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)
    threads_before = threading.active_count()

    async def main() -> str:
        waiting = asyncio.ensure_future(approval(request, client=admin, quiet=True, timeout=120))
        name = await until_open(admin, request)
        started = time.perf_counter()
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        assert time.perf_counter() - started < 0.5
        return name

    name = asyncio.run(main())
    # The thread that held the long-poll ends too: its socket was shut.
    deadline = time.monotonic() + 2
    while threading.active_count() > threads_before and time.monotonic() < deadline:
        time.sleep(0.02)
    assert threading.active_count() <= threads_before
    assert admin.petition.get(name)["state"]["status"]["phase"] == "open"


def test_keyword_arguments_and_a_blocking_call(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    request = ask(unique)
    done: List[Dict[str, Any]] = []
    thread = threading.Thread(target=lambda: done.append(approval_sync(**request, client=admin, quiet=True, timeout=30)))
    thread.start()
    name = asyncio.run(until_open(admin, request))
    admin.petition.approve(name)
    thread.join(5)
    assert done and done[0]["name"] == name
    assert greenlight.get_error_kind(ValueError()) == "unknown"
