"""The lists of cases and complaints (docs/search.md#lists): filtered by words, sorted by a
column, paginated, exported as CSV and Excel with exactly the columns shown — and each costs
the same number of queries for 2 rows as for 200."""

import csv
import datetime
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from casework.accountability import services as case_services
from casework.complaints import services as complaint_services
from casework.org.models import Official

pytestmark = pytest.mark.django_db


def headers(response):
    """The labels of the list's data columns, as the page shows them."""
    return re.findall(
        r'<th scope="col"[^>]*data-column="[^"]+">(?:<a [^>]*>)?([^<]+)', response.content.decode()
    )


def csv_rows(response):
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def xlsx_rows(response):
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[cell.value for cell in row] for row in sheet.iter_rows()]


def count_queries(client, url, data=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, data or {})
    assert response.status_code == 200
    return len(captured), response


def register_cases(people, n, start=0):
    for i in range(start, start + n):
        case_services.register_case(
            people["secretariat"],
            {
                "official": Official.objects.get(
                    user__username=("head_education", "head_transport")[i % 2]
                ).pk,
                "grounds": ["4.1.1"],
                "source": "mayor",
                "summary": f"第{i}号事项：未完成校舍改造任务"
                if i % 2 == 0
                else f"第{i}号事项：道路迟延",
                "on": datetime.date(2026, 11, 2).isoformat(),
            },
        )


def submit_complaints(n, start=0):
    for i in range(start, start + n):
        complaint_services.submit(
            {
                "category": "attitude",
                "respondent_department": ("education", "transport")[i % 2],
                "content": f"第{i}件：办理手续时工作人员推诿。"
                + ("学籍" if i % 2 == 0 else "驾照"),
                "real_name": False,
            }
        )


@pytest.mark.parametrize(
    "url, make", [("/accountability/", "cases"), ("/complaints/staff/", "complaints")]
)
def test_the_exports_have_the_columns_the_list_shows(login, people, url, make):
    if make == "cases":
        register_cases(people, 3)
        client = login("secretariat")
    else:
        submit_complaints(3)
        client = login("complaints")
    page = client.get(url)
    shown = headers(page)
    assert len(shown) >= 7
    exported_csv = csv_rows(client.get(url, {"format": "csv"}))
    exported_xlsx = xlsx_rows(client.get(url, {"format": "xlsx"}))
    assert exported_csv[0] == shown
    assert exported_xlsx[0] == shown
    assert len(exported_csv) == len(exported_xlsx) == 1 + 3
    assert all(len(row) == len(shown) for row in exported_csv)


def test_the_case_list_filters_by_words_sorts_and_exports_what_it_shows(login, people):
    register_cases(people, 6)
    client = login("secretariat")
    page = client.get("/accountability/", {"q": "校舍"})
    assert page.context["page"].paginator.count == 3
    exported = csv_rows(client.get("/accountability/", {"q": "校舍", "format": "csv"}))
    assert len(exported) == 1 + 3 and all("教育局" in row[2] for row in exported[1:])
    ascending = [
        row[0]
        for row in csv_rows(client.get("/accountability/", {"sort": "number", "format": "csv"}))[1:]
    ]
    descending = [
        row[0]
        for row in csv_rows(client.get("/accountability/", {"sort": "-number", "format": "csv"}))[
            1:
        ]
    ]
    assert ascending == sorted(ascending) and descending == ascending[::-1]
    # An unknown sort falls back to the default rather than failing.
    assert client.get("/accountability/", {"sort": "summary"}).status_code == 200
    assert (
        'aria-sort="ascending"'
        in client.get("/accountability/", {"sort": "number"}).content.decode()
    )


def test_an_official_exports_only_his_own_cases(login, people):
    register_cases(people, 4)
    exported = csv_rows(login("head_transport").get("/accountability/", {"format": "csv"}))
    assert len(exported) == 1 + 2 and all(row[1] == "张国强" for row in exported[1:])


def test_the_complaint_list_filters_by_words_and_its_export_names_no_complainant(login, people):
    submit_complaints(4)
    complaint_services.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍手续时工作人员推诿。",
            "real_name": True,
            "name": "王秀英",
            "phone": "13812345678",
        }
    )
    client = login("complaints")
    assert client.get("/complaints/staff/", {"q": "学籍"}).context["page"].paginator.count == 3
    for fmt in ("csv", "xlsx"):
        content = client.get("/complaints/staff/", {"format": fmt}).content
        if fmt == "xlsx":
            content = str(xlsx_rows(client.get("/complaints/staff/", {"format": fmt}))).encode()
        assert "王秀英".encode() not in content and b"13812345678" not in content


def test_the_case_list_and_its_export_cost_the_same_for_2_and_200_cases(login, people):
    client = login("secretariat")
    register_cases(people, 2)
    few, _page = count_queries(client, "/accountability/", {"q": "事项", "sort": "-next_due"})
    few_export, _export = count_queries(client, "/accountability/", {"format": "xlsx"})
    register_cases(people, 198, start=2)
    many, page = count_queries(client, "/accountability/", {"q": "事项", "sort": "-next_due"})
    many_export, export = count_queries(client, "/accountability/", {"format": "xlsx"})
    assert page.context["page"].paginator.num_pages == 4
    assert len(xlsx_rows(export)) == 1 + 200
    assert many == few and many_export == few_export


def test_the_complaint_list_and_its_export_cost_the_same_for_2_and_200_complaints(login):
    client = login("complaints")
    submit_complaints(2)
    few, _page = count_queries(client, "/complaints/staff/", {"q": "推诿", "sort": "category"})
    few_export, _export = count_queries(client, "/complaints/staff/", {"format": "csv"})
    submit_complaints(198, start=2)
    many, page = count_queries(client, "/complaints/staff/", {"q": "推诿", "sort": "category"})
    many_export, export = count_queries(client, "/complaints/staff/", {"format": "csv"})
    assert page.context["page"].paginator.num_pages == 4
    assert len(csv_rows(export)) == 1 + 200
    assert many == few and many_export == few_export


# --- deadlines and letters ------------------------------------------------------------------


def test_my_deadlines_export_the_columns_shown_and_filter_by_words(login):
    from tests.deadlines.helpers import red, upcoming

    for _ in range(2):
        red(unit="education", description="报送校舍改造进度")
    upcoming(unit="education", description="答复人大建议")
    client = login("head_education")
    page = client.get("/deadlines/")
    shown = headers(page)
    assert shown == ["预警", "事项", "案件 / 投诉", "届满日期", "剩余 / 逾期"]
    exported = csv_rows(client.get("/deadlines/", {"format": "csv"}))
    assert exported[0] == shown and len(exported) == 1 + 3
    assert xlsx_rows(client.get("/deadlines/", {"format": "xlsx"}))[0] == shown
    assert [row[1] for row in exported[1:]].count("报送校舍改造进度") == 2
    assert {row[0] for row in exported[1:]} == {"红牌", "正常"} or len(
        {row[0] for row in exported[1:]}
    ) == 2
    filtered = csv_rows(client.get("/deadlines/", {"q": "校舍", "format": "csv"}))
    assert len(filtered) == 1 + 2
    by_due = [
        row[3] for row in csv_rows(client.get("/deadlines/", {"sort": "-due", "format": "csv"}))[1:]
    ]
    assert by_due == sorted(by_due, reverse=True)
    # Someone else's deadlines are not theirs to export.
    assert len(csv_rows(login("head_transport").get("/deadlines/", {"format": "csv"}))) == 1


def test_my_deadlines_cost_the_same_for_2_and_200(login):
    from tests.deadlines.helpers import red

    client = login("head_education")
    for _ in range(2):
        red(unit="education")
    few, _page = count_queries(client, "/deadlines/", {"q": "调查"})
    few_export, _export = count_queries(client, "/deadlines/", {"format": "csv"})
    for _ in range(198):
        red(unit="education")
    many, page = count_queries(client, "/deadlines/", {"q": "调查"})
    many_export, export = count_queries(client, "/deadlines/", {"format": "csv"})
    assert page.context["page"].paginator.count == 200
    assert len(csv_rows(export)) == 1 + 200
    assert many == few and many_export == few_export


def issue_letters(n):
    from django.utils import timezone

    from casework.deadlines import services
    from casework.deadlines.models import Kind
    from tests.deadlines.helpers import yellow

    for _ in range(n):
        yellow(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    services.scan(timezone.localdate())


def test_the_letters_export_the_columns_shown(login):
    issue_letters(2)
    client = login("mayor")
    shown = headers(client.get("/deadlines/letters/"))
    assert shown == ["文号", "发文日期", "承办单位", "超期事项", "报告期限", "状态"]
    exported = csv_rows(client.get("/deadlines/letters/", {"format": "csv"}))
    assert exported[0] == shown and len(exported) == 1 + 2
    assert xlsx_rows(client.get("/deadlines/letters/", {"format": "xlsx"}))[0] == shown
    number = exported[1][0]
    only = csv_rows(client.get("/deadlines/letters/", {"q": number, "format": "csv"}))
    assert [row[0] for row in only[1:]] == [number]
    assert len(csv_rows(login("head_transport").get("/deadlines/letters/", {"format": "csv"}))) == 1


def test_the_letters_cost_the_same_for_2_and_200(login):
    client = login("mayor")
    issue_letters(2)
    few, _page = count_queries(client, "/deadlines/letters/", {"sort": "unit"})
    few_export, _export = count_queries(client, "/deadlines/letters/", {"format": "xlsx"})
    issue_letters(198)
    many, page = count_queries(client, "/deadlines/letters/", {"sort": "unit"})
    many_export, export = count_queries(client, "/deadlines/letters/", {"format": "xlsx"})
    assert page.context["page"].paginator.count == 200
    assert len(xlsx_rows(export)) == 1 + 200
    assert many == few and many_export == few_export
