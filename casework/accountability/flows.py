"""Where viewflow finds the accountability flow, which is defined in workflows/accountability.py.

viewflow stores a flow in the database as "<app label>/<module>.<class>" and imports it back
through an installed app; workflows/ is not a Django app, so the flow names this module (which
re-exports it) as its home.
"""

from workflows.accountability import AccountabilityFlow

__all__ = ["AccountabilityFlow"]
