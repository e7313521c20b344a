"""viewflow flows: who does which step next. Each procedure adds its FlowViewset here."""

from .accountability import AccountabilityFlow, AccountabilityFlowViewset
from .complaints import ComplaintFlow, ComplaintFlowViewset

FLOW_VIEWSETS: list = [
    AccountabilityFlowViewset(AccountabilityFlow, icon="gavel"),
    # The complaint procedure (Xinxiang complaint measures).
    ComplaintFlowViewset(ComplaintFlow, icon="feedback"),
]
