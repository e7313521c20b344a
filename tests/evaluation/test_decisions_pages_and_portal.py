"""An accountability decision against a department's head counts against the department
(Xinxiang performance art. 8 (六)); the pages follow the rules; the portal's rating form."""

import datetime
from decimal import Decimal

from casework.accountability import services as accountability
from casework.evaluation import services
from casework.evaluation.models import Rating, ScoringItem, Source
from casework.org.models import Official

from .conftest import complaint_decided

D = datetime.date


def test_an_accountability_decision_is_a_deduction_traced_to_the_decision(people, today):
    on = D(2026, 11, 5)
    today(on)
    case = accountability.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_education").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成政府工作报告确定的任务",
            "on": on.isoformat(),
        },
    )

    def act(name, username, **body):
        return accountability.transition(
            case, name, people[username], {"on": on.isoformat(), **body}
        )

    act("start", "mayor")
    act("submit_to_meeting", "mayor", reason="事实清楚")
    act("schedule", "secretariat", meeting_date=on.isoformat())
    act("deliberate", "secretariat", minutes="纪要")
    act("decide", "mayor", modes=["3"], reason="情节较重")
    decision = case.decisions.get()
    today(D(2026, 12, 1))
    evaluation, _ = services.evaluate_month(D(2026, 11, 1), people["investigator"])
    line = evaluation.current_lines().get(department__code="education", item__code="accountability")
    assert (line.events, line.amount) == (1, Decimal("-10.00"))
    evidence = line.evidence.get()
    assert (evidence.source, evidence.source_id) == (Source.DECISION, decision.pk)
    assert case.number in evidence.label


def test_a_draft_is_the_bureaus_and_a_published_line_its_departments(
    computed, people, client, today
):
    client.force_login(people["head_education"])
    assert client.get("/evaluation/2026-11/").status_code == 404
    client.force_login(people["investigator"])
    page = client.get("/evaluation/2026-11/")
    assert page.status_code == 200 and "交通运输局" in page.content.decode()
    services.transition(computed, "review", people["investigator"])
    services.transition(computed, "publish", people["supervision_leader"])
    client.force_login(people["head_education"])
    page = client.get("/evaluation/2026-11/").content.decode()
    assert "教育局" in page and "交通运输局" not in page
    other = computed.current_lines().get(department__code="transport", item__code="red_card")
    assert client.get(f"/evaluation/lines/{other.pk}/").status_code == 404
    own = computed.current_lines().get(department__code="education", item__code="yellow_card")
    assert "到期11-12" in client.get(f"/evaluation/lines/{own.pk}/").content.decode()
    client.force_login(people["complaints"])
    assert client.get("/evaluation/").status_code == 403
    item = ScoringItem.objects.get(code="red_card")
    assert client.get(f"/evaluation/scheme/{item.pk}/").status_code == 403


def test_the_bureau_edits_the_scheme_on_its_page_with_a_reason(people, client, demo_people):
    item = ScoringItem.objects.get(code="red_card")
    client.force_login(people["investigator"])
    url = f"/evaluation/scheme/{item.pk}/"
    body = {"name": "红牌警告", "points": "6", "cap": "30", "weight": "1", "active": "on"}
    assert client.post(url, body).status_code == 200  # no reason: the form again
    assert client.post(url, {**body, "reason": "从严"}).status_code == 302
    item.refresh_from_db()
    assert item.points == Decimal("6.00")
    assert item.history.first().history_change_reason == "从严"


def test_the_portal_form_rates_once_after_the_result(november, people, today, client):
    fresh = complaint_decided(
        people, today, "unfounded", received=D(2026, 11, 24), decided=D(2026, 11, 25)
    )
    assert services.can_rate(fresh)
    rated = client.post(
        "/evaluation/rate/", {"tracking_code": fresh.tracking_code, "rating": "fairly_satisfied"}
    )
    assert rated.status_code == 200 and "基本满意" in rated.content.decode()
    assert Rating.objects.get(complaint=fresh).department.code == "education"
    unfounded = november["unfounded"]
    repeat = november["repeat"]  # not decided yet
    early = client.post(
        "/evaluation/rate/", {"tracking_code": repeat.tracking_code, "rating": "satisfied"}
    )
    assert early.status_code == 422
    assert not services.can_rate(unfounded)  # rated in the fixture
    twice = client.post(
        "/evaluation/rate/", {"tracking_code": unfounded.tracking_code, "rating": "satisfied"}
    )
    assert twice.status_code == 409
    assert Rating.objects.get(complaint=unfounded).value == "dissatisfied"


def test_the_tracking_page_offers_the_rating_once_the_result_is_published(
    november, people, today, client
):
    """The complainant finds the rating on the tracking page itself (by POST, as the page
    tracks), only when the result is published and no rating was given."""
    fresh = complaint_decided(
        people, today, "unfounded", received=D(2026, 11, 24), decided=D(2026, 11, 25)
    )
    page = client.post("/complaints/track/", {"code": fresh.tracking_code}).content.decode()
    assert 'data-testid="rating-form"' in page
    assert 'action="/evaluation/rate/"' in page
    not_decided = client.post(
        "/complaints/track/", {"code": november["repeat"].tracking_code}
    ).content.decode()
    assert 'data-testid="status"' in not_decided
    assert 'data-testid="rating-form"' not in not_decided
    rated = client.post(
        "/complaints/track/", {"code": november["unfounded"].tracking_code}
    ).content.decode()
    assert 'data-testid="rating-form"' not in rated
