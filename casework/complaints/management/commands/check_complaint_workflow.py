"""Prove that every complaint's open tasks are exactly those its state calls for
(architecture.md), as check_workflow does for the accountability cases."""

from django.core.management.base import BaseCommand, CommandError

from workflows import complaints as workflow


class Command(BaseCommand):
    help = "检查每件投诉的待办环节是否与投诉状态一致；--repair 按投诉状态重建不一致的流程。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--repair",
            metavar="USERNAME",
            help="以该用户名义撤销不一致的流程并按投诉当前状态重新开启（记入任务历史）。",
        )

    def handle(self, *args, **options):
        if options["repair"]:
            from casework.org.models import User

            actor = User.objects.filter(username=options["repair"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['repair']}")
            for pk in workflow.repair(actor):
                self.stdout.write(f"已重建流程：投诉第{pk}号")
        problems = workflow.check_consistency()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"发现 {len(problems)} 处不一致。")
        self.stdout.write("流程与投诉状态一致。")
