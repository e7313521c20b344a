"""The pages of the supervision of assigned matters: the list, the office's proposal (also
from an agreed matter of the executive meeting), the matter with its history, the step
screen with a refusal beside the form, and the archived file as one PDF."""

import datetime

import pytest

from casework.meetings.models import AgreedMatter, Meeting, MeetingState
from casework.supervision.models import Source, State, SupervisionMatter

D = datetime.date

pytestmark = pytest.mark.django_db


def login(client, people, username):
    client.force_login(people[username])
    return client


@pytest.fixture
def agreed(people):
    meeting = Meeting.objects.create(
        number="2026-30",
        year=2026,
        seq=30,
        date=D(2026, 10, 29),
        place="市政府常务会议室",
        created_by=people["secretariat"],
        state=MeetingState.HELD,
        held_on=D(2026, 10, 29),
    )
    return AgreedMatter.objects.create(
        meeting=meeting,
        seq=1,
        text="由交通运输局牵头完成城区公交站台改造。",
        recorded_on=D(2026, 10, 29),
    )


def test_the_list_is_for_the_people_of_the_procedure(client, people, assigned):
    matter = assigned()
    page = login(client, people, "supervision_office").get("/supervision/")
    assert page.status_code == 200 and matter.title in page.content.decode()
    assert 'data-testid="register"' in page.content.decode()
    page = login(client, people, "head_tax").get("/supervision/")
    assert page.status_code == 200 and matter.title in page.content.decode()
    assert 'data-testid="register"' not in page.content.decode()
    assert login(client, people, "complaints").get("/supervision/").status_code == 403


def test_the_office_registers_through_the_form(client, people, today):
    login(client, people, "supervision_office")
    response = client.post(
        "/supervision/register/",
        {
            "title": "推进老旧小区改造",
            "source": "work_report",
            "instruction": "年内完成30个老旧小区改造。",
            "lead_unit": "transport",
            "co_units": ["education", "tax"],
            "due": "2026-12-18",
            "requirements": "按季度报送进展。",
            "proposal": "建议立项。",
        },
    )
    matter = SupervisionMatter.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/supervision/{matter.pk}/"
    assert sorted(u.code for u in matter.co_units.all()) == ["education", "tax"]
    # A refusal is shown beside the form and registers nothing.
    response = client.post("/supervision/register/", {"title": "x", "source": "work_report"})
    assert response.status_code == 200 and SupervisionMatter.objects.count() == 1
    assert login(client, people, "head_education").get("/supervision/register/").status_code == 403


def test_the_meeting_offers_its_agreed_matters_for_supervision(client, people, agreed, today):
    login(client, people, "supervision_office")
    page = client.get(f"/meetings/{agreed.meeting_id}/").content.decode()
    assert f'href="/supervision/register/?agreed_matter={agreed.pk}"' in page
    form = client.get(f"/supervision/register/?agreed_matter={agreed.pk}").content.decode()
    assert agreed.text in form and 'name="agreed_matter"' in form
    response = client.post(
        f"/supervision/register/?agreed_matter={agreed.pk}",
        {
            "title": "城区公交站台改造",
            "source": "meeting_decision",
            "agreed_matter": agreed.pk,
            "lead_unit": "transport",
            "due": "2026-12-18",
            "requirements": "办结后反馈。",
            "proposal": "会议议定事项，建议立项。",
        },
    )
    assert response.status_code == 302
    matter = SupervisionMatter.objects.get()
    assert matter.source == Source.MEETING_DECISION and matter.agreed_matter == agreed
    assert matter.instruction == agreed.text
    page = client.get(f"/meetings/{agreed.meeting_id}/").content.decode()
    assert f'href="/supervision/{matter.pk}/"' in page
    assert "?agreed_matter=" not in page
    # The secretariat sees the meeting but is offered nothing.
    page = login(client, people, "secretariat").get(f"/meetings/{agreed.meeting_id}/")
    assert "/supervision/register/" not in page.content.decode()


def test_a_matter_page_is_404_to_those_who_may_not_see_it(client, people, propose):
    matter = propose()
    assert (
        login(client, people, "head_education").get(f"/supervision/{matter.pk}/").status_code == 404
    )
    assert (
        login(client, people, "head_education").get(f"/supervision/{matter.pk}/act/").status_code
        == 404
    )
    page = login(client, people, "supervision_office_head").get(f"/supervision/{matter.pk}/")
    assert page.status_code == 200
    assert 'data-action="approve"' in page.content.decode()
    assert 'data-action="register"' in page.content.decode()  # the history row


def test_the_step_screen_takes_a_step_and_shows_a_refusal(client, people, drafted, today):
    matter = drafted(co_units=["transport"])
    login(client, people, "head_education")
    screen = client.get(f"/supervision/{matter.pk}/act/?action=sign_off").content.decode()
    assert 'data-action="sign_off"' not in screen  # not offered: a co-unit has not signed
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=sign_off", {"action": "sign_off", "confirm": "on"}
    )
    # Attempted, refused by the rule with its words beside the form.
    assert response.status_code == 200
    assert "协办单位尚未全部会签" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_DRAFTED
    login(client, people, "head_transport")
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=countersign",
        {"action": "countersign", "opinion": "同意", "on": "2026-11-16"},
    )
    assert response.status_code == 302
    today(D(2026, 11, 23))
    login(client, people, "head_education")
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=sign_off",
        {"action": "sign_off", "confirm": "on"},
    )
    assert response.status_code == 200
    assert "逾期反馈须说明未按时办结的原因" in response.content.decode()
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_DRAFTED
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=sign_off",
        {"action": "sign_off", "confirm": "on", "late_reason": "等待资金到位"},
    )
    assert response.status_code == 302
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_SUBMITTED and matter.late


def test_the_archived_file_is_one_pdf(client, people, drafted, act):
    matter = drafted(co_units=[])
    matter = act(matter, "urge", "supervision_office", method="phone", findings="正在办理")
    matter = act(matter, "sign_off", "head_education")
    login(client, people, "supervision_office")
    assert client.get(f"/supervision/{matter.pk}/file.pdf").status_code == 404  # not archived
    matter = act(matter, "archive", "supervision_office", report="已按期办结。")
    response = client.get(f"/supervision/{matter.pk}/file.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    from casework.supervision.archive import file_html

    html = file_html(matter)
    for part in ("instruction", "card", "urgings", "feedback", "report"):
        assert f'data-part="{part}"' in html
    assert matter.card.number in html and "已按期办结。" in html and "校舍改造已完成。" in html
    assert (
        login(client, people, "head_shunqing").get(f"/supervision/{matter.pk}/file.pdf").status_code
        == 404
    )


def test_the_overdue_feedback_is_a_card_on_the_warning_board(client, people, assigned, monkeypatch):
    from django.utils import timezone

    matter = assigned()
    # Friday 2026-11-20 due; Wednesday 11-25 is the third working day after: red.
    monkeypatch.setattr(timezone, "localdate", lambda *args: D(2026, 11, 25))
    page = login(client, people, "supervision_office").get(
        "/deadlines/board/?procedure=supervision"
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-deadline="{matter.deadline_id}" data-level="red"' in html
    assert f'href="/supervision/{matter.pk}/"' in html and "督查督办" in html


def test_the_head_previews_the_card_before_approving(client, people, propose):
    matter = propose()
    login(client, people, "supervision_office_head")
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=approve", {"action": "approve", "preview": "1"}
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "督查督办交办卡片" in html and "完成中小学校舍安全改造" in html
    matter.refresh_from_db()
    assert matter.state == State.PROPOSED and matter.card is None
