"""The viewsets of the workspace: one per procedure's flow."""

from .accountability import AccountabilityFlow, AccountabilityFlowViewset
from .complaints import ComplaintFlow, ComplaintFlowViewset
from .evaluation import EvaluationFlow, EvaluationFlowViewset
from .supervision import SupervisionFlow, SupervisionFlowViewset

FLOW_VIEWSETS: list = [
    AccountabilityFlowViewset(AccountabilityFlow, icon="gavel"),
    ComplaintFlowViewset(ComplaintFlow, icon="feedback"),
    EvaluationFlowViewset(EvaluationFlow, icon="leaderboard"),
    SupervisionFlowViewset(SupervisionFlow, icon="assignment_turned_in"),
]
