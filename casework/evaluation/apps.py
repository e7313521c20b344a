from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    name = "casework.evaluation"
    label = "evaluation"
    verbose_name = _("绩效测评")

    def ready(self):
        # Importing the declaration registers the procedure with the kernel.
        from casework.audit.chain import append_only
        from casework.kernel import entrypoints

        from . import declaration, documents, services  # noqa: F401

        # The portal's tracking page offers the rating through this (complaints never
        # import the evaluation).
        entrypoints.provide("evaluation.can_rate", services.can_rate)
        # The dashboard's trend chart (the workspace never imports the evaluation).
        from .trends import trends

        entrypoints.provide("evaluation.trends", trends)
        from .models import Correction, Evidence, Line, Objection, ObjectionDecision, Rating

        # Lines and their evidence, objections, decisions, corrections and ratings are
        # appended, never changed: a correction is a new row beside the line.
        append_only(Line, Evidence, Objection, ObjectionDecision, Correction, Rating)

    def load_reference(self):
        """The default scoring scheme (Xinxiang performance art. 9), kept where it exists: the
        bureau's edits survive a second load."""
        from .scheme import ensure_default_scheme

        ensure_default_scheme()
