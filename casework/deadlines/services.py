"""The acts of the deadlines app, in one place for the procedures and pages that call them.

Each act lives in the module of its concern — ``lifecycle`` (opening and closing),
``scan``, ``extensions``, ``letters``, ``investigations``, ``notifications``,
``recalculation`` — and is named here too, so that a caller writes
``deadline_services.open_deadline(...)`` or ``deadline_services.scan(...)`` without knowing
how the app is cut.
"""

from .extensions import ask as ask_for_extension
from .extensions import decide as decide_on_extension
from .investigations import conclude_investigation, decide_investigation
from .letters import report_rectification
from .lifecycle import close_deadlines, moment_of, open_deadline, paused_working_days, resume
from .notifications import notify
from .recalculation import recompute_after_calendar_change
from .scan import ScanResult, scan

__all__ = [
    "ScanResult",
    "ask_for_extension",
    "close_deadlines",
    "conclude_investigation",
    "decide_investigation",
    "decide_on_extension",
    "moment_of",
    "notify",
    "open_deadline",
    "paused_working_days",
    "recompute_after_calendar_change",
    "report_rectification",
    "resume",
    "scan",
]
