"""The management command that proves, for one procedure, that every object's open tasks are
exactly those its state calls for, and repairs the processes that drifted."""

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from casework.org.models import User


class CheckWorkflowCommand(BaseCommand):
    # Set by each command: the flow module (check_consistency, repair) and its wording.
    workflow = None
    repair_help = ""
    consistent = ""

    def add_arguments(self, parser):
        parser.add_argument("--repair", metavar="USERNAME", help=self.repair_help)

    def handle(self, *args, **options):
        if options["repair"]:
            actor = User.objects.filter(username=options["repair"]).first()
            if actor is None:
                raise CommandError(_("没有用户 %(name)s") % {"name": options["repair"]})
            for name in self.workflow.repair(actor):
                self.stdout.write(_("已重建流程：%(name)s") % {"name": name})
        problems = self.workflow.check_consistency()
        for problem in problems:
            self.stdout.write(problem)
        if problems:
            raise CommandError(_("发现 %(count)s 处不一致。") % {"count": len(problems)})
        self.stdout.write(self.consistent)
