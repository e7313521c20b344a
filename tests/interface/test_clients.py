"""Client systems: their own key (never a person's account), their scopes, their rate; every
call logged."""

import pytest
from rest_framework.test import APIClient

from casework.interface.models import ClientCall, ClientSystem, Scope

from .conftest import event, send

pytestmark = pytest.mark.django_db
BATCH = [event("k1", "XK-1", "accepted", "2026-03-02T10:00:00+08:00")]


def post(client, **headers):
    return client.post(
        "/api/v1/interface/items/events", {"events": BATCH}, format="json", **headers
    )


def test_no_key_a_bad_key_or_a_personal_token_is_401(system, login_api):
    api = system()
    anonymous = APIClient()
    response = post(anonymous)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert response.json()["error"] == "not_authenticated"
    for header in (
        "Bearer cw_00000000_nothing",
        f"Bearer {api.key[:-1]}x",
        "Bearer not-a-key",
        f"Bearer {api.key} extra",
    ):
        assert post(anonymous, HTTP_AUTHORIZATION=header).status_code == 401, header
    # A person's token opens no door of the interface.
    assert post(login_api("investigator")).status_code == 401
    assert login_api("investigator").get("/api/v1/events").status_code == 401
    # And a system's key none of the rest of the API.
    assert api.get("/api/v1/deadlines").status_code == 401
    assert post(api).status_code == 200


def test_a_deactivated_system_is_shut_out(system):
    api = system()
    ClientSystem.objects.filter(pk=api.system.pk).update(active=False)
    assert post(api).status_code == 401


def test_scopes(system):
    reader = system(scopes=[Scope.EVENTS_ITEMS], name="只读")
    response = post(reader)
    assert response.status_code == 403
    assert response.json()["error"] == "forbidden"
    assert reader.get("/api/v1/events").status_code == 200
    writer = system(scopes=[Scope.ITEMS_WRITE], name="只写")
    assert writer.get("/api/v1/events").status_code == 403


def test_each_system_has_its_rate(system):
    limited = system(rate="3/min", name="限流")
    other = system(name="另一个")
    assert [send(limited, BATCH).status_code for _ in range(3)] == [200, 200, 200]
    refused = send(limited, BATCH)
    assert refused.status_code == 429
    assert refused.json()["error"] == "throttled"
    assert int(refused["Retry-After"]) > 0
    assert send(other, BATCH).status_code == 200  # counted per system


def test_every_call_is_logged(system):
    api = system(rate="1/min")
    send(api, [*BATCH, *BATCH, {"event": "nonsense"}])
    api.get("/api/v1/events")  # no scope: 403 (before the rate is counted), logged too
    send(api, BATCH)  # over the rate: 429, logged
    calls = list(ClientCall.objects.filter(client=api.system).order_by("id"))
    assert [(c.method, c.path, c.status) for c in calls] == [
        ("POST", "/api/v1/interface/items/events", 200),
        ("GET", "/api/v1/events", 403),
        ("POST", "/api/v1/interface/items/events", 429),
    ]
    first = calls[0]
    assert (first.count, first.accepted, first.duplicates, first.refused) == (3, 1, 1, 1)
    assert first.ip_address == "127.0.0.1"


def test_the_administrator_registers_a_system_and_sees_its_key_once(admin_client):
    response = admin_client.post(
        "/admin/interface/clientsystem/add/",
        {
            "name": "不动产登记系统",
            "contact": "李工 0817-1234567",
            "scopes": [Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS],
            "rate": "600/min",
            "active": "on",
        },
        follow=True,
    )
    assert response.status_code == 200
    messages = [str(m) for m in response.context["messages"]]
    key = next(m for m in messages if "cw_" in m).split("：")[-1].strip()
    client = ClientSystem.objects.get(name="不动产登记系统")
    assert client.scopes == [Scope.ITEMS_WRITE, Scope.EVENTS_ITEMS]
    assert key not in str(ClientSystem.objects.values().get(pk=client.pk))  # only a digest
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert send(api, BATCH).status_code == 200
    # A new key replaces the old one at once.
    admin_client.post(
        "/admin/interface/clientsystem/",
        {"action": "issue_new_key", "_selected_action": [client.pk]},
    )
    assert send(api, BATCH).status_code == 401
    bad_rate = admin_client.post(
        "/admin/interface/clientsystem/add/",
        {"name": "错", "scopes": [Scope.ITEMS_WRITE], "rate": "lots", "active": "on"},
    )
    assert "格式如" in bad_rate.content.decode()


def test_old_calls_are_forgotten(system, settings):
    import datetime

    from django.utils import timezone

    from casework.interface.tasks import prune_interface_logs

    api = system()
    send(api, BATCH)
    send(api, BATCH)
    old = timezone.now() - datetime.timedelta(days=settings.INTERFACE_CALLS_KEEP_DAYS + 1)
    ClientCall.objects.filter(pk=ClientCall.objects.order_by("id").first().pk).update(at=old)
    assert prune_interface_logs.call() == {"calls": 1, "deliveries": 0}
    assert ClientCall.objects.count() == 1
