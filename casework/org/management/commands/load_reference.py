"""Load what every deployment needs, demo or not. Idempotent: running it twice creates
nothing twice and keeps an administrator's corrections to the calendar."""

from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import BaseCommand, call_command
from django.db import transaction

from casework.org.roles import sync_roles
from casework.workcalendar import services as calendar_services

REFERENCE_DIR = Path(settings.BASE_DIR) / "fixtures" / "reference"


class Command(BaseCommand):
    help = (
        "载入工作日历（2004–2026）、角色和法定参考数据"
        "（问责情形、来源、方式、投诉类别与处理结果、部门）。"
    )

    def handle(self, *args, **options):
        with transaction.atomic():
            sync_roles()
            # An app with reference data of its own says so in its AppConfig.
            for config in apps.get_app_configs():
                if hasattr(config, "load_reference"):
                    config.load_reference()
            created = calendar_services.seed_from_library()
            fixtures = sorted(str(path) for path in REFERENCE_DIR.glob("*.json"))
            if fixtures:
                call_command("loaddata", *fixtures, verbosity=0)
        if options["verbosity"]:
            self.stdout.write(
                f"calendar: {created} new days; reference fixtures: {len(fixtures)} files"
            )
