"""Demo complaints in every state, so that the complaints office, the organ and the
supervision bureau see real work after `make run`. Idempotent."""

import datetime

from django.db import transaction
from django.utils import timezone

from casework.org.models import Official, User
from casework.workcalendar.models import CalendarDay

from . import services
from .models import Complaint

MARK = "【演示】"


def _working_days_ago(n):
    today = timezone.localdate()
    days = list(
        CalendarDay.objects.filter(is_working=True, date__lt=today)
        .order_by("-date")
        .values_list("date", flat=True)[: n + 1]
    )
    return days[n] if len(days) > n else today - datetime.timedelta(days=n)


def _register(
    office, content, *, real_name=True, channel="letter", days_ago=3, department="education"
):
    data = {
        "category": "attitude" if real_name else "nonperformance",
        "respondent_department": department,
        "content": MARK + content,
        "real_name": real_name,
        "channel": channel,
        "on": _working_days_ago(days_ago).isoformat(),
    }
    if real_name:
        data.update(name="李秀兰", phone="13900001111")
    return services.register(office, data)


@transaction.atomic
def load_demo_complaints():
    if Complaint.objects.filter(content__startswith=MARK).exists():
        return 0
    office = User.objects.get(username="complaints")
    head = User.objects.get(username="complaints_head")
    organ = User.objects.get(username="staff_education")

    def act(complaint, name, user, days_ago=0, **body):
        body["on"] = _working_days_ago(days_ago).isoformat()
        return services.transition(complaint, name, user, body)

    # New, waiting for the office
    _register(office, "学校违规收取补课费，家长多次反映无果。", days_ago=1)
    _register(
        office,
        "窗口工作人员上班时间玩手机，群众排长队。",
        real_name=False,
        channel="visit",
        days_ago=0,
    )
    # Accepted, transfer due (yellow by now)
    c = _register(office, "教师资格认定材料提交后一个月无答复。", days_ago=4)
    act(c, "accept", office, 4)
    # Transferred to the education bureau: in the organ's inbox, extension asked
    c = _register(office, "学籍转入手续被要求提供无法律依据的证明。", days_ago=6)
    c = act(c, "accept", office, 6)
    c = act(c, "transfer", office, 5, organ="education")
    act(
        c,
        "request_extension",
        organ,
        1,
        reason="涉及多所学校，需逐一核查",
        new_due=(timezone.localdate() + datetime.timedelta(days=21)).isoformat(),
    )
    # Organ reported, office verifying
    c = _register(office, "招生咨询电话长期无人接听。", days_ago=12)
    c = act(c, "accept", office, 12)
    c = act(c, "transfer", office, 11, organ="education")
    c = act(c, "organ_report", organ, 4, report="已安排专人值守咨询电话，并通报批评相关人员。")
    act(c, "verify", office, 3)
    # Decided (real name): feedback due
    c = _register(office, "办理入学登记时遭工作人员刁难。", days_ago=14)
    c = act(c, "accept", office, 14)
    c = act(c, "verify", office, 13)
    act(
        c,
        "decide",
        office,
        2,
        outcome="supervision_decision",
        text="责令教育局整改窗口服务。",
        published_result="经核实，已责令被投诉单位整改窗口服务。",
    )
    # Urgent, on-site response recorded
    c = _register(office, "校车严重超载，今天下午仍在运营。", days_ago=0, channel="phone")
    c = act(c, "accept", office, 0)
    c = act(c, "mark_urgent", office, 0, reason="正在发生，可能危及学生安全")
    act(
        c,
        "record_onsite_response",
        office,
        0,
        responders="投诉中心 王某；责成交通运输局执法大队派员",
        arrived_at="15:40",
        text="已会同交通运输局到场，责令停运整改。",
    )
    # Closed, with a linked accountability case (fault liability against the head)
    c = _register(office, "教育局对多次投诉推诿不办，造成重复投诉。", days_ago=15)
    c = act(c, "accept", office, 15)
    c = act(c, "verify", office, 14)
    headofficial = Official.objects.get(user__username="head_education")
    c = act(
        c,
        "decide",
        office,
        5,
        outcome="fault_liability",
        text="推诿不办属实，追究过错责任。",
        official=headofficial.pk,
    )
    c = act(c, "give_feedback", office, 4, text="已追究相关责任，感谢监督。")
    act(c, "close", head, 3)
    return Complaint.objects.filter(content__startswith=MARK).count()
