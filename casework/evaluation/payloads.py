"""The bodies of the evaluation's steps."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import ActPayload, Payload

from .models import Satisfaction


class Lodge(ActPayload):
    """A department's objection to one line of a published month (Hubei art. 13)."""

    line = serializers.IntegerField(label=_("测评明细编号"), min_value=1)
    reason = serializers.CharField(label=_("异议理由"), max_length=4000)


class Decide(ActPayload):
    """The bureau's decision on an objection; an upheld one gives the corrected points
    (Hubei art. 15)."""

    objection = serializers.IntegerField(label=_("异议编号"), min_value=1)
    upheld = serializers.BooleanField(label=_("异议成立"))
    amount = serializers.DecimalField(
        label=_("更正后得分"),
        max_digits=8,
        decimal_places=2,
        required=False,
        allow_null=True,
    )
    reason = serializers.CharField(label=_("处理意见"), max_length=4000)

    def validate(self, attrs):
        attrs = super().validate(attrs)
        if attrs["upheld"] and attrs.get("amount") is None:
            raise serializers.ValidationError({"amount": [_("异议成立的，须填写更正后得分。")]})
        if not attrs["upheld"] and attrs.get("amount") is not None:
            raise serializers.ValidationError({"amount": [_("异议不成立的，不更正得分。")]})
        return attrs


class RatingPayload(Payload):
    """A complainant's rating of the handling (满意/基本满意/不满意)."""

    rating = serializers.ChoiceField(label=_("评价"), choices=Satisfaction.choices)


class ScoringItemPayload(Payload):
    """What the bureau may change in an item of the scheme (its basis and method stay: a new
    basis is a new item)."""

    name = serializers.CharField(label=_("名称"), max_length=64, required=False)
    points = serializers.DecimalField(
        label=_("分值"), max_digits=7, decimal_places=2, min_value=0, required=False
    )
    cap = serializers.DecimalField(
        label=_("上限"),
        max_digits=7,
        decimal_places=2,
        min_value=0,
        required=False,
        allow_null=True,
    )
    weight = serializers.DecimalField(
        label=_("权重"), max_digits=5, decimal_places=2, min_value=0, required=False
    )
    active = serializers.BooleanField(label=_("有效"), required=False)
