import pytest
from django.core.management import call_command


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """Every test database holds what a real deployment holds after ``load_reference``:
    the working-day calendar 2004–2026, the roles, and the reference data of the law."""
    with django_db_blocker.unblock():
        call_command("load_reference", verbosity=0)


@pytest.fixture
def reference_data(transactional_db):
    """For transactional tests (live server, real threads): the flush between such tests
    empties every table, so load the reference data again."""
    call_command("load_reference", verbosity=0)


@pytest.fixture(autouse=True)
def _fresh_portal_limits(request):
    """The portal's counters live in the database cache (casework/kernel/cache.py), whose table
    a transactional test's flush does not empty: start such a test from zero. (Other tests
    roll back what they counted.)"""
    if {"transactional_db", "live_server"} & set(request.fixturenames):
        from django.conf import settings
        from django.core.cache import caches

        request.getfixturevalue("transactional_db")
        caches[settings.RATELIMIT_USE_CACHE].clear()


@pytest.fixture
def demo_people(db):
    from casework.org.demo import load_demo_people

    load_demo_people()


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def login_api(api_client, demo_people):
    """``login_api("mayor")`` → an API client authenticated with that demo account's token."""
    from rest_framework.authtoken.models import Token

    from casework.org.models import User

    def _login(username):
        from rest_framework.test import APIClient

        client = APIClient()
        token, _created = Token.objects.get_or_create(user=User.objects.get(username=username))
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _login


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    """The demo accounts hash their password on creation; the real hasher is slow by design."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def immediate_tasks(settings):
    """Background tasks (django-tasks) run in the test's own process once the act commits
    (``casework.kernel.background``), instead of waiting in the database queue for a worker.
    The tests of the queue itself switch back to the database backend."""
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend", "QUEUES": []}
    }
