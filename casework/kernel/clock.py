"""Today, in Asia/Shanghai: the one place the procedures ask for the date of an act."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
