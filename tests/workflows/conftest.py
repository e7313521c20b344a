# The accountability fixtures drive the services as the demo people do: register(), act().
from tests.accountability.conftest import act, people, register  # noqa: F401
