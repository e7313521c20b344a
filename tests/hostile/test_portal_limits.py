"""The portal's per-address limits hold across workers: the counters live in a cache that every
worker shares (the database by default, Redis when ``REDIS_URL`` is set), the page and the API
count under one key, and an increment is atomic and keeps the window's expiry."""

import datetime
import os
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.utils import timezone

from casework.complaints.models import Complaint
from casework.kernel.cache import DatabaseCache

ROOT = Path(settings.BASE_DIR)


@pytest.fixture
def limits():
    """The cache the portal counts in (``RATELIMIT_USE_CACHE``)."""
    return caches[settings.RATELIMIT_USE_CACHE]


@pytest.fixture(autouse=True)
def fresh_limits(db, limits):
    limits.clear()
    yield
    limits.clear()


def public_body(**overrides):
    return {
        "category": "attitude",
        "respondent_department": "education",
        "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
        "real_name": "0",
        **overrides,
    }


def test_the_limits_count_in_the_shared_database_cache(limits):
    assert settings.RATELIMIT_USE_CACHE == "limits"
    assert isinstance(limits, DatabaseCache) or os.environ.get("REDIS_URL")


@pytest.mark.django_db
def test_the_page_and_the_api_count_under_one_key(client, api_client):
    for _ in range(3):
        assert api_client.post("/api/v1/public/complaints", public_body()).status_code == 201
    for _ in range(2):
        assert client.post("/complaints/new/", public_body()).status_code == 302
    assert client.post("/complaints/new/", public_body()).status_code == 429
    assert api_client.post("/api/v1/public/complaints", public_body()).status_code == 429
    assert Complaint.objects.count() == 5


@pytest.mark.django_db
def test_an_increment_keeps_the_window_s_expiry(limits):
    """Django's own database cache wrote the counter back with the default timeout (five
    minutes): an hour's limit forgot its count after five quiet minutes."""
    if not isinstance(limits, DatabaseCache):
        pytest.skip("the limits count in Redis")
    limits.add("window", 1, 3600)
    assert limits.incr("window") == 2
    assert limits.incr("window", 3) == 5
    with connection.cursor() as cursor:
        cursor.execute("SELECT expires FROM casework_cache")
        (expires,) = cursor.fetchone()
    if isinstance(expires, str):  # SQLite
        expires = datetime.datetime.fromisoformat(expires)
    if timezone.is_naive(expires):
        expires = timezone.make_aware(expires, datetime.UTC)
    assert (expires - timezone.now()).total_seconds() > 3000
    with pytest.raises(ValueError):
        limits.incr("missing")


# Each process starts counting at the same moment (``start``), after Django has set up.
COUNTER = textwrap.dedent(
    """
    import time
    import django
    django.setup()
    from django.conf import settings
    from django.core.cache import caches
    limits = caches[settings.RATELIMIT_USE_CACHE]
    limits.get("warm")
    time.sleep(max(0, {start} - time.time()))
    for _ in range({n}):
        limits.incr("shared-counter")
    """
)

SUBMITTER = textwrap.dedent(
    """
    import django
    django.setup()
    from django.test import RequestFactory
    from casework.complaints import portal
    request = RequestFactory().post("/api/v1/public/complaints", REMOTE_ADDR="203.0.113.7")
    print(sum(not portal.submission_blocked(request) for _ in range({n})))
    """
)


def _database_url():
    """The test database, as another process reaches it."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    host = db.get("HOST") or "127.0.0.1"
    port = db.get("PORT") or 5432
    return f"postgres://{db['USER']}@{host}:{port}/{db['NAME']}"


def _processes(script, count, env_extra):
    env = {**os.environ, "DATABASE_URL": _database_url(), **env_extra}
    env.setdefault("DJANGO_SETTINGS_MODULE", "casework.settings")
    return [
        subprocess.Popen(
            [sys.executable, "-c", script],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(count)
    ]


def _finish(processes):
    outputs = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        outputs.append(out)
    return outputs


def _redis_url():
    url = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        import redis

        redis.Redis.from_url(url, socket_connect_timeout=0.5).ping()
    except Exception:  # noqa: BLE001 — no Redis here: the test says so
        return None
    return url


BACKENDS = ["database", "redis"]


@pytest.fixture(params=BACKENDS)
def shared_cache(request, transactional_db, settings, limits):
    """The limits' cache as every worker sees it: ``(environment for another process, this
    process's client)``."""
    if request.param == "database":
        if os.environ.get("REDIS_URL"):
            pytest.skip("REDIS_URL is set: the workers share Redis")
        yield {}, limits
        limits.clear()
        return
    url = _redis_url()
    if url is None:
        pytest.skip("no Redis reachable")
    redis = {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": url}
    settings.CACHES = {"default": redis, "limits": redis}
    client = caches.create_connection("limits")
    client.clear()
    yield {"REDIS_URL": url}, client
    client.clear()


def test_two_processes_increment_one_counter_without_losing_a_count(shared_cache):
    env, client = shared_cache
    client.set("shared-counter", 0, 3600)
    start = time.time() + 4
    _finish(_processes(COUNTER.format(n=150, start=start), 2, env))
    assert client.get("shared-counter") == 300


def test_two_processes_share_the_submission_limit(shared_cache, settings):
    """Five submissions an hour from one address, however many workers answer."""
    env, _client = shared_cache
    accepted = _finish(_processes(SUBMITTER.format(n=6), 3, env))
    assert sum(int(out) for out in accepted) == 5


@pytest.mark.django_db
def test_behind_a_proxy_the_proxy_s_header_gives_the_address(api_client, settings):
    """Every request reaches the app from the proxy: without CLIENT_IP_HEADER they would all
    share one count; with it each client has its own — and the header counts only when
    configured, so a client cannot pick a fresh address by sending one."""
    proxy = "127.0.0.1"

    def submit(client_ip):
        return api_client.post(
            "/api/v1/public/complaints",
            public_body(),
            REMOTE_ADDR=proxy,
            HTTP_X_REAL_IP=client_ip,
        ).status_code

    settings.CLIENT_IP_HEADER = ""
    assert [submit(f"198.51.100.{n}") for n in range(6)] == [201] * 5 + [429]
    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert [submit("203.0.113.5") for _ in range(6)] == [201] * 5 + [429]
    assert submit("203.0.113.6") == 201


def test_the_client_address_is_read_with_care(rf, settings):
    from casework.api.middleware import client_address

    settings.CLIENT_IP_HEADER = "X-Real-IP"
    assert client_address(rf.get("/", HTTP_X_REAL_IP="203.0.113.5")) == "203.0.113.5"
    assert client_address(rf.get("/", HTTP_X_REAL_IP="203.0.113.5, 10.0.0.1")) == "203.0.113.5"
    assert client_address(rf.get("/", HTTP_X_REAL_IP="nonsense", REMOTE_ADDR="10.0.0.2")) == (
        "10.0.0.2"
    )
    assert client_address(rf.get("/", REMOTE_ADDR="")) == "0.0.0.0"
    settings.CLIENT_IP_HEADER = ""
    assert client_address(rf.get("/", HTTP_X_REAL_IP="203.0.113.5")) == "127.0.0.1"


def test_migrate_creates_the_cache_table(limits):
    """``make run``, ``make test`` and the deployment all run ``migrate``: the table of the
    database cache comes with it (createcachetable after every migrate)."""
    from django.core.management import call_command

    with connection.cursor() as cursor:
        cursor.execute("DROP TABLE casework_cache")
    assert "casework_cache" not in connection.introspection.table_names()
    call_command("migrate", verbosity=0)
    assert "casework_cache" in connection.introspection.table_names()
