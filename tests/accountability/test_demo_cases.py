"""The demo cases of ``manage.py demo``: created once, spread over the states, with work in
every demo account's list and every warning level as of today."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from casework.accountability import rules, services
from casework.accountability.demo import MARKER, load_demo_cases
from casework.accountability.models import AccountabilityCase, State
from casework.deadlines.models import Deadline, Level
from casework.org.models import User

pytestmark = pytest.mark.django_db

MAIN_STATES = {
    State.PROPOSED,
    State.INITIATED,
    State.REPORT_ORDERED,
    State.INVESTIGATING,
    State.FINDINGS_NOTIFIED,
    State.FINDINGS_CLOSED,
    State.REPORT_SUBMITTED,
    State.AWAITING_MEETING,
    State.SCHEDULED,
    State.DELIBERATED,
    State.DECIDED,
    State.SERVED,
    State.REVIEW_REQUESTED,
    State.UNDER_REVIEW,
    State.FINAL,
    State.CLOSED,
    State.PROPOSAL_SENT,
}


def demo_cases():
    return AccountabilityCase.objects.filter(summary__startswith=MARKER)


@pytest.fixture
def demo(demo_people):
    """The reference data are loaded for the session; the people and cases as the command
    loads them (the command itself is run in the first test)."""
    assert load_demo_cases() > 0
    return demo_cases()


def test_demo_twice_creates_the_cases_once():
    call_command("demo", verbosity=0)
    demo = demo_cases()
    first = sorted(demo.values_list("number", "state"))
    call_command("demo", verbosity=0)
    assert sorted(demo.values_list("number", "state")) == first
    assert len(first) >= 12
    assert len({state for _number, state in first}) >= 12


def test_demo_cases_cover_every_main_state(demo):
    states = set(demo.values_list("state", flat=True))
    assert MAIN_STATES <= states, MAIN_STATES - states
    officials = set(demo.values_list("official__user__username", flat=True))
    # Heads of departments, a district head (Nanchong art. 21), and a clerk of education in
    # the linked case his head decides (Nanchong art. 20).
    assert officials == {
        "head_education",
        "head_transport",
        "head_tax",
        "head_shunqing",
        "staff_education",
    }
    linked = demo.get(official__user__username="staff_education")
    assert linked.parent.official.user.username == "head_education"
    assert demo.get(official__user__username="head_shunqing").department.kind == "county"
    assert demo.get(state=State.PROPOSAL_SENT).official.user.username == "head_tax"


def test_demo_cases_have_every_warning_level_today(demo):
    today = timezone.localdate()
    assert all(case.last_act_on <= today for case in demo)
    levels = set(
        Deadline.objects.filter(case__in=demo).with_level(today).values_list("level", flat=True)
    )
    assert {Level.NORMAL, Level.PRE_WARNING, Level.YELLOW, Level.RED, Level.DONE} <= levels


def test_every_demo_account_has_work(demo):
    today = timezone.localdate()
    idle = []
    for username in [
        "mayor",
        "vicemayor",
        "secretariat",
        "investigator",
        "legal",
        "head_education",
        "head_transport",
    ]:
        user = User.objects.get(username=username)
        work = [
            case
            for case in rules.visible_cases(user, demo)
            if set(services.available_transitions(user, case, today))
            - {"record_referral", "record_prior_sanction", "open_linked_case"}
        ]
        if not work:
            idle.append(username)
    assert not idle, f"nothing to do for {idle}"


def test_an_official_sees_only_own_demo_cases(demo):
    tax = User.objects.get(username="head_tax")
    assert list(rules.visible_cases(tax, demo).values_list("state", flat=True)) == [
        State.PROPOSAL_SENT
    ]
