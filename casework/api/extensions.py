"""Extensions of deadlines over HTTP (Xinxiang complaints art. 5–6).

    GET  /api/v1/deadlines/<id>/extensions                        the requests and decisions
    POST /api/v1/deadlines/<id>/extensions {"reason","new_due"}   → 201 extension
    POST /api/v1/deadlines/<id>/extensions/<ext>/decide {"approve","reason"?}  → 200

The views look up what the caller may see (404 otherwise) and hand the body, unread, to
``casework.deadlines.extensions``, which checks who may act before it validates the body,
then the state and the legal rules; its refusals become 400/403/409/422 in errors.py.
"""

from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import extensions
from casework.deadlines.models import Extension
from casework.deadlines.payloads import AskForExtension, DecideOnExtension

from .common import ERRORS, REFUSALS
from .deadlines import deadline_or_404
from .serializers import DeadlineSerializer, ExtensionSerializer, deadline_context


class DeadlineExtensionSerializer(ExtensionSerializer):
    """An extension with its deadline as it now stands (new due date beside the original)."""

    deadline = DeadlineSerializer(read_only=True)

    class Meta(ExtensionSerializer.Meta):
        fields = [*ExtensionSerializer.Meta.fields, "deadline"]


def _extension_response(request, extension, status_code=status.HTTP_200_OK):
    extension = Extension.objects.select_related(
        "requested_by", "decided_by", "deadline__responsible_unit", "deadline__case"
    ).get(pk=extension.pk)
    context = {"request": request, **deadline_context(timezone.localdate())}
    return Response(DeadlineExtensionSerializer(extension, context=context).data, status_code)


class DeadlineExtensions(APIView):
    """The person responsible asks, on or before the due day and with reasons, for more
    time; the total is capped per kind of deadline (the extension rules)."""

    @extend_schema(
        operation_id="deadline_extensions_list",
        summary="延期申请及审批情况",
        responses={200: ExtensionSerializer(many=True), 404: ERRORS[404]},
    )
    def get(self, request, pk):
        deadline = deadline_or_404(request, pk)
        listed = deadline.extensions.select_related("requested_by", "decided_by")
        return Response(ExtensionSerializer(listed, many=True).data)

    @extend_schema(
        operation_id="deadline_extensions_create",
        summary="申请延期",
        request=AskForExtension,
        responses={201: DeadlineExtensionSerializer, **REFUSALS},
    )
    def post(self, request, pk):
        deadline = deadline_or_404(request, pk)
        extension = extensions.ask(
            deadline, request.user, request.data, ip=request.META.get("REMOTE_ADDR")
        )
        response = _extension_response(request, extension, status.HTTP_201_CREATED)
        response["Location"] = f"/api/v1/deadlines/{deadline.pk}/extensions"
        return response


class DeadlineExtensionDecision(APIView):
    """The approver the extension rule names grants or refuses; a granted extension moves
    the due date and keeps the original beside it."""

    @extend_schema(
        operation_id="deadline_extensions_decide",
        summary="审批延期申请",
        request=DecideOnExtension,
        responses={200: DeadlineExtensionSerializer, **REFUSALS},
    )
    def post(self, request, pk, ext):
        deadline = deadline_or_404(request, pk)
        extension = get_object_or_404(Extension.objects.filter(deadline=deadline), pk=ext)
        extension.deadline = deadline
        extension = extensions.decide(
            extension, request.user, request.data, ip=request.META.get("REMOTE_ADDR")
        )
        return _extension_response(request, extension)
