"""A client system sends batches of events about its in-process items: duplicates change
nothing, events out of order land where they belong, a bad event is refused with its index
while the good ones are kept, and each item has a deadline with the usual levels and cards
(Quzhou part 3 (1); Xinxiang warning art. 4 (三) and art. 5–8)."""

import datetime

import pytest

from casework.deadlines import services as deadline_services
from casework.deadlines.models import (
    AdmonitionLetter,
    Deadline,
    Kind,
    Level,
    Notification,
    PreliminaryInvestigation,
)
from casework.interface.models import ClientCall, Item, ItemEvent, ItemState
from casework.org.models import User

from .conftest import event, send

pytestmark = pytest.mark.django_db
D = datetime.date


def item_of(item_id):
    return Item.objects.select_related("deadline").get(item_id=item_id)


def test_a_batch_opens_items_and_their_deadlines(system):
    api = system()
    response = send(
        api,
        [
            event("k1", "XK-001", "received", "2026-03-02T09:00:00+08:00"),
            event("k2", "XK-001", "accepted", "2026-03-02T10:00:00+08:00"),
            event("k3", "XK-002", "received", "2026-03-02T11:00:00+08:00", department="transport"),
        ],
    )
    assert response.status_code == 200, response.content
    assert response.json() == {"accepted": 3, "duplicates": 0, "refused": []}
    accepted = item_of("XK-001")
    assert accepted.state == ItemState.ACCEPTED
    deadline = accepted.deadline
    # Accepted Monday 2026-03-02, 5 working days from the next day: Monday 03-09.
    assert (deadline.kind, deadline.start_date, deadline.due) == (
        Kind.INTERFACE_ITEM,
        D(2026, 3, 2),
        D(2026, 3, 9),
    )
    assert deadline.responsible_unit.code == "education"
    assert "XK-001" in deadline.description
    assert deadline.history.first().history_change_reason.endswith("受理")
    # Only received: not yet on the clock.
    assert item_of("XK-002").state == ItemState.RECEIVED
    assert item_of("XK-002").deadline is None


def test_a_resend_changes_nothing(system):
    api = system()
    batch = [
        event("k1", "XK-001", "accepted", "2026-03-02T10:00:00+08:00"),
        event("k2", "XK-001", "decided", "2026-03-05T10:00:00+08:00"),
    ]
    assert send(api, batch).json()["accepted"] == 2
    deadline = item_of("XK-001").deadline
    history = deadline.history.count()
    again = send(api, batch)
    assert again.json() == {"accepted": 0, "duplicates": 2, "refused": []}
    # Also a duplicate inside one batch, beside a new event.
    mixed = send(
        api, [batch[0], batch[0], event("k3", "XK-002", "received", "2026-03-05T10:00:00+08:00")]
    )
    assert mixed.json() == {"accepted": 1, "duplicates": 2, "refused": []}
    assert ItemEvent.objects.count() == 3
    assert deadline.history.count() == history
    assert item_of("XK-001").deadline.done_at is not None


def test_a_key_reused_for_other_content_is_refused(system):
    api = system()
    send(api, [event("k1", "XK-001", "accepted", "2026-03-02T10:00:00+08:00")])
    response = send(api, [event("k1", "XK-001", "decided", "2026-03-04T10:00:00+08:00")])
    body = response.json()
    assert body["accepted"] == 0 and body["duplicates"] == 0
    assert body["refused"][0]["index"] == 0
    assert body["refused"][0]["error"] == "conflict"
    assert item_of("XK-001").state == ItemState.ACCEPTED


def test_keys_belong_to_their_client_system(system):
    first, second = system(name="审批系统"), system(name="不动产登记系统")
    send(first, [event("k1", "XK-001", "accepted", "2026-03-02T10:00:00+08:00")])
    response = send(second, [event("k1", "XK-001", "accepted", "2026-03-02T10:00:00+08:00")])
    assert response.json()["accepted"] == 1
    assert Item.objects.filter(item_id="XK-001").count() == 2


def test_bad_events_are_refused_with_their_index_and_the_good_ones_are_kept(system):
    api = system()
    response = send(
        api,
        [
            event("k1", "XK-001", "accepted", "2026-03-02T10:00:00+08:00"),
            event("k2", "XK-002", "accepted", "2026-03-02T10:00:00"),  # no time zone
            event("k3", "XK-003", "accepted", "2026-03-02T10:00:00+08:00", department="nowhere"),
            event("k4", "XK-004", "approved", "2026-03-02T10:00:00+08:00"),
            event("k5", "XK-005", "accepted", "2026-03-02T10:00:00+08:00", days=0),
            "not an object",
            {**event("k7", "XK-007", "accepted", "2026-03-02T10:00:00+08:00"), "name": "张三"},
            event("k8", "XK-008", "accepted", "2099-01-01T10:00:00+08:00"),
            event("k9", "XK-001", "decided", "2026-03-04T10:00:00+08:00", department="transport"),
            event("k10", "XK-001", "suspended", "2026-03-03T10:00:00+08:00"),
        ],
    )
    assert response.status_code == 200
    body = response.json()
    assert body["accepted"] == 2
    refused = {r["index"]: r for r in body["refused"]}
    assert sorted(refused) == [1, 2, 3, 4, 5, 6, 7, 8]
    assert list(refused[1]["fields"]) == ["at"]
    assert list(refused[2]["fields"]) == ["department"]
    assert list(refused[3]["fields"]) == ["event"]
    assert list(refused[4]["fields"]) == ["promised_working_days"]
    assert refused[5]["error"] == "invalid"
    assert list(refused[6]["fields"]) == ["non_field_errors"]  # an unknown field
    assert list(refused[7]["fields"]) == ["at"]  # in the future
    assert refused[8]["error"] == "conflict"  # the item belongs to another department
    assert all(r["detail"] for r in body["refused"])
    assert item_of("XK-001").state == ItemState.SUSPENDED
    assert not Item.objects.exclude(item_id="XK-001").exists()


def test_events_out_of_order_land_where_they_belong(system):
    """The same events in two orders, in several batches: the same item in the end."""
    life = [
        event("a1", "XK-IN", "received", "2026-03-02T09:00:00+08:00"),
        event("a2", "XK-IN", "accepted", "2026-03-02T10:00:00+08:00"),
        event("a3", "XK-IN", "suspended", "2026-03-04T10:00:00+08:00"),
        event("a4", "XK-IN", "resumed", "2026-03-09T10:00:00+08:00"),
        event("a5", "XK-IN", "decided", "2026-03-12T10:00:00+08:00"),
        event("a6", "XK-IN", "completed", "2026-03-13T10:00:00+08:00"),
    ]
    shuffled = [
        {**e, "item_id": "XK-OUT", "idempotency_key": "b" + e["idempotency_key"]} for e in life
    ]
    api = system()
    send(api, life)
    # Out of order: the decision first, then the resumption before its suspension.
    send(api, [shuffled[4], shuffled[5]])
    assert item_of("XK-OUT").deadline is None  # not accepted yet
    send(api, [shuffled[3], shuffled[0]])
    send(api, [shuffled[2], shuffled[1]])
    in_order, out_of_order = item_of("XK-IN"), item_of("XK-OUT")
    fields = ["state", "accepted_at", "decided_at", "completed_at", "paused_working_days"]
    assert [getattr(in_order, f) for f in fields] == [getattr(out_of_order, f) for f in fields]
    assert in_order.state == ItemState.COMPLETED and in_order.paused_working_days == 3
    one, other = in_order.deadline, out_of_order.deadline
    assert (one.due, one.done_at, one.suspended_on) == (
        other.due,
        other.done_at,
        other.suspended_on,
    )
    # 5 days from Monday 03-02 plus 3 paused (Thu 03-05 to Mon 03-09): Thursday 03-12.
    assert one.due == D(2026, 3, 12)


def test_a_suspension_for_correction_stops_the_clock_across_the_spring_festival(system):
    """Accepted Monday 2026-02-09 with 5 working days: due Saturday 02-14 (an adjusted
    working day). Suspended for correction on Thursday 02-12 and resumed on Wednesday
    02-25, after the Spring Festival (02-15 to 02-23): 4 working days paused (02-13, 02-14,
    02-24, 02-25), so the due date moves to Friday 02-27."""
    api = system()
    send(
        api,
        [
            event("s1", "XK-CNY", "accepted", "2026-02-09T09:30:00+08:00"),
            event("s2", "XK-CNY", "suspended", "2026-02-12T15:00:00+08:00"),
        ],
    )
    deadline = item_of("XK-CNY").deadline
    assert deadline.due == D(2026, 2, 14)
    assert deadline.suspended_on == D(2026, 2, 12)
    # Past the original due date, but the clock stands still: no card.
    assert deadline.level_as_of(D(2026, 2, 24)) == Level.NORMAL
    assert not Deadline.objects.at_level(D(2026, 2, 24), Level.RED, Level.YELLOW).exists()
    send(api, [event("s3", "XK-CNY", "resumed", "2026-02-25T09:00:00+08:00")])
    item = item_of("XK-CNY")
    deadline = item.deadline
    assert (item.state, item.paused_working_days) == (ItemState.ACCEPTED, 4)
    assert (deadline.due, deadline.suspended_on) == (D(2026, 2, 27), None)
    assert deadline.level_as_of(D(2026, 2, 26)) == Level.PRE_WARNING
    assert deadline.level_as_of(D(2026, 3, 2)) == Level.YELLOW  # Saturday 02-28 was worked
    assert deadline.level_as_of(D(2026, 3, 3)) == Level.RED
    # The same rule as a resumed execution (deadlines.lifecycle.resume).
    assert deadline_services.paused_working_days(D(2026, 2, 12), D(2026, 2, 25)) == 4
    reasons = [h.history_change_reason for h in deadline.history.order_by("history_id")]
    assert reasons == [
        "市行政服务中心审批系统报送：补正（暂停计时）",
        "市行政服务中心审批系统报送：补正后恢复计时",
    ]


def test_the_board_letters_and_investigations_cover_items(system, demo_people, login_api, client):
    api = system()
    send(api, [event("w1", "XK-LATE", "accepted", "2026-02-09T09:30:00+08:00")])
    deadline = item_of("XK-LATE").deadline  # due Saturday 02-14
    deadline_services.scan(D(2026, 2, 13))  # the working day before: pre-warning
    notice = Notification.objects.filter(deadline=deadline).first()
    assert "在办事项 XK-LATE" in notice.title
    assert notice.link == f"/deadlines/{deadline.pk}/explain/"
    assert notice.recipient.official.department.code == "education"
    deadline_services.scan(D(2026, 2, 24))  # yellow: an admonition letter to the unit
    letter = AdmonitionLetter.objects.get(deadline=deadline)
    assert letter.unit.code == "education"
    assert "在办事项 XK-LATE" in letter.document.body
    deadline_services.scan(D(2026, 2, 27))  # red: a preliminary investigation proposed
    assert PreliminaryInvestigation.objects.filter(deadline=deadline).exists()
    board = login_api("investigator").get(
        "/api/v1/deadlines", {"procedure": "interface", "as_of": "2026-02-27", "level": "red"}
    )
    assert [row["id"] for row in board.json()["results"]] == [deadline.pk]
    client.force_login(User.objects.get(username="investigator"))
    page = client.get("/deadlines/board/", {"procedure": "interface"})
    assert page.status_code == 200
    assert "XK-LATE" in page.content.decode() and "在办事项" in page.content.decode()


def test_the_batch_limit_and_the_body_shape(system):
    api = system()
    too_many = [
        event(f"k{i}", f"XK-{i}", "received", "2026-03-02T09:00:00+08:00") for i in range(1001)
    ]
    response = send(api, too_many)
    assert response.status_code == 413
    assert response.json()["error"] == "too_large"
    response = api.post("/api/v1/interface/items/events", {"events": {}}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {"events": ["events 必须是事件数组。"]}
    assert not Item.objects.exists()
    assert ClientCall.objects.filter(status=413).exists()


def test_a_full_batch_of_a_thousand_events(system, django_assert_max_num_queries):
    """1,000 events over 250 items in one request, in a bounded number of queries."""
    api = system()
    kinds = ["received", "accepted", "suspended", "resumed"]
    batch = [
        event(
            f"k{i}-{n}",
            f"XK-{i}",
            kind,
            f"2026-03-{2 + n:02d}T10:00:00+08:00",
            department=["education", "transport"][i % 2],
        )
        for i in range(250)
        for n, kind in enumerate(kinds)
    ]
    with django_assert_max_num_queries(80):
        response = send(api, batch)
    assert response.json()["accepted"] == 1000
    assert Item.objects.filter(state=ItemState.ACCEPTED, paused_working_days=1).count() == 250


def test_every_history_row_of_a_batch_is_sealed_in_the_record(system):
    """The rows written in bulk are sealed in the audit chain like rows saved one by one,
    and the chain stays whole."""
    from casework.audit import chain
    from casework.audit.models import AuditEntry

    send(
        system(),
        [
            event("h1", "XK-1", "accepted", "2026-03-02T10:00:00+08:00"),
            event("h2", "XK-2", "accepted", "2026-03-02T10:00:00+08:00"),
        ],
    )
    send(system(name="另一系统"), [event("h3", "XK-3", "accepted", "2026-03-02T10:00:00+08:00")])
    stored = {str(pk) for pk in Deadline.history.values_list("history_id", flat=True)}
    sealed = set(
        AuditEntry.objects.filter(table_name=Deadline.history.model._meta.db_table).values_list(
            "row_id", flat=True
        )
    )
    assert len(stored) == 3 and stored == sealed
    assert chain.verify().ok
