"""Next year's calendar: the administrator enters the State Council's holiday notice by pasting
its text or uploading a CSV table, sees the days it changes and the open deadlines that would
move, confirms, and the year is complete (docs/calendar-import.md)."""

import datetime

import chinese_calendar
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.deadlines import services as deadline_services
from casework.deadlines.models import Deadline, Kind, Notification
from casework.org.models import Department
from casework.workcalendar import notice as notices
from casework.workcalendar import periods
from casework.workcalendar.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db

D = datetime.date

# The State Council's notice for 2026 as published (国办发明电〔2025〕7号), with its preamble.
NOTICE_2026 = """国务院办公厅关于2026年部分节假日安排的通知
各省、自治区、直辖市人民政府，国务院各部委、各直属机构：
经国务院批准，现将2026年元旦、春节、清明节、劳动节、端午节、中秋节和国庆节放假调休日期的具体安排通知如下。
一、元旦：1月1日（周四）至3日（周六）放假调休，共3天。1月4日（周日）上班。
二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。2月14日（周六）、2月28日（周六）上班。
三、清明节：4月4日（周六）至6日（周一）放假，共3天。
四、劳动节：5月1日（周五）至5日（周二）放假调休，共5天。5月9日（周六）上班。
五、端午节：6月19日（周五）至21日（周日）放假，共3天。
六、中秋节：9月25日（周五）至27日（周日）放假，共3天。
七、国庆节：10月1日（周四）至7日（周三）放假调休，共7天。9月20日（周日）、10月10日（周六）上班。
节假日期间，各地区、各部门要妥善安排好值班和安全、保卫等工作。
"""

# A notice for 2027 in the same form (the dates are this test's, not the State Council's).
NOTICE_2027 = """一、元旦：1月1日（周五）至3日（周日）放假，共3天。
二、春节：2月6日（周六）至14日（周日）放假调休，共9天。2月20日（周六）上班。
"""

CSV_2027 = """名称,类型,开始日期,结束日期
元旦,放假,2027-01-01,2027-01-03
春节,放假,2027-02-06,2027-02-14
春节,上班,2027-02-20,
"""

REASON = "国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕9号）"


def test_the_published_2026_notice_reads_as_the_calendar_library_knows_2026():
    notice = notices.parse(NOTICE_2026, 2026)
    assert [h.name for h in notice.holidays] == [
        "元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节",
    ]  # fmt: skip
    day = D(2026, 1, 1)
    while day.year == 2026:
        off = day in notice.holiday_days()
        worked = day in notice.working_days()
        if off:
            assert not chinese_calendar.is_workday(day), day
        if worked:
            assert day.weekday() >= 5 and chinese_calendar.is_workday(day), day
        if not off and not worked:
            assert chinese_calendar.is_workday(day) == (day.weekday() < 5), day
        day += datetime.timedelta(days=1)
    assert notice.working_days()[D(2026, 2, 28)] == "春节"


def test_a_csv_table_says_the_same_as_the_notice_text():
    text = notices.parse(NOTICE_2027, 2027)
    table = notices.parse(CSV_2027, 2027)
    assert text.holiday_days() == table.holiday_days()
    assert text.working_days() == table.working_days() == {D(2027, 2, 20): "春节"}


def test_a_range_across_the_new_year_ends_in_the_next_year():
    notice = notices.parse("元旦：12月31日至1月2日放假，共3天。", 2027)
    assert notice.holidays[0].first == D(2027, 12, 31)
    assert notice.holidays[0].last == D(2028, 1, 2)


@pytest.mark.parametrize(
    "text, says",
    [
        ("", "内容为空"),
        ("春节：2月6日至14日放假调休，共8天。", "共 8 天"),
        ("春节：2月6日至14日放假调休，共9天。20日（周六）上班。", "没有写月份"),
        ("春节：2月6日至14日放假，共9天。2月10日（周三）上班。", "既是放假日又是上班日"),
        ("春节：2月6日至14日放假，共9天。2月16日（周二）上班。", "不必调休上班"),
        ("2月6日至14日放假", "节日名称"),
        ("春节,调休,2027-02-06,2027-02-14", "应为“放假”或“上班”"),
        ("春节,放假,2027-02-31,", "YYYY-MM-DD"),
        ("春节,放假,2027-02-14,2027-02-06", "结束日期早于开始日期"),
        ("春节,放假,2031-02-14,", "不在 2027 年度"),
    ],
)
def test_a_malformed_notice_is_refused_naming_the_line(text, says):
    with pytest.raises(notices.NoticeError) as refused:
        notices.parse(text, 2027)
    assert says in str(refused.value)


@pytest.fixture
def across_spring_festival_2027(demo_people):
    """An investigation of 10 working days from Monday 1 February 2027: Monday–Friday only
    (2027 not entered yet) it ends on 15 February, provisionally."""
    deadline = deadline_services.open_deadline(
        Kind.INVESTIGATION,
        start=D(2027, 2, 1),
        days=10,
        description="跨春节调查",
        unit=Department.objects.get(code="supervision"),
    )
    assert deadline.due == D(2027, 2, 15) and deadline.provisional
    return deadline


def test_only_an_administrator_opens_the_calendar_import(login):
    for username in ("secretariat", "mayor", "investigator"):
        assert login(username).get("/workspace/calendar/").status_code == 403
    assert login("admin").get("/workspace/calendar/").status_code == 200


def test_the_preview_shows_the_days_and_the_deadlines_that_would_move_and_changes_nothing(
    login, across_spring_festival_2027
):
    client = login("admin")
    page = client.post(
        "/workspace/calendar/", {"year": 2027, "text": NOTICE_2027, "reason": REASON}
    )
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="notice-preview"' in html
    assert 'data-date="2027-02-08"' in html  # a Monday off
    assert 'data-date="2027-02-20"' in html  # a Saturday worked
    assert f'data-deadline="{across_spring_festival_2027.pk}"' in html
    assert "2027-02-15" in html and "2027-02-20" in html
    # Nothing kept: the calendar, the year and the deadline are as before.
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).is_working
    assert not CalendarYear.objects.get(year=2027).complete
    deadline = Deadline.objects.get(pk=across_spring_festival_2027.pk)
    assert deadline.due == D(2027, 2, 15) and deadline.provisional
    assert not Notification.objects.filter(title__contains="2027-02-20").exists()


def test_confirming_enters_the_year_moves_the_deadlines_and_marks_the_year_complete(
    login, across_spring_festival_2027, people
):
    client = login("admin")
    preview = client.post(
        "/workspace/calendar/", {"year": 2027, "text": NOTICE_2027, "reason": REASON}
    )
    fingerprint = preview.context["fingerprint"]
    done = client.post(
        "/workspace/calendar/",
        {
            "year": 2027,
            "text": NOTICE_2027,
            "reason": REASON,
            "fingerprint": fingerprint,
            "confirm": "1",
        },
    )
    assert done.status_code == 302
    year = CalendarYear.objects.get(year=2027)
    assert year.complete and year.note == REASON
    feb8 = CalendarDay.objects.get(date=D(2027, 2, 8))
    assert (feb8.is_working, feb8.kind, feb8.holiday_name, feb8.source) == (
        False, "holiday", "春节", "admin",
    )  # fmt: skip
    feb20 = CalendarDay.objects.get(date=D(2027, 2, 20))
    assert feb20.is_working and feb20.kind == "adjusted_workday"
    assert feb8.history.latest().history_user == people["admin"]
    assert feb8.history.latest().history_change_reason == REASON
    deadline = Deadline.objects.get(pk=across_spring_festival_2027.pk)
    assert deadline.due == D(2027, 2, 20) and not deadline.provisional
    assert periods.add_working_days(D(2027, 2, 1), 10).due == D(2027, 2, 20)
    assert REASON in deadline.history.latest().history_change_reason
    assert Notification.objects.filter(title__contains="2027-02-20").exists()


def test_a_confirmation_that_does_not_match_the_preview_is_only_a_preview(
    login, across_spring_festival_2027
):
    client = login("admin")
    page = client.post(
        "/workspace/calendar/",
        {
            "year": 2027,
            "text": NOTICE_2027,
            "reason": REASON,
            "fingerprint": "0" * 64,
            "confirm": "1",
        },
    )
    assert page.status_code == 200 and 'data-testid="notice-preview"' in page.content.decode()
    assert not CalendarYear.objects.get(year=2027).complete
    assert Deadline.objects.get(pk=across_spring_festival_2027.pk).due == D(2027, 2, 15)


def test_an_uploaded_csv_in_gb18030_is_read(login, demo_people):
    client = login("admin")
    upload = SimpleUploadedFile("2027.csv", CSV_2027.encode("gb18030"), content_type="text/csv")
    page = client.post("/workspace/calendar/", {"year": 2027, "upload": upload, "reason": REASON})
    assert page.status_code == 200
    # 1–3 January and 6–14 February become named holidays (weekends too), 20 February a
    # working Saturday.
    assert len(page.context["changes"]) == 3 + 9 + 1
    assert not CalendarYear.objects.get(year=2027).complete


def test_a_malformed_notice_is_shown_beside_the_field_and_changes_nothing(login, demo_people):
    client = login("admin")
    page = client.post(
        "/workspace/calendar/",
        {"year": 2027, "text": "春节：2月6日至14日放假调休，共8天。", "reason": REASON},
    )
    assert page.status_code == 200
    assert "共 8 天" in page.content.decode()
    assert "changes" not in page.context
    assert CalendarDay.objects.get(date=D(2027, 2, 8)).is_working
