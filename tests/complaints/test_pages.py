"""The staff pages and task screens of the complaint procedure: the right person acts through
them and anyone else is refused; a fixed number of queries whatever the number of complaints
or history rows; and, above all, a complainant's identity that no page, screen or viewflow
list ever shows to anyone but the complaints office (Xinxiang complaints art. 8)."""

import datetime
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from viewflow.workflow.models import Task

from casework.complaints.declaration import COMPLAINTS
from casework.complaints.models import Complaint, IdentityAccess, State
from workflows import complaints as workflow
from workflows.complaints import ComplaintFlow

from . import samples
from .conftest import EMAIL, NAME, PHONE

pytestmark = pytest.mark.django_db

# The demo people who are not the complaints office (docs/api.md, "Demo data").
NON_OFFICE = (
    "staff_education",
    "head_education",
    "investigator",
    "mayor",
    "secretariat",
    "legal",
    "admin",
)
# What must never reach anyone but the office: the identity, in full or masked.
IDENTITY = (NAME, PHONE, EMAIL, "王**", "138****5678", "w***@example.cn")
# The office's people: the organ sees the office as a unit, never its staff.
OFFICE_STAFF_NAMES = ("吴晓燕", "郑国平")
INTERNAL_NOTE = "内部核实：投诉属实的可能性较大"
IDENTITY_REASON = "电话回访核实投诉细节"
# The letter to the complainant: for the office, not for the organ.
FEEDBACK = "您好，您反映的问题已查实并责令整改，感谢监督。"

PNG = samples.png()


def screen_url(complaint):
    task = workflow.open_task(complaint)
    return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


def detail_url(complaint):
    return f"/complaints/staff/{complaint.pk}/"


def rows(response):
    return re.findall(r'<tr data-complaint="(\d+)"', response.content.decode())


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def transferred(citizen_complaint, act):
    """A real-name complaint from the portal, accepted and transferred to education."""

    def _make(**overrides):
        complaint = citizen_complaint(**overrides)
        complaint = act(complaint, "accept", "complaints")
        return act(complaint, "transfer", "complaints", organ="education")

    return _make


# --- the task screens -------------------------------------------------------------------------


def test_the_office_accepts_and_transfers_from_the_task_screens(citizen_complaint, login):
    complaint = citizen_complaint()
    client = login("complaints")
    url = screen_url(complaint)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert f"投诉第{complaint.pk}号" in body and "受理" in body and "办理记录" in body
    # The office sees the identity masked, and a form to ask for it.
    assert "王**" in body and "138****5678" in body and NAME not in body and PHONE not in body
    assert "查看投诉人身份" in body and page["Cache-Control"] == "no-store"
    response = client.post(url, {"action": "accept", "note": "属受理范围"})
    complaint.refresh_from_db()
    # The complaint's next task is the office's too: it lands there.
    following = workflow.open_task(complaint)
    assert response.status_code == 302 and response["Location"] == following.flow_task.reverse(
        "index", args=[following.process_id, following.pk]
    )
    assert complaint.state == State.ACCEPTED
    last = complaint.history.order_by("-history_id").first()
    assert last.action == "accept" and last.history_change_reason == "属受理范围"

    url = screen_url(complaint)
    page = client.get(url + "?action=transfer")
    assert 'name="organ"' in page.content.decode()
    response = client.post(url, {"action": "transfer", "organ": "education"}, follow=True)
    assert f"投诉第{complaint.pk}号：已转办。" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.state == State.TRANSFERRED and complaint.transferred_to.code == "education"
    assert workflow.open_task(complaint).flow_task.name == "organ_handling"
    assert workflow.check_consistency() == []


def test_the_queue_leads_the_office_straight_to_the_screen(citizen_complaint, login):
    complaint = citizen_complaint()
    task = workflow.open_task(complaint)
    client = login("complaints")
    assert f"/examine_complaint/{task.pk}/" in client.get("/workflow/queue/").content.decode()
    index = client.get(task.flow_task.reverse("index", args=[task.process_id, task.pk]))
    assert index.status_code == 302 and index["Location"] == screen_url(complaint)


def test_the_organ_reports_and_asks_for_an_extension(transferred, login, people):
    complaint = transferred()
    client = login("staff_education")
    url = screen_url(complaint)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert 'data-action="organ_report"' in body and 'data-action="request_extension"' in body
    assert 'href="?action=accept"' not in body and 'href="?action=add_note"' not in body
    assert "identity-form" not in body
    due = complaint.deadlines.get(kind="organ_report").due
    response = client.post(
        url + "?action=request_extension",
        {
            "action": "request_extension",
            "reason": "涉及多所学校，需逐一核查",
            "new_due": (due + datetime.timedelta(days=14)).isoformat(),
        },
    )
    # A recording: the task stays open and the screen comes back.
    assert response.status_code == 302 and response["Location"].startswith(url)
    extension = complaint.deadlines.get(kind="organ_report").extensions.get()
    assert extension.status == "pending" and extension.requested_by == people["staff_education"]
    assert workflow.open_task(complaint).flow_task.name == "organ_handling"

    # The office head approves it on the page of recordings (the organ holds the task).
    head = login("complaints_head")
    detail = head.get(detail_url(complaint)).content.decode()
    assert f"/complaints/staff/{complaint.pk}/record/?action=approve_extension" in detail
    record = f"/complaints/staff/{complaint.pk}/record/?action=approve_extension"
    assert head.get(record).status_code == 200
    response = head.post(record, {"action": "approve_extension", "approve": "1", "reason": "同意"})
    assert response.status_code == 302
    extension.refresh_from_db()
    assert extension.status == "approved"

    client = login("staff_education")
    response = client.post(url, {"action": "organ_report", "report": "已批评教育相关人员"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.HANDLED_BY_ORGAN
    assert workflow.open_task(complaint).flow_task.name == "review_organ_report"
    assert workflow.check_consistency() == []


def test_others_are_refused_the_screens(transferred, citizen_complaint, login, client):
    office_task = citizen_complaint()
    url = screen_url(office_task)
    # Not visible to them: 404; visible but not theirs to act on: 403.
    for username, status in [
        ("staff_education", 404),
        ("head_transport", 404),
        ("mayor", 404),
        ("investigator", 403),
        ("admin", 403),
    ]:
        assert login(username).get(url).status_code == status, username
        assert login(username).post(url, {"action": "accept"}).status_code == status, username
    office_task.refresh_from_db()
    assert office_task.state == State.SUBMITTED

    organ_task = transferred()
    url = screen_url(organ_task)
    for username, status in [
        ("complaints", 403),
        ("head_transport", 404),
        ("investigator", 403),
        ("legal", 404),
    ]:
        assert login(username).get(url).status_code == status, username
        response = login(username).post(url, {"action": "organ_report", "report": "x"})
        assert response.status_code == status, username
    organ_task.refresh_from_db()
    assert organ_task.state == State.TRANSFERRED

    client.logout()
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_finished_task_sends_to_the_complaint_page(citizen_complaint, act, login):
    complaint = citizen_complaint()
    url = screen_url(complaint)
    act(complaint, "accept", "complaints")
    response = login("complaints").get(url)
    assert response.status_code == 302 and response["Location"] == detail_url(complaint)


def test_decide_asks_for_confirmation(citizen_complaint, act, login):
    complaint = act(act(citizen_complaint(), "accept", "complaints"), "verify", "complaints")
    client = login("complaints")
    url = screen_url(complaint)
    data = {"action": "decide", "outcome": "unfounded", "text": "经核实，投诉不属实。"}
    response = client.post(url + "?action=decide", data)
    assert response.status_code == 200
    body = response.content.decode()
    assert "此步骤提交后不可撤回，请勾选确认。" in body and "经核实，投诉不属实。" in body
    complaint.refresh_from_db()
    assert complaint.state == State.VERIFYING
    response = client.post(url, {**data, "confirm": "on"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.DECIDED
    # Real name: feedback first, so the close is not offered yet (Xinxiang complaints art. 8).
    body = client.get(screen_url(complaint)).content.decode()
    assert 'data-action="give_feedback"' in body and 'data-action="close"' not in body


def test_a_refusal_of_the_service_is_shown_in_chinese_beside_the_form(citizen_complaint, login):
    complaint = citizen_complaint()
    client = login("complaints")
    url = screen_url(complaint)
    tomorrow = (datetime.date.today() + datetime.timedelta(days=2)).isoformat()
    response = client.post(url, {"action": "accept", "on": tomorrow, "note": "属受理范围"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "办理日期不得晚于今天。" in body and "属受理范围" in body
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED
    # Missing fields are named beside the form, in Chinese.
    response = client.post(url + "?action=reject_out_of_scope", {"action": "reject_out_of_scope"})
    body = response.content.decode()
    # Under each of the two fields, and again in the summary on top, linked to the field.
    assert body.count("该字段是必填项。") == 4 and "此步骤提交后不可撤回，请勾选确认。" in body
    assert body.count('id="id_notice_error"') == 1 and 'href="#id_notice"' in body
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED


def test_an_action_not_offered_is_refused(citizen_complaint, login):
    complaint = citizen_complaint()
    client = login("complaints")
    response = client.post(screen_url(complaint), {"action": "organ_report", "report": "x"})
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.state == State.SUBMITTED


# --- the identity and its log ----------------------------------------------------------------


def test_the_identity_is_shown_once_with_a_reason_and_the_view_is_logged(
    citizen_complaint, login, people
):
    complaint = citizen_complaint()
    client = login("complaints")
    for url in (screen_url(complaint), detail_url(complaint)):
        response = client.post(url, {"identity_reason": ""})
        assert response.status_code == 200
        body = response.content.decode()
        assert "查看投诉人身份须说明理由。" in body and PHONE not in body
    assert not IdentityAccess.objects.exists()

    response = client.post(detail_url(complaint), {"identity_reason": IDENTITY_REASON})
    body = response.content.decode()
    assert NAME in body and PHONE in body and EMAIL in body
    assert response["Cache-Control"] == "no-store"
    access = IdentityAccess.objects.get()
    assert access.user == people["complaints"] and access.reason == IDENTITY_REASON
    assert access.complaint == complaint and access.channel == "web"
    # Shown once: the next visit is masked again.
    assert PHONE not in client.get(detail_url(complaint)).content.decode()

    response = client.post(screen_url(complaint), {"identity_reason": "准备反馈"})
    assert PHONE in response.content.decode()
    assert IdentityAccess.objects.count() == 2


def test_nobody_but_the_office_may_ask_for_the_identity(transferred, login):
    complaint = transferred()
    for username in ("investigator", "staff_education", "head_education", "admin"):
        response = login(username).post(detail_url(complaint), {"identity_reason": "好奇"})
        assert response.status_code == 403, username
        assert PHONE not in response.content.decode()
    assert not IdentityAccess.objects.exists()


def test_the_head_reads_the_identity_log(citizen_complaint, login):
    first, second = citizen_complaint(), citizen_complaint()
    login("complaints").post(detail_url(first), {"identity_reason": IDENTITY_REASON})
    login("complaints_head").post(detail_url(second), {"identity_reason": "复核反馈内容"})
    head = login("complaints_head")
    response = head.get("/complaints/staff/identity-log/")
    assert response.status_code == 200
    body = response.content.decode()
    assert IDENTITY_REASON in body and "复核反馈内容" in body and "吴晓燕" in body
    assert PHONE not in body and NAME not in body
    body = head.get(f"/complaints/staff/identity-log/?complaint={first.pk}").content.decode()
    assert IDENTITY_REASON in body and "复核反馈内容" not in body
    assert (
        "投诉编号须为数字。"
        in head.get("/complaints/staff/identity-log/?complaint=x").content.decode()
    )
    assert 'data-testid="identity-log-link"' in head.get("/complaints/staff/").content.decode()
    for username in ("complaints", "investigator", "staff_education", "mayor", "admin"):
        assert login(username).get("/complaints/staff/identity-log/").status_code == 403, username


def test_the_identity_log_costs_the_same_for_2_and_10_views(citizen_complaint, login):
    complaint = citizen_complaint()
    office = login("complaints")
    for _ in range(2):
        office.post(detail_url(complaint), {"identity_reason": IDENTITY_REASON})
    few = queries(login("complaints_head"), "/complaints/staff/identity-log/")
    office = login("complaints")
    for _ in range(8):
        office.post(detail_url(complaint), {"identity_reason": IDENTITY_REASON})
    assert queries(login("complaints_head"), "/complaints/staff/identity-log/") == few


# --- registering ------------------------------------------------------------------------------


def test_the_office_registers_a_phone_complaint(login, people):
    client = login("complaints")
    assert client.get("/complaints/staff/new/").status_code == 200
    response = client.post(
        "/complaints/staff/new/",
        {
            "channel": "phone",
            "on": datetime.date.today().isoformat(),
            "category": "attitude",
            "respondent_department": "education",
            "content": "来电反映：窗口工作人员态度恶劣，拒绝受理。",
            "real_name": "1",
            "name": NAME,
            "phone": PHONE,
            "attachment": SimpleUploadedFile("letter.png", PNG, content_type="image/png"),
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302 and response["Location"] == detail_url(complaint)
    assert complaint.is_petition and complaint.channel == "phone"
    assert complaint.registered_by == people["complaints"] and complaint.phone == PHONE
    assert workflow.open_task(complaint).flow_task.name == "examine_complaint"
    # The attachment may show who complained: the office only, with a reason, logged.
    download = client.post(
        f"/complaints/staff/{complaint.pk}/attachment/", {"attachment_reason": "核对来信"}
    )
    assert download.status_code == 200
    assert b"".join(download.streaming_content).startswith(b"\x89PNG")
    assert (
        login("investigator").get(f"/complaints/staff/{complaint.pk}/attachment/").status_code
        == 403
    )


def test_registering_refuses_bad_input_and_saves_nothing(login):
    client = login("complaints")
    response = client.post(
        "/complaints/staff/new/",
        {
            "channel": "letter",
            "category": "attitude",
            "respondent_department": "education",
            "content": "来信反映窗口态度问题。",
            "real_name": "1",
            "name": NAME,
        },
    )
    assert response.status_code == 200
    assert "实名投诉请至少留下电话或电子邮箱" in response.content.decode()
    assert not Complaint.objects.exists()


def test_only_the_office_registers(login):
    for username in ("investigator", "staff_education", "mayor", "admin"):
        assert login(username).get("/complaints/staff/new/").status_code == 403, username
        response = login(username).post("/complaints/staff/new/", {"channel": "letter"})
        assert response.status_code == 403
    assert not Complaint.objects.exists()


# --- the list and the complaint page ------------------------------------------------------------


def test_the_list_costs_the_same_for_2_and_10_complaints(citizen_complaint, act, login):
    client = login("complaints")
    citizen_complaint()
    act(citizen_complaint(), "accept", "complaints")
    few = queries(client, "/complaints/staff/")
    for index in range(8):
        complaint = act(citizen_complaint(), "accept", "complaints")
        if index % 2:
            act(complaint, "transfer", "complaints", organ="education")
    many = queries(client, "/complaints/staff/")
    assert many == few
    response = client.get("/complaints/staff/")
    assert len(rows(response)) == 10
    assert "承办机关办理并报送结果" in response.content.decode()


def test_the_list_shows_each_person_what_they_may_see(transferred, citizen_complaint, login):
    at_education = transferred()
    waiting = citizen_complaint()
    assert set(rows(login("complaints").get("/complaints/staff/"))) == {
        str(at_education.pk),
        str(waiting.pk),
    }
    assert set(rows(login("investigator").get("/complaints/staff/"))) == {
        str(at_education.pk),
        str(waiting.pk),
    }
    assert rows(login("staff_education").get("/complaints/staff/")) == [str(at_education.pk)]
    assert rows(login("head_transport").get("/complaints/staff/")) == []
    assert rows(login("mayor").get("/complaints/staff/")) == []


def test_the_list_filters(transferred, citizen_complaint, act, login):
    at_education = transferred()
    other = act(
        citizen_complaint(category="fees", respondent_department="transport"),
        "accept",
        "complaints",
    )
    client = login("complaints")
    assert rows(client.get("/complaints/staff/?state=transferred")) == [str(at_education.pk)]
    assert rows(client.get("/complaints/staff/?department=transport")) == [str(other.pk)]
    assert rows(client.get("/complaints/staff/?organ=education")) == [str(at_education.pk)]
    assert rows(client.get("/complaints/staff/?category=fees")) == [str(other.pk)]
    assert rows(client.get("/complaints/staff/?overdue=on")) == []


def test_an_overdue_complaint_is_marked_and_found(registered, act, login):
    old_day = datetime.date.today() - datetime.timedelta(days=40)
    overdue = registered(on=old_day.isoformat())
    registered()
    client = login("complaints")
    response = client.get("/complaints/staff/?overdue=on")
    assert rows(response) == [str(overdue.pk)]
    assert 'data-testid="overdue"' in response.content.decode()
    page = client.get(detail_url(overdue)).content.decode()
    assert 'data-level="red"' in page and "level-red" in page and "红牌" in page


def test_the_complaint_page_costs_the_same_for_few_and_many_history_rows(transferred, act, login):
    complaint = transferred()
    client = login("complaints")
    few = queries(client, detail_url(complaint))
    for index in range(6):
        complaint = act(complaint, "add_note", "complaints", text=f"核实意见{index}")
    due = complaint.deadlines.get(kind="organ_report").due
    act(
        complaint,
        "request_extension",
        "staff_education",
        reason="需核查",
        new_due=due + datetime.timedelta(days=7),
    )
    assert queries(client, detail_url(complaint)) == few
    assert queries(login("staff_education"), detail_url(complaint)) == queries(
        login("staff_education"), detail_url(complaint)
    )


def test_the_task_screen_costs_the_same_for_few_and_many_history_rows(
    citizen_complaint, act, login
):
    complaint = act(citizen_complaint(), "accept", "complaints")
    client = login("complaints")
    url = screen_url(complaint)
    few = queries(client, url)
    for index in range(6):
        complaint = act(complaint, "add_note", "complaints", text=f"核实意见{index}")
    assert queries(client, url) == few


def test_the_complaint_page_shows_deadlines_task_and_history(transferred, act, login):
    complaint = transferred()
    complaint = act(complaint, "add_note", "complaints", text=INTERNAL_NOTE)
    office = login("complaints").get(detail_url(complaint)).content.decode()
    assert 'data-testid="deadlines"' in office and "承办机关办结并报送结果" in office
    assert "待领取：南充市教育局" in office
    assert INTERNAL_NOTE in office and "吴晓燕" in office  # staff see notes and names
    organ = login("staff_education").get(detail_url(complaint)).content.decode()
    assert 'data-testid="task-link"' in organ and "转办" in organ
    assert INTERNAL_NOTE not in organ
    for name in OFFICE_STAFF_NAMES:
        assert name not in organ
    assert complaint.tracking_code not in organ
    assert "效能投诉中心" in organ


def test_the_complaint_page_is_404_for_whoever_may_not_see_it(transferred, login):
    complaint = transferred()
    for username in ("head_transport", "mayor", "secretariat", "legal"):
        assert login(username).get(detail_url(complaint)).status_code == 404, username
        record = f"/complaints/staff/{complaint.pk}/record/"
        assert login(username).get(record).status_code == 404, username


# --- redaction: every page a non-office person can reach ------------------------------------


def _flow_urls(complaint):
    """Every viewflow page about the complaint's process and tasks, and the lists."""
    process = workflow.process_for(complaint)
    urls = [
        "/workflow/",
        "/workflow/inbox/",
        "/workflow/queue/",
        "/workflow/archive/",
        ComplaintFlow.instance.reverse("index"),
        ComplaintFlow.instance.reverse("process_list"),
        ComplaintFlow.instance.reverse("task_list"),
        ComplaintFlow.instance.reverse("process_detail", args=[process.pk]),
    ]
    for task in Task.objects.filter(process=process, flow_task_type="HUMAN"):
        for name in ("index", "detail", "execute", "assign"):
            try:
                urls.append(task.flow_task.reverse(name, args=[task.process_id, task.pk]))
            except Exception:  # noqa: BLE001 (a node without that view)
                continue
    return urls


def _admin_urls(complaint):
    """Django's admin of viewflow's process and tasks (administrators only)."""
    process = workflow.process_for(complaint)
    urls = [
        "/admin/viewflow/process/",
        f"/admin/viewflow/process/{process.pk}/change/",
        "/admin/viewflow/task/",
    ]
    urls += [
        f"/admin/viewflow/task/{pk}/change/" for pk in process.task_set.values_list("pk", flat=True)
    ]
    return urls


def _complaint_urls(complaint):
    urls = [
        "/complaints/staff/",
        f"/complaints/staff/?state={complaint.state}",
        "/complaints/staff/?organ=education",
        detail_url(complaint),
        f"/complaints/staff/{complaint.pk}/record/",
        f"/complaints/staff/{complaint.pk}/attachment/",
        "/complaints/staff/new/",
        "/complaints/staff/identity-log/",
        f"/complaints/staff/identity-log/?complaint={complaint.pk}",
    ]
    urls += [
        f"/complaints/staff/{complaint.pk}/record/?action={name}"
        for name, step in COMPLAINTS.steps.items()
        if not step.changes_state
    ]
    return urls


def _assert_nothing_leaks(client, username, complaint, organ=False):
    seen = set()
    for url in _complaint_urls(complaint) + _flow_urls(complaint) + _admin_urls(complaint):
        response = client.get(url)
        responses = [response]
        if response.status_code == 302 and response["Location"].startswith("/"):
            responses.append(client.get(response["Location"]))
        for response in responses:
            body = response.content.decode() if not response.streaming else ""
            for secret in IDENTITY + (complaint.tracking_code,):
                assert secret not in body, (username, url, secret)
            if organ:
                for secret in OFFICE_STAFF_NAMES + (INTERNAL_NOTE, IDENTITY_REASON, FEEDBACK):
                    assert secret not in body, (username, url, secret)
            if response.status_code == 200:
                seen.add(url)
    # The POST of the identity form: refused, and nothing leaks in the refusal either.
    response = client.post(detail_url(complaint), {"identity_reason": "好奇"})
    assert response.status_code in (403, 404), (username, response.status_code)
    for secret in IDENTITY:
        assert secret not in response.content.decode(), (username, secret)
    return seen


def test_no_page_shows_the_identity_to_anyone_but_the_office(citizen_complaint, act, login):
    """A complaint with a known name, phone and e-mail, taken through every state; at each
    one, every non-office demo person fetches every page and screen they can reach."""
    complaint = citizen_complaint()
    office = login("complaints")
    office.post(detail_url(complaint), {"identity_reason": IDENTITY_REASON})
    assert IdentityAccess.objects.count() == 1

    def sweep(organ_sees=True):
        reached = {}
        for username in NON_OFFICE:
            organ = username in ("staff_education", "head_education")
            client = login(username)
            reached[username] = _assert_nothing_leaks(client, username, complaint, organ=organ)
        return reached

    sweep()
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "add_note", "complaints", text=INTERNAL_NOTE)
    complaint = act(complaint, "transfer", "complaints", organ="education")
    reached = sweep()
    # The sweep really reached the pages: the organ its task screen and the complaint, the
    # bureau and the administrator viewflow's process page and the admin.
    process = workflow.process_for(complaint)
    process_page = ComplaintFlow.instance.reverse("process_detail", args=[process.pk])
    assert {screen_url(complaint), detail_url(complaint), "/workflow/queue/"} <= reached[
        "staff_education"
    ]
    # The engine's process page is the administrators' alone.
    assert detail_url(complaint) in reached["investigator"]
    assert process_page not in reached["investigator"]
    assert {process_page, f"/admin/viewflow/process/{process.pk}/change/"} <= reached["admin"]
    assert detail_url(complaint) not in reached["mayor"]
    due = complaint.deadlines.get(kind="organ_report").due
    complaint = act(
        complaint,
        "request_extension",
        "staff_education",
        reason="需核查",
        new_due=due + datetime.timedelta(days=7),
    )
    complaint = act(complaint, "approve_extension", "complaints_head", approve=True, reason="同意")
    complaint = act(complaint, "organ_report", "staff_education", report="已整改")
    sweep()
    complaint = act(complaint, "verify", "complaints")
    complaint = act(complaint, "decide", "complaints", outcome="unfounded", text="已整改到位")
    sweep()
    complaint = act(complaint, "give_feedback", "complaints", text=FEEDBACK)
    complaint = act(complaint, "close", "complaints")
    sweep()
    # The office itself sees it masked on the complaint page; viewflow's process page is the
    # administrators' alone, and shows no identity even to them (unlogged).
    office = login("complaints")
    assert "138****5678" in office.get(detail_url(complaint)).content.decode()
    assert office.get(process_page).status_code == 403
    response = login("admin").get(process_page)
    assert response.status_code == 200 and f"投诉第{complaint.pk}号" in response.content.decode()
    for secret in (NAME, PHONE, EMAIL):
        assert secret not in response.content.decode()


def test_the_viewflow_lists_of_the_organ_name_no_complainant(transferred, act, login):
    complaint = transferred()
    client = login("staff_education")
    queue = client.get("/workflow/queue/").content.decode()
    assert f"投诉第{complaint.pk}号" in queue
    act(complaint, "organ_report", "staff_education", report="已整改")
    archive = client.get("/workflow/archive/").content.decode()
    assert f"投诉第{complaint.pk}号" in archive
    for body in (queue, archive):
        for secret in IDENTITY:
            assert secret not in body
    # The process page lists the office's people: not for the organ.
    process = workflow.process_for(complaint)
    detail = ComplaintFlow.instance.reverse("process_detail", args=[process.pk])
    assert client.get(detail).status_code == 403


def test_a_linked_accountability_case_is_named_on_the_page(citizen_complaint, act, login):
    from casework.org.models import Official

    complaint = act(act(citizen_complaint(), "accept", "complaints"), "verify", "complaints")
    head = Official.objects.get(user__username="head_education")
    complaint = act(
        complaint, "decide", "complaints", outcome="fault_liability", text="追究", official=head.pk
    )
    number = complaint.accountability_case.number
    body = login("complaints").get(detail_url(complaint)).content.decode()
    assert body.count(number) >= 2  # the summary and the history's change
    assert f'href="/accountability/{complaint.accountability_case.pk}/"' in body


@pytest.mark.parametrize(
    "username, shown",
    [
        ("complaints", True),
        ("investigator", True),
        ("staff_education", True),
        ("mayor", False),
        ("legal", False),
    ],
)
def test_the_workspace_menu_leads_to_the_complaints_of_those_who_see_them(login, username, shown):
    body = login(username).get("/workflow/inbox/").content.decode()
    assert ('data-testid="menu-complaints"' in body) is shown
    assert ('href="/complaints/staff/"' in body) is shown
