"""Prove that every accountability case's open tasks are exactly those its state calls for."""

from workflows import accountability
from workflows.management.check_command import CheckWorkflowCommand


class Command(CheckWorkflowCommand):
    help = "检查每个问责案件的待办环节是否与案件状态一致；--repair 按案件状态重建不一致的流程。"
    workflow = accountability
    repair_help = "以该用户名义撤销不一致的流程并按案件当前状态重新开启（记入任务历史）。"
    consistent = "流程与案件状态一致。"
