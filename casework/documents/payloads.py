"""The body of a correction appended to an issued document (the page and the API alike)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import Payload


class AmendmentPayload(Payload):
    text = serializers.CharField(label=_("补正内容"), max_length=20000)
    reason = serializers.CharField(label=_("补正理由"), max_length=5000)
    basis = serializers.CharField(label=_("依据"), max_length=255, required=False, allow_blank=True)
