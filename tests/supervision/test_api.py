"""The supervision of assigned matters in the HTTP API: /api/v1/supervision-matters — who
sees what (404 to others), available_transitions, each refusal answered 4xx and changing
nothing."""

import datetime

import pytest

from casework.supervision.models import State, SupervisionMatter

D = datetime.date

pytestmark = pytest.mark.django_db

URL = "/api/v1/supervision-matters"

BODY = {
    "title": "推进公交线网优化",
    "source": "work_report",
    "source_reference": "2026年政府工作报告",
    "instruction": "年内完成公交线网优化调整。",
    "lead_unit": "transport",
    "co_units": ["education"],
    "due": "2026-11-20",
    "requirements": "办结后书面反馈。",
    "proposal": "建议立项督办。",
}


def post(client, url, body=None, **headers):
    return client.post(url, body or {}, format="json", **headers)


def test_the_office_registers_and_the_head_approves(login_api, today):
    office, head = login_api("supervision_office"), login_api("supervision_office_head")
    created = post(office, URL, BODY)
    assert created.status_code == 201, created.json()
    matter = created.json()
    assert matter["state"] == "proposed" and matter["available_transitions"] == []
    assert matter["co_units"] == ["education"]
    seen = head.get(f"{URL}/{matter['id']}").json()
    assert seen["available_transitions"] == ["approve", "decline"]
    approved = post(head, f"{URL}/{matter['id']}/transitions/approve", {"opinion": "同意"})
    assert approved.status_code == 200, approved.json()
    body = approved.json()
    assert body["state"] == "assigned"
    assert body["card"].startswith("南府督交")
    assert [d["type"] for d in body["documents"]] == ["supervision_card"]
    assert body["documents"][0]["pdf_url"].startswith("/api/v1/documents/")
    [deadline] = body["deadlines"]
    assert deadline["kind"] == "supervision_feedback" and deadline["due"] == "2026-11-20"
    assert deadline["level"] == "normal"
    history = head.get(f"{URL}/{matter['id']}/history").json()
    assert [h["action"] for h in history] == ["register", "approve"]


def test_a_matter_is_404_to_those_who_may_not_see_it(login_api, propose):
    matter = propose()
    # Before approval the lead unit does not know it exists.
    assert login_api("head_education").get(f"{URL}/{matter.pk}").status_code == 404
    assert login_api("complaints").get(f"{URL}/{matter.pk}").status_code == 404
    refused = post(login_api("head_education"), f"{URL}/{matter.pk}/transitions/approve")
    assert refused.status_code == 404
    assert login_api("mayor").get(f"{URL}/{matter.pk}").status_code == 200
    listed = login_api("head_shunqing").get(URL)
    assert listed.status_code == 200 and listed.json()["results"] == []
    assert login_api("complaints").get(URL).status_code == 403


def test_only_the_office_registers(login_api, today):
    refused = post(login_api("head_education"), URL, BODY)
    assert refused.status_code == 403
    refused = post(login_api("supervision_office"), URL, {**BODY, "lead_unit": "nowhere"})
    assert refused.status_code == 400 and "lead_unit" in refused.json()["fields"]
    refused = post(login_api("supervision_office"), URL, {**BODY, "due": "2026-11-01"})
    assert refused.status_code == 400 and "due" in refused.json()["fields"]
    assert not SupervisionMatter.objects.exists()


def test_refusals_change_nothing(login_api, assigned, act, today):
    matter = assigned(co_units=["transport"])
    version = matter.version
    head = login_api("head_education")
    # Wrong person.
    assert (
        post(
            login_api("head_tax"),
            f"{URL}/{matter.pk}/transitions/draft_feedback",
            {"feedback": "x"},
        ).status_code
        == 404
    )
    assert (
        post(
            login_api("head_transport"),
            f"{URL}/{matter.pk}/transitions/draft_feedback",
            {"feedback": "x"},
        ).status_code
        == 403
    )
    # Wrong state.
    assert post(head, f"{URL}/{matter.pk}/transitions/sign_off").status_code == 409
    # Malformed.
    assert (
        post(head, f"{URL}/{matter.pk}/transitions/draft_feedback", {"feedback": 3}).status_code
        == 400
    )
    # Stale.
    stale = post(
        head,
        f"{URL}/{matter.pk}/transitions/draft_feedback",
        {"feedback": "x"},
        HTTP_IF_MATCH=str(version - 1),
    )
    assert stale.status_code == 409
    matter.refresh_from_db()
    assert matter.version == version and matter.state == State.ASSIGNED and matter.feedback == ""


def test_feedback_with_a_countersign_through_the_api(login_api, assigned, today):
    matter = assigned(co_units=["transport"])
    today(D(2026, 11, 23))
    staff = login_api("staff_education")
    drafted = post(staff, f"{URL}/{matter.pk}/transitions/draft_feedback", {"feedback": "已办结"})
    assert drafted.status_code == 200
    head = login_api("head_education")
    assert head.get(f"{URL}/{matter.pk}").json()["available_transitions"] == ["return_draft"]
    early = post(head, f"{URL}/{matter.pk}/transitions/sign_off", {"late_reason": "雨季施工"})
    assert early.status_code == 422 and "交通运输局" in early.json()["detail"]
    transport = login_api("head_transport")
    assert transport.get(f"{URL}/{matter.pk}").json()["available_transitions"] == ["countersign"]
    signed = post(transport, f"{URL}/{matter.pk}/transitions/countersign", {"opinion": "同意"})
    assert signed.status_code == 200 and signed.json()["awaiting_countersign"] == []
    # The due date (Friday 2026-11-20) has passed: the reason must be stated.
    late = post(head, f"{URL}/{matter.pk}/transitions/sign_off")
    assert late.status_code == 422 and "late_reason" in late.json()["fields"]
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_DRAFTED
    done = post(head, f"{URL}/{matter.pk}/transitions/sign_off", {"late_reason": "雨季施工"})
    assert done.status_code == 200
    body = done.json()
    assert body["state"] == "feedback_submitted" and body["late"] is True
    assert body["deadlines"][0]["level"] == "done"
