"""The only code that changes a supervision matter: its registration (拟办) by the supervision
office, and every step through the kernel's pipeline with the procedure's declaration
(``declaration.SUPERVISION``)."""

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from casework.audit import history
from casework.exceptions import InvalidInput, NotAllowed, WrongState, act_day, validated
from casework.kernel import clock, pipeline
from casework.meetings.models import AgreedMatter
from casework.org.models import Department

from . import rules
from .declaration import SUPERVISION
from .models import State, SupervisionMatter
from .payloads import Register


def _unit(code, field):
    unit = Department.objects.filter(code=code).first()
    if unit is None:
        message = _("没有代码为“%(code)s”的单位。") % {"code": code}
        raise InvalidInput(message, {field: [message]})
    return unit


def register(data, actor, *, ip=None) -> SupervisionMatter:
    """The supervision office proposes a matter with its assignment card
    (Handan supervision art. 4 (1): 提出拟办意见); the head or the leader then approves it."""
    if not rules.may_register(actor):
        raise NotAllowed(_("只有市政府督查室可以拟办督查事项。"))
    payload = validated(Register, data)
    on = act_day(payload, clock.today())
    lead = _unit(payload["lead_unit"], "lead_unit")
    co_units = [_unit(code, "co_units") for code in payload["co_units"]]
    agreed = None
    if payload.get("agreed_matter"):
        agreed = AgreedMatter.objects.filter(pk=payload["agreed_matter"]).first()
        if agreed is None:
            message = _("没有该议定事项。")
            raise InvalidInput(message, {"agreed_matter": [message]})
    if payload["due"] <= on:
        message = _("办结时间须晚于拟办日期。")
        raise InvalidInput(message, {"due": [message]})
    reason = SUPERVISION.label("register")
    with transaction.atomic(), history.acting(ip, reason):
        if agreed is not None:
            # One matter per decision of the meeting (a declined proposal may be made again).
            AgreedMatter.objects.select_for_update().get(pk=agreed.pk)
            taken = SupervisionMatter.objects.filter(agreed_matter=agreed).exclude(
                state=State.NOT_REGISTERED
            )
            if taken.exists():
                raise WrongState(_("该议定事项已立项督办。"))
        matter = SupervisionMatter(
            title=payload["title"],
            source=payload["source"],
            source_reference=payload["source_reference"]
            or (str(agreed.meeting) if agreed is not None else ""),
            instruction=payload["instruction"].strip() or (agreed.text if agreed else ""),
            agreed_matter=agreed,
            major=payload["major"],
            lead_unit=lead,
            due=payload["due"],
            requirements=payload["requirements"],
            proposal=payload["proposal"],
            proposed_by=actor,
            proposed_on=on,
            last_act_on=on,
        )
        pipeline.save_new(SUPERVISION, matter, actor, "register", ip=ip)
        matter.co_units.set(co_units)
        pipeline.announce_opened(SUPERVISION, matter, actor)
    return matter


def transition(matter, name, actor, data=None, *, reason="", if_match=None, ip=None):
    """Take step ``name`` on ``matter`` as ``actor`` (the kernel's pipeline)."""
    return pipeline.transition(
        SUPERVISION, matter, name, actor, data, reason=reason, if_match=if_match, ip=ip
    )


def available_transitions(user, matter, day=None) -> list[str]:
    return SUPERVISION.available(user, matter, day)


# --- what other apps ask through entry points ---------------------------------------------


def agreed_matter_offers(user, matters) -> dict:
    """For the meeting's page: for each agreed matter, the supervision matter that took it up
    (a link), or — for the supervision office — the offer to register one. ``{pk: (url,
    label)}``; nothing for a matter the person can do nothing with."""
    offers = {}
    taken = {
        m.agreed_matter_id: m
        for m in SupervisionMatter.objects.filter(agreed_matter__in=[a.pk for a in matters])
        .exclude(state=State.NOT_REGISTERED)
        .order_by("id")
    }
    for agreed in matters:
        matter = taken.get(agreed.pk)
        if matter is not None and rules.can_view(user, matter):
            offers[agreed.pk] = (matter.get_absolute_url(), _("已立项督办：%(m)s") % {"m": matter})
        elif matter is None and rules.may_register(user):
            url = reverse("supervision:register") + f"?agreed_matter={agreed.pk}"
            offers[agreed.pk] = (url, _("立项督办"))
    return offers


def assigning_leaders_of(deadline) -> list:
    """Entry point for the deadlines' extension rule "assigning leader"."""
    matter = SupervisionMatter.objects.filter(deadline=deadline).select_related("approved_by")
    matter = matter.first()
    return rules.assigning_leaders(matter) if matter is not None else []
