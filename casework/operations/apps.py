from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OperationsConfig(AppConfig):
    name = "casework.operations"
    label = "operations"
    verbose_name = _("运行维护")

    def ready(self):
        from prometheus_client import REGISTRY

        from .metrics import CaseworkCollector

        if not getattr(REGISTRY, "_casework_registered", False):
            REGISTRY.register(CaseworkCollector())
            REGISTRY._casework_registered = True
