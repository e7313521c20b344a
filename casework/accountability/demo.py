"""Demo accountability cases: one or more in every state of the procedure (docs/accountability.md),
so that each demo account's work list holds real work (``manage.py demo``).

Every case is created through the services (the one path), with the acts dated after the
fact relative to today, counted in working days: so their deadlines show every warning
level as of today (a red investigation, a yellow rectification, pre-warnings on the report
and the review report). Idempotent: if the demo cases exist (summary starting with
``【演示】``), nothing is done.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.org.models import Official, User
from casework.workcalendar import periods
from casework.workcalendar.models import CalendarDay

from . import services
from .models import AccountabilityCase

MARKER = "【演示】"


class Ago:
    """A day ``n`` working days before today (negative: after today)."""

    def __init__(self, n: int):
        self.n = n


class NextThursday:
    """The first Thursday on or after today (executive meetings are on Thursdays)."""


def _working_day(today: datetime.date, n: int) -> datetime.date:
    target = periods.working_day_ordinal(today) - n
    found = (
        CalendarDay.objects.filter(ordinal=target, is_working=True)
        .values_list("date", flat=True)
        .first()
    )
    if found is not None:
        return found
    # Outside the table: Monday–Friday.
    day, step = today, (-1 if n > 0 else 1)
    remaining = abs(n)
    while day.weekday() >= 5:
        day -= datetime.timedelta(days=1)
    while remaining:
        day += datetime.timedelta(days=step)
        if day.weekday() < 5:
            remaining -= 1
    return day


def _resolve(value, today):
    if isinstance(value, Ago):
        return _working_day(today, value.n).isoformat()
    if value is NextThursday:
        return (today + datetime.timedelta(days=(3 - today.weekday()) % 7)).isoformat()
    if isinstance(value, OfficialOf):
        return Official.objects.get(user__username=value.username).pk
    if isinstance(value, list):
        return [_resolve(item, today) for item in value]
    return value


class OfficialOf:
    """The id of the official of a demo account, resolved when the cases are loaded."""

    def __init__(self, username: str):
        self.username = username


# --- the acts of each state, as (working days ago, transition, username, body) -------------

OFFICIAL = "__official__"


def _direct(n):
    """Start and go straight to the executive meeting (Nanchong art. 6), ``n`` working days ago."""
    return [
        (n, "start", "mayor", {}),
        (n - 1, "submit_to_meeting", "mayor", {"reason": "事实清楚，直接提交常务会议讨论"}),
    ]


def _deliberated(n):
    return _direct(n) + [
        (n - 2, "schedule", "secretariat", {"meeting_date": Ago(n - 4)}),
        (
            n - 4,
            "deliberate",
            "secretariat",
            {"minutes": "常务会议讨论了该问责事项。", "statement": "本人对工作失误深表歉意。"},
        ),
    ]


def _served(n, modes):
    """Deliberated, decided and received; the decision received ``n - 8`` working days ago."""
    return _deliberated(n) + [
        (n - 5, "decide", "mayor", {"modes": modes, "reason": "经常务会议讨论，情节较重。"}),
        (
            n - 8,
            "serve",
            "investigator",
            {"received_on": Ago(n - 8), "method": "in_person"},
        ),
    ]


def _investigated(n):
    return [
        (n, "start", "mayor", {}),
        (n - 1, "assign_investigation", "mayor", {"working_days": 20}),
        (
            n - 12,
            "notify_findings",
            "investigator",
            {"findings": "经调查，反映的问题基本属实。", "served_on": Ago(n - 12)},
        ),
    ]


def _findings_closed(n):
    return _investigated(n) + [
        (n - 14, "file_objection", OFFICIAL, {"text": "对部分事实有异议，详见书面材料。"})
    ]


def _report_submitted(n, recommendation="accountable"):
    return _findings_closed(n) + [
        (
            n - 16,
            "submit_report",
            "investigator",
            {
                "report": "调查报告：问题属实，建议予以问责。"
                if recommendation == "accountable"
                else "调查报告：情节轻微，已整改到位。",
                "recommendation": recommendation,
                "modes": ["3"] if recommendation == "accountable" else [],
            },
        )
    ]


def _reviewed(n, modes, suspend=False):
    return _served(n, modes) + [
        (n - 9, "request_review", OFFICIAL, {"grounds": "认为情节认定过重，申请复核。"}),
        (n - 10, "accept_review", "mayor", {"suspend": suspend}),
    ]


# (official, grounds, source, summary, acts)
CASES = [
    (
        "head_transport",
        ["4.2.1"],
        "npc_cppcc",
        "汛期道路塌方处置迟缓，人大代表提出问责建议",
        [],
    ),
    (
        "head_education",
        ["4.1.1"],
        "assessment",
        "年度目标考核未完成校舍改造任务",
        [
            (3, "start", "mayor", {}),
        ],
    ),
    (
        "head_transport",
        ["4.1.2"],
        "vice_mayor",
        "城区公交线网优化工作未按时完成",
        [(6, "start", "mayor", {}), (4, "order_report", "mayor", {})],  # report due tomorrow
    ),
    (
        "head_education",
        ["4.4.2"],
        "supervision",
        "招生工作中服务态度生硬，群众反映强烈",
        [
            (26, "start", "mayor", {}),
            (25, "assign_investigation", "mayor", {"working_days": 20}),  # 5 days overdue: red
        ],
    ),
    (
        "head_transport",
        ["4.4.3"],
        "audit",
        "下属单位多次发生违规收费问题，监督管理不力",
        [
            (22, "start", "mayor", {}),
            (21, "assign_investigation", "mayor", {"working_days": 20}),  # 1 day overdue: yellow
        ],
    ),
    # The objection period of the official runs now.
    ("head_education", ["4.2.3"], "legal_affairs", "迟报校园安全事故情况", _investigated(14)),
    (
        "head_transport",
        ["4.3.1"],
        "audit",
        "农村公路建设项目存在严重质量问题",
        _findings_closed(16),
    ),
    ("head_education", ["4.1.2"], "mayor", "教育信息化工作严重滞后", _report_submitted(18)),
    (
        "head_transport",
        ["4.6"],
        "mayor",
        "在公开场合发表不当言论",
        _report_submitted(20, "not_accountable")
        + [(2, "decide_no_accountability", "mayor", {"reason": "情节轻微，已作出深刻检查。"})],
    ),
    ("head_education", ["4.1.1"], "assessment", "未认真执行市政府交办事项", _direct(4)),
    (
        "head_transport",
        ["4.5.3"],
        "judicial",
        "基本建设采购未按规定招投标",
        _direct(5) + [(2, "schedule", "secretariat", {"meeting_date": NextThursday})],
    ),
    (
        "head_education",
        ["4.4.1"],
        "legal_affairs",
        "制定的规范性文件与上位法相抵触",
        _deliberated(8),
    ),
    (
        "head_transport",
        ["4.2.2"],
        "mayor",
        "组织大型群众性活动未采取有效防范措施",
        _deliberated(9) + [(3, "decide", "mayor", {"modes": ["3", "4"], "reason": "情节较重。"})],
    ),
    # The official may still request review (the window runs).
    (
        "head_transport",
        ["4.1.2"],
        "vice_mayor",
        "重点工程征地拆迁工作严重滞后",
        _served(11, ["2", "3"]),
    ),
    (
        "head_education",
        ["4.3.2"],
        "audit",
        "违规安排使用教育专项资金",
        _served(12, ["2", "3"])
        + [(2, "request_review", OFFICIAL, {"grounds": "认为情节认定过重，申请复核。"})],
    ),
    # The review report is due tomorrow; execution suspended.
    ("head_transport", ["4.4.5"], "supervision", "包庇下属违纪行为", _reviewed(29, ["2"], True)),
    (
        "head_education",
        ["4.2.1"],
        "npc_cppcc",
        "冰冻灾害期间学校停课通知迟缓",
        _reviewed(30, ["3"])
        + [(2, "submit_review_report", "legal", {"report": "建议维持原决定。"})],
    ),
    # Final: the rectification is 1 working day overdue (yellow), the filing 11 (red).
    (
        "head_education",
        ["4.3.3"],
        "mayor",
        "违法采取重大行政措施引发群众集体上访",
        _served(29, ["2", "6"]) + [(9, "become_final", "secretariat", {})],
    ),
    (
        "head_transport",
        ["4.5.2"],
        "assessment",
        "机关作风问题破坏经济发展软环境",
        _served(40, ["3"])
        + [
            (20, "become_final", "secretariat", {}),
            (18, "close", "secretariat", {}),
            (
                17,
                "open_linked_case",
                "secretariat",
                {
                    "person_name": "张某",
                    "post": "分管副局长",
                    "summary": "具体负责该项工作，参照问责。",
                },
            ),
        ],
    ),
    # Nanchong art. 21: the head of a district government.
    (
        "head_shunqing",
        ["4.1.1"],
        "mayor",
        "区政府未完成市政府交办的城区河道整治任务",
        [(2, "start", "mayor", {})],
    ),
    # Nanchong art. 22: a vertically managed department.
    (
        "head_tax",
        ["4.4.2"],
        "npc_cppcc",
        "办税服务厅服务质量差，群众反映强烈",
        _deliberated(10)
        + [
            (
                5,
                "send_proposal",
                "mayor",
                {"organ": "四川省国家税务局", "text": "建议对市国税局局长予以问责（第二十二条）。"},
            )
        ],
    ),
]

# Side records (Nanchong art. 18, 19, 20) on the case at this index, after its last act.
SIDE_RECORDS = {
    # Nanchong art. 20: the head of education holds the clerk to account by reference; the
    # linked case waits for his decision to start it.
    17: [
        (
            1,
            "open_linked_case",
            OFFICIAL,
            {
                "official": OfficialOf("staff_education"),
                "summary": f"{MARKER}具体经办人员未按期落实整改措施，参照问责。",
            },
        ),
    ],
    3: [
        (
            2,
            "record_prior_sanction",
            "secretariat",
            {"sanction": "警告", "imposed_by": "市纪委", "imposed_on": Ago(200)},
        ),
        (
            1,
            "record_referral",
            "investigator",
            {"kind": "disciplinary", "organ": "南充市监察局", "note": "涉嫌违纪，移送处理"},
        ),
    ],
}


def load_demo_cases() -> int:
    """Create the demo cases unless they exist. Returns the number of cases created."""
    if AccountabilityCase.objects.filter(summary__startswith=MARKER).exists():
        return 0
    today = timezone.localdate()
    people = {user.username: user for user in User.objects.all()}
    created = 0
    with transaction.atomic():
        for index, (official, grounds, source, summary, acts) in enumerate(CASES):
            acts = list(acts) + SIDE_RECORDS.get(index, [])
            first = acts[0][0] + 1 if acts else 2
            case = services.register_case(
                people["secretariat"],
                {
                    "official": Official.objects.get(user__username=official).pk,
                    "grounds": grounds,
                    "source": source,
                    "summary": f"{MARKER}{summary}",
                    "proposal_original_location": "市政府办公室档案室",
                    "on": _resolve(Ago(first), today),
                },
            )
            for n, name, username, body in acts:
                actor = people[official if username == OFFICIAL else username]
                data = {key: _resolve(value, today) for key, value in body.items()}
                data["on"] = _resolve(Ago(n), today)
                case = services.transition(case, name, actor, data)
            created += 1
    return created
