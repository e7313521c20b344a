"""Workflow and history records are read-only in the admin: a process cannot be pointed at
another object, a task cannot be changed or deleted, and the form of a past version of an
object saves nothing (simple-history's form saves on POST even with its "revert" button
hidden)."""

import pytest
from django.contrib import admin
from django.contrib.admin.sites import site
from simple_history.admin import SimpleHistoryAdmin
from viewflow.workflow.models import Process, Task

from casework.audit.readonly import HistoryAdmin
from casework.complaints import services as complaint_services
from casework.org.models import Department, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, demo_people):
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.fixture
def process():
    complaint = complaint_services.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿。",
            "real_name": False,
        }
    )
    return Process.objects.get(artifact_object_id=complaint.pk), complaint


def test_a_process_cannot_be_rewired_or_deleted(superuser_client, process):
    process, complaint = process
    url = f"/admin/viewflow/process/{process.pk}/change/"
    page = superuser_client.get(url)
    assert page.status_code == 200
    assert 'name="artifact_object_id"' not in page.content.decode()
    response = superuser_client.post(
        url, {"artifact_object_id": complaint.pk + 1000, "status": "DONE"}
    )
    assert response.status_code == 403
    response = superuser_client.post(
        f"/admin/viewflow/process/{process.pk}/delete/", {"post": "yes"}
    )
    assert response.status_code == 403
    process.refresh_from_db()
    assert process.artifact_object_id == complaint.pk and process.status == "NEW"


def test_a_task_cannot_be_changed_or_deleted(superuser_client, process):
    task = Task.objects.filter(process=process[0]).exclude(flow_task_type="START").first()
    url = f"/admin/viewflow/task/{task.pk}/change/"
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.post(url, {"status": "CANCELED"}).status_code == 403
    assert (
        superuser_client.post(f"/admin/viewflow/task/{task.pk}/delete/", {"post": "yes"})
    ).status_code == 403
    task.refresh_from_db()
    assert task.status != "CANCELED"


def test_the_form_of_a_past_version_saves_nothing(superuser_client, register):
    department = Department.objects.get(code="tax")
    for short_name in ("税", "税务"):
        department.short_name = short_name
        department.save()
    first = department.history.earliest()
    url = f"/admin/org/department/{department.pk}/history/{first.history_id}/"
    assert superuser_client.get(url).status_code == 200
    form = {"code": "tax", "name": "篡改", "kind": department.kind, "active": "on"}
    assert superuser_client.post(url, form).status_code == 403
    department.refresh_from_db()
    assert department.name != "篡改"

    # Nor for an object the admin shows read-only: a case.
    case = register()
    row = case.history.earliest()
    url = f"/admin/accountability/accountabilitycase/{case.pk}/history/{row.history_id}/"
    assert superuser_client.get(url).status_code == 200
    assert superuser_client.post(url, {"summary": "篡改", "state": "closed"}).status_code == 403
    case.refresh_from_db()
    assert (case.summary, case.state) != ("篡改", "closed")


def test_every_history_admin_is_read_only_history():
    history_admins = [
        model_admin
        for model_admin in site._registry.values()
        if isinstance(model_admin, SimpleHistoryAdmin)
    ]
    assert history_admins
    assert [a for a in history_admins if not isinstance(a, HistoryAdmin)] == []


@pytest.mark.parametrize("model", [Process, Task])
def test_workflow_records_allow_nothing_but_reading(model, rf, demo_people):
    request = rf.get("/")
    request.user = User.objects.get(username="admin")
    model_admin = admin.site._registry[model]
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)
    assert model_admin.has_view_permission(request)
