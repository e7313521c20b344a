"""``/metrics`` for Prometheus, to the addresses of ``METRICS_ALLOWED_IPS`` only."""

from django.conf import settings
from django.http import Http404
from django_prometheus.exports import ExportToDjangoView


def metrics(request):
    if request.META.get("REMOTE_ADDR") not in settings.METRICS_ALLOWED_IPS:
        raise Http404
    return ExportToDjangoView(request)
