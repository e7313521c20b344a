"""The viewsets of the workspace: one per procedure's flow."""

from .accountability import AccountabilityFlow, AccountabilityFlowViewset
from .complaints import ComplaintFlow, ComplaintFlowViewset

FLOW_VIEWSETS: list = [
    AccountabilityFlowViewset(AccountabilityFlow, icon="gavel"),
    ComplaintFlowViewset(ComplaintFlow, icon="feedback"),
]
