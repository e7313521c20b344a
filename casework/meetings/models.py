"""The executive meeting (常务会议) as a record of its own (Nanchong art. 11; Xi'an meeting
rules): the meeting, its agenda items — each a case of a declared procedure —, the minutes of
each item, the attendance and the matters agreed (议定事项), one row per matter.

An item names its case by procedure and id (``casework.kernel.declaration``): this app knows
no procedure. Every row keeps its history (who, why, from which address); the history tables
are append-only and sealed into the audit chain like every other.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from casework.audit.history import AddressedHistory


class MeetingState(models.TextChoices):
    PLANNED = "planned", _("已安排")
    HELD = "held", _("已召开")
    POSTPONED = "postponed", _("已延期")


class Meeting(FSMModelMixin, models.Model):
    """One executive meeting: weekly, normally on Thursday morning, convened and chaired by
    the mayor or the executive vice-mayor he commissions (Xi'an meeting rules, sections 1, 4)."""

    number = models.CharField(_("会次"), max_length=32, unique=True)
    year = models.PositiveSmallIntegerField(_("年度"))
    seq = models.PositiveSmallIntegerField(_("序号"))
    date = models.DateField(_("会议日期"), db_index=True)
    place = models.CharField(_("会议地点"), max_length=255)
    chair = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("主持人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    state = FSMField(
        _("状态"),
        default=MeetingState.PLANNED,
        choices=MeetingState.choices,
        protected=True,
        db_index=True,
    )
    # Incremented by every act: the If-Match version of the API.
    version = models.PositiveIntegerField(_("版本"), default=1)
    held_on = models.DateField(_("召开日期"), null=True, blank=True)
    postponed_to = models.ForeignKey(
        "self",
        verbose_name=_("延期至"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="postponed_from",
    )
    postponement_reason = models.TextField(_("延期原因"), blank=True)
    # The agenda last printed (an earlier printing stays in the register of documents and in
    # this row's history) and the minutes (会议纪要), printed once; a correction is an amendment.
    agenda_document = models.ForeignKey(
        "documents.Document",
        verbose_name=_("会议议程"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    minutes_document = models.OneToOneField(
        "documents.Document",
        verbose_name=_("会议纪要"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("常务会议")
        verbose_name_plural = _("常务会议")
        ordering = ["-date", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["year", "seq"], name="one_meeting_number_per_year")
        ]

    def __str__(self):
        return _("%(year)s年第%(seq)s次常务会议") % {"year": self.year, "seq": self.seq}

    def get_absolute_url(self):
        return reverse("meetings:meeting", args=[self.pk])

    @transition(field=state, source=MeetingState.PLANNED, target=MeetingState.HELD)
    def hold(self):
        """The meeting took place (Xi'an meeting rules, section 5)."""

    @transition(field=state, source=MeetingState.PLANNED, target=MeetingState.POSTPONED)
    def postpone(self):
        """Not held on its date: its items move to a later meeting (Xi'an meeting rules,
        section 3 (4))."""


class AgendaItem(models.Model):
    """An item (议题) on a meeting's agenda: one case of a declared procedure, the person
    concerned who may state and defend (Nanchong art. 11), and the minutes of its discussion."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="items"
    )
    position = models.PositiveSmallIntegerField(_("议题序号"))
    # The case: the declared procedure's name and the object's id.
    procedure = models.CharField(_("程序"), max_length=32)
    object_id = models.PositiveIntegerField(_("案件 id"))
    subject = models.CharField(_("议题"), max_length=255)
    # The step of the procedure that records the deliberation (empty: minutes only).
    deliberation_step = models.CharField(_("记录讨论的步骤"), max_length=40, blank=True)
    concerned = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("当事人账户"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agenda_items",
    )
    concerned_name = models.CharField(_("当事人"), max_length=128, blank=True)
    placed_on = models.DateField(_("列入议程日期"))
    # Nanchong art. 11: the written statement the person concerned files before the meeting.
    written_statement = models.TextField(_("书面陈述和申辩"), blank=True)
    written_statement_on = models.DateField(_("书面陈述提交日期"), null=True, blank=True)
    written_statement_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("书面陈述录入人"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # The minutes of the item (Xi'an meeting rules, section 5 (1)).
    statement = models.TextField(_("会上陈述"), blank=True)
    defence = models.TextField(_("会上申辩"), blank=True)
    discussion = models.TextField(_("讨论情况"), blank=True)
    deliberated_on = models.DateField(_("讨论日期"), null=True, blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("会议议题")
        verbose_name_plural = _("会议议题")
        ordering = ["meeting", "position", "id"]
        constraints = [
            # A case waits on one agenda at a time.
            models.UniqueConstraint(
                fields=["procedure", "object_id"],
                condition=models.Q(deliberated_on__isnull=True),
                name="one_open_agenda_item_per_case",
            )
        ]

    def __str__(self):
        return f"{self.position}. {self.subject}"

    def get_absolute_url(self):
        return reverse("meetings:item", args=[self.pk])


class Attendee(models.Model):
    """Who sat in the meeting: its members (组成人员) and those attending (列席), present or
    excused with the reason (Xi'an meeting rules, sections 1, 4 (3), 6 (1))."""

    class Capacity(models.TextChoices):
        MEMBER = "member", _("组成人员")
        ATTENDEE = "attendee", _("列席人员")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="attendees"
    )
    name = models.CharField(_("姓名"), max_length=64)
    capacity = models.CharField(_("身份"), max_length=16, choices=Capacity.choices)
    present = models.BooleanField(_("出席"), default=True)
    absence_reason = models.CharField(_("请假原因"), max_length=255, blank=True)
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("出席人员")
        verbose_name_plural = _("出席人员")
        ordering = ["meeting", "capacity", "id"]

    def __str__(self):
        return self.name


class AgreedMatter(models.Model):
    """A matter agreed by the meeting (议定事项), one row each, so that the supervision of
    assigned matters can take it up (Xi'an meeting rules, section 6 (4))."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("会议"), on_delete=models.PROTECT, related_name="agreed_matters"
    )
    item = models.ForeignKey(
        AgendaItem,
        verbose_name=_("议题"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreed_matters",
    )
    seq = models.PositiveSmallIntegerField(_("序号"))
    text = models.TextField(_("议定事项"))
    recorded_on = models.DateField(_("登记日期"))
    history = HistoricalRecords(bases=[AddressedHistory])

    class Meta:
        verbose_name = _("议定事项")
        verbose_name_plural = _("议定事项")
        ordering = ["meeting", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "seq"], name="one_matter_number_per_meeting")
        ]

    def __str__(self):
        return f"{self.seq}. {self.text[:40]}"
