"""Extensions of deadlines (Xinxiang complaints art. 5–6): asked for in writing, on or
before the due day, with reasons, within the total the kind's rule allows, and decided by
the approver the rule names — never by the person who asked.

``ask`` and ``decide`` are the one path for the API, the pages and the complaint procedure.
Each makes every check, once, in this order: who may act (403), the body (400), the state
(409), the legal rules (422); then it writes with history and tells the people concerned.
A refusal changes nothing and tells no one. The refusals are worded here and nowhere else.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit.history import acting
from casework.exceptions import (
    InvalidInput,
    NotAllowed,
    RefusedByRule,
    ServiceError,
    WrongState,
    validated,
)
from casework.workcalendar import periods

from .lifecycle import rolled
from .models import Deadline, Extension, Kind
from .notifications import link_to, notify, subject_of
from .payloads import AskForExtension, DecideOnExtension
from .rules import (
    decidable_kinds,
    extension_approvers,
    extension_rule,
    is_approver,
    is_responsible,
)

# --- who may act ----------------------------------------------------------------------------


def check_may_ask(actor, deadline, rule):
    """Only the person or unit that keeps a duty asks (Xinxiang complaints art. 6: the organ
    asks for its own period), and only for a kind of deadline that has a rule."""
    if not is_responsible(actor, deadline):
        raise NotAllowed(_("只有该期限的责任人或责任单位可以申请延期。"))
    if deadline.is_right:
        # The objection period and the review window are the official's rights: a clock,
        # not a duty (Nanchong art. 8 and 14).
        raise NotAllowed(_("异议期、申请复核期是当事人的权利期间，不能延期。"))
    if rule is None:
        raise NotAllowed(
            _("“%(kind)s”期限没有延期规则，不能延期。") % {"kind": deadline.get_kind_display()}
        )


def may_ask(actor, deadline, *, rule, on) -> bool:
    """Whether a page should offer ``actor`` to ask on ``on``: allowed to ask, and the
    deadline still open and not yet past its due day."""
    try:
        check_may_ask(actor, deadline, rule)
    except NotAllowed:
        return False
    return deadline.is_open and on <= deadline.due


def check_may_decide(actor, extension, rule, on):
    """The approver the rule names, on the day of the decision; never one's own request."""
    if rule is None:
        raise NotAllowed(
            _("“%(kind)s”期限没有延期规则，无人可以审批延期。")
            % {"kind": extension.deadline.get_kind_display()}
        )
    if not is_approver(actor, rule.approver, on, extension.deadline):
        raise NotAllowed(_("您不是该期限延期的审批人。"))
    if extension.requested_by_id == actor.pk:
        raise NotAllowed(_("不能审批自己提出的延期申请。"))


def refusal_to_decide(actor, extension, on) -> ServiceError | None:
    """Why ``actor`` may not decide ``extension`` on ``on`` (None: they may)."""
    if extension.status != Extension.Status.PENDING:
        return WrongState(_("该延期申请已审批。"))
    try:
        check_may_decide(actor, extension, extension_rule(extension.deadline.kind), on)
    except ServiceError as refusal:
        return refusal
    return None


def kinds_to_decide(actor, on) -> list[str]:
    """The kinds of deadline whose extensions ``actor`` decides on ``on`` (the list of
    requests to decide); refused when there are none."""
    kinds = decidable_kinds(actor, on)
    if not kinds:
        raise NotAllowed(_("您不是任何期限延期的审批人。"))
    return kinds


# --- asking ---------------------------------------------------------------------------------


def ask(deadline, actor, data, *, on=None, ip=None) -> Extension:
    """``actor`` asks, on ``on`` (default today), to extend ``deadline`` as ``data`` says
    (``{"reason", "new_due"}``, validated here); the approvers are told."""
    on = on or timezone.localdate()
    rule = extension_rule(deadline.kind)
    check_may_ask(actor, deadline, rule)
    payload = validated(AskForExtension, data)
    # A new date on a rest day is asked for as the next working day, the request keeping
    # the date asked beside it (顺延, Xinxiang warning art. 16).
    new_due, as_asked = rolled(payload["new_due"])
    with transaction.atomic(), acting(ip):
        # Two requests at once: the second waits and then sees the first one pending.
        deadline = Deadline.objects.select_for_update().get(pk=deadline.pk)
        _check_request(deadline, rule, new_due=new_due, on=on)
        extension = _request(
            deadline, actor, reason=payload["reason"], new_due=new_due, on=on, as_asked=as_asked
        )
        notify(
            [person for person in extension_approvers(rule, on, deadline) if person.pk != actor.pk],
            _("延期申请待审批：%(subject)s 申请延至 %(new_due)s")
            % {"subject": subject_of(deadline), "new_due": extension.new_due.isoformat()},
            extension.reason,
            link="/deadlines/extensions/",
            deadline=deadline,
        )
    return extension


def _check_open_to_request(deadline, on):
    """What must hold before any request is read: the deadline runs, its due day has not
    passed, and no request waits for a decision."""
    if not deadline.is_open:
        raise WrongState(_("该期限已完成，无需延期。"))
    # Xinxiang complaints art. 6: asked for before the deadline (the due day included).
    if on > deadline.due:
        raise RefusedByRule(
            _("延期须在期限届满（%(due)s）前提出。") % {"due": deadline.due.isoformat()}
        )
    if _has_pending_request(deadline):
        raise WrongState(_("已有延期申请待审批。"))


def _has_pending_request(deadline) -> bool:
    """Whether a request waits for a decision: from the extensions a list prefetched, else
    one query."""
    prefetched = getattr(deadline, "_prefetched_objects_cache", {}).get("extensions")
    if prefetched is not None:
        return any(e.status == Extension.Status.PENDING for e in prefetched)
    return deadline.extensions.filter(status=Extension.Status.PENDING).exists()


def refusal_to_ask(actor, deadline, on) -> ServiceError | None:
    """Why ``actor`` may not ask on ``on`` to extend ``deadline`` whatever they write (None:
    they may): for a procedure that offers the request among its steps."""
    try:
        check_may_ask(actor, deadline, extension_rule(deadline.kind))
        _check_open_to_request(deadline, on)
    except ServiceError as refusal:
        return refusal
    return None


def _check_request(deadline, rule, *, new_due, on):
    _check_open_to_request(deadline, on)
    if new_due <= deadline.due:
        message = _("申请延至的日期须晚于现届满日期（%(due)s）。") % {
            "due": deadline.due.isoformat()
        }
        raise InvalidInput(message, {"new_due": [message]})
    bound = enclosing_deadline(deadline)
    if bound is not None and new_due > bound.due:
        # Xinxiang complaints art. 5, 6: the organ's report lies within the complaint's
        # handling period, so granting the organ more time extends that period with it —
        # within the handling period's own cap.
        bound_rule = extension_rule(bound.kind)
        total = total_working_days(bound, new_due)
        if bound_rule is None or total > bound_rule.cap_working_days:
            message = _(
                "申请延至的日期晚于投诉办理期限（%(due)s），而投诉办理期限延期合计不得超过"
                " %(cap)s 个工作日。"
            ) % {
                "due": bound.due.isoformat(),
                "cap": bound_rule.cap_working_days if bound_rule else 0,
            }
            raise RefusedByRule(message, {"new_due": [message]})
    total = total_working_days(deadline, new_due)
    if total > rule.cap_working_days:
        message = _("延期合计不得超过 %(cap)s 个工作日（已申请合计 %(total)s 个工作日）。") % {
            "cap": rule.cap_working_days,
            "total": total,
        }
        raise RefusedByRule(message, {"new_due": [message]})


def enclosing_deadline(deadline):
    """The running period ``deadline`` must end within, or None: the complaint's handling
    period for the organ's report (Xinxiang complaints art. 5)."""
    if deadline.kind != Kind.ORGAN_REPORT or deadline.complaint_id is None:
        return None
    return (
        Deadline.objects.open()
        .filter(complaint_id=deadline.complaint_id, kind=Kind.COMPLAINT_HANDLING)
        .order_by("-id")
        .first()
    )


def total_working_days(deadline, new_due) -> int:
    """The working days ``deadline`` would be extended by in all, were it to fall due on
    ``new_due``: counted from the original due date, so that successive extensions add up
    under the one cap."""
    return periods.working_days_between(deadline.original_due or deadline.due, new_due).count


def _request(deadline, actor, *, reason, new_due, on, as_asked=None) -> Extension:
    extension = Extension(
        deadline=deadline,
        reason=reason,
        new_due=new_due,
        new_due_as_asked=as_asked,
        requested_on=on,
        requested_by=actor,
    )
    extension._history_user = actor
    extension._change_reason = f"{reason}；{extension.new_due_note}" if as_asked else reason
    extension.save()
    return extension


# --- deciding -------------------------------------------------------------------------------


def decide(extension, actor, data, *, on=None, ip=None) -> Extension:
    """The approver grants or refuses, on ``on`` (default today), as ``data`` says
    (``{"approve", "reason"?}``, validated here); the person who asked is told."""
    on = on or timezone.localdate()
    rule = extension_rule(extension.deadline.kind)
    check_may_decide(actor, extension, rule, on)
    payload = validated(DecideOnExtension, data)
    approve, reason = payload["approve"], payload["reason"]
    with transaction.atomic(), acting(ip):
        extension = _decide(extension, actor, approve=approve, reason=reason, on=on)
        deadline = extension.deadline
        notify(
            [extension.requested_by],
            (
                _("延期申请已批准：新的届满日期 %(due)s")
                if approve
                else _("延期申请未获批准（届满日期 %(due)s 不变）")
            )
            % {"due": deadline.due.isoformat()},
            reason,
            link=link_to(deadline),
            deadline=deadline,
        )
    return extension


def _decide(extension, actor, *, approve: bool, reason: str, on) -> Extension:
    """A granted extension moves the due date, keeps the original beside it and says again
    whether the new date is provisional; the deadline then warns anew."""
    # The extension and its deadline locked together: two approvers at once, one decides.
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
        deadline.due_as_set = extension.new_due_as_asked
        deadline.provisional = not periods.calendar_is_complete(extension.new_due.year)
        deadline._history_user = actor
        deadline._change_reason = _("批准延期：%(reason)s") % {"reason": reason or extension.reason}
        deadline.save()
        _extend_enclosing(deadline, actor)
    return extension


def _extend_enclosing(deadline, actor):
    """The period ``deadline`` lies within moves with it (Xinxiang complaints art. 5, 6: the
    head who grants the organ more time extends the complaint's handling period with it)."""
    bound = enclosing_deadline(deadline)
    if bound is None or deadline.due <= bound.due:
        return
    bound = Deadline.objects.select_for_update().get(pk=bound.pk)
    if bound.original_due is None:
        bound.original_due = bound.due
    bound.due, bound.due_as_set = deadline.due, None
    bound.provisional = not periods.calendar_is_complete(bound.due.year)
    bound._history_user = actor
    bound._change_reason = _(
        "随承办机关报送期限一并延长至 %(due)s（新乡投诉办法第五条、第六条）"
    ) % {"due": bound.due.isoformat()}
    bound.save()
