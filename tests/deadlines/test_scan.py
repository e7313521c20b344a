"""The early-warning scan (Xinxiang warning art. 5–9): each notice and letter exactly once per
deadline and level."""

import datetime

import pytest
from django.core import mail
from django.core.management import call_command

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Kind,
    Level,
    Notification,
    PreliminaryInvestigation,
    WarningEvent,
)
from casework.org.models import Department, User

pytestmark = pytest.mark.django_db

D = datetime.date
MONDAY_26TH = D(2026, 1, 26)


@pytest.fixture
def duty(demo_people):
    """An investigation deadline of the supervision bureau due Monday 2026-01-26."""

    def _duty(due=MONDAY_26TH, kind=Kind.INVESTIGATION, unit="supervision"):
        return services.open_deadline(
            kind,
            start=D(2026, 1, 5),
            due=due,
            description="完成调查核实",
            unit=Department.objects.get(code=unit),
        )

    return _duty


@pytest.mark.parametrize(
    "as_of, level",
    [
        (D(2026, 1, 22), Level.NORMAL),
        (D(2026, 1, 23), Level.PRE_WARNING),  # Friday: the working day before
        (D(2026, 1, 24), Level.PRE_WARNING),  # Saturday
        (D(2026, 1, 26), Level.PRE_WARNING),  # the due day itself
        (D(2026, 1, 27), Level.YELLOW),
        (D(2026, 1, 28), Level.YELLOW),
        (D(2026, 1, 29), Level.RED),  # more than 2 working days after
    ],
)
def test_the_levels_of_the_procedures_example_in_sql_and_in_python(duty, as_of, level):
    deadline = duty()
    assert Deadline.objects.with_level(as_of).get(pk=deadline.pk).level == level
    assert deadline.level_as_of(as_of) == level


def test_a_due_date_right_after_the_spring_festival(duty):
    # Due Tuesday 2026-02-24, the first working day after the holiday (02-15..02-23):
    # the working day before is Saturday 02-14 (an adjusted working day).
    deadline = duty(due=D(2026, 2, 24))
    assert deadline.level_as_of(D(2026, 2, 13)) == Level.NORMAL
    assert deadline.level_as_of(D(2026, 2, 14)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 2, 20)) == Level.PRE_WARNING  # inside the holiday
    assert deadline.level_as_of(D(2026, 2, 26)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 2, 27)) == Level.RED


def test_an_adjusted_saturday_counts_as_an_overdue_working_day(duty):
    # Due Thursday 2026-02-26; Saturday 02-28 is an adjusted working day, the second one
    # overdue, so Monday 03-02 is the third and red (with an ordinary weekend it would be
    # only the second, and yellow).
    deadline = duty(due=D(2026, 2, 26))
    assert deadline.level_as_of(D(2026, 2, 27)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 2, 28)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 3, 1)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 3, 2)) == Level.RED
    assert Deadline.objects.with_level(D(2026, 3, 2)).get(pk=deadline.pk).level == Level.RED


def test_the_scan_warns_letters_and_proposes_once_per_level(duty):
    deadline = duty()
    investigators = set(
        User.objects.filter(groups__name="supervision").values_list("pk", flat=True)
    )

    assert services.scan(D(2026, 1, 23)).pre_warnings == 1
    assert services.scan(D(2026, 1, 23)).total == 0
    assert set(Notification.objects.values_list("recipient", flat=True)) == investigators

    assert services.scan(D(2026, 1, 27)).letters == 1
    letter = AdmonitionLetter.objects.get(deadline=deadline)
    assert letter.document.number.startswith("南监效告〔2026〕")
    assert letter.report_deadline.kind == Kind.RECTIFICATION_REPORT
    assert letter.report_deadline.due == D(2026, 2, 3)  # 5 working days [rule]
    assert services.scan(D(2026, 1, 28)).total == 0

    assert services.scan(D(2026, 1, 29)).investigations == 1
    assert PreliminaryInvestigation.objects.get(deadline=deadline).status == "proposed"
    leaders = Notification.objects.filter(
        recipient__username="supervision_leader", title__startswith="红牌"
    )
    assert leaders.count() == 1
    assert services.scan(D(2026, 1, 30)).total == 0
    assert WarningEvent.objects.filter(deadline=deadline).count() == 3

    # The rectification report the letter asked for (due 02-03) is itself late by 02-10: a
    # yellow and a red card on it, but no letter about a letter.
    late_report = services.scan(D(2026, 2, 10))
    assert (late_report.letters, late_report.investigations) == (1, 1)
    assert AdmonitionLetter.objects.count() == 1
    assert services.scan(D(2026, 2, 10)).total == 0


def test_a_deadline_first_seen_red_still_gets_its_letter(duty):
    duty()
    result = services.scan(D(2026, 2, 5))
    assert (result.letters, result.investigations, result.pre_warnings) == (1, 1, 0)


def test_done_deadlines_and_rights_never_get_cards(duty):
    done = duty()
    done.done_at = datetime.datetime(2026, 1, 20, tzinfo=datetime.UTC)
    done.save()
    right = duty(kind=Kind.REVIEW_WINDOW)
    assert right.level_as_of(D(2026, 2, 5)) == Level.NORMAL
    assert services.scan(D(2026, 2, 5)).total == 0


def test_e_mail_goes_to_people_with_an_address(duty, django_capture_on_commit_callbacks):
    User.objects.filter(username="investigator").update(email="zhaoming@example.gov.cn")
    duty()
    with django_capture_on_commit_callbacks(execute=True):
        services.scan(D(2026, 1, 23))
    assert [m.to for m in mail.outbox] == [["zhaoming@example.gov.cn"]]
    assert Notification.objects.get(recipient__username="investigator").emailed


def test_the_command_takes_an_as_of_date(duty, capsys):
    duty()
    call_command("scan_deadlines", "--as-of", "2026-01-27")
    assert "admonition letters: 1" in capsys.readouterr().out


def test_entering_2027_recomputes_provisional_deadlines(demo_people):
    from casework.workcalendar import services as calendar

    admin = User.objects.get(username="admin")
    deadline = services.open_deadline(
        Kind.INVESTIGATION,
        start=D(2026, 12, 28),
        days=10,
        description="跨年调查",
        unit=Department.objects.get(code="supervision"),
    )
    assert deadline.provisional and deadline.due == D(2027, 1, 11)
    # The State Council's notice for 2027 (say): 1 January a holiday, already Friday... and
    # 2027-01-04 (Monday) declared a holiday too.
    calendar.set_day(
        D(2027, 1, 4), False, "holiday", "元旦", actor=admin, reason="国务院2027年放假安排"
    )
    deadline.refresh_from_db()
    assert deadline.due == D(2027, 1, 12) and deadline.provisional
    calendar.mark_year_complete(2027, actor=admin, reason="2027年日历已核对")
    deadline.refresh_from_db()
    assert not deadline.provisional
    reasons = list(deadline.history.values_list("history_change_reason", flat=True))
    assert any("国务院2027年放假安排" in (r or "") for r in reasons)
    assert Notification.objects.filter(title__contains="2027-01-12").exists()
