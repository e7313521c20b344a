"""Walk the hash chain and every sealed table (casework/audit/chain.py); name every broken,
altered, deleted or inserted record and exit 1 if there is one. The result is kept (the admin
shows the last verification) and the chain's head is logged. Schedule it nightly (README,
"Periodic commands")."""

import logging

from django.core.management import BaseCommand, CommandError

from casework.audit import chain
from casework.audit.models import AuditVerification

logger = logging.getLogger("casework.audit")


def parse_head(value):
    seq, _sep, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise CommandError("--expect-head 应为 序号:摘要（64 位十六进制），如 1042:9f…")
    return int(seq), digest.lower()


class Command(BaseCommand):
    help = (
        "校验审计链：逐条核对链接和摘要，并核对每张只增表的每条记录；"
        "发现问题时逐条列出并以 1 退出。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--expect-head",
            type=parse_head,
            help="异地保存的链头（audit_head 每日所记）：序号:摘要；校验该条仍在且摘要未变。",
        )
        parser.add_argument("--database", default="default")

    def handle(self, *args, expect_head=None, database="default", **options):
        report = chain.verify(using=database, expect_head=expect_head)
        problems = report.problems
        AuditVerification.objects.using(database).create(
            ok=report.ok,
            entries=report.entries,
            rows=report.rows,
            problem_count=len(problems),
            problems="\n".join(problems),
            head_seq=report.head[0] if report.head else None,
            head_hash=report.head[1] if report.head else "",
            seconds=report.seconds,
        )
        for problem in problems:
            self.stdout.write(problem)
        summary = (
            f"审计链校验：{report.entries} 条链记录，{report.rows} 条数据记录，"
            f"{len(problems)} 个问题，用时 {report.seconds:.2f} 秒。"
        )
        if report.head:
            summary += f" 链头：第 {report.head[0]} 条 {report.head[1]}"
        self.stdout.write(summary)
        (logger.error if problems else logger.info)(summary)
        if problems:
            raise SystemExit(1)
