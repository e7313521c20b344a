"""The transactional outbox: every state change, card and document in casework becomes an
``Event`` in the transaction that made it, with one ``Delivery`` per webhook endpoint that
reads its topic. A rolled-back act leaves nothing; a committed one cannot lose its event.
The deliveries are sent after the commit by a worker (``casework.interface.webhooks``).

What an event says is decided here, once, for every reader: the feed and the webhooks give
the same ``data``. It never holds a person's name nor anything a complainant could be
recognised by (Xinxiang complaints art. 8): a complaint's data is passed through its
procedure's own ``disclosure`` of a reader without any right, and the events name units,
numbers and states only.

Sources: the kernel's ``opened`` and ``transitioned`` (sent inside the pipeline's
transaction), the scan's ``WarningEvent`` and issued ``Document`` rows (``post_save``, inside
their transaction), and the items a client system reports (``record_many``, in the
ingestion's transaction).
"""

from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.db.models.expressions import RawSQL
from django.db.models.signals import post_save

from casework.deadlines.models import Deadline, Kind, WarningEvent
from casework.documents import formats
from casework.documents.models import Document
from casework.kernel import background
from casework.kernel import signals as kernel

from . import tasks
from .models import Delivery, Event, EventType, Topic, WebhookEndpoint


def connect():
    """Listen to the sources (``InterfaceConfig.ready``)."""
    kernel.opened.connect(_opened, dispatch_uid="interface_opened")
    kernel.transitioned.connect(_transitioned, dispatch_uid="interface_transitioned")
    post_save.connect(_card, sender=WarningEvent, dispatch_uid="interface_card")
    post_save.connect(_document, sender=Document, dispatch_uid="interface_document")


# --- writing -------------------------------------------------------------------------------


def _txid():
    """The writing transaction's id on PostgreSQL (see ``Event``), as part of the INSERT."""
    if connection.vendor == "postgresql":
        return RawSQL("txid_current()", [])
    return 0


def record(type_, topic, obj, data) -> Event:
    """One event, and its deliveries, in the current transaction."""
    return record_many([(type_, topic, obj, data)])[0]


def record_many(rows) -> list[Event]:
    """Events ``(type, topic, object, data)`` in one INSERT, and one delivery per event and
    endpoint reading its topic; each endpoint's worker is queued with them."""
    if not rows:
        return []
    txid = _txid()
    events = Event.objects.bulk_create(
        [
            Event(txid=txid, type=type_, topic=topic, object=obj, data=data)
            for type_, topic, obj, data in rows
        ]
    )
    readers = _readers()
    deliveries = [
        Delivery(event=event, endpoint_id=endpoint_id)
        for event in events
        for endpoint_id in readers.get(event.topic, ())
    ]
    if deliveries:
        Delivery.objects.bulk_create(deliveries)
        for endpoint_id in {delivery.endpoint_id for delivery in deliveries}:
            background.enqueue(tasks.deliver_endpoint, endpoint_id)
    return events


def _readers() -> dict[str, list[int]]:
    """Topic → the active endpoints of active client systems that read it."""
    readers: dict[str, list[int]] = {}
    for endpoint in (
        WebhookEndpoint.objects.filter(active=True, client__active=True)
        .only("pk", "client__scopes")
        .select_related("client")
    ):
        for topic in endpoint.client.topics:
            readers.setdefault(topic, []).append(endpoint.pk)
    return readers


# --- what each source says -----------------------------------------------------------------


def _public(procedure, data: dict) -> dict:
    """``data`` as a reader with no right sees it: a procedure with confidential fields
    (complaints) says which through its ``disclosure``."""
    disclosure = getattr(procedure.policy, "disclosure", None)
    if disclosure is None:
        return data
    return disclosure(AnonymousUser()).redact(data)


def _state_of(procedure, obj) -> dict:
    return {
        "procedure": procedure.name,
        "id": obj.pk,
        "label": str(procedure.describe(obj)),
        "state": obj.state,
        "state_name": str(obj.get_state_display()),
        "version": obj.version,
        "on": obj.last_act_on.isoformat() if obj.last_act_on else None,
    }


def _opened(sender, obj, actor, **kwargs):
    procedure = sender
    record(
        EventType.OPENED,
        procedure.name,
        f"{procedure.name}:{obj.pk}",
        _public(procedure, _state_of(procedure, obj)),
    )


def _transitioned(sender, obj, actor, step, from_state, **kwargs):
    procedure = sender
    data = {
        **_state_of(procedure, obj),
        "step": step.name,
        "step_name": str(step.label),
        "from_state": from_state,
    }
    record(
        EventType.RECORDED if step.during is not None else EventType.STATE_CHANGE,
        procedure.name,
        f"{procedure.name}:{obj.pk}",
        _public(procedure, data),
    )


def matter_of(deadline: Deadline) -> dict:
    """What a deadline belongs to, by number: a case, a complaint (its number only), an
    item of a client system."""
    if deadline.case_id:
        return {
            "procedure": "accountability",
            "id": deadline.case_id,
            "number": deadline.case.number,
        }
    if deadline.complaint_id:
        return {"procedure": "complaints", "id": deadline.complaint_id}
    if deadline.kind == Kind.INTERFACE_ITEM:
        item = getattr(deadline, "interface_item", None)
        if item is not None:
            return {"procedure": "interface", "system": item.client.name, "item_id": item.item_id}
    if deadline.kind == Kind.SUPERVISION_FEEDBACK:
        matter = getattr(deadline, "supervision_matter", None)
        if matter is not None:
            return {"procedure": "supervision", "id": matter.pk}
    return {}


def _card(sender, instance, created, raw=False, **kwargs):
    """Xinxiang warning art. 5–8: a pre-warning, a yellow or a red card, as the scan gives it."""
    if not created or raw:
        return
    deadline = instance.deadline
    record(
        EventType.CARD,
        Topic.WARNINGS,
        f"deadline:{deadline.pk}",
        {
            "deadline": deadline.pk,
            "level": instance.level,
            "level_name": str(instance.get_level_display()),
            "as_of": instance.as_of.isoformat(),
            "due": instance.due.isoformat(),
            "kind": deadline.kind,
            "kind_name": str(deadline.get_kind_display()),
            "description": deadline.description,
            "unit": deadline.responsible_unit.code if deadline.responsible_unit_id else None,
            "matter": matter_of(deadline),
        },
    )


def topic_of_document(document) -> str | None:
    """A case's documents are the accountability topic's; a document in no case is filed under
    the topic its type's format names (``Format.procedure``: a complaint's letters, the
    admonition letters, the meeting's agenda and minutes, the evaluation's bulletin). None: a
    type that names none is not published. A complaint's letters name no one in their title
    (Xinxiang complaints art. 8), and the feed never carries a body nor an addressee."""
    if document.case_id:
        return Topic.ACCOUNTABILITY
    format_ = formats.registered().get(document.doc_type)
    if format_ is not None and format_.procedure in Topic.values:
        return format_.procedure
    return None


def _document(sender, instance, created, raw=False, **kwargs):
    """An issued document, by number and title: never its body nor its addressee (who may
    be a person)."""
    if not created or raw:
        return
    data = {
        "number": instance.number,
        "type": instance.doc_type,
        "type_name": str(instance.get_doc_type_display()),
        "title": instance.title,
        "issued_on": instance.issued_on.isoformat(),
    }
    if instance.case_id:
        data["case"] = {"id": instance.case_id, "number": instance.case.number}
    topic = topic_of_document(instance)
    if topic is None:
        return
    record(EventType.DOCUMENT, topic, f"document:{instance.pk}", data)
