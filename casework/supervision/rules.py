"""The policy of the supervision of assigned matters: who may act, who may see what. Pure
checks, asked by the pipeline, the pages, the API and the flow alike.

* The city government's supervision office (市政府督查室) proposes a matter, urges, criticises
  and archives (Handan supervision art. 3 (5): the office supervises on the government's
  behalf).
* Its head, or a government leader, approves the registration; a major matter needs a
  government leader — the mayor or a vice-mayor (Handan supervision art. 4 (1)).
* The lead unit drafts the feedback; each co-unit's head countersigns; the lead unit's head
  signs it off (Handan supervision art. 4 (3)). The leader who approved the registration
  approves an extension, and reads and instructs on a major problem found in urging
  (Handan supervision art. 4 (2)).
* The office and the government leaders see every matter; the people of the lead unit and of
  the co-units see a matter once it is assigned to them; no one else sees it.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from casework.kernel.declaration import Actor
from casework.org.roles import Role

from .models import State, SupervisionMatter, Urging

OFFICE_ROLES = (Role.SUPERVISION_OFFICE, Role.SUPERVISION_OFFICE_HEAD)
LEADER_ROLES = (Role.MAYOR, Role.VICE_MAYOR)
# Before approval a matter is the office's and the leaders' alone.
UNASSIGNED = (State.PROPOSED, State.NOT_REGISTERED)


def _signed_in(user) -> bool:
    return bool(user is not None and user.is_authenticated)


def is_office(user) -> bool:
    return _signed_in(user) and user.has_role(*OFFICE_ROLES)


def is_office_head(user) -> bool:
    return _signed_in(user) and user.has_role(Role.SUPERVISION_OFFICE_HEAD)


def is_government_leader(user) -> bool:
    return _signed_in(user) and user.has_role(*LEADER_ROLES)


def sees_every_matter(user) -> bool:
    return is_office(user) or is_government_leader(user)


def department_of(user):
    """The department a person works in (head or staff), or None."""
    official = getattr(user, "official", None) if _signed_in(user) else None
    return official.department_id if official is not None and official.active else None


def head_of(user):
    """The department a person heads, or None."""
    official = getattr(user, "official", None) if _signed_in(user) else None
    if official is None or not official.active or not official.is_head:
        return None
    return official.department_id


def unit_ids(matter) -> set:
    return {matter.lead_unit_id, *matter.co_unit_ids()}


def works_in_procedure(user) -> bool:
    return sees_every_matter(user) or department_of(user) is not None


def can_view(user, matter) -> bool:
    if not _signed_in(user):
        return False
    if sees_every_matter(user):
        return True
    if matter.state in UNASSIGNED:
        return False
    return department_of(user) in unit_ids(matter)


def visible(user):
    """The matters ``user`` may open."""
    if sees_every_matter(user):
        return SupervisionMatter.objects.all()
    department = department_of(user)
    if department is None:
        return SupervisionMatter.objects.none()
    return (
        SupervisionMatter.objects.exclude(state__in=UNASSIGNED)
        .filter(Q(lead_unit_id=department) | Q(co_units=department))
        .distinct()
    )


def is_staff(user) -> bool:
    return is_office(user)


def may_register(user) -> bool:
    """Handan supervision art. 4 (1): the supervision office proposes (拟办)."""
    return is_office(user)


# --- who approves the registration (Handan supervision art. 4 (1)) ---------------------------

LEADER_SCOPE = "leader"
HEAD_SCOPE = "office_head"


def approval_scope(matter) -> str:
    return LEADER_SCOPE if matter.major else HEAD_SCOPE


def approval_scopes_of(user) -> set:
    """A government leader approves any matter; the office's head an ordinary one."""
    scopes = set()
    if is_government_leader(user):
        scopes |= {LEADER_SCOPE, HEAD_SCOPE}
    if is_office_head(user):
        scopes.add(HEAD_SCOPE)
    return scopes


def may_approve(user, matter) -> bool:
    return matter is not None and approval_scope(matter) in approval_scopes_of(user)


def approval_scope_name(matter) -> str:
    if matter.major:
        return str(_("政府领导（重大督查事项）"))
    return str(_("督查室主任或主管领导"))


# --- who acts for a unit (Handan supervision art. 4 (3)) ---------------------------------------


def is_lead_unit(user, matter) -> bool:
    department = department_of(user)
    return matter is not None and department is not None and department == matter.lead_unit_id


def is_lead_head(user, matter) -> bool:
    department = head_of(user)
    return matter is not None and department is not None and department == matter.lead_unit_id


def may_countersign(user, matter) -> bool:
    """The head of a co-unit that has not yet countersigned the current draft."""
    department = head_of(user)
    if matter is None or department is None:
        return False
    return matter.unsigned_co_units().filter(pk=department).exists()


def signing_unit(matter):
    """The unit whose head acts next on a drafted feedback: the first co-unit not yet
    countersigned, else the lead unit (to sign off)."""
    first = matter.unsigned_co_units().first()
    return first.pk if first is not None else matter.lead_unit_id


def signing_unit_name(matter) -> str:
    first = matter.unsigned_co_units().first()
    if first is not None:
        return str(_("%(unit)s（会签）") % {"unit": first.name})
    return str(_("%(unit)s（签发）") % {"unit": matter.lead_unit.name})


def assigning_leaders(matter) -> list:
    """The leader who approved the registration: they approve an extension
    (Handan supervision art. 4 (3): 经交办部门领导批准) and read a major problem found in
    urging (Handan supervision art. 4 (2))."""
    return [matter.approved_by] if matter.approved_by_id is not None else []


def assigned_by(user):
    """The matters ``user`` is the assigning leader of (``assigning_leaders`` as a query)."""
    if not _signed_in(user):
        return SupervisionMatter.objects.none()
    return SupervisionMatter.objects.filter(approved_by=user)


# Handan supervision art. 4 (2): the leader reads a major problem while the matter is open.
PROBLEM_STATES = (State.ASSIGNED, State.FEEDBACK_DRAFTED, State.FEEDBACK_SUBMITTED)


def open_problems(matter):
    """The urgings of ``matter`` that found a major problem the leader has not yet
    instructed on, oldest first."""
    return Urging.objects.filter(
        matter=matter, major_problem=True, instruction__isnull=True
    ).order_by("on", "id")


def problems_for(user):
    """The uninstructed major problems of the open matters ``user`` assigned, oldest first:
    one query (the inbox's rows)."""
    return (
        Urging.objects.filter(
            matter__in=assigned_by(user).filter(state__in=PROBLEM_STATES),
            major_problem=True,
            instruction__isnull=True,
        )
        .select_related("matter__lead_unit", "matter__card")
        .order_by("on", "id")
    )


OFFICE = Actor("act_as_supervision_office", _("市政府督查室"), lambda user, m, day: is_office(user))
APPROVER = Actor(
    "approve_registration",
    _("督查室主任或政府领导"),
    lambda user, matter, day: may_approve(user, matter),
    scope=approval_scope,
    scopes_of=approval_scopes_of,
    scope_name=approval_scope_name,
)
LEAD_UNIT = Actor(
    "act_for_lead_unit",
    _("牵头承办单位"),
    lambda user, matter, day: is_lead_unit(user, matter),
    scope=lambda matter: matter.lead_unit_id,
    scopes_of=lambda user: {department_of(user)} - {None},
    scope_name=lambda matter: matter.lead_unit.name,
)
LEAD_HEAD = Actor(
    "sign_off_for_lead_unit",
    _("牵头单位主要领导"),
    lambda user, matter, day: is_lead_head(user, matter),
    per_object=True,
)
CO_UNIT_HEAD = Actor(
    "countersign_for_co_unit",
    _("协办单位领导"),
    lambda user, matter, day: may_countersign(user, matter),
    per_object=True,
)
SIGNER = Actor(
    "sign_for_unit",
    _("协办单位领导会签、牵头单位主要领导签发"),
    lambda user, matter, day: (
        matter is not None and head_of(user) is not None and head_of(user) == signing_unit(matter)
    ),
    scope=signing_unit,
    scopes_of=lambda user: {head_of(user)} - {None},
    scope_name=signing_unit_name,
)
ASSIGNING_LEADER = Actor(
    "approve_as_assigning_leader",
    _("交办领导"),
    lambda user, matter, day: (
        matter is not None and any(p.pk == user.pk for p in assigning_leaders(matter))
    ),
    per_object=True,
)
