"""What the dashboard needs from the statistics service (structural type, like ``ports``)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from app.services.kernel.actor import Actor
from app.services.statistics.model import Dashboard, Professional, StatsFilter


class StatisticsPort(Protocol):
    def can_read(self, actor: Actor) -> bool: ...
    def default_filter(self, actor: Actor) -> StatsFilter: ...
    def professionals(self, actor: Actor) -> list[Professional]: ...
    def dashboard(
        self,
        actor: Actor,
        flt: StatsFilter,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> Dashboard: ...
    def report_pdf(self, actor: Actor, dashboard: Dashboard) -> bytes: ...
    def export_csv(self, actor: Actor, dashboard: Dashboard, folder: Path) -> list[Path]: ...
