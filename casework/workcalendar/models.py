"""The working-day calendar: Chinese working days (docs/deadlines.md).

One row per date. The calendar is data: seeded from ``chinese_calendar`` and corrected by an
administrator when the State Council's notice for a new year arrives. Every change goes
through ``services.py``; the computations on it are in ``periods.py``.
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory


class Source(models.TextChoices):
    LIBRARY = "library", _("日历库（chinese_calendar）")
    ADMIN = "admin", _("管理员录入")


class CalendarYear(models.Model):
    """A year of the calendar. ``complete`` means its statutory holidays and adjusted working
    days are known, so every period that touches it is final, not provisional (暂定)."""

    year = models.PositiveSmallIntegerField(_("年度"), primary_key=True)
    complete = models.BooleanField(
        _("已确认"),
        default=False,
        help_text=_(
            "该年度的法定节假日和调休上班日已按国务院办公厅通知录入；未确认年度的期限均为暂定。"
        ),
    )
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    note = models.TextField(_("备注"), blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("日历年度")
        verbose_name_plural = _("日历年度")
        ordering = ["year"]

    def __str__(self):
        return str(self.year)


class CalendarDay(models.Model):
    """One date: whether it is a working day (工作日), and why.

    ``ordinal`` is the number of working days from the first row of the table up to and including
    this date; a rest day carries the ordinal of the last working day before it. It turns "n working
    days after" and "working days between" into single indexed lookups instead of a loop. It is
    derived data, maintained by ``services.recompute_ordinals``.
    """

    class Kind(models.TextChoices):
        WORKDAY = "workday", _("工作日")
        WEEKEND = "weekend", _("周末")
        HOLIDAY = "holiday", _("法定节假日")
        ADJUSTED_WORKDAY = "adjusted_workday", _("调休上班日")

    WORKING_KINDS = (Kind.WORKDAY, Kind.ADJUSTED_WORKDAY)
    REST_KINDS = (Kind.WEEKEND, Kind.HOLIDAY)

    date = models.DateField(_("日期"), primary_key=True)
    is_working = models.BooleanField(_("工作日"))
    kind = models.CharField(_("类型"), max_length=16, choices=Kind.choices)
    holiday_name = models.CharField(
        _("节日名称"), max_length=32, blank=True, help_text=_("如：春节、国庆节")
    )
    ordinal = models.IntegerField(_("工作日序号"), db_index=True, default=0, editable=False)
    source = models.CharField(_("来源"), max_length=16, choices=Source.choices)
    # The ordinal is left out of the history: it is derived from the other columns and is
    # rewritten by bulk_update, which writes no history rows anyway.
    history = HistoricalRecords(bases=[AddressedHistory], excluded_fields=["ordinal"])

    class Meta:
        verbose_name = _("日历日")
        verbose_name_plural = _("日历日")
        ordering = ["date"]
        constraints = [
            # The kind and the working flag never disagree.
            models.CheckConstraint(
                condition=(
                    Q(is_working=True, kind__in=["workday", "adjusted_workday"])
                    | Q(is_working=False, kind__in=["weekend", "holiday"])
                ),
                name="workcalendar_day_kind_matches_is_working",
            ),
        ]

    def __str__(self):
        return f"{self.date.isoformat()} {self.get_kind_display()}"
