"""Prove that every complaint's open tasks are exactly those its state calls for."""

from workflows import complaints
from workflows.management.check_command import CheckWorkflowCommand


class Command(CheckWorkflowCommand):
    help = "检查每件投诉的待办环节是否与投诉状态一致；--repair 按投诉状态重建不一致的流程。"
    workflow = complaints
    repair_help = "以该用户名义撤销不一致的流程并按投诉当前状态重新开启（记入任务历史）。"
    consistent = "流程与投诉状态一致。"
