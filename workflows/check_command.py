"""The management command that proves, for one flow, that every object's open tasks are
exactly those its state calls for (architecture.md), and repairs the processes that drifted."""

from django.core.management.base import BaseCommand, CommandError


class CheckWorkflowCommand(BaseCommand):
    # Set by each command: the flow module (check_consistency, repair) and its wording.
    workflow = None
    repair_help = ""
    consistent = ""

    def add_arguments(self, parser):
        parser.add_argument("--repair", metavar="USERNAME", help=self.repair_help)

    def repaired(self, item) -> str:
        """How a repaired object is named in the output."""
        return str(item)

    def handle(self, *args, **options):
        if options["repair"]:
            from casework.org.models import User

            actor = User.objects.filter(username=options["repair"]).first()
            if actor is None:
                raise CommandError(f"没有用户 {options['repair']}")
            for item in self.workflow.repair(actor):
                self.stdout.write(f"已重建流程：{self.repaired(item)}")
        problems = self.workflow.check_consistency()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(f"发现 {len(problems)} 处不一致。")
        self.stdout.write(self.consistent)
