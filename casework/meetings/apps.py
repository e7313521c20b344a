from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MeetingsConfig(AppConfig):
    name = "casework.meetings"
    label = "meetings"
    verbose_name = _("常务会议")

    def ready(self):
        # The agenda and the minutes declare their layout as official documents.
        from . import documents  # noqa: F401
