import pytest

from casework.org.models import User


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def login(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login
