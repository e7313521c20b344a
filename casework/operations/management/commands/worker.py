"""A background worker: django-tasks-db's ``db_worker`` on every queue, plus, every beat, the
periodic tasks that are due and the worker's heartbeat (``casework.operations.periodic``).
Start one on each machine that should do background work; they share the queue table."""

import logging
import threading

from django.db import connection
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Command as DbWorker

from casework.operations import periodic

logger = logging.getLogger("casework.operations.worker")


def _beat_loop(worker_id, seconds, stop):
    started_at = timezone.now()
    while True:
        try:
            periodic.enqueue_due()
            periodic.beat(worker_id, started_at)
        except Exception:  # the database may be away for a moment: try at the next beat
            logger.exception("beat failed")
        finally:
            connection.close()
        if stop.wait(seconds):
            return


class Command(DbWorker):
    help = (
        "后台工作进程：执行队列中的任务（邮件、推送、预警扫描），并按时把定时任务加入队列。"
        "可在多台机器上各启动若干个，共用同一数据库队列。"
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--beat-seconds",
            type=float,
            default=15.0,
            help="每隔多少秒检查定时任务并报告心跳（默认 15）",
        )
        parser.add_argument(
            "--no-beat", action="store_true", help="不加入定时任务、不报告心跳（只执行队列）"
        )
        # Every queue, and no reloader (its watching parent would beat too).
        parser.set_defaults(queue_name="*", reload=False)

    def handle(self, *args, **options):
        stop = threading.Event()
        if not options["no_beat"] and not options["batch"]:
            threading.Thread(
                target=_beat_loop,
                args=(options["worker_id"], options["beat_seconds"], stop),
                name="casework-beat",
                daemon=True,
            ).start()
        try:
            super().handle(*args, **options)
        finally:
            stop.set()
