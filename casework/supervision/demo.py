"""Demo matters under supervision, so that the supervision office, its head and the
departments see real work after `make run`: one waiting for approval, one assigned to the
education bureau, one whose feedback waits for the transport bureau's countersignature.
Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.org.models import User
from casework.workcalendar.models import CalendarDay
from casework.workcalendar.periods import add_working_days

from . import services
from .models import SupervisionMatter

MARK = "【演示】"


def _working_days_ago(n):
    today = timezone.localdate()
    days = list(
        CalendarDay.objects.filter(is_working=True, date__lt=today)
        .order_by("-date")
        .values_list("date", flat=True)[: n + 1]
    )
    return days[n] if len(days) > n else today - datetime.timedelta(days=n)


@transaction.atomic
def load_demo_matters() -> int:
    if SupervisionMatter.objects.filter(title__startswith=MARK).exists():
        return 0
    people = {
        user.username: user
        for user in User.objects.filter(
            username__in=[
                "supervision_office",
                "supervision_office_head",
                "staff_education",
            ]
        )
    }
    due = add_working_days(timezone.localdate(), 10).due.isoformat()

    def propose(title, instruction, **extra):
        data = {
            "title": MARK + title,
            "source": "leader_instruction",
            "source_reference": "市长批示",
            "instruction": instruction,
            "lead_unit": "education",
            "co_units": ["transport"],
            "due": due,
            "requirements": "按要求办理，办结后书面反馈。",
            "proposal": "建议列为市政府督办事项。",
            "on": _working_days_ago(3).isoformat(),
            **extra,
        }
        return services.register(data, people["supervision_office"])

    def act(matter, name, username, **body):
        body["on"] = _working_days_ago(1).isoformat()
        return services.transition(matter, name, people[username], body)

    propose(
        "整治校园周边交通秩序",
        "请交通运输局牵头整治校园周边交通秩序。",
        lead_unit="transport",
        co_units=[],
    )
    assigned = propose(
        "完成中小学校舍安全改造", "请教育局牵头，交通运输局配合，按期完成校舍安全改造。"
    )
    act(assigned, "approve", "supervision_office_head", opinion="同意立项")
    drafted = propose("落实学生上下学公交专线", "请教育局会同交通运输局开通学生公交专线。")
    drafted = act(drafted, "approve", "supervision_office_head", opinion="同意立项")
    act(drafted, "draft_feedback", "staff_education", feedback="学生公交专线已开通12条。")
    return 3
