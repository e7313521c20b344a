"""Extensions of deadlines, on every path: the API, the pages, the complaint procedure and
the service itself (Xinxiang complaints art. 5–6). Asked for in writing, on or before the due
day, with reasons, within the total the kind's rule allows; decided by the approver the rule
names, never by the person who asked; the approvers are told of a request, the person who
asked of the decision. A refusal changes nothing and tells no one.

The caps and the approvers are reference data: an administrator edits them in the admin,
with history; ``load_reference`` loads them once, however often it runs."""

import datetime
import importlib
from dataclasses import dataclass

import pgtrigger
import pytest
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.complaints import services as complaints
from casework.deadlines import services
from casework.deadlines.models import Extension, ExtensionRule, Kind, Notification
from casework.exceptions import InvalidInput, NotAllowed, ServiceError
from casework.org.models import User

from .helpers import set_cap, upcoming, working_days_ahead, yellow

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


@dataclass
class Outcome:
    ok: bool
    status: int
    text: str


def _api(login_api, username, url, body):
    response = login_api(username).post(url, body, format="json")
    return Outcome(
        response.status_code in (200, 201), response.status_code, response.content.decode()
    )


def _page(client, people, username, url, form):
    client.force_login(people[username])
    response = client.post(url, {**form, "confirm": "on"})
    return Outcome(response.status_code == 302, response.status_code, response.content.decode())


def _service(act):
    try:
        act()
    except ServiceError as refusal:
        return Outcome(False, refusal.status, str(refusal.message))
    return Outcome(True, 200, "")


PATHS = ["api", "page", "service"]


@pytest.fixture
def ask(login_api, client, people):
    """ask(path, deadline, username, new_due, reason) → the Outcome on that path."""

    def _ask(path, deadline, username, new_due, reason="需补充调查取证"):
        if path == "api":
            body = {"reason": reason, "new_due": new_due.isoformat()}
            return _api(login_api, username, f"/api/v1/deadlines/{deadline.pk}/extensions", body)
        if path == "page":
            form = {"reason": reason, "new_due": new_due.isoformat()}
            return _page(client, people, username, f"/deadlines/{deadline.pk}/extend/", form)
        body = {"reason": reason, "new_due": new_due}
        return _service(lambda: services.ask_for_extension(deadline, people[username], body))

    return _ask


@pytest.fixture
def decide(login_api, client, people):
    """decide(path, extension, username, approve) → the Outcome on that path."""

    def _decide(path, extension, username, approve=True, reason="同意"):
        if path == "api":
            url = f"/api/v1/deadlines/{extension.deadline_id}/extensions/{extension.pk}/decide"
            return _api(login_api, username, url, {"approve": approve, "reason": reason})
        if path == "page":
            form = {"approve": "yes" if approve else "no", "reason": reason}
            url = f"/deadlines/extensions/{extension.pk}/decide/"
            return _page(client, people, username, url, form)
        body = {"approve": approve, "reason": reason}
        return _service(lambda: services.decide_on_extension(extension, people[username], body))

    return _decide


def asked(deadline, username, people, new_due=None):
    """A pending request, asked through the service."""
    new_due = new_due or working_days_ahead(2, deadline.due)
    return services.ask_for_extension(
        deadline, people[username], {"reason": "材料较多，需延期", "new_due": new_due}
    )


def nothing_changed(deadline, due=None):
    """No request, no notice, the due date as it was."""
    before = deadline.due if due is None else due
    deadline.refresh_from_db()
    return (
        not Extension.objects.filter(deadline=deadline).exists()
        and not Notification.objects.exists()
        and deadline.due == before
        and deadline.original_due is None
    )


# --- the cap ----------------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_exactly_the_cap_is_granted_and_one_working_day_more_is_refused(path, ask):
    set_cap(Kind.INVESTIGATION, 5)
    item = upcoming(5)
    refused = ask(path, item, "investigator", working_days_ahead(6, item.due))
    assert not refused.ok
    assert "延期合计不得超过 5 个工作日（已申请合计 6 个工作日）" in refused.text
    assert refused.status in (422, 200)  # the page shows the refusal beside the form
    assert nothing_changed(item)
    assert ask(path, item, "investigator", working_days_ahead(5, item.due)).ok
    assert Extension.objects.get().new_due == working_days_ahead(5, item.due)


def test_the_cap_counts_every_extension_from_the_original_due_date(ask, decide, people):
    set_cap(Kind.INVESTIGATION, 5)
    item = upcoming(5)
    first = asked(item, "investigator", people, working_days_ahead(3, item.due))
    assert decide("service", first, "mayor").ok
    item.refresh_from_db()
    original = item.original_due
    refused = ask("api", item, "investigator", working_days_ahead(6, original))
    assert refused.status == 422 and "已申请合计 6 个工作日" in refused.text
    assert ask("api", item, "investigator", working_days_ahead(5, original)).ok


def test_the_cap_refusal_names_new_due_on_the_api(login_api):
    set_cap(Kind.INVESTIGATION, 5)
    item = upcoming(5)
    response = login_api("investigator").post(
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "复杂", "new_due": working_days_ahead(6, item.due).isoformat()},
        format="json",
    )
    assert response.status_code == 422
    assert response.json()["error"] == "refused_by_rule" and "new_due" in response.json()["fields"]


# --- the due day --------------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_a_request_after_the_due_day_is_refused(path, ask):
    item = yellow()
    refused = ask(path, item, "investigator", working_days_ahead(3))
    assert not refused.ok and refused.status in (422, 200)
    assert f"延期须在期限届满（{item.due.isoformat()}）前提出" in refused.text
    assert nothing_changed(item)


@pytest.mark.parametrize("path", PATHS)
def test_a_request_on_the_due_day_is_in_time(path, ask):
    item = upcoming(0)
    assert item.due == timezone.localdate()
    assert ask(path, item, "investigator", working_days_ahead(2, item.due)).ok


# --- who asks, who decides ------------------------------------------------------------------


@pytest.mark.parametrize("path", PATHS)
def test_someone_who_does_not_keep_the_deadline_is_refused(path, ask):
    item = upcoming(5)
    refused = ask(path, item, "secretariat", working_days_ahead(2, item.due))
    assert not refused.ok and refused.status == 403
    assert nothing_changed(item)


@pytest.mark.parametrize("path", PATHS)
def test_nobody_approves_their_own_request(path, decide, people):
    # The supervision leader keeps the bureau's report deadline and approves its extensions.
    item = upcoming(5, kind=Kind.RECTIFICATION_REPORT, unit="supervision")
    extension = asked(item, "supervision_leader", people)
    refused = decide(path, extension, "supervision_leader")
    assert not refused.ok and refused.status == 403
    if path != "page":  # the page shows a plain 403
        assert "不能审批自己提出的延期申请" in refused.text
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    item.refresh_from_db()
    assert item.original_due is None


@pytest.mark.parametrize("path", PATHS)
def test_only_the_approver_the_rule_names_decides(path, decide, people):
    item = upcoming(5)  # an investigation: the mayor's (Nanchong art. 9)
    extension = asked(item, "investigator", people)
    for username in ("secretariat", "supervision_leader", "complaints_head"):
        assert decide(path, extension, username).status in (403, 404)
    assert decide(path, extension, "mayor").ok
    extension.refresh_from_db()
    assert extension.status == Extension.Status.APPROVED


def test_a_decision_with_an_empty_body_is_400_naming_approve_and_decides_nothing(login_api, people):
    item = upcoming(5)
    extension = asked(item, "investigator", people)
    url = f"/api/v1/deadlines/{item.pk}/extensions/{extension.pk}/decide"
    Notification.objects.all().delete()
    response = login_api("mayor").post(url, {}, format="json")
    assert response.status_code == 400 and "approve" in response.json()["fields"]
    with pytest.raises(InvalidInput) as refused:
        services.decide_on_extension(extension, people["mayor"], {})
    assert "approve" in refused.value.fields
    extension.refresh_from_db()
    assert extension.status == Extension.Status.PENDING
    assert not Notification.objects.exists()


def test_permission_comes_before_the_body(login_api, people):
    item = upcoming(5)
    extension = asked(item, "investigator", people)
    decide = f"/api/v1/deadlines/{item.pk}/extensions/{extension.pk}/decide"
    assert login_api("secretariat").post(decide, {}, format="json").status_code == 403
    ask = f"/api/v1/deadlines/{item.pk}/extensions"
    assert login_api("secretariat").post(ask, {"new_due": "x"}, format="json").status_code == 403


def test_a_kind_without_a_rule_cannot_be_extended(login_api, people):
    item = upcoming(5)
    extension = asked(item, "investigator", people)
    ExtensionRule.objects.get(kind=Kind.INVESTIGATION).delete()
    other = upcoming(6)
    response = login_api("investigator").post(
        f"/api/v1/deadlines/{other.pk}/extensions",
        {"reason": "复杂", "new_due": working_days_ahead(2, other.due).isoformat()},
        format="json",
    )
    assert response.status_code == 403 and "没有延期规则" in response.json()["detail"]
    decided = login_api("mayor").post(
        f"/api/v1/deadlines/{item.pk}/extensions/{extension.pk}/decide",
        {"approve": True},
        format="json",
    )
    assert decided.status_code == 403 and "没有延期规则" in decided.json()["detail"]


def test_the_objection_period_is_a_right_and_is_never_extended(people):
    window = services.open_deadline(
        Kind.OBJECTION,
        start=timezone.localdate(),
        days=5,
        description="对调查结果提出异议",
        user=people["head_education"],
    )
    with pytest.raises(NotAllowed) as refused:
        asked(window, "head_education", people)
    assert "权利" in refused.value.message


def test_a_new_due_date_beyond_the_calendar_is_400_naming_new_due(login_api):
    item = upcoming(5)
    response = login_api("investigator").post(
        f"/api/v1/deadlines/{item.pk}/extensions",
        {"reason": "复杂", "new_due": "2040-01-02"},
        format="json",
    )
    assert response.status_code == 400 and "new_due" in response.json()["fields"]
    assert "不在工作日历范围内" in response.json()["fields"]["new_due"][0]
    assert nothing_changed(item)


# --- who is told ----------------------------------------------------------------------------


def told(fragment):
    return {n.recipient.username for n in Notification.objects.filter(title__contains=fragment)}


@pytest.mark.parametrize("path", PATHS)
def test_the_approvers_are_told_of_a_request_and_not_the_person_who_asked(path, ask):
    item = upcoming(5)
    assert ask(path, item, "investigator", working_days_ahead(2, item.due)).ok
    # The mayor, and a vice-mayor while a delegation is in force; nobody else.
    assert "mayor" in told("待审批") and told("待审批") <= {"mayor", "vicemayor"}


def test_an_approver_asking_for_their_own_unit_is_not_told_of_their_own_request(people):
    item = upcoming(5, kind=Kind.RECTIFICATION_REPORT, unit="supervision")
    asked(item, "supervision_leader", people)
    assert told("待审批") == set()


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("approve,title", [(True, "已批准"), (False, "未获批准")])
def test_the_person_who_asked_is_told_of_the_decision(path, approve, title, decide, people):
    item = upcoming(5)
    extension = asked(item, "investigator", people)
    assert decide(path, extension, "mayor", approve=approve).ok
    assert told(title) == {"investigator"}


# --- the complaint procedure (Xinxiang complaints art. 5–6) ---------------------------------


@pytest.fixture
def complaint_act(people):
    def _act(complaint, name, username, **body):
        body = {k: v.isoformat() if isinstance(v, D) else v for k, v in body.items()}
        return complaints.transition(complaint, name, people[username], body)

    return _act


@pytest.fixture
def accepted(complaint_act):
    def _accepted(**register):
        complaint = complaints.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿。",
                "real_name": False,
            }
        )
        return complaint_act(complaint, "accept", "complaints")

    return _accepted


def transition(login_api, username, complaint, name, body):
    return login_api(username).post(
        f"/api/v1/complaints/{complaint.pk}/transitions/{name}", body, format="json"
    )


def test_the_complaints_office_cannot_extend_the_handling_period_beyond_its_cap(
    login_api, accepted
):
    complaint = accepted()
    handling = complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING)
    body = {"reason": "案情复杂", "new_due": "2027-06-30", "kind": "complaint_handling"}
    refused = transition(login_api, "complaints", complaint, "request_extension", body)
    assert refused.status_code == 422 and "new_due" in refused.json()["fields"]
    assert "不得超过 15 个工作日" in refused.json()["detail"]
    same = login_api("complaints").post(
        f"/api/v1/deadlines/{handling.pk}/extensions",
        {"reason": "案情复杂", "new_due": "2027-06-30"},
        format="json",
    )
    assert same.status_code == 422 and same.json()["detail"] == refused.json()["detail"]
    assert nothing_changed(handling)
    at_cap = {**body, "new_due": working_days_ahead(15, handling.due).isoformat()}
    asked_at_cap = transition(login_api, "complaints", complaint, "request_extension", at_cap)
    assert asked_at_cap.status_code == 200


def test_the_organ_cannot_extend_its_reporting_deadline_beyond_its_cap(
    login_api, accepted, complaint_act
):
    complaint = complaint_act(accepted(), "transfer", "complaints", organ="education")
    report = complaint.deadlines.get(kind=Kind.ORGAN_REPORT)
    body = {"reason": "涉及多所学校", "new_due": "2027-06-30"}
    refused = transition(login_api, "staff_education", complaint, "request_extension", body)
    assert refused.status_code == 422 and "new_due" in refused.json()["fields"]
    assert nothing_changed(report)
    at_cap = {**body, "new_due": working_days_ahead(15, report.due).isoformat()}
    asked_at_cap = transition(login_api, "staff_education", complaint, "request_extension", at_cap)
    assert asked_at_cap.status_code == 200
    # Xinxiang complaints art. 6: the head of the transferring body approves, and is told.
    assert told("待审批") == {"complaints_head"}
    approved = transition(
        login_api, "complaints_head", complaint, "approve_extension", {"approve": True}
    )
    assert approved.status_code == 200
    assert told("已批准") == {"staff_education"}
    report.refresh_from_db()
    assert report.due == working_days_ahead(15, report.original_due)


def test_the_head_of_the_complaints_office_cannot_approve_his_own_request(login_api, accepted):
    complaint = accepted()
    handling = complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING)
    body = {
        "reason": "案情复杂",
        "new_due": working_days_ahead(5, handling.due).isoformat(),
        "kind": "complaint_handling",
    }
    own = transition(login_api, "complaints_head", complaint, "request_extension", body)
    assert own.status_code == 200
    refused = transition(login_api, "complaints_head", complaint, "approve_extension", {})
    assert refused.status_code == 403 and "不能审批自己提出的延期申请" in refused.json()["detail"]
    extension = Extension.objects.get(deadline=handling)
    assert extension.status == Extension.Status.PENDING
    handling.refresh_from_db()
    assert handling.original_due is None


def test_a_complaint_extension_after_the_due_day_is_refused(login_api, people, complaint_act):
    received = timezone.localdate() - datetime.timedelta(days=40)
    complaint = complaints.register(
        people["complaints"],
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映：窗口工作人员推诿。",
            "real_name": False,
            "channel": "letter",
            "on": received.isoformat(),
        },
    )
    complaint = complaint_act(complaint, "accept", "complaints", on=received)
    handling = complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING)
    body = {
        "reason": "案情复杂",
        "new_due": working_days_ahead(3).isoformat(),
        "kind": "complaint_handling",
    }
    refused = transition(login_api, "complaints", complaint, "request_extension", body)
    assert refused.status_code == 422 and "延期须在期限届满" in refused.json()["detail"]
    assert nothing_changed(handling)


# --- the caps and approvers as reference data -----------------------------------------------


def test_the_caps_and_approvers_in_force_are_those_the_procedures_had(db):
    rules = {r.kind: (r.cap_working_days, r.approver) for r in ExtensionRule.objects.all()}
    assert rules == {
        "report": (30, "mayor"),
        "investigation": (40, "mayor"),
        "review_report": (30, "mayor"),
        "rectification": (30, "mayor"),
        "filing": (30, "mayor"),
        "complaint_transfer": (30, "complaints_head"),
        "complaint_handling": (15, "complaints_head"),
        "organ_report": (15, "complaints_head"),
        "rectification_report": (30, "supervision_leader"),
        # Handan supervision art. 4 (3): the leader who assigned the matter approves.
        "supervision_feedback": (20, "assigning_leader"),
    }
    assert all(rule.basis for rule in ExtensionRule.objects.all())


def test_a_cap_changed_in_the_admin_changes_the_refusal_and_is_kept_in_the_history(
    client, people, login_api
):
    rule = ExtensionRule.objects.get(kind=Kind.INVESTIGATION)
    rows = rule.history.count()
    client.force_login(people["admin"])
    url = f"/admin/deadlines/extensionrule/{rule.pk}/change/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"cap_working_days": 3, "approver": "mayor", "basis": rule.basis})
    assert response.status_code == 302
    rule.refresh_from_db()
    assert rule.cap_working_days == 3
    assert rule.history.count() == rows + 1
    latest = rule.history.first()
    assert latest.cap_working_days == 3 and latest.history_user == people["admin"]

    item = upcoming(5)
    url = f"/api/v1/deadlines/{item.pk}/extensions"
    beyond = {"reason": "复杂", "new_due": working_days_ahead(4, item.due).isoformat()}
    refused = login_api("investigator").post(url, beyond, format="json")
    assert refused.status_code == 422 and "不得超过 3 个工作日" in refused.json()["detail"]
    at_cap = {"reason": "复杂", "new_due": working_days_ahead(3, item.due).isoformat()}
    assert login_api("investigator").post(url, at_cap, format="json").status_code == 201


def test_the_admin_refuses_a_rule_for_a_right_of_the_official(client, people):
    ExtensionRule.objects.filter(kind=Kind.REPORT).delete()
    client.force_login(people["admin"])
    response = client.post(
        "/admin/deadlines/extensionrule/add/",
        {"kind": "objection", "cap_working_days": 5, "approver": "mayor", "basis": "无"},
    )
    assert response.status_code == 200 and "权利" in response.content.decode()
    assert not ExtensionRule.objects.filter(kind=Kind.OBJECTION).exists()


def test_loading_the_reference_data_twice_creates_no_rule_twice(db):
    call_command("load_reference", verbosity=0)
    first = {r.kind: (r.pk, r.cap_working_days, r.approver) for r in ExtensionRule.objects.all()}
    call_command("load_reference", verbosity=0)
    second = {r.kind: (r.pk, r.cap_working_days, r.approver) for r in ExtensionRule.objects.all()}
    assert first == second and len(second) == 10


def test_the_migration_seeds_the_rules_of_an_existing_database_with_their_history(db):
    """Run as the migration runs: on the models as they stand after it, with no signal."""
    migration = importlib.import_module("casework.deadlines.migrations.0005_extension_rule")
    ExtensionRule.objects.all().delete()
    # As before the migration: no history yet (on PostgreSQL history is append-only).
    with pgtrigger.ignore("deadlines.HistoricalExtensionRule:append_only"):
        ExtensionRule.history.all().delete()
    state = MigrationLoader(connection).project_state(("deadlines", "0005_extension_rule"))
    migration.seed_defaults(state.apps, None)
    assert ExtensionRule.objects.count() == len(migration.DEFAULTS) == 9
    assert ExtensionRule.history.filter(history_type="+").count() == 9
    migration.seed_defaults(state.apps, None)  # twice: nothing twice
    assert ExtensionRule.objects.count() == ExtensionRule.history.count() == 9
    assert ExtensionRule.objects.get(kind="organ_report").cap_working_days == 15


def test_a_request_reads_the_rules_once(people):
    item = upcoming(5)
    with CaptureQueriesContext(connection) as captured:
        asked(item, "investigator", people)
    assert sum("deadlines_extensionrule" in query["sql"] for query in captured) == 1
