"""History rows say who made a change, which act, from which state, why and from which
address.

* A procedure's object: the pipeline sets these on the object before it saves it
  (``stamp``), and ``_copy_stamp`` copies them onto the history row that django-simple-history
  creates.
* Every history model of the project has the column ``ip_address`` (``AddressedHistory``, the
  ``bases=`` of each ``HistoricalRecords``). Its value is, in this order: the address stamped
  on the object; the address of the act under way (``acting``, set by the pipeline and by
  the services that take ``ip``, so that the deadlines, documents, decisions and the flow's
  tasks an act writes carry the act's address); the address of the request being served
  (simple-history's middleware keeps the request, as it does for the user: an edit in the
  admin). A command or the scan acts from no address (empty).
* A row written during an act without a reason of its own (the flow's tasks) gets the act's.
* An act takes the record's lock before anything else (``casework.audit.chain.lock``): every
  history row it writes is sealed into the hash chain.
"""

import contextlib
import contextvars

from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from . import chain

_act: contextvars.ContextVar[tuple[str | None, str | None]] = contextvars.ContextVar(
    "casework_history_act", default=(None, None)
)


class AddressedHistory(models.Model):
    """The columns every history row carries besides simple-history's own (who, when, why):
    the address the change came from."""

    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        abstract = True


class ActHistory(models.Model):
    """The columns of a procedure's history rows: which act made the change (the step's name),
    from which state, from which address."""

    action = models.CharField(_("操作"), max_length=40, blank=True)
    from_state = models.CharField(_("原状态"), max_length=32, blank=True)
    ip_address = models.GenericIPAddressField(_("IP 地址"), null=True, blank=True)

    class Meta:
        abstract = True


@contextlib.contextmanager
def acting(ip=None, reason=None):
    """Every history row written inside this block records ``ip`` (unless the object was
    stamped with its own), and ``reason`` if it has none. ``None`` leaves what an enclosing
    block set in force. Entered inside a transaction, it first takes the record's lock: enter
    it before locking any row."""
    outer_ip, outer_reason = _act.get()
    sealing = contextlib.nullcontext()
    if transaction.get_connection().in_atomic_block:
        chain.lock()
        # The act's history rows are sealed together when it ends (chain.sealed_together).
        sealing = chain.sealed_together(locked=True)
    token = _act.set((ip or outer_ip, reason or outer_reason))
    try:
        with sealing:
            yield
    finally:
        _act.reset(token)


def address_of(instance) -> str | None:
    ip = getattr(instance, "_history_ip", None) or _act.get()[0]
    if ip:
        return ip
    request = getattr(HistoricalRecords.context, "request", None)
    if request is not None:
        return request.META.get("REMOTE_ADDR") or None
    return None


def stamp(obj, actor, action: str, from_state: str, reason: str, ip=None) -> None:
    """What the next history row of ``obj`` records: who, which act, from which state, why,
    from which address."""
    obj._history_user = actor
    obj._change_reason = reason
    obj._history_action = action
    obj._history_from_state = from_state
    obj._history_ip = ip


def _copy_stamp(sender, instance, history_instance, **kwargs):
    history_instance.action = getattr(instance, "_history_action", "") or ""
    history_instance.from_state = getattr(instance, "_history_from_state", "") or ""
    history_instance.ip_address = address_of(instance)


def _stamp_address(sender, instance, history_instance, **kwargs):
    if hasattr(history_instance, "ip_address") and not history_instance.ip_address:
        history_instance.ip_address = address_of(instance)
    reason = _act.get()[1]
    if reason and not history_instance.history_change_reason:
        history_instance.history_change_reason = str(reason)


def stamp_history_of(model) -> None:
    pre_create_historical_record.connect(
        _copy_stamp,
        sender=model.history.model,
        weak=False,
        dispatch_uid=f"kernel_history_stamp_{model._meta.label_lower}",
    )


def stamp_every_address() -> None:
    """Connected once, in the kernel's ``ready()``: every history row of every model."""
    pre_create_historical_record.connect(
        _stamp_address, weak=False, dispatch_uid="kernel_history_address"
    )
