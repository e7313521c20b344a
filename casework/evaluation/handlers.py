"""The bodies and guards of the evaluation's steps (declaration.py). The pipeline calls them
under the month's row lock, inside the transaction of the act."""

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.deadlines.models import PeriodRule
from casework.deadlines.notifications import notify
from casework.deadlines.rules import supervision_leaders
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.workcalendar.periods import add_working_days

from . import rules, scoring
from .models import Correction, Line, Objection, ObjectionDecision


def recompute(act):
    """A new computation run from the records as they are now (the earlier runs stay)."""
    evaluation = act.obj
    evaluation.run += 1
    evaluation.computed_at = timezone.now()
    scoring.compute(evaluation, evaluation.run, act.on)


def review(act):
    act.obj.review()
    act.obj.reviewed_on = act.on


def return_to_draft(act):
    act.obj.return_to_draft()
    act.obj.reviewed_on = None


def totals(evaluation) -> list[tuple]:
    """(department name, total) of the current run, best first (corrections included)."""
    rows = {}
    for line in evaluation.current_lines().select_related("department"):
        rows.setdefault(line.department, []).append(line)
    effective = effective_amounts(evaluation)
    table = [
        (department, sum((effective[line.pk] for line in lines), start=0))
        for department, lines in rows.items()
    ]
    return sorted(table, key=lambda row: (-row[1], row[0].code))


def effective_amounts(evaluation) -> dict:
    """Every current line's amount: the last correction appended, else as computed."""
    lines = evaluation.current_lines()
    amounts = dict(lines.values_list("pk", "amount"))
    for line_id, corrected in (
        Correction.objects.filter(line__in=lines).order_by("id").values_list("line_id", "amount")
    ):
        amounts[line_id] = corrected
    return amounts


def publish(act):
    """Published and frozen: the numbered 通报 (Xinxiang performance art. 6, 12) and the
    objection period from the day of publication (Hubei art. 13; ruling: 5 working days)."""
    evaluation = act.obj
    evaluation.publish()
    evaluation.published_on = act.on
    days = PeriodRule.days("evaluation_objection")
    evaluation.objection_until = add_working_days(act.on, days).due
    rows = "\n".join(
        f"{rank}. {department.name}：{total}分"
        for rank, (department, total) in enumerate(totals(evaluation), 1)
    )
    body = _(
        "各部门：\n现将%(month)s行政效能电子监察绩效测评结果通报如下（新乡绩效测评办法第九条、"
        "第十二条）：\n%(rows)s\n对测评结果有异议的，请于%(until)s前通过系统提出。"
    ) % {
        "month": f"{evaluation.month.year}年{evaluation.month.month}月",
        "rows": rows,
        "until": evaluation.objection_until.isoformat(),
    }
    evaluation.bulletin = documents.issue(
        case=None,
        doc_type=DocType.EVALUATION_BULLETIN,
        title=_("关于%(month)s绩效测评结果的通报")
        % {"month": f"{evaluation.month.year}年{evaluation.month.month}月"},
        body=body,
        addressee=_("各部门"),
        issued_on=act.on,
        issued_by=act.actor,
        reason=str(act.step.label),
        ip=act.ip,
    )


# --- objections (Hubei art. 13–15) ----------------------------------------------------------


def within_objection_period(evaluation, day, actor):
    """An objection is lodged within the period counted from publication."""
    if evaluation.objection_until is not None and day > evaluation.objection_until:
        return RefusedByRule(
            _("异议期已于%(until)s届满，不能再提出异议。")
            % {"until": evaluation.objection_until.isoformat()}
        )
    return None


def pending_objection(evaluation, day, actor):
    """There is an objection waiting for the bureau's decision."""
    if not Objection.objects.filter(line__evaluation=evaluation, decision__isnull=True).exists():
        return WrongState(_("没有待处理的异议。"))
    return None


def lodge(act):
    evaluation = act.obj
    line = (
        Line.objects.filter(pk=act.data["line"], evaluation=evaluation, run=evaluation.run)
        .select_related("department")
        .first()
    )
    if line is None:
        message = _("本月测评没有该明细。")
        raise InvalidInput(message, {"line": [message]})
    if line.department_id != rules.department_of(act.actor):
        raise NotAllowed(_("只能对本部门的测评明细提出异议。"))
    if Objection.objects.filter(line=line, decision__isnull=True).exists():
        raise WrongState(_("该明细已有异议待处理。"))
    Objection.objects.create(
        line=line, lodged_by=act.actor, lodged_on=act.on, reason=act.data["reason"]
    )
    notify(
        supervision_leaders(),
        _("绩效测评异议：%(month)s %(department)s %(item)s")
        % {"month": evaluation, "department": line.department.name, "item": line.item_name},
        act.data["reason"],
        link=reverse("evaluation:line", args=[line.pk]),
    )


def decide(act):
    evaluation = act.obj
    objection = (
        Objection.objects.filter(pk=act.data["objection"], line__evaluation=evaluation)
        .select_related("line")
        .first()
    )
    if objection is None:
        message = _("本月测评没有该异议。")
        raise InvalidInput(message, {"objection": [message]})
    if ObjectionDecision.objects.filter(objection=objection).exists():
        raise WrongState(_("该异议已处理。"))
    if act.on < objection.lodged_on:
        message = _("决定日期不得早于异议提出日期。")
        raise InvalidInput(message, {"on": [message]})
    decision = ObjectionDecision.objects.create(
        objection=objection,
        upheld=act.data["upheld"],
        reason=act.data["reason"],
        decided_by=act.actor,
        decided_on=act.on,
    )
    notify(
        [objection.lodged_by],
        _("绩效测评异议已处理：%(item)s，%(result)s")
        % {
            "item": objection.line.item_name,
            "result": _("异议成立，已更正") if decision.upheld else _("异议不成立"),
        },
        decision.reason,
        link=reverse("evaluation:line", args=[objection.line_id]),
    )
    if decision.upheld:
        Correction.objects.create(
            line=objection.line,
            decision=decision,
            amount=act.data["amount"],
            reason=act.data["reason"],
            created_by=act.actor,
            created_on=act.on,
        )


def department_total(evaluation, department_id):
    amounts = effective_amounts(evaluation)
    lines = evaluation.current_lines().filter(department_id=department_id)
    return sum((amounts[pk] for pk in lines.values_list("pk", flat=True)), start=0)
