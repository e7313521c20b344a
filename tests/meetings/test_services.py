"""The executive meeting through its services (Nanchong art. 11; Xi'an meeting rules): a case
put on the agenda by ``schedule``, the official notified and filing a written statement before
the meeting, the meeting postponed with its items, the deliberation per item, the agenda and
the minutes printed; and every refusal, which changes nothing."""

import datetime

import pytest

from casework.deadlines.models import Notification
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.meetings import services
from casework.meetings.models import AgendaItem, AgreedMatter, Meeting, MeetingState

D = datetime.date
pytestmark = pytest.mark.django_db


def notices(user):
    return list(Notification.objects.filter(recipient=user).order_by("id"))


def test_schedule_creates_the_meeting_of_the_date_and_notifies_the_official(
    awaiting_meeting, act, people
):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    assert case.state == "scheduled" and case.meeting_date == D(2026, 3, 5)
    item = AgendaItem.objects.get(procedure="accountability", object_id=case.pk)
    meeting = item.meeting
    assert (meeting.date, meeting.state, meeting.number) == (
        D(2026, 3, 5),
        "planned",
        "2026年第1次",
    )
    assert item.position == 1 and item.concerned == people["head_education"]
    assert item.deliberation_step == "deliberate" and case.number in item.subject
    [notice] = notices(people["head_education"])
    assert "2026-03-05" in notice.body and "陈述和申辩" in notice.body and "第十一条" in notice.body
    assert notice.link == f"/meetings/items/{item.pk}/"
    # The history of the item and of the meeting say who and why.
    [row] = item.history.all()
    assert row.history_user == people["secretariat"] and row.history_change_reason


def test_a_second_case_joins_the_meeting_of_the_same_date_or_the_one_chosen(awaiting_meeting, act):
    first = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    meeting = services.open_item("accountability", first.pk).meeting
    second = act(
        awaiting_meeting("head_transport"),
        "schedule",
        "secretariat",
        on=D(2026, 3, 3),
        meeting=meeting.pk,
    )
    assert second.meeting_date == D(2026, 3, 5)
    assert [i.position for i in meeting.items.all()] == [1, 2]
    assert Meeting.objects.count() == 1


def test_schedule_refusals_change_nothing(awaiting_meeting, act, people):
    case = awaiting_meeting()
    with pytest.raises(InvalidInput) as error:
        act(case, "schedule", "secretariat", on=D(2026, 3, 3))
    assert "meeting_date" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        act(case, "schedule", "secretariat", on=D(2026, 3, 3), meeting_date="2026-02-30")
    assert "meeting_date" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        act(case, "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 2))
    assert "meeting_date" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        act(case, "schedule", "secretariat", on=D(2026, 3, 3), meeting=9999)
    assert "meeting" in error.value.fields
    with pytest.raises(NotAllowed):
        act(case, "schedule", "head_education", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5))
    case.refresh_from_db()
    assert case.state == "awaiting_meeting" and case.meeting_date is None
    assert not Meeting.objects.exists() and not AgendaItem.objects.exists()
    assert notices(people["head_education"]) == []


def test_a_meeting_held_takes_no_more_items(awaiting_meeting, act, people):
    first = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    act(first, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    meeting = Meeting.objects.get()
    with pytest.raises(WrongState):
        act(
            awaiting_meeting("head_transport"),
            "schedule",
            "secretariat",
            on=D(2026, 3, 5),
            meeting=meeting.pk,
        )


def test_the_official_files_a_written_statement_before_the_meeting(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    item = services.open_item("accountability", case.pk)
    item = services.file_statement(
        item, people["head_education"], {"text": "情况说明与申辩", "on": "2026-03-04"}
    )
    assert item.written_statement == "情况说明与申辩"
    assert item.written_statement_on == D(2026, 3, 4)
    assert item.written_statement_by == people["head_education"]
    latest = item.history.order_by("-history_id").first()
    assert latest.history_user == people["head_education"]
    assert latest.history_change_reason == "提交书面陈述和申辩"
    # On the meeting's day, before it is held, it may still be replaced.
    services.file_statement(item, people["head_education"], {"text": "补充", "on": "2026-03-05"})
    item.refresh_from_db()
    assert item.written_statement == "补充"


def test_statement_refusals(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    item = services.open_item("accountability", case.pk)
    # Another official, and a staff member who does not enter paper filings.
    for username in ("head_transport", "investigator", "mayor"):
        with pytest.raises(NotAllowed):
            services.file_statement(item, people[username], {"text": "x", "on": "2026-03-04"})
    # After the meeting's day.
    with pytest.raises(RefusedByRule):
        services.file_statement(item, people["head_education"], {"text": "x", "on": "2026-03-06"})
    # Malformed: no text, an impossible date, a date before the item was placed.
    with pytest.raises(InvalidInput) as error:
        services.file_statement(item, people["head_education"], {"on": "2026-03-04"})
    assert "text" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.file_statement(item, people["head_education"], {"text": "x", "on": "2026-13-01"})
    assert "on" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.file_statement(item, people["head_education"], {"text": "x", "on": "2026-03-02"})
    assert "on" in error.value.fields
    item.refresh_from_db()
    assert item.written_statement == "" and item.history.count() == 1
    # Once the meeting is held, refused although the day has not passed.
    act(case, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    with pytest.raises(RefusedByRule):
        services.file_statement(item, people["head_education"], {"text": "x", "on": "2026-03-05"})


def test_the_secretariat_enters_a_statement_that_arrived_on_paper(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    item = services.open_item("accountability", case.pk)
    item = services.file_statement(
        item, people["secretariat"], {"text": "纸质陈述", "on": "2026-03-04"}
    )
    assert item.written_statement_by == people["secretariat"]


def test_postponement_moves_the_items_and_tells_the_officials_again(awaiting_meeting, act, people):
    first = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    second = act(
        awaiting_meeting("head_transport"),
        "schedule",
        "secretariat",
        on=D(2026, 3, 3),
        meeting_date=D(2026, 3, 5),
    )
    meeting = Meeting.objects.get()
    new = services.postpone(
        meeting,
        people["secretariat"],
        {"new_date": "2026-03-12", "reason": "市长出差", "on": "2026-03-04"},
    )
    meeting.refresh_from_db()
    assert meeting.state == MeetingState.POSTPONED and meeting.postponed_to == new
    assert meeting.postponement_reason == "市长出差"
    assert (new.date, new.state, new.number) == (D(2026, 3, 12), "planned", "2026年第2次")
    assert [(i.object_id, i.position) for i in new.items.all()] == [(first.pk, 1), (second.pk, 2)]
    for case, username in ((first, "head_education"), (second, "head_transport")):
        case.refresh_from_db()
        assert case.meeting_date == D(2026, 3, 12) and case.state == "scheduled"
        latest = case.history.order_by("-history_id").first()
        assert "2026-03-12" in latest.history_change_reason
        assert latest.history_user == people["secretariat"]
        told = notices(people[username])
        assert len(told) == 2 and "延期" in told[1].title and "2026-03-12" in told[1].body
    item = services.open_item("accountability", first.pk)
    moved = [row.meeting_id for row in item.history.order_by("history_id")]
    assert moved == [meeting.pk, new.pk]
    # The case can no longer be deliberated on the old date; it can on the new one.
    with pytest.raises(RefusedByRule):
        act(first, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    act(first, "deliberate", "secretariat", on=D(2026, 3, 12), minutes="纪要")


def test_postponement_to_a_date_with_a_meeting_planned_joins_it(awaiting_meeting, act, people):
    act(awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5))
    act(
        awaiting_meeting("head_transport"),
        "schedule",
        "secretariat",
        on=D(2026, 3, 3),
        meeting_date=D(2026, 3, 12),
    )
    early, later = Meeting.objects.order_by("date")
    target = services.postpone(
        early,
        people["secretariat"],
        {"new_date": "2026-03-12", "reason": "议题调整", "on": "2026-03-04"},
    )
    assert target == later
    assert [i.concerned.username for i in later.items.all()] == ["head_transport", "head_education"]


def test_postponement_refusals(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    meeting = Meeting.objects.get()
    body = {"new_date": "2026-03-12", "reason": "市长出差", "on": "2026-03-04"}
    with pytest.raises(NotAllowed):
        services.postpone(meeting, people["head_education"], body)
    with pytest.raises(NotAllowed):
        services.postpone(meeting, people["mayor"], body)
    for bad, field in (
        ({**body, "new_date": "2026-03-05"}, "new_date"),  # not later than planned
        ({**body, "new_date": "2026-03-32"}, "new_date"),  # no such day
        ({**body, "new_date": "1990-03-12"}, "new_date"),  # outside the calendar
        ({**body, "new_date": 20260312}, "new_date"),  # not a date
        ({k: v for k, v in body.items() if k != "reason"}, "reason"),
    ):
        with pytest.raises(InvalidInput) as error:
            services.postpone(meeting, people["secretariat"], bad)
        assert field in error.value.fields
    with pytest.raises(WrongState):
        services.postpone(meeting, people["secretariat"], body, if_match="99")
    meeting.refresh_from_db()
    assert meeting.state == "planned" and Meeting.objects.count() == 1
    # A meeting held is not postponed.
    act(case, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    with pytest.raises(WrongState):
        services.postpone(meeting, people["secretariat"], {**body, "on": "2026-03-05"})
    meeting.refresh_from_db()
    assert meeting.state == "held"


def test_deliberation_records_statement_defence_discussion_and_agreed_matters(
    awaiting_meeting, act, people
):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    item = services.open_item("accountability", case.pk)
    services.file_statement(
        item, people["head_education"], {"text": "书面申辩", "on": "2026-03-04"}
    )
    with pytest.raises(RefusedByRule):
        act(case, "deliberate", "secretariat", on=D(2026, 3, 4), minutes="纪要")
    case = act(
        case,
        "deliberate",
        "secretariat",
        on=D(2026, 3, 5),
        minutes="与会人员认为应予问责",
        statement="本人陈述",
        defence="本人申辩",
        decisions=["给予通报批评", "责成教育局限期整改"],
    )
    assert case.state == "deliberated" and case.statement == "本人陈述"
    item.refresh_from_db()
    assert (item.statement, item.defence, item.discussion) == (
        "本人陈述",
        "本人申辩",
        "与会人员认为应予问责",
    )
    assert item.written_statement == "书面申辩" and item.deliberated_on == D(2026, 3, 5)
    meeting = item.meeting
    meeting.refresh_from_db()
    assert meeting.state == "held" and meeting.held_on == D(2026, 3, 5)
    matters = list(AgreedMatter.objects.order_by("seq"))
    assert [(m.seq, m.text, m.item_id) for m in matters] == [
        (1, "给予通报批评", item.pk),
        (2, "责成教育局限期整改", item.pk),
    ]
    assert matters[0].history.get().history_user == people["secretariat"]


def test_minutes_entered_from_the_meeting_move_the_case(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    item = services.open_item("accountability", case.pk)
    meeting = item.meeting
    with pytest.raises(InvalidInput) as error:
        services.record_minutes(meeting, people["secretariat"], {"item": 9999, "minutes": "x"})
    assert "item" in error.value.fields
    with pytest.raises(NotAllowed):
        services.record_minutes(
            meeting, people["head_education"], {"item": item.pk, "minutes": "x"}
        )
    item = services.record_minutes(
        meeting,
        people["secretariat"],
        {"item": item.pk, "minutes": "讨论", "defence": "申辩", "on": "2026-03-05"},
    )
    case.refresh_from_db()
    assert case.state == "deliberated" and case.minutes == "讨论" and item.defence == "申辩"
    with pytest.raises(WrongState):
        services.record_minutes(meeting, people["secretariat"], {"item": item.pk, "minutes": "x"})


def test_hold_records_chair_and_attendance(awaiting_meeting, act, people):
    act(awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5))
    meeting = Meeting.objects.get()
    body = {
        "chair": people["mayor"].pk,
        "attendance": [
            {"name": "市长", "capacity": "member"},
            {"name": "副市长甲", "capacity": "member", "present": False, "absence_reason": "出差"},
            {"name": "教育局局长", "capacity": "attendee"},
        ],
    }
    with pytest.raises(RefusedByRule):
        services.hold(meeting, people["secretariat"], {**body, "on": "2026-03-04"})
    with pytest.raises(InvalidInput) as error:
        services.hold(meeting, people["secretariat"], {**body, "chair": people["investigator"].pk})
    assert "chair" in error.value.fields
    with pytest.raises(InvalidInput) as error:
        services.hold(
            meeting,
            people["secretariat"],
            {"attendance": [{"name": "甲", "capacity": "member", "present": False}]},
        )
    assert "attendance" in error.value.fields
    meeting = services.hold(meeting, people["secretariat"], {**body, "on": "2026-03-05"})
    assert meeting.state == "held" and meeting.chair == people["mayor"]
    assert meeting.attendees.count() == 3
    with pytest.raises(WrongState):
        services.hold(meeting, people["secretariat"], {**body, "on": "2026-03-05"})


def test_agenda_and_minutes_are_printed_as_numbered_documents(awaiting_meeting, act, people):
    case = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    meeting = Meeting.objects.get()
    agenda = services.print_agenda(meeting, people["secretariat"], {"on": "2026-03-04"})
    assert agenda.doc_type == DocType.MEETING_AGENDA and agenda.number == "南府常议〔2026〕1号"
    assert case.number in agenda.body and "陈述和申辩" in agenda.body
    with pytest.raises(WrongState):
        services.print_minutes(meeting, people["secretariat"], {"on": "2026-03-05"})
    item = services.open_item("accountability", case.pk)
    services.file_statement(
        item, people["head_education"], {"text": "书面申辩", "on": "2026-03-04"}
    )
    act(
        case,
        "deliberate",
        "secretariat",
        on=D(2026, 3, 5),
        minutes="应予问责",
        decisions=["通报批评"],
    )
    services.hold(
        meeting,
        people["secretariat"],
        {
            "chair": people["mayor"].pk,
            "attendance": [{"name": "市长", "capacity": "member"}],
            "on": "2026-03-05",
        },
    )
    with pytest.raises(WrongState):
        services.print_agenda(meeting, people["secretariat"], {"on": "2026-03-05"})
    with pytest.raises(NotAllowed):
        services.print_minutes(meeting, people["mayor"], {"on": "2026-03-06"})
    minutes = services.print_minutes(meeting, people["secretariat"], {"on": "2026-03-06"})
    assert minutes.doc_type == DocType.MEETING_MINUTES and minutes.number == "南府常纪〔2026〕1号"
    for text in ("书面申辩", "应予问责", "议定事项1：通报批评", "组成人员：市长"):
        assert text in minutes.body
    meeting.refresh_from_db()
    assert meeting.agenda_document == agenda and meeting.minutes_document == minutes
    with pytest.raises(WrongState):
        services.print_minutes(meeting, people["secretariat"], {"on": "2026-03-06"})


def test_minutes_wait_for_every_item(awaiting_meeting, act, people):
    first = act(
        awaiting_meeting(), "schedule", "secretariat", on=D(2026, 3, 3), meeting_date=D(2026, 3, 5)
    )
    act(
        awaiting_meeting("head_transport"),
        "schedule",
        "secretariat",
        on=D(2026, 3, 3),
        meeting_date=D(2026, 3, 5),
    )
    act(first, "deliberate", "secretariat", on=D(2026, 3, 5), minutes="纪要")
    with pytest.raises(RefusedByRule):
        services.print_minutes(Meeting.objects.get(), people["secretariat"], {"on": "2026-03-05"})


def test_plan_a_meeting_and_its_refusals(people):
    meeting = services.plan_meeting(
        people["secretariat"], {"date": "2026-03-12", "on": "2026-03-02"}
    )
    assert meeting.state == "planned" and meeting.place == "市政府常务会议室"
    assert meeting.history.get().history_user == people["secretariat"]
    with pytest.raises(NotAllowed):
        services.plan_meeting(people["head_education"], {"date": "2026-03-12"})
    for date in ("2026-02-29", "1990-01-01", "2026-03-01"):
        with pytest.raises(InvalidInput) as error:
            services.plan_meeting(people["secretariat"], {"date": date, "on": "2026-03-02"})
        assert "date" in error.value.fields
