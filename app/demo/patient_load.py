"""The bulk of a demo: patients with their search tokens, name prefixes, consents, notes and
sealed audit entries, ``CHUNK_PATIENTS`` at a time; a transaction holds whole chunks.

On SQLite a chunk's rows are built while the previous chunk is written (:class:`BulkLoad`):
patient ids are allotted ahead (SQLite gives a new row the highest id + 1) and the audit
entries are sealed ahead, from the chain head the previous chunk leaves; each write checks
both first, so a database changed meanwhile by another program fails the command instead of
receiving a broken chain. Other backends build each chunk inside its transaction, with the ids
of ``INSERT … RETURNING``. The same seed gives the same rows either way.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from sqlalchemy import Engine, func, insert, select, update

from app.demo.bulk import BulkLoad, BulkWriter
from app.demo.rows import RowFactory, name_prefix_rows
from app.i18n import _
from app.models import (
    AuditEntry,
    AuditHead,
    Consent,
    Note,
    Patient,
    PatientNamePrefix,
    PatientToken,
)
from app.services.audit.chain import GENESIS, seal_rows
from app.services.kernel.errors import RelaisError
from app.services.patient_file.name_index import recount_name_prefixes

CHUNK_PATIENTS = 1_000
# Chunks written ahead are committed together, every COMMIT_CHUNKS (SQLite rewrites the index
# pages a transaction touched at each commit: on 100,000 patients, a commit per chunk wrote
# about 20 GB for a 1 GB file).
COMMIT_CHUNKS = 10

_PATIENT = Patient.__table__
_HEAD = AuditHead.__table__
Head = tuple[int, str]


def _dependent_tables(
    factory: RowFactory, ids: list[int], rows: list[dict], notes_per_patient: int
) -> tuple[list[tuple], list[dict], int]:
    """(table, rows) to insert after the patients, in order; the audit rows (sorted, not yet
    sealed); the number of notes."""
    tokens, notes, consents, audit = factory.dependents(ids, rows, notes_per_patient)
    audit.sort(key=lambda entry: entry["at"])
    tables = [
        (PatientToken.__table__, tokens),
        (PatientNamePrefix.__table__, name_prefix_rows(ids, rows, tokens)),
        (Consent.__table__, consents),
        (Note.__table__, notes),
        (AuditEntry.__table__, audit),
    ]
    return tables, audit, len(notes)


def _read_head(writer: BulkWriter) -> Head | None:
    row = writer.conn.execute(
        select(_HEAD.c.seq, _HEAD.c.mac).where(_HEAD.c.id == 1).with_for_update()
    ).first()
    return (int(row.seq), str(row.mac)) if row is not None else None


def _write_head(writer: BulkWriter, before: Head | None, after: Head) -> None:
    seq, mac = after
    if before is None:
        writer.conn.execute(insert(_HEAD), {"id": 1, "seq": seq, "mac": mac})
    else:
        writer.conn.execute(update(_HEAD).where(_HEAD.c.id == 1).values(seq=seq, mac=mac))


def _next_patient_id(writer: BulkWriter) -> int:
    return int(writer.conn.scalar(select(func.max(_PATIENT.c.id))) or 0) + 1


def _start(writer: BulkWriter) -> tuple[int, Head | None]:
    return _next_patient_id(writer), _read_head(writer)


def _write_ahead(
    first_id: int, before: Head | None, after: Head, rows: list[dict], tables: list[tuple],
    writer: BulkWriter,
) -> None:  # fmt: skip
    """Write a chunk built ahead, if the database is still where it was built for."""
    if _next_patient_id(writer) != first_id or _read_head(writer) != before:
        raise RelaisError(
            _(
                "La base de données a été modifiée par un autre programme pendant la "
                "génération des données de démonstration. Les patients déjà ajoutés sont "
                "complets ; relancez la commande pour ajouter les autres."
            )
        )
    writer.insert(_PATIENT, rows)
    for table, table_rows in tables:
        writer.insert(table, table_rows)
    _write_head(writer, before, after)


def _write_chunk(
    audit_key: bytes | None, factory: RowFactory, size: int, notes_per_patient: int,
    writer: BulkWriter,
) -> int:  # fmt: skip
    """Build and write a chunk inside its transaction (ids from ``INSERT … RETURNING``)."""
    rows = [factory.patient() for _unused in range(size)]
    statement = insert(_PATIENT).returning(_PATIENT.c.id, sort_by_parameter_order=True)
    ids = writer.returning(statement, rows)
    tables, audit, notes = _dependent_tables(factory, ids, rows, notes_per_patient)
    before = _read_head(writer)
    after = seal_rows(audit_key, *(before or (0, GENESIS)), audit)
    for table, table_rows in tables:
        writer.insert(table, table_rows)
    _write_head(writer, before, after)
    return notes


def load_patients(
    engine: Engine,
    audit_key: bytes | None,
    factory: RowFactory,
    patients: int,
    notes_per_patient: int,
    progress: Callable[[int, int], None] | None = None,
) -> int:
    """Add ``patients`` patients and their dependents; returns the number of notes added."""
    notes_total = done = 0
    with BulkLoad(engine) as load:
        ahead = load.sqlite
        if ahead:
            next_id, head = load.call(_start)
        chunk = 0
        while done < patients:
            size = min(CHUNK_PATIENTS, patients - done)
            chunk += 1
            if ahead:
                rows = [factory.patient() for _unused in range(size)]
                ids = list(range(next_id, next_id + size))
                for row, patient_id in zip(rows, ids, strict=True):
                    row["id"] = patient_id
                tables, audit, notes = _dependent_tables(factory, ids, rows, notes_per_patient)
                sealed = seal_rows(audit_key, *(head or (0, GENESIS)), audit)
                load.submit(
                    partial(_write_ahead, next_id, head, sealed, rows, tables),
                    commit=chunk % COMMIT_CHUNKS == 0,
                )
                next_id, head = next_id + size, sealed
            else:
                notes = load.call(
                    partial(_write_chunk, audit_key, factory, size, notes_per_patient)
                )
            notes_total += notes
            done += size
            if progress and done < patients:
                progress(done, patients)
    with engine.begin() as conn:
        recount_name_prefixes(conn)  # the rarest word of a search is known by these counts
    if progress and patients:
        progress(patients, patients)  # every chunk written
    return notes_total
