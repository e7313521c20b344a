"""Web forms of the accountability pages. They only collect input: the payload serializers of
payloads.py validate it again inside the services, which decide (architecture.md)."""

from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.forms import (
    PayloadFormMixin,
    ServiceErrorsMixin,
    confirm_field,
    date_input,
    serializer_form_field,
)
from casework.org.models import Official

from . import rules
from .models import Ground, Mode, Source
from .payloads import PAYLOADS

# Steps that cannot be taken back: the screen asks the person to confirm them.
IRREVERSIBLE = frozenset({"decide", "serve", "close", "review_decide", "refuse_review"})

# Payload fields offered only to those who may do another act: action → field → that act.
RESTRICTED_FIELDS = {
    # Art. 14: only the mayor (or a delegate) may admit a late review request.
    "request_review": {"late_ok": "accept_review"},
}


def _mode_choices():
    return [(m.code, f"（{m.code}）{m.name}") for m in Mode.objects.filter(active=True)]


def _form_field(name, field):
    if isinstance(field, serializers.ListField) and name == "modes":
        return forms.MultipleChoiceField(
            label=field.label,
            required=field.required,
            choices=_mode_choices,
            widget=forms.CheckboxSelectMultiple,
        )
    return serializer_form_field(name, field)


class ActForm(ServiceErrorsMixin, PayloadFormMixin, forms.Form):
    """The body of one transition (payloads.PAYLOADS[action]), the note of the person acting
    and, for an irreversible step, their confirmation."""

    action: str = ""

    # Not "reason": several payloads have a field of that name (理由).
    note = forms.CharField(
        label=_("办理说明"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("记入案件历史，说明办理的依据和情况。"),
    )

    def __init__(self, *args, user=None, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        for name, act in RESTRICTED_FIELDS.get(self.action, {}).items():
            if user is None or case is None or not rules.may(user, act, case):
                del self.fields[name]


@cache
def act_form(action: str) -> type[ActForm]:
    """The form class of transition ``action``, built from its payload serializer."""
    serializer_fields = PAYLOADS[action]().fields
    # The day of the act last: it defaults to today.
    names = [n for n in serializer_fields if n != "on"] + ["on"]
    attrs = {name: _form_field(name, serializer_fields[name]) for name in names}
    attrs["on"].help_text = _("默认今天；补录纸质案卷时填写实际办理日期。")
    if action in IRREVERSIBLE:
        attrs["confirm"] = confirm_field()
    attrs["action"] = action
    attrs["payload_fields"] = tuple(names)
    return type(f"ActForm_{action}", (ActForm,), attrs)


class RegisterCaseForm(ServiceErrorsMixin, forms.Form):
    """Registering a case (art. 5): the official, the grounds, the source, the proposal."""

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
