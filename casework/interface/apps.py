from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InterfaceConfig(AppConfig):
    name = "casework.interface"
    label = "interface"
    verbose_name = _("数据接口")

    def ready(self):
        # The outbox: every state change, card and document becomes an event, in the
        # transaction of the change.
        from . import outbox

        outbox.connect()
