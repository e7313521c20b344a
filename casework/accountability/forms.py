"""Web forms of the accountability pages. They only collect input: the payload serializers of
payloads.py validate it again inside the services, which decide (architecture.md)."""

import datetime
from functools import cache

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.exceptions import ServiceError
from casework.org.models import Official

from . import rules
from .models import Ground, Mode, Source
from .payloads import PAYLOADS

# Steps that cannot be taken back: the screen asks the person to confirm them.
IRREVERSIBLE = frozenset({"decide", "serve", "close", "review_decide", "refuse_review"})

LONG_TEXT = 255

# Payload fields offered only to those who may do another act: action → field → that act.
RESTRICTED_FIELDS = {
    # Art. 14: only the mayor (or a delegate) may admit a late review request.
    "request_review": {"late_ok": "accept_review"},
}


def _date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _mode_choices():
    return [(m.code, f"（{m.code}）{m.name}") for m in Mode.objects.filter(active=True)]


def _form_field(name, field):
    """A Django form field rendering a payload serializer field (the serializer still
    validates what is submitted)."""
    options = {"label": field.label, "required": field.required}
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(label=field.label, required=False)
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=_date_input(), input_formats=["%Y-%m-%d"], **options)
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **options)
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        return forms.ChoiceField(choices=[("", "—")] + choices, **options)
    if isinstance(field, serializers.ListField) and name == "modes":
        return forms.MultipleChoiceField(
            choices=_mode_choices, widget=forms.CheckboxSelectMultiple, **options
        )
    if isinstance(field, serializers.CharField):
        long = field.max_length is None or field.max_length > LONG_TEXT
        return forms.CharField(
            max_length=field.max_length,
            widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
            **options,
        )
    raise TypeError(f"no form field for {name}: {type(field).__name__}")


class ServiceErrorsMixin:
    def add_service_error(self, error: ServiceError):
        """Show a refusal of the service beside the form: the message on top, each named
        field's messages under that field."""
        self.add_error(None, error.message)
        for name, messages in (error.fields or {}).items():
            if isinstance(messages, dict):  # a nested serializer error
                messages = [f"{key}: {value}" for key, value in messages.items()]
            elif not isinstance(messages, list | tuple):
                messages = [messages]
            target = name if name in self.fields else None
            for message in messages:
                text = str(message)
                if target is None and name != "non_field_errors":
                    text = f"{name}：{text}"
                if target is None and text == error.message:
                    continue
                self.add_error(target, text)


class ActForm(ServiceErrorsMixin, forms.Form):
    """The body of one transition (payloads.PAYLOADS[action]), the note of the person acting
    and, for an irreversible step, their confirmation."""

    action: str = ""
    payload_fields: tuple[str, ...] = ()

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

    def payload(self) -> dict:
        """The transition body as the API would send it."""
        data = {}
        for name in self.payload_fields:
            if name not in self.fields:
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value in (None, "", []) and not self.fields[name].required:
                continue
            data[name] = value
        return data


@cache
def act_form(action: str) -> type[ActForm]:
    """The form class of transition ``action``, built from its payload serializer."""
    serializer_fields = PAYLOADS[action]().fields
    # The day of the act last: it defaults to today.
    names = [n for n in serializer_fields if n != "on"] + ["on"]
    attrs = {name: _form_field(name, serializer_fields[name]) for name in names}
    attrs["on"].help_text = _("默认今天；补录纸质案卷时填写实际办理日期。")
    if action in IRREVERSIBLE:
        attrs["confirm"] = forms.BooleanField(
            label=_("我已核对，确认提交"),
            required=True,
            error_messages={"required": _("此步骤提交后不可撤回，请勾选确认。")},
        )
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
        widget=_date_input(),
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
