"""History rows of a procedure's object say which act made them, from which state, from
where: the pipeline sets these on the object before it saves it, and this signal receiver
copies them onto the history row that django-simple-history creates."""

from simple_history.signals import pre_create_historical_record


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
    history_instance.ip_address = getattr(instance, "_history_ip", None)


def stamp_history_of(model) -> None:
    pre_create_historical_record.connect(
        _copy_stamp,
        sender=model.history.model,
        weak=False,
        dispatch_uid=f"kernel_history_stamp_{model._meta.label_lower}",
    )
