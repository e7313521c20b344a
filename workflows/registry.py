"""The viewsets of the workspace: one per procedure's flow."""

from .accountability import AccountabilityFlow, AccountabilityFlowViewset
from .complaints import ComplaintFlow, ComplaintFlowViewset
from .evaluation import EvaluationFlow, EvaluationFlowViewset

FLOW_VIEWSETS: list = [
    AccountabilityFlowViewset(AccountabilityFlow, icon="gavel"),
    ComplaintFlowViewset(ComplaintFlow, icon="feedback"),
    EvaluationFlowViewset(EvaluationFlow, icon="leaderboard"),
]
