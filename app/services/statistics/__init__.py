"""Activity statistics (issue 15): the dashboard, its CSV tables and the annual report.

Aggregates only, computed in SQL from readable columns (``docs/security.md`` §3), masked so
that no patient can be recognised (``masking``). The service is
:class:`~app.services.statistics.service.StatisticsService`; the plain data it returns is in
``model`` (which the views import: this package's ``__init__`` imports nothing, so that they
do not reach SQLAlchemy through it).
"""
