"""The whole machine as one table: for each state of a matter (lead unit education, co-unit
transport), what each person may do now (``available_transitions``). A row that changes is a
change of who may act (Handan supervision art. 4 (1)–(4))."""

import datetime

import pytest

from casework.supervision import services

D = datetime.date

pytestmark = pytest.mark.django_db

PEOPLE = (
    "supervision_office",
    "supervision_office_head",
    "mayor",
    "vicemayor",
    "secretariat",
    "investigator",
    "head_education",
    "staff_education",
    "head_transport",
    "head_tax",
    "complaints",
)

OFFICE_RUNNING = ["urge", "criticise"]

EXPECTED = {
    "proposed": {
        "supervision_office_head": ["approve", "decline"],
        "mayor": ["approve", "decline"],
        "vicemayor": ["approve", "decline"],
    },
    "assigned": {
        "supervision_office": OFFICE_RUNNING,
        "supervision_office_head": OFFICE_RUNNING,
        "head_education": ["draft_feedback", "request_extension"],
        "staff_education": ["draft_feedback", "request_extension"],
    },
    "extension_asked": {
        "supervision_office": OFFICE_RUNNING,
        # The leader who approved the registration decides; the office head is that leader.
        "supervision_office_head": [*OFFICE_RUNNING, "decide_extension"],
        "head_education": ["draft_feedback"],
        "staff_education": ["draft_feedback"],
    },
    # An urging found a major problem: the leader who approved the registration (here the
    # office's head) reads it and instructs on it (Handan supervision art. 4 (2)).
    "problem_found": {
        "supervision_office": OFFICE_RUNNING,
        "supervision_office_head": ["urge", "instruct_on_problem", "criticise"],
        "head_education": ["draft_feedback", "request_extension"],
        "staff_education": ["draft_feedback", "request_extension"],
    },
    "feedback_drafted": {
        "supervision_office": OFFICE_RUNNING,
        "supervision_office_head": OFFICE_RUNNING,
        "head_education": ["return_draft", "request_extension"],
        "staff_education": ["request_extension"],
        "head_transport": ["countersign"],
    },
    "countersigned": {
        "supervision_office": OFFICE_RUNNING,
        "supervision_office_head": OFFICE_RUNNING,
        "head_education": ["return_draft", "sign_off", "request_extension"],
        "staff_education": ["request_extension"],
    },
    "feedback_submitted": {
        "supervision_office": ["archive", "criticise"],
        "supervision_office_head": ["archive", "criticise"],
    },
    "archived": {},
    "not_registered": {},
}


@pytest.fixture
def matter_in(propose, act, today):
    def _in(situation):
        matter = propose(co_units=["transport"])
        if situation == "proposed":
            return matter
        if situation == "not_registered":
            return act(matter, "decline", "supervision_office_head", reason="不属督查范围")
        matter = act(matter, "approve", "supervision_office_head")
        if situation == "assigned":
            return matter
        if situation == "extension_asked":
            return act(
                matter,
                "request_extension",
                "staff_education",
                reason="需协调",
                new_due=D(2026, 12, 4),
            )
        if situation == "problem_found":
            return act(
                matter,
                "urge",
                "supervision_office",
                method="phone",
                findings="资金缺口较大",
                major_problem=True,
            )
        matter = act(matter, "draft_feedback", "staff_education", feedback="已办结")
        if situation == "feedback_drafted":
            return matter
        matter = act(matter, "countersign", "head_transport")
        if situation == "countersigned":
            return matter
        matter = act(matter, "sign_off", "head_education")
        if situation == "feedback_submitted":
            return matter
        return act(matter, "archive", "supervision_office", report="已办结")

    return _in


@pytest.mark.parametrize("situation", list(EXPECTED))
def test_who_may_do_what(situation, matter_in, people):
    matter = matter_in(situation)
    got = {}
    for username in PEOPLE:
        names = services.available_transitions(people[username], matter)
        if names:
            got[username] = names
    assert got == EXPECTED[situation]
