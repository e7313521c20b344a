"""The bodies of the acts on extensions. The extension service validates them itself, after
it has checked who may act (someone who may not act learns nothing from a validation
error); the API describes them in its schema with the same classes."""

from django.utils.translation import gettext_lazy
from rest_framework import serializers

from casework.kernel.payloads import DueDate, Payload


class AskForExtension(Payload):
    """Xinxiang complaints art. 6: asked for in writing, with reasons."""

    reason = serializers.CharField(
        label=gettext_lazy("延期理由"),
        help_text=gettext_lazy("延期理由"),
        error_messages={
            "required": gettext_lazy("请说明延期理由。"),
            "blank": gettext_lazy("请说明延期理由。"),
            "null": gettext_lazy("请说明延期理由。"),
        },
    )
    new_due = DueDate(
        label=gettext_lazy("申请延至"), help_text=gettext_lazy("申请延至（YYYY-MM-DD）")
    )


class DecideOnExtension(Payload):
    """The approver's decision: ``approve`` must be stated — an empty body decides nothing."""

    approve = serializers.BooleanField(
        label=gettext_lazy("审批结果"), help_text=gettext_lazy("true 批准；false 不予批准")
    )
    reason = serializers.CharField(
        label=gettext_lazy("审批意见"),
        help_text=gettext_lazy("审批意见"),
        required=False,
        allow_blank=True,
        default="",
    )
