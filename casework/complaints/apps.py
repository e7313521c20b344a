from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "casework.complaints"
    label = "complaints"
    verbose_name = _("投诉")

    def ready(self):
        from simple_history.signals import pre_create_historical_record

        from .models import Complaint

        def stamp_transition(sender, instance, history_instance, **kwargs):
            history_instance.action = getattr(instance, "_history_action", "") or ""
            history_instance.from_state = getattr(instance, "_history_from_state", "") or ""

        pre_create_historical_record.connect(
            stamp_transition,
            sender=Complaint.history.model,
            weak=False,
            dispatch_uid="complaint_history_stamp",
        )
