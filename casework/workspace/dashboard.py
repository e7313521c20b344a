"""The figures of the dashboard (docs/dashboard.md). Each figure is a table — a list of
columns and a list of rows (dicts) — which the page draws as a chart, shows as a table beneath
it, and exports as CSV or Excel: the chart, the table and the export are the same numbers.

Every figure costs a fixed number of queries (aggregates in SQL; the step durations read the
history's dates and the calendar's working-day ordinals of those dates in two queries).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.models import AccountabilityCase
from casework.complaints.declaration import COMPLAINTS
from casework.complaints.models import Complaint
from casework.deadlines import queries
from casework.deadlines.models import RIGHT_KINDS, Deadline, Level
from casework.kernel import entrypoints
from casework.kernel.tables import Column
from casework.workcalendar.models import CalendarDay

MONTHS = 12


@dataclass
class Figure:
    key: str
    title: str
    chart: str  # "bar", "stacked", "line"
    columns: list
    rows: list = field(default_factory=list)
    # The column holding the category (x axis); the others are series, but for ``labels``
    # (columns shown in the table and exported, not drawn).
    category: str = ""
    labels: tuple = ()

    def series(self):
        return [
            column
            for column in self.columns
            if column.field != self.category and column.field not in self.labels
        ]

    def cells(self):
        """The table beneath the chart: rows of ``(value, is_number)``."""
        return [
            [
                (
                    row[column.field],
                    column.field != self.category and column.field not in self.labels,
                )
                for column in self.columns
            ]
            for row in self.rows
        ]

    def chart_data(self) -> dict:
        """What dashboard.js draws, passed through json_script (no inline script)."""
        return {
            "key": self.key,
            "title": str(self.title),
            "chart": self.chart,
            "categories": [str(row[self.category]) for row in self.rows],
            "series": [
                {"name": str(column.header), "data": [row[column.field] for row in self.rows]}
                for column in self.series()
            ],
        }


def _month(value) -> str:
    return value.strftime("%Y-%m") if value else ""


def _months(today: datetime.date) -> list[str]:
    """The last MONTHS months up to today's, oldest first."""
    year, month = today.year, today.month
    out = []
    for _i in range(MONTHS):
        out.append(f"{year:04d}-{month:02d}")
        month -= 1
        if month == 0:
            year, month = year - 1, 12
    return out[::-1]


def _first_month_day(today: datetime.date) -> datetime.date:
    first = _months(today)[0]
    return datetime.date(int(first[:4]), int(first[5:]), 1)


def open_cases_by_state() -> Figure:
    """Accountability cases not yet in a final state, by state (in the order of the
    procedure)."""
    counts = dict(
        AccountabilityCase.objects.exclude(state__in=ACCOUNTABILITY.final_states)
        .values_list("state")
        .annotate(n=Count("pk"))
        .values_list("state", "n")
    )
    labels = dict(AccountabilityCase._meta.get_field("state").choices)
    rows = [
        {"state": str(labels.get(state, state)), "count": counts[state]}
        for state in ACCOUNTABILITY.states
        if counts.get(state)
    ]
    return Figure(
        "open-cases",
        _("在办问责案件（按状态）"),
        "bar",
        [Column("state", _("状态"), width=20), Column("count", _("案件数"), width=10)],
        rows,
        category="state",
    )


def cards_by_department_and_month(today: datetime.date) -> Figure:
    """Today's yellow and red cards (Xinxiang warning art. 5–8), by the responsible unit and
    the month the duty fell due."""
    rows = (
        queries.cards(today)
        .annotate(month=TruncMonth("due"))
        .values("responsible_unit__name", "month")
        .annotate(
            yellow=Count("pk", filter=Q(level=Level.YELLOW)),
            red=Count("pk", filter=Q(level=Level.RED)),
        )
        .order_by("responsible_unit__name", "month")
    )
    table = [
        {
            "unit": row["responsible_unit__name"] or str(_("（未指定单位）")),
            "month": _month(row["month"]),
            "yellow": row["yellow"],
            "red": row["red"],
        }
        for row in rows
    ]
    for row in table:
        row["label"] = f"{row['unit']} {row['month']}"
    return Figure(
        "cards",
        _("黄牌、红牌（按单位和届满月份）"),
        "stacked",
        [
            Column("label", _("单位和月份"), width=28),
            Column("unit", _("单位"), width=20),
            Column("month", _("月份"), width=10),
            Column("yellow", _("黄牌"), width=8),
            Column("red", _("红牌"), width=8),
        ],
        table,
        category="label",
        labels=("unit", "month"),
    )


def complaints_per_month(today: datetime.date) -> Figure:
    """Per month of the last twelve: complaints received (date received), handled (closed),
    and overdue (a duty of the complaint due that month, done after it or still open past it
    today)."""
    since = _first_month_day(today)
    received = dict(
        Complaint.objects.filter(received_on__gte=since)
        .annotate(month=TruncMonth("received_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    handled = dict(
        Complaint.objects.filter(closed_on__gte=since)
        .annotate(month=TruncMonth("closed_on"))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    late = (
        Deadline.objects.filter(complaint__isnull=False, due__gte=since, cancelled_at__isnull=True)
        .exclude(kind__in=RIGHT_KINDS)
        .filter(
            Q(done_at__isnull=True, due__lt=today, suspended_on__isnull=True)
            | Q(done_at__date__gt=F("due"))
        )
        .annotate(month=TruncMonth("due"))
        .values("month")
        .annotate(n=Count("complaint", distinct=True))
        .values_list("month", "n")
    )
    overdue = dict(late)

    def by_month(counts):
        return {_month(month): n for month, n in counts.items()}

    received, handled, overdue = by_month(received), by_month(handled), by_month(overdue)
    rows = [
        {
            "month": month,
            "received": received.get(month, 0),
            "handled": handled.get(month, 0),
            "overdue": overdue.get(month, 0),
        }
        for month in _months(today)
    ]
    return Figure(
        "complaints",
        _("效能投诉（按月）"),
        "line",
        [
            Column("month", _("月份"), width=10),
            Column("received", _("收到"), width=8),
            Column("handled", _("办结"), width=8),
            Column("overdue", _("逾期"), width=8),
        ],
        rows,
        category="month",
    )


def _history_durations(procedure, model):
    """``{step name: [working days]}``: for every act recorded in the history of ``model``,
    the working days from the object's previous act to it (the calendar's ordinals of the
    two dates, Asia/Shanghai)."""
    rows = list(
        model.history.exclude(action="")
        .order_by("id", "history_date", "history_id")
        .values_list("id", "history_date", "action")
    )
    dates = {timezone.localdate(row[1]) for row in rows}
    ordinal = dict(CalendarDay.objects.filter(date__in=dates).values_list("date", "ordinal"))
    durations = defaultdict(list)
    previous = {}
    for pk, when, action in rows:
        day = timezone.localdate(when)
        if pk in previous and day in ordinal and previous[pk] in ordinal:
            durations[action].append(ordinal[day] - ordinal[previous[pk]])
        previous[pk] = day
    return durations


def average_working_days_per_step() -> Figure:
    """For each step of each procedure: how many acts, and the average working days from the
    previous act on the same case or complaint to it."""
    rows = []
    for procedure, model in ((ACCOUNTABILITY, AccountabilityCase), (COMPLAINTS, Complaint)):
        durations = _history_durations(procedure, model)
        for name in procedure.steps:
            values = durations.get(name)
            if not values:
                continue
            rows.append(
                {
                    "step": f"{procedure.title}：{procedure.label(name)}",
                    "acts": len(values),
                    "average": round(sum(values) / len(values), 1),
                }
            )
    return Figure(
        "steps",
        _("各环节平均用时（工作日）"),
        "bar",
        [
            Column("step", _("环节"), width=36),
            Column("acts", _("次数"), width=8),
            Column("average", _("平均工作日"), width=10),
        ],
        rows,
        category="step",
    )


def evaluation_trends(user) -> Figure:
    """Every department's monthly performance score over the last twelve published months
    (Xinxiang performance art. 12), corrections included: one line per department."""
    data = entrypoints.call("evaluation.trends", user, MONTHS)
    columns = [Column("month", _("月份"), width=10)] + [
        Column(series["department"], series["name"], width=12) for series in data["series"]
    ]
    rows = [
        {
            "month": month,
            **{
                series["department"]: (
                    None if series["totals"][index] is None else float(series["totals"][index])
                )
                for series in data["series"]
            },
        }
        for index, month in enumerate(data["months"])
    ]
    return Figure("evaluation", _("各部门月度绩效得分"), "line", columns, rows, category="month")


def figures(today: datetime.date, user=None) -> list[Figure]:
    shown = [
        open_cases_by_state(),
        cards_by_department_and_month(today),
        complaints_per_month(today),
        average_working_days_per_step(),
    ]
    if user is not None:
        shown.append(evaluation_trends(user))
    return shown
