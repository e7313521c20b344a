"""Print the chain's head — the number and hash of the last entry — to the log. Run daily and
keep the log offsite: with it, ``verify_audit --expect-head N:HASH`` proves later that nothing
before that entry was rewritten, even by someone able to recompute the whole chain."""

import logging

from django.core.management import BaseCommand

from casework.audit import chain

logger = logging.getLogger("casework.audit")


class Command(BaseCommand):
    help = "在日志中记录审计链链头（最后一条的序号和摘要），供异地保存。"

    def add_arguments(self, parser):
        parser.add_argument("--database", default="default")

    def handle(self, *args, database="default", **options):
        head = chain.head(using=database)
        if head is None:
            line = "审计链链头：空"
        else:
            seq, digest, recorded_at = head
            line = f"审计链链头：{seq}:{digest} 记录于 {recorded_at.isoformat()}"
        logger.info(line)
        self.stdout.write(line)
