"""The forms of the evaluation's pages: a step's form (built from the declaration), the
month to compute, an item of the scheme."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.kernel.forms import ServiceErrorsMixin, build_act_form

from .declaration import EVALUATION


def _decimal(field):
    return forms.DecimalField(
        label=field.label, required=field.required, max_digits=8, decimal_places=2
    )


def act_form(action: str):
    """The form class of step ``action``."""
    return build_act_form(EVALUATION, action, fields={"amount": _decimal})


class MonthForm(ServiceErrorsMixin, forms.Form):
    month = forms.CharField(label=_("测评月份"), max_length=7, help_text=_("YYYY-MM，如 2026-11"))


class ScoringItemForm(ServiceErrorsMixin, forms.Form):
    name = forms.CharField(label=_("名称"), max_length=64)
    points = forms.DecimalField(label=_("分值"), max_digits=7, decimal_places=2, min_value=0)
    cap = forms.DecimalField(
        label=_("上限"), max_digits=7, decimal_places=2, min_value=0, required=False
    )
    weight = forms.DecimalField(label=_("权重"), max_digits=5, decimal_places=2, min_value=0)
    active = forms.BooleanField(label=_("有效"), required=False)
    reason = forms.CharField(label=_("修改理由"), max_length=255)

    def payload(self) -> dict:
        data = {k: v for k, v in self.cleaned_data.items() if k != "reason"}
        for key in ("points", "cap", "weight"):
            if data.get(key) is not None:
                data[key] = str(data[key])
        return data
