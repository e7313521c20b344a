from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountabilityConfig(AppConfig):
    name = "casework.accountability"
    label = "accountability"
    verbose_name = _("问责")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from casework.kernel import entrypoints

        from . import services

        entrypoints.provide("accountability.open_case", services.open_case)

        from .models import AccountabilityCase

        def stamp_transition(sender, instance, history_instance, **kwargs):
            # services.transition sets these on the case before saving it.
            history_instance.action = getattr(instance, "_history_action", "") or ""
            history_instance.from_state = getattr(instance, "_history_from_state", "") or ""
            history_instance.ip_address = getattr(instance, "_history_ip", None)

        pre_create_historical_record.connect(
            stamp_transition,
            sender=AccountabilityCase.history.model,
            weak=False,
            dispatch_uid="accountability_case_history_stamp",
        )
