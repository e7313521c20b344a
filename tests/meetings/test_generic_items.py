"""An agenda holds cases of any declared procedure: a complaint put on the agenda by name and
id, with no step of its own for the deliberation, is minuted on the meeting's record alone
(Xi'an meeting rules, section 5), and its minutes count for printing the 会议纪要."""

import datetime

import pytest
from django.db import transaction

from casework.audit.history import acting
from casework.complaints import services as complaints
from casework.meetings import services
from casework.meetings.models import AgreedMatter

D = datetime.date
pytestmark = pytest.mark.django_db


def test_a_complaint_on_the_agenda_is_minuted_on_the_meeting(people):
    complaint = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿。",
            "real_name": False,
        }
    )
    with transaction.atomic(), acting(None, "列入常务会议议程"):
        item = services.put_on_agenda(
            "complaints",
            complaint,
            subject="重复投诉涉及多个部门的问题（新乡投诉办法第七条第（四）项）",
            concerned=None,
            concerned_name="",
            actor=people["secretariat"],
            on=D(2026, 3, 3),
            date=D(2026, 3, 5),
        )
    assert item.deliberation_step == "" and services.case_of(item) == complaint
    meeting = item.meeting
    item = services.record_minutes(
        meeting,
        people["secretariat"],
        {"item": item.pk, "minutes": "责成教育局牵头整改", "decisions": ["教育局牵头整改"]},
    )
    complaint.refresh_from_db()
    assert item.discussion == "责成教育局牵头整改" and item.deliberated_on is not None
    assert AgreedMatter.objects.get().item == item
    meeting.refresh_from_db()
    assert meeting.state == "held"
    document = services.print_minutes(meeting, people["secretariat"], {})
    assert "责成教育局牵头整改" in document.body
