"""Form fields and forms of the meeting's pages, and the fields a procedure's step screen
borrows (the meeting to choose, the matters agreed). They only collect input: the payloads
validate it again in the services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from casework.kernel.forms import LONG_TEXT, PayloadFormMixin, ServiceErrorsMixin, date_input

from .models import Attendee, Meeting, MeetingState


class LinesField(forms.CharField):
    """One entry per line of a text area; empty lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 3})

    def to_python(self, value):
        text = super().to_python(value)
        return [line.strip() for line in text.splitlines() if line.strip()]


def planned_meeting_field(field):
    """The meetings planned, to choose from (or none: the meeting of the date given)."""
    return forms.TypedChoiceField(
        label=field.label,
        required=False,
        coerce=int,
        empty_value=None,
        choices=lambda: (
            [("", _("— 按会议日期 —"))]
            + [
                (m.pk, f"{m.number} {m.date.isoformat()} {m.place}")
                for m in Meeting.objects.filter(state=MeetingState.PLANNED).order_by("date", "id")
            ]
        ),
    )


def agreed_matters_field(field):
    return LinesField(
        label=field.label,
        required=False,
        help_text=_("每行一项议定事项。"),
    )


def _on_field():
    return forms.DateField(
        label=_("办理日期"),
        required=False,
        widget=date_input(),
        input_formats=["%Y-%m-%d"],
        help_text=_("默认今天；补录纸质材料时填写实际办理日期。"),
    )


class PayloadForm(ServiceErrorsMixin, PayloadFormMixin, forms.Form):
    pass


class PlanMeetingForm(PayloadForm):
    payload_fields = ("date", "place", "on")
    date = forms.DateField(label=_("会议日期"), widget=date_input(), input_formats=["%Y-%m-%d"])
    place = forms.CharField(label=_("会议地点"), max_length=LONG_TEXT, required=False)
    on = _on_field()


class PostponeForm(PayloadForm):
    payload_fields = ("new_date", "place", "reason", "on")
    new_date = forms.DateField(
        label=_("延期后的会议日期"), widget=date_input(), input_formats=["%Y-%m-%d"]
    )
    place = forms.CharField(label=_("会议地点"), max_length=LONG_TEXT, required=False)
    reason = forms.CharField(label=_("延期原因"), widget=forms.Textarea(attrs={"rows": 2}))
    on = _on_field()


class HoldForm(PayloadForm):
    """The meeting held: present members and attendees one per line, and the excused as
    "姓名：原因"."""

    members = LinesField(label=_("出席的组成人员"), required=False)
    attendees = LinesField(label=_("列席人员"), required=False)
    absent = LinesField(label=_("请假人员（姓名：原因）"), required=False)
    on = _on_field()

    def payload(self) -> dict:
        data = self.cleaned_data
        attendance = [
            {"name": name, "capacity": Attendee.Capacity.MEMBER} for name in data["members"]
        ]
        attendance += [
            {"name": name, "capacity": Attendee.Capacity.ATTENDEE} for name in data["attendees"]
        ]
        for line in data["absent"]:
            name, _sep, reason = line.replace(":", "：").partition("：")
            attendance.append(
                {
                    "name": name.strip(),
                    "capacity": Attendee.Capacity.MEMBER,
                    "present": False,
                    "absence_reason": reason.strip(),
                }
            )
        payload = {"attendance": attendance}
        if data.get("on"):
            payload["on"] = data["on"].isoformat()
        return payload


class MinutesForm(PayloadForm):
    payload_fields = ("minutes", "statement", "defence", "decisions", "on")
    statement = forms.CharField(
        label=_("会上陈述"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    defence = forms.CharField(
        label=_("会上申辩"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minutes = forms.CharField(label=_("讨论情况"), widget=forms.Textarea(attrs={"rows": 5}))
    decisions = LinesField(label=_("议定事项"), required=False, help_text=_("每行一项议定事项。"))
    on = _on_field()


class StatementForm(PayloadForm):
    payload_fields = ("text", "on")
    text = forms.CharField(label=_("书面陈述和申辩"), widget=forms.Textarea(attrs={"rows": 8}))
    on = _on_field()


class DayForm(PayloadForm):
    payload_fields = ("on",)
    on = _on_field()
