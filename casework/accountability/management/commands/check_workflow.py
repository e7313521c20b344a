"""Prove that every case's open tasks are exactly those its state calls for (architecture.md)."""

from django.core.management.base import BaseCommand, CommandError

from workflows import accountability as workflow


class Command(BaseCommand):
    help = "检查每个问责案件的待办环节是否与案件状态一致；--repair 按案件状态重建不一致的流程。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            metavar="USERNAME",
            help="以该用户名义撤销不一致的流程并按案件当前状态重新开启（记入任务历史）。",
        )

    def handle(self, *args, **options):
        if options["repair"]:
            from casework.org.models import User

            actor = User.objects.filter(username=options["repair"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['repair']}")
            for number in workflow.repair(actor):
                self.stdout.write(f"已重建流程：{number}")
        problems = workflow.check_consistency()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"发现 {len(problems)} 处不一致。")
        self.stdout.write("流程与案件状态一致。")
