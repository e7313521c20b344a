"""What a transition through the HTTP API costs in SQL queries: a small constant, whatever the
step, the procedure or the object's past (its history, documents and deadlines). Each
procedure's paths are walked as the real roles; every step is counted."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.complaints import services as complaints
from casework.org.models import Official

pytestmark = pytest.mark.django_db

D = datetime.date
CASES = "/api/v1/accountability-cases"
COMPLAINTS = "/api/v1/complaints"

# The most queries one transition may cost through the API, the response included (an
# accountability step issues documents and opens deadlines; a complaint's is lighter, but its
# transfer and its feedback issue a numbered letter too — the first of the year creating the
# year's counter). The history rows of an act are sealed together (casework/audit/chain.py
# ``sealed_together``).
MOST = {"accountability": 85, "complaints": 80}


class Walk:
    """Takes steps through the API and keeps what each one cost."""

    def __init__(self, login_api, base):
        self.login_api = login_api
        self.base = base
        self.clients = {}
        self.costs = []

    def step(self, pk, name, username, **body):
        body = {k: v.isoformat() if isinstance(v, D) else v for k, v in body.items()}
        client = self.clients.setdefault(username, self.login_api(username))
        with CaptureQueriesContext(connection) as captured:
            response = client.post(f"{self.base}/{pk}/transitions/{name}", body, format="json")
        assert response.status_code == 200, (name, response.content.decode())
        self.costs.append((name, len(captured)))
        return response.json()


MONDAY = D(2026, 3, 2)


def register_case(login_api, official="head_education", on=MONDAY):
    response = login_api("secretariat").post(
        CASES,
        {
            "official": Official.objects.get(user__username=official).pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": on.isoformat(),
        },
        format="json",
    )
    assert response.status_code == 201, response.content.decode()
    return response.json()["id"]


def report(walk):
    """The highest cost of each step name, for the assertion's message."""
    costs = {}
    for name, count in walk.costs:
        costs[name] = max(count, costs.get(name, 0))
    return costs


def test_every_step_of_an_accountability_case_costs_a_few_queries(login_api, demo_people):
    walk = Walk(login_api, CASES)
    pk = register_case(login_api)
    walk.step(pk, "start", "mayor", on=D(2026, 3, 2))
    # A report ordered and heard three times: the past grows, the cost does not.
    for day in (3, 4, 5):
        walk.step(pk, "order_report", "mayor", on=D(2026, 3, day))
        walk.step(pk, "report_heard", "mayor", on=D(2026, 3, day), notes="已汇报")
    walk.step(pk, "submit_to_meeting", "mayor", on=D(2026, 3, 5), reason="事实清楚")
    walk.step(pk, "schedule", "secretariat", on=D(2026, 3, 6), meeting_date=D(2026, 3, 9))
    walk.step(pk, "deliberate", "secretariat", on=D(2026, 3, 9), minutes="会议纪要")
    walk.step(pk, "decide", "mayor", on=D(2026, 3, 9), modes=["2", "3"], reason="情节较重")
    walk.step(
        pk,
        "serve",
        "investigator",
        on=D(2026, 3, 10),
        received_on=D(2026, 3, 10),
        method="in_person",
    )
    costs = report(walk)
    assert max(costs.values()) <= MOST["accountability"], costs
    # the second and third rounds cost the same (the first one creates the year's counter)
    orders = [count for name, count in walk.costs if name == "order_report"]
    assert orders[1] == orders[2], orders


def test_an_investigated_case_costs_a_few_queries_per_step(login_api, demo_people):
    walk = Walk(login_api, CASES)
    pk = register_case(login_api)
    walk.step(pk, "start", "mayor", on=D(2026, 3, 2))
    walk.step(pk, "assign_investigation", "mayor", on=D(2026, 3, 3), working_days=10)
    walk.step(
        pk,
        "notify_findings",
        "investigator",
        on=D(2026, 3, 10),
        findings="未按期完成校舍改造",
        served_on=D(2026, 3, 10),
    )
    walk.step(pk, "file_objection", "head_education", on=D(2026, 3, 11), text="事实有出入")
    walk.step(
        pk,
        "submit_report",
        "investigator",
        on=D(2026, 3, 12),
        report="调查报告",
        recommendation="not_accountable",
    )
    walk.step(pk, "decide_no_accountability", "mayor", on=D(2026, 3, 13), reason="情节轻微")
    costs = report(walk)
    assert max(costs.values()) <= MOST["accountability"], costs


def test_every_step_of_a_complaint_costs_a_few_queries(login_api, demo_people):
    walk = Walk(login_api, COMPLAINTS)
    complaint = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": True,
            "name": "王小明",
            "phone": "13800000000",
        }
    )
    pk = complaint.pk
    walk.step(pk, "accept", "complaints")
    walk.step(pk, "transfer", "complaints", organ="education")
    walk.step(pk, "organ_report", "staff_education", report="已整改")
    walk.step(pk, "verify", "complaints")
    walk.step(
        pk,
        "decide",
        "complaints",
        outcome="unfounded",
        text="已整改",
        published_result="已整改完毕",
    )
    walk.step(pk, "give_feedback", "complaints", text="已整改")
    walk.step(pk, "close", "complaints")
    costs = report(walk)
    assert max(costs.values()) <= MOST["complaints"], costs
