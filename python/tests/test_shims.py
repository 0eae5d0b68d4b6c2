"""Code written against Indent's Python quickstart, unchanged, against Greenlight."""

import asyncio
import threading
from typing import Any, Callable, Dict, List

import pytest

from greenlight import GreenlightAPI


@pytest.fixture
def indent_env(monkeypatch: pytest.MonkeyPatch, server: Dict[str, str], user_token: Callable[[str], str], unique: Callable[[str], str]) -> str:
    email = f"{unique('indent')}@example.com"
    for name in ("GREENLIGHT_API_TOKEN", "GREENLIGHT_SPACE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("GREENLIGHT_API_URL", server["url"])
    monkeypatch.setenv("INDENT_SPACE", "default")
    monkeypatch.setenv("INDENT_API_TOKEN", user_token(email))
    return email


def approve_when_asked(admin: GreenlightAPI, email: str) -> threading.Thread:
    """A reviewer approving the first open petition of `email`."""

    def review() -> None:
        for _ in range(200):
            for petition in admin.petition.list(phase="open", page_size=100):
                if petition["petitioners"][0].get("email") == email:
                    admin.petition.approve(petition["name"])
                    return
            threading.Event().wait(0.05)

    thread = threading.Thread(target=review)
    thread.start()
    return thread


def test_approvals_with_a_dict_as_the_quickstart_writes_it(indent_env: str, admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    from approvals import approval

    user_id = unique("123")

    async def reset_password(user_id: str, reason: str) -> Dict[str, Any]:
        return await approval({
            "reason": reason,
            "resources": [{
                "kind": "action",
                "id": f"reset-password:{user_id}",
                "displayName": f"Reset Password (user:{user_id})",
            }],
        }, quiet=True, timeout=20)

    reviewer = approve_when_asked(admin, indent_env)
    petition = asyncio.run(reset_password(user_id, "to recover account"))
    reviewer.join()
    assert petition["state"]["status"]["phase"] == "granted"
    assert petition["petitioners"][0]["email"] == indent_env
    assert petition["resources"][0]["id"] == f"reset-password:{user_id}"


def test_approvals_with_keywords_and_resource(indent_env: str, admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    from approvals import Resource, approval

    project = unique("project")
    reviewer = approve_when_asked(admin, indent_env)
    petition = asyncio.run(approval(reason="to delete project", resources=[Resource(kind="delete_project", id=project)], quiet=True, timeout=20))
    reviewer.join()
    assert petition["resources"][0]["kind"] == "delete_project" and petition["resources"][0]["id"] == project


def test_indentapi_lists_resources_and_creates_a_petition(indent_env: str, admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    import os

    from indentapi import IndentAPI

    production = unique("production")
    admin.resource.bulk_update([{"kind": "aws.v1.Role", "id": production, "displayName": "Production"}])

    indent = IndentAPI(
        space_name=os.getenv("INDENT_SPACE"),
        api_token=os.getenv("INDENT_API_TOKEN"),
    )
    assert indent.space_name == "default"
    resources = indent.resource.list(view="requestable")
    chosen: List[Dict[str, Any]] = [r for r in resources if r["displayName"] == "Production" and r["id"] == production]
    assert len(chosen) == 1
    pet = indent.petition.create(reason="to debug production", resources=chosen)
    assert pet["state"]["status"]["phase"] == "open"
    assert pet["resources"][0]["id"] == production
    assert pet["petitioners"][0]["email"] == indent_env
