"""The early-warning scan (预警纠错). The workers run it every 15 minutes (the periodic task
``casework.deadlines.tasks.scan_deadlines``); the command runs it at once, or with
``--enqueue`` hands it to a worker. It is idempotent and safe on several machines at once
(see README, "Periodic commands")."""

import datetime

from django.core.management import BaseCommand, CommandError

from casework.deadlines.scan import scan
from casework.deadlines.tasks import scan_deadlines


class Command(BaseCommand):
    help = (
        "扫描全部期限：发出预警提示、效能告诫书（黄牌）和初步调查建议（红牌），"
        "每个期限每个级别只发一次。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--as-of", help="按该日期（YYYY-MM-DD）扫描，默认今天")
        parser.add_argument(
            "--enqueue", action="store_true", help="不立即扫描，而是加入后台任务队列"
        )

    def handle(self, *args, **options):
        as_of = None
        if options.get("as_of"):
            try:
                as_of = datetime.date.fromisoformat(options["as_of"])
            except ValueError as error:
                raise CommandError("--as-of 须为 YYYY-MM-DD 格式的日期") from error
        if options.get("enqueue"):
            queued = scan_deadlines.enqueue(as_of.isoformat() if as_of else None)
            self.stdout.write(f"scan enqueued: {queued.id}")
            return
        result = scan(as_of)
        self.stdout.write(
            f"pre-warnings: {result.pre_warnings}, admonition letters: {result.letters}, "
            f"preliminary investigations proposed: {result.investigations}"
        )
