"""Admonition letters (效能告诫书, Xinxiang warning art. 7 and 9) over HTTP.

GET  /api/v1/admonition-letters?unit=&status=                 the letters the caller sees
POST /api/v1/admonition-letters/<id>/report {"report"}        → 200 letter
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import generics, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import letters
from casework.deadlines.models import AdmonitionLetter
from casework.deadlines.rules import visible_letters
from casework.exceptions import validated

from .common import ERRORS, REFUSALS, filter_parameters, json_body, known_department
from .serializers import DeadlineBriefSerializer, brief_deadlines


class LetterSerializer(serializers.ModelSerializer):
    """效能告诫书 (Xinxiang warning art. 7): number, overdue item, report deadline, status."""

    number = serializers.CharField(source="document.number", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    issued_on = serializers.DateField(source="document.issued_on", read_only=True)
    body = serializers.CharField(source="document.body", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    deadline = DeadlineBriefSerializer(read_only=True)
    report_deadline = DeadlineBriefSerializer(read_only=True)
    can_report = serializers.SerializerMethodField()
    pdf_url = serializers.SerializerMethodField()

    class Meta:
        model = AdmonitionLetter
        fields = [
            "id",
            "number",
            "document",
            "issued_on",
            "body",
            "unit",
            "unit_name",
            "status",
            "status_name",
            "deadline",
            "report_deadline",
            "report",
            "reported_on",
            "can_report",
            "pdf_url",
        ]

    def get_can_report(self, obj) -> bool:
        """Whether the caller may report the rectification now (the warned unit's people)."""
        return letters.may_report(self.context["request"].user, obj)

    def get_pdf_url(self, obj) -> str:
        """The letter as an official document (GB/T 9704-2012)."""
        return reverse("api-document-pdf", args=[obj.document_id])


class ReportBody(serializers.Serializer):
    report = serializers.CharField(allow_blank=True, help_text=gettext_lazy("整改情况"))


class LetterQuery(serializers.Serializer):
    unit = serializers.SlugField(
        required=False,
        validators=[known_department],
        help_text=gettext_lazy("承办单位（部门代码）"),
    )
    status = serializers.ChoiceField(
        choices=AdmonitionLetter.Status.choices, required=False, help_text=gettext_lazy("状态")
    )


def letter_queryset(user):
    as_of = timezone.localdate()
    return visible_letters(
        user,
        AdmonitionLetter.objects.select_related("unit", "document").prefetch_related(
            Prefetch("deadline", queryset=brief_deadlines(as_of)),
            Prefetch("report_deadline", queryset=brief_deadlines(as_of)),
        ),
    ).order_by("-id")


class AdmonitionLetterList(generics.GenericAPIView):
    """Numbered letters with the overdue item, the report deadline and the status: all of
    them for the supervision bureau, the mayor and the secretariat; a unit's own for its
    people."""

    serializer_class = LetterSerializer

    @extend_schema(
        operation_id="admonition_letters_list",
        summary="效能告诫书",
        parameters=filter_parameters(LetterQuery),
        responses={200: LetterSerializer(many=True), 400: ERRORS[400]},
    )
    def get(self, request):
        query = LetterQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        queryset = letter_queryset(request.user)
        if "unit" in filters:
            queryset = queryset.filter(unit__code=filters["unit"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        page = self.paginate_queryset(queryset)
        data = LetterSerializer(page, many=True, context={"request": request}).data
        return self.get_paginated_response(data)


class AdmonitionLetterReport(APIView):
    """Xinxiang warning art. 9: the unit reports its rectification in writing."""

    @extend_schema(
        operation_id="admonition_letters_report",
        summary="书面报告整改情况",
        request=ReportBody,
        responses={200: LetterSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        letter = get_object_or_404(letter_queryset(request.user), pk=pk)
        letters.check_may_report(request.user, letter)
        data = validated(ReportBody, json_body(request))
        letters.report_rectification(
            letter, request.user, report=data["report"], ip=request.META.get("REMOTE_ADDR")
        )
        letter = letter_queryset(request.user).get(pk=pk)
        return Response(LetterSerializer(letter, context={"request": request}).data)
