"""The bodies of the supervision's registration and steps."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import ActPayload, DueDate

from .models import Source, Urging


class Register(ActPayload):
    """The supervision office's proposal (拟办) of a matter with its assignment card
    (Handan supervision art. 4 (1))."""

    title = serializers.CharField(label=_("督办事项"), max_length=255)
    source = serializers.ChoiceField(label=_("来源"), choices=Source.choices)
    source_reference = serializers.CharField(
        label=_("来源文号或出处"), max_length=255, required=False, default="", allow_blank=True
    )
    instruction = serializers.CharField(
        label=_("批示或交办内容"), max_length=20000, required=False, default="", allow_blank=True
    )
    agreed_matter = serializers.IntegerField(
        label=_("常务会议议定事项"),
        min_value=1,
        max_value=2**31 - 1,
        required=False,
        allow_null=True,
    )
    major = serializers.BooleanField(label=_("重大督查事项"), required=False, default=False)
    lead_unit = serializers.CharField(label=_("牵头承办单位"), max_length=32)
    co_units = serializers.ListField(
        label=_("协办单位"),
        child=serializers.CharField(max_length=32),
        required=False,
        default=list,
        max_length=20,
    )
    due = DueDate(label=_("办结时间"))
    requirements = serializers.CharField(label=_("办理要求"), max_length=20000)
    proposal = serializers.CharField(label=_("拟办意见"), max_length=5000)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["source"] == Source.MEETING_DECISION and not attrs.get("agreed_matter"):
            message = _("常务会议议定事项立项，须选择议定事项。")
            raise serializers.ValidationError({"agreed_matter": [message]})
        if attrs["source"] != Source.MEETING_DECISION and attrs.get("agreed_matter"):
            message = _("只有常务会议议定事项才能关联议定事项。")
            raise serializers.ValidationError({"agreed_matter": [message]})
        if not attrs.get("agreed_matter") and not attrs["instruction"].strip():
            message = _("须填写批示或交办内容。")
            raise serializers.ValidationError({"instruction": [message]})
        if attrs["lead_unit"] in attrs["co_units"]:
            message = _("牵头承办单位不能同时是协办单位。")
            raise serializers.ValidationError({"co_units": [message]})
        if len(set(attrs["co_units"])) != len(attrs["co_units"]):
            message = _("协办单位重复。")
            raise serializers.ValidationError({"co_units": [message]})
        return attrs


class Approve(ActPayload):
    opinion = serializers.CharField(
        label=_("审定意见"), max_length=5000, required=False, default="", allow_blank=True
    )


class Decline(ActPayload):
    reason = serializers.CharField(label=_("不予立项理由"), max_length=5000)


class DraftFeedback(ActPayload):
    feedback = serializers.CharField(label=_("反馈材料"), max_length=50000)


class Countersign(ActPayload):
    opinion = serializers.CharField(
        label=_("会签意见"), max_length=5000, required=False, default="", allow_blank=True
    )


class ReturnDraft(ActPayload):
    reason = serializers.CharField(label=_("退回理由"), max_length=5000)


class SignOff(ActPayload):
    late_reason = serializers.CharField(
        label=_("未按时办结原因"),
        max_length=5000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("办结时间届满后反馈的，须说明原因。"),
    )


class Archive(ActPayload):
    report = serializers.CharField(label=_("督查报告"), max_length=50000)


class Urge(ActPayload):
    method = serializers.ChoiceField(label=_("督办方式"), choices=Urging.Method.choices)
    contact = serializers.CharField(
        label=_("联系对象"), max_length=255, required=False, default="", allow_blank=True
    )
    findings = serializers.CharField(label=_("督办情况"), max_length=20000)
    major_problem = serializers.BooleanField(label=_("发现重大问题"), required=False, default=False)
    letter = serializers.CharField(
        label=_("督办函正文"),
        max_length=20000,
        required=False,
        default="",
        allow_blank=True,
        help_text=_("督办方式为督办函的，须填写督办函正文。"),
    )

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["method"] == Urging.Method.LETTER and not attrs["letter"].strip():
            raise serializers.ValidationError({"letter": [_("督办函须填写正文。")]})
        if attrs["method"] != Urging.Method.LETTER and attrs["letter"].strip():
            raise serializers.ValidationError({"letter": [_("只有督办函方式才填写督办函正文。")]})
        return attrs


class InstructOnProblem(ActPayload):
    urging = serializers.IntegerField(label=_("督办记录"), min_value=1, max_value=2**31 - 1)
    text = serializers.CharField(label=_("批示内容"), max_length=20000)


class Criticise(ActPayload):
    unit = serializers.CharField(label=_("被通报单位"), max_length=32)
    reason = serializers.CharField(label=_("通报理由"), max_length=5000)


class RequestExtension(ActPayload):
    reason = serializers.CharField(label=_("延期理由"), max_length=5000)
    new_due = DueDate(label=_("申请延至"))


class DecideExtension(ActPayload):
    approve = serializers.BooleanField(label=_("批准"))
    reason = serializers.CharField(
        label=_("审批意见"), max_length=5000, required=False, default="", allow_blank=True
    )
