"""Demo people of docs/api.md ("Demo data"), all with the password ``demo-pass-2026``."""

import datetime

from django.contrib.auth.models import Group
from django.db import transaction

from .models import Delegation, Department, Official, User
from .roles import Role

DEMO_PASSWORD = "demo-pass-2026"

# username, full name, role, (department code, title) for officials
DEMO_ACCOUNTS = [
    ("mayor", "周立新", Role.MAYOR, None),
    ("vicemayor", "陈思远", Role.VICE_MAYOR, None),
    ("secretariat", "李文静", Role.SECRETARIAT, None),
    ("investigator", "赵明", Role.SUPERVISION, None),
    ("supervision_leader", "钱正", Role.SUPERVISION_LEADER, None),
    ("legal", "孙立法", Role.LEGAL_AFFAIRS, None),
    ("complaints", "吴晓燕", Role.COMPLAINTS_OFFICE, None),
    ("complaints_head", "郑国平", Role.COMPLAINTS_HEAD, None),
    # Handan supervision measures, section 3 (一)(5): the city government's supervision office.
    ("supervision_office", "孟督办", Role.SUPERVISION_OFFICE, None),
    ("supervision_office_head", "韩立项", Role.SUPERVISION_OFFICE_HEAD, None),
    ("head_education", "刘建华", Role.OFFICIAL, ("education", "教育局局长")),
    ("head_transport", "张国强", Role.OFFICIAL, ("transport", "交通运输局局长")),
    ("head_tax", "王德明", Role.OFFICIAL, ("tax", "税务局局长")),
    ("staff_education", "何丽", Role.OFFICIAL, ("education", "教育局办公室科员")),
    # Nanchong art. 21: the head of a district government may be held to account too.
    ("head_shunqing", "马立群", Role.OFFICIAL, ("shunqing", "顺庆区区长")),
    ("admin", "系统管理员", Role.ADMINISTRATOR, None),
]


# Nanchong art. 21: the heads of the other county and district governments (no accounts).
COUNTY_HEADS = [
    ("gaoping", "杨志远", "高坪区区长"),
    ("jialing", "罗建军", "嘉陵区区长"),
    ("langzhong", "唐文彬", "阆中市市长"),
    ("nanbu", "邓海涛", "南部县县长"),
    ("xichong", "冯志刚", "西充县县长"),
    ("yingshan", "蒋春明", "营山县县长"),
    ("yilong", "袁晓东", "仪陇县县长"),
    ("pengan", "曾庆华", "蓬安县县长"),
]


@transaction.atomic
def load_demo_people() -> int:
    """Create or refresh the demo accounts. Returns the number of accounts created."""
    created_count = 0
    for username, full_name, role, post in DEMO_ACCOUNTS:
        user, created = User.objects.get_or_create(
            username=username, defaults={"full_name": full_name}
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.ADMINISTRATOR
            user.is_superuser = role == Role.ADMINISTRATOR
            user._change_reason = "演示数据"
            user.save()
            created_count += 1
        user.groups.add(Group.objects.get(name=role.value))
        if role == Role.SUPERVISION_LEADER:
            # The leader is a member of the bureau too.
            user.groups.add(Group.objects.get(name=Role.SUPERVISION.value))
        if role == Role.SUPERVISION_OFFICE_HEAD:
            # The head of the supervision office works in the office too.
            user.groups.add(Group.objects.get(name=Role.SUPERVISION_OFFICE.value))
        if role == Role.COMPLAINTS_HEAD:
            # The head of the complaints office works in the office too.
            user.groups.add(Group.objects.get(name=Role.COMPLAINTS_OFFICE.value))
        if post is not None:
            department_code, title = post
            department = Department.objects.get(code=department_code)
            official = Official.objects.filter(user=user).first()
            if official is None:
                official = Official(user=user, is_head=not username.startswith("staff_"))
                official.name = full_name
                official.title = title
                official.department = department
                official._change_reason = "演示数据"
                official.save()

    for department_code, name, title in COUNTY_HEADS:
        department = Department.objects.filter(code=department_code).first()
        if department is None or Official.objects.filter(department=department).exists():
            continue
        official = Official(name=name, title=title, department=department, is_head=True)
        official._change_reason = "演示数据"
        official.save()

    mayor = User.objects.get(username="mayor")
    vicemayor = User.objects.get(username="vicemayor")
    if not Delegation.objects.filter(delegator=mayor, delegate=vicemayor).exists():
        delegation = Delegation(
            delegator=mayor,
            delegate=vicemayor,
            scope=Delegation.Scope.ACCOUNTABILITY,
            valid_from=datetime.date(2026, 1, 1),
            valid_until=datetime.date(2027, 12, 31),
            basis="演示：市长委托副市长责成当面汇报、听取汇报并责成调查核实（南充办法第六条）",
        )
        delegation._change_reason = "演示数据"
        delegation.save()
    return created_count
