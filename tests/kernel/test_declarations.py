"""Every procedure is declared once, completely, and everything else is derived from it: the
declarations agree with the state machines of the models, the flows have one task node per
open state, the layers of the code hold, and docs/generated is current."""

import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from casework.accountability.declaration import ACCOUNTABILITY
from casework.complaints.declaration import COMPLAINTS
from casework.kernel import entrypoints
from casework.kernel.declaration import Procedure, procedures
from workflows.flows import FLOWS

# Every registered procedure, so that a new one is checked without editing this file.
PROCEDURES = procedures()


def test_the_procedures_are_registered():
    assert {ACCOUNTABILITY, COMPLAINTS} <= set(PROCEDURES)


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.name)
def test_the_declaration_agrees_with_the_state_machine(procedure):
    assert procedure.problems() == []


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.name)
def test_every_transition_of_the_model_is_a_declared_step(procedure):
    field = procedure.model._meta.get_field("state")
    names = {t.name for t in field.get_all_transitions(procedure.model)}
    assert names <= set(procedure.steps)
    for name in names:
        step = procedure.step(name)
        assert step.changes_state and step.label and step.payload and step.by and step.cites


@pytest.mark.parametrize("procedure", PROCEDURES, ids=lambda p: p.name)
def test_every_open_state_calls_for_one_task_of_the_flow(procedure):
    flow = FLOWS[procedure.name]
    nodes = {node.name for node in flow.instance.nodes()}
    assert {task.node for task in procedure.tasks.values()} <= nodes
    assert set(procedure.tasks) | set(procedure.final_states) == set(procedure.states)


def test_an_undeclared_transition_is_reported():
    """Drop one step from the accountability declaration: the check names it."""
    steps = [s for s in ACCOUNTABILITY.steps.values() if s.name != "become_final"]
    broken = Procedure(
        name="broken",
        title="broken",
        law=ACCOUNTABILITY.law,
        model=ACCOUNTABILITY.model,
        policy=ACCOUNTABILITY.policy,
        steps=steps,
        tasks=list(ACCOUNTABILITY.tasks.values()),
        openings={},
        messages=ACCOUNTABILITY.messages,
        describe=ACCOUNTABILITY.describe,
    )
    assert any("become_final" in problem for problem in broken.problems())


def test_a_step_without_a_citation_is_reported():
    step = ACCOUNTABILITY.step("start")
    uncited = type(step)(**{**step.__dict__, "cites": ()})
    broken = Procedure(
        name="uncited",
        title="uncited",
        law=ACCOUNTABILITY.law,
        model=ACCOUNTABILITY.model,
        policy=ACCOUNTABILITY.policy,
        steps=[uncited, *(s for s in ACCOUNTABILITY.steps.values() if s.name != "start")],
        tasks=list(ACCOUNTABILITY.tasks.values()),
        openings={},
        messages=ACCOUNTABILITY.messages,
        describe=ACCOUNTABILITY.describe,
    )
    assert any("start cites no law" in problem for problem in broken.problems())


def test_a_procedure_opens_another_through_a_named_entry_point():
    assert "accountability.open_case" in entrypoints.provided()
    assert {"workflows.task_summary", "workflows.annotate_open_task"} <= set(entrypoints.provided())


def test_the_layers_of_the_code_hold_and_nothing_imports_in_a_cycle():
    """import-linter's contracts (pyproject.toml): urls above api and workflows, above the
    procedures, above the deadlines, above the kernel, the documents, the organisation and
    the calendar; no cycle between any two modules."""
    lint = Path(sys.executable).with_name("lint-imports")
    result = subprocess.run(
        [str(lint), "--no-cache"], cwd=settings.BASE_DIR, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_docs_generated_from_the_declarations_are_current():
    call_command("write_docs", "--check")
