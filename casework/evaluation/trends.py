"""Trends: every department's total per published month (corrections included), for the
trend table and the dashboard's chart."""

from . import rules
from .handlers import effective_amounts
from .models import State


def trends(user, months: int = 12) -> dict:
    """``{"months": ["2026-10", …], "series": [{"department", "name", "totals": […]}]}`` over
    the last ``months`` published months; a department's people get their own series only."""
    evaluations = list(
        rules.visible(user).filter(state=State.PUBLISHED).order_by("-month")[:months]
    )[::-1]
    series: dict[str, dict] = {}
    for index, evaluation in enumerate(evaluations):
        amounts = effective_amounts(evaluation)
        lines = rules.visible_lines(user, evaluation, evaluation.current_lines()).select_related(
            "department"
        )
        for line in lines:
            row = series.setdefault(
                line.department.code,
                {
                    "department": line.department.code,
                    "name": line.department.name,
                    "totals": [None] * len(evaluations),
                },
            )
            row["totals"][index] = (row["totals"][index] or 0) + amounts[line.pk]
    for row in series.values():
        row["totals"] = [None if t is None else str(t) for t in row["totals"]]
    return {
        "months": [evaluation.key for evaluation in evaluations],
        "series": [series[code] for code in sorted(series)],
    }
