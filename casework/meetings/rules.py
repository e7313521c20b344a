"""Who may do what with an executive meeting, and who sees it. Pure checks, asked by the
services, the pages and the API alike.

* The general office (市政府办公室, the secretariat) organises the meeting: it plans it, puts
  items on the agenda (through the procedure's own step), records the meeting held and its
  minutes, prints the agenda and the minutes, and postpones it (Xi'an meeting rules,
  sections 3 (4), 4 (1), 5).
* The city's staff of the procedures see every meeting, and so does the city government's
  supervision office, which takes the matters agreed up for supervision (Xi'an meeting
  rules, section 6 (4)).
* The person concerned by an item sees that item only — not the rest of the agenda — and may
  file a written statement and defence before the meeting (Nanchong art. 11). A statement
  that arrived on paper is entered by the secretariat, which the record says.
"""

from django.utils.translation import gettext as _

from casework.exceptions import NotAllowed, RefusedByRule
from casework.org.roles import CITY_STAFF, Role

from .models import AgendaItem, Meeting, MeetingState

# Xi'an meeting rules, section 6 (4): the supervision office follows the matters agreed.
READERS = (*CITY_STAFF, Role.SUPERVISION_OFFICE, Role.SUPERVISION_OFFICE_HEAD)


def is_staff(user) -> bool:
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(*READERS)))


def organises(user) -> bool:
    """The secretariat (or an administrator acting as such)."""
    return bool(user.is_authenticated and (user.is_superuser or user.has_role(Role.SECRETARIAT)))


def visible_meetings(user, queryset=None):
    queryset = queryset if queryset is not None else Meeting.objects.all()
    return queryset if is_staff(user) else queryset.none()


def visible_items(user, queryset=None):
    """Staff see every item; the person concerned only their own."""
    queryset = queryset if queryset is not None else AgendaItem.objects.all()
    if not user.is_authenticated:
        return queryset.none()
    if is_staff(user):
        return queryset
    return queryset.filter(concerned=user)


def is_concerned(user, item) -> bool:
    return item.concerned_id is not None and item.concerned_id == user.pk


def may_organise(user) -> None:
    if not organises(user):
        raise NotAllowed(_("只有市政府办公室可以办理常务会议事务。"))


def statement_refusal(user, item, day):
    """Why ``user`` may not file a written statement on ``item`` on ``day`` (None: they may).
    Nanchong art. 11: the person concerned states and defends at the meeting; a written
    statement is taken until the meeting is held, on its day at the latest [ruling]."""
    if not (is_concerned(user, item) or organises(user)):
        return NotAllowed(_("只有被列入议题的当事人本人可以提交书面陈述和申辩。"))
    meeting = item.meeting
    if meeting.state == MeetingState.HELD or item.deliberated_on is not None:
        return RefusedByRule(_("常务会议已召开，不能再提交书面陈述和申辩。"))
    if day > meeting.date:
        return RefusedByRule(
            _("常务会议定于%(date)s召开，会后不能再提交书面陈述和申辩。")
            % {"date": meeting.date.isoformat()}
        )
    return None


def may_file_statement(user, item, day) -> bool:
    return statement_refusal(user, item, day) is None
