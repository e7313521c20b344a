import pytest
from rest_framework.test import APIClient

from casework.interface.models import ClientSystem, Scope

ALL_EVENTS = [scope for scope in Scope.values if scope.startswith("events:")]


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """The call counts of the rate limit live in the cache, keyed by the client's id."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def system(db):
    """``system(scopes=..., name=..., rate=...)`` → an API client holding a new client
    system's key (``.system``, ``.key``)."""

    def make(scopes=(Scope.ITEMS_WRITE,), name="市行政服务中心审批系统", rate=""):
        client = ClientSystem(name=name, scopes=list(scopes), rate=rate)
        key = client.issue_key()
        client.save()
        api = APIClient()
        api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        api.system, api.key = client, key
        return api

    return make


def event(key, item, kind, at, *, department="education", matter="食品经营许可", days=5):
    return {
        "idempotency_key": key,
        "item_id": item,
        "department": department,
        "matter_type": matter,
        "promised_working_days": days,
        "event": kind,
        "at": at,
    }


def send(api, events):
    return api.post("/api/v1/interface/items/events", {"events": events}, format="json")
