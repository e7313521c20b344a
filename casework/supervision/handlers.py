"""The bodies and guards of the supervision's steps (declaration.py). The pipeline calls them
under the matter's row lock, inside the transaction of the act."""

from django.utils.translation import gettext as _

from casework.deadlines import extensions
from casework.deadlines import services as deadline_services
from casework.deadlines.models import Extension, Kind
from casework.deadlines.rules import responsible_people
from casework.documents import services as documents
from casework.documents.models import DocType
from casework.exceptions import InvalidInput, RefusedByRule, WrongState
from casework.org.models import Department, User

from . import rules
from .models import Countersign, Criticism, ProblemInstruction, Urging


def _link(matter) -> str:
    return f"/supervision/{matter.pk}/"


def _heads_of(unit_ids) -> list:
    return list(
        User.objects.filter(
            official__department_id__in=unit_ids,
            official__is_head=True,
            official__active=True,
            is_active=True,
        )
    )


def _office() -> list:
    return list(User.objects.filter(groups__name__in=rules.OFFICE_ROLES, is_active=True).distinct())


def _units_text(matter) -> str:
    names = [unit.name for unit in matter.co_units.order_by("code")]
    return "、".join(names) if names else _("无")


# --- registration (Handan supervision art. 4 (1)) -----------------------------------------


def due_after_approval(matter, day, actor):
    """The card's due date lies after the day of approval."""
    if matter.due <= day:
        return RefusedByRule(
            _("办结时间（%(due)s）须晚于立项审定日期，请退回重新拟办。")
            % {"due": matter.due.isoformat()}
        )
    return None


def card_body(matter) -> str:
    return _(
        "%(lead)s：\n"
        "经审定，下列事项列为督查督办事项，请按要求办理，并于办结时间前将经主要领导签字、"
        "加盖公章的办结材料反馈市政府督查室；两个以上单位承办的，由牵头单位拟写反馈材料，"
        "协办单位领导会签。没有按时办结的，须说明原因。\n"
        "督办事项：%(title)s\n"
        "来源：%(source)s %(reference)s\n"
        "交办内容：%(instruction)s\n"
        "牵头承办单位：%(lead)s\n"
        "协办单位：%(co)s\n"
        "办结时间：%(due)s\n"
        "办理要求：%(requirements)s"
    ) % {
        "lead": matter.lead_unit.name,
        "title": matter.title,
        "source": matter.get_source_display(),
        "reference": matter.source_reference,
        "instruction": matter.instruction,
        "co": _units_text(matter),
        "due": matter.deadline.due.isoformat(),
        "requirements": matter.requirements,
    }


def approve(act):
    """Registered: the feedback deadline runs from the day of approval to the card's due
    date (moved to the next working day if it is a rest day), and the numbered card is
    issued to the lead unit and the co-units."""
    matter = act.obj
    matter.approve()
    matter.approved_by = act.actor
    matter.approved_on = act.on
    matter.approval_opinion = act.data.get("opinion", "")
    matter.deadline = deadline_services.open_deadline(
        Kind.SUPERVISION_FEEDBACK,
        start=act.on,
        due=matter.due,
        unit=matter.lead_unit,
        description=matter.title[:255],
    )
    matter.card = documents.issue(
        case=None,
        doc_type=DocType.SUPERVISION_CARD,
        title=_("督查督办交办卡片：%(title)s") % {"title": matter.title},
        body=card_body(matter),
        addressee="、".join(
            [matter.lead_unit.name, *(u.name for u in matter.co_units.order_by("code"))]
        ),
        issued_on=act.on,
        issued_by=act.actor,
        reason=str(act.step.label),
        ip=act.ip,
    )
    deadline_services.notify(
        responsible_people(matter.deadline) + _heads_of(matter.co_unit_ids()),
        _("督办事项交办：%(title)s，办结时间 %(due)s")
        % {"title": matter.title, "due": matter.deadline.due.isoformat()},
        matter.requirements,
        link=_link(matter),
        deadline=matter.deadline,
    )


def decline(act):
    matter = act.obj
    matter.decline()
    matter.approved_by = act.actor
    matter.approved_on = act.on
    matter.approval_opinion = act.data["reason"]
    deadline_services.notify(
        [matter.proposed_by],
        _("督办事项不予立项：%(title)s") % {"title": matter.title},
        act.data["reason"],
        link=_link(matter),
    )


# --- feedback (Handan supervision art. 4 (3)) ---------------------------------------------


def draft_feedback(act):
    matter = act.obj
    matter.draft_feedback()
    matter.feedback = act.data["feedback"]
    matter.feedback_drafted_by = act.actor
    matter.feedback_drafted_on = act.on
    matter.draft_number += 1
    unsigned = list(matter.co_units.values_list("pk", flat=True))
    deadline_services.notify(
        _heads_of(unsigned or [matter.lead_unit_id]),
        (
            _("督办事项反馈材料待会签：%(title)s")
            if unsigned
            else _("督办事项反馈材料待签发：%(title)s")
        )
        % {"title": matter.title},
        link=_link(matter),
    )


def countersign(act):
    """A co-unit's head countersigns the current draft (the actor's check made sure their
    unit has not yet)."""
    matter = act.obj
    matter.countersign()
    unit_id = rules.head_of(act.actor)
    Countersign.objects.create(
        matter=matter,
        draft=matter.draft_number,
        unit_id=unit_id,
        signed_by=act.actor,
        signed_on=act.on,
        opinion=act.data.get("opinion", ""),
    )
    remaining = matter.unsigned_co_units().exclude(pk=unit_id)
    if not remaining.exists():
        deadline_services.notify(
            _heads_of([matter.lead_unit_id]),
            _("督办事项反馈材料已会签，待签发：%(title)s") % {"title": matter.title},
            link=_link(matter),
        )


def return_draft(act):
    act.obj.return_draft()


def all_countersigned(matter, day, actor):
    """Handan supervision art. 4 (3): with several units, the co-units' heads countersign
    before the feedback goes out."""
    missing = list(matter.unsigned_co_units().values_list("name", flat=True))
    if missing:
        return RefusedByRule(
            _("协办单位尚未全部会签（未会签：%(units)s），不能签发。")
            % {"units": "、".join(missing)}
        )
    return None


def is_late(matter, day) -> bool:
    """Feedback after the due day (as extended) is late; on the due day it is on time."""
    return matter.deadline is not None and day > matter.deadline.due


def sign_off(act):
    """The lead unit's head signs off: the feedback is given, the deadline met (or met late:
    then the reason must be stated, Handan supervision art. 4 (3))."""
    matter = act.obj
    late_reason = act.data.get("late_reason", "").strip()
    late = is_late(matter, act.on)
    if late and not late_reason:
        message = _("办结时间（%(due)s）已过，逾期反馈须说明未按时办结的原因。") % {
            "due": matter.deadline.due.isoformat()
        }
        raise RefusedByRule(message, {"late_reason": [message]})
    if not late and late_reason:
        message = _("按时反馈的，不填写未按时办结原因。")
        raise InvalidInput(message, {"late_reason": [message]})
    matter.sign_off()
    matter.signed_off_by = act.actor
    matter.signed_off_on = act.on
    matter.late = late
    matter.late_reason = late_reason
    deadline = matter.deadline
    deadline.done_at = deadline_services.moment_of(act.on)
    deadline._change_reason = str(act.step.label)
    deadline.save()
    deadline_services.notify(
        _office(),
        (_("督办事项逾期反馈：%(title)s") if late else _("督办事项已反馈：%(title)s"))
        % {"title": matter.title},
        late_reason,
        link=_link(matter),
    )


# --- archive (Handan supervision art. 4 (4)) ------------------------------------------------


def archive(act):
    matter = act.obj
    matter.archive()
    matter.report = act.data["report"]
    matter.archived_by = act.actor
    matter.archived_on = act.on


# --- urging (Handan supervision art. 4 (2)) -------------------------------------------------


def urge(act):
    matter = act.obj
    data = act.data
    letter = None
    if data["method"] == Urging.Method.LETTER:
        letter = documents.issue(
            case=None,
            doc_type=DocType.SUPERVISION_LETTER,
            title=_("关于督办“%(title)s”的函") % {"title": matter.title},
            body=data["letter"],
            addressee=matter.lead_unit.name,
            issued_on=act.on,
            issued_by=act.actor,
            reason=str(act.step.label),
            ip=act.ip,
        )
    Urging.objects.create(
        matter=matter,
        method=data["method"],
        on=act.on,
        by=act.actor,
        contact=data.get("contact", ""),
        findings=data["findings"],
        major_problem=data.get("major_problem", False),
        letter=letter,
    )
    if letter is not None:
        deadline_services.notify(
            responsible_people(matter.deadline),
            _("督办函：%(title)s") % {"title": matter.title},
            data["letter"],
            link=_link(matter),
        )
    if data.get("major_problem"):
        # Handan supervision art. 4 (2): a major problem found is reported to the leaders
        # at once.
        deadline_services.notify(
            rules.assigning_leaders(matter),
            _("督办中发现重大问题，请领导阅示：%(title)s") % {"title": matter.title},
            data["findings"],
            link=_link(matter),
        )


# --- the leader's instruction on a major problem (Handan supervision art. 4 (2)) -----------


def problem_open(matter, day, actor=None):
    """An urging of the matter found a major problem the leader has not yet instructed on."""
    if not rules.open_problems(matter).exists():
        return WrongState(_("该督办事项没有待阅示的重大问题。"))
    return None


def instruct_on_problem(act):
    """The assigning leader reads the major problem and instructs on it; the supervision
    office (and whoever urged) is told."""
    matter = act.obj
    urging = (
        Urging.objects.filter(matter=matter, pk=act.data["urging"])
        .select_related("instruction", "by")
        .first()
    )
    if urging is None:
        message = _("本事项没有该督办记录。")
        raise InvalidInput(message, {"urging": [message]})
    if not urging.major_problem:
        message = _("该次督办未发现重大问题，无需阅示。")
        raise RefusedByRule(message, {"urging": [message]})
    if hasattr(urging, "instruction"):
        message = _("该重大问题已阅示（%(date)s）。") % {"date": urging.instruction.on.isoformat()}
        raise RefusedByRule(message, {"urging": [message]})
    ProblemInstruction.objects.create(urging=urging, text=act.data["text"], on=act.on, by=act.actor)
    deadline_services.notify(
        [urging.by, *_office()],
        _("领导已阅示督办中发现的重大问题：%(title)s") % {"title": matter.title},
        act.data["text"],
        link=_link(matter),
    )


# --- criticism (Handan supervision art. 4 (3)) ------------------------------------------------


def criticise(act):
    matter = act.obj
    unit = Department.objects.filter(code=act.data["unit"]).first()
    if unit is None or unit.pk not in rules.unit_ids(matter):
        message = _("只能通报批评本事项的承办单位。")
        raise InvalidInput(message, {"unit": [message]})
    document = documents.issue(
        case=None,
        doc_type=DocType.SUPERVISION_CRITICISM,
        title=_("关于对%(unit)s办理督办事项推诿拖延的通报") % {"unit": unit.name},
        body=_(
            "各部门：\n%(unit)s承办的督办事项“%(title)s”（办结时间 %(due)s）：%(reason)s\n"
            "根据邯郸督查办法第四部分（一）（3），予以通报批评。"
        )
        % {
            "unit": unit.name,
            "title": matter.title,
            "due": matter.deadline.due.isoformat(),
            "reason": act.data["reason"],
        },
        addressee=_("各部门"),
        issued_on=act.on,
        issued_by=act.actor,
        reason=act.data["reason"],
        ip=act.ip,
    )
    Criticism.objects.create(
        matter=matter,
        unit=unit,
        reason=act.data["reason"],
        on=act.on,
        by=act.actor,
        document=document,
    )
    deadline_services.notify(
        _heads_of([unit.pk]),
        document.title,
        act.data["reason"],
        link=_link(matter),
    )


# --- extension (Handan supervision art. 4 (3); the deadlines' one extension service) --------


def pending_extension(matter):
    if matter.deadline_id is None:
        return None
    return (
        Extension.objects.filter(deadline_id=matter.deadline_id, status=Extension.Status.PENDING)
        .select_related("deadline")
        .order_by("-id")
        .first()
    )


def extension_open_to(matter, day, actor=None):
    if matter.deadline is None:
        return WrongState(_("该事项没有办结期限。"))
    if actor is None:
        return None
    return extensions.refusal_to_ask(actor, matter.deadline, day)


def extension_pending(matter, day, actor=None):
    pending = pending_extension(matter)
    if pending is None:
        return WrongState(_("没有待审批的延期申请。"))
    if actor is None:
        return None
    return extensions.refusal_to_decide(actor, pending, day)


def request_extension(act):
    deadline_services.ask_for_extension(
        act.obj.deadline,
        act.actor,
        {"reason": act.data["reason"], "new_due": act.data["new_due"]},
        on=act.on,
        ip=act.ip,
    )


def decide_extension(act):
    deadline_services.decide_on_extension(
        pending_extension(act.obj),
        act.actor,
        {"approve": act.data["approve"], "reason": act.data.get("reason", "")},
        on=act.on,
        ip=act.ip,
    )
