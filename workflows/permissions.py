"""The task permissions a person holds, so that viewflow's queue shows their tasks.

A task waits in a queue under a permission (``Task.owner_permission``, see
``flows.permission_name``): one per actor of a procedure's declaration, and one per unit for
an actor bound to a unit (a receiving organ). viewflow selects a person's queue with
``owner_permission__in=user.get_all_permissions()`` and asks ``user.has_perm`` whether they
may claim a task; both are answered here from the declarations' actors — acting for the
mayor depends on a delegation valid today, so none of this is stored. The backend belongs in
``AUTHENTICATION_BACKENDS``.
"""

from django.contrib.auth.backends import BaseBackend

from casework.kernel.declaration import procedures


def permission_name(procedure, actor, scope=None) -> str:
    """The permission under which a task waits in ``actor``'s queue:
    ``accountability.act_as_mayor``, ``complaints.act_for_department_7``."""
    name = f"{procedure.name}.{actor.key}"
    return name if scope is None else f"{name}_{scope}"


def task_permissions(user) -> set[str]:
    """Every queue ``user`` may claim tasks from (cached on the user for the request)."""
    if not user.is_active or user.is_anonymous:
        return set()
    if not hasattr(user, "_task_permissions"):
        held = set()
        for procedure in procedures():
            for task in procedure.tasks.values():
                actor = task.by
                if actor.scope is not None:
                    held |= {permission_name(procedure, actor, s) for s in actor.scopes_of(user)}
                elif not actor.per_object and actor(user):
                    held.add(permission_name(procedure, actor))
        user._task_permissions = held
    return user._task_permissions


class TaskPermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None:
            return set()
        return task_permissions(user_obj)

    def has_perm(self, user_obj, perm, obj=None):
        return obj is None and perm in task_permissions(user_obj)
