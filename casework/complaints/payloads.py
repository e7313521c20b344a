"""The bodies of the complaint procedure's steps, validated the same way for the API and the
screens, and of a complaint filed on the portal or registered by staff."""

import re

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import ActPayload, DayOfAct, DueDate, Payload

from .models import Channel

# Mainland mobile numbers, or a landline with area code (e.g. 0817-2222333).
PHONE_RE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})$")


class PublicComplaint(Payload):
    """What a citizen submits on the portal, without an account."""

    category = serializers.CharField(label=_("投诉类别"), max_length=32)
    respondent_department = serializers.CharField(label=_("被投诉单位"), max_length=32)
    content = serializers.CharField(
        label=_("投诉内容"), max_length=settings.COMPLAINT_CONTENT_MAX_CHARS, min_length=10
    )
    real_name = serializers.BooleanField(label=_("实名投诉"))
    name = serializers.CharField(label=_("姓名"), max_length=64, required=False, allow_blank=True)
    phone = serializers.CharField(label=_("电话"), max_length=32, required=False, allow_blank=True)
    email = serializers.EmailField(label=_("电子邮箱"), required=False, allow_blank=True)

    def validate_phone(self, value):
        value = value.strip().replace(" ", "")
        if value and not PHONE_RE.match(value):
            raise serializers.ValidationError(
                _("请填写正确的电话号码：11位手机号码，或带区号的固定电话。")
            )
        return value

    def validate(self, attrs):
        name = attrs.get("name", "").strip()
        phone = attrs.get("phone", "")
        email = attrs.get("email", "")
        if attrs["real_name"]:
            errors = {}
            if not name:
                errors["name"] = [_("实名投诉请填写姓名。")]
            if not phone and not email:
                errors["phone"] = [_("实名投诉请至少留下电话或电子邮箱，以便反馈处理结果。")]
            if errors:
                raise serializers.ValidationError(errors)
        elif name or phone or email:
            raise serializers.ValidationError(
                {"real_name": [_("匿名投诉请勿填写姓名和联系方式；如需反馈结果，请选择实名投诉。")]}
            )
        attrs["name"] = name
        return attrs


class StaffComplaint(PublicComplaint):
    """A complaint that came by letter, visit or phone, registered by staff
    (Xinxiang complaints art. 2)."""

    channel = serializers.ChoiceField(
        label=_("投诉渠道"), choices=[c for c in Channel.choices if c[0] != Channel.PORTAL]
    )
    on = DayOfAct(label=_("收到日期"), required=False)


class RejectOutOfScope(ActPayload):
    competent_department = serializers.CharField(label=_("有管辖权的部门"), max_length=255)
    notice = serializers.CharField(label=_("告知投诉人"), max_length=5000)


class Transfer(ActPayload):
    organ = serializers.CharField(label=_("承办机关"), max_length=32)
    due = DueDate(label=_("报送办理结果期限"), required=False)


class OrganReport(ActPayload):
    report = serializers.CharField(label=_("办理结果"), max_length=20000)


class RequestExtension(ActPayload):
    reason = serializers.CharField(label=_("延期理由"), max_length=5000)
    new_due = DueDate(label=_("申请延至"))
    kind = serializers.ChoiceField(
        label=_("期限"),
        choices=[("organ_report", _("承办机关报告")), ("complaint_handling", _("投诉办理"))],
        required=False,
        help_text=_("不填：承办机关为其报送期限，效能投诉中心为投诉办理期限"),
    )


class ApproveExtension(ActPayload):
    approve = serializers.BooleanField(label=_("批准"))
    reason = serializers.CharField(label=_("审批意见"), max_length=5000, required=False, default="")


class Decide(ActPayload):
    outcome = serializers.CharField(label=_("处理结果"), max_length=32)
    text = serializers.CharField(label=_("处理意见"), max_length=20000)
    published_result = serializers.CharField(
        label=_("公开的处理结果（不含投诉人信息）"),
        max_length=5000,
        required=False,
        allow_blank=True,
    )
    official = serializers.IntegerField(label=_("被追究责任的部门行政首长"), required=False)


class GiveFeedback(ActPayload):
    text = serializers.CharField(label=_("反馈内容"), max_length=5000)


class MarkUrgent(ActPayload):
    reason = serializers.CharField(label=_("紧急理由"), max_length=2000)


class OnsiteResponse(ActPayload):
    """Xinxiang complaints art. 5: who went on site (the office's people, or the unit it
    ordered to send someone), when, and what was done; the day is ``on``."""

    responders = serializers.CharField(
        label=_("到场人员"),
        max_length=255,
        help_text=_("派出的人员，或责成派人到场的单位及其人员"),
    )
    arrived_at = serializers.TimeField(
        label=_("到场时间"),
        format="%H:%M",
        input_formats=["%H:%M"],
        required=False,
        help_text=_("HH:MM，北京时间"),
    )
    text = serializers.CharField(label=_("现场处置情况"), max_length=5000)


class LinkRepeat(ActPayload):
    earlier = serializers.IntegerField(label=_("原投诉编号"))


class AddNote(ActPayload):
    text = serializers.CharField(label=_("核实意见"), max_length=20000)
