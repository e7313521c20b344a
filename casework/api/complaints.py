"""The complaint part of docs/api.md: the public portal and the staff endpoints.

Confidentiality (Xinxiang complaints art. 8): only the complaints office ever gets
the identity fields, masked by default; the full values come with a stated reason
(``?reason=``), and that view is recorded (IdentityAccess). Everyone else — the organ, the
supervision bureau, the history view — gets a redacted complaint.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    inline_serializer,
)
from rest_framework import generics, serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.complaints import portal, rules, services
from casework.complaints.declaration import COMPLAINTS
from casework.complaints.models import Complaint, IdentityAccess, State
from casework.complaints.payloads import PublicComplaint, StaffComplaint
from casework.deadlines.models import Deadline
from casework.deadlines.rules import rules_read_once as extension_rules_read_once
from casework.exceptions import InvalidInput, NotAllowed, ServiceError
from casework.workcalendar.periods import working_day_ordinal

from .common import ERRORS, NOISY_FIELDS, json_body, jsonable, take_step
from .parsers import StrictJSONParser
from .serializers import DeadlineSerializer, DocumentSerializer

# The complainant's identity: masked for the complaints office unless a reason is given.
IDENTITY_FIELDS = ("name", "phone", "email")


class Throttled429(ServiceError):
    status = 429
    code = "throttled"


# How a form (multipart) says yes or no; JSON says true or false.
FORM_BOOLEANS = {"1": True, "true": True, "on": True, "0": False, "false": False, "off": False}


def _form_data(request):
    """JSON or multipart (with an attachment): the fields as a plain dict. In a form every
    value is text, so ``real_name`` is read as a yes or no there; anything else is left for
    the payload to refuse (``"maybe"`` is not an answer)."""
    multipart = hasattr(request.data, "getlist")
    data = json_body(request)
    value = data.get("real_name")
    if multipart and isinstance(value, str) and value.strip().lower() in FORM_BOOLEANS:
        data["real_name"] = FORM_BOOLEANS[value.strip().lower()]
    data.pop("attachment", None)
    return data


# ------------------------------------------------------------------------------------
# Public
# ------------------------------------------------------------------------------------


class PublicComplaintCreate(APIView):
    """A citizen files a complaint without an account → its tracking code."""

    permission_classes = [AllowAny]
    authentication_classes = []
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    @extend_schema(
        operation_id="public_complaints_create",
        summary="网上投诉（无需登录）",
        request=PublicComplaint,
        responses={
            201: inline_serializer("TrackingCode", {"tracking_code": serializers.CharField()}),
            400: ERRORS[400],
            413: ERRORS[400],
            429: ERRORS[400],
        },
    )
    def post(self, request):
        if portal.submission_blocked(request):
            raise Throttled429(_("操作过于频繁，请稍后再试。"))
        complaint = services.submit(
            _form_data(request), request.FILES.get("attachment"), ip=request.META.get("REMOTE_ADDR")
        )
        return Response({"tracking_code": complaint.tracking_code}, status=status.HTTP_201_CREATED)


class PublicComplaintStatus(APIView):
    """The status, the dates and, at the end, the published result — nothing else."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(
        operation_id="public_complaints_status",
        summary="凭查询码查询办理进度",
        responses={
            200: inline_serializer(
                "PublicComplaintStatus",
                {
                    "status": serializers.CharField(),
                    "status_name": serializers.CharField(),
                    "received_on": serializers.DateField(),
                    "updated_on": serializers.DateField(),
                    "closed_on": serializers.DateField(required=False),
                    "result": serializers.CharField(required=False),
                },
            ),
            404: ERRORS[404],
            429: ERRORS[400],
        },
    )
    def get(self, request, code):
        if portal.tracking_blocked(request):
            raise Throttled429(_("查询过于频繁，请稍后再试。"))
        complaint = portal.find_by_code(code)
        if complaint is None:
            portal.count_tracking_miss(request)
            return Response(
                {"error": "not_found", "detail": _("没有该查询码对应的投诉。"), "fields": {}},
                status=status.HTTP_404_NOT_FOUND,
            )
        return Response(portal.public_status(complaint))


# ------------------------------------------------------------------------------------
# Staff
# ------------------------------------------------------------------------------------


@extend_schema_field({"type": "string", "pattern": r"^\d{2}:\d{2}(:\d{2})?$"})
class WallClockTimeField(serializers.TimeField):
    """A time of day without a zone ("15:40:00"): OpenAPI's "time" format demands an offset."""


class ComplaintSerializer(serializers.ModelSerializer):
    """A staff complaint (docs/api.md): redacted unless the caller is the complaints office."""

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    respondent_department = serializers.SlugRelatedField(slug_field="code", read_only=True)
    transferred_to = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    outcome = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    state_name = serializers.CharField(source="get_state_display", read_only=True)
    deadlines = DeadlineSerializer(many=True, read_only=True)
    available_transitions = serializers.SerializerMethodField()
    accountability_case = serializers.IntegerField(
        source="accountability_case_id", read_only=True, allow_null=True
    )
    repeat_of = serializers.IntegerField(source="repeat_of_id", read_only=True, allow_null=True)
    repeat_counted_against = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True
    )
    has_attachment = serializers.SerializerMethodField()
    onsite_arrived_at = WallClockTimeField(read_only=True, allow_null=True)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Complaint
        fields = [
            "id",
            "tracking_code",
            "state",
            "state_name",
            "version",
            "channel",
            "is_petition",
            "category",
            "respondent_department",
            "content",
            "real_name",
            "received_on",
            "urgent",
            "urgent_marked_on",
            "onsite_response",
            "onsite_responders",
            "onsite_responded_on",
            "onsite_arrived_at",
            "transferred_to",
            "transferred_on",
            "organ_result",
            "organ_reported_on",
            "internal_notes",
            "outcome",
            "decision_text",
            "decided_on",
            "published_result",
            "feedback",
            "feedback_on",
            "closed_on",
            "repeat_of",
            "repeat_counted_against",
            "accountability_case",
            "has_attachment",
            "deadlines",
            "documents",
            "available_transitions",
        ]

    def get_available_transitions(self, complaint) -> list[str]:
        return services.available_transitions(self.context["request"].user, complaint)

    @extend_schema_field(DocumentSerializer(many=True))
    def get_documents(self, complaint) -> list:
        """The transfer and feedback letters this caller may see (``rules.visible_letters``:
        the feedback letter for the complaints office only, Xinxiang complaints art. 8)."""
        letters = rules.visible_letters(self.context["request"].user, complaint)
        return DocumentSerializer(letters, many=True, context=self.context).data

    def get_has_attachment(self, complaint) -> bool:
        return bool(complaint.attachment)

    def to_representation(self, complaint):
        """Redacted by the procedure's policy (``rules.disclosure``): the identity for the
        complaints office only, masked unless a reason was given; the office's internal
        working for the staff of the procedure."""
        data = super().to_representation(complaint)
        disclosure = rules.disclosure(self.context["request"].user)
        if disclosure.identity:
            identity = self.context.get("identity")
            if identity is not None:
                data.update(identity)
                data["identity_masked"] = False
            else:
                data.update(
                    {field: services.mask(getattr(complaint, field)) for field in IDENTITY_FIELDS}
                )
                data["identity_masked"] = True
        return disclosure.redact(data)


def complaint_queryset(user):
    as_of = timezone.localdate()
    deadlines = Deadline.objects.with_level(as_of).select_related("responsible_unit", "case")
    return (
        rules.visible_complaints(user)
        .select_related(
            "category",
            "respondent_department",
            "transferred_to",
            "outcome",
            "repeat_counted_against",
            "transfer_letter",
            "feedback_letter",
        )
        .prefetch_related(
            Prefetch("deadlines", queryset=deadlines),
            "deadlines__extensions",
            "transfer_letter__amendments",
            "feedback_letter__amendments",
        )
    )


def _context(request, **extra):
    as_of = timezone.localdate()
    return {
        "request": request,
        "as_of": as_of,
        "as_of_ordinal": working_day_ordinal(as_of),
        **extra,
    }


class ComplaintFilter(serializers.Serializer):
    state = serializers.ChoiceField(choices=State.choices, required=False)
    department = serializers.CharField(required=False, help_text="被投诉单位代码")
    organ = serializers.CharField(required=False, help_text="承办机关代码")
    category = serializers.CharField(required=False)


class ComplaintList(generics.GenericAPIView):
    serializer_class = ComplaintSerializer
    parser_classes = [StrictJSONParser, MultiPartParser, FormParser]

    def get_queryset(self):
        return complaint_queryset(self.request.user)

    @extend_schema(
        operation_id="complaints_list",
        summary="投诉列表（效能投诉中心可见投诉人信息的掩码）",
        parameters=[ComplaintFilter],
        responses={200: ComplaintSerializer(many=True), 400: ERRORS[400], 401: ERRORS[400]},
    )
    def get(self, request):
        filters = ComplaintFilter(data=request.query_params)
        filters.is_valid(raise_exception=True)
        queryset = self.get_queryset()
        mapping = {
            "state": "state",
            "department": "respondent_department__code",
            "organ": "transferred_to__code",
            "category": "category__code",
        }
        for key, lookup in mapping.items():
            if key in filters.validated_data:
                queryset = queryset.filter(**{lookup: filters.validated_data[key]})
        page = self.paginate_queryset(queryset.order_by("-received_on", "-id"))
        serializer = ComplaintSerializer(page, many=True, context=_context(request))
        # Each complaint's steps ask whether its deadlines may be extended: the rules are
        # read once for the page, not once per deadline.
        with extension_rules_read_once():
            data = serializer.data
        return self.get_paginated_response(data)

    @extend_schema(
        operation_id="complaints_register",
        summary="登记来信、来访、来电投诉（信访件）",
        request=StaffComplaint,
        responses={201: ComplaintSerializer, 400: ERRORS[400], 403: ERRORS[403]},
    )
    def post(self, request):
        complaint = services.register(
            request.user,
            _form_data(request),
            request.FILES.get("attachment"),
            ip=request.META.get("REMOTE_ADDR"),
        )
        complaint = complaint_queryset(request.user).get(pk=complaint.pk)
        return Response(
            ComplaintSerializer(complaint, context=_context(request)).data,
            status=status.HTTP_201_CREATED,
        )


REASON_PARAMETER = OpenApiParameter(
    "reason",
    OpenApiTypes.STR,
    description="查看投诉人身份的理由（仅效能投诉中心；给出时返回完整身份信息并记录查看）",
    required=False,
)


class ComplaintDetail(APIView):
    @extend_schema(
        operation_id="complaints_retrieve",
        summary="投诉详情",
        parameters=[REASON_PARAMETER],
        responses={200: ComplaintSerializer, 403: ERRORS[403], 404: ERRORS[404]},
    )
    def get(self, request, pk):
        complaint = get_object_or_404(complaint_queryset(request.user), pk=pk)
        extra = {}
        reason = request.query_params.get("reason")
        if reason is not None:
            if not rules.sees_identity(request.user):
                raise NotAllowed(_("投诉人身份信息仅效能投诉中心可以查看。"))
            extra["identity"] = services.view_identity(
                complaint,
                request.user,
                reason=reason,
                ip=request.META.get("REMOTE_ADDR"),
                channel="api",
            )
        response = Response(ComplaintSerializer(complaint, context=_context(request, **extra)).data)
        response["ETag"] = f'"{complaint.version}"'
        response["Cache-Control"] = "no-store"
        return response


class ComplaintTransition(APIView):
    @extend_schema(
        operation_id="complaints_transition",
        summary="投诉办理操作",
        parameters=[
            OpenApiParameter(
                "name", OpenApiTypes.STR, OpenApiParameter.PATH, enum=list(COMPLAINTS.steps)
            ),
            OpenApiParameter("If-Match", OpenApiTypes.STR, OpenApiParameter.HEADER, required=False),
        ],
        request=OpenApiTypes.OBJECT,
        responses={
            200: ComplaintSerializer,
            400: ERRORS[400],
            403: ERRORS[403],
            404: ERRORS[404],
            409: ERRORS[400],
            422: ERRORS[400],
        },
    )
    def post(self, request, pk, name):
        complaint = get_object_or_404(rules.visible_complaints(request.user), pk=pk)
        take_step(services.transition, COMPLAINTS, complaint, name, request)
        complaint = complaint_queryset(request.user).get(pk=pk)
        return Response(ComplaintSerializer(complaint, context=_context(request)).data)


HISTORY_ENTRIES = inline_serializer(
    "ComplaintHistoryEntry",
    {
        "at": serializers.DateTimeField(),
        "actor": serializers.CharField(
            allow_null=True, help_text="办理人用户名；承办机关只看到“效能投诉中心”"
        ),
        "action": serializers.CharField(),
        "from_state": serializers.CharField(allow_null=True),
        "to_state": serializers.CharField(),
        "changes": serializers.DictField(
            child=serializers.ListField(), help_text="字段 → [原值, 新值]"
        ),
        "reason": serializers.CharField(help_text="办理说明；承办机关看到空字符串"),
    },
    many=True,
)


class ComplaintHistory(APIView):
    """Every recorded change, oldest first. The history tables never hold the identity;
    the organ does not see the office's internal notes."""

    @extend_schema(
        operation_id="complaints_history",
        summary="投诉办理记录",
        responses={200: HISTORY_ENTRIES, 404: ERRORS[404]},
    )
    def get(self, request, pk):
        complaint = get_object_or_404(rules.visible_complaints(request.user), pk=pk)
        disclosure = rules.disclosure(request.user)
        hidden = set(NOISY_FIELDS) | set(disclosure.hidden_fields)
        records = list(
            complaint.history.select_related("history_user").order_by("history_date", "history_id")
        )
        entries, previous = [], None
        for record in records:
            changes = {}
            if previous is not None:
                delta = record.diff_against(previous, excluded_fields=list(hidden))
                changes = {c.field: [jsonable(c.old), jsonable(c.new)] for c in delta.changes}
            user = record.history_user
            entries.append(
                {
                    "at": timezone.localtime(record.history_date).isoformat(),
                    # Staff names are for staff; the organ sees the office as a unit.
                    "actor": (user.username if user else None)
                    if disclosure.internal
                    else (_("效能投诉中心") if user else None),
                    "action": record.action or "",
                    "from_state": record.from_state or None,
                    "to_state": record.state,
                    "changes": changes,
                    "reason": (record.history_change_reason or "") if disclosure.internal else "",
                }
            )
            previous = record
        return Response(entries)


class IdentityAccessSerializer(serializers.ModelSerializer):
    complaint = serializers.IntegerField(source="complaint_id", read_only=True)
    user = serializers.CharField(source="user.username", read_only=True)
    user_name = serializers.SerializerMethodField()
    at = serializers.SerializerMethodField()

    class Meta:
        model = IdentityAccess
        fields = [
            "complaint",
            "user",
            "user_name",
            "at",
            "reason",
            "ip_address",
            "channel",
            "kind",
        ]

    def get_user_name(self, access) -> str:
        return str(access.user)

    def get_at(self, access) -> str:
        return timezone.localtime(access.at).isoformat()


class IdentityAccessLog(generics.ListAPIView):
    """Who viewed which complainant's identity, when and why: for the office head."""

    serializer_class = IdentityAccessSerializer

    @extend_schema(
        operation_id="complaints_identity_log",
        summary="投诉人身份查看记录",
        parameters=[OpenApiParameter("complaint", OpenApiTypes.INT, description="投诉编号")],
        responses={200: IdentityAccessSerializer(many=True), 403: ERRORS[403]},
    )
    def get(self, request, *args, **kwargs):
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        if not rules.is_office_head(self.request.user):
            raise NotAllowed(_("只有效能投诉中心负责人可以查阅身份查看记录。"))
        queryset = IdentityAccess.objects.select_related("user").order_by("-at", "-id")
        complaint = self.request.query_params.get("complaint")
        if complaint:
            if not (complaint.isascii() and complaint.isdigit()):
                raise InvalidInput(_("投诉编号有误。"), {"complaint": [_("须为数字。")]})
            queryset = queryset.filter(complaint_id=int(complaint))
        return queryset
