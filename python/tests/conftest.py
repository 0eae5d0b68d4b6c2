"""The tests import the package from python/src (nothing is installed) and, except the webhook
tests, run against a real server: GREENLIGHT_TEST_URL and GREENLIGHT_TEST_ADMIN_TOKEN, in the
space `default`; GREENLIGHT_TEST_WAITERS_URL tells how many wait on a petition there
(packages/sdk/test/integration/python-sdk.test.ts serves it)."""

import itertools
import os
import sys
import time
from typing import Any, Callable, Dict, Iterator

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "src"))

from greenlight import GreenlightAPI  # noqa: E402
import greenlight._approval as approval_module  # noqa: E402

_counter = itertools.count()


@pytest.fixture(scope="session")
def server() -> Dict[str, str]:
    url = os.environ.get("GREENLIGHT_TEST_URL")
    token = os.environ.get("GREENLIGHT_TEST_ADMIN_TOKEN")
    if not url or not token or not os.environ.get("GREENLIGHT_TEST_WAITERS_URL"):
        pytest.skip("GREENLIGHT_TEST_URL, GREENLIGHT_TEST_ADMIN_TOKEN and GREENLIGHT_TEST_WAITERS_URL name the server to test against")
    return {"url": url, "token": token}


@pytest.fixture
def admin(server: Dict[str, str]) -> GreenlightAPI:
    """The server's admin token: it creates fixtures and reviews."""
    return GreenlightAPI(space_name="default", api_token=server["token"], base_url=server["url"])


@pytest.fixture
def unique() -> Callable[[str], str]:
    """A name no other test uses, so the server's dedupe never joins two tests' petitions."""
    return lambda prefix: f"{prefix}-{os.getpid()}-{int(time.time() * 1000)}-{next(_counter)}"


@pytest.fixture
def user_token(admin: GreenlightAPI) -> Callable[[str], str]:
    """An access token for a member of `default` with this email."""

    def mint(email: str) -> str:
        admin._call("POST", "/v1/spaces/default:addToRole", body={"role": "member", "member": f"user:{email}"})
        minted: Dict[str, Any] = admin._call("POST", "/v1/spaces/default/userTokens", body={"email": email, "ttl": "1h"})
        return str(minted["accessToken"])

    return mint


@pytest.fixture(autouse=True)
def fresh_default_client() -> Iterator[None]:
    """`approval()` without a client makes one from the environment once; each test starts afresh."""
    approval_module._default_client = None
    yield
    approval_module._default_client = None
