"""How a client system proves who it is, and how often it may call.

``Authorization: Bearer cw_<prefix>_<secret>`` — the key an administrator issued to the
system (``ClientSystem.issue_key``). Only the interface's endpoints accept it, and they accept
nothing else: a person's token opens no door of the interface, a system's key none of the
rest of the API. A client system is not a person: ``request.user`` stays anonymous (nothing
it does is recorded as a person's act) and ``request.auth`` is the ``ClientSystem``.
"""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.permissions import BasePermission
from rest_framework.throttling import SimpleRateThrottle

from .models import ClientSystem

KEYWORD = b"bearer"


class ClientKeyAuthentication(BaseAuthentication):
    def authenticate(self, request):
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD:
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("接入系统密钥格式有误。"))
        try:
            parts = ClientSystem.split_key(header[1].decode())
        except UnicodeError:
            parts = None
        client = None
        if parts is not None:
            client = ClientSystem.objects.filter(key_prefix=parts[0], active=True).first()
        if client is None or not client.key_matches(parts[1]):
            raise exceptions.AuthenticationFailed(_("接入系统密钥无效或已停用。"))
        return AnonymousUser(), client

    def authenticate_header(self, request):
        return 'Bearer realm="casework-interface"'


def client_of(request) -> ClientSystem | None:
    """The client system of an authenticated request (never authenticates again)."""
    auth = getattr(request, "_auth", None)
    return auth if isinstance(auth, ClientSystem) else None


class HasScope(BasePermission):
    """The view's ``required_scopes``: any one of them."""

    message = gettext_lazy("该接入系统没有此项权限。")

    def has_permission(self, request, view):
        client = client_of(request)
        if client is None:
            return False
        return any(client.has_scope(scope) for scope in view.required_scopes)


class ClientRateThrottle(SimpleRateThrottle):
    """Calls per client system: its own ``rate``, else ``INTERFACE_CLIENT_RATE``; counted in
    the default cache (shared by all servers when ``REDIS_URL`` is set)."""

    scope = "interface_client"

    def get_rate(self):
        return settings.INTERFACE_CLIENT_RATE

    def allow_request(self, request, view):
        client = client_of(request)
        if client is None:
            return True
        self.rate = client.rate or settings.INTERFACE_CLIENT_RATE
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": client_of(request).pk}
