"""Web forms of the accountability pages. They only collect input: the payload serializers
validate it again inside the pipeline, which decides."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.kernel.forms import ServiceErrorsMixin, build_act_form, date_input
from casework.meetings.forms import agreed_matters_field, planned_meeting_field
from casework.org.models import Department, Official

from .declaration import ACCOUNTABILITY
from .models import Ground, Mode, Source, State


def _modes_field(field):
    """Nanchong art. 13: the modes, single or combined, as tick boxes."""
    return forms.MultipleChoiceField(
        label=field.label,
        required=field.required,
        choices=lambda: [
            (m.code, f"（{m.code}）{m.name}") for m in Mode.objects.filter(active=True)
        ],
        widget=forms.CheckboxSelectMultiple,
    )


@cache
def act_form(action: str):
    """The form class of step ``action`` (the kernel builds it from the declaration)."""
    return build_act_form(
        ACCOUNTABILITY,
        action,
        fields={
            "modes": _modes_field,
            # Nanchong art. 11: the executive meeting, and the matters it agreed.
            "meeting": planned_meeting_field,
            "decisions": agreed_matters_field,
        },
    )


class RegisterCaseForm(ServiceErrorsMixin, forms.Form):
    """Registering a case (Nanchong art. 5): the official, the grounds, the source, the proposal."""

    official = forms.ModelChoiceField(
        label=_("被问责人"),
        queryset=Official.objects.filter(active=True).select_related("department"),
        empty_label="—",
    )
    grounds = forms.ModelMultipleChoiceField(
        label=_("问责情形"),
        queryset=Ground.objects.filter(active=True),
        to_field_name="code",
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ModelChoiceField(
        label=_("来源"),
        queryset=Source.objects.filter(active=True),
        to_field_name="code",
        empty_label="—",
    )
    summary = forms.CharField(
        label=_("案由摘要"), max_length=50000, widget=forms.Textarea(attrs={"rows": 5})
    )
    proposal_document = forms.FileField(label=_("问责建议材料"), required=False)
    proposal_original_location = forms.CharField(
        label=_("原件存放处"),
        max_length=255,
        required=False,
        help_text=_("系统记录不替代纸质原件（六盘水办法第十三条）"),
    )
    on = forms.DateField(
        label=_("登记日期"),
        required=False,
        widget=date_input(),
        input_formats=["%Y-%m-%d"],
        help_text=_("默认今天；补录纸质案卷时填写实际日期。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["official"].label_from_instance = lambda o: (
            f"{o.name}（{o.title}，{o.department.name}）"
        )

    def payload(self) -> dict:
        data = self.cleaned_data
        payload = {
            "official": data["official"].pk,
            "grounds": [g.code for g in data["grounds"]],
            "source": data["source"].code,
            "summary": data["summary"],
            "proposal_original_location": data.get("proposal_original_location", ""),
        }
        if data.get("on"):
            payload["on"] = data["on"].isoformat()
        return payload


class CaseFilters(forms.Form):
    """The filters of the case list (staff only)."""

    q = forms.CharField(label=_("关键词"), required=False, max_length=100)
    state = forms.ChoiceField(
        label=_("状态"), required=False, choices=[("", _("全部"))] + State.choices
    )
    department = forms.ModelChoiceField(
        label=_("部门"),
        required=False,
        queryset=Department.objects.order_by("code"),
        empty_label=_("全部"),
    )
    official = forms.ModelChoiceField(
        label=_("被问责人"),
        required=False,
        queryset=Official.objects.order_by("department__code", "name"),
        empty_label=_("全部"),
    )
    overdue = forms.BooleanField(label=_("只看逾期"), required=False)
