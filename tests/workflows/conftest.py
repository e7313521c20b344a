import pytest

# The accountability fixtures drive the services as the demo people do: register(), act().
from tests.accountability.conftest import act, people, register  # noqa: F401

TASK_BACKEND = "workflows.permissions.TaskPermissionBackend"


@pytest.fixture(autouse=True)
def task_permission_backend(settings):
    """viewflow's queue lists tasks by ``user.get_all_permissions()``; the task permissions
    are rules predicates, listed by this backend (to be in casework/settings.py)."""
    if TASK_BACKEND not in settings.AUTHENTICATION_BACKENDS:
        settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, TASK_BACKEND]
