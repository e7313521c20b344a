"""The paths of the complaint procedure (docs/complaints.md) through the services."""

import pytest
from django.db import connection

from casework.accountability.models import AccountabilityCase
from casework.complaints.models import Complaint, IdentityAccess, State
from casework.complaints.services import view_identity
from casework.deadlines.models import Kind
from casework.exceptions import NotAllowed, RefusedByRule

from .conftest import NAME, PHONE

pytestmark = pytest.mark.django_db


def test_transferred_complaint_is_handled_by_the_organ_decided_fed_back_and_closed(
    citizen_complaint, act
):
    complaint = citizen_complaint()
    assert complaint.state == State.SUBMITTED and len(complaint.tracking_code) == 19
    handling = complaint.deadlines.get(kind=Kind.COMPLAINT_HANDLING)
    assert handling.working_days == 15
    complaint = act(complaint, "accept", "complaints")
    assert complaint.deadlines.get(kind=Kind.COMPLAINT_TRANSFER).working_days == 2
    complaint = act(complaint, "transfer", "complaints", organ="education")
    organ_deadline = complaint.deadlines.get(kind=Kind.ORGAN_REPORT)
    assert organ_deadline.due == handling.due  # defaults to the end of the 15 days
    complaint = act(complaint, "organ_report", "staff_education", report="已批评教育相关人员")
    complaint = act(complaint, "verify", "complaints")
    complaint = act(complaint, "decide", "complaints", outcome="unfounded", text="已整改")
    complaint = act(complaint, "give_feedback", "complaints", text="已处理")
    complaint = act(complaint, "close", "complaints")
    assert complaint.state == State.CLOSED
    assert not complaint.deadlines.open().exists()


def test_anonymous_complaint_closes_straight_after_the_decision(citizen_complaint, act):
    complaint = citizen_complaint(real_name=False)
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "verify", "complaints")
    complaint = act(complaint, "decide", "complaints", outcome="unfounded", text="不属实")
    with pytest.raises(RefusedByRule):
        act(complaint, "give_feedback", "complaints", text="x")
    complaint = act(complaint, "close", "complaints")
    assert complaint.state == State.CLOSED


def test_pursuing_fault_liability_opens_a_linked_accountability_case(citizen_complaint, act):
    from casework.org.models import Official

    complaint = citizen_complaint()
    complaint = act(complaint, "accept", "complaints")
    complaint = act(complaint, "verify", "complaints")
    head = Official.objects.get(user__username="head_education")
    complaint = act(
        complaint, "decide", "complaints", outcome="fault_liability", text="追究", official=head.pk
    )
    case = complaint.accountability_case
    assert isinstance(case, AccountabilityCase)
    assert case.source.code == "supervision" and case.official == head
    assert PHONE not in case.summary and NAME not in case.summary


def test_the_organ_may_not_act_before_the_transfer_nor_on_another_organs_complaint(
    citizen_complaint, act
):
    complaint = citizen_complaint()
    complaint = act(complaint, "accept", "complaints")
    with pytest.raises(NotAllowed):
        act(complaint, "organ_report", "staff_education", report="x")


def test_the_identity_is_encrypted_at_rest_and_never_in_history(citizen_complaint, people):
    complaint = citizen_complaint()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, phone, email FROM complaints_complaint WHERE id = %s", [complaint.pk]
        )
        row = cursor.fetchone()
    assert all(value and PHONE not in value and NAME not in value for value in row)
    history_columns = {f.name for f in Complaint.history.model._meta.fields}
    assert not {"name", "phone", "email"} & history_columns


def test_viewing_the_identity_is_logged_with_a_reason_and_refused_to_others(
    citizen_complaint, people
):
    complaint = citizen_complaint()
    identity = view_identity(complaint, people["complaints"], reason="反馈处理结果")
    assert identity["phone"] == PHONE
    log = IdentityAccess.objects.get()
    assert log.user == people["complaints"] and log.reason == "反馈处理结果"
    with pytest.raises(NotAllowed):
        view_identity(complaint, people["investigator"], reason="想看")
