"""The only code that changes a month's evaluation: computing a month (the periodic task, the
command, the bureau's page), every step through the kernel's pipeline with the procedure's
declaration (``declaration.EVALUATION``), the scheme's edits with history, and a
complainant's rating."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework.audit import history
from casework.complaints.models import State as ComplaintState
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState, validated
from casework.kernel import clock, pipeline

from . import rules, scoring
from .declaration import EVALUATION
from .models import MonthlyEvaluation, Rating, ScoringItem, State
from .payloads import RatingPayload, ScoringItemPayload

# Xinxiang complaints art. 9: the result a complainant sees with the code; only then may the
# handling be rated.
RATEABLE_STATES = {ComplaintState.DECIDED, ComplaintState.FEEDBACK_GIVEN, ComplaintState.CLOSED}


def parse_month(text: str) -> datetime.date:
    """ "2026-11" → 2026-11-01 (400 naming ``month`` otherwise)."""
    try:
        return datetime.datetime.strptime(str(text), "%Y-%m").date()
    except ValueError:
        message = _("月份格式应为 YYYY-MM。")
        raise InvalidInput(message, {"month": [message]}) from None


def previous_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


def evaluate_month(month: datetime.date, actor=None, ip=None) -> tuple[MonthlyEvaluation, str]:
    """Compute ``month``: a new draft, or a new run of a draft (``"created"`` /
    ``"recomputed"``); a month already reviewed or published is left as it is
    (``"unchanged"``). ``actor`` None: the periodic task or the command."""
    today = clock.today()
    month = month.replace(day=1)
    if month > today.replace(day=1):
        message = _("不能测评尚未开始的月份。")
        raise InvalidInput(message, {"month": [message]})
    if actor is not None and not rules.is_bureau(actor):
        raise NotAllowed(_("只有市监察局可以计算月度绩效测评。"))
    existing = MonthlyEvaluation.objects.filter(month=month).first()
    if existing is not None:
        if existing.state != State.DRAFT:
            return existing, "unchanged"
        if actor is not None:
            recomputed = pipeline.transition(EVALUATION, existing, "recompute", actor, ip=ip)
            return recomputed, "recomputed"
        return _recompute_as_system(existing), "recomputed"
    reason = EVALUATION.label("compute")
    with transaction.atomic(), history.acting(ip, reason):
        evaluation = MonthlyEvaluation(month=month, last_act_on=today, computed_at=timezone.now())
        pipeline.save_new(EVALUATION, evaluation, actor, "compute", ip=ip)
        scoring.compute(evaluation, evaluation.run, today)
        pipeline.announce_opened(EVALUATION, evaluation, actor)
    return evaluation, "created"


def _recompute_as_system(evaluation):
    """The command's or the task's new run of a draft: the same body as the bureau's step,
    recorded as done by the system."""
    today = clock.today()
    label = EVALUATION.label("recompute")
    with transaction.atomic(), history.acting(None, label):
        locked = MonthlyEvaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.state != State.DRAFT:
            raise WrongState(_("测评已审核，不能重新计算。"))
        locked.run += 1
        locked.computed_at = timezone.now()
        scoring.compute(locked, locked.run, today)
        locked.version += 1
        locked.last_act_on = max(locked.last_act_on, today)
        history.stamp(locked, None, "recompute", locked.state, label)
        locked.save()
    return locked


def transition(evaluation, name, actor, data=None, *, reason="", if_match=None, ip=None):
    """Take step ``name`` on ``evaluation`` as ``actor`` (the kernel's pipeline)."""
    return pipeline.transition(
        EVALUATION, evaluation, name, actor, data, reason=reason, if_match=if_match, ip=ip
    )


def available_transitions(user, evaluation, day=None) -> list[str]:
    return EVALUATION.available(user, evaluation, day)


# --- the scheme ------------------------------------------------------------------------------

SCHEME_FIELDS = ("name", "points", "cap", "weight", "active")


def edit_item(item: ScoringItem, actor, data: dict, *, reason: str, ip=None) -> ScoringItem:
    """The bureau changes an item of the scheme, with a reason in its history. A month already
    computed keeps the copy its lines hold."""
    if not rules.can_edit_scheme(actor):
        raise NotAllowed(_("只有市监察局可以修改评分细则。"))
    payload = validated(ScoringItemPayload, data)
    if not (reason or "").strip():
        message = _("修改评分细则须说明理由。")
        raise InvalidInput(message, {"reason": [message]})
    with transaction.atomic(), history.acting(ip, reason):
        locked = ScoringItem.objects.select_for_update().get(pk=item.pk)
        for name in SCHEME_FIELDS:
            if name in payload:
                setattr(locked, name, payload[name])
        locked._history_user = actor
        locked._change_reason = reason
        locked.save()
    return locked


# --- satisfaction (Xinxiang performance art. 8 (九), art. 10 (三)) ---------------------------


def can_rate(complaint) -> bool:
    """Whether the tracking page offers the rating: the result is published, none given yet."""
    return (
        complaint.state in RATEABLE_STATES
        and bool(complaint.published_result)
        and not Rating.objects.filter(complaint=complaint).exists()
    )


def rate(complaint, value: str, ip=None) -> Rating:
    """The complainant's rating of the handling, through the tracking code: once, and only
    once the result is published."""
    payload = validated(RatingPayload, {"rating": value})
    if complaint.state not in RATEABLE_STATES or not complaint.published_result:
        raise RefusedByRule(_("处理结果公布后才能评价。"))
    refusal = WrongState(_("该投诉已评价，不能重复评价。"))
    if Rating.objects.filter(complaint=complaint).exists():
        raise refusal
    try:
        with transaction.atomic(), history.acting(ip, _("满意度评价")):
            return Rating.objects.create(
                complaint=complaint,
                department_id=complaint.transferred_to_id or complaint.respondent_department_id,
                value=payload["rating"],
                rated_on=clock.today(),
            )
    except IntegrityError:  # a second rating at the same moment: the unique key decides
        raise refusal from None
