"""``UTCDateTime`` on SQLite: an instant written is the instant read, and the quick reading of
the stored text agrees with SQLAlchemy's own parse for every text it may meet."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
import sqlalchemy as sa
from hypothesis import given, settings
from hypothesis import strategies as st
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import processors
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column

from app.models.base import UTCDateTime

DIALECT = sqlite.dialect()
TYPE = UTCDateTime().dialect_impl(DIALECT)
READ = TYPE.result_processor(DIALECT, None)
WRITE = TYPE.bind_processor(DIALECT)


class _Base(DeclarativeBase):
    pass


class Stamp(_Base):
    __tablename__ = "stamp"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime | None] = mapped_column(UTCDateTime)


def general(text: str | None) -> datetime | None:
    """What SQLAlchemy's parse and ``process_result_value`` return (the reading before)."""
    return TYPE.process_result_value(processors.str_to_datetime(text), DIALECT)


instants = st.datetimes(
    min_value=datetime(1900, 1, 1), max_value=datetime(2200, 12, 31), timezones=st.just(UTC)
) | st.datetimes(
    min_value=datetime(1900, 1, 2),
    max_value=datetime(2200, 12, 30),
    timezones=st.sampled_from([timezone(timedelta(hours=2)), timezone(timedelta(hours=-5))]),
)


@settings(max_examples=300, deadline=None)
@given(instants)
def test_the_stored_text_reads_as_the_same_instant_in_utc(instant: datetime) -> None:
    stored = WRITE(instant)  # the text SQLite holds
    read = READ(stored)
    assert read == instant
    assert read.tzinfo is UTC
    assert read == general(stored) and read.tzinfo == general(stored).tzinfo


@pytest.mark.parametrize(
    "text",
    [
        "2026-12-03 10:11:12.123456",
        "2026-12-03 10:11:12",
        "2026-12-03 10:11:12.000000",
        "2026-12-03",  # written by hand, not by Relais
        "2026-12-03T10:11:12",
        "2026-12-03 10:11:12+01:00",
        "2026-12-03 10:11:12.5",
        "2026-12-03 10:11:12.123456789",
    ],
)
def test_any_other_text_is_read_as_sqlalchemy_reads_it(text: str) -> None:
    assert READ(text) == general(text)
    assert READ(text).tzinfo is not None


@pytest.mark.parametrize("text", ["2026-13-03 10:11:12.123456", "2026-12-03 25:11:12", "rien"])
def test_an_impossible_text_fails_as_before(text: str) -> None:
    with pytest.raises(ValueError):
        general(text)
    with pytest.raises(ValueError):
        READ(text)


def test_null_stays_null() -> None:
    assert READ(None) is None


def test_a_real_sqlite_file_round_trips_through_core_and_the_orm(tmp_path) -> None:
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'stamps.sqlite'}")
    _Base.metadata.create_all(engine)
    paris_summer = datetime(2026, 7, 14, 23, 30, 0, 5, tzinfo=timezone(timedelta(hours=2)))
    with Session(engine) as session:
        session.add_all([Stamp(id=1, at=paris_summer), Stamp(id=2, at=None)])
        session.commit()
    with engine.connect() as conn:
        conn.exec_driver_sql("INSERT INTO stamp VALUES (3, '2026-12-03')")  # by hand
        conn.commit()
        raw = conn.exec_driver_sql("SELECT at FROM stamp WHERE id = 1").scalar()
        assert raw == "2026-07-14 21:30:00.000005"  # naive UTC text
    with Session(engine) as session:
        stamps = {s.id: s.at for s in session.scalars(sa.select(Stamp))}
    assert stamps[1] == paris_summer and stamps[1].tzinfo is UTC
    assert stamps[2] is None
    assert stamps[3] == datetime(2026, 12, 3, tzinfo=UTC)
    engine.dispose()
