"""What the workers keep about themselves: when each periodic task is next due, and which
workers are alive."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class PeriodicTask(models.Model):
    """A task the workers enqueue by themselves every ``PERIODIC_TASKS`` period: whichever
    worker moves ``next_run_at`` forward first enqueues it, once (``periodic.enqueue_due``)."""

    name = models.CharField(_("名称"), max_length=64, primary_key=True)
    next_run_at = models.DateTimeField(_("下次运行时间"))
    last_enqueued_at = models.DateTimeField(_("最近加入队列时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("定时任务")
        verbose_name_plural = _("定时任务")
        ordering = ["name"]

    def __str__(self):
        return self.name


class WorkerHeartbeat(models.Model):
    """A worker's sign of life (``python manage.py worker``), every beat."""

    worker_id = models.CharField(_("工作进程"), max_length=64, primary_key=True)
    host = models.CharField(_("主机"), max_length=255)
    pid = models.PositiveIntegerField(_("进程号"))
    started_at = models.DateTimeField(_("启动时间"))
    seen_at = models.DateTimeField(_("最近心跳"), db_index=True)

    class Meta:
        verbose_name = _("工作进程")
        verbose_name_plural = _("工作进程")
        ordering = ["-seen_at"]

    def __str__(self):
        return f"{self.host}:{self.pid}"
