"""Write the generated part of ``docs/`` (state diagrams, steps and tasks of each procedure,
the article map) from the declarations; ``--check`` only says whether it is current."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from casework.kernel.documentation import GENERATED, generated_files


class Command(BaseCommand):
    help = "由各程序的声明生成 docs/generated/（状态图、步骤、待办环节、条款对照表）。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="只检查 docs/generated/ 是否为最新，不写入。"
        )

    def handle(self, *args, **options):
        root = Path(settings.BASE_DIR)
        files = generated_files(root)
        stale = [
            path
            for path, text in files.items()
            if not (root / path).exists() or (root / path).read_text(encoding="utf-8") != text
        ]
        extra = sorted(
            p.relative_to(root)
            for p in (root / GENERATED).glob("*.md")
            if p.relative_to(root) not in files
        )
        if options["check"]:
            if stale or extra:
                names = ", ".join(str(p) for p in [*stale, *extra])
                raise CommandError(
                    f"docs/generated is not current ({names}): run `python manage.py write_docs`."
                )
            self.stdout.write("docs/generated is current.")
            return
        (root / GENERATED).mkdir(parents=True, exist_ok=True)
        for path in extra:
            (root / path).unlink()
        for path in stale:
            (root / path).write_text(files[path], encoding="utf-8")
            self.stdout.write(f"wrote {path}")
