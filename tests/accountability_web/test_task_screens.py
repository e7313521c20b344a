"""A task screen is a thin form over services.transition: the right person acts through it,
anyone else is refused, and a refusal of the service is shown beside the form."""

import datetime
import re

import pytest

from casework.accountability.models import State
from casework.kernel import clock
from workflows import accountability as workflow

pytestmark = pytest.mark.django_db

D = datetime.date


def screen_url(case):
    task = workflow.open_task(case)
    return task.flow_task.reverse("execute", args=[task.process_id, task.pk])


def test_the_mayor_starts_a_case_from_the_task_screen(register, login):
    case = register()
    client = login("mayor")
    url = screen_url(case)
    page = client.get(url)
    assert page.status_code == 200
    body = page.content.decode()
    assert case.number in body and "启动问责程序" in body and "办理历史" in body
    response = client.post(url, {"action": "start", "note": "情况属实"}, follow=True)
    # The case's next task is the mayor's too: he lands on it.
    following = workflow.open_task(case)
    assert response.redirect_chain[0] == (
        following.flow_task.reverse("index", args=[following.process_id, following.pk]),
        302,
    )
    assert f"案件 {case.number}：已启动问责程序。" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.INITIATED
    last = case.history.order_by("-history_id").first()
    assert last.action == "start" and last.history_change_reason == "情况属实"
    assert workflow.open_task(case).flow_task.name == "direct_inquiry"
    assert workflow.check_consistency() == []


def test_the_queue_leads_the_mayor_straight_to_the_screen(register, login):
    case = register()
    task = workflow.open_task(case)
    client = login("mayor")
    assert f"/consider_proposal/{task.pk}/" in client.get("/workflow/queue/").content.decode()
    index = client.get(task.flow_task.reverse("index", args=[task.process_id, task.pk]))
    assert index.status_code == 302 and index["Location"] == screen_url(case)


def test_the_secretariat_neither_sees_nor_may_open_the_mayors_task(register, login):
    case = register()
    task = workflow.open_task(case)
    client = login("secretariat")
    assert f"/consider_proposal/{task.pk}/" not in client.get("/workflow/queue/").content.decode()
    assert client.get(screen_url(case)).status_code == 403
    assert client.post(screen_url(case), {"action": "start"}).status_code == 403
    case.refresh_from_db()
    assert case.state == State.PROPOSED


def test_an_official_gets_404_on_another_officials_task(register, act, login):
    case = register(official="head_education")
    url = screen_url(case)
    assert login("head_transport").get(url).status_code == 404
    assert login("head_transport").post(url, {"action": "start"}).status_code == 404


def test_a_stranger_is_sent_to_log_in(register, client):
    case = register()
    response = client.get(screen_url(case))
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_a_refusal_is_shown_beside_the_form_and_nothing_is_lost(register, act, login):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    client = login("mayor")
    url = screen_url(case)
    # No number of working days: the form asks for it, in the field's own words.
    response = client.post(
        url + "?action=assign_investigation",
        {"action": "assign_investigation", "note": "责成调查的说明", "on": "2026-01-06"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert 'data-testid="form-errors"' in body
    assert '<a href="#id_working_days">调查期限（工作日）：' in body
    summary = re.search(r'data-testid="form-errors".*?</div>', body, re.S)[0]
    assert "working_days" not in re.sub(r'href="[^"]*"', "", summary)
    assert "责成调查的说明" in body and 'value="2026-01-06"' in body
    case.refresh_from_db()
    assert case.state == State.INITIATED


def test_a_legal_refusal_is_shown_in_chinese(register, act, login, monkeypatch):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    task = workflow.open_task(case)
    client = login("head_education")
    # The official's own filing is dated the day he makes it.
    monkeypatch.setattr(clock, "today", lambda: D(2026, 1, 28))
    response = client.post(
        screen_url(case) + "?action=file_objection",
        {"action": "file_objection", "text": "事实有出入"},
    )
    body = response.content.decode()
    assert "异议期已于2026-01-27届满，不能再提出异议。" in body
    assert "事实有出入" in body
    monkeypatch.setattr(clock, "today", lambda: D(2026, 1, 22))
    response = client.post(
        screen_url(case),
        {"action": "file_objection", "text": "事实有出入", "on": "2026-01-10"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.FINDINGS_CLOSED and case.objection == "事实有出入"
    task.refresh_from_db()
    assert task.status == "DONE" and task.owner.username == "head_education"


def test_the_bureau_closes_the_findings_on_the_officials_task_when_the_period_ends(
    register, act, login, people
):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    task = workflow.open_task(case)
    assert task.owner == people["head_education"]
    client = login("investigator")
    page = client.get(screen_url(case)).content.decode()
    # The bureau closes, or enters an objection that arrived on paper (Nanchong art. 8).
    assert 'data-action="close_findings"' in page and 'data-action="file_objection"' in page
    response = client.post(screen_url(case), {"action": "close_findings", "on": "2026-01-27"})
    assert "异议期至2026-01-27届满，届满前不能确认调查结果。" in response.content.decode()
    response = client.post(screen_url(case), {"action": "close_findings", "on": "2026-01-28"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert task.status == "DONE" and task.owner == people["investigator"]
    assert workflow.open_task(case).flow_task.name == "report_findings"


def _deliberated(register, act):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "submit_to_meeting", "mayor", on=D(2026, 1, 6), reason="事实清楚")
    case = act(case, "schedule", "secretariat", on=D(2026, 1, 7), meeting_date=D(2026, 1, 8))
    return act(case, "deliberate", "secretariat", on=D(2026, 1, 8), minutes="纪要")


def test_an_irreversible_step_asks_for_confirmation(register, act, login):
    case = _deliberated(register, act)
    client = login("mayor")
    url = screen_url(case) + "?action=decide"
    page = client.get(url).content.decode()
    assert "我已核对，确认提交" in page and 'name="modes"' in page
    data = {"action": "decide", "modes": ["2", "3"], "reason": "情节较重", "on": "2026-01-09"}
    response = client.post(url, data)
    assert "此步骤提交后不可撤回，请勾选确认。" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.DELIBERATED
    response = client.post(url, {**data, "confirm": "on", "note": "经常务会议讨论"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.DECIDED
    assert list(case.decision.modes.values_list("code", flat=True)) == ["2", "3"]
    # The act's reason goes into the decision; the note into the history.
    assert case.decision.reason == "情节较重"
    assert case.history.order_by("-history_id").first().history_change_reason == "经常务会议讨论"


def test_a_recording_keeps_the_task_open(register, act, login):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    task = workflow.open_task(case)
    client = login("investigator")
    url = screen_url(case) + "?action=record_referral"
    response = client.post(
        url,
        {"action": "record_referral", "kind": "judicial", "organ": "南充市人民检察院"},
    )
    assert response.status_code == 302 and response["Location"] == url
    assert case.referrals.get().organ == "南充市人民检察院"
    assert workflow.open_task(case) == task


def test_an_action_the_person_may_not_do_is_refused(register, login):
    case = register()
    client = login("mayor")
    response = client.post(screen_url(case), {"action": "close"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.PROPOSED


def test_a_task_already_done_sends_to_the_case(register, act, login):
    case = register()
    url = screen_url(case)
    act(case, "start", "mayor", on=D(2026, 1, 5))
    response = login("mayor").get(url)
    assert response.status_code == 302 and response["Location"] == f"/accountability/{case.pk}/"


def test_the_officials_task_is_in_their_inbox(register, act, login):
    case = act(register(), "start", "mayor", on=D(2026, 1, 5))
    case = act(case, "assign_investigation", "mayor", on=D(2026, 1, 6), working_days=20)
    case = act(
        case,
        "notify_findings",
        "investigator",
        on=D(2026, 1, 20),
        findings="属实",
        served_on=D(2026, 1, 20),
    )
    client = login("head_education")
    body = client.get("/workflow/inbox/").content.decode()
    assert "/object_to_findings/" in body and case.number in body
    assert client.get(screen_url(case)).status_code == 200


def test_the_flow_dashboard_is_for_administrators_only(register, login):
    case = register()
    process = workflow.process_for(case)
    assert login("admin").get("/workflow/flows/accountability/").status_code == 200
    assert login("mayor").get("/workflow/flows/accountability/").status_code == 403
    assert login("head_education").get("/workflow/flows/accountability/").status_code == 403
    detail = f"/workflow/flows/accountability/{process.pk}/"
    assert login("admin").get(detail).status_code == 200
    assert login("mayor").get(detail).status_code == 403
    assert login("head_transport").get(detail).status_code == 403


def test_a_late_review_request_is_recorded_and_the_mayor_admits_it(register, act, login, people):
    case = act(
        _deliberated(register, act), "decide", "mayor", on=D(2026, 1, 9), modes=["3"], reason="理由"
    )
    case = act(
        case, "serve", "secretariat", on=D(2026, 1, 12), received_on=D(2026, 1, 12), method="post"
    )
    task = workflow.open_task(case)
    assert task.owner == people["head_education"]
    official = login("head_education")
    page = official.get(screen_url(case) + "?action=request_review").content.decode()
    assert 'name="grounds"' in page and 'name="late_ok"' not in page
    response = official.post(
        screen_url(case),
        {"action": "request_review", "grounds": "不服决定", "on": "2026-02-10"},
    )
    assert "申请已登记为逾期，由市长决定是否受理。" in response.content.decode()
    case.refresh_from_db()
    assert case.state == State.SERVED and case.review_requests.get().late

    mayor = login("mayor")
    page = mayor.get(screen_url(case) + "?action=request_review").content.decode()
    assert 'name="late_ok"' in page
    response = mayor.post(
        screen_url(case),
        {"action": "request_review", "grounds": "不服决定", "late_ok": "on", "on": "2026-02-11"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.state == State.REVIEW_REQUESTED
    assert case.review_requests.get().late_accepted_by == people["mayor"]
    task.refresh_from_db()
    assert task.owner == people["mayor"] and task.data["held_by"] == people["head_education"].pk
    assert workflow.open_task(case).flow_task.name == "decide_review_request"
