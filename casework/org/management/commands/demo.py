"""Load the reference data and the demo data. Idempotent: running it twice creates nothing
twice."""

from django.apps import apps
from django.core.management import BaseCommand, call_command

from casework.org.demo import load_demo_people


class Command(BaseCommand):
    help = "载入参考数据与演示数据（演示账号密码均为 demo-pass-2026）。可重复执行。"

    def handle(self, *args, **options):
        call_command("load_reference", verbosity=options["verbosity"])
        created = load_demo_people()
        # Each procedure app with demo data says so in its AppConfig (``load_demo``): the
        # people first, then the apps in the order of INSTALLED_APPS.
        for config in apps.get_app_configs():
            if hasattr(config, "load_demo"):
                config.load_demo()
        if options["verbosity"]:
            self.stdout.write(f"demo accounts: {created} new (password demo-pass-2026)")
