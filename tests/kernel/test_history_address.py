"""Every history row of every procedure records who, why and from which address — the
object's own rows and those of everything an act writes: deadlines, extensions, documents,
the flow's tasks, an administrator's edit in the admin."""

import datetime

import pytest
from django.apps import apps
from django.core.cache import cache
from django.utils import timezone
from simple_history.models import HistoricalChanges

from casework.audit.history import acting
from casework.complaints.models import Complaint, IdentityAccess
from casework.documents import services as documents
from casework.documents.models import Document
from casework.org.models import Department, Official, User

pytestmark = pytest.mark.django_db

CITIZEN = "203.0.113.50"
ADDRESS = {
    "secretariat": "198.51.100.11",
    "mayor": "198.51.100.12",
    "investigator": "198.51.100.13",
    "complaints": "198.51.100.14",
    "complaints_head": "198.51.100.15",
    "staff_education": "198.51.100.16",
    "admin": "2001:db8::1",
}
D = datetime.date


def history_models():
    return [model for model in apps.get_models() if issubclass(model, HistoricalChanges)]


def rows_since(moment):
    for model in history_models():
        yield from model.objects.filter(history_date__gte=moment).select_related("history_user")


@pytest.fixture
def as_person(login_api):
    clients = {}

    def _as(username):
        if username not in clients:
            clients[username] = login_api(username)
            clients[username].defaults["REMOTE_ADDR"] = ADDRESS[username]
        return clients[username]

    return _as


def act(client, url, body=None, status=200):
    response = client.post(url, body or {}, format="json")
    assert response.status_code == status, response.content.decode()
    return response.json()


def test_every_history_model_has_the_address_column():
    missing = [m._meta.label for m in history_models() if not hasattr(m, "ip_address")]
    assert missing == []


def test_every_row_an_act_writes_records_its_actor_reason_and_address(
    as_person, api_client, client
):
    cache.clear()
    start = timezone.now()
    # An accountability case: documents issued, deadlines opened and closed, tasks moved.
    case = act(
        as_person("secretariat"),
        "/api/v1/accountability-cases",
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": "2026-03-02",
        },
        status=201,
    )
    url = f"/api/v1/accountability-cases/{case['id']}/transitions"
    act(as_person("mayor"), f"{url}/start", {"on": "2026-03-02"})
    act(as_person("mayor"), f"{url}/assign_investigation", {"on": "2026-03-03", "working_days": 10})
    act(
        as_person("investigator"),
        f"{url}/notify_findings",
        {"on": "2026-03-10", "findings": "未按期完成", "served_on": "2026-03-10"},
    )
    # A complaint filed by a citizen, transferred, its period extended; the identity seen.
    api_client.defaults["REMOTE_ADDR"] = CITIZEN
    filed = act(
        api_client,
        "/api/v1/public/complaints",
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿。",
            "real_name": True,
            "name": "王小明",
            "phone": "13800138000",
        },
        status=201,
    )
    pk = Complaint.objects.get(tracking_code=filed["tracking_code"]).pk
    url = f"/api/v1/complaints/{pk}/transitions"
    act(as_person("complaints"), f"{url}/accept")
    act(as_person("complaints"), f"{url}/transfer", {"organ": "education"})
    due = Complaint.objects.get(pk=pk).deadlines.get(kind="organ_report").due
    act(
        as_person("staff_education"),
        f"{url}/request_extension",
        {"reason": "需现场核查", "new_due": (due + datetime.timedelta(days=7)).isoformat()},
    )
    act(
        as_person("complaints_head"),
        f"{url}/approve_extension",
        {"approve": True, "reason": "同意"},
    )
    response = as_person("complaints").get(f"/api/v1/complaints/{pk}?identity=1&reason=核实身份")
    assert response.status_code == 200
    # An administrator's edit in the admin.
    client.force_login(User.objects.get(username="admin"))
    department = Department.objects.get(code="tax")
    form = {
        "code": "tax",
        "name": department.name,
        "short_name": "税务",
        "kind": department.kind,
        "vertical": "on",
        "supervising_organ": department.supervising_organ,
        "active": "on",
    }
    response = client.post(
        f"/admin/org/department/{department.pk}/change/", form, REMOTE_ADDR=ADDRESS["admin"]
    )
    assert response.status_code == 302, response.content.decode()[:2000]

    rows = list(rows_since(start))
    kinds = {row._meta.label for row in rows}
    for expected in (
        "accountability.HistoricalAccountabilityCase",
        "accountability.HistoricalTask",
        "complaints.HistoricalComplaint",
        "deadlines.HistoricalDeadline",
        "deadlines.HistoricalExtension",
        "documents.HistoricalDocument",
        "org.HistoricalDepartment",
    ):
        assert expected in kinds
    wrong = []
    for row in rows:
        actor = row.history_user.username if row.history_user else None
        wanted = ADDRESS[actor] if actor else CITIZEN
        if row._meta.label == "org.HistoricalUser" and row.history_type == "~":
            continue  # force_login's last_login, outside any request
        reason_required = row._meta.app_label != "org"  # the admin asks for none
        if row.ip_address != wanted or (reason_required and not row.history_change_reason):
            wrong.append(
                (
                    row._meta.label,
                    row.history_type,
                    actor,
                    row.ip_address,
                    row.history_change_reason,
                )
            )
    assert wrong == []
    access = IdentityAccess.objects.get(complaint_id=pk)
    assert access.ip_address == ADDRESS["complaints"]


def test_a_service_call_outside_a_request_records_the_address_it_is_given(demo_people):
    mayor = User.objects.get(username="mayor")
    document = documents.issue(
        case=None,
        doc_type="admonition_letter",
        title="告诫书",
        body="正文",
        addressee="教育局",
        issued_on=D(2026, 3, 2),
        issued_by=mayor,
        ip="192.0.2.1",
    )
    amendment = documents.amend(
        document, text="更正", reason="笔误", basis="", actor=mayor, ip="192.0.2.2"
    )
    assert document.history.get().ip_address == "192.0.2.1"
    assert amendment.history.get().ip_address == "192.0.2.2"
    with acting("192.0.2.3"):
        department = Department.objects.get(code="tax")
        department.short_name = "税"
        department.save()
    assert department.history.latest().ip_address == "192.0.2.3"
    # A command (the scan) acts from no address.
    department.short_name = "税务"
    department.save()
    assert department.history.latest().ip_address is None
    assert Document.objects.count() == 1
