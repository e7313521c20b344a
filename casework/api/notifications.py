"""The caller's own notices (the bell) over HTTP.

GET  /api/v1/notifications?unread=                            own only, newest first
POST /api/v1/notifications/<id>/read
POST /api/v1/notifications/read-all
"""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.pagination import PageNumberPagination
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.deadlines import notifications
from casework.deadlines.models import Notification

from .common import ERRORS, filter_parameters


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


class NotificationQuery(serializers.Serializer):
    unread = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text=gettext_lazy("只看未读")
    )


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
