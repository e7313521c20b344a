"""Where viewflow finds the complaint flow, which is defined in workflows/complaints.py.

viewflow stores a flow in the database as "<app label>/<module>.<class>" and imports it back
through an installed app; workflows/ is not a Django app, so the flow names this module (which
re-exports it) as its home.
"""

from workflows.complaints import ComplaintFlow

__all__ = ["ComplaintFlow"]
