"""Serializers that several resources show: a deadline with its warning level and extensions,
and a document with its amendments."""

import datetime

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from casework.deadlines.models import Deadline, Extension, Level
from casework.documents.models import Document
from casework.workcalendar import periods


class ExtensionSerializer(serializers.ModelSerializer):
    """An extension asked for and its decision: reason, approver, new due date
    (each kept beside the deadline it extended)."""

    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    decided_by = serializers.SlugRelatedField(
        slug_field="username", read_only=True, allow_null=True
    )

    class Meta:
        model = Extension
        fields = [
            "id",
            "reason",
            "new_due",
            "new_due_as_asked",
            "requested_on",
            "requested_by",
            "status",
            "decided_by",
            "decided_on",
            "decision_reason",
        ]


def extensions_prefetch():
    # A new Prefetch each time: Django adds prefixes to nested ones in place.
    return Prefetch(
        "extensions", queryset=Extension.objects.select_related("requested_by", "decided_by")
    )


class DeadlineSerializer(serializers.ModelSerializer):
    """The contract's {"id","kind","due","provisional","done_at","level","responsible_unit",
    "extensions"} and, beyond it, what a screen shows beside it.

    ``level`` is read from the SQL annotation of ``Deadline.objects.with_level(as_of)`` when
    present (lists), else computed for the one object. The context carries ``as_of`` (default
    today) and, for annotated rows, ``as_of_ordinal`` (the calendar ordinal of ``as_of``) so
    that ``working_days_left`` costs no query per row.
    """

    case = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)
    case_number = serializers.SerializerMethodField()
    complaint = serializers.SerializerMethodField()
    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    level = serializers.SerializerMethodField()
    level_name = serializers.SerializerMethodField()
    responsible_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    extensions = ExtensionSerializer(many=True, read_only=True)
    is_right = serializers.BooleanField(read_only=True)
    working_days_left = serializers.SerializerMethodField()
    due_note = serializers.CharField(
        read_only=True,
        help_text=gettext_lazy("所定日期为休息日时：“…为休息日，顺延至…”；否则为空"),
    )

    class Meta:
        model = Deadline
        fields = [
            "id",
            "case",
            "case_number",
            "complaint",
            "kind",
            "kind_name",
            "description",
            "start_date",
            "working_days",
            "due",
            "due_as_set",
            "due_note",
            "provisional",
            "done_at",
            "cancelled_at",
            "suspended_on",
            "level",
            "level_name",
            "responsible_unit",
            "extensions",
            "is_right",
            "original_due",
            "working_days_left",
        ]

    def get_case_number(self, obj) -> str | None:
        # Fetched with the deadline (select_related), or the case the deadline was
        # prefetched from.
        return obj.case.number if obj.case_id is not None else None

    def get_complaint(self, obj) -> int | None:
        return getattr(obj, "complaint_id", None)

    def _as_of(self) -> datetime.date:
        return self.context.get("as_of") or timezone.localdate()

    def _level(self, obj) -> str:
        level = getattr(obj, "level", None)
        if level is None:
            level = obj.level_as_of(self._as_of())
        return str(level)

    @extend_schema_field(serializers.ChoiceField(choices=Level.choices))
    def get_level(self, obj) -> str:
        return self._level(obj)

    def get_level_name(self, obj) -> str:
        return str(dict(Level.choices)[self._level(obj)])

    def get_working_days_left(self, obj) -> int | None:
        """Working days from ``as_of`` to the due date: positive = left, negative = overdue;
        null once the deadline is done or cancelled."""
        if not obj.is_open:
            return None
        due_ordinal = getattr(obj, "due_ordinal", None)
        x = self.context.get("as_of_ordinal")
        if due_ordinal is not None and x is not None:
            return due_ordinal - x
        return periods.working_days_between(self._as_of(), obj.due).count


def deadline_context(as_of: datetime.date) -> dict:
    return {"as_of": as_of, "as_of_ordinal": periods.working_day_ordinal(as_of)}


class DeadlineBriefSerializer(serializers.ModelSerializer):
    """The overdue item a letter or an investigation is about, with its level as of today
    (read from the SQL annotation of ``with_level`` when present)."""

    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    case = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)
    case_number = serializers.SerializerMethodField()
    complaint = serializers.IntegerField(source="complaint_id", allow_null=True, read_only=True)
    responsible_unit = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    level = serializers.SerializerMethodField()

    class Meta:
        model = Deadline
        fields = [
            "id",
            "kind",
            "kind_name",
            "description",
            "responsible_unit",
            "due",
            "original_due",
            "provisional",
            "done_at",
            "case",
            "case_number",
            "complaint",
            "level",
        ]

    def get_case_number(self, obj) -> str | None:
        return obj.case.number if obj.case_id is not None else None

    def get_level(self, obj) -> str:
        level = getattr(obj, "level", None)
        if level is None:
            level = obj.level_as_of(timezone.localdate())
        return str(level)


def brief_deadlines(as_of: datetime.date):
    """The deadline objects of letters and investigations, with their level in SQL."""
    return Deadline.objects.with_level(as_of).select_related("case", "responsible_unit")


class AmendmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.SerializerMethodField(help_text=gettext_lazy("补正序号（第 n 号）"))
    text = serializers.CharField()
    reason = serializers.CharField()
    basis = serializers.CharField()
    created_at = serializers.DateTimeField()
    pdf_url = serializers.SerializerMethodField()

    def _ordinal(self, obj) -> int:
        # Numbered in the order appended (the prefetched list of the document, by id).
        siblings = sorted(a.pk for a in obj.document.amendments.all())
        return siblings.index(obj.pk) + 1

    def get_number(self, obj) -> int:
        return self._ordinal(obj)

    def get_pdf_url(self, obj) -> str:
        return reverse("api-document-amendment-pdf", args=[obj.document_id, self._ordinal(obj)])


class DocumentSerializer(serializers.ModelSerializer):
    """An issued document (docs/documents.md): its ``pdf_url`` answers the PDF to whoever may
    see the document."""

    type = serializers.CharField(source="doc_type")
    type_name = serializers.CharField(source="get_doc_type_display")
    amendments = AmendmentSerializer(many=True, read_only=True)
    pdf_url = serializers.SerializerMethodField()

    def get_pdf_url(self, obj) -> str:
        return reverse("api-document-pdf", args=[obj.pk])

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "type",
            "type_name",
            "title",
            "addressee",
            "body",
            "issued_on",
            "original_location",
            "pdf_url",
            "amendments",
        ]
