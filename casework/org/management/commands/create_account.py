"""Create a person's account in one or more roles — for a real deployment, where the demo
accounts do not exist (README, "Deploying for real"). An official (``--role official``) is
also entered as a holder of a post in a department.

    python manage.py create_account mayor --role mayor --full-name 周立新
    python manage.py create_account head_education --role official --full-name 刘建华 \\
        --department education --title 教育局局长

The password is asked twice; with ``--no-input`` it is read from ``CASEWORK_ACCOUNT_PASSWORD``.
"""

import getpass
import os

from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management import BaseCommand, CommandError
from django.db import transaction

from casework.org.models import Department, Official, User
from casework.org.roles import Role

# A role that implies another (as in the demo data): the leader works in the bureau, the
# head of the complaints office in the office.
IMPLIED = {
    Role.SUPERVISION_LEADER: Role.SUPERVISION,
    Role.COMPLAINTS_HEAD: Role.COMPLAINTS_OFFICE,
}
PASSWORD_VARIABLE = "CASEWORK_ACCOUNT_PASSWORD"


class Command(BaseCommand):
    help = "创建用户账号并授予角色；部门负责人（official）同时登记其部门和职务。"

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument(
            "--role", action="append", required=True, choices=Role.values, dest="roles"
        )
        parser.add_argument("--full-name", default="")
        parser.add_argument("--email", default="")
        parser.add_argument("--department", help="部门代码（official 必填）")
        parser.add_argument("--title", help="职务（official 必填）")
        parser.add_argument(
            "--staff", action="store_true", help="部门工作人员而非行政首长（official）"
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive")

    def handle(self, *args, username, roles, full_name, email, department, title, **options):
        if User.objects.filter(username=username).exists():
            raise CommandError(f"账号 {username} 已存在。")
        is_official = Role.OFFICIAL in roles
        unit = None
        if is_official:
            if not department or not title:
                raise CommandError("部门负责人须指定 --department 和 --title。")
            unit = Department.objects.filter(code=department, active=True).first()
            if unit is None:
                raise CommandError(f"没有代码为 {department} 的部门。")
        user = User(username=username, full_name=full_name, email=email)
        user.is_staff = user.is_superuser = Role.ADMINISTRATOR in roles
        password = self.password(user, options["interactive"])
        user.set_password(password)
        with transaction.atomic():
            user._change_reason = "命令行创建账号"
            user.save()
            for role in roles:
                user.groups.add(Group.objects.get(name=role))
                if role in IMPLIED:
                    user.groups.add(Group.objects.get(name=IMPLIED[role]))
            if is_official:
                official = Official(
                    user=user,
                    name=full_name or username,
                    title=title,
                    department=unit,
                    is_head=not options["staff"],
                )
                official._change_reason = "命令行创建账号"
                official.save()
        self.stdout.write(f"{username}: {', '.join(roles)}")

    def password(self, user, interactive) -> str:
        if interactive:
            password = getpass.getpass("密码：")
            if password != getpass.getpass("再次输入密码："):
                raise CommandError("两次输入的密码不一致。")
        else:
            password = os.environ.get(PASSWORD_VARIABLE, "")
            if not password:
                raise CommandError(f"--no-input 时须在环境变量 {PASSWORD_VARIABLE} 中给出密码。")
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        return password
