"""A resident's privacy rights (AVG art. 15, 17, 20), open to the apps above intake.

Intake holds the file, conversations and stages; coaching holds the plan, reviews and later
referrals and packs. A copy of someone's data and the erasure of her file must reach all of it,
so every app registers here, from its ``AppConfig.ready()``, what it holds about a resident:

- an *exporter* gives that app's data about one resident as JSON-ready values (dicts, lists,
  strings, numbers; dates as ISO strings) under a section name and a human label;
- an *eraser* removes that app's personal data about one resident, inside the erasure's
  transaction, keeping only the anonymous rows the desk's counts are made of;
- a *withdrawer* does what withdrawing consent means for that app's data (only name and
  contact stay; nothing is shared any more).

Intake never imports the apps above it: dependencies run one way (DESIGN.md).
"""

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class Exporter:
    name: str  # the section's key in the JSON copy, e.g. "business_plan"
    label: str  # a lazy translation: the section's heading in the PDF copy
    export: Callable[[object], object]  # resident -> JSON-ready data
    # The template that shows the section in the PDF copy, given ``data`` (what ``export``
    # returned); without one the PDF lists the data as it is (intake/data_copy_section.html).
    template: str = ""


_exporters: list[Exporter] = []
_erasers: list[Callable[[object], None]] = []
_withdrawers: list[Callable[[object], None]] = []


def register_exporter(exporter: Exporter) -> None:
    if exporter.name not in {e.name for e in _exporters}:
        _exporters.append(exporter)


def register_eraser(eraser: Callable[[object], None]) -> None:
    if eraser not in _erasers:
        _erasers.append(eraser)


def register_withdrawer(withdrawer: Callable[[object], None]) -> None:
    if withdrawer not in _withdrawers:
        _withdrawers.append(withdrawer)


def exporters() -> list[Exporter]:
    return list(_exporters)


def erasers() -> list[Callable[[object], None]]:
    return list(_erasers)


def withdrawers() -> list[Callable[[object], None]]:
    return list(_withdrawers)
