"""The form of a step, derived from its declaration: a Django form field for each field of the
step's payload serializer, the note recorded in the history, the confirmation of an
irreversible step, the body the form sends to the pipeline, and a refusal shown beside the
form. The forms only collect input: the payload serializers validate it again inside the
pipeline, which decides."""

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from casework.exceptions import ServiceError

# A text longer than this gets a text area.
# The payload field of a period counted in working days (its due date is derived).
PERIOD_IN_WORKING_DAYS = "working_days"
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
            # A field the form does not show is named by its label, never by its code.
            label = self._payload_label(name) if target is None else None
            for message in messages:
                text = str(message)
                if label:
                    text = f"{label}：{text}"
                if target is None and text == error.message:
                    continue
                self.add_error(target, text)

    def _payload_label(self, name) -> str:
        step = getattr(self, "step", None)
        if step is None or name == "non_field_errors":
            return ""
        found = step.payload().fields.get(name)
        return str(found.label) if found is not None and found.label else ""


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


class ActForm(ServiceErrorsMixin, PayloadFormMixin, forms.Form):
    """The body of one step, the note of the person acting and, for an irreversible step,
    their confirmation. Built for each step by ``act_form``."""

    procedure = None
    step = None

    # Not "reason": several payloads have a field of that name (理由).
    note = forms.CharField(
        label=_("办理说明"),
        required=False,
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("记入办理记录，说明办理的依据和情况。"),
    )

    def __init__(self, *args, user=None, obj=None, **kwargs):
        super().__init__(*args, **kwargs)
        # Fields offered only to another actor (e.g. admitting a late request).
        for name, actor in self.step.fields_for.items():
            if name in self.fields and (user is None or not actor(user, obj)):
                del self.fields[name]

    def history_reason(self) -> str:
        """The history's reason: the note, else the act's own reason (理由)."""
        return self.cleaned_data.get("note") or str(self.payload().get("reason", ""))


def build_act_form(procedure, name: str, fields=None, exclude=()) -> type[ActForm]:
    """The form class of step ``name`` of ``procedure``. ``fields`` maps a payload field
    name to a function building its form field from the serializer field (a choice of
    reference rows instead of a typed code); ``exclude`` names payload fields the screen
    does not ask for."""
    step = procedure.step(name)
    serializer_fields = step.payload().fields
    # One way to set a period: in working days, the due date shown as it is typed
    # (casework.js); a payload that also takes a due date keeps it for the API.
    period = PERIOD_IN_WORKING_DAYS in serializer_fields and "due" in serializer_fields
    if period:
        exclude = (*exclude, "due")
    # The day of the act last: it defaults to today.
    names = [n for n in serializer_fields if n != "on" and n not in exclude] + ["on"]
    custom = fields or {}
    attrs = {
        n: custom[n](serializer_fields[n])
        if n in custom
        else serializer_form_field(n, serializer_fields[n])
        for n in names
    }
    attrs["on"].help_text = _("默认今天；补录纸质材料时填写实际办理日期。")
    if period:
        days = attrs[PERIOD_IN_WORKING_DAYS]
        days.required = True
        days.period_start = "on"
        days.widget.attrs.update({"data-period-start": "id_on", "inputmode": "numeric"})
        days.help_text = _("自办理日期的次日起算，节假日和休息日不计；届满日期随输入显示。")
    if step.irreversible:
        attrs["confirm"] = confirm_field()
    attrs["procedure"] = procedure
    attrs["step"] = step
    attrs["payload_fields"] = tuple(names)
    return type(f"ActForm_{procedure.name}_{name}", (ActForm,), attrs)
