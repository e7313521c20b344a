"""The bodies of the meeting's acts, validated the same way for the API and the pages. Every
body may carry ``on``: the day the act took place (default today, never in the future)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import ActPayload, DueDate, Payload

from .models import Attendee

# Xi'an meeting rules, section 4 (1): the meeting is organised by the general office.
DEFAULT_PLACE = _("市政府常务会议室")


class PlanMeeting(ActPayload):
    date = DueDate(label=_("会议日期"))
    place = serializers.CharField(label=_("会议地点"), max_length=255, required=False)


class AttendeeEntry(Payload):
    name = serializers.CharField(label=_("姓名"), max_length=64)
    capacity = serializers.ChoiceField(label=_("身份"), choices=Attendee.Capacity.choices)
    present = serializers.BooleanField(label=_("出席"), required=False, default=True)
    absence_reason = serializers.CharField(
        label=_("请假原因"), max_length=255, required=False, allow_blank=True
    )

    def validate(self, attrs):
        if not attrs.get("present", True) and not attrs.get("absence_reason"):
            # Xi'an meeting rules, section 6 (1): leave is asked with its reason.
            raise serializers.ValidationError({"absence_reason": [_("请假须说明原因。")]})
        return attrs


class HoldMeeting(ActPayload):
    chair = serializers.IntegerField(label=_("主持人"), min_value=1, required=False)
    attendance = AttendeeEntry(label=_("出席情况"), many=True, max_length=200)


class Postpone(ActPayload):
    new_date = DueDate(label=_("延期后的会议日期"))
    place = serializers.CharField(label=_("会议地点"), max_length=255, required=False)
    reason = serializers.CharField(label=_("延期原因"), max_length=20000)


class Statement(ActPayload):
    text = serializers.CharField(label=_("书面陈述和申辩"), max_length=50000)


class Minutes(ActPayload):
    """The minutes of one item (Nanchong art. 11: the statement and defence of the person
    concerned; Xi'an meeting rules, section 5: the discussion and the matters agreed)."""

    minutes = serializers.CharField(label=_("讨论情况"), max_length=100000)
    statement = serializers.CharField(
        label=_("会上陈述"), max_length=50000, required=False, allow_blank=True
    )
    defence = serializers.CharField(
        label=_("会上申辩"), max_length=50000, required=False, allow_blank=True
    )
    decisions = serializers.ListField(
        label=_("议定事项"),
        child=serializers.CharField(max_length=5000),
        required=False,
        max_length=50,
    )


class MinutesEntry(Minutes):
    """The minutes entered from the meeting: which item."""

    item = serializers.IntegerField(label=_("议题"), min_value=1)


class Empty(ActPayload):
    """An act that needs nothing but its day."""
