"""Web forms of the staff pages of the complaint procedure. They only collect input: the
payload serializers validate it again inside the pipeline, which decides."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.kernel.forms import ServiceErrorsMixin, build_act_form, date_input
from casework.org.models import Department, Official

from .declaration import COMPLAINTS
from .models import Channel, ComplaintCategory, ComplaintOutcome, State


def _organ_choices():
    return [("", "—")] + [
        (d.code, d.name) for d in Department.objects.filter(active=True).order_by("code")
    ]


def _outcome_choices():
    return [("", "—")] + [
        (o.code, f"{o.name}（{o.article}）") for o in ComplaintOutcome.objects.filter(active=True)
    ]


def _head_choices():
    # Only the head of the department complained about is accepted by the handler
    # (Xinxiang complaints art. 7 (二)).
    return [("", _("（不追究部门行政首长）"))] + [
        (str(o.pk), f"{o.name}（{o.department.name}{o.title}）")
        for o in Official.objects.filter(is_head=True, active=True)
        .select_related("department")
        .order_by("department__code", "name")
    ]


def _choice(choices):
    def field(serializer_field):
        return forms.ChoiceField(
            label=serializer_field.label, required=serializer_field.required, choices=choices
        )

    return field


def _approve_field(serializer_field):
    return forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("1", _("批准延期")), ("0", _("不予批准"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
    )


def _time_field(serializer_field):
    return forms.TimeField(
        label=serializer_field.label,
        required=serializer_field.required,
        input_formats=["%H:%M"],
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        help_text=serializer_field.help_text,
    )


# Fields that name reference data: a choice of the rows, not a code typed by hand.
FIELDS = {
    "arrived_at": _time_field,
    "organ": _choice(_organ_choices),
    "outcome": _choice(_outcome_choices),
    "official": _choice(_head_choices),
    "approve": _approve_field,
}


@cache
def act_form(action: str):
    """The form class of step ``action`` (the kernel builds it from the declaration). Which
    period an extension is asked for follows from who asks (handlers.request_extension)."""
    return build_act_form(COMPLAINTS, action, fields=FIELDS, exclude=("kind",))


class IdentityForm(forms.Form):
    """Xinxiang complaints art. 8: the identity is shown only with a stated reason, and the view is
    recorded."""

    identity_reason = forms.CharField(
        label=_("查看理由"),
        max_length=255,
        help_text=_("查看记录（查看人、时间、理由）由效能投诉中心负责人查阅。"),
        error_messages={"required": _("查看投诉人身份须说明理由。")},
    )


class RegisterComplaintForm(ServiceErrorsMixin, forms.Form):
    """A complaint by letter, visit or phone (Xinxiang complaints art. 2: handled as a petition)."""

    channel = forms.ChoiceField(
        label=_("投诉渠道"), choices=[c for c in Channel.choices if c[0] != Channel.PORTAL]
    )
    on = forms.DateField(
        label=_("收到日期"),
        required=False,
        widget=date_input(),
        input_formats=["%Y-%m-%d"],
        help_text=_("默认今天。办理期限自收到之日起计算。"),
    )
    category = forms.ModelChoiceField(
        label=_("投诉类别"),
        queryset=ComplaintCategory.objects.filter(active=True),
        to_field_name="code",
        empty_label="—",
    )
    respondent_department = forms.ModelChoiceField(
        label=_("被投诉单位"),
        queryset=Department.objects.filter(active=True).order_by("code"),
        to_field_name="code",
        empty_label="—",
    )
    content = forms.CharField(label=_("投诉内容"), widget=forms.Textarea(attrs={"rows": 6}))
    real_name = forms.TypedChoiceField(
        label=_("投诉方式"),
        choices=[("1", _("实名")), ("0", _("匿名"))],
        coerce=lambda value: value == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    name = forms.CharField(label=_("姓名"), max_length=64, required=False)
    phone = forms.CharField(label=_("电话"), max_length=32, required=False)
    email = forms.CharField(label=_("电子邮箱"), max_length=254, required=False)
    attachment = forms.FileField(
        label=_("附件（照片或 PDF）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "image/jpeg,image/png,application/pdf"}),
    )

    def payload(self) -> dict:
        """The registration body as the API would send it (the service validates it)."""
        data = self.cleaned_data
        body = {
            "channel": data["channel"],
            "category": data["category"].code,
            "respondent_department": data["respondent_department"].code,
            "content": data["content"],
            "real_name": data["real_name"],
        }
        if data.get("on"):
            body["on"] = data["on"].isoformat()
        for field in ("name", "phone", "email"):
            if data.get(field):
                body[field] = data[field]
        return body


class ComplaintFilters(forms.Form):
    """The filters of the complaint list."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + State.choices
    )
    department = forms.ModelChoiceField(
        label=_("被投诉单位"),
        required=False,
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("全部"),
    )
    organ = forms.ModelChoiceField(
        label=_("承办机关"),
        required=False,
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("全部"),
    )
    category = forms.ModelChoiceField(
        label=_("投诉类别"),
        required=False,
        queryset=ComplaintCategory.objects.all(),
        to_field_name="code",
        empty_label=_("全部"),
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
