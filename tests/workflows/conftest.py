# The accountability fixtures drive the services as the demo people do: register(), act().
import pytest

from tests.accountability.conftest import act, people, register  # noqa: F401


@pytest.fixture
def login(client, people):  # noqa: F811 (the imported fixture)
    """login("mayor") → the test client signed in as that demo account."""

    def _login(username):
        client.force_login(people[username])
        return client

    return _login


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns
