"""Xinxiang warning art. 8 → Nanchong art. 2, 5: a preliminary investigation concluded "open a
case" opens it against the head of the unit whose deadline was late — nobody else."""

import datetime

import pytest

from casework.accountability.models import AccountabilityCase
from casework.deadlines import services
from casework.deadlines.models import Kind, PreliminaryInvestigation
from casework.exceptions import InvalidInput
from casework.org.models import Department, Official, User

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def investigation(demo_people):
    """The education bureau's report was due 2026-01-26; red on 01-29; approved."""
    deadline = services.open_deadline(
        Kind.ORGAN_REPORT,
        start=D(2026, 1, 5),
        due=D(2026, 1, 26),
        description="报送办理结果",
        unit=Department.objects.get(code="education"),
    )
    services.scan(D(2026, 1, 29))
    proposed = PreliminaryInvestigation.objects.get(deadline=deadline)
    return services.decide_investigation(
        proposed, User.objects.get(username="supervision_leader"), approve=True, reason="同意"
    )


def head(username):
    return Official.objects.get(user__username=username)


def conclude(investigation, **kwargs):
    return services.conclude_investigation(
        investigation,
        User.objects.get(username="investigator"),
        open_case=True,
        conclusion="推诿拖延属实",
        **kwargs,
    )


@pytest.mark.parametrize("other", ["head_transport", "staff_education"])
def test_a_case_against_anyone_but_the_late_units_head_is_refused(investigation, other):
    with pytest.raises(InvalidInput) as refused:
        conclude(investigation, official=head(other))
    assert "教育局" in refused.value.fields["official"][0]
    investigation.refresh_from_db()
    assert investigation.status == PreliminaryInvestigation.Status.INVESTIGATING
    assert not AccountabilityCase.objects.exists()


def test_naming_the_late_units_head_or_nobody_opens_the_case_against_that_head(investigation):
    concluded = conclude(investigation, official=head("head_education"))
    assert concluded.accountability_case.official == head("head_education")


def test_the_api_refuses_another_official_with_400_naming_official(investigation, login_api):
    response = login_api("investigator").post(
        f"/api/v1/preliminary-investigations/{investigation.pk}/conclude",
        {"open_case": True, "conclusion": "属实", "official": head("head_transport").pk},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert "official" in response.json()["fields"]
    assert not AccountabilityCase.objects.exists()


def test_the_conclusion_page_offers_only_the_late_units_head(investigation, client):
    client.force_login(User.objects.get(username="investigator"))
    page = client.get(f"/deadlines/investigations/{investigation.pk}/conclude/")
    assert page.status_code == 200
    offered = list(page.context["form"].fields["official"].queryset)
    assert offered == [head("head_education")]
