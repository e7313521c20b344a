"""Load the reference data and the demo data. Idempotent: running it twice creates nothing
twice."""

from django.core.management import BaseCommand, call_command

from casework.org.demo import load_demo_people

# Each procedure app that has demo data adds a loader here: "module:function".
DEMO_LOADERS: list[str] = [
    "casework.accountability.demo:load_demo_cases",
    "casework.complaints.demo:load_demo_complaints",
]


class Command(BaseCommand):
    help = "载入参考数据与演示数据（演示账号密码均为 demo-pass-2026）。可重复执行。"

    def handle(self, *args, **options):
        from importlib import import_module

        call_command("load_reference", verbosity=options["verbosity"])
        created = load_demo_people()
        for loader in DEMO_LOADERS:
            module, function = loader.split(":")
            getattr(import_module(module), function)()
        if options["verbosity"]:
            self.stdout.write(f"demo accounts: {created} new (password demo-pass-2026)")
