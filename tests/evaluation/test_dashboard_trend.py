"""The dashboard's trend chart: each department's published monthly score
(Xinxiang performance art. 12), the same numbers in the chart, the table and the export."""

import csv
import io

import pytest

from casework.evaluation.models import MonthlyEvaluation

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


def figure_of(response):
    return next(f for f in response.context["figures"] if f.key == "evaluation")


def test_a_month_not_yet_published_is_not_on_the_dashboard(computed, login):
    figure = figure_of(login("mayor").get("/workspace/dashboard/"))
    assert figure.rows == []


def test_the_published_month_is_drawn_per_department(published, login):
    client = login("mayor")
    response = client.get("/workspace/dashboard/")
    figure = figure_of(response)
    assert [row["month"] for row in figure.rows] == [published.key] == ["2026-11"]
    # The education bureau's total as published (docs/evaluation.md, the example).
    assert figure.rows[0]["education"] == 37.0
    totals = {line.department.code for line in published.current_lines()}
    assert {column.field for column in figure.series()} == totals
    chart = figure.chart_data()
    education = next(s for s in chart["series"] if s["name"] == "南充市教育局")
    assert education["data"] == [37.0]
    html = response.content.decode()
    assert 'data-testid="table-evaluation"' in html
    exported = list(
        csv.reader(
            io.StringIO(
                client.get(
                    "/workspace/dashboard/", {"figure": "evaluation", "format": "csv"}
                ).content.decode("utf-8-sig")
            )
        )
    )
    header = exported[0]
    assert header[0] == "月份" and "南充市教育局" in header
    assert exported[1][header.index("南充市教育局")] == "37.0"


def test_a_draft_month_stays_off_the_dashboard_even_for_the_bureau(computed, login):
    assert MonthlyEvaluation.objects.filter(state="published").count() == 0
    figure = figure_of(login("investigator").get("/workspace/dashboard/"))
    assert figure.rows == []
