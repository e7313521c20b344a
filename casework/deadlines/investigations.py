"""Preliminary investigations (初步调查, Xinxiang warning art. 8): proposed on a red card,
approved or dismissed by the supervision leader, concluded by the supervision bureau
"close after initial check" or "open a case"."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.history import acting
from casework.exceptions import InvalidInput, NotAllowed, WrongState
from casework.kernel import entrypoints
from casework.org.models import Official

from .models import PreliminaryInvestigation
from .notifications import notify, subject_of
from .rules import (
    may_conclude_investigation,
    may_decide_investigation,
    sees_investigations,
    supervision_leaders,
)


def propose_investigation(deadline, as_of):
    """The red card of ``deadline`` as of ``as_of``: one proposal per deadline, for the
    supervision leader to approve (Xinxiang warning art. 8)."""
    earlier = PreliminaryInvestigation.objects.filter(deadline=deadline).first()
    if earlier is not None:
        # Red again after an extension: one proposal per deadline; its leader is told.
        notify(
            supervision_leaders(),
            _("红牌警告：%(subject)s 延期后再次超期两个工作日以上（初步调查建议：%(status)s）")
            % {"subject": subject_of(deadline), "status": earlier.get_status_display()},
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
        % {"subject": subject_of(deadline)},
        _("经分管领导批准，可直接进行初步调查（新乡预警纠错办法第八条）。"),
        link="/deadlines/board/",
        deadline=deadline,
    )


def check_may_see(actor):
    """The supervision bureau's work, overseen by the mayor's office."""
    if not sees_investigations(actor):
        raise NotAllowed(_("只有市监察局和市政府领导可以查看初步调查。"))


def check_may_decide(actor):
    """Xinxiang warning art. 8: the supervision leader approves."""
    if not may_decide_investigation(actor):
        raise NotAllowed(_("初步调查须经监察局分管领导批准。"))


def check_may_conclude(actor):
    """Xinxiang warning art. 8: the supervision bureau concludes."""
    if not may_conclude_investigation(actor):
        raise NotAllowed(_("只有市监察局可以作出初步调查结论。"))


def decide_investigation(investigation, actor, *, approve, reason="", on=None, ip=None):
    """Xinxiang warning art. 8: the supervision leader approves the preliminary investigation or
    dismisses it."""
    on = on or timezone.localdate()
    check_may_decide(actor)
    with transaction.atomic(), acting(ip):
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


def head_of_late_unit(investigation, official=None):
    """Xinxiang warning art. 8 → Nanchong art. 2, 5: the case is against the head of the
    unit whose deadline was late. ``official``, if named, must be that head; a 400 naming
    ``official`` otherwise, or when the unit has no head in office."""
    unit = investigation.unit
    head = (
        Official.objects.filter(department=unit, is_head=True, active=True).first()
        if unit is not None
        else None
    )
    if head is None:
        message = _("责任单位没有在任的行政首长，不能立案调查。")
        raise InvalidInput(message, {"official": [message]})
    if official is not None and official.pk != head.pk:
        message = _("立案调查的被问责人须为超期责任单位（%(unit)s）的行政首长%(head)s。") % {
            "unit": unit.name,
            "head": head.name,
        }
        raise InvalidInput(message, {"official": [message]})
    return head


def conclude_investigation(
    investigation, actor, *, open_case, conclusion, official=None, on=None, ip=None
):
    """Xinxiang warning art. 8: "close after initial check" or "open a case" — which opens an
    accountability case against the responsible unit's head (source: supervision bureau), through
    the accountability procedure's entry point."""
    on = on or timezone.localdate()
    check_may_conclude(actor)
    if not (conclusion or "").strip():
        message = _("请填写调查结论。")
        raise InvalidInput(message, {"conclusion": [message]})
    if official is not None and not open_case:
        message = _("初核了结时无需指定被问责人。")
        raise InvalidInput(message, {"official": [message]})
    with transaction.atomic(), acting(ip):
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
        if open_case:
            official = head_of_late_unit(investigation, official)
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
