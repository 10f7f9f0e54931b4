"""The search's index, written: a patient's rows of ``patient_name_prefix`` (every prefix of
every name word, with the patient's sort key and words) and the prefixes' counts in
``patient_name_prefix_count``, which ``search.py`` reads."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from app.models import PatientNamePrefix, PatientNamePrefixCount
from app.services.patient_file.identity_checks import name_prefixes, name_words


def index_names(session: Session, patient_id: int, sort_key: str, tokens: Iterable[str]) -> None:
    """(Re)write the patient's rows of ``patient_name_prefix`` in the caller's unit of work
    (one DELETE and one multi-row INSERT) and keep ``patient_name_prefix_count`` with them
    (the prefixes gained and lost, when the names changed)."""
    table = PatientNamePrefix.__table__
    tokens = set(tokens)
    gone = delete(table).where(table.c.patient_id == patient_id).returning(table.c.prefix)
    before = set(session.scalars(gone))
    after = name_prefixes(tokens)
    words = name_words(tokens)
    rows = [
        {"prefix": prefix, "sort_key": sort_key, "patient_id": patient_id, "words": words}
        for prefix in sorted(after)
    ]
    if rows:
        session.execute(insert(table), rows)
    _count_up(session, sorted(after - before))
    if before - after:
        count = PatientNamePrefixCount.__table__
        session.execute(
            update(count)
            .where(count.c.prefix.in_(sorted(before - after)))
            .values(patients=count.c.patients - 1)
        )


def _count_up(session: Session, prefixes: list[str]) -> None:
    """One more patient for each of ``prefixes`` (a row inserted at 1 where there was none)."""
    if not prefixes:
        return
    count = PatientNamePrefixCount.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = dialect.insert(count).on_conflict_do_update(
        index_elements=[count.c.prefix], set_={"patients": count.c.patients + 1}
    )
    session.execute(stmt, [{"prefix": prefix, "patients": 1} for prefix in prefixes])


def recount_name_prefixes(conn: Connection) -> None:
    """Count every prefix again from ``patient_name_prefix`` (after a bulk load of patients)."""
    count, prefixes = PatientNamePrefixCount.__table__, PatientNamePrefix.__table__
    conn.execute(delete(count))
    conn.execute(
        insert(count).from_select(
            ["prefix", "patients"],
            select(prefixes.c.prefix, func.count()).group_by(prefixes.c.prefix),
        )
    )
