"""Early warning and correction over HTTP (预警纠错; procedures.md section 3, issue 5).

Thin: every change goes through ``casework.deadlines.services`` (or, for reading one's own
notices, ``casework.deadlines.notifications``); these views look up what the caller may see
(404 otherwise), check who may act (403, with the service's own message, before the body is
read) and serialise. The services' refusals (casework.exceptions) become 400/403/409/422 in
casework/api/errors.py.

    GET  /api/v1/deadlines/<id>/extensions                        the requests and decisions
    POST /api/v1/deadlines/<id>/extensions {"reason","new_due"}   → 201 extension
    POST /api/v1/deadlines/<id>/extensions/<ext>/decide {"approve","reason"}  → 200
    GET  /api/v1/deadlines/<id>/explanation?as_of=                the days counted and skipped
    GET  /api/v1/admonition-letters?unit=&status=                 效能告诫书
    POST /api/v1/admonition-letters/<id>/report {"report"}        → 200 letter
    GET  /api/v1/preliminary-investigations?unit=&status=         初步调查 (art. 8)
    POST /api/v1/preliminary-investigations/<id>/decide {"approve","reason"}
    POST /api/v1/preliminary-investigations/<id>/conclude {"open_case","conclusion","official"?}
    GET  /api/v1/notifications?unread=                            own only, newest first
    POST /api/v1/notifications/<id>/read
    POST /api/v1/notifications/read-all
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import generics, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import extensions, letters, notifications, queries, services
from casework.deadlines import rules as deadline_rules
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Extension,
    Level,
    Notification,
    PreliminaryInvestigation,
)
from casework.exceptions import InvalidInput, NotAllowed, validated
from casework.org.models import Department, Official
from casework.workcalendar.services import CALENDAR_START

from .common import ERRORS, filter_parameters, json_body
from .serializers import DeadlineSerializer, ExtensionSerializer, deadline_context

REFUSALS = {
    **ERRORS,
    409: OpenApiResponse(description="当前状态不允许（已审批、已报告、已有待审批的申请）"),
    422: OpenApiResponse(description="不符合规定（期限已届满、超过延期上限等）"),
}


# ------------------------------------------------------------------------------------------
# Serializers
# ------------------------------------------------------------------------------------------


class DeadlineBriefSerializer(serializers.ModelSerializer):
    """The overdue item a letter or an investigation is about, with its level as of today."""

    kind_name = serializers.CharField(source="get_kind_display", read_only=True)
    case = serializers.IntegerField(source="case_id", allow_null=True, read_only=True)
    case_number = serializers.SerializerMethodField()
    complaint = serializers.IntegerField(source="complaint_id", allow_null=True, read_only=True)
    responsible_unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
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


class DeadlineExtensionSerializer(ExtensionSerializer):
    """An extension with its deadline as it now stands (new due date beside the original)."""

    deadline = DeadlineSerializer(read_only=True)

    class Meta(ExtensionSerializer.Meta):
        fields = [*ExtensionSerializer.Meta.fields, "deadline"]


class ExtensionRequestBody(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, help_text=gettext_lazy("延期理由"))
    new_due = serializers.DateField(help_text=gettext_lazy("申请延至（YYYY-MM-DD）"))


class DecisionBody(serializers.Serializer):
    approve = serializers.BooleanField(help_text=gettext_lazy("true 批准；false 不予批准"))
    reason = serializers.CharField(
        required=False, allow_blank=True, default="", help_text=gettext_lazy("审批意见")
    )


class ReportBody(serializers.Serializer):
    report = serializers.CharField(allow_blank=True, help_text=gettext_lazy("整改情况"))


class ConclusionBody(serializers.Serializer):
    open_case = serializers.BooleanField(help_text=gettext_lazy("true 立案调查；false 初核了结"))
    conclusion = serializers.CharField(allow_blank=True, help_text=gettext_lazy("调查结论"))
    official = serializers.PrimaryKeyRelatedField(
        queryset=Official.objects.all(),
        required=False,
        allow_null=True,
        help_text=gettext_lazy("立案时：被问责人（部门负责人）编号；不填则为责任单位的行政首长"),
    )


class LetterSerializer(serializers.ModelSerializer):
    """效能告诫书 (art. 7): its number, the overdue item, the report deadline, the status."""

    number = serializers.CharField(source="document.number", read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True)
    issued_on = serializers.DateField(source="document.issued_on", read_only=True)
    body = serializers.CharField(source="document.body", read_only=True)
    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    deadline = DeadlineBriefSerializer(read_only=True)
    report_deadline = DeadlineBriefSerializer(read_only=True)
    can_report = serializers.SerializerMethodField()

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
        ]

    def get_can_report(self, obj) -> bool:
        """Whether the caller may report the rectification now (rules: the unit's people)."""
        user = self.context["request"].user
        return letters.may_report(user, obj)


class InvestigationSerializer(serializers.ModelSerializer):
    """初步调查 (art. 8): proposed on a red card, approved or dismissed by the supervision
    leader, concluded "close after initial check" or "open a case"."""

    unit = serializers.SlugRelatedField(slug_field="code", read_only=True)
    unit_name = serializers.CharField(source="unit.name", read_only=True, allow_null=True)
    status_name = serializers.CharField(source="get_status_display", read_only=True)
    deadline = DeadlineBriefSerializer(read_only=True)
    approved_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    accountability_case_number = serializers.SerializerMethodField()

    class Meta:
        model = PreliminaryInvestigation
        fields = [
            "id",
            "deadline",
            "unit",
            "unit_name",
            "status",
            "status_name",
            "proposed_on",
            "approved_by",
            "decided_on",
            "decision_reason",
            "conclusion",
            "concluded_on",
            "accountability_case",
            "accountability_case_number",
        ]

    def get_accountability_case_number(self, obj) -> str | None:
        case = obj.accountability_case
        return case.number if case is not None else None


class NotificationSerializer(serializers.ModelSerializer):
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "title",
            "body",
            "link",
            "deadline",
            "created_at",
            "read_at",
            "emailed",
            "unread",
        ]

    def get_unread(self, obj) -> bool:
        return obj.read_at is None


EXPLAIN_DAY = inline_serializer(
    "DeadlineExplanationDay",
    {
        "date": serializers.DateField(),
        "weekday": serializers.CharField(),
        "counted": serializers.BooleanField(),
        "ordinal": serializers.IntegerField(allow_null=True),
        "reason": serializers.CharField(),
        "provisional": serializers.BooleanField(),
    },
    many=True,
)

EXPLANATION = inline_serializer(
    "DeadlineExplanation",
    {
        "deadline": serializers.IntegerField(),
        "kind": serializers.CharField(),
        "kind_name": serializers.CharField(),
        "description": serializers.CharField(),
        "start_date": serializers.DateField(),
        "working_days": serializers.IntegerField(allow_null=True),
        "due": serializers.DateField(),
        "original_due": serializers.DateField(allow_null=True),
        "extension_working_days": serializers.IntegerField(),
        "provisional": serializers.BooleanField(),
        "as_of": serializers.DateField(),
        "level": serializers.ChoiceField(choices=Level.choices),
        "level_name": serializers.CharField(),
        "working_days_left": serializers.IntegerField(allow_null=True),
        "overdue_working_days": serializers.IntegerField(),
        "counted": serializers.IntegerField(),
        "skipped": serializers.IntegerField(),
        "days": EXPLAIN_DAY,
        "overdue_days": EXPLAIN_DAY,
    },
)


class LetterQuery(serializers.Serializer):
    unit = serializers.SlugField(required=False, help_text=gettext_lazy("承办单位（部门代码）"))
    status = serializers.ChoiceField(
        choices=AdmonitionLetter.Status.choices, required=False, help_text=gettext_lazy("状态")
    )

    def validate_unit(self, value):
        if not Department.objects.filter(code=value).exists():
            raise serializers.ValidationError(_("没有该部门：%(code)s") % {"code": value})
        return value


class InvestigationQuery(LetterQuery):
    status = serializers.ChoiceField(
        choices=PreliminaryInvestigation.Status.choices,
        required=False,
        help_text=gettext_lazy("状态"),
    )


class NotificationQuery(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("只看未读")
    )


class AsOfQuery(serializers.Serializer):
    as_of = serializers.DateField(
        required=False, help_text=gettext_lazy("以该日计算预警级别和逾期天数（默认今天）")
    )

    def validate_as_of(self, value):
        if value < CALENDAR_START:
            raise serializers.ValidationError(_("工作日历从 2004-01-01 开始，不能计算更早的日期。"))
        return value


# ------------------------------------------------------------------------------------------
# Helpers
# ------------------------------------------------------------------------------------------


def _deadline(request, pk):
    """The deadline if the caller may see it (casework/api/deadlines.visible_deadlines), else
    404: the caller learns nothing about deadlines that are not theirs."""
    return get_object_or_404(
        deadline_rules.visible_deadlines(
            request.user,
            Deadline.objects.select_related("responsible_unit", "responsible_user", "case"),
        ),
        pk=pk,
    )


def _extension_response(request, extension, status_code=status.HTTP_200_OK):
    extension = Extension.objects.select_related(
        "requested_by", "decided_by", "deadline__responsible_unit", "deadline__case"
    ).get(pk=extension.pk)
    today = timezone.localdate()
    context = {"request": request, **deadline_context(today)}
    return Response(DeadlineExtensionSerializer(extension, context=context).data, status_code)


def _brief_deadlines(as_of):
    """The deadline objects of letters and investigations, with their level in SQL."""
    return Deadline.objects.with_level(as_of).select_related("case", "responsible_unit")


def letter_queryset(user):
    as_of = timezone.localdate()
    return deadline_rules.visible_letters(
        user,
        AdmonitionLetter.objects.select_related("unit", "document").prefetch_related(
            Prefetch("deadline", queryset=_brief_deadlines(as_of)),
            Prefetch("report_deadline", queryset=_brief_deadlines(as_of)),
        ),
    ).order_by("-id")


def investigation_queryset(user):
    if not deadline_rules.sees_investigations(user):
        return PreliminaryInvestigation.objects.none()
    return (
        PreliminaryInvestigation.objects.select_related(
            "unit", "approved_by", "accountability_case"
        )
        .prefetch_related(Prefetch("deadline", queryset=_brief_deadlines(timezone.localdate())))
        .order_by("-id")
    )


# ------------------------------------------------------------------------------------------
# Extensions
# ------------------------------------------------------------------------------------------


class DeadlineExtensions(APIView):
    """The person responsible asks, before the deadline and with reasons, for more time; the
    total is capped per kind (settings.DEADLINE_EXTENSION_CAPS)."""

    @extend_schema(
        operation_id="deadline_extensions_list",
        summary="延期申请及审批情况",
        responses={200: ExtensionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk):
        deadline = _deadline(request, pk)
        extensions = deadline.extensions.select_related("requested_by", "decided_by")
        return Response(ExtensionSerializer(extensions, many=True).data)

    @extend_schema(
        operation_id="deadline_extensions_create",
        summary="申请延期",
        request=ExtensionRequestBody,
        responses={201: DeadlineExtensionSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        deadline = _deadline(request, pk)
        extension = extensions.ask(deadline, request.user, request.data)
        response = _extension_response(request, extension, status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/deadlines/{deadline.pk}/extensions"
        return response


class DeadlineExtensionDecision(APIView):
    """The approver the procedure names grants or refuses (rules.may_decide_extension); a
    granted extension moves the due date and keeps the original beside it."""

    @extend_schema(
        operation_id="deadline_extensions_decide",
        summary="审批延期申请",
        request=DecisionBody,
        responses={200: DeadlineExtensionSerializer, **REFUSALS},
    )
    def post(self, request, pk, ext):
        deadline = _deadline(request, pk)
        extension = get_object_or_404(Extension.objects.filter(deadline=deadline), pk=ext)
        extension.deadline = deadline
        extension = extensions.decide(extension, request.user, request.data)
        return _extension_response(request, extension)


# ------------------------------------------------------------------------------------------
# "How was this computed"
# ------------------------------------------------------------------------------------------


class DeadlineExplanation(APIView):
    """The working days counted and skipped, each with its reason (weekend, holiday, adjusted
    working day, provisional year), and whether the result is provisional (暂定)."""

    @extend_schema(
        operation_id="deadline_explanation",
        summary="期限如何计算",
        parameters=filter_parameters(AsOfQuery),
        responses={200: EXPLANATION, 400: ERRORS[400], 404: ERRORS[404]},
    )
    def get(self, request, pk):
        query = AsOfQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        as_of = query.validated_data.get("as_of") or timezone.localdate()
        deadline = _deadline(request, pk)
        return Response(queries.explain_deadline(deadline, as_of))


# ------------------------------------------------------------------------------------------
# Admonition letters (效能告诫书, art. 7 and 9)
# ------------------------------------------------------------------------------------------


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
    """Art. 9: the unit reports its rectification in writing."""

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
        services.report_rectification(letter, request.user, report=data["report"])
        letter = letter_queryset(request.user).get(pk=pk)
        return Response(LetterSerializer(letter, context={"request": request}).data)


# ------------------------------------------------------------------------------------------
# Preliminary investigations (初步调查, art. 8)
# ------------------------------------------------------------------------------------------


class InvestigationList(generics.GenericAPIView):
    """Proposed on a red card; for the supervision bureau, its leader and the mayor's
    office."""

    serializer_class = InvestigationSerializer

    @extend_schema(
        operation_id="preliminary_investigations_list",
        summary="初步调查",
        parameters=filter_parameters(InvestigationQuery),
        responses={200: InvestigationSerializer(many=True), 400: ERRORS[400], 403: ERRORS[403]},
    )
    def get(self, request):
        if not deadline_rules.sees_investigations(request.user):
            raise NotAllowed(_("只有市监察局和市政府领导可以查看初步调查。"))
        query = InvestigationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        filters = query.validated_data
        queryset = investigation_queryset(request.user)
        if "unit" in filters:
            queryset = queryset.filter(unit__code=filters["unit"])
        if "status" in filters:
            queryset = queryset.filter(status=filters["status"])
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(InvestigationSerializer(page, many=True).data)


def _investigation_response(request, pk):
    investigation = investigation_queryset(request.user).get(pk=pk)
    return Response(InvestigationSerializer(investigation).data)


class InvestigationDecision(APIView):
    """Art. 8: the supervision leader approves the preliminary investigation or dismisses
    it."""

    @extend_schema(
        operation_id="preliminary_investigations_decide",
        summary="审批初步调查",
        request=DecisionBody,
        responses={200: InvestigationSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        investigation = get_object_or_404(investigation_queryset(request.user), pk=pk)
        if not deadline_rules.may_decide_investigation(request.user):
            raise NotAllowed(_("初步调查须经监察局分管领导批准。"))
        data = validated(DecisionBody, json_body(request))
        services.decide_investigation(
            investigation, request.user, approve=data["approve"], reason=data["reason"]
        )
        return _investigation_response(request, pk)


class InvestigationConclusion(APIView):
    """Art. 8: "close after initial check" or "open a case" (which, naming the official,
    opens an accountability case from the supervision bureau)."""

    @extend_schema(
        operation_id="preliminary_investigations_conclude",
        summary="作出初步调查结论",
        request=ConclusionBody,
        responses={200: InvestigationSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        investigation = get_object_or_404(investigation_queryset(request.user), pk=pk)
        if not deadline_rules.may_conclude_investigation(request.user):
            raise NotAllowed(_("只有市监察局可以作出初步调查结论。"))
        data = validated(ConclusionBody, json_body(request))
        if data.get("official") is not None and not data["open_case"]:
            message = _("初核了结时无需指定被问责人。")
            raise InvalidInput(message, {"official": [message]})
        services.conclude_investigation(
            investigation,
            request.user,
            open_case=data["open_case"],
            conclusion=data["conclusion"],
            official=data.get("official"),
        )
        return _investigation_response(request, pk)


# ------------------------------------------------------------------------------------------
# Notifications (the bell)
# ------------------------------------------------------------------------------------------

NOTIFICATION_PAGE = inline_serializer(
    "NotificationPage",
    {
        "count": serializers.IntegerField(),
        "next": serializers.URLField(allow_null=True),
        "previous": serializers.URLField(allow_null=True),
        "unread": serializers.IntegerField(),
        "results": NotificationSerializer(many=True),
    },
)


class NotificationList(generics.GenericAPIView):
    """What was sent to the caller (in-app and by e-mail), newest first, with the number
    still unread."""

    serializer_class = NotificationSerializer
    pagination_class = None  # paginated by hand below, to add ``unread``

    @extend_schema(
        operation_id="notifications_list",
        summary="我的通知",
        parameters=filter_parameters(NotificationQuery),
        responses={200: NOTIFICATION_PAGE, 400: ERRORS[400]},
    )
    def get(self, request):
        from rest_framework.pagination import PageNumberPagination

        query = NotificationQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        unread = query.validated_data.get("unread")
        queryset = notifications.own(request.user)
        if unread is not None:
            queryset = queryset.filter(read_at__isnull=unread)
        paginator = PageNumberPagination()
        page = paginator.paginate_queryset(queryset, request, view=self)
        response = paginator.get_paginated_response(NotificationSerializer(page, many=True).data)
        response.data["unread"] = notifications.unread_count(request.user)
        return response


class NotificationRead(APIView):
    @extend_schema(
        operation_id="notifications_read",
        summary="标为已读",
        request=None,
        responses={200: NotificationSerializer, 404: ERRORS[404]},
    )
    def post(self, request, pk):
        notification = get_object_or_404(notifications.own(request.user), pk=pk)
        notifications.mark_read(notification)
        return Response(NotificationSerializer(notification).data)


class NotificationReadAll(APIView):
    @extend_schema(
        operation_id="notifications_read_all",
        summary="全部标为已读",
        request=None,
        responses={
            200: inline_serializer(
                "NotificationsMarkedRead",
                {"marked": serializers.IntegerField(), "unread": serializers.IntegerField()},
            )
        },
    )
    def post(self, request):
        marked = notifications.mark_all_read(request.user)
        return Response({"marked": marked, "unread": notifications.unread_count(request.user)})
