"""Each open state of a supervision matter has exactly one open task in the queue the
declaration names: the approver's (the office's head, or a government leader for a major
matter), the lead unit's, the next co-unit's head to countersign and then the lead unit's
head to sign off, the office's to archive (Handan supervision art. 4 (1)–(4))."""

import datetime

import pytest
from viewflow.workflow.models import Task

from casework.supervision.declaration import SUPERVISION
from workflows import supervision as workflow
from workflows import sync
from workflows.supervision import SupervisionFlow

D = datetime.date

pytestmark = pytest.mark.django_db

EVERYONE = (
    "supervision_office",
    "supervision_office_head",
    "mayor",
    "vicemayor",
    "secretariat",
    "investigator",
    "head_education",
    "staff_education",
    "head_transport",
    "head_tax",
    "complaints",
)


def queue(user):
    return set(Task.objects.queue([SupervisionFlow], user).values_list("pk", flat=True))


@pytest.fixture
def expect_task(people):
    def _expect(matter, node, claimable):
        matter.refresh_from_db()
        tasks = list(workflow.open_tasks(workflow.process_for(matter)))
        assert [t.flow_task.name for t in tasks] == [node], matter.state
        task = tasks[0]
        for username in EVERYONE:
            assert (task.pk in queue(people[username])) == (username in claimable), username
        assert sync.check_consistency(SUPERVISION) == []
        return task

    return _expect


def test_the_tasks_follow_the_matter(propose, act, today, expect_task):
    matter = propose()
    expect_task(matter, "approve_matter", {"supervision_office_head", "mayor", "vicemayor"})
    matter = act(matter, "approve", "supervision_office_head")
    expect_task(matter, "draft_feedback", {"head_education", "staff_education"})
    # A recording leaves the task where it is.
    matter = act(matter, "urge", "supervision_office", method="phone", findings="在办")
    expect_task(matter, "draft_feedback", {"head_education", "staff_education"})
    matter = act(matter, "draft_feedback", "staff_education", feedback="已办结")
    # The co-units in order (tax before transport), then the lead unit's head.
    expect_task(matter, "sign_feedback", {"head_tax"})
    matter = act(matter, "countersign", "head_tax")
    expect_task(matter, "sign_feedback", {"head_transport"})
    matter = act(matter, "countersign", "head_transport")
    expect_task(matter, "sign_feedback", {"head_education"})
    matter = act(matter, "sign_off", "head_education")
    expect_task(matter, "archive_matter", {"supervision_office", "supervision_office_head"})
    matter = act(matter, "archive", "supervision_office", report="已办结")
    assert list(workflow.open_tasks(workflow.process_for(matter))) == []
    assert sync.check_consistency(SUPERVISION) == []


def test_a_major_matter_waits_for_a_government_leader(propose, expect_task):
    expect_task(propose(major=True), "approve_matter", {"mayor", "vicemayor"})
