"""``manage.py evaluate_month 2026-11``: compute a month's evaluation now (a new draft, or a new
run of a draft; a reviewed or published month is left as it is)."""

from django.core.management import BaseCommand, CommandError

from casework.exceptions import ServiceError
from casework.kernel import clock

from ... import services


class Command(BaseCommand):
    help = "计算月度绩效测评（新乡绩效测评办法第九条）：草稿，或草稿的重新计算。"

    def add_arguments(self, parser):
        parser.add_argument("month", nargs="?", help="YYYY-MM；默认上个月")

    def handle(self, *args, month=None, **options):
        try:
            day = services.parse_month(month) if month else services.previous_month(clock.today())
            evaluation, outcome = services.evaluate_month(day)
        except ServiceError as error:
            raise CommandError(error.message) from None
        lines = evaluation.current_lines().count()
        self.stdout.write(f"{evaluation.key}: {outcome}, run {evaluation.run}, {lines} lines")
