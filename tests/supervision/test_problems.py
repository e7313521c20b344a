"""A major problem found in urging is reported to the leader who assigned the matter
(Handan supervision art. 4 (2)): a task in that leader's inbox (and the menu's count) until
they read it and instruct on it (阅示); the office is told. No one else may instruct, there
is nothing to instruct on without an open problem, and a problem is instructed on once —
by service, page and API alike; each refusal records nothing."""

import datetime

import pytest

from casework.deadlines.models import Notification
from casework.exceptions import InvalidInput, NotAllowed, RefusedByRule, WrongState
from casework.supervision import services
from casework.supervision.models import ProblemInstruction, State
from workflows import worklist

D = datetime.date

pytestmark = pytest.mark.django_db

STEP = "阅示督办中发现的重大问题"
URL = "/api/v1/supervision-matters"


@pytest.fixture
def major(propose, act):
    """A major matter approved by the vice-mayor (its assigning leader) on 2026-11-02."""

    def _major(**overrides):
        return act(propose(major=True, **overrides), "approve", "vicemayor")

    return _major


def urge(act, matter, major_problem=True, findings="资金缺口较大，工程停工"):
    return act(
        matter,
        "urge",
        "supervision_office",
        method="on_site",
        findings=findings,
        major_problem=major_problem,
    )


def rows_of(user):
    return [row for row in worklist.work_items(user, D(2026, 11, 2)) if row.step == STEP]


def test_the_leader_gets_the_task_instructs_and_the_office_is_told(major, act, people):
    matter = major()
    leader = people["vicemayor"]
    before = worklist.counts(leader, D(2026, 11, 2))["inbox"]
    assert "instruct_on_problem" not in services.available_transitions(leader, matter)
    matter = urge(act, matter)
    [urging] = matter.urgings.all()
    [row] = rows_of(leader)
    assert row.number == matter.card.number and row.subject == "南充市教育局"
    assert row.url == (
        f"/supervision/{matter.pk}/act/?action=instruct_on_problem&urging={urging.pk}"
    )
    assert row.object_url == f"/supervision/{matter.pk}/" and row.due is None
    assert worklist.counts(leader, D(2026, 11, 2))["inbox"] == before + 1
    # Only the assigning leader has it: not the mayor, not the office, not the lead unit.
    for username in ("mayor", "supervision_office", "supervision_office_head", "head_education"):
        assert rows_of(people[username]) == []
        names = services.available_transitions(people[username], matter)
        assert "instruct_on_problem" not in names, username
    assert "instruct_on_problem" in services.available_transitions(leader, matter)
    Notification.objects.all().delete()

    matter = act(
        matter, "instruct_on_problem", "vicemayor", urging=urging.pk, text="请财政局协调资金。"
    )
    instruction = ProblemInstruction.objects.get()
    assert instruction.urging == urging and instruction.by == leader
    assert instruction.on == D(2026, 11, 2) and instruction.text == "请财政局协调资金。"
    assert matter.state == State.ASSIGNED
    assert matter.history.first().action == "instruct_on_problem"
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {"supervision_office", "supervision_office_head"}
    assert rows_of(leader) == []
    assert worklist.counts(leader, D(2026, 11, 2))["inbox"] == before
    assert "instruct_on_problem" not in services.available_transitions(leader, matter)
    # The same problem again: nothing is open any more.
    with pytest.raises(WrongState):
        act(matter, "instruct_on_problem", "vicemayor", urging=urging.pk, text="再批")
    assert ProblemInstruction.objects.count() == 1


def test_no_one_else_may_instruct_and_a_refusal_records_nothing(major, assigned, act):
    matter = urge(act, major())
    urging = matter.urgings.get()
    version = matter.version
    for username in ("mayor", "supervision_office", "supervision_office_head", "head_education"):
        with pytest.raises(NotAllowed):
            act(matter, "instruct_on_problem", username, urging=urging.pk, text="阅")
    # An ordinary matter: its assigning leader is the office's head, not a government leader.
    ordinary = urge(act, assigned(co_units=[]))
    with pytest.raises(NotAllowed):
        act(
            ordinary,
            "instruct_on_problem",
            "vicemayor",
            urging=ordinary.urgings.get().pk,
            text="阅",
        )
    ordinary = act(
        ordinary,
        "instruct_on_problem",
        "supervision_office_head",
        urging=ordinary.urgings.get().pk,
        text="已阅，抓紧办理。",
    )
    matter.refresh_from_db()
    assert matter.version == version
    assert list(ProblemInstruction.objects.values_list("urging__matter", flat=True)) == [
        ordinary.pk
    ]


def test_without_an_open_problem_there_is_nothing_to_instruct(major, act, people):
    matter = major()
    with pytest.raises(WrongState):
        act(matter, "instruct_on_problem", "vicemayor", urging=1, text="阅")
    matter = urge(act, matter, major_problem=False, findings="正在施工")
    with pytest.raises(WrongState):
        act(
            matter,
            "instruct_on_problem",
            "vicemayor",
            urging=matter.urgings.get().pk,
            text="阅",
        )
    assert rows_of(people["vicemayor"]) == []
    assert not ProblemInstruction.objects.exists()


def test_the_urging_named_must_be_an_open_problem_of_the_matter(major, act, people):
    matter = major()
    other = urge(act, major(title="另一督办事项"))
    matter = urge(act, matter, major_problem=False, findings="正在施工")
    matter = urge(act, matter)
    matter = urge(act, matter, findings="征地拆迁受阻")
    plain, first, second = matter.urgings.order_by("id")
    assert [r.key for r in rows_of(people["vicemayor"])] == [
        f"problem-{u.pk}" for u in (other.urgings.get(), first, second)
    ]
    with pytest.raises(InvalidInput) as refused:
        act(matter, "instruct_on_problem", "vicemayor", urging=other.urgings.get().pk, text="阅")
    assert "urging" in refused.value.fields
    with pytest.raises(RefusedByRule):
        act(matter, "instruct_on_problem", "vicemayor", urging=plain.pk, text="阅")
    with pytest.raises(InvalidInput):
        act(matter, "instruct_on_problem", "vicemayor", urging=first.pk, text="")
    matter = act(matter, "instruct_on_problem", "vicemayor", urging=first.pk, text="阅，协调。")
    # Twice on the same problem, while another is still open.
    with pytest.raises(RefusedByRule):
        act(matter, "instruct_on_problem", "vicemayor", urging=first.pk, text="再批")
    assert ProblemInstruction.objects.count() == 1
    assert [r.key for r in rows_of(people["vicemayor"])] == [
        f"problem-{other.urgings.get().pk}",
        f"problem-{second.pk}",
    ]


def test_the_leader_may_instruct_after_the_feedback_but_not_after_the_archive(
    major, act, people, today
):
    matter = urge(act, major(co_units=[]))
    matter = act(matter, "draft_feedback", "staff_education", feedback="已办结")
    matter = act(matter, "sign_off", "head_education")
    assert matter.state == State.FEEDBACK_SUBMITTED
    assert len(rows_of(people["vicemayor"])) == 1
    matter = act(matter, "archive", "supervision_office", report="已办结")
    # The file is closed: the task is gone and the step is not open.
    assert rows_of(people["vicemayor"]) == []
    with pytest.raises(WrongState):
        act(
            matter,
            "instruct_on_problem",
            "vicemayor",
            urging=matter.urgings.get().pk,
            text="阅",
        )


def test_the_rows_cost_one_query_whatever_their_number(
    major, act, people, django_assert_num_queries
):
    leader = people["vicemayor"]
    urge(act, major())
    with django_assert_num_queries(1):
        assert len(worklist.problem_rows(leader)) == 1
    for n in range(3):
        urge(act, major(title=f"督办事项{n}"))
    with django_assert_num_queries(1):
        assert len(worklist.problem_rows(leader)) == 4


# --- the pages ---------------------------------------------------------------------------------


def test_the_leader_sees_the_task_in_the_inbox_and_instructs_on_the_screen(
    client, major, act, people
):
    matter = urge(act, major())
    urging = matter.urgings.get()
    client.force_login(people["vicemayor"])
    inbox = client.get("/workflow/inbox/").content.decode()
    assert f'data-row="problem-{urging.pk}"' in inbox and STEP in inbox
    assert matter.card.number in inbox
    count = worklist.counts(people["vicemayor"], D(2026, 11, 2))["inbox"]
    assert f'data-testid="inbox-count">{count}<' in inbox
    page = client.get(f"/supervision/{matter.pk}/").content.decode()
    assert "待交办领导阅示" in page and 'data-action="instruct_on_problem"' in page
    screen = client.get(f"/supervision/{matter.pk}/act/?action=instruct_on_problem")
    assert screen.status_code == 200 and "资金缺口较大" in screen.content.decode()
    # Two problems: the inbox's row opens the screen on its own.
    matter = urge(act, matter, findings="征地拆迁受阻")
    second = matter.urgings.order_by("id").last()
    screen = client.get(
        f"/supervision/{matter.pk}/act/?action=instruct_on_problem&urging={second.pk}"
    ).content.decode()
    assert f'<option value="{second.pk}" selected>' in screen
    assert f'<option value="{urging.pk}">' in screen
    # The mayor sees the matter, but the step is not theirs.
    client.force_login(people["mayor"])
    page = client.get(f"/supervision/{matter.pk}/").content.decode()
    assert 'data-action="instruct_on_problem"' not in page
    refused = client.post(
        f"/supervision/{matter.pk}/act/?action=instruct_on_problem",
        {"action": "instruct_on_problem", "urging": urging.pk, "text": "阅"},
    )
    # Not offered to them: sent back to the screen, nothing done.
    assert refused.status_code == 302 and "/act/" in refused["Location"]
    assert not ProblemInstruction.objects.exists()
    client.force_login(people["vicemayor"])
    response = client.post(
        f"/supervision/{matter.pk}/act/?action=instruct_on_problem",
        {"action": "instruct_on_problem", "urging": urging.pk, "text": "请财政局协调资金。"},
    )
    assert response.status_code == 302
    assert ProblemInstruction.objects.get().text == "请财政局协调资金。"
    inbox = client.get("/workflow/inbox/").content.decode()
    assert f'data-row="problem-{urging.pk}"' not in inbox
    assert f'data-row="problem-{second.pk}"' in inbox
    page = client.get(f"/supervision/{matter.pk}/").content.decode()
    assert "领导批示：" in page and "请财政局协调资金。" in page and "陈思远" in page
    assert f'data-urging="{urging.pk}"><strong>领导批示：' in page
    assert f'data-urging="{second.pk}"><span class="cw-muted">待交办领导阅示' in page


# --- the API -----------------------------------------------------------------------------------


def test_the_leader_instructs_through_the_api(login_api, major, act):
    matter = urge(act, major())
    urging = matter.urgings.get()
    step = f"{URL}/{matter.pk}/transitions/instruct_on_problem"
    leader = login_api("vicemayor")
    body = leader.get(f"{URL}/{matter.pk}").json()
    assert "instruct_on_problem" in body["available_transitions"]
    assert body["urgings"][0]["id"] == urging.pk and body["urgings"][0]["instruction"] is None
    for username in ("mayor", "supervision_office", "head_education"):
        client = login_api(username)
        assert (
            "instruct_on_problem"
            not in (client.get(f"{URL}/{matter.pk}").json()["available_transitions"])
        )
        refused = client.post(step, {"urging": urging.pk, "text": "阅"}, format="json")
        assert refused.status_code == 403, username
    bad = leader.post(step, {"urging": "x", "text": "阅"}, format="json")
    assert bad.status_code == 400 and "urging" in bad.json()["fields"]
    assert not ProblemInstruction.objects.exists()
    done = leader.post(step, {"urging": urging.pk, "text": "请抓紧协调。"}, format="json")
    assert done.status_code == 200, done.json()
    body = done.json()
    assert body["urgings"][0]["instruction"] == {
        "text": "请抓紧协调。",
        "on": "2026-11-02",
        "by": "vicemayor",
    }
    assert "instruct_on_problem" not in body["available_transitions"]
    again = leader.post(step, {"urging": urging.pk, "text": "再批"}, format="json")
    assert again.status_code == 409
    assert ProblemInstruction.objects.count() == 1
