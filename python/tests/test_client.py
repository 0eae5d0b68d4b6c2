from typing import Any, Callable, Dict

import pytest

from greenlight import GreenlightAPI, GreenlightError, approval_sync


def test_errors_carry_status_code_message_and_request_id(admin: GreenlightAPI) -> None:
    with pytest.raises(GreenlightError) as caught:
        admin.petition.get("pet_doesnotexist")
    assert caught.value.status == 404
    assert caught.value.code == "NOT_FOUND"
    assert caught.value.message and caught.value.request_id
    assert not caught.value.is_retryable


def test_an_unreachable_server_is_a_network_error() -> None:
    client = GreenlightAPI(api_token="x", base_url="http://127.0.0.1:9", retries=0)
    with pytest.raises(GreenlightError) as caught:
        client.petition.get("pet_x")
    assert caught.value.status == 0 and caught.value.code == "NETWORK" and caught.value.is_retryable


def test_a_refresh_token_is_exchanged_and_acts_as_its_service_account(admin: GreenlightAPI, server: Dict[str, str], unique: Callable[[str], str]) -> None:
    account = admin._call("POST", "/v1/spaces/default/serviceAccounts", body={"serviceAccount": {"name": unique("bot"), "roles": ["member"]}})
    token = admin._call("POST", "/v1/spaces/default/tokens", body={"serviceAccountId": account["serviceAccountId"]})
    refresh = token["refreshToken"]
    assert refresh.startswith("glr_")

    exchanged = admin.token.exchange(refresh)
    assert exchanged["access_token"] and exchanged["expires_in"] > 0

    bot = GreenlightAPI(space_name="default", api_token=refresh, base_url=server["url"])
    petition = bot.petition.create(reason="nightly job", resources=[{"kind": "action", "id": unique("export")}])
    assert petition["petitioners"][0]["email"] == account["email"]
    admin.petition.approve(petition["name"])
    granted = approval_sync(
        reason="nightly job", resources=petition["resources"], client=bot, quiet=True, timeout=10
    )
    assert granted["name"] == petition["name"]
    # An access token the server no longer accepts is exchanged again.
    bot._transport._access = "not-a-token"
    assert bot.petition.get(petition["name"])["name"] == petition["name"]


def test_lists_page_through_everything(admin: GreenlightAPI, unique: Callable[[str], str]) -> None:
    kind = unique("py.v1.Thing").replace("-", "")
    written = admin.resource.bulk_update([{"kind": kind, "id": f"thing-{i}", "displayName": f"Thing {i}"} for i in range(5)])
    assert len(written) == 5
    found = list(admin.resource.list(kind=kind, page_size=2))
    assert sorted(r["id"] for r in found) == [f"thing-{i}" for i in range(5)]
    assert [r["id"] for r in admin.resource.list(kind=kind, search="THING 3", view="requestable")] == ["thing-3"]

    email = f"{unique('lister')}@example.com"
    names = [
        admin.petition.create(reason="r", resources=[{"kind": kind, "id": f"thing-{i}"}], petitioners=[{"kind": "user", "email": email}])["name"]
        for i in range(3)
    ]
    listed = [p["name"] for p in admin.petition.list(page_size=1, phase="open") if p["petitioners"][0].get("email") == email]
    assert sorted(listed) == sorted(names)

    admin.petition.approve(names[0], duration="1h")
    grants = list(admin.grant.list(petition=names[0]))
    assert grants and all(g["petitionName"] == names[0] for g in grants)
    petition = admin.petition.wait_for(names[0], timeout=1)
    assert petition["state"]["status"]["phase"] == "granted"
    assert admin.petition.revoke(names[0], "done")
