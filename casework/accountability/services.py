"""The only code that changes an accountability case: registration here, every step through
the kernel's pipeline with the procedure's declaration (``declaration.ACCOUNTABILITY``)."""

from django.db import transaction
from django.utils.translation import gettext as _

from casework.audit import history
from casework.documents import services as documents
from casework.exceptions import InvalidInput, NotAllowed, validated
from casework.kernel import clock, pipeline
from casework.org.models import Official

from . import rules
from .declaration import ACCOUNTABILITY
from .models import AccountabilityCase, Ground, Source
from .payloads import RegisterCase


def label(name: str) -> str:
    """How a page and the history name a step (or the registration)."""
    return ACCOUNTABILITY.label(name)


def transition(case, name: str, actor, data=None, *, reason="", if_match=None, ip=None):
    """Take step ``name`` on ``case`` as ``actor`` (the kernel's pipeline)."""
    return pipeline.transition(
        ACCOUNTABILITY, case, name, actor, data, reason=reason, if_match=if_match, ip=ip
    )


def available_transitions(user, case, day=None) -> list[str]:
    """What ``user`` may do on ``case`` now (Liupanshui art. 12: by role and by case)."""
    return ACCOUNTABILITY.available(user, case, day)


def register_case(actor, data: dict, proposal_document=None, ip=None) -> AccountabilityCase:
    """Register a case against an official (Nanchong art. 5: grounds, source, the proposal
    attached)."""
    if not rules.can_register(actor):
        raise NotAllowed(_("只有市政府办公室或市长可以登记问责案件。"))
    payload = validated(RegisterCase, data)
    fields = {}
    official = (
        Official.objects.select_related("department", "user")
        .filter(pk=payload["official"], active=True)
        .first()
    )
    if official is None:
        fields["official"] = [_("没有该被问责人。")]
    grounds = list(Ground.objects.filter(code__in=payload["grounds"], active=True))
    unknown = sorted(set(payload["grounds"]) - {g.code for g in grounds})
    if unknown:
        fields["grounds"] = [_("未知的问责情形：%(codes)s") % {"codes": "、".join(unknown)}]
    source = Source.objects.filter(code=payload["source"], active=True).first()
    if source is None:
        fields["source"] = [_("未知的问责来源：%(code)s") % {"code": payload["source"]}]
    on = payload.get("on") or clock.today()
    if on > clock.today():
        fields["on"] = [_("办理日期不得晚于今天。")]
    if fields:
        raise InvalidInput(_("请求内容有误，请检查标出的字段。"), fields)

    return _create_case(
        actor,
        official=official,
        grounds=grounds,
        source=source,
        summary=payload["summary"],
        on=on,
        original_location=payload.get("proposal_original_location", ""),
        proposal_document=proposal_document,
        ip=ip,
    )


def open_case(*, official, actor, on, summary, ground="4.1.2", reason=""):
    """A case the supervision bureau proposes (Nanchong art. 5 (三)): after a red card's
    preliminary investigation (Xinxiang warning art. 8) or a complaint whose outcome pursues
    a department head's fault responsibility (Xinxiang complaints art. 7 (二)). Other
    procedures reach it as the entry point "accountability.open_case"."""
    return _create_case(
        actor,
        official=official,
        grounds=[Ground.objects.get(code=ground)],
        source=Source.objects.get(code="supervision"),
        summary=summary,
        on=on,
        reason=reason or summary,
    )


def _create_case(
    actor,
    *,
    official,
    grounds,
    source,
    summary,
    on,
    original_location="",
    proposal_document=None,
    reason="",
    ip=None,
):
    # The flow's task opened with it records the address and the act too.
    with transaction.atomic(), history.acting(ip, reason or ACCOUNTABILITY.label("register")):
        _seq, number = documents.next_number("case", on.year)
        case = AccountabilityCase(
            number=number,
            official=official,
            department=official.department,
            source=source,
            summary=summary,
            proposal_original_location=original_location,
            last_act_on=on,
            registered_by=actor,
        )
        if proposal_document is not None:
            case.proposal_document = proposal_document
        pipeline.save_new(ACCOUNTABILITY, case, actor, "register", reason, ip)
        case.grounds.set(grounds)
        pipeline.announce_opened(ACCOUNTABILITY, case, actor)
    return case
