"""The dashboard of the mayor, the secretariat and the supervision bureau (docs/dashboard.md):
who may open it, and its numbers — chart data, table and exports — against the database."""

import csv
import datetime
import io
import re

import pytest
from django.db.models import Count
from django.utils import timezone

from casework.accountability import services as case_services
from casework.accountability.declaration import ACCOUNTABILITY
from casework.accountability.models import AccountabilityCase
from casework.complaints import services as complaint_services
from casework.complaints.models import Complaint
from casework.deadlines import queries
from casework.deadlines.models import Level
from casework.org.models import Department, Official
from casework.workspace import dashboard
from tests.deadlines.helpers import red, yellow

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "username, status",
    [
        ("mayor", 200),
        ("secretariat", 200),
        ("investigator", 200),
        ("supervision_leader", 200),
        ("legal", 403),
        ("complaints", 403),
        ("head_education", 403),
        ("admin", 200),  # the demo administrator is a superuser
    ],
)
def test_who_opens_the_dashboard(login, username, status):
    client = login(username)
    assert client.get("/workspace/dashboard/").status_code == status
    menu = client.get("/accountability/").content.decode()
    assert ('data-testid="menu-dashboard"' in menu) == (status == 200)


@pytest.fixture
def work(people):
    """Three cases (one started), three complaints (one accepted), a red and a yellow card."""
    cases = [
        case_services.register_case(
            people["secretariat"],
            {
                "official": Official.objects.get(user__username=username).pk,
                "grounds": ["4.1.1"],
                "source": "mayor",
                "summary": "未完成政府工作报告确定的任务",
                "on": timezone.localdate().isoformat(),
            },
        )
        for username in ("head_education", "head_transport", "head_tax")
    ]
    case_services.transition(cases[0], "start", people["mayor"], {})
    complaints = [
        complaint_services.submit(
            {
                "category": "attitude",
                "respondent_department": "education",
                "content": "办理学籍转入手续时，工作人员多次推诿。",
                "real_name": False,
            }
        )
        for _ in range(3)
    ]
    complaint_services.transition(complaints[0], "accept", people["complaints"], {})
    red(unit="education")
    yellow(unit="transport")
    return cases, complaints


def test_open_cases_by_state_are_the_cases_not_in_a_final_state(work):
    figure = dashboard.open_cases_by_state()
    expected = dict(
        AccountabilityCase.objects.exclude(state__in=ACCOUNTABILITY.final_states)
        .values_list("state")
        .annotate(n=Count("pk"))
    )
    labels = dict(AccountabilityCase._meta.get_field("state").choices)
    assert {row["state"]: row["count"] for row in figure.rows} == {
        str(labels[state]): n for state, n in expected.items()
    }
    assert sum(row["count"] for row in figure.rows) == 3
    assert {row["state"]: row["count"] for row in figure.rows} == {"已提出": 2, "已启动": 1}


def test_cards_by_department_and_month_are_todays_yellow_and_red_cards(work):
    today = timezone.localdate()
    figure = dashboard.cards_by_department_and_month(today)
    cards = queries.cards(today)
    assert sum(row["red"] for row in figure.rows) == cards.filter(level=Level.RED).count() == 1
    assert (
        sum(row["yellow"] for row in figure.rows) == cards.filter(level=Level.YELLOW).count() == 1
    )
    by_unit = {row["unit"]: (row["yellow"], row["red"]) for row in figure.rows}
    # Drawn: the yellow and red cards; the unit and the month only label them.
    assert [series["name"] for series in figure.chart_data()["series"]] == ["黄牌", "红牌"]
    education = Department.objects.get(code="education").name
    transport = Department.objects.get(code="transport").name
    assert by_unit == {education: (0, 1), transport: (1, 0)}


def test_complaints_per_month_count_received_handled_and_overdue(work):
    today = timezone.localdate()
    figure = dashboard.complaints_per_month(today)
    assert len(figure.rows) == dashboard.MONTHS
    this_month = figure.rows[-1]
    assert this_month["month"] == today.strftime("%Y-%m")
    assert (
        this_month["received"]
        == Complaint.objects.filter(
            received_on__year=today.year, received_on__month=today.month
        ).count()
        == 3
    )
    assert this_month["handled"] == Complaint.objects.filter(closed_on__isnull=False).count() == 0
    assert sum(row["overdue"] for row in figure.rows) == 0


def test_a_complaint_whose_duty_passed_its_due_date_is_overdue_in_the_month_it_fell_due(
    work, people
):
    today = timezone.localdate()
    complaint = work[1][1]
    red(unit="education", complaint=complaint)  # due three working days ago, still open
    due = complaint.deadlines.order_by("due").first().due
    figure = dashboard.complaints_per_month(today)
    month = {row["month"]: row["overdue"] for row in figure.rows}
    assert month[due.strftime("%Y-%m")] == 1


def test_average_working_days_per_step_counts_every_recorded_act(work):
    figure = dashboard.average_working_days_per_step()
    rows = {row["step"]: row for row in figure.rows}
    start = rows[f"{ACCOUNTABILITY.title}：{ACCOUNTABILITY.label('start')}"]
    assert start["acts"] == AccountabilityCase.history.filter(action="start").count() == 1
    assert start["average"] == 0  # started on the day it was registered


def test_the_page_shows_each_chart_with_its_table_and_exports_the_same_numbers(login, work):
    client = login("secretariat")
    page = client.get("/workspace/dashboard/")
    html = page.content.decode()
    # The data reaches the chart through json_script, never an inline script.
    assert '<script id="dashboard-data" type="application/json">' in html
    inline = re.findall(r"<script(?![^>]*\bsrc=)(?![^>]*application/json)[^>]*>", html)
    assert inline == []
    assert "vendor/echarts/echarts.common.min.js" in html
    for figure in page.context["figures"]:
        assert f'data-testid="table-{figure.key}"' in html
        exported = list(
            csv.reader(
                io.StringIO(
                    client.get(
                        "/workspace/dashboard/", {"figure": figure.key, "format": "csv"}
                    ).content.decode("utf-8-sig")
                )
            )
        )
        assert exported[0] == [str(column.header) for column in figure.columns]
        assert exported[1:] == [
            [
                "" if row[column.field] is None else str(row[column.field])
                for column in figure.columns
            ]
            for row in figure.rows
        ]
        data = figure.chart_data()
        assert data["categories"] == [str(row[figure.category]) for row in figure.rows]
    xlsx = client.get("/workspace/dashboard/", {"figure": "open-cases", "format": "xlsx"})
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")
    assert (
        client.get("/workspace/dashboard/", {"figure": "nope", "format": "csv"}).status_code == 404
    )


def test_the_figures_cost_a_fixed_number_of_queries(login, work, people):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = login("mayor")
    with CaptureQueriesContext(connection) as few:
        client.get("/workspace/dashboard/")
    for _ in range(5):
        case = case_services.register_case(
            people["secretariat"],
            {
                "official": Official.objects.get(user__username="head_tax").pk,
                "grounds": ["4.1.1"],
                "source": "mayor",
                "summary": "又一件",
                "on": timezone.localdate().isoformat(),
            },
        )
        case_services.transition(case, "start", people["mayor"], {})
    with CaptureQueriesContext(connection) as many:
        client.get("/workspace/dashboard/")
    assert len(many) == len(few)


def test_the_dashboard_asks_for_dates_within_the_last_twelve_months():
    months = dashboard._months(datetime.date(2026, 3, 15))
    assert months[0] == "2025-04" and months[-1] == "2026-03" and len(months) == 12
