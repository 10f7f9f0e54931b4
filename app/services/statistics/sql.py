"""SQL that works the same on SQLite and PostgreSQL: durations, months, percentiles.

Every figure is an aggregate computed by the database; Python only receives one row per group
(a count, or the two values around a percentile). SQLite has no percentile function and no
time zones, so:

- a duration in days is ``julianday(b) - julianday(a)`` on SQLite, ``extract(epoch from b -
  a) / 86400`` on PostgreSQL;
- the month of an instant is found by comparing it with the UTC edges of the clinic's months
  (``Period.edges``), in a ``CASE``;
- the clinic's date of an instant adds the clinic's UTC offset of that instant (a ``CASE`` over
  the changes of summer time, ``periods.offsets``) on SQLite; PostgreSQL converts it;
- percentiles are ranked with window functions (``ROW_NUMBER`` and ``COUNT`` over the group),
  and interpolated linearly between the two ranks around them (as PostgreSQL's
  ``percentile_cont`` or a spreadsheet's ``CENTILE``): the p-th percentile of n sorted values
  is ``v[k] + f × (v[k+1] − v[k])`` where ``k + f = 1 + (n − 1) × p / 100``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Date, Float, case, cast, func, literal, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.selectable import Select

from app.clock import CLINIC_TZ
from app.services.statistics.periods import offsets

MEDIAN, P90 = 50, 90


@dataclass(frozen=True)
class Spread:
    """How long something took (days) over ``n`` measures: median and 90th percentile."""

    n: int
    median: float | None
    p90: float | None


NO_SPREAD = Spread(0, None, None)


class Dialect:
    """Expressions for the database in use (``session.bind.dialect.name``)."""

    def __init__(self, name: str) -> None:
        self.sqlite = name == "sqlite"

    @classmethod
    def of(cls, session: Session) -> Dialect:
        return cls(session.get_bind().dialect.name)

    def days(self, since: ColumnElement, until: ColumnElement) -> ColumnElement:
        """``until - since`` in days (a float)."""
        if self.sqlite:
            return func.julianday(until) - func.julianday(since)
        return cast(func.extract("epoch", until - since), Float) / 86400.0

    def local_date(self, at: ColumnElement, begins: datetime, ends: datetime) -> ColumnElement:
        """The clinic's date of the instant ``at`` (instants between ``begins`` and ``ends``):
        a ``date`` on PostgreSQL, an ISO text « 2026-03-29 » on SQLite."""
        if not self.sqlite:
            return cast(func.timezone(str(CLINIC_TZ), at), Date)
        changes = offsets(begins, ends)
        hours = case(
            *((at >= since, literal(h)) for since, h in reversed(changes[1:])),
            else_=literal(changes[0][1]),
        )
        return func.date(at, func.printf("%+d hours", hours))


def bucket(at: ColumnElement, edges: Sequence[datetime]) -> ColumnElement:
    """The index ``i`` of the interval ``[edges[i], edges[i + 1])`` that holds ``at`` (NULL
    outside them)."""
    whens = [(at < edge, literal(i - 1)) for i, edge in enumerate(edges) if i]
    return case((at < edges[0], None), *whens, else_=None)


def date_bucket(day: ColumnElement, firsts: Sequence) -> ColumnElement:
    """The index of the month (first days ``firsts``) that holds the date ``day``."""
    whens = [(day < first, literal(i - 1)) for i, first in enumerate(firsts) if i]
    return case(*whens, else_=literal(len(firsts) - 1))


def spreads(session: Session, source: Select) -> dict[int, Spread]:
    """Median and 90th percentile of ``source``'s value ``v`` for each key ``k`` (two
    columns; NULL values left out), computed by the database."""
    src = source.subquery("measures")
    ranked = (
        select(
            src.c.k.label("k"),
            src.c.v.label("v"),
            func.row_number().over(partition_by=src.c.k, order_by=src.c.v).label("rn"),
            func.count().over(partition_by=src.c.k).label("n"),
        )
        .where(src.c.v.is_not(None))
        .subquery("ranked")
    )
    rn, n, v = ranked.c.rn, ranked.c.n, ranked.c.v

    def rank(p: int, step: int) -> ColumnElement:
        return (n - 1) * p // 100 + step

    def at(p: int, step: int) -> ColumnElement:
        return func.max(case((rn == rank(p, step), v), else_=None))

    wanted = [rn == rank(p, step) for p in (MEDIAN, P90) for step in (1, 2)]
    query = (
        select(
            ranked.c.k,
            func.max(n),
            at(MEDIAN, 1),
            at(MEDIAN, 2),
            at(P90, 1),
            at(P90, 2),
        )
        .where(or_(*wanted))
        .group_by(ranked.c.k)
    )
    out: dict[int, Spread] = {}
    for key, count, m_low, m_high, p_low, p_high in session.execute(query):
        count = int(count)
        out[int(key)] = Spread(
            count,
            _interpolate(count, MEDIAN, m_low, m_high),
            _interpolate(count, P90, p_low, p_high),
        )
    return out


def _interpolate(n: int, p: int, low: float | None, high: float | None) -> float | None:
    if low is None:
        return None
    fraction = ((n - 1) * p % 100) / 100
    if not fraction or high is None:
        return float(low)
    return float(low) + fraction * (float(high) - float(low))
