"""The staff pages of the complaint procedure (``pages``), the screens that take a step
(``screens``) and what both show of a complaint (``panel``)."""

from .pages import (
    AttachmentView,
    ComplaintDetailView,
    ComplaintListView,
    IdentityAccessLogView,
    RegisterComplaintView,
)
from .screens import ComplaintActScreen, RecordView

__all__ = [
    "AttachmentView",
    "ComplaintActScreen",
    "ComplaintDetailView",
    "ComplaintListView",
    "IdentityAccessLogView",
    "RecordView",
    "RegisterComplaintView",
]
