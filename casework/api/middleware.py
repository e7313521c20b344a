"""What is refused before any view runs.

``RefuseNulMiddleware``: a NUL character in the address, a query parameter (``%00``) or a
cookie (``"\000"`` in a quoted value) is a 400 naming it, on every page and endpoint.
PostgreSQL refuses NUL in text, so such a value would otherwise fail inside a query as a server
error (``/api/v1/public/complaints/%00``; a session cookie is looked up in the database).
Bodies are checked by their parsers: JSON by ``casework.api.parsers``, forms by the fields'
own validators."""

import ipaddress

from django.conf import settings
from django.http import HttpResponseBadRequest, JsonResponse

from .errors import error_body
from .parsers import NUL, nul_message


def _nul_fields(request) -> dict:
    fields = {}
    if NUL in request.path_info:
        fields["path"] = [nul_message()]
    for key, values in request.GET.lists():
        if NUL in key or any(NUL in value for value in values):
            fields[key.replace(NUL, "")] = [nul_message()]
    for key, value in request.COOKIES.items():
        if NUL in key or NUL in value:
            fields[f"cookie:{key.replace(NUL, '')}"] = [nul_message()]
    return fields


def client_address(request) -> str:
    """The address a request comes from, as the per-address limits count it (the portal's,
    django-ratelimit; the login's, django-axes). Behind a reverse proxy every request comes
    from the proxy: the proxy's header named by ``CLIENT_IP_HEADER`` (e.g. ``X-Real-IP``) gives
    the client, and is read only when configured, so a client cannot choose its address by
    sending it. Without one (a direct connection) the peer's address counts."""
    meta = request.META
    header = settings.CLIENT_IP_HEADER
    candidates = []
    if header:
        value = meta.get("HTTP_" + header.upper().replace("-", "_"), "")
        candidates.append(value.split(",")[0].strip())
    candidates.append(meta.get("REMOTE_ADDR", ""))
    for candidate in candidates:
        try:
            return str(ipaddress.ip_address(candidate))
        except ValueError:
            continue
    return "0.0.0.0"  # no usable address (a Unix socket without the proxy's header)


class RefuseNulMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        fields = _nul_fields(request)
        if fields:
            if request.path_info.startswith("/api/"):
                return JsonResponse(
                    error_body(400, nul_message(), fields),
                    status=400,
                    json_dumps_params={"ensure_ascii": False},
                )
            return HttpResponseBadRequest(nul_message(), content_type="text/plain; charset=utf-8")
        return self.get_response(request)
