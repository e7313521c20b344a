"""Admonition letters (效能告诫书, Xinxiang warning art. 7) issued on a yellow card, and the
rectification the warned unit reports in writing (Xinxiang warning art. 9)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.history import acting
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, WrongState
from casework.org.models import User

from .lifecycle import close_deadlines, moment_of, open_deadline
from .models import AdmonitionLetter, Deadline, Kind, PeriodRule
from .notifications import link_to, notify, subject_of
from .rules import is_responsible, responsible_people, supervision_leaders


def system_user():
    """The account in whose name the scan issues documents."""
    user, created = User.objects.get_or_create(
        username="system", defaults={"full_name": "预警纠错系统", "is_active": False}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    return user


def issue_admonition_letter(deadline, as_of):
    """The yellow card of ``deadline`` as of ``as_of`` (Xinxiang warning art. 7): one letter per
    deadline, with a deadline for the written rectification report (Xinxiang warning art. 9)."""
    unit = deadline.responsible_unit
    if deadline.kind == Kind.RECTIFICATION_REPORT:
        # The rectification report an earlier letter asked for is late: a yellow card and a
        # notice, not a letter about a letter (the red card then proposes an investigation).
        notify(
            responsible_people(deadline) + supervision_leaders(),
            _("黄牌警告：%(subject)s 逾期未报") % {"subject": subject_of(deadline)},
            _("效能告诫书要求的整改情况书面报告已逾期（新乡预警纠错办法第九条）。"),
            link=link_to(deadline),
            deadline=deadline,
        )
        return
    earlier = AdmonitionLetter.objects.filter(deadline=deadline).select_related("document").first()
    if earlier is not None:
        # Late again after an extension: one letter per deadline; the yellow card cites it.
        notify(
            responsible_people(deadline) + supervision_leaders(),
            _("黄牌警告：%(subject)s 延期后再次逾期（已发效能告诫书 %(number)s）")
            % {"subject": subject_of(deadline), "number": earlier.document.number},
            _("延期后的届满日期 %(due)s 已过，请立即纠正（新乡预警纠错办法第七条）。")
            % {"due": deadline.due.isoformat()},
            link=link_to(deadline),
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
            "subject": subject_of(deadline),
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
        % {"subject": subject_of(deadline), "number": document.number},
        _("请于%(due)s前书面报告纠错整改情况。") % {"due": report_deadline.due.isoformat()},
        link=link_to(deadline),
        deadline=deadline,
    )


def check_may_report(actor, letter):
    """Xinxiang warning art. 9: the warned unit (its people, or the person named on the report
    deadline) reports; anyone else is refused."""
    if not is_responsible(actor, letter.report_deadline):
        raise NotAllowed(_("只有受告诫的单位可以报告整改情况。"))


def may_report(actor, letter) -> bool:
    """Whether ``actor`` may report the rectification of ``letter`` now (pages, API)."""
    return letter.status == AdmonitionLetter.Status.ISSUED and is_responsible(
        actor, letter.report_deadline
    )


def report_rectification(letter, actor, *, report, on=None, ip=None):
    """Xinxiang warning art. 9: the unit reports its rectification in writing; the report deadline
    is met."""
    on = on or timezone.localdate()
    check_may_report(actor, letter)
    if not (report or "").strip():
        message = _("请填写整改情况。")
        raise InvalidInput(message, {"report": [message]})
    with transaction.atomic(), acting(ip):
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
