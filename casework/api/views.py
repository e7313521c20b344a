"""API base: health, token login and revocation (expiry: casework/api/authentication.py;
login throttling: casework/api/lockout.py)."""

from django.contrib.auth import authenticate, user_logged_in
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from casework.kernel.payloads import Payload
from casework.operations import health

from .authentication import issue_token

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


class TokenRequestSerializer(Payload):
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
        # Django's request: django-axes marks it when the attempt locks the user name and
        # address out, and its middleware answers 429 (casework/api/lockout.py).
        user = authenticate(
            request._request,
            username=serializer.validated_data["username"],
            password=serializer.validated_data["password"],
        )
        if user is None or not user.is_active:
            raise exceptions.AuthenticationFailed(_("用户名或密码不正确。"))
        # A login like the pages' (no session, though): the last login is recorded, and
        # django-axes logs it and starts the count of failures again.
        user_logged_in.send(sender=user.__class__, request=request._request, user=user)
        return Response({"token": issue_token(user).key})


class TokenRevokeView(APIView):
    """The caller's token stops working at once (signing out of the API)."""

    @extend_schema(
        operation_id="auth_token_revoke",
        summary="吊销令牌（退出接口登录）",
        request=None,
        responses={204: OpenApiResponse(description="已吊销")},
    )
    def post(self, request):
        Token.objects.filter(user=request.user).delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
