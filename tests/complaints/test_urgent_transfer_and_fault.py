"""Xinxiang complaint measures, as the office and the organ drive a complaint through the API:
the urgent matter that calls for someone on site at once (Xinxiang complaints art. 5, 立即),
the organ's report within the 15 working days that include the transfer
(Xinxiang complaints art. 5, 6), and the head of the department complained about as the
one a fault-liability outcome holds to account (Xinxiang complaints art. 7 (二))."""

import datetime

import pytest

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint
from casework.deadlines import services as deadline_services
from casework.deadlines.models import AdmonitionLetter, Deadline, Extension, Kind, Level
from casework.org.models import Official

pytestmark = pytest.mark.django_db

D = datetime.date
RECEIVED = D(2026, 11, 2)  # a Monday; the handling period ends on Monday 2026-11-23
HANDLING_DUE = "2026-11-23"


def register(login_api, department="education", on=RECEIVED):
    response = login_api("complaints").post(
        "/api/v1/complaints",
        {
            "category": "attitude",
            "respondent_department": department,
            "content": "来信反映：校车严重超载，今天下午仍在运营，家长多次反映无果。",
            "real_name": False,
            "channel": "letter",
            "on": on.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content
    return response.json()["id"]


def step(login_api, pk, name, body=None, username="complaints"):
    return login_api(username).post(
        f"/api/v1/complaints/{pk}/transitions/{name}", body or {}, format="json"
    )


def ok(response):
    assert response.status_code == 200, response.content.decode()
    return response.json()


def refused(response, status, field=None):
    assert response.status_code == status, response.content.decode()
    body = response.json()
    if field is not None:
        assert field in body["fields"], body
        return body["fields"][field][0]
    return body["detail"]


def deadline_of(body, kind):
    found = [d for d in body["deadlines"] if d["kind"] == kind]
    assert len(found) == 1, body["deadlines"]
    return found[0]


# --- Xinxiang complaints art. 5: urgent matters, someone on site at once ---------------------


def test_marking_urgent_opens_an_onsite_deadline_due_the_same_day_with_its_warning(login_api):
    """Xinxiang complaints art. 5 (立即): `mark_urgent` opens a deadline due that day."""
    pk = register(login_api)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    body = ok(step(login_api, pk, "mark_urgent", {"reason": "正在发生", "on": "2026-11-03"}))

    onsite = deadline_of(body, "onsite_response")
    assert onsite["due"] == "2026-11-03" and onsite["due_as_set"] is None
    assert onsite["responsible_unit"] == "complaints"
    deadline = Deadline.objects.get(complaint_id=pk, kind=Kind.ONSITE_RESPONSE)
    # Xinxiang warning art. 5: pre-warning the day it is marked, yellow the next day, red
    # once more than two working days have passed undone.
    assert deadline.level_as_of(D(2026, 11, 3)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 11, 4)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 11, 6)) == Level.RED
    deadline_services.scan(D(2026, 11, 4))
    letter = AdmonitionLetter.objects.get(deadline=deadline)
    assert letter.unit.code == "complaints"


def test_the_onsite_response_records_who_went_and_when_and_meets_the_deadline(login_api):
    """Xinxiang complaints art. 5: `record_onsite_response` says who went, when, what."""
    pk = register(login_api)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    ok(step(login_api, pk, "mark_urgent", {"reason": "正在发生", "on": "2026-11-03"}))
    missing = step(login_api, pk, "record_onsite_response", {"text": "已到场", "on": "2026-11-03"})
    assert refused(missing, 400, "responders")
    body = ok(
        step(
            login_api,
            pk,
            "record_onsite_response",
            {
                "responders": "投诉中心 吴晓燕；责成交通运输局执法大队派员",
                "arrived_at": "15:40",
                "text": "已会同交通运输局到场，责令停运整改。",
                "on": "2026-11-03",
            },
        )
    )
    assert deadline_of(body, "onsite_response")["done_at"] is not None
    complaint = Complaint.objects.get(pk=pk)
    assert complaint.onsite_responders == "投诉中心 吴晓燕；责成交通运输局执法大队派员"
    assert complaint.onsite_arrived_at == datetime.time(15, 40)
    assert complaint.onsite_responded_on == D(2026, 11, 3)


def test_an_urgent_complaint_is_not_closed_before_the_onsite_response(login_api):
    pk = register(login_api)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    ok(step(login_api, pk, "mark_urgent", {"reason": "正在发生", "on": "2026-11-02"}))
    ok(step(login_api, pk, "verify", {"on": "2026-11-03"}))
    unfounded = {"outcome": "unfounded", "text": "经核实", "on": "2026-11-04"}
    ok(step(login_api, pk, "decide", unfounded))
    assert "现场处置" in refused(step(login_api, pk, "close", {"on": "2026-11-04"}), 422)
    assert Complaint.objects.get(pk=pk).state == "decided"
    ok(
        step(
            login_api,
            pk,
            "record_onsite_response",
            {"responders": "投诉中心 吴晓燕", "text": "已到场", "on": "2026-11-04"},
        )
    )
    assert ok(step(login_api, pk, "close", {"on": "2026-11-04"}))["state"] == "closed"


def test_a_complaint_is_marked_urgent_once_and_only_an_urgent_one_gets_a_response(login_api):
    pk = register(login_api)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    response = step(login_api, pk, "record_onsite_response", {"responders": "某", "text": "到场"})
    assert refused(response, 422) == "只有紧急投诉需要登记现场处置。"
    ok(step(login_api, pk, "mark_urgent", {"reason": "正在发生", "on": "2026-11-02"}))
    assert "已于2026-11-02标记紧急" in refused(
        step(login_api, pk, "mark_urgent", {"reason": "又一次", "on": "2026-11-03"}), 422
    )
    assert Deadline.objects.filter(complaint_id=pk, kind=Kind.ONSITE_RESPONSE).count() == 1
    # The organ sees no such step, and may not take it.
    assert step(login_api, pk, "mark_urgent", {"reason": "x"}, "staff_education").status_code in {
        403,
        404,
    }


def test_an_urgent_complaint_marked_on_a_rest_day_falls_due_the_next_working_day(login_api):
    pk = register(login_api, on=D(2026, 11, 6))  # a Friday
    ok(step(login_api, pk, "accept", {"on": "2026-11-06"}))
    body = ok(step(login_api, pk, "mark_urgent", {"reason": "周末发生", "on": "2026-11-07"}))
    onsite = deadline_of(body, "onsite_response")
    assert (onsite["due"], onsite["due_as_set"]) == ("2026-11-09", "2026-11-07")
    assert onsite["due_note"] == "2026-11-07 为休息日，顺延至 2026-11-09"


# --- Xinxiang complaints art. 5, 6: the organ reports within the handling period -------------


def accepted(login_api):
    pk = register(login_api)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    return pk


def test_a_reporting_date_after_the_handling_period_is_400_naming_due(login_api):
    """Xinxiang complaints art. 5, 6: `transfer` within the 15 working days."""
    pk = accepted(login_api)
    response = step(
        login_api, pk, "transfer", {"organ": "education", "due": "2026-11-24", "on": "2026-11-03"}
    )
    assert HANDLING_DUE in refused(response, 400, "due")
    complaint = Complaint.objects.get(pk=pk)
    assert complaint.state == "accepted" and complaint.transferred_to is None
    assert not Deadline.objects.filter(complaint_id=pk, kind=Kind.ORGAN_REPORT).exists()


def test_the_last_day_of_the_handling_period_is_a_valid_reporting_date(login_api):
    pk = accepted(login_api)
    body = ok(
        step(
            login_api,
            pk,
            "transfer",
            {"organ": "education", "due": HANDLING_DUE, "on": "2026-11-03"},
        )
    )
    assert deadline_of(body, "organ_report")["due"] == HANDLING_DUE


def test_without_a_date_the_organ_reports_by_the_end_of_the_handling_period(login_api):
    pk = accepted(login_api)
    body = ok(step(login_api, pk, "transfer", {"organ": "education", "on": "2026-11-03"}))
    assert deadline_of(body, "organ_report")["due"] == HANDLING_DUE


def test_granting_the_organ_more_time_extends_the_handling_period_with_it(login_api):
    """Xinxiang complaints art. 5, 6: `request_extension` and `approve_extension` keep the
    organ's report within the handling period: the head extends both at once."""
    pk = accepted(login_api)
    transfer = {"organ": "education", "due": "2026-11-16", "on": "2026-11-03"}
    ok(step(login_api, pk, "transfer", transfer))
    ok(
        step(
            login_api,
            pk,
            "request_extension",
            {"reason": "需现场核查", "new_due": "2026-11-30", "on": "2026-11-10"},
            "staff_education",
        )
    )
    body = ok(
        step(
            login_api,
            pk,
            "approve_extension",
            {"approve": True, "reason": "同意", "on": "2026-11-11"},
            "complaints_head",
        )
    )
    organ, handling = deadline_of(body, "organ_report"), deadline_of(body, "complaint_handling")
    assert organ["due"] == handling["due"] == "2026-11-30"
    assert handling["original_due"] == HANDLING_DUE
    history = Deadline.objects.get(complaint_id=pk, kind=Kind.COMPLAINT_HANDLING).history
    assert "一并延长至 2026-11-30" in history.latest().history_change_reason


def test_the_organ_may_not_take_the_handling_period_beyond_its_cap(login_api):
    """Xinxiang complaints art. 5, 6: beyond the handling period's cap, `request_extension`
    is refused (422 naming `new_due`)."""
    pk = accepted(login_api)
    transfer = {"organ": "education", "due": "2026-11-16", "on": "2026-11-03"}
    ok(step(login_api, pk, "transfer", transfer))
    beyond = step(
        login_api,
        pk,
        "request_extension",
        {"reason": "需现场核查", "new_due": "2026-12-15", "on": "2026-11-10"},
        "staff_education",
    )
    assert HANDLING_DUE in refused(beyond, 422, "new_due")
    assert not Extension.objects.exists()


# --- Xinxiang complaints art. 7 (二): the head of the department complained about -------------


def verifying(login_api, department="education"):
    pk = register(login_api, department=department)
    ok(step(login_api, pk, "accept", {"on": "2026-11-02"}))
    ok(step(login_api, pk, "verify", {"on": "2026-11-03"}))
    return pk


def decide(login_api, pk, official, outcome="fault_liability"):
    body = {"outcome": outcome, "text": "推诿属实，追究过错责任", "on": "2026-11-04"}
    if official is not None:
        body["official"] = Official.objects.get(user__username=official).pk
    return step(login_api, pk, "decide", body)


@pytest.mark.parametrize("other", ["head_transport", "staff_education"])
def test_fault_liability_against_anyone_but_the_respondents_head_is_400(login_api, other):
    """Xinxiang complaints art. 7 (二): `decide` names the respondent's head or is 400."""
    pk = verifying(login_api)
    message = refused(decide(login_api, pk, other), 400, "official")
    assert "教育局" in message and "刘建华" in message
    complaint = Complaint.objects.get(pk=pk)
    assert complaint.state == "verifying" and complaint.accountability_case is None
    assert not AccountabilityCase.objects.exists()


def test_fault_liability_opens_a_case_against_the_head_of_the_department_complained_about(
    login_api,
):
    """Xinxiang complaints art. 7 (二): `decide` opens the case against that head."""
    pk = verifying(login_api)
    body = ok(decide(login_api, pk, "head_education"))
    case = AccountabilityCase.objects.get(pk=body["accountability_case"])
    assert case.official.user.username == "head_education"
    assert case.department.code == "education" and case.source.code == "supervision"
    assert case.number.startswith("南府问案〔2026〕")


def test_an_outcome_that_opens_no_case_names_no_official(login_api):
    pk = verifying(login_api)
    response = decide(login_api, pk, "head_education", "unfounded")
    assert "不启动问责" in refused(response, 400, "official")
    assert Complaint.objects.get(pk=pk).state == "verifying"


def test_a_respondent_without_a_head_in_office_cannot_open_a_case(login_api):
    Official.objects.filter(department__code="education", is_head=True).update(active=False)
    pk = verifying(login_api)
    assert "没有在任的行政首长" in refused(decide(login_api, pk, "head_education"), 400, "official")
