"""What every request body shares: strict types, and dates the working-day calendar can count.

* ``Payload`` — the base of every body a service validates (the steps' bodies, a registration,
  a complaint, a decision on an extension). Its text fields take JSON strings only, its
  yes-or-no fields ``true`` or ``false`` only: DRF would turn ``42`` into ``"42"`` and
  ``"maybe"`` into a refusal only by luck.
* ``CalendarDate`` — a date between the first day of the calendar and the last day of its table
  (one indexed query); ``DayOfAct`` — the same, and not after today (the day something
  happened); ``DueDate`` — the same, and not further ahead than ``HORIZON`` (a due date, a
  meeting). Each refusal is a 400 naming the field: no date a caller supplies reaches a period
  computation the calendar cannot answer, nor one that would run for years of days.
* ``ActPayload`` — the base of every step's body: ``on``, the day the act took place (default
  today), so that a paper file can be entered after the fact.
"""

import datetime
from collections.abc import Mapping

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import serializers
from rest_framework.fields import empty

from casework.workcalendar import periods

from . import clock

# How far ahead a due date or a meeting may be set: two years from today.
HORIZON = datetime.timedelta(days=730)


class CalendarDate(serializers.DateField):
    """A ``YYYY-MM-DD`` date inside the working-day calendar (see the module)."""

    def to_internal_value(self, value):
        day = super().to_internal_value(value)
        try:
            first, last = periods.calendar_range()
        except periods.CalendarNotLoaded as exc:
            raise serializers.ValidationError(str(exc)) from exc
        if not first <= day <= last:
            raise serializers.ValidationError(
                _("%(date)s 不在工作日历范围内（%(first)s 至 %(last)s）。")
                % {"date": day.isoformat(), "first": first.isoformat(), "last": last.isoformat()},
                code="outside_calendar",
            )
        self.check_sense(day)
        return day

    def check_sense(self, day: datetime.date) -> None:
        """What the field's meaning adds to the calendar's range (nothing here)."""

    def name(self) -> str:
        return str(self.label or self.field_name)


class DayOfAct(CalendarDate):
    """The day something took place: not after today."""

    def check_sense(self, day):
        if day > clock.today():
            raise serializers.ValidationError(
                _("%(label)s不得晚于今天。") % {"label": self.name()}, code="future"
            )


class DueDate(CalendarDate):
    """A day set ahead (a due date, a meeting): not beyond ``HORIZON`` from today."""

    def check_sense(self, day):
        latest = clock.today() + HORIZON
        if day > latest:
            raise serializers.ValidationError(
                _("%(label)s不得晚于%(date)s（自今天起两年内）。")
                % {"label": self.name(), "date": latest.isoformat()},
                code="beyond_horizon",
            )


def _wrong_type(field, value):
    """Why ``value`` is not of ``field``'s JSON type, or None. Strings for text, ``true`` /
    ``false`` for yes-or-no, and so inside a list."""
    if value is empty or value is None:
        return None  # required / allow_null are the field's own business
    if isinstance(field, serializers.CharField) and not isinstance(value, str):
        return _("须为文本（字符串）。")
    if isinstance(field, serializers.BooleanField) and not isinstance(value, bool):
        return _("须为 true 或 false。")
    if isinstance(field, serializers.IntegerField) and isinstance(value, bool):
        return _("须为整数。")
    if isinstance(field, serializers.ListField) and isinstance(value, list):
        for index, item in enumerate(value):
            problem = _wrong_type(field.child, item)
            if problem is not None:
                return _("第 %(n)s 项%(problem)s") % {"n": index + 1, "problem": problem}
    return None


class Payload(serializers.Serializer):
    """A request body with strict types (see the module)."""

    def to_internal_value(self, data):
        if isinstance(data, Mapping):
            errors = {}
            for field in self._writable_fields:
                problem = _wrong_type(field, data.get(field.field_name, empty))
                if problem is not None:
                    errors[field.field_name] = [problem]
            if errors:
                raise serializers.ValidationError(errors)
        return super().to_internal_value(data)


class ActPayload(Payload):
    on = DayOfAct(label=gettext_lazy("办理日期"), required=False)


class Empty(ActPayload):
    """A step that needs nothing but its day."""
