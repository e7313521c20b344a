"""Sent (inside the transaction) when an administrator changes the calendar, so that every
period that depends on it is recomputed (the deadlines app listens)."""

from django.dispatch import Signal

# kwargs: from_date (the first day whose meaning changed), actor, reason
calendar_changed = Signal()
