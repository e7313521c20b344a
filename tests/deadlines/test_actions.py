"""Extensions, rectification reports and preliminary investigations (Xinxiang warning art. 7–9;
Xinxiang complaints art. 5–6)."""

import datetime

import pytest

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Extension,
    Kind,
    Notification,
    PreliminaryInvestigation,
)
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.org.models import Department, Official, User

from .helpers import set_cap

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def investigation_deadline(people):
    return services.open_deadline(
        Kind.INVESTIGATION,
        start=D(2026, 1, 5),
        due=D(2026, 1, 26),
        description="完成调查核实",
        unit=Department.objects.get(code="supervision"),
    )


def test_the_responsible_person_asks_before_the_deadline_and_the_mayor_grants(
    people, investigation_deadline
):
    extension = services.ask_for_extension(
        investigation_deadline,
        people["investigator"],
        {"reason": "证人外出", "new_due": D(2026, 2, 3)},
        on=D(2026, 1, 20),
    )
    with pytest.raises(NotAllowed):
        services.decide_on_extension(
            extension, people["secretariat"], {"approve": True}, on=D(2026, 1, 21)
        )
    services.decide_on_extension(
        extension, people["mayor"], {"approve": True, "reason": "同意"}, on=D(2026, 1, 21)
    )
    investigation_deadline.refresh_from_db()
    assert investigation_deadline.due == D(2026, 2, 3)
    assert investigation_deadline.original_due == D(2026, 1, 26)
    assert Extension.objects.get().status == Extension.Status.APPROVED
    assert people["investigator"].notifications.filter(title__contains="已批准").exists()


def test_a_request_after_the_deadline_is_refused(people, investigation_deadline):
    with pytest.raises(RefusedByRule):
        services.ask_for_extension(
            investigation_deadline,
            people["investigator"],
            {"reason": "晚了", "new_due": D(2026, 2, 3)},
            on=D(2026, 1, 27),
        )


def test_a_request_on_the_due_day_is_in_time(people, investigation_deadline):
    services.ask_for_extension(
        investigation_deadline,
        people["investigator"],
        {"reason": "复杂", "new_due": D(2026, 2, 3)},
        on=D(2026, 1, 26),
    )


def test_a_request_without_reasons_or_by_someone_else_is_refused(people, investigation_deadline):
    with pytest.raises(InvalidInput):
        services.ask_for_extension(
            investigation_deadline,
            people["investigator"],
            {"reason": " ", "new_due": D(2026, 2, 3)},
            on=D(2026, 1, 20),
        )
    with pytest.raises(NotAllowed):
        services.ask_for_extension(
            investigation_deadline,
            people["head_transport"],
            {"reason": "x", "new_due": D(2026, 2, 3)},
            on=D(2026, 1, 20),
        )


def test_the_total_extension_is_capped_per_kind(people, investigation_deadline):
    set_cap(Kind.INVESTIGATION, 5)
    with pytest.raises(RefusedByRule):
        services.ask_for_extension(
            investigation_deadline,
            people["investigator"],
            {"reason": "复杂", "new_due": D(2026, 2, 3)},
            on=D(2026, 1, 20),
        )
    services.ask_for_extension(
        investigation_deadline,
        people["investigator"],
        {"reason": "复杂", "new_due": D(2026, 2, 2)},
        on=D(2026, 1, 20),
    )


def test_rights_cannot_be_extended(people):
    window = services.open_deadline(
        Kind.REVIEW_WINDOW,
        start=D(2026, 1, 5),
        days=10,
        description="申请复核",
        user=people["head_education"],
    )
    with pytest.raises(NotAllowed):
        services.ask_for_extension(
            window,
            people["head_education"],
            {"reason": "x", "new_due": D(2026, 2, 3)},
            on=D(2026, 1, 6),
        )


def test_the_unit_reports_its_rectification_after_a_letter(people, investigation_deadline):
    services.scan(D(2026, 1, 27))
    letter = AdmonitionLetter.objects.get()
    with pytest.raises(NotAllowed):
        services.report_rectification(
            letter, people["head_transport"], report="x", on=D(2026, 1, 28)
        )
    services.report_rectification(
        letter, people["investigator"], report="已补正调查", on=D(2026, 1, 28)
    )
    letter.refresh_from_db()
    assert letter.status == AdmonitionLetter.Status.REPORTED
    letter.report_deadline.refresh_from_db()
    assert not letter.report_deadline.is_open
    with pytest.raises(WrongState):
        services.report_rectification(
            letter, people["investigator"], report="再报", on=D(2026, 1, 29)
        )


def test_a_red_card_investigation_is_approved_by_the_leader_and_may_open_a_case(people):
    deadline = services.open_deadline(
        Kind.ORGAN_REPORT,
        start=D(2026, 1, 5),
        due=D(2026, 1, 26),
        description="报送办理结果",
        unit=Department.objects.get(code="education"),
    )
    services.scan(D(2026, 1, 29))
    investigation = PreliminaryInvestigation.objects.get(deadline=deadline)
    with pytest.raises(NotAllowed):
        services.decide_investigation(investigation, people["investigator"], approve=True)
    services.decide_investigation(
        investigation, people["supervision_leader"], approve=True, reason="同意"
    )
    head = Official.objects.get(user__username="head_education")
    investigation = services.conclude_investigation(
        investigation,
        people["investigator"],
        open_case=True,
        conclusion="推诿拖延属实",
        official=head,
    )
    assert investigation.status == PreliminaryInvestigation.Status.CASE_OPENED
    case = investigation.accountability_case
    assert case.official == head and case.source.code == "supervision"


def test_a_dismissed_investigation_cannot_be_concluded(people, investigation_deadline):
    services.scan(D(2026, 1, 29))
    investigation = PreliminaryInvestigation.objects.get()
    services.decide_investigation(
        investigation, people["supervision_leader"], approve=False, reason="已整改"
    )
    with pytest.raises(WrongState):
        services.conclude_investigation(
            investigation, people["investigator"], open_case=False, conclusion="x"
        )


def test_the_approvers_are_told_of_a_request_and_nobody_else(people, investigation_deadline):
    services.ask_for_extension(
        investigation_deadline,
        people["investigator"],
        {"reason": "证人外出", "new_due": D(2026, 2, 3)},
        on=D(2026, 1, 20),
    )
    told = {n.recipient.username for n in Notification.objects.filter(title__contains="待审批")}
    # The mayor decides an investigation's extension (and a vice-mayor while the delegation
    # of the demo data is in force); the requester, the secretariat and others are not told.
    assert "mayor" in told and told <= {"mayor", "vicemayor"}
    notice = people["mayor"].notifications.get(title__contains="待审批")
    assert "2026-02-03" in notice.title and notice.body == "证人外出"


def red_card_investigation(people, unit="education"):
    deadline = services.open_deadline(
        Kind.ORGAN_REPORT,
        start=D(2026, 1, 5),
        due=D(2026, 1, 26),
        description="报送办理结果",
        unit=Department.objects.get(code=unit),
    )
    services.scan(D(2026, 1, 29))
    investigation = PreliminaryInvestigation.objects.get(deadline=deadline)
    return services.decide_investigation(
        investigation, people["supervision_leader"], approve=True, reason="同意"
    )


def test_opening_a_case_without_naming_the_official_takes_the_units_head(people):
    investigation = services.conclude_investigation(
        red_card_investigation(people), people["investigator"], open_case=True, conclusion="属实"
    )
    assert investigation.accountability_case.official.user.username == "head_education"


def test_a_unit_without_a_head_needs_the_official_named_and_nothing_is_saved(people):
    Official.objects.filter(department__code="education", is_head=True).update(active=False)
    investigation = red_card_investigation(people)
    with pytest.raises(InvalidInput) as refused:
        services.conclude_investigation(
            investigation, people["investigator"], open_case=True, conclusion="属实"
        )
    assert "official" in refused.value.fields
    investigation.refresh_from_db()
    assert investigation.status == PreliminaryInvestigation.Status.INVESTIGATING
    assert investigation.accountability_case is None
