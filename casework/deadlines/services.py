"""Opening, closing and extending deadlines: the only code that writes them."""

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.kernel import entrypoints
from casework.workcalendar import periods

from .models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Kind,
    Level,
    Notification,
    PeriodRule,
    PreliminaryInvestigation,
    WarningEvent,
)
from .rules import responsible_people, supervision_leaders


def open_deadline(
    kind,
    *,
    start,
    description,
    days=None,
    due=None,
    unit=None,
    user=None,
    case=None,
    complaint=None,
):
    """A deadline counted in working days from ``start`` (the day of the triggering event is
    not counted, procedures.md section 0), or with a due date set by the decider."""
    if due is None:
        result = periods.add_working_days(start, days)
        due, provisional = result.due, result.provisional
    else:
        provisional = not periods.calendar_is_complete(due.year)
    deadline = Deadline(
        case=case,
        complaint=complaint,
        kind=kind,
        description=description,
        responsible_unit=unit,
        responsible_user=user,
        start_date=start,
        working_days=days,
        due=due,
        provisional=provisional,
    )
    deadline._change_reason = description
    deadline.save()
    return deadline


def close_deadlines(queryset, *kinds, when=None, cancel=False, reason=""):
    """Mark the open deadlines of ``kinds`` in ``queryset`` done (or cancelled)."""
    moment = when or timezone.now()
    for deadline in queryset.open().filter(kind__in=kinds):
        if cancel:
            deadline.cancelled_at = moment
        else:
            deadline.done_at = moment
        deadline._change_reason = reason
        deadline.save()


def moment_of(on: datetime.date):
    """The moment of an act entered for day ``on``: now if today, else the end of that day."""
    if on == timezone.localdate():
        return timezone.now()
    return timezone.make_aware(datetime.datetime.combine(on, datetime.time(23, 59, 59)))


def request_extension(deadline, actor, *, reason, new_due, on):
    """Ask, in writing and before the deadline, for more time (Xinxiang complaint measures
    art. 6; early-warning measures)."""
    if not deadline.is_open:
        raise WrongState(_("该期限已完成，无需延期。"))
    if on > deadline.due:
        raise RefusedByRule(
            _("延期须在期限届满（%(due)s）前提出。") % {"due": deadline.due.isoformat()}
        )
    if new_due <= deadline.due:
        message = _("申请延至的日期须晚于现届满日期（%(due)s）。") % {
            "due": deadline.due.isoformat()
        }
        raise InvalidInput(message, {"new_due": [message]})
    if deadline.extensions.filter(status=Extension.Status.PENDING).exists():
        raise WrongState(_("已有延期申请待审批。"))
    extension = Extension(
        deadline=deadline, reason=reason, new_due=new_due, requested_on=on, requested_by=actor
    )
    extension._history_user = actor
    extension._change_reason = reason
    extension.save()
    return extension


def decide_extension(extension, actor, *, approve: bool, reason: str, on):
    """Grant or refuse; a granted extension moves the due date and keeps the original."""
    with transaction.atomic():
        extension = (
            Extension.objects.select_for_update().select_related("deadline").get(pk=extension.pk)
        )
        if extension.status != Extension.Status.PENDING:
            raise WrongState(_("该延期申请已审批。"))
        extension.status = Extension.Status.APPROVED if approve else Extension.Status.REFUSED
        extension.decided_by = actor
        extension.decided_on = on
        extension.decision_reason = reason
        extension._history_user = actor
        extension._change_reason = reason
        extension.save()
        if approve:
            deadline = extension.deadline
            if deadline.original_due is None:
                deadline.original_due = deadline.due
            deadline.due = extension.new_due
            deadline.provisional = not periods.calendar_is_complete(extension.new_due.year)
            deadline._history_user = actor
            deadline._change_reason = _("批准延期：%(reason)s") % {
                "reason": reason or extension.reason
            }
            deadline.save()
    return extension


# ------------------------------------------------------------------------------------
# The scan (Xinxiang early-warning measures art. 5–9)
# ------------------------------------------------------------------------------------


@dataclass
class ScanResult:
    pre_warnings: int = 0
    letters: int = 0
    investigations: int = 0

    @property
    def total(self):
        return self.pre_warnings + self.letters + self.investigations


def system_user():
    """The account in whose name the scan issues documents."""
    from casework.org.models import User

    user, created = User.objects.get_or_create(
        username="system", defaults={"full_name": "预警纠错系统", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


# The levels at or above each card level: a deadline already carded at one of them needs
# nothing more at that level for its current due date.
_AT_OR_ABOVE = {
    Level.PRE_WARNING: [Level.PRE_WARNING, Level.YELLOW, Level.RED],
    Level.YELLOW: [Level.YELLOW, Level.RED],
    Level.RED: [Level.RED],
}


def _missing(level, as_of, levels):
    """Open duties at one of ``levels`` as of ``as_of`` without a ``level`` event for their
    current due date: one range of due dates over a partial index (``at_level``), narrowed
    by the ``warned`` hint, with the anti-join on the events as the arbiter."""
    already = WarningEvent.objects.filter(deadline=OuterRef("pk"), level=level, due=OuterRef("due"))
    return (
        Deadline.objects.at_level(as_of, *levels)
        .exclude(warned__in=_AT_OR_ABOVE[level])
        .exclude(Exists(already))
        .select_related("responsible_unit", "responsible_user", "case", "complaint")
        .order_by("due", "id")
    )


def scan(as_of=None) -> ScanResult:
    """Send each notice and create each letter once per deadline and level. Safe to run
    again and on several machines at once: the event row is inserted first, and a second
    insert for the same (deadline, level, due) fails on the unique constraint."""
    as_of = as_of or timezone.localdate()
    result = ScanResult()
    # A deadline first seen already red still gets its yellow letter (art. 7) first.
    for level, levels, handler in (
        (Level.YELLOW, [Level.YELLOW, Level.RED], _issue_admonition_letter),
        (Level.RED, [Level.RED], _propose_investigation),
        (Level.PRE_WARNING, [Level.PRE_WARNING], _pre_warn),
    ):
        for deadline in _missing(level, as_of, levels).iterator(chunk_size=500):
            try:
                with transaction.atomic():
                    WarningEvent.objects.create(
                        deadline=deadline, level=level, as_of=as_of, due=deadline.due
                    )
                    # Derived hint, not history (the yellow pass runs before the red one, and
                    # the pre-warning pass sees no late deadline: it never downgrades).
                    Deadline.objects.filter(pk=deadline.pk).update(warned=level)
                    deadline.warned = level
                    handler(deadline, as_of)
            except IntegrityError:
                continue  # another scan got there first
            if level == Level.PRE_WARNING:
                result.pre_warnings += 1
            elif level == Level.YELLOW:
                result.letters += 1
            else:
                result.investigations += 1
    return result


def _subject(deadline) -> str:
    if deadline.case_id:
        return f"{deadline.case.number} {deadline.description}"
    if deadline.complaint_id:
        return _("投诉第%(pk)s号 %(what)s") % {
            "pk": deadline.complaint_id,
            "what": deadline.description,
        }
    return deadline.description


def _link(deadline) -> str:
    if deadline.case_id:
        return f"/accountability/{deadline.case_id}/"
    return "/deadlines/"


def _pre_warn(deadline, as_of):
    # Art. 6: the handler is told, so that the work is done in time.
    notify(
        responsible_people(deadline),
        _("预警提示：%(subject)s 将于 %(due)s 到期")
        % {"subject": _subject(deadline), "due": deadline.due.isoformat()},
        _("该事项办理期限到期前一个工作日，请抓紧办理（新乡预警纠错办法第五条）。"),
        link=_link(deadline),
        deadline=deadline,
    )


def _issue_admonition_letter(deadline, as_of):
    from casework.documents import services as documents
    from casework.documents.models import DocType

    unit = deadline.responsible_unit
    if deadline.kind == Kind.RECTIFICATION_REPORT:
        # The rectification report an earlier letter asked for is late: a yellow card and a
        # notice, not a letter about a letter (the red card then proposes an investigation).
        notify(
            responsible_people(deadline) + supervision_leaders(),
            _("黄牌警告：%(subject)s 逾期未报") % {"subject": _subject(deadline)},
            _("效能告诫书要求的整改情况书面报告已逾期（新乡预警纠错办法第九条）。"),
            link=_link(deadline),
            deadline=deadline,
        )
        return
    earlier = AdmonitionLetter.objects.filter(deadline=deadline).select_related("document").first()
    if earlier is not None:
        # Late again after an extension: one letter per deadline; the yellow card cites it.
        notify(
            responsible_people(deadline) + supervision_leaders(),
            _("黄牌警告：%(subject)s 延期后再次逾期（已发效能告诫书 %(number)s）")
            % {"subject": _subject(deadline), "number": earlier.document.number},
            _("延期后的届满日期 %(due)s 已过，请立即纠正（新乡预警纠错办法第七条）。")
            % {"due": deadline.due.isoformat()},
            link=_link(deadline),
            deadline=deadline,
        )
        return
    days = PeriodRule.days("admonition_report")
    report_deadline = open_deadline(
        Kind.RECTIFICATION_REPORT,
        start=as_of,
        days=days,
        description=_("书面报告纠错整改情况（新乡预警纠错办法第九条）"),
        unit=unit,
        user=deadline.responsible_user,
    )
    document = documents.issue(
        case=deadline.case,
        doc_type=DocType.ADMONITION_LETTER,
        title=_("效能告诫书"),
        body=_(
            "%(unit)s：\n你单位承办的“%(subject)s”应于%(due)s办结，至今未办结，已发出黄牌警告。"
            "现予效能告诫，请立即纠正，并于%(report_due)s前书面报告纠错整改情况"
            "（新乡预警纠错办法第七条、第九条）。"
        )
        % {
            "unit": unit.name if unit else _("承办单位"),
            "subject": _subject(deadline),
            "due": deadline.due.isoformat(),
            "report_due": report_deadline.due.isoformat(),
        },
        addressee=unit.name if unit else "",
        issued_on=as_of,
        issued_by=system_user(),
        reason=_("黄牌警告"),
    )
    letter = AdmonitionLetter(
        deadline=deadline, unit=unit, document=document, report_deadline=report_deadline
    )
    letter._change_reason = _("黄牌警告，发出效能告诫书")
    letter.save()
    notify(
        responsible_people(deadline),
        _("黄牌警告：%(subject)s 已超期，收到效能告诫书 %(number)s")
        % {"subject": _subject(deadline), "number": document.number},
        _("请于%(due)s前书面报告纠错整改情况。") % {"due": report_deadline.due.isoformat()},
        link=_link(deadline),
        deadline=deadline,
    )


def _propose_investigation(deadline, as_of):
    earlier = PreliminaryInvestigation.objects.filter(deadline=deadline).first()
    if earlier is not None:
        # Red again after an extension: one proposal per deadline; its leader is told.
        notify(
            supervision_leaders(),
            _("红牌警告：%(subject)s 延期后再次超期两个工作日以上（初步调查建议：%(status)s）")
            % {"subject": _subject(deadline), "status": earlier.get_status_display()},
            _("请结合已有的初步调查建议处理（新乡预警纠错办法第八条）。"),
            link="/deadlines/board/",
            deadline=deadline,
        )
        return
    investigation = PreliminaryInvestigation(
        deadline=deadline, unit=deadline.responsible_unit, proposed_on=as_of
    )
    investigation._change_reason = _("红牌警告，提出初步调查建议")
    investigation.save()
    notify(
        supervision_leaders(),
        _("红牌警告：%(subject)s 超期两个工作日以上，请审批初步调查")
        % {"subject": _subject(deadline)},
        _("经分管领导批准，可直接进行初步调查（新乡预警纠错办法第八条）。"),
        link="/deadlines/board/",
        deadline=deadline,
    )


def notify(recipients, title, body="", *, link="", deadline=None):
    """In-app for everyone, and by e-mail (Django's backend) for those with an address."""
    from django.conf import settings
    from django.core.mail import send_mail

    for person in {r.pk: r for r in recipients}.values():
        notification = Notification.objects.create(
            recipient=person, title=title[:255], body=body, link=link, deadline=deadline
        )
        if person.email:
            transaction.on_commit(
                lambda n=notification, p=person: _email(
                    n, p, send_mail, settings.DEFAULT_FROM_EMAIL
                )
            )


def _email(notification, person, send_mail, sender):
    sent = send_mail(
        notification.title, notification.body, sender, [person.email], fail_silently=True
    )
    if sent:
        Notification.objects.filter(pk=notification.pk).update(emailed=True)


# ------------------------------------------------------------------------------------
# Recalculation when the calendar changes
# ------------------------------------------------------------------------------------


def recompute_after_calendar_change(from_date, actor=None, reason=""):
    """Every open deadline counted in working days whose period reaches ``from_date`` is
    counted again: provisional ones become final, others move if a day changed. Each change
    is recorded in the deadline's history with the reason; the people concerned are told."""
    changed = 0
    for deadline in (
        Deadline.objects.open()
        .filter(due__gte=from_date)
        .select_related("responsible_unit", "responsible_user")
        .iterator(chunk_size=500)
    ):
        if (
            deadline.working_days is not None
            and not deadline.extensions.filter(status=Extension.Status.APPROVED).exists()
        ):
            result = periods.add_working_days(deadline.start_date, deadline.working_days)
            due, provisional = result.due, result.provisional
        else:
            due, provisional = deadline.due, not periods.calendar_is_complete(deadline.due.year)
        if due == deadline.due and provisional == deadline.provisional:
            continue
        old_due = deadline.due
        deadline.due, deadline.provisional = due, provisional
        deadline._history_user = actor
        deadline._change_reason = _("工作日历调整后重新计算：%(reason)s") % {"reason": reason}
        deadline.save()
        changed += 1
        if due != old_due:
            notify(
                responsible_people(deadline),
                _("期限调整：%(subject)s 的届满日期由 %(old)s 改为 %(new)s")
                % {
                    "subject": _subject(deadline),
                    "old": old_due.isoformat(),
                    "new": due.isoformat(),
                },
                _("原因：工作日历调整（%(reason)s）。") % {"reason": reason},
                link=_link(deadline),
                deadline=deadline,
            )
    return changed


# ------------------------------------------------------------------------------------
# What people do with warnings and deadlines
# ------------------------------------------------------------------------------------


def ask_for_extension(deadline, actor, *, reason, new_due, on=None):
    """The person responsible asks, before the deadline and with reasons, for more time;
    the total extension of a deadline is capped per kind (a setting)."""
    from .rules import extension_cap, may_request_extension

    on = on or timezone.localdate()
    if not may_request_extension(actor, deadline):
        raise NotAllowed(_("只有该期限的责任人或责任单位可以申请延期。"))
    if not (reason or "").strip():
        raise InvalidInput(_("请说明延期理由。"), {"reason": [_("请说明延期理由。")]})
    base = deadline.original_due or deadline.due
    total = periods.working_days_between(base, new_due).count
    cap = extension_cap(deadline.kind)
    if total > cap:
        message = _("延期合计不得超过 %(cap)s 个工作日（已申请合计 %(total)s 个工作日）。") % {
            "cap": cap,
            "total": total,
        }
        raise RefusedByRule(message, {"new_due": [message]})
    from .rules import extension_approvers

    extension = request_extension(deadline, actor, reason=reason.strip(), new_due=new_due, on=on)
    notify(
        [person for person in extension_approvers(deadline) if person.pk != actor.pk],
        _("延期申请待审批：%(subject)s 申请延至 %(new_due)s")
        % {"subject": _subject(deadline), "new_due": new_due.isoformat()},
        extension.reason,
        link="/deadlines/extensions/",
        deadline=deadline,
    )
    return extension


def decide_on_extension(extension, actor, *, approve, reason="", on=None):
    from .rules import may_decide_extension

    on = on or timezone.localdate()
    if not may_decide_extension(actor, extension.deadline, on):
        raise NotAllowed(_("您不是该期限延期的审批人。"))
    if extension.requested_by_id == actor.pk:
        raise NotAllowed(_("不能审批自己提出的延期申请。"))
    extension = decide_extension(extension, actor, approve=approve, reason=reason, on=on)
    notify(
        [extension.requested_by],
        (
            _("延期申请已批准：新的届满日期 %(due)s")
            if approve
            else _("延期申请未获批准（届满日期 %(due)s 不变）")
        )
        % {"due": extension.deadline.due.isoformat()},
        reason,
        link=_link(extension.deadline),
        deadline=extension.deadline,
    )
    return extension


def report_rectification(letter, actor, *, report, on=None):
    """Art. 9: the unit reports its rectification in writing."""
    from .rules import may_request_extension

    on = on or timezone.localdate()
    if not may_request_extension(actor, letter.report_deadline):
        raise NotAllowed(_("只有受告诫的单位可以报告整改情况。"))
    if letter.status != AdmonitionLetter.Status.ISSUED:
        raise WrongState(_("整改情况已报告。"))
    if not (report or "").strip():
        raise InvalidInput(_("请填写整改情况。"), {"report": [_("请填写整改情况。")]})
    with transaction.atomic():
        # Two presses at once: the second sees the letter already reported.
        letter = AdmonitionLetter.objects.select_for_update().get(pk=letter.pk)
        if letter.status != AdmonitionLetter.Status.ISSUED:
            raise WrongState(_("整改情况已报告。"))
        letter.status = AdmonitionLetter.Status.REPORTED
        letter.report = report.strip()
        letter.reported_on = on
        letter._history_user = actor
        letter._change_reason = _("书面报告整改情况")
        letter.save()
        close_deadlines(
            Deadline.objects.filter(pk=letter.report_deadline_id),
            Kind.RECTIFICATION_REPORT,
            when=moment_of(on),
            reason=_("已书面报告整改情况"),
        )
    return letter


def decide_investigation(investigation, actor, *, approve, reason="", on=None):
    """Art. 8: the supervision leader approves the preliminary investigation or dismisses it."""
    from .rules import may_decide_investigation

    on = on or timezone.localdate()
    if not may_decide_investigation(actor):
        raise NotAllowed(_("初步调查须经监察局分管领导批准。"))
    with transaction.atomic():
        investigation = PreliminaryInvestigation.objects.select_for_update().get(
            pk=investigation.pk
        )
        if investigation.status != PreliminaryInvestigation.Status.PROPOSED:
            raise WrongState(_("该初步调查建议已审批。"))
        investigation.status = (
            PreliminaryInvestigation.Status.INVESTIGATING
            if approve
            else PreliminaryInvestigation.Status.DISMISSED
        )
        investigation.approved_by = actor
        investigation.decided_on = on
        investigation.decision_reason = reason
        investigation._history_user = actor
        investigation._change_reason = reason or investigation.get_status_display()
        investigation.save()
    return investigation


def conclude_investigation(investigation, actor, *, open_case, conclusion, official=None, on=None):
    """Art. 8: "close after initial check" or "open a case" — which may open an
    accountability case against the responsible unit's head (source: supervision bureau)."""
    from .rules import may_conclude_investigation

    on = on or timezone.localdate()
    if not may_conclude_investigation(actor):
        raise NotAllowed(_("只有市监察局可以作出初步调查结论。"))
    if not (conclusion or "").strip():
        raise InvalidInput(_("请填写调查结论。"), {"conclusion": [_("请填写调查结论。")]})
    with transaction.atomic():
        investigation = PreliminaryInvestigation.objects.select_for_update().get(
            pk=investigation.pk
        )
        if investigation.status != PreliminaryInvestigation.Status.INVESTIGATING:
            raise WrongState(_("只有经批准的初步调查才能作出结论。"))
        investigation.conclusion = conclusion.strip()
        investigation.concluded_on = on
        investigation.status = (
            PreliminaryInvestigation.Status.CASE_OPENED
            if open_case
            else PreliminaryInvestigation.Status.CLOSED
        )
        if open_case and official is None:
            # Art. 8 → Nanchong art. 5: the case is against the responsible unit's head.
            from casework.org.models import Official

            official = Official.objects.filter(
                department=investigation.unit, is_head=True, active=True
            ).first()
            if official is None:
                message = _("责任单位没有在任的行政首长，请指定被问责人。")
                raise InvalidInput(message, {"official": [message]})
        if open_case:
            investigation.accountability_case = entrypoints.call(
                "accountability.open_case",
                official=official,
                actor=actor,
                on=on,
                summary=_("红牌警告初步调查后立案：%(text)s") % {"text": investigation.conclusion},
            )
        investigation._history_user = actor
        investigation._change_reason = investigation.get_status_display()
        investigation.save()
    return investigation
