"""Activity statistics (issue 15): the dashboard, its CSV tables and the annual report.

Aggregates only, computed in SQL from readable columns (``docs/security.md`` §3), masked so
that no patient can be recognised (``masking``). The service is
:class:`~app.services.statistics.service.StatisticsService`.
"""

from app.services.statistics.model import (
    Dashboard,
    Headline,
    Professional,
    Section,
    StatRow,
    StatsFilter,
    StatTable,
    Value,
)
from app.services.statistics.service import StatisticsCancelled, StatisticsService

__all__ = [
    "Dashboard",
    "Headline",
    "Professional",
    "Section",
    "StatRow",
    "StatTable",
    "StatisticsCancelled",
    "StatisticsService",
    "StatsFilter",
    "Value",
]
