"""The only code that changes an executive meeting, its agenda and its minutes.

Every act takes the record's lock (``history.acting``), then the meeting's row, checks the
person (``rules``), the body (``payloads``) and the state, and writes rows whose history says
who, why and from where. A refusal changes nothing.

A case comes onto the agenda through its own procedure's step (the accountability step
``schedule`` calls ``put_on_agenda``), and its deliberation is recorded by the procedure's step
named on the item (``deliberate`` calls ``record_deliberation``): the minutes entered from the
meeting run that step through the kernel's pipeline, so that the case moves with its minutes.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from casework.audit.history import acting
from casework.deadlines.notifications import notify
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, RefusedByRule, WrongState, is_stale, validated
from casework.kernel import clock, pipeline
from casework.kernel.declaration import procedure as declared
from casework.org.roles import Role

from . import payloads, rules
from .models import AgendaItem, AgreedMatter, Attendee, Meeting, MeetingState
from .signals import item_moved

# ------------------------------------------------------------------------------------------
# Reading
# ------------------------------------------------------------------------------------------


def open_item(procedure_name: str, object_id: int, *, lock=False):
    """The item a case waits on (not yet deliberated), or None."""
    queryset = AgendaItem.objects.filter(
        procedure=procedure_name, object_id=object_id, deliberated_on__isnull=True
    )
    if lock:
        queryset = queryset.select_for_update()
    return queryset.select_related("meeting").first()


def items_of(procedure_name: str, object_id: int):
    """Every item a case was ever on (its meetings, oldest first)."""
    return AgendaItem.objects.filter(procedure=procedure_name, object_id=object_id).select_related(
        "meeting"
    )


def case_of(item):
    """The case an item names, through the kernel's declarations."""
    return declared(item.procedure).model.objects.get(pk=item.object_id)


# ------------------------------------------------------------------------------------------
# What the acts share
# ------------------------------------------------------------------------------------------


def _field_error(field, message):
    return InvalidInput(message, {field: [message]})


def _save(row, actor, reason):
    row._history_user = actor
    row._change_reason = reason
    row.save()
    return row


def _locked(meeting_pk) -> Meeting:
    return Meeting.objects.select_for_update().get(pk=meeting_pk)


def _check_version(meeting, if_match):
    if is_stale(if_match, meeting.version):
        raise WrongState(
            _("会议已被他人更新（当前版本 %(version)s），请刷新后重试。")
            % {"version": meeting.version}
        )


def _touch(meeting, actor, reason):
    meeting.version += 1
    return _save(meeting, actor, reason)


def _day(payload) -> datetime.date:
    return payload.get("on") or clock.today()


def _new_meeting(date, place, actor, reason) -> Meeting:
    """A meeting numbered within its year (2026年第3次). The record's lock is held."""
    last = Meeting.objects.filter(year=date.year).aggregate(last=Max("seq"))["last"] or 0
    meeting = Meeting(
        number=_("%(year)s年第%(seq)s次") % {"year": date.year, "seq": last + 1},
        year=date.year,
        seq=last + 1,
        date=date,
        place=place or str(payloads.DEFAULT_PLACE),
        created_by=actor,
    )
    return _save(meeting, actor, reason)


def _append(item, meeting):
    last = meeting.items.aggregate(last=Max("position"))["last"] or 0
    item.meeting = meeting
    item.position = last + 1


def _notify_concerned(item, title, body):
    if item.concerned_id is not None:
        notify([item.concerned], title, body, link=item.get_absolute_url())


def _invitation(item) -> str:
    # Nanchong art. 11: the head may make a statement and defend himself at the meeting.
    return _(
        "您的事项（%(subject)s）已列入%(date)s在%(place)s召开的市政府常务会议（%(number)s）议程。"
        "根据《南充市政府对政府部门行政首长问责暂行办法》第十一条，您可以在会上陈述和申辩，"
        "也可以在会前提交书面陈述和申辩。"
    ) % {
        "subject": item.subject,
        "date": item.meeting.date.isoformat(),
        "place": item.meeting.place,
        "number": item.meeting.number,
    }


# ------------------------------------------------------------------------------------------
# The acts
# ------------------------------------------------------------------------------------------


def plan_meeting(actor, data, *, ip=None) -> Meeting:
    """The secretariat sets a meeting's date and place (Xi'an meeting rules, section 3 (4))."""
    rules.may_organise(actor)
    payload = validated(payloads.PlanMeeting, data)
    on = _day(payload)
    if payload["date"] < on:
        raise _field_error("date", _("会议日期不得早于办理日期。"))
    reason = _("安排常务会议")
    with transaction.atomic(), acting(ip, reason):
        return _new_meeting(payload["date"], payload.get("place", ""), actor, reason)


def put_on_agenda(
    procedure_name,
    obj,
    *,
    subject,
    concerned,
    concerned_name,
    actor,
    on,
    step="",
    meeting=None,
    date=None,
    place="",
    reason="",
) -> AgendaItem:
    """Put a case on the agenda of ``meeting`` (an id), or of the meeting planned for
    ``date`` (created if there is none), and notify the person concerned of the date and of
    their right to state and defend (Nanchong art. 11). Called by a procedure's step, inside
    its transaction."""
    reason = reason or _("列入常务会议议程")
    if meeting is not None:
        target = Meeting.objects.select_for_update().filter(pk=meeting).first()
        if target is None:
            raise _field_error("meeting", _("没有该常务会议。"))
        if date is not None and date != target.date:
            raise _field_error(
                "meeting_date",
                _("该会议定于%(date)s召开，与所填会议日期不符。") % {"date": target.date},
            )
        if target.state != MeetingState.PLANNED:
            raise WrongState(
                _("该会议%(state)s，不能再列入议题。") % {"state": target.get_state_display()}
            )
    else:
        target = (
            Meeting.objects.select_for_update()
            .filter(date=date, state=MeetingState.PLANNED)
            .order_by("id")
            .first()
        ) or _new_meeting(date, place, actor, _("安排常务会议"))
    if target.date < on:
        raise _field_error(
            "meeting" if meeting is not None else "meeting_date",
            _("会议日期不得早于办理日期。"),
        )
    if open_item(procedure_name, obj.pk) is not None:
        raise WrongState(_("该案件已列入常务会议议程。"))
    item = AgendaItem(
        procedure=procedure_name,
        object_id=obj.pk,
        subject=subject[:255],
        deliberation_step=step,
        concerned=concerned,
        concerned_name=concerned_name,
        placed_on=on,
    )
    _append(item, target)
    _save(item, actor, reason)
    _touch(target, actor, reason)
    _notify_concerned(
        item,
        _("常务会议通知：%(subject)s") % {"subject": item.subject},
        _invitation(item),
    )
    return item


def file_statement(item, actor, data, *, ip=None) -> AgendaItem:
    """The person concerned files a written statement and defence before the meeting
    (Nanchong art. 11); the secretariat enters one that arrived on paper."""
    if not rules.is_concerned(actor, item) and not rules.organises(actor):
        raise rules.statement_refusal(actor, item, clock.today())
    payload = validated(payloads.Statement, data)
    on = _day(payload)
    reason = _("提交书面陈述和申辩")
    with transaction.atomic(), acting(ip, reason):
        locked = AgendaItem.objects.select_for_update().select_related("meeting").get(pk=item.pk)
        if on < locked.placed_on:
            raise _field_error("on", _("提交日期不得早于列入议程之日。"))
        refusal = rules.statement_refusal(actor, locked, on)
        if refusal is not None:
            raise refusal
        locked.written_statement = payload["text"]
        locked.written_statement_on = on
        locked.written_statement_by = actor
        return _save(locked, actor, reason)


def hold(meeting, actor, data, *, ip=None, if_match=None) -> Meeting:
    """The meeting took place: its chair and attendance (Xi'an meeting rules, sections 1, 4
    (3)). A meeting already marked held by the deliberation of an item takes its attendance
    once."""
    rules.may_organise(actor)
    payload = validated(payloads.HoldMeeting, data)
    on = _day(payload)
    chair = None
    if "chair" in payload:
        # Xi'an meeting rules, section 1: the mayor chairs, or the executive vice-mayor he
        # commissions.
        chair = (
            get_user_model()
            .objects.filter(
                pk=payload["chair"],
                is_active=True,
                groups__name__in=[Role.MAYOR, Role.VICE_MAYOR],
            )
            .first()
        )
        if chair is None:
            raise _field_error("chair", _("主持人须为市长或受委托的副市长。"))
    reason = _("登记会议召开及出席情况")
    with transaction.atomic(), acting(ip, reason):
        locked = _locked(meeting.pk)
        _check_version(locked, if_match)
        if locked.state == MeetingState.POSTPONED or (
            locked.state == MeetingState.HELD and locked.attendees.exists()
        ):
            raise WrongState(
                _("会议%(state)s，不能登记召开情况。") % {"state": locked.get_state_display()}
            )
        if on < locked.date:
            raise RefusedByRule(
                _("会议定于%(date)s召开，会前不能登记召开情况。")
                % {"date": locked.date.isoformat()}
            )
        if locked.state == MeetingState.PLANNED:
            locked.hold()
            locked.held_on = locked.date
        if chair is not None:
            locked.chair = chair
        for entry in payload["attendance"]:
            _save(
                Attendee(
                    meeting=locked,
                    name=entry["name"],
                    capacity=entry["capacity"],
                    present=entry.get("present", True),
                    absence_reason=entry.get("absence_reason", ""),
                ),
                actor,
                reason,
            )
        return _touch(locked, actor, reason)


def record_deliberation(
    procedure_name, obj, *, actor, on, minutes, statement="", defence="", decisions=()
):
    """The minutes of a case's item: the statement and the defence made at the meeting, the
    discussion and the matters agreed (Nanchong art. 11; Xi'an meeting rules, section 5).
    The meeting is held once an item of it was deliberated. Called by the procedure's step,
    inside its transaction; None when the case is on no agenda (scheduled before meetings
    were recorded)."""
    item = open_item(procedure_name, obj.pk, lock=True)
    if item is None:
        return None
    meeting = _locked(item.meeting_id)
    if on < meeting.date:
        raise RefusedByRule(
            _("常务会议定于%(date)s召开，会前不能登记会议讨论情况。")
            % {"date": meeting.date.isoformat()}
        )
    reason = _("登记议题讨论情况")
    if meeting.state == MeetingState.PLANNED:
        meeting.hold()
        meeting.held_on = meeting.date
    item.statement = statement
    item.defence = defence
    item.discussion = minutes
    item.deliberated_on = on
    _save(item, actor, reason)
    last = meeting.agreed_matters.aggregate(last=Max("seq"))["last"] or 0
    for offset, text in enumerate(decisions, 1):
        _save(
            AgreedMatter(meeting=meeting, item=item, seq=last + offset, text=text, recorded_on=on),
            actor,
            reason,
        )
    _touch(meeting, actor, reason)
    return item


def record_minutes(meeting, actor, data, *, ip=None) -> AgendaItem:
    """The minutes of one item entered from the meeting. An item whose procedure names a
    step for its deliberation runs that step on the case (the accountability case moves to
    ``deliberated``); any other item is minuted here."""
    rules.may_organise(actor)
    payload = validated(payloads.MinutesEntry, data)
    item = AgendaItem.objects.filter(pk=payload["item"], meeting=meeting).first()
    if item is None:
        raise _field_error("item", _("该议题不在本次会议议程上。"))
    if item.deliberated_on is not None:
        raise WrongState(_("该议题的讨论情况已登记。"))
    body = {key: value for key, value in data.items() if key != "item"}
    if item.deliberation_step:
        procedure = declared(item.procedure)
        pipeline.transition(procedure, case_of(item), item.deliberation_step, actor, body, ip=ip)
    else:
        on = _day(payload)
        with transaction.atomic(), acting(ip, _("登记议题讨论情况")):
            record_deliberation(
                item.procedure,
                case_of(item),
                actor=actor,
                on=on,
                minutes=payload["minutes"],
                statement=payload.get("statement", ""),
                defence=payload.get("defence", ""),
                decisions=payload.get("decisions", []),
            )
    item.refresh_from_db()
    return item


def postpone(meeting, actor, data, *, ip=None, if_match=None) -> Meeting:
    """The meeting is not held on its date: its items move to the meeting of the new date
    (the one planned for it, or a new one), and each person concerned is told again
    (Nanchong art. 11). A meeting held cannot be postponed."""
    rules.may_organise(actor)
    payload = validated(payloads.Postpone, data)
    on = _day(payload)
    reason = _("会议延期：%(reason)s") % {"reason": payload["reason"]}
    with transaction.atomic(), acting(ip, reason):
        locked = _locked(meeting.pk)
        _check_version(locked, if_match)
        if locked.state != MeetingState.PLANNED:
            raise WrongState(_("会议%(state)s，不能延期。") % {"state": locked.get_state_display()})
        new_date = payload["new_date"]
        if new_date <= locked.date:
            raise _field_error(
                "new_date",
                _("延期后的日期须晚于原定日期（%(date)s）。") % {"date": locked.date.isoformat()},
            )
        if new_date < on:
            raise _field_error("new_date", _("延期后的日期不得早于办理日期。"))
        target = (
            Meeting.objects.select_for_update()
            .filter(date=new_date, state=MeetingState.PLANNED)
            .exclude(pk=locked.pk)
            .order_by("id")
            .first()
        ) or _new_meeting(new_date, payload.get("place") or locked.place, actor, reason)
        moved = list(locked.items.filter(deliberated_on__isnull=True).order_by("position", "id"))
        for item in moved:
            _append(item, target)
            _save(item, actor, reason)
        locked.postpone()
        locked.postponed_to = target
        locked.postponement_reason = payload["reason"]
        _touch(locked, actor, reason)
        _touch(target, actor, reason)
        for item in moved:
            item_moved.send(
                sender=declared(item.procedure),
                item=item,
                old_date=locked.date,
                new_date=target.date,
                actor=actor,
                on=on,
            )
            _notify_concerned(
                item,
                _("常务会议延期：%(subject)s") % {"subject": item.subject},
                _("原定%(old)s召开的常务会议已延期（%(reason)s）。")
                % {"old": locked.date.isoformat(), "reason": payload["reason"]}
                + _invitation(item),
            )
        return target


# ------------------------------------------------------------------------------------------
# The documents the secretariat prints
# ------------------------------------------------------------------------------------------


def _lines_of_agenda(meeting, items) -> list[str]:
    lines = [
        _("会次：%(number)s") % {"number": meeting.number},
        _("时间：%(date)s") % {"date": meeting.date.isoformat()},
        _("地点：%(place)s") % {"place": meeting.place},
    ]
    if meeting.chair_id:
        lines.append(_("主持人：%(chair)s") % {"chair": meeting.chair})
    lines.append(_("议题："))
    for item in items:
        line = f"{item.position}. {item.subject}"
        if item.concerned_name:
            # Nanchong art. 11
            line += _("（%(name)s列席，可陈述和申辩）") % {"name": item.concerned_name}
        lines.append(line)
    return lines


def print_agenda(meeting, actor, data, *, ip=None):
    """The agenda as a numbered document (Xi'an meeting rules, section 3 (4), 4 (2)).
    Printed again after a change, it takes a new number; the earlier one stays issued."""
    rules.may_organise(actor)
    payload = validated(payloads.Empty, data)
    on = _day(payload)
    reason = _("印发会议议程")
    with transaction.atomic(), acting(ip, reason):
        locked = _locked(meeting.pk)
        if locked.state != MeetingState.PLANNED:
            raise WrongState(
                _("会议%(state)s，不再印发议程。") % {"state": locked.get_state_display()}
            )
        items = list(locked.items.order_by("position", "id"))
        if not items:
            raise RefusedByRule(_("议程上还没有议题。"))
        if on > locked.date:
            raise _field_error("on", _("议程须在会前印发。"))
        document = documents.issue(
            case=None,
            doc_type=DocType.MEETING_AGENDA,
            title=_("南充市人民政府%(meeting)s议程") % {"meeting": locked},
            body="\n".join(_lines_of_agenda(locked, items)),
            addressee=_("市政府常务会议组成人员、列席人员"),
            issued_on=on,
            issued_by=actor,
            reason=reason,
            ip=ip,
        )
        locked.agenda_document = document
        _touch(locked, actor, reason)
        return document


def _lines_of_minutes(meeting) -> list[str]:
    lines = [
        _("%(meeting)s于%(date)s在%(place)s召开。")
        % {"meeting": meeting, "date": meeting.held_on.isoformat(), "place": meeting.place}
    ]
    if meeting.chair_id:
        lines.append(_("主持人：%(chair)s") % {"chair": meeting.chair})
    attendees = list(meeting.attendees.order_by("capacity", "id"))
    for capacity, label in Attendee.Capacity.choices:
        names = [a.name for a in attendees if a.capacity == capacity and a.present]
        if names:
            lines.append(_("%(label)s：%(names)s") % {"label": label, "names": "、".join(names)})
    absent = [f"{a.name}（{a.absence_reason}）" for a in attendees if not a.present]
    if absent:
        lines.append(_("请假：%(names)s") % {"names": "、".join(absent)})
    matters = list(meeting.agreed_matters.order_by("seq"))
    for item in meeting.items.order_by("position", "id"):
        lines.append(f"{item.position}. {item.subject}")
        if item.written_statement:
            lines.append(_("书面陈述和申辩：%(text)s") % {"text": item.written_statement})
        if item.statement:
            lines.append(_("会上陈述：%(text)s") % {"text": item.statement})
        if item.defence:
            lines.append(_("会上申辩：%(text)s") % {"text": item.defence})
        lines.append(_("讨论情况：%(text)s") % {"text": item.discussion})
        for matter in (m for m in matters if m.item_id == item.pk):
            lines.append(_("议定事项%(seq)s：%(text)s") % {"seq": matter.seq, "text": matter.text})
    return lines


def print_minutes(meeting, actor, data, *, ip=None):
    """The minutes (会议纪要) as a numbered document, once every item was minuted (Xi'an
    meeting rules, section 5 (2)); a correction is an amendment of it."""
    rules.may_organise(actor)
    payload = validated(payloads.Empty, data)
    on = _day(payload)
    reason = _("印发会议纪要")
    with transaction.atomic(), acting(ip, reason):
        locked = _locked(meeting.pk)
        if locked.state != MeetingState.HELD:
            raise WrongState(
                _("会议%(state)s，尚不能印发纪要。") % {"state": locked.get_state_display()}
            )
        if locked.minutes_document_id is not None:
            raise WrongState(_("会议纪要已印发；更正请追加补正记录。"))
        if locked.items.filter(deliberated_on__isnull=True).exists():
            raise RefusedByRule(_("尚有议题未登记讨论情况，不能印发会议纪要。"))
        if on < locked.held_on:
            raise _field_error("on", _("纪要不得早于会议召开日期印发。"))
        document = documents.issue(
            case=None,
            doc_type=DocType.MEETING_MINUTES,
            title=_("南充市人民政府%(meeting)s纪要") % {"meeting": locked},
            body="\n".join(_lines_of_minutes(locked)),
            addressee=_("市政府常务会议组成人员、列席单位"),
            issued_on=on,
            issued_by=actor,
            reason=reason,
            ip=ip,
        )
        locked.minutes_document = document
        _touch(locked, actor, reason)
        return document
