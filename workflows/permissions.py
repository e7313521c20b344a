"""Listing the task permissions a person holds, so that viewflow's queue shows their tasks.

A task waits in a queue under a permission (``Task.owner_permission``). viewflow selects a
person's queue with ``owner_permission__in=user.get_all_permissions()``, but the flows' task
permissions are ``rules`` predicates — acting for the mayor depends on a delegation valid on
the day — which ``rules.permissions.ObjectPermissionBackend`` answers in ``has_perm`` and
never lists. This backend lists them. It belongs in ``AUTHENTICATION_BACKENDS``.
"""

from django.contrib.auth.backends import BaseBackend


class TaskPermissionBackend(BaseBackend):
    def get_all_permissions(self, user_obj, obj=None):
        if obj is not None or not user_obj.is_active or user_obj.is_anonymous:
            return set()
        if not hasattr(user_obj, "_task_perm_cache"):
            from .accountability import TASK_PERMISSIONS

            user_obj._task_perm_cache = {
                name for name, predicate in TASK_PERMISSIONS.items() if predicate.test(user_obj)
            }
        return user_obj._task_perm_cache
