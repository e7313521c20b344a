"""The supervision of assigned matters (Handan supervision measures, section 4): each step,
each refusal, and the boundary of the due date's working day."""

import datetime
from decimal import Decimal

import pytest

from casework.deadlines.models import Extension, Kind, Level
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.kernel.declaration import procedure
from casework.supervision import services
from casework.supervision.models import State, SupervisionMatter

D = datetime.date

pytestmark = pytest.mark.django_db


def test_the_declaration_agrees_with_the_state_machine():
    assert procedure("supervision").problems() == []


# --- registration (Handan supervision art. 4 (1)) ----------------------------------------------


def test_the_office_proposes_a_matter_which_waits_for_approval(propose):
    matter = propose()
    assert matter.state == State.PROPOSED
    assert matter.lead_unit.code == "education"
    assert sorted(u.code for u in matter.co_units.all()) == ["tax", "transport"]
    assert matter.card is None and matter.deadline is None
    assert matter.history.first().action == "register"


def test_only_the_office_proposes(people, today):
    for username in ("head_education", "mayor", "investigator"):
        with pytest.raises(NotAllowed):
            services.register(
                {
                    "title": "x",
                    "source": "work_report",
                    "instruction": "x",
                    "lead_unit": "education",
                    "due": "2026-11-20",
                    "requirements": "x",
                    "proposal": "x",
                },
                people[username],
            )
    assert not SupervisionMatter.objects.exists()


def test_a_proposal_names_known_units_and_a_due_date_ahead(propose):
    with pytest.raises(InvalidInput) as refused:
        propose(lead_unit="nowhere")
    assert "lead_unit" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        propose(co_units=["education"])
    assert "co_units" in refused.value.fields
    with pytest.raises(InvalidInput) as refused:
        propose(due="2026-11-02")
    assert "due" in refused.value.fields
    assert not SupervisionMatter.objects.exists()


def test_the_head_approves_an_ordinary_matter_and_the_card_is_issued(propose, act, people):
    matter = act(propose(), "approve", "supervision_office_head", opinion="同意立项")
    assert matter.state == State.ASSIGNED
    assert matter.approved_by == people["supervision_office_head"]
    assert matter.card.doc_type == DocType.SUPERVISION_CARD
    assert matter.card.number.startswith("南府督交")
    assert "教育局" in matter.card.body and "2026-11-20" in matter.card.body
    deadline = matter.deadline
    assert deadline.kind == Kind.SUPERVISION_FEEDBACK
    assert deadline.due == D(2026, 11, 20)
    assert deadline.responsible_unit.code == "education"


def test_the_office_staff_cannot_approve(propose, act):
    matter = propose()
    with pytest.raises(NotAllowed):
        act(matter, "approve", "supervision_office")
    matter.refresh_from_db()
    assert matter.state == State.PROPOSED and matter.card is None


def test_a_major_matter_needs_a_government_leader(propose, act, people):
    matter = propose(major=True)
    assert "approve" not in services.available_transitions(
        people["supervision_office_head"], matter
    )
    assert "approve" in services.available_transitions(people["mayor"], matter)
    with pytest.raises(NotAllowed):
        act(matter, "approve", "supervision_office_head")
    matter = act(matter, "approve", "vicemayor")
    assert matter.state == State.ASSIGNED


def test_the_head_may_decline(propose, act):
    matter = act(propose(), "decline", "supervision_office_head", reason="不属于督查范围")
    assert matter.state == State.NOT_REGISTERED
    assert matter.deadline is None and matter.card is None
    with pytest.raises(WrongState):
        act(matter, "approve", "supervision_office_head")


def test_a_due_date_on_a_rest_day_moves_to_the_next_working_day(propose, act):
    matter = act(propose(due="2026-11-21"), "approve", "supervision_office_head")
    assert matter.deadline.due == D(2026, 11, 23)
    assert matter.deadline.due_as_set == D(2026, 11, 21)


def test_approval_on_or_after_the_due_date_is_refused(propose, act, today):
    matter = propose()
    today(D(2026, 11, 20))
    with pytest.raises(RefusedByRule):
        act(matter, "approve", "supervision_office_head")
    matter.refresh_from_db()
    assert matter.state == State.PROPOSED


# --- feedback (Handan supervision art. 4 (3)) -------------------------------------------------


def test_only_the_lead_unit_drafts(assigned, act):
    matter = assigned()
    for username in ("head_transport", "supervision_office", "mayor"):
        with pytest.raises(NotAllowed):
            act(matter, "draft_feedback", username, feedback="x")
    matter.refresh_from_db()
    assert matter.state == State.ASSIGNED and matter.feedback == ""


def test_the_co_units_countersign_then_the_lead_head_signs_off(drafted, act, people):
    matter = drafted()
    assert matter.state == State.FEEDBACK_DRAFTED
    assert [u.code for u in matter.unsigned_co_units()] == ["tax", "transport"]
    matter = act(matter, "countersign", "head_transport", opinion="同意")
    assert matter.state == State.FEEDBACK_DRAFTED
    assert [u.code for u in matter.unsigned_co_units()] == ["tax"]
    # Each co-unit once.
    with pytest.raises(NotAllowed):
        act(matter, "countersign", "head_transport")
    matter = act(matter, "countersign", "head_tax")
    matter = act(matter, "sign_off", "head_education")
    assert matter.state == State.FEEDBACK_SUBMITTED
    assert matter.signed_off_by == people["head_education"]
    assert not matter.late
    assert matter.deadline.done_at is not None
    assert matter.deadline.level_as_of(D(2026, 11, 30)) == Level.DONE


def test_sign_off_before_every_co_unit_countersigned_is_refused(drafted, act):
    matter = act(drafted(), "countersign", "head_transport")
    with pytest.raises(RefusedByRule) as refused:
        act(matter, "sign_off", "head_education")
    assert "税务局" in refused.value.message
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_DRAFTED and matter.deadline.done_at is None


def test_only_the_lead_units_head_signs_off(drafted, act):
    matter = drafted(co_units=[])
    for username in ("staff_education", "head_transport", "supervision_office_head"):
        with pytest.raises(NotAllowed):
            act(matter, "sign_off", username)
    assert act(matter, "sign_off", "head_education").state == State.FEEDBACK_SUBMITTED


def test_a_staff_member_of_a_co_unit_cannot_countersign(drafted, act, people):
    matter = drafted(co_units=["transport"])
    with pytest.raises(NotAllowed):
        act(matter, "countersign", "head_education")
    with pytest.raises(NotAllowed):
        act(matter, "countersign", "head_tax")


def test_feedback_on_the_due_day_is_on_time(drafted, act, today):
    matter = drafted(co_units=[])
    today(D(2026, 11, 20))
    matter = act(matter, "sign_off", "head_education")
    assert not matter.late and matter.late_reason == ""


def test_feedback_on_the_next_working_day_without_a_reason_is_refused(drafted, act, today):
    matter = drafted(co_units=[])
    today(D(2026, 11, 23))
    with pytest.raises(RefusedByRule) as refused:
        act(matter, "sign_off", "head_education")
    assert "late_reason" in refused.value.fields
    matter.refresh_from_db()
    assert matter.state == State.FEEDBACK_DRAFTED and matter.deadline.done_at is None
    matter = act(matter, "sign_off", "head_education", late_reason="施工受降雨影响")
    assert matter.late and matter.late_reason == "施工受降雨影响"


def test_a_late_reason_is_not_given_for_timely_feedback(drafted, act):
    matter = drafted(co_units=[])
    with pytest.raises(InvalidInput):
        act(matter, "sign_off", "head_education", late_reason="无")


def test_a_returned_draft_is_countersigned_anew(drafted, act):
    matter = act(drafted(co_units=["transport"]), "countersign", "head_transport")
    matter = act(matter, "return_draft", "head_education", reason="补充数据")
    assert matter.state == State.ASSIGNED
    matter = act(matter, "draft_feedback", "staff_education", feedback="补充后的反馈")
    assert [u.code for u in matter.unsigned_co_units()] == ["transport"]
    with pytest.raises(RefusedByRule):
        act(matter, "sign_off", "head_education")


# --- deadlines and cards (Xinxiang warning art. 5–8) ------------------------------------------


def test_the_feedback_deadline_gets_its_cards(assigned):
    deadline = assigned().deadline
    assert deadline.level_as_of(D(2026, 11, 18)) == Level.NORMAL
    assert deadline.level_as_of(D(2026, 11, 19)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 11, 20)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 11, 23)) == Level.YELLOW
    assert deadline.level_as_of(D(2026, 11, 25)) == Level.RED


# --- extension (the deadlines' extension rule, approved by the assigning leader) -------------


def test_the_assigning_leader_approves_an_extension(assigned, act, today):
    matter = assigned()
    today(D(2026, 11, 18))
    matter = act(
        matter, "request_extension", "staff_education", reason="需协调资金", new_due=D(2026, 12, 4)
    )
    extension = Extension.objects.get(deadline=matter.deadline)
    assert extension.status == Extension.Status.PENDING
    # Not the mayor (who did not approve the registration), not the requester.
    for username in ("mayor", "supervision_office", "head_education"):
        with pytest.raises(NotAllowed):
            act(matter, "decide_extension", username, approve=True)
    matter = act(matter, "decide_extension", "supervision_office_head", approve=True, reason="同意")
    matter.deadline.refresh_from_db()
    assert matter.deadline.due == D(2026, 12, 4)
    assert matter.deadline.original_due == D(2026, 11, 20)


def test_an_extension_beyond_the_rules_cap_is_refused(assigned, act):
    matter = assigned()
    with pytest.raises(RefusedByRule):
        act(
            matter,
            "request_extension",
            "head_education",
            reason="需协调资金",
            new_due=D(2027, 1, 29),
        )
    assert not Extension.objects.exists()


def test_an_extension_after_the_due_date_is_refused(assigned, act, today):
    matter = assigned()
    today(D(2026, 11, 23))
    with pytest.raises(RefusedByRule):
        act(matter, "request_extension", "head_education", reason="x", new_due=D(2026, 12, 4))


def test_feedback_within_an_extension_is_on_time(assigned, act, today):
    matter = assigned(co_units=[])
    matter = act(
        matter, "request_extension", "head_education", reason="需协调", new_due=D(2026, 12, 4)
    )
    matter = act(matter, "decide_extension", "supervision_office_head", approve=True)
    today(D(2026, 12, 4))
    matter = act(matter, "draft_feedback", "staff_education", feedback="已完成")
    matter = act(matter, "sign_off", "head_education")
    assert not matter.late


# --- urging, criticism, archive (Handan supervision art. 4 (2)–(4)) -------------------------


def test_urging_is_recorded_and_a_letter_is_a_document(assigned, act, people):
    matter = assigned()
    matter = act(matter, "urge", "supervision_office", method="phone", findings="正在施工")
    matter = act(
        matter,
        "urge",
        "supervision_office",
        method="letter",
        findings="进度滞后",
        letter="请加快进度，于11月20日前反馈。",
        major_problem=True,
    )
    urgings = list(matter.urgings.order_by("id"))
    assert [u.method for u in urgings] == ["phone", "letter"]
    assert urgings[1].letter.doc_type == DocType.SUPERVISION_LETTER
    assert urgings[0].letter is None
    # The major problem goes to the leader who assigned the matter.
    assert (
        people["supervision_office_head"].notifications.filter(title__contains="重大问题").exists()
    )
    assert matter.state == State.ASSIGNED


def test_a_letter_needs_its_text_and_only_the_office_urges(assigned, act):
    matter = assigned()
    with pytest.raises(InvalidInput):
        act(matter, "urge", "supervision_office", method="letter", findings="x")
    with pytest.raises(NotAllowed):
        act(matter, "urge", "head_education", method="phone", findings="x")
    assert not matter.urgings.exists()


def test_a_unit_that_stalls_is_criticised(assigned, act):
    matter = assigned()
    matter = act(matter, "criticise", "supervision_office", unit="transport", reason="推诿扯皮")
    criticism = matter.criticisms.get()
    assert criticism.document.doc_type == DocType.SUPERVISION_CRITICISM
    assert criticism.unit.code == "transport"
    with pytest.raises(InvalidInput):
        act(matter, "criticise", "supervision_office", unit="legal", reason="x")


def test_the_office_archives_with_its_report(drafted, act):
    matter = drafted(co_units=[])
    matter = act(matter, "sign_off", "head_education")
    with pytest.raises(NotAllowed):
        act(matter, "archive", "head_education", report="x")
    matter = act(matter, "archive", "supervision_office", report="事项已按要求办结。")
    assert matter.state == State.ARCHIVED and matter.archived_on == D(2026, 11, 16)
    with pytest.raises(WrongState):
        act(matter, "urge", "supervision_office", method="phone", findings="x")


# --- who sees a matter ------------------------------------------------------------------


def test_who_sees_a_matter(propose, act, people):
    from casework.supervision import rules

    matter = propose()
    assert rules.can_view(people["supervision_office"], matter)
    assert rules.can_view(people["mayor"], matter)
    # Before approval, not even the lead unit.
    assert not rules.can_view(people["head_education"], matter)
    matter = act(matter, "approve", "supervision_office_head")
    assert rules.can_view(people["head_education"], matter)
    assert rules.can_view(people["staff_education"], matter)
    assert rules.can_view(people["head_tax"], matter)
    assert not rules.can_view(people["head_shunqing"], matter)
    assert not rules.can_view(people["complaints"], matter)
    assert list(rules.visible(people["head_shunqing"])) == []


# --- the monthly evaluation (Xinxiang performance art. 9) -------------------------------------


def test_late_feedback_counts_against_the_lead_unit_in_the_evaluation(drafted, act, today):
    from casework.evaluation import services as evaluation

    matter = drafted(co_units=[])
    today(D(2026, 11, 24))
    act(matter, "sign_off", "head_education", late_reason="资金晚到")
    today(D(2026, 12, 1))
    month, _outcome = evaluation.evaluate_month(D(2026, 11, 1))
    line = (
        month.current_lines()
        .select_related("item")
        .get(department__code="education", item__code="supervision_late")
    )
    assert line.events == 1 and line.amount == Decimal("-3.00")
    assert line.evidence.get().source_id == matter.deadline_id
    other = month.current_lines().get(department__code="transport", item__code="supervision_late")
    assert other.events == 0


def test_the_demo_matters_load_once(demo_people):
    from casework.supervision.demo import load_demo_matters

    assert load_demo_matters() == 3
    assert load_demo_matters() == 0
    states = sorted(SupervisionMatter.objects.values_list("state", flat=True))
    assert states == ["assigned", "feedback_drafted", "proposed"]


def test_the_event_feed_names_the_matter_of_a_feedback_deadline(assigned):
    from casework.interface.outbox import matter_of

    matter = assigned()
    assert matter_of(matter.deadline) == {"procedure": "supervision", "id": matter.pk}
