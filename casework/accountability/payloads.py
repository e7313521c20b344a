"""The body of each step of the accountability procedure, validated the same way for the API
and the task screens. Every body may carry ``on``: the day the act took place."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.kernel.payloads import ActPayload, DayOfAct, DueDate

from .models import Mode


class OrderReport(ActPayload):
    due = DueDate(label=_("汇报期限"), required=False)


class ReportHeard(ActPayload):
    notes = serializers.CharField(label=_("汇报情况"), max_length=20000)


class Reason(ActPayload):
    reason = serializers.CharField(label=_("理由"), max_length=20000)


class AssignInvestigation(ActPayload):
    due = DueDate(label=_("调查期限"), required=False)
    working_days = serializers.IntegerField(
        label=_("调查期限（工作日）"), min_value=1, max_value=250, required=False
    )

    def validate(self, attrs):
        if ("due" in attrs) == ("working_days" in attrs):
            raise serializers.ValidationError(
                {"due": [_("请指定调查期限：届满日期或工作日数，二者择一。")]}
            )
        return attrs


class NotifyFindings(ActPayload):
    findings = serializers.CharField(label=_("调查结果"), max_length=50000)
    served_on = DayOfAct(label=_("送达日期"))


class FileObjection(ActPayload):
    text = serializers.CharField(label=_("异议内容"), max_length=50000)
    # Posted on paper: the postmark counts (time in the post is not counted) [rule].
    filed_on = DayOfAct(label=_("提出日期（邮戳日期）"), required=False)


def _modes_field(required=True):
    return serializers.ListField(
        label=_("问责方式"),
        child=serializers.CharField(max_length=4),
        allow_empty=not required,
        required=required,
        max_length=7,
    )


def _check_modes(codes):
    known = set(Mode.objects.filter(active=True).values_list("code", flat=True))
    unknown = [code for code in codes if code not in known]
    if unknown:
        raise serializers.ValidationError(
            _("未知的问责方式：%(codes)s（第十三条仅规定 1–7）") % {"codes": "、".join(unknown)}
        )
    if len(set(codes)) != len(codes):
        raise serializers.ValidationError(_("问责方式重复。"))
    return codes


class SubmitReport(ActPayload):
    report = serializers.CharField(label=_("调查报告"), max_length=100000)
    recommendation = serializers.ChoiceField(
        label=_("问责建议"),
        choices=[("accountable", _("问责")), ("not_accountable", _("不予问责"))],
    )
    modes = _modes_field(required=False)

    def validate_modes(self, value):
        return _check_modes(value)


class Schedule(ActPayload):
    # Nanchong art. 11: a meeting chosen from those planned, or the meeting of a date.
    meeting = serializers.IntegerField(label=_("常务会议"), min_value=1, required=False)
    meeting_date = DueDate(label=_("会议日期"), required=False)
    place = serializers.CharField(label=_("会议地点"), max_length=255, required=False)

    def validate(self, attrs):
        if "meeting" not in attrs and "meeting_date" not in attrs:
            raise serializers.ValidationError(
                {"meeting_date": [_("请选择常务会议（meeting）或填写会议日期（meeting_date）。")]}
            )
        return attrs


class Deliberate(ActPayload):
    minutes = serializers.CharField(label=_("会议纪要"), max_length=100000)
    statement = serializers.CharField(
        label=_("陈述和申辩"), max_length=50000, required=False, allow_blank=True
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


class Decide(ActPayload):
    modes = _modes_field()
    reason = serializers.CharField(label=_("理由"), max_length=50000)

    def validate_modes(self, value):
        return _check_modes(value)


class SendProposal(ActPayload):
    organ = serializers.CharField(label=_("主送机关"), max_length=255)
    text = serializers.CharField(label=_("建议内容"), max_length=50000)


class Serve(ActPayload):
    received_on = DayOfAct(label=_("收到日期"), required=False)
    method = serializers.ChoiceField(
        label=_("送达方式"),
        choices=[
            ("in_person", _("直接送达（送达回证）")),
            ("post", _("邮寄送达")),
            ("electronic", _("电子送达")),
        ],
    )

    def validate(self, attrs):
        # Served electronically, the decision is received the day the official first opens
        # it in casework: that day is recorded, never typed.
        if attrs["method"] == "electronic" and "received_on" in attrs:
            raise serializers.ValidationError(
                {"received_on": [_("电子送达以被问责人首次在系统中查阅之日为收到日期，不填写。")]}
            )
        if attrs["method"] != "electronic" and "received_on" not in attrs:
            raise serializers.ValidationError({"received_on": [_("请填写收到日期。")]})
        return attrs


class RequestReview(ActPayload):
    grounds = serializers.CharField(label=_("申请理由"), max_length=50000)
    filed_on = DayOfAct(label=_("提出日期（邮戳日期）"), required=False)
    late_ok = serializers.BooleanField(label=_("准予逾期申请"), required=False, default=False)
    late_reason = serializers.CharField(
        label=_("准予逾期的正当理由"), max_length=20000, required=False, allow_blank=True
    )


class AcceptReview(ActPayload):
    suspend = serializers.BooleanField(label=_("中止执行"), required=False, default=False)


class SubmitReviewReport(ActPayload):
    report = serializers.CharField(label=_("复核报告"), max_length=100000)


class ReviewDecide(ActPayload):
    outcome = serializers.ChoiceField(
        label=_("复核结论"),
        choices=[("uphold", _("维持")), ("modify", _("变更")), ("revoke", _("撤销"))],
    )
    modes = _modes_field(required=False)
    reason = serializers.CharField(label=_("理由"), max_length=50000)

    def validate_modes(self, value):
        return _check_modes(value)

    def validate(self, attrs):
        if attrs["outcome"] == "modify" and not attrs.get("modes"):
            raise serializers.ValidationError({"modes": [_("变更问责方式时须指定新的问责方式。")]})
        return attrs


class RecordExecution(ActPayload):
    kind = serializers.ChoiceField(
        label=_("执行事项"), choices=[("rectification", _("限期整改")), ("filing", _("备案"))]
    )
    note = serializers.CharField(label=_("执行情况"), max_length=20000)


class RecordReferral(ActPayload):
    kind = serializers.ChoiceField(
        label=_("类别"),
        choices=[("disciplinary", _("移送行政处分")), ("judicial", _("移送司法机关"))],
    )
    organ = serializers.CharField(label=_("接收机关"), max_length=255)
    note = serializers.CharField(
        label=_("说明"), max_length=20000, required=False, allow_blank=True
    )


class RecordPriorSanction(ActPayload):
    sanction = serializers.CharField(label=_("处分"), max_length=64)
    imposed_by = serializers.CharField(label=_("作出机关"), max_length=255)
    imposed_on = DayOfAct(label=_("处分日期"))


class OpenLinkedCase(ActPayload):
    # Nanchong art. 20: the official of the department held to account by reference (a case
    # of its own, decided by the head); without one, the record names the person.
    official = serializers.IntegerField(label=_("被问责人（本部门工作人员）"), required=False)
    person_name = serializers.CharField(label=_("姓名"), max_length=64, required=False)
    post = serializers.CharField(label=_("职务"), max_length=64, required=False)
    summary = serializers.CharField(label=_("情况"), max_length=20000)

    def validate(self, attrs):
        if "official" not in attrs and not (attrs.get("person_name") and attrs.get("post")):
            raise serializers.ValidationError(
                {"official": [_("请选择被问责人，或填写姓名和职务。")]}
            )
        return attrs


class RegisterCase(ActPayload):
    official = serializers.IntegerField(label=_("被问责人"))
    grounds = serializers.ListField(
        label=_("问责情形"), child=serializers.CharField(max_length=8), min_length=1, max_length=20
    )
    source = serializers.CharField(label=_("来源"), max_length=32)
    summary = serializers.CharField(label=_("案由摘要"), max_length=50000)
    proposal_original_location = serializers.CharField(
        label=_("原件存放处"), max_length=255, required=False, allow_blank=True
    )
