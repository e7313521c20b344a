from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkcalendarConfig(AppConfig):
    name = "casework.workcalendar"
    label = "workcalendar"
    verbose_name = _("工作日历")
