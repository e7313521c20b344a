"""The only code that changes an accountability case: registration here, every step through
the kernel's pipeline with the procedure's declaration (``declaration.ACCOUNTABILITY``)."""

from django.utils.translation import gettext as _

from casework.exceptions import InvalidInput, NotAllowed, validated
from casework.kernel import clock, pipeline
from casework.org.models import Official

from . import rules
from .declaration import ACCOUNTABILITY
from .models import AccountabilityCase, Ground, Source, State
from .payloads import RegisterCase
from .registration import create_case


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


def open_served_decision(case, user, ip=None) -> bool:
    """The official concerned opens his case in casework: a decision served electronically
    and not yet opened is received today (Nanchong art. 12, 14: its clocks run from that
    day). Called by the case page, the API's case and the decision's own page and PDF
    (``documents.formats.opened``); True when it was the first opening."""
    if not rules.OFFICIAL(user, case) or case.state not in (State.SERVED, State.FINAL):
        return False
    if "open_decision" not in ACCOUNTABILITY.available(user, case):
        return False
    transition(case, "open_decision", user, {}, ip=ip)
    return True


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


def _create_case(actor, *, official, **kwargs):
    # Nanchong art. 2, 3, 21: the city holds heads of departments and county governments to
    # account; a deputy, section chief or staff member only in a linked case (Nanchong art. 20).
    if not official.is_head:
        message = _("%(official)s不是部门行政首长，市政府只对行政首长问责（第二、三条）。") % {
            "official": official
        }
        raise InvalidInput(message, {"official": [message]})
    return create_case(actor, official=official, **kwargs)
