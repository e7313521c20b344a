"""Named entry points: how one procedure reaches another without importing it.

The side that offers an act registers it under a name in its ``AppConfig.ready()``; the side
that needs it calls it by that name. A complaint whose outcome pursues a department head's
responsibility, and a preliminary investigation concluded "open a case", both open an
accountability case through ``call("accountability.open_case", ...)``: neither app imports
the accountability app, and no import cycle can form between procedures.
"""

from collections.abc import Callable

_ENTRY_POINTS: dict[str, Callable] = {}


class MissingEntryPoint(LookupError):
    pass


def provide(name: str, function: Callable) -> None:
    """Offer ``function`` under ``name`` (called once, from an ``AppConfig.ready()``)."""
    _ENTRY_POINTS[name] = function


def call(name: str, *args, **kwargs):
    """Call the entry point ``name``; its app must be installed."""
    try:
        function = _ENTRY_POINTS[name]
    except KeyError:
        raise MissingEntryPoint(f"no entry point named {name!r}: is its app installed?") from None
    return function(*args, **kwargs)


def provided() -> list[str]:
    return sorted(_ENTRY_POINTS)
