"""The forms of the supervision's pages: a step's form (built from the declaration) and the
supervision office's proposal of a matter with its assignment card."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.kernel.forms import ServiceErrorsMixin, build_act_form, date_input
from casework.org.models import Department

from . import rules
from .declaration import SUPERVISION
from .models import Source


def _departments():
    return [("", "—")] + [(d.code, d.name) for d in Department.objects.order_by("code")]


def _unit(field):
    return forms.ChoiceField(label=field.label, required=field.required, choices=_departments)


def _problem(urging) -> str:
    return f"{urging.on.isoformat()} {urging.get_method_display()}：{urging.findings[:60]}"


def act_form(action: str):
    """The form class of step ``action``."""
    form = build_act_form(SUPERVISION, action, fields={"unit": _unit})
    if action != "instruct_on_problem":
        return form

    class InstructOnProblemForm(form):
        """The leader picks one of the matter's major problems not yet instructed on."""

        def __init__(self, *args, obj=None, **kwargs):
            super().__init__(*args, obj=obj, **kwargs)
            problems = list(rules.open_problems(obj)) if obj is not None else []
            self.fields["urging"] = forms.TypedChoiceField(
                label=_("督办中发现的重大问题"),
                coerce=int,
                choices=[(u.pk, _problem(u)) for u in problems],
            )

    return InstructOnProblemForm


class RegisterForm(ServiceErrorsMixin, forms.Form):
    """Handan supervision art. 4 (1): the office's proposal and the assignment card."""

    title = forms.CharField(label=_("督办事项"), max_length=255)
    source = forms.ChoiceField(label=_("来源"), choices=Source.choices)
    source_reference = forms.CharField(label=_("来源文号或出处"), max_length=255, required=False)
    instruction = forms.CharField(
        label=_("批示或交办内容"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_(
            "领导批示、工作报告任务、上级文件要求的原文；常务会议议定事项可不填（取议定事项原文）。"
        ),
    )
    agreed_matter = forms.IntegerField(widget=forms.HiddenInput, required=False)
    major = forms.BooleanField(label=_("重大督查事项（须报政府领导审定）"), required=False)
    lead_unit = forms.ChoiceField(label=_("牵头承办单位"), choices=_departments)
    co_units = forms.MultipleChoiceField(
        label=_("协办单位"),
        choices=lambda: _departments()[1:],
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )
    due = forms.DateField(label=_("办结时间"), widget=date_input(), input_formats=["%Y-%m-%d"])
    requirements = forms.CharField(label=_("办理要求"), widget=forms.Textarea(attrs={"rows": 4}))
    proposal = forms.CharField(label=_("拟办意见"), widget=forms.Textarea(attrs={"rows": 3}))

    def payload(self) -> dict:
        data = dict(self.cleaned_data)
        data["due"] = data["due"].isoformat()
        if not data.get("agreed_matter"):
            data.pop("agreed_matter", None)
        return data
