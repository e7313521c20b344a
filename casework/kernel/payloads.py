"""What every step's body may carry: ``on``, the day the act took place (default today), so
that a paper file can be entered after the fact."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class ActPayload(serializers.Serializer):
    on = serializers.DateField(label=_("办理日期"), required=False)


class Empty(ActPayload):
    """A step that needs nothing but its day."""
