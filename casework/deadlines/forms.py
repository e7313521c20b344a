"""The forms of the early-warning pages. They only collect input: the services decide (and
their refusals are shown beside the form by ``add_service_error``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.org.models import Department, Official

from .models import RIGHT_KINDS, Kind
from .queries import PROCEDURE_CHOICES


class ServiceErrorForm(forms.Form):
    """A form that shows a service's refusal (casework.exceptions.ServiceError) in Chinese:
    the message on top, and each named field's message beside that field."""

    confirm_label = _("我已核对以上内容，确认提交（提交后不可撤回）")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["confirm"] = forms.BooleanField(
            label=self.confirm_label,
            required=True,
            error_messages={"required": _("请勾选确认后再提交。")},
        )

    def add_service_error(self, error):
        self.add_error(None, str(error.message))
        for name, messages in (error.fields or {}).items():
            if name in self.fields and name != "confirm":
                for message in messages if isinstance(messages, list) else [messages]:
                    self.add_error(name, str(message))


DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ExtensionRequestForm(ServiceErrorForm):
    new_due = forms.DateField(label=_("申请延至"), widget=DATE_INPUT)
    reason = forms.CharField(
        label=_("延期理由"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,  # the service says why a blank reason is refused
    )

    field_order = ["new_due", "reason", "confirm"]


class ExtensionDecisionForm(ServiceErrorForm):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("yes", _("批准延期")), ("no", _("不予批准"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = ["approve", "reason", "confirm"]


class InvestigationDecisionForm(ServiceErrorForm):
    approve = forms.TypedChoiceField(
        label=_("审批结果"),
        choices=[("yes", _("批准进行初步调查")), ("no", _("不予调查"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("审批意见"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )

    field_order = ["approve", "reason", "confirm"]


class ConclusionForm(ServiceErrorForm):
    open_case = forms.TypedChoiceField(
        label=_("调查结论"),
        choices=[("no", _("初核了结")), ("yes", _("立案调查"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    official = forms.ModelChoiceField(
        label=_("立案调查的被问责人"),
        queryset=Official.objects.filter(is_head=True, active=True)
        .select_related("department")
        .order_by("department__code", "name"),
        required=False,
        empty_label=_("（初核了结时不填）"),
        help_text=_(
            "立案调查时将据此登记一件由市监察局提出的问责案件，被问责人为超期责任单位的行政首长。"
        ),
    )
    conclusion = forms.CharField(
        label=_("结论意见"), widget=forms.Textarea(attrs={"rows": 4}), required=False
    )

    field_order = ["open_case", "official", "conclusion", "confirm"]


class ReportForm(ServiceErrorForm):
    report = forms.CharField(
        label=_("整改情况"), widget=forms.Textarea(attrs={"rows": 6}), required=False
    )

    field_order = ["report", "confirm"]


def duty_kind_choices():
    return [("", _("全部"))] + [(k, label) for k, label in Kind.choices if k not in RIGHT_KINDS]


class BoardFilters(forms.Form):
    """The warning board's filters: department, kind of deadline, procedure."""

    unit = forms.ModelChoiceField(
        label=_("责任单位"),
        required=False,
        queryset=Department.objects.order_by("code"),
        to_field_name="code",
        empty_label=_("全部"),
    )
    kind = forms.ChoiceField(label=_("期限类别"), required=False, choices=duty_kind_choices)
    procedure = forms.ChoiceField(
        label=_("程序"), required=False, choices=[("", _("全部"))] + PROCEDURE_CHOICES
    )
