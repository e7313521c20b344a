from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "casework.supervision"
    label = "supervision"
    verbose_name = _("督查督办")

    def ready(self):
        # Importing the declaration registers the procedure with the kernel.
        from casework.audit.chain import append_only
        from casework.kernel import entrypoints

        from . import declaration, documents, services  # noqa: F401
        from .models import Countersign, Criticism, ProblemInstruction, Urging

        # The meeting's page offers "立项督办" on its agreed matters through this (the
        # meetings app never imports supervision).
        entrypoints.provide("supervision.agreed_matter_offers", services.agreed_matter_offers)
        # Handan supervision art. 4 (3): the leader who assigned the matter approves an
        # extension of its feedback deadline (the deadlines' rule "assigning_leader").
        entrypoints.provide(
            "deadlines.assigning_leaders.supervision_feedback", services.assigning_leaders_of
        )
        append_only(Countersign, Urging, Criticism, ProblemInstruction)

    def load_demo(self):
        """Demo matters in the first states (``manage.py demo``)."""
        from .demo import load_demo_matters

        load_demo_matters()
