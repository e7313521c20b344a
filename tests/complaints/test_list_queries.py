"""The complaint list through the API costs the same number of queries for 2 complaints as
for 10, for each person who reads it: every complaint's available steps ask whether its
deadlines may be extended (Xinxiang complaints art. 5–6), and the extension rules and the
pending requests are read once for the page, not once per complaint."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casework.complaints import services as complaints
from casework.deadlines.models import Deadline, Kind
from casework.org.models import User
from casework.workcalendar.periods import add_working_days

pytestmark = pytest.mark.django_db


def transferred(people, n):
    made = []
    for _ in range(n):
        complaint = complaints.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
                "real_name": False,
            }
        )
        complaints.transition(complaint, "accept", people["complaints"], {})
        complaints.transition(complaint, "transfer", people["complaints"], {"organ": "education"})
        made.append(complaint)
    return made


def cost(client):
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/api/v1/complaints")
    assert response.status_code == 200
    return len(captured), response.json()


@pytest.mark.parametrize("username", ["complaints", "complaints_head", "staff_education"])
def test_the_list_costs_the_same_for_two_complaints_and_for_ten(login_api, demo_people, username):
    people = {user.username: user for user in User.objects.all()}
    made = transferred(people, 2)
    # One of them with a request waiting: the head's steps on it differ, the cost does not.
    organ_report = Deadline.objects.get(complaint=made[0], kind=Kind.ORGAN_REPORT)
    asked = login_api("staff_education").post(
        f"/api/v1/complaints/{made[0].pk}/transitions/request_extension",
        {"new_due": add_working_days(organ_report.due, 3).due.isoformat(), "reason": "需现场核查"},
        format="json",
    )
    assert asked.status_code == 200, asked.content.decode()
    client = login_api(username)
    few, _ = cost(client)
    transferred(people, 8)
    many, data = cost(client)
    assert many == few
    assert len(data["results"]) == 10
    steps = {row["id"]: row["available_transitions"] for row in data["results"]}
    if username == "complaints_head":
        assert "approve_extension" in steps[made[0].pk]
        assert "approve_extension" not in steps[made[1].pk]
