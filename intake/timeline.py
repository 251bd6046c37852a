"""The resident's page, open to the apps above intake.

Intake shows a resident's file, conversations and stages; later apps (coaching: the business
plan; referrals, the Qredits pack) add their events to the resident's timeline and their panels
to the page by registering here from their ``AppConfig.ready()``. Intake never imports them:
dependencies run one way (DESIGN.md).
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass
class TimelineEntry:
    """One event in a resident's history, shown with its own template (given ``item``)."""

    day: datetime.date
    template: str
    item: object
    # Within one day: in the order they were recorded.
    recorded_at: datetime.datetime | None = None


@dataclass(frozen=True)
class Panel:
    """A block on the resident's page: a template and what it needs (``context(resident)``)."""

    template: str
    context: Callable[[object], dict] = field(default=lambda resident: {})


# Each source gives a resident's entries in a fixed number of queries.
_timeline_sources: list[Callable[[object], Iterable[TimelineEntry]]] = []
_panels: list[Panel] = []


def register_timeline(source: Callable[[object], Iterable[TimelineEntry]]) -> None:
    if source not in _timeline_sources:
        _timeline_sources.append(source)


def register_panel(panel: Panel) -> None:
    if panel not in _panels:
        _panels.append(panel)


def registered_entries(resident) -> list[TimelineEntry]:
    """The entries that the apps above intake registered for this resident."""
    return [entry for source in _timeline_sources for entry in source(resident)]


def panels_for(resident) -> list[tuple[str, dict]]:
    """(template, context) of every registered panel, in the order they were registered."""
    return [(panel.template, panel.context(resident)) for panel in _panels]
