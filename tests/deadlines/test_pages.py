"""The early-warning pages (casework/deadlines/views/): my deadlines and how each was
computed, the warning board and its CSV and Excel exports, the extension, investigation and
rectification screens, the bell — who may open each, what each shows, and a fixed number of
queries whatever the number of rows."""

import csv
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.deadlines import services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Kind,
    Notification,
    PreliminaryInvestigation,
)
from casework.org.models import Official, User

from .helpers import (
    deadline,
    red,
    set_cap,
    upcoming,
    working_days_ago,
    working_days_ahead,
    yellow,
)

pytestmark = pytest.mark.django_db

NAME, PHONE = "王秀英", "13812345678"


@pytest.fixture
def people(demo_people):
    return {user.username: user for user in User.objects.all()}


@pytest.fixture
def login(client, people):
    def _login(username):
        client.force_login(people[username])
        return client

    return _login


@pytest.fixture(autouse=True)
def site_urls():
    """viewflow's nodes learn their URL namespaces when the URLconf is built."""
    from django.urls import get_resolver

    assert get_resolver().url_patterns


def page(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode() if status == 200 else response


def rows(html, attribute="deadline"):
    return [int(pk) for pk in re.findall(rf'<tr[^>]* data-{attribute}="(\d+)"', html)]


def levels(html):
    return dict(
        (int(pk), level)
        for pk, level in re.findall(r'<tr[^>]* data-deadline="(\d+)" data-level="(\w+)"', html)
    )


def queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(captured)


@pytest.fixture
def complaint_card(db):
    """A red card on a real-name complaint: its deadline may be exported, its complainant
    never (Xinxiang complaints art. 8)."""
    from casework.complaints import services as complaints

    complaint = complaints.submit(
        {
            "category": "attitude",
            "respondent_department": "education",
            "content": "办理学籍转入手续时，工作人员多次推诿。",
            "real_name": True,
            "name": NAME,
            "phone": PHONE,
        }
    )
    return deadline(
        working_days_ago(4),
        kind=Kind.ORGAN_REPORT,
        unit="education",
        description="报送办理结果",
        complaint=complaint,
    )


# --- 我的期限 -------------------------------------------------------------------------------


def test_my_deadlines_are_those_of_my_unit_or_named_to_me_coloured_by_level(login, people):
    unit_red = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    named = upcoming(1, unit="education", user=people["head_education"], description="汇报")
    bureau = yellow(unit="supervision")
    html = page(login("staff_education"), "/deadlines/")
    assert rows(html) == [unit_red.pk]  # the named deadline is the head's alone
    assert levels(html) == {unit_red.pk: "red"}
    assert "逾期 3 个工作日" in html and "如何计算" in html
    html = page(login("head_education"), "/deadlines/")
    assert set(rows(html)) == {unit_red.pk, named.pk}
    assert levels(html)[named.pk] == "pre_warning"
    assert "剩余 1 个工作日" in html
    html = page(login("investigator"), "/deadlines/")
    assert bureau.pk in rows(html) and levels(html)[bureau.pk] == "yellow"
    assert page(login("head_tax"), "/deadlines/").count("data-deadline=") == 0


def test_my_deadlines_show_the_original_due_beside_an_extension_and_mark_provisional(login, people):
    item = upcoming(5)
    new_due = working_days_ahead(3, item.due)
    extension = services.ask_for_extension(
        item, people["investigator"], {"reason": "x", "new_due": new_due}
    )
    services.decide_on_extension(extension, people["mayor"], {"approve": True})
    provisional = services.open_deadline(
        Kind.INVESTIGATION,
        start=timezone.localdate().replace(year=2027, month=3, day=1),
        days=5,
        description="来年的期限",
        unit=None,
        user=people["investigator"],
    )
    html = page(login("investigator"), "/deadlines/")
    assert f"原 {item.due.isoformat()}" in html and new_due.isoformat() in html
    row = html[html.index(f'data-deadline="{provisional.pk}"') :]
    assert "暂定" in row[: row.index("</tr>")]


def test_the_explanation_page_lists_the_days_with_their_reasons(login, people):
    item = services.open_deadline(
        Kind.INVESTIGATION,
        start=timezone.localdate().replace(year=2026, month=2, day=12),
        days=3,
        description="完成调查核实",
        unit=None,
        user=people["investigator"],
    )
    html = page(login("investigator"), f"/deadlines/{item.pk}/explain/")
    for text in ("调休上班日", "法定节假日：春节", "第 3 个工作日", "2026-02-24", "不计"):
        assert text in html
    assert "计入 3 个工作日，跳过 9 天" in html
    page(login("head_tax"), f"/deadlines/{item.pk}/explain/", status=404)
    page(login("head_tax"), "/deadlines/999999/explain/", status=404)


def test_the_explanation_of_a_red_card_shows_the_overdue_working_days(login):
    item = red()
    html = page(login("supervision_leader"), f"/deadlines/{item.pk}/explain/")
    assert "逾期第 3 个工作日" in html and "红牌" in html and "周末" in html


def test_the_inbox_shows_my_deadline_counts_and_the_bell(login, people):
    red(unit="supervision")
    services.notify([people["investigator"]], "测试通知一")
    services.notify([people["investigator"]], "测试通知二")
    html = page(login("investigator"), "/workflow/inbox/")
    assert 'data-testid="my-deadline-summary"' in html
    assert re.search(r'data-level="red"[^>]*>\s*<span[^>]*></span>\s*红牌 <strong>1</strong>', html)
    assert re.search(r'data-testid="bell-count"[^>]*>2<', html)
    assert 'href="/deadlines/"' in html and 'data-testid="menu-board"' in html
    html = page(login("head_tax"), "/workflow/inbox/")
    assert 'data-testid="bell-count"' not in html and 'data-testid="menu-board"' not in html


@pytest.mark.parametrize(
    "username,board,investigations,extensions",
    [
        ("supervision_leader", True, True, True),
        ("investigator", True, True, False),
        ("mayor", True, True, True),
        ("complaints_head", False, False, True),
        ("head_education", False, False, False),
    ],
)
def test_the_menu_offers_each_person_the_pages_the_rules_allow(
    login, username, board, investigations, extensions
):
    html = page(login(username), "/deadlines/")
    assert 'data-testid="menu-my-deadlines"' in html and 'data-testid="menu-letters"' in html
    assert ('data-testid="menu-board"' in html) is board
    assert ('data-testid="menu-investigations"' in html) is investigations
    assert ('data-testid="menu-extensions"' in html) is extensions
    status = 200 if extensions else 403
    assert login(username).get("/deadlines/extensions/").status_code == status


def test_the_bell_costs_one_query(login, people):
    services.notify([people["investigator"]], "测试通知")
    client = login("investigator")
    with CaptureQueriesContext(connection) as captured:
        client.get("/deadlines/letters/")
    on_notifications = [q for q in captured if "deadlines_notification" in q["sql"]]
    assert len(on_notifications) == 1


# --- the warning board -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "username,status",
    [
        ("investigator", 200),
        ("supervision_leader", 200),
        ("mayor", 200),
        ("vicemayor", 200),
        ("secretariat", 200),
        ("head_education", 403),
        ("staff_education", 403),
        ("complaints", 403),
        ("legal", 403),
    ],
)
def test_the_board_is_for_supervision_and_the_mayors_office(login, username, status):
    for suffix in ("", "?format=csv", "?format=xlsx"):
        response = login(username).get("/deadlines/board/" + suffix)
        assert response.status_code == status


def test_the_board_shows_yellow_and_red_cards_with_counts_per_department(login, complaint_card):
    red_one = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    yellow_one = yellow(unit="supervision")
    upcoming(1, unit="supervision")  # pre-warning: not on the board
    right = deadline(working_days_ago(5), kind=Kind.OBJECTION, unit="education")
    html = page(login("supervision_leader"), "/deadlines/board/")
    shown = levels(html)
    assert shown == {red_one.pk: "red", complaint_card.pk: "red", yellow_one.pk: "yellow"}
    assert right.pk not in shown
    education = html[html.index('<tr data-unit="education"') :]
    assert re.search(r'data-testid="red-count">2<', education[: education.index("</tr>")])
    assert NAME not in html and PHONE not in html

    by_unit = levels(page(login("supervision_leader"), "/deadlines/board/?unit=supervision"))
    assert set(by_unit) == {yellow_one.pk}
    by_kind = levels(page(login("supervision_leader"), "/deadlines/board/?kind=investigation"))
    assert set(by_kind) == {yellow_one.pk}
    by_procedure = levels(page(login("mayor"), "/deadlines/board/?procedure=complaints"))
    assert set(by_procedure) == {complaint_card.pk}


def test_the_board_filters_by_the_accountability_procedure(login, people):
    from casework.accountability import services as accountability

    case = accountability.register_case(
        people["secretariat"],
        {
            "official": Official.objects.get(user__username="head_transport").pk,
            "grounds": ["4.1.1"],
            "source": "mayor",
            "summary": "未完成工作任务",
            "on": timezone.localdate().isoformat(),
        },
    )
    on_case = red(unit="transport", kind=Kind.REPORT, case=case)
    red(unit="supervision")
    html = page(login("investigator"), "/deadlines/board/?procedure=accountability")
    assert set(levels(html)) == {on_case.pk}
    assert case.number in html


def test_the_csv_export_opens_in_excel_and_holds_the_red_rows_only_deadline_facts(
    login, complaint_card
):
    red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    yellow(unit="supervision")
    response = login("investigator").get("/deadlines/board/?format=csv")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    raw = response.content
    assert raw.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    assert header[:3] == ["程序", "期限类别", "责任单位"] and "投诉编号" in header
    assert len(body) == 3
    reds = [row for row in body if row[header.index("预警级别")] == "红牌"]
    assert len(reds) == 2
    assert {row[header.index("责任单位")] for row in reds} == {"南充市教育局"}
    by_complaint = [row for row in reds if row[header.index("投诉编号")]]
    assert by_complaint[0][header.index("投诉编号")] == str(complaint_card.complaint_id)
    assert by_complaint[0][header.index("逾期工作日")] == "4"
    text = raw.decode("utf-8-sig")
    assert NAME not in text and PHONE not in text and "推诿" not in text
    only_yellow = login("investigator").get("/deadlines/board/?format=csv&unit=supervision")
    assert len(list(csv.reader(io.StringIO(only_yellow.content.decode("utf-8-sig"))))) == 2


def test_the_excel_export_opens_with_openpyxl_and_holds_the_red_rows(login, complaint_card):
    from openpyxl import load_workbook

    item = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    response = login("mayor").get("/deadlines/board/?format=xlsx")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    sheet = workbook.active
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header, body = values[0], values[1:]
    assert header[header.index("预警级别")] == "预警级别"
    assert len(body) == 2
    assert all(row[header.index("预警级别")] == "红牌" for row in body)
    due = body[0][header.index("届满日期")]
    assert due.date() in {item.due, complaint_card.due}
    flat = " ".join(str(cell) for row in values for cell in row)
    assert NAME not in flat and PHONE not in flat


def test_the_board_and_its_export_cost_the_same_for_2_and_12_cards(login):
    client = login("supervision_leader")
    for unit in ("education", "transport"):
        red(kind=Kind.ORGAN_REPORT, unit=unit)
    services.scan(timezone.localdate())
    few = [queries(client, url) for url in BOARD_URLS]
    for unit in ["education", "transport", "tax", "supervision", "education"] * 2:
        red(kind=Kind.ORGAN_REPORT, unit=unit)
    services.scan(timezone.localdate())
    assert Deadline.objects.with_level(timezone.localdate()).filter(level="red").count() == 12
    many = [queries(client, url) for url in BOARD_URLS]
    assert many == few


BOARD_URLS = ["/deadlines/board/", "/deadlines/board/?format=csv", "/deadlines/board/?format=xlsx"]


def test_the_lists_cost_the_same_for_few_and_many_rows(login, people):
    client = login("supervision_leader")
    urls = [
        "/deadlines/",
        "/deadlines/investigations/",
        "/deadlines/letters/",
        "/deadlines/notifications/",
        "/deadlines/extensions/",
        "/workflow/inbox/",
    ]

    def add(n):
        for index in range(n):
            item = red(unit=["supervision", "education"][index % 2], kind=Kind.ORGAN_REPORT)
            services.notify([people["supervision_leader"]], f"通知{item.pk}")
        services.scan(timezone.localdate())
        for letter in AdmonitionLetter.objects.filter(unit__code="supervision"):
            report = letter.report_deadline
            if not report.extensions.exists():
                services.ask_for_extension(
                    report,
                    people["investigator"],
                    {"reason": "x", "new_due": working_days_ahead(1, report.due)},
                )

    add(2)
    client.get("/deadlines/")  # warm the per-process caches (content types, roles)
    few = [queries(client, url) for url in urls]
    add(8)
    assert Extension.objects.count() == 5
    many = [queries(client, url) for url in urls]
    assert many == few


# --- extensions ------------------------------------------------------------------------------


def test_asking_for_an_extension_on_the_page(login, people):
    item = upcoming(5)
    url = f"/deadlines/{item.pk}/extend/"
    page(login("secretariat"), url, status=403)
    page(login("head_tax"), url, status=404)
    client = login("investigator")
    assert "提交延期申请" in page(client, url)
    new_due = working_days_ahead(2, item.due).isoformat()
    unconfirmed = client.post(url, {"new_due": new_due, "reason": "证人外出"})
    assert unconfirmed.status_code == 200 and "请勾选确认后再提交" in unconfirmed.content.decode()
    assert "证人外出" in unconfirmed.content.decode()  # what was typed is kept
    blank = client.post(url, {"new_due": new_due, "reason": " ", "confirm": "on"}).content.decode()
    assert "请说明延期理由" in blank and new_due in blank
    response = client.post(url, {"new_due": new_due, "reason": "证人外出", "confirm": "on"})
    assert response.status_code == 302
    assert Extension.objects.get().reason == "证人外出"
    again = client.post(url, {"new_due": new_due, "reason": "再申请", "confirm": "on"})
    assert "已有延期申请待审批" in again.content.decode()
    html = page(client, "/deadlines/")
    assert "延期申请待审批" in html


def test_an_extension_after_the_deadline_or_over_the_cap_is_refused_beside_the_form(login):
    late = yellow()
    client = login("investigator")
    html = client.post(
        f"/deadlines/{late.pk}/extend/",
        {"new_due": working_days_ahead(2).isoformat(), "reason": "晚了", "confirm": "on"},
    ).content.decode()
    assert "延期须在期限届满" in html and "晚了" in html
    set_cap(Kind.INVESTIGATION, 2)
    item = upcoming(5)
    html = client.post(
        f"/deadlines/{item.pk}/extend/",
        {"new_due": working_days_ahead(3, item.due).isoformat(), "reason": "多", "confirm": "on"},
    ).content.decode()
    assert "延期合计不得超过 2 个工作日" in html
    assert re.search(r'data-field="new_due".*?class="cw-errors"', html, re.S)
    assert not Extension.objects.exists()


def test_the_approver_grants_on_the_page_and_cannot_decide_twice(login, people):
    item = upcoming(5)
    new_due = working_days_ahead(2, item.due)
    extension = services.ask_for_extension(
        item, people["investigator"], {"reason": "证人外出", "new_due": new_due}
    )
    url = f"/deadlines/extensions/{extension.pk}/decide/"
    page(login("secretariat"), url, status=403)
    page(login("head_education"), "/deadlines/extensions/", status=403)
    assert rows(page(login("mayor"), "/deadlines/extensions/"), "extension") == [extension.pk]
    client = login("mayor")
    assert "证人外出" in page(client, url)
    response = client.post(url, {"approve": "yes", "reason": "同意", "confirm": "on"})
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.due == new_due and item.original_due is not None
    html = client.post(url, {"approve": "no", "confirm": "on"}).content.decode()
    assert "该延期申请已审批" in html
    assert "提交审批结果" not in page(client, url).split('data-testid="extension-facts"')[0]


# --- preliminary investigations --------------------------------------------------------------


@pytest.fixture
def investigation(people):
    item = red(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    services.scan(timezone.localdate())
    return PreliminaryInvestigation.objects.get(deadline=item)


def test_the_leader_approves_and_the_bureau_concludes_on_the_pages(login, investigation):
    page(login("head_education"), "/deadlines/investigations/", status=403)
    html = page(login("investigator"), "/deadlines/investigations/")
    assert rows(html, "investigation") == [investigation.pk]
    assert 'data-testid="decide-link"' not in html  # the bureau does not approve
    decide = f"/deadlines/investigations/{investigation.pk}/decide/"
    conclude = f"/deadlines/investigations/{investigation.pk}/conclude/"
    page(login("investigator"), decide, status=403)
    page(login("mayor"), conclude, status=403)
    page(login("head_education"), decide, status=403)

    client = login("supervision_leader")
    assert 'data-testid="decide-link"' in page(client, "/deadlines/investigations/")
    no_confirm = client.post(decide, {"approve": "yes", "reason": "同意"}).content.decode()
    assert "请勾选确认后再提交" in no_confirm
    assert (
        client.post(decide, {"approve": "yes", "reason": "同意", "confirm": "on"}).status_code
        == 302
    )
    investigation.refresh_from_db()
    assert investigation.status == PreliminaryInvestigation.Status.INVESTIGATING

    client = login("investigator")
    head = Official.objects.get(user__username="head_education")
    blank = client.post(conclude, {"open_case": "yes", "official": head.pk, "confirm": "on"})
    assert "请填写调查结论" in blank.content.decode()
    response = client.post(
        conclude,
        {"open_case": "yes", "official": head.pk, "conclusion": "推诿拖延属实", "confirm": "on"},
    )
    assert response.status_code == 302
    investigation.refresh_from_db()
    assert investigation.status == PreliminaryInvestigation.Status.CASE_OPENED
    assert investigation.accountability_case.official == head
    assert investigation.accountability_case.number in page(client, "/deadlines/investigations/")


def test_a_dismissed_investigation_shows_the_refusal_when_concluded(login, investigation):
    client = login("supervision_leader")
    client.post(
        f"/deadlines/investigations/{investigation.pk}/decide/",
        {"approve": "no", "reason": "已整改", "confirm": "on"},
    )
    html = client.post(
        f"/deadlines/investigations/{investigation.pk}/conclude/",
        {"open_case": "no", "conclusion": "x", "confirm": "on"},
    ).content.decode()
    assert "只有经批准的初步调查才能作出结论" in html


# --- admonition letters ----------------------------------------------------------------------


@pytest.fixture
def letter(people):
    item = yellow(kind=Kind.ORGAN_REPORT, unit="education", description="报送办理结果")
    services.scan(timezone.localdate())
    return AdmonitionLetter.objects.get(deadline=item)


def test_the_unit_reports_its_rectification_on_the_page(login, letter):
    assert rows(page(login("head_education"), "/deadlines/letters/"), "letter") == [letter.pk]
    assert rows(page(login("head_transport"), "/deadlines/letters/"), "letter") == []
    assert rows(page(login("mayor"), "/deadlines/letters/"), "letter") == [letter.pk]
    url = f"/deadlines/letters/{letter.pk}/report/"
    page(login("head_transport"), url, status=404)
    page(login("investigator"), url, status=403)
    client = login("staff_education")
    html = page(client, url)
    assert letter.document.number in html and "效能告诫" in html
    blank = client.post(url, {"report": "", "confirm": "on"}).content.decode()
    assert "请填写整改情况" in blank
    response = client.post(url, {"report": "已报送办理结果", "confirm": "on"})
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == AdmonitionLetter.Status.REPORTED
    again = client.post(url, {"report": "再报", "confirm": "on"}).content.decode()
    assert "整改情况已报告" in again


# --- notifications ---------------------------------------------------------------------------


def test_notifications_are_listed_and_marked_read(login, people):
    services.notify([people["investigator"]], "第一条", link="/deadlines/board/")
    services.notify([people["investigator"]], "第二条")
    services.notify([people["mayor"]], "市长的")
    client = login("investigator")
    html = page(client, "/deadlines/notifications/")
    assert "第一条" in html and "第二条" in html and "市长的" not in html
    assert html.index("第二条") < html.index("第一条")  # newest first
    first = Notification.objects.get(title="第一条")
    response = client.post(
        f"/deadlines/notifications/{first.pk}/read/", {"next": "/deadlines/board/"}
    )
    assert response.status_code == 302 and response["Location"] == "/deadlines/board/"
    first.refresh_from_db()
    assert first.read_at is not None
    outside = client.post(
        f"/deadlines/notifications/{first.pk}/read/", {"next": "https://example.com/"}
    )
    assert outside["Location"] == "/deadlines/notifications/"
    mayors = Notification.objects.get(title="市长的")
    assert client.post(f"/deadlines/notifications/{mayors.pk}/read/").status_code == 404
    assert client.get(f"/deadlines/notifications/{first.pk}/read/").status_code == 405
    client.post("/deadlines/notifications/read-all/")
    assert not Notification.objects.filter(recipient=people["investigator"], read_at=None)
    assert Notification.objects.filter(recipient=people["mayor"], read_at=None).count() == 1


def test_the_pages_need_a_login(client):
    for url in ("/deadlines/", "/deadlines/board/", "/deadlines/notifications/"):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


# --- 2 and 200 rows ---------------------------------------------------------------------------


def test_my_deadlines_and_the_board_cost_the_same_for_2_and_200_deadlines(login):
    """ "My deadlines" shows a page at a time (100 rows) and counts every level in one query;
    the board reads the same due-date ranges."""
    urls = ["/deadlines/", "/deadlines/board/"]
    client = login("investigator")
    for _ in range(2):
        red(kind=Kind.INVESTIGATION, unit="supervision")
    client.get("/deadlines/")  # warm the per-process caches (content types, roles)
    few = [queries(client, url) for url in urls]
    for _ in range(198):
        red(kind=Kind.INVESTIGATION, unit="supervision")
    many = [queries(client, url) for url in urls]
    assert many == few
    html = page(client, "/deadlines/")
    assert len(rows(html)) == 100
    counts = re.search(r'data-level="red">[^<]*<strong>(\d+)</strong>', html)
    assert counts and counts.group(1) == "200"
    assert len(rows(page(client, "/deadlines/?page=2"))) == 100
