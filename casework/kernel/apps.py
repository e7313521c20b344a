from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class KernelConfig(AppConfig):
    name = "casework.kernel"
    label = "kernel"
    verbose_name = _("办理程序")
