"""The evaluation in the HTTP API, per role, and the complainant's rating on the public side:
once, only after the result is published (Xinxiang performance art. 8 (九), art. 10 (三))."""

import datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from casework.evaluation.models import Rating

D = datetime.date


@pytest.fixture
def as_user(people):
    def _as(username):
        client = APIClient()
        token, _created = Token.objects.get_or_create(user=people[username])
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _as


def test_the_bureau_computes_reviews_and_the_leader_publishes_through_the_api(
    november, as_user, today
):
    bureau, leader = as_user("investigator"), as_user("supervision_leader")
    created = bureau.post("/api/v1/evaluation/months", {"month": "2026-11"}, format="json")
    assert created.status_code == 201, created.json()
    assert created.json()["available_transitions"] == ["recompute", "review"]
    education = next(d for d in created.json()["departments"] if d["department"] == "education")
    assert education["total"] == "37.00"
    assert as_user("head_education").get("/api/v1/evaluation/months/2026-11").status_code == 404
    refused = leader.post(
        "/api/v1/evaluation/months/2026-11/transitions/publish", {}, format="json"
    )
    assert refused.status_code == 409
    assert (
        bureau.post(
            "/api/v1/evaluation/months/2026-11/transitions/review", {}, format="json"
        ).status_code
        == 200
    )
    published = leader.post(
        "/api/v1/evaluation/months/2026-11/transitions/publish", {}, format="json"
    )
    assert published.status_code == 200
    assert published.json()["bulletin"] == "监绩通〔2026〕1号"
    again = bureau.post("/api/v1/evaluation/months", {"month": "2026-11"}, format="json")
    assert again.status_code == 200 and again.json()["run"] == 1


def test_a_head_sees_only_their_department_and_the_records_behind_a_deduction(published, as_user):
    head = as_user("head_education")
    month = head.get("/api/v1/evaluation/months/2026-11").json()
    assert [d["department"] for d in month["departments"]] == ["education"]
    assert month["available_transitions"] == ["lodge_objection"]
    yellow = next(line for line in month["departments"][0]["lines"] if line["item"] == "黄牌警告")
    detail = head.get(f"/api/v1/evaluation/lines/{yellow['id']}").json()
    assert [e["source"] for e in detail["evidence"]] == ["warning", "warning"]
    other = published.current_lines().get(department__code="transport", item__code="red_card")
    assert head.get(f"/api/v1/evaluation/lines/{other.pk}").status_code == 404
    assert (
        as_user("head_transport").get(f"/api/v1/evaluation/lines/{yellow['id']}").status_code == 404
    )
    mayor = as_user("mayor").get("/api/v1/evaluation/months/2026-11").json()
    assert len(mayor["departments"]) > 1
    assert as_user("complaints").get("/api/v1/evaluation/months").status_code == 403


def test_objection_through_the_api_and_a_wrong_line_is_400(published, as_user):
    head = as_user("head_education")
    url = "/api/v1/evaluation/months/2026-11/transitions/lodge_objection"
    bad = head.post(url, {"line": 999999, "reason": "x"}, format="json")
    assert bad.status_code == 400 and "line" in bad.json()["fields"]
    line = published.current_lines().get(department__code="education", item__code="red_card")
    ok = head.post(url, {"line": line.pk, "reason": "红牌有误"}, format="json")
    assert ok.status_code == 200
    marked = next(row for row in ok.json()["departments"][0]["lines"] if row["id"] == line.pk)
    assert marked["under_objection"] is True


def test_the_scheme_is_edited_by_the_bureau_only_with_a_reason(as_user, demo_people):
    url = "/api/v1/evaluation/scheme/red_card"
    assert (
        as_user("head_education")
        .patch(url, {"points": "6", "reason": "x"}, format="json")
        .status_code
        == 403
    )
    assert as_user("investigator").patch(url, {"points": "6"}, format="json").status_code == 400
    edited = as_user("investigator").patch(
        url, {"points": "6", "reason": "加大红牌扣分"}, format="json"
    )
    assert edited.status_code == 200 and edited.json()["points"] == "6.00"


def test_trends_per_department_and_month(published, as_user):
    data = as_user("investigator").get("/api/v1/evaluation/trends").json()
    assert data["months"] == ["2026-11"]
    education = next(s for s in data["series"] if s["department"] == "education")
    assert education["totals"] == ["37.00"]
    own = as_user("head_education").get("/api/v1/evaluation/trends").json()
    assert [s["department"] for s in own["series"]] == ["education"]


def test_a_complainant_rates_once_and_only_after_the_result(november, people, today):
    client = APIClient()
    from casework.complaints import services as complaints

    pending = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿，态度恶劣。",
            "real_name": False,
        }
    )
    url = f"/api/v1/public/complaints/{pending.tracking_code}/rating"
    assert client.post(url, {"rating": "satisfied"}, format="json").status_code == 422
    repeat = november["repeat"]
    decided = november["upheld"]
    already = client.post(
        f"/api/v1/public/complaints/{decided.tracking_code}/rating",
        {"rating": "dissatisfied"},
        format="json",
    )
    assert already.status_code == 409
    assert Rating.objects.get(complaint=decided).value == "satisfied"
    wrong = client.post(
        f"/api/v1/public/complaints/{repeat.tracking_code}/rating", {"rating": "好"}, format="json"
    )
    assert wrong.status_code in (400, 422)
    missing = client.post(
        "/api/v1/public/complaints/AAAA-BBBB-CCCC-DDDD/rating",
        {"rating": "satisfied"},
        format="json",
    )
    assert missing.status_code == 404


def test_a_rating_counts_for_the_organ_that_handled_and_in_the_month_given(november, people, today):
    from casework.complaints import services as complaints
    from casework.evaluation import services

    today(D(2026, 11, 24))
    complaint = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "transport",
            "content": "交通运输局窗口办理道路运输证拖延，多次往返未果。",
            "real_name": False,
        }
    )
    office = people["complaints"]
    complaints.transition(complaint, "accept", office)
    complaints.transition(complaint, "verify", office)
    complaints.transition(
        complaint, "decide", office, {"outcome": "unfounded", "text": "经核实不属实。"}
    )
    response = APIClient().post(
        f"/api/v1/public/complaints/{complaint.tracking_code}/rating",
        {"rating": "fairly_satisfied"},
        format="json",
    )
    assert response.status_code == 201
    assert response.json() == {"rating": "fairly_satisfied", "rating_name": "基本满意"}
    today(D(2026, 12, 1))
    evaluation, _ = services.evaluate_month(D(2026, 11, 1), people["investigator"])
    line = evaluation.current_lines().get(department__code="transport", item__code="satisfaction")
    assert (line.events, str(line.amount)) == (1, "20.00")
