"""Next year's calendar (docs/calendar-import.md): the administrator pastes or uploads the State
Council's holiday notice, sees the days it changes and the open deadlines that would move, and
confirms; the year is then complete. Every change goes through
``casework.workcalendar.services.apply_notice`` (history, ordinals, the recalculation of the
deadlines)."""

import hashlib

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from casework.deadlines.notifications import subject_of
from casework.deadlines.recalculation import pending_moves
from casework.kernel.views import WorkspacePage
from casework.workcalendar import notice as notices
from casework.workcalendar import services
from casework.workcalendar.models import CalendarDay, CalendarYear

MAX_UPLOAD = 256 * 1024


class NoticeForm(forms.Form):
    year = forms.IntegerField(label=gettext_lazy("年度"), min_value=2004, max_value=2100)
    text = forms.CharField(
        label=gettext_lazy("通知正文或表格"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 10, "data-testid": "notice-text"}),
        help_text=gettext_lazy(
            "粘贴国务院办公厅通知中的放假安排（每个节日一行，如“一、元旦：1月1日（周五）至3日"
            "（周日）放假，共3天。”），或“名称,类型,开始日期,结束日期”的 CSV 表格。"
        ),
    )
    upload = forms.FileField(label=gettext_lazy("或上传文件（.txt / .csv）"), required=False)
    reason = forms.CharField(
        label=gettext_lazy("依据"),
        max_length=200,
        help_text=gettext_lazy(
            "通知的标题和文号，如：国务院办公厅关于2027年部分节假日安排的通知（国办发明电〔2026〕×号）"
        ),
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("upload")
        text = cleaned.get("text") or ""
        if upload is not None:
            if upload.size > MAX_UPLOAD:
                self.add_error("upload", _("文件过大（不超过 256 KB）。"))
                return cleaned
            try:
                text = notices.decode(upload.read())
            except notices.NoticeError as error:
                self.add_error("upload", error.errors[0])
                return cleaned
        if not text.strip():
            self.add_error("text", _("请粘贴通知正文或上传文件。"))
            return cleaned
        cleaned["text"] = text
        if cleaned.get("year") is not None:
            try:
                cleaned["notice"] = notices.parse(text, cleaned["year"])
            except notices.NoticeError as error:
                for message in error.errors:
                    self.add_error("text", message)
        return cleaned


def fingerprint(year, text, reason) -> str:
    """What the confirmation must match: the notice previewed, unchanged."""
    return hashlib.sha256(f"{year}\n{reason}\n{text}".encode()).hexdigest()


def preview(notice, actor, reason):
    """The days the notice changes and the open deadlines that would move, computed by
    applying it inside a transaction that is then rolled back (the same code as the
    confirmation, nothing kept)."""
    with transaction.atomic():
        changes = services.apply_notice(notice, actor=actor, reason=reason, announce=False)
        first = changes[0]["date"] if changes else None
        moves = pending_moves(first) if first else []
        for move in moves:
            move["subject"] = subject_of(move["deadline"])
        transaction.set_rollback(True)
    return changes, moves


def describe(day_tuple) -> str:
    is_working, kind, name = day_tuple
    label = CalendarDay.Kind(kind).label
    return f"{label}（{name}）" if name else str(label)


class CalendarNoticeView(WorkspacePage, TemplateView):
    template_name = "workspace/calendar.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not request.user.has_perm("org.manage_calendar"):
            raise PermissionDenied(_("只有系统管理员可以录入节假日安排。"))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        this_year = timezone.localdate().year
        kwargs.setdefault("form", NoticeForm(initial={"year": this_year + 1}))
        return super().get_context_data(
            years=CalendarYear.objects.filter(year__gte=this_year - 1).order_by("year"),
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = NoticeForm(request.POST, request.FILES)
        if not form.is_valid():
            return self.render_to_response(self.get_context_data(form=form))
        data = form.cleaned_data
        notice = data["notice"]
        stamp = fingerprint(data["year"], data["text"], data["reason"])
        if request.POST.get("confirm") and request.POST.get("fingerprint") == stamp:
            try:
                changes = services.apply_notice(notice, actor=request.user, reason=data["reason"])
            except ValueError as error:
                form.add_error(None, str(error))
                return self.render_to_response(self.get_context_data(form=form))
            messages.success(
                request,
                _("%(year)d 年度节假日安排已录入：%(days)d 天调整，该年度已标记为已确认。")
                % {"year": notice.year, "days": len(changes)},
            )
            return HttpResponseRedirect(reverse("workspace:calendar"))
        try:
            changes, moves = preview(notice, request.user, data["reason"])
        except ValueError as error:
            form.add_error(None, str(error))
            return self.render_to_response(self.get_context_data(form=form))
        for change in changes:
            change["before_label"] = describe(change["before"])
            change["after_label"] = describe(change["after"])
        return self.render_to_response(
            self.get_context_data(
                form=form,
                notice=notice,
                changes=changes,
                moves=moves,
                fingerprint=stamp,
                text=data["text"],
            )
        )
