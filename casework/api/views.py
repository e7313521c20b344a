"""API base: health and token login."""

from django.contrib.auth import authenticate
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import exceptions, serializers
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.operations import health

HEALTH = inline_serializer(
    "Health",
    {
        "status": serializers.ChoiceField(choices=["ok", "unavailable"]),
        "database": serializers.CharField(),
        "time": serializers.DateTimeField(),
        "ready": serializers.BooleanField(),
        "checks": serializers.DictField(),
    },
)


class HealthView(APIView):
    """Readiness for load balancers and monitoring: the database answers and the task queue
    takes work (``casework.operations.health``); 503 when not, so that the node is taken
    out of rotation."""

    permission_classes = [AllowAny]
    authentication_classes = []

    @extend_schema(responses={200: HEALTH, 503: HEALTH})
    def get(self, request):
        ready, checks = health.readiness()
        return Response(
            {
                "status": "ok" if ready else "unavailable",
                "database": connection.vendor,
                "time": timezone.localtime().isoformat(),
                "ready": ready,
                "checks": checks,
            },
            status=200 if ready else 503,
        )


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("用户名"), max_length=150)
    password = serializers.CharField(label=_("密码"), max_length=128, trim_whitespace=False)


class TokenView(APIView):
    """POST {"username","password"} → {"token"}."""

    authentication_classes = []
    permission_classes = [AllowAny]

    def get_authenticate_header(self, request):
        # Bad credentials are 401 (docs/api.md), which needs a WWW-Authenticate challenge.
        return "Token"

    @extend_schema(
        request=TokenRequestSerializer,
        responses=inline_serializer("Token", {"token": serializers.CharField()}),
    )
    def post(self, request, *args, **kwargs):
        serializer = TokenRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = authenticate(
            request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("用户名或密码不正确。"))
        token, _created = Token.objects.get_or_create(user=user)
        return Response({"token": token.key})
