"""What the transition screens of both procedures share: a Django form field for each payload
serializer field, the confirmation of an irreversible step, the body a form sends to the
service, and a service's refusal shown beside the form. The forms only collect input: the
payload serializers validate it again inside the services, which decide (architecture.md)."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.exceptions import ServiceError

# A text longer than this gets a text area.
LONG_TEXT = 255


def date_input():
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def serializer_form_field(name, field):
    """A Django form field rendering a payload serializer field (the serializer still
    validates what is submitted)."""
    options = {"label": field.label, "required": field.required}
    if isinstance(field, serializers.BooleanField):
        return forms.BooleanField(label=field.label, required=False)
    if isinstance(field, serializers.DateField):
        return forms.DateField(widget=date_input(), input_formats=["%Y-%m-%d"], **options)
    if isinstance(field, serializers.IntegerField):
        return forms.IntegerField(min_value=field.min_value, max_value=field.max_value, **options)
    if isinstance(field, serializers.ChoiceField):
        choices = list(field.choices.items())
        return forms.ChoiceField(choices=[("", "—")] + choices, **options)
    if isinstance(field, serializers.CharField):
        long = field.max_length is None or field.max_length > LONG_TEXT
        return forms.CharField(
            max_length=field.max_length,
            widget=forms.Textarea(attrs={"rows": 4}) if long else forms.TextInput(),
            **options,
        )
    raise TypeError(f"no form field for {name}: {type(field).__name__}")


def confirm_field():
    """The tick box an irreversible step asks for."""
    return forms.BooleanField(
        label=_("我已核对，确认提交"),
        required=True,
        error_messages={"required": _("此步骤提交后不可撤回，请勾选确认。")},
    )


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


class PayloadFormMixin:
    """``payload_fields`` of the form, as the API would send them to the service."""

    payload_fields: tuple[str, ...] = ()

    def payload(self) -> dict:
        data = {}
        for name in self.payload_fields:
            if name not in self.fields:  # a field this person is not offered
                continue
            value = self.cleaned_data.get(name)
            if isinstance(value, datetime.date):
                value = value.isoformat()
            if value in (None, "", []) and not self.fields[name].required:
                continue
            data[name] = value
        return data
