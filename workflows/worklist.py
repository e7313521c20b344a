"""A person's work, as the inbox (待办), the queue (待领取) and the archive (已办) show it.

The inbox holds everything a person must do, whatever kind of object it is about:

* the open task of every case or complaint that is theirs — given to them (the declaration's
  ``Task.assign``: the official concerned, the organ's only account), waiting in a queue
  they may take (the declaration's actor, ``permissions.task_permissions``), or waiting with
  someone else in a queue of theirs once its due date has passed (the official let the
  objection or review window pass: the bureau or the secretariat acts next);
* the **work items** of the deadlines app, which are no procedure's step and so no flow's
  task: extension requests to decide (Xinxiang complaints art. 6), preliminary
  investigations to approve or conclude (Xinxiang warning art. 8), rectification reports due
  on an admonition letter (Xinxiang warning art. 9). They stay rows of their own tables,
  decided on their own screens; the inbox lists them beside the tasks, so that each
  procedure keeps its one declaration and its one flow;
* the major problems found in urging a supervision matter, for the leader who assigned it to
  read and instruct on (Handan supervision art. 4 (2)): a recording step of the matter, one
  row per problem, until the leader has instructed.

Every row carries the object's number in full, the official or department concerned, the
step, and the due date of the object's earliest open deadline with the working days left
and the card colour. The querysets order by ``due`` (a column of the deadlines' table,
``Deadline.due``), most urgent first; pagination and indexes are the lists' own business.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, DateField, F, OuterRef, Q, Subquery, When
from django.urls import reverse
from django.utils.translation import gettext as _
from viewflow.workflow.models import Task
from viewflow.workflow.status import STATUS

from casework.deadlines import queries
from casework.deadlines import rules as deadline_rules
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    PreliminaryInvestigation,
)
from casework.kernel.declaration import procedures
from casework.supervision import rules as supervision_rules
from casework.supervision.declaration import SUPERVISION

from .artifacts import OPEN
from .flows import FLOWS
from .lists import node_refs
from .permissions import task_permissions

# The orderings a list offers (``?sort=``): the due date, most urgent first, by default.
SORTS = {
    "due": (F("due").asc(nulls_last=True), "created", "id"),
    "-due": (F("due").desc(nulls_last=True), "-created", "-id"),
    "created": ("created", "id"),
    "-created": ("-created", "-id"),
}
DEFAULT_SORT = "due"


def deadline_field(procedure) -> str | None:
    """The foreign key of ``Deadline`` that points at the procedure's objects (``case``,
    ``complaint``), read from the model: a new procedure with deadlines needs no entry here."""
    for model_field in Deadline._meta.get_fields():
        if getattr(model_field, "many_to_one", False) and model_field.related_model is (
            procedure.model
        ):
            return model_field.name
    return None


def _flows():
    return {procedure.name: FLOWS[procedure.name] for procedure in procedures()}


def human_tasks():
    """The tasks of the procedures' human nodes, selected by node (``Task.flow_task``, an
    indexed column): no join to every process (workflows/lists.py)."""
    return Task.objects.filter(flow_task__in=node_refs(_flows().values()))


def with_due(queryset):
    """``due``: the earliest open deadline of each task's object (None: no period runs)."""
    whens = []
    for procedure in procedures():
        name = deadline_field(procedure)
        if name is None:
            continue
        due = (
            Deadline.objects.open()
            .filter(**{name: OuterRef("process__artifact_object_id")})
            .order_by("due")
            .values("due")[:1]
        )
        whens.append(When(flow_task__in=node_refs([FLOWS[procedure.name]]), then=Subquery(due)))
    return queryset.annotate(due=Case(*whens, default=None, output_field=DateField()))


def sorted_by(queryset, sort: str):
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


def inbox_tasks(user, today: datetime.date):
    """The open tasks that are ``user``'s to do (see the module)."""
    if not user.is_authenticated:
        return Task.objects.none()
    queues = task_permissions(user)
    mine = (
        Q(owner=user)
        | Q(owner__isnull=True, status=STATUS.NEW, owner_permission__in=queues)
        | Q(owner_permission__in=queues, due__lt=today)
    )
    return (
        with_due(human_tasks().filter(status__in=OPEN))
        .filter(mine)
        .select_related("process", "owner")
    )


def queue_tasks(user, today: datetime.date):
    """The tasks waiting in a queue ``user`` may take, no one holding them yet."""
    if not user.is_authenticated:
        return Task.objects.none()
    return (
        with_due(human_tasks())
        .filter(owner__isnull=True, status=STATUS.NEW, owner_permission__in=task_permissions(user))
        .select_related("process")
    )


def archive_tasks(user):
    """The tasks ``user`` completed."""
    if not user.is_authenticated:
        return Task.objects.none()
    return (
        human_tasks()
        .filter(owner=user, finished__isnull=False)
        .annotate(due=F("finished"))
        .select_related("process")
    )


# ---------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------


@dataclass
class Row:
    """One line of a list: a task or a work item."""

    url: str
    number: str
    subject: str
    step: str
    procedure: str
    due: datetime.date | None = None
    days_left: int | None = None
    colour: str = ""
    level: str = ""
    level_label: str = ""
    # Who else may take it: the queue's name while no one holds it ("" once given).
    shared: str = ""
    # The object's page (the number links there).
    object_url: str = ""
    finished: datetime.datetime | None = None
    created: datetime.datetime | None = None
    key: str = field(default="")


def _procedure_of(task):
    for procedure in procedures():
        if task.process.flow_class is FLOWS[procedure.name]:
            return procedure
    return None


def _earliest_deadlines(pairs, today):
    """{(procedure name, object id): the earliest open deadline, with its level and working
    days left}, in two queries whatever the number of objects."""
    wanted = Q(pk__in=[])
    fields = {}
    for procedure in procedures():
        name = deadline_field(procedure)
        ids = [pk for proc, pk in pairs if proc == procedure.name]
        if name is None or not ids:
            continue
        fields[procedure.name] = name
        wanted |= Q(**{f"{name}_id__in": ids})
    found = list(Deadline.objects.open().filter(wanted).with_level(today).order_by("due", "id"))
    first = {}
    for deadline in found:
        for proc, name in fields.items():
            pk = getattr(deadline, f"{name}_id")
            if pk is not None:
                first.setdefault((proc, pk), deadline)
    queries.annotate_days_left(list(first.values()), today)
    return first


def _set_due(row, deadline):
    if deadline is None:
        return
    row.due = deadline.due
    row.days_left = deadline.working_days_left
    row.colour = deadline.colour
    row.level = deadline.level
    row.level_label = deadline.level_label


def _subject(data) -> str:
    official, department = data.get("official"), data.get("department")
    if official and department:
        return f"{official}（{department}）"
    return official or department or ""


def task_rows(tasks, user, today: datetime.date, *, archive=False) -> list[Row]:
    """The rows of ``tasks`` (a page of one of the querysets above)."""
    tasks = list(tasks)
    pairs = set()
    for task in tasks:
        procedure = _procedure_of(task)
        task.procedure = procedure
        if procedure is not None:
            pairs.add((procedure.name, task.process.artifact_object_id))
    earliest = {} if archive else _earliest_deadlines(pairs, today)
    rows = []
    for task in tasks:
        procedure, data = task.procedure, task.process.data or {}
        node = task.flow_task
        declared = procedure.tasks.get(_state_of(procedure, node.name)) if procedure else None
        url = ""
        if not archive and task.status in OPEN:
            url = node.reverse("index", args=[task.process_id, task.pk])
        row = Row(
            url=url,
            number=data.get("number") or data.get("title") or str(procedure.title),
            subject=_subject(data),
            step=str(node.task_title or node.name),
            procedure=str(procedure.title) if procedure else "",
            shared=str(declared.by.label) if declared and task.owner_id is None else "",
            object_url=_object_url(procedure, task),
            finished=task.finished,
            created=task.created,
            key=f"task-{task.pk}",
        )
        if procedure is not None and not archive:
            _set_due(row, earliest.get((procedure.name, task.process.artifact_object_id)))
        rows.append(row)
    return rows


def _state_of(procedure, node_name):
    for state, declared in procedure.tasks.items():
        if declared.node == node_name:
            return state
    return None


def _object_url(procedure, task) -> str:
    """The object's own page: from its key alone where its model's ``get_absolute_url`` asks
    only for that, else from the object read (a month's evaluation is addressed by month)."""
    if procedure is None:
        return ""
    pk = task.process.artifact_object_id
    obj = getattr(task.process, "preloaded_artifact", None)
    if obj is not None:
        return obj.get_absolute_url()
    try:
        return procedure.model(pk=pk).get_absolute_url()
    except (AttributeError, TypeError, ValueError):
        obj = procedure.model.objects.filter(pk=pk).first()
        return obj.get_absolute_url() if obj is not None else ""


# ---------------------------------------------------------------------------------------
# The deadlines' work items
# ---------------------------------------------------------------------------------------


def _matter(deadline) -> tuple[str, str]:
    """(number, subject) of the matter a deadline is about."""
    if deadline.case_id is not None:
        case = deadline.case
        return case.number, f"{case.official.name}（{case.department.name}）"
    unit = deadline.responsible_unit.name if deadline.responsible_unit_id else ""
    if deadline.complaint_id is not None:
        return _("投诉第%(number)s号") % {"number": deadline.complaint_id}, unit
    return deadline.description, unit


_MATTER = (
    "case__official",
    "case__department",
    "responsible_unit",
)


def _item(deadline, *, url, step, key, today) -> Row:
    number, subject = _matter(deadline)
    row = Row(
        url=url,
        number=number,
        subject=subject,
        step=step,
        procedure=str(_("预警纠错")),
        key=key,
    )
    _set_due(row, deadline)
    return row


def _with_level(deadlines, today):
    deadlines = list(deadlines)
    queries.annotate_days_left(deadlines, today)
    return deadlines


def work_items(user, today: datetime.date) -> list[Row]:
    """The deadlines' work for ``user`` (see the module), each with its due date.

    The deadlines of every kind of work are read together, in one query and one reading of
    the calendar, so that the menu costs the same whatever work is waiting."""
    if not user.is_authenticated:
        return []

    pending = []
    kinds = deadline_rules.decidable_kinds(user, today)
    if kinds:
        pending = list(
            Extension.objects.filter(
                status=Extension.Status.PENDING,
                deadline__kind__in=kinds,
                deadline__in=deadline_rules.visible_deadlines(user),
            ).order_by("id")
        )

    steps = []
    if deadline_rules.may_decide_investigation(user):
        steps.append(
            (PreliminaryInvestigation.Status.PROPOSED, "investigation-decide", _("审批初步调查"))
        )
    if deadline_rules.may_conclude_investigation(user):
        steps.append(
            (
                PreliminaryInvestigation.Status.INVESTIGATING,
                "investigation-conclude",
                _("作出初步调查结论"),
            )
        )
    investigations = []
    if steps:
        found = PreliminaryInvestigation.objects.filter(
            status__in=[status for status, _view, _label in steps]
        ).order_by("id")
        investigations = list(found)

    letters = list(
        AdmonitionLetter.objects.filter(
            status=AdmonitionLetter.Status.ISSUED,
            report_deadline__in=Deadline.objects.filter(deadline_rules.responsible_filter(user)),
        ).order_by("id")
    )

    pks = {e.deadline_id for e in pending} | {i.deadline_id for i in investigations}
    pks |= {letter.report_deadline_id for letter in letters}
    pks |= {letter.deadline_id for letter in letters}
    by_pk = {}
    if pks:
        by_pk = {
            d.pk: d
            for d in _with_level(
                Deadline.objects.with_level(today)
                .select_related(*_MATTER, "admonition_report_for__deadline__case__official")
                .filter(pk__in=pks),
                today,
            )
        }

    rows = []
    for extension in pending:
        rows.append(
            _item(
                by_pk[extension.deadline_id],
                url=reverse("deadlines:extension-decide", args=[extension.pk]),
                step=_("审批延期申请（申请延至 %(date)s）")
                % {"date": extension.new_due.isoformat()},
                key=f"extension-{extension.pk}",
                today=today,
            )
        )
    for status, view, label in steps:
        for investigation in investigations:
            if investigation.status != status:
                continue
            rows.append(
                _item(
                    by_pk[investigation.deadline_id],
                    url=reverse(f"deadlines:{view}", args=[investigation.pk]),
                    step=str(label),
                    key=f"investigation-{investigation.pk}",
                    today=today,
                )
            )
    for letter in letters:
        row = _item(
            by_pk[letter.report_deadline_id],
            url=reverse("deadlines:letter-report", args=[letter.pk]),
            step=str(_("书面报告整改情况（效能告诫书）")),
            key=f"letter-{letter.pk}",
            today=today,
        )
        row.number, row.subject = _matter(by_pk[letter.deadline_id])
        rows.append(row)
    rows += problem_rows(user)
    return rows


def problem_rows(user) -> list[Row]:
    """The leader's major problems to read and instruct on (Handan supervision art. 4 (2)),
    in one query; no period is set for it, so the row has no due date."""
    rows = []
    for urging in supervision_rules.problems_for(user):
        matter = urging.matter
        url = reverse("supervision:act", args=[matter.pk])
        rows.append(
            Row(
                url=f"{url}?action=instruct_on_problem&urging={urging.pk}",
                number=matter.card.number if matter.card_id else SUPERVISION.describe(matter),
                subject=matter.lead_unit.name,
                step=str(_("阅示督办中发现的重大问题")),
                procedure=str(SUPERVISION.title),
                object_url=matter.get_absolute_url(),
                key=f"problem-{urging.pk}",
            )
        )
    return rows


def sort_rows(rows, sort: str) -> list[Row]:
    """Rows of tasks and work items together, in the order of ``sort``."""
    far = datetime.date.max
    if sort == "-due":
        return sorted(rows, key=lambda r: (r.due is not None, r.due or far), reverse=True)
    return sorted(rows, key=lambda r: (r.due or far, r.key))


# ---------------------------------------------------------------------------------------
# Counts and the next piece of work
# ---------------------------------------------------------------------------------------


def counts(user, today: datetime.date) -> dict:
    """The menu's numbers: the inbox (tasks and work items) and the queue."""
    if not user.is_authenticated:
        return {"inbox": 0, "queue": 0}
    return {
        "inbox": inbox_tasks(user, today).count() + len(work_items(user, today)),
        "queue": queue_tasks(user, today).count(),
    }


def next_work_url(user, today: datetime.date, procedure=None, obj=None) -> str | None:
    """Where ``user`` goes after acting: the open task of the same object if it is theirs,
    else the most urgent piece of their work; None when there is none."""
    tasks = inbox_tasks(user, today)
    if procedure is not None and obj is not None:
        same = (
            tasks.filter(process__flow_class=FLOWS[procedure.name])
            .filter(process__artifact_object_id=obj.pk)
            .first()
        )
        if same is not None:
            return same.flow_task.reverse("index", args=[same.process_id, same.pk])
    rows = sort_rows(task_rows(sorted_by(tasks, DEFAULT_SORT)[:1], user, today), "due")
    rows = sort_rows(rows + work_items(user, today), "due")
    return rows[0].url if rows else None
