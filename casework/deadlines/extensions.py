"""Extensions of deadlines: asked for in writing, before the due day, with reasons, decided
by the approver the procedure names (Xinxiang complaints art. 5–6)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.workcalendar import periods

from .models import Extension
from .notifications import link_to, notify, subject_of
from .rules import extension_approvers, extension_cap, may_decide_extension, may_request_extension


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


def ask_for_extension(deadline, actor, *, reason, new_due, on=None):
    """The person responsible asks, before the deadline and with reasons, for more time;
    the total extension of a deadline is capped per kind (a setting)."""
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
    extension = request_extension(deadline, actor, reason=reason.strip(), new_due=new_due, on=on)
    notify(
        [person for person in extension_approvers(deadline) if person.pk != actor.pk],
        _("延期申请待审批：%(subject)s 申请延至 %(new_due)s")
        % {"subject": subject_of(deadline), "new_due": new_due.isoformat()},
        extension.reason,
        link="/deadlines/extensions/",
        deadline=deadline,
    )
    return extension


def decide_on_extension(extension, actor, *, approve, reason="", on=None):
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
        link=link_to(extension.deadline),
        deadline=extension.deadline,
    )
    return extension
