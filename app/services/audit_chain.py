"""Keyed hash chain over the audit trail: each entry's MAC covers its fields, its sequence
number and the previous entry's MAC, under a key kept outside the database (keyring).

``verify`` reports the first entry that was edited, removed, inserted or reordered, an entry
left unsealed after the chain was sealed (forged, or made unsealed to escape the MAC), and a
truncated tail (compared with the chain head kept in ``audit_head``, and with a chain hash
exported earlier for safekeeping).

Entries written before the audit key existed may be unsealed (``mac`` NULL), but only as a
prefix of the chain: once one entry is sealed, nothing after it can be checked without a MAC.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime

from sqlalchemy import Connection, select

from app.models.audit import AuditEntry, AuditHead
from app.services import crypto
from app.services.records import VerifyReport as VerifyReport  # re-exported

GENESIS = "0" * 64
FIELDS = (
    "seq",
    "at",
    "user_id",
    "username",
    "role",
    "action",
    "outcome",
    "patient_id",
    "compartment",
    "object_type",
    "object_id",
    "workstation",
    "detail",
)


def _text(value: object) -> str:
    if value is None:
        return "\u2205"
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value).replace("\\", "\\\\").replace("\x1f", "\\u001f")


def canonical(row: object) -> bytes:
    """Unambiguous byte form of an entry's fields (unit separators, escaped)."""
    return "\x1f".join(_text(getattr(row, name)) for name in FIELDS).encode("utf-8")


def entry_mac(key: bytes, previous: str, row: object) -> str:
    return crypto.mac(key, previous.encode("ascii") + b"\x1e" + canonical(row))


UNSEALED_AFTER_SEALED = (
    "cette entrée n'est pas scellée alors que le journal l'était déjà avant elle : elle a été "
    "ajoutée ou modifiée hors de Relais (ou écrite sur un poste sans clé d'audit) et ne peut "
    "pas être vérifiée."
)
MODIFIED = (
    "cette entrée a été modifiée, insérée ou déplacée (ou la clé d'audit n'est pas la bonne)."
)


def verify(
    conn: Connection,
    key: bytes,
    *,
    expected_head: str | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 20_000,
) -> VerifyReport:
    """Walk the chain in sequence order and stop at the first inconsistency."""
    previous = GENESIS
    expected_seq = 1
    checked = unsealed = 0
    last_seq = 0
    sealed = False
    seen_expected_head = expected_head is None

    def failed(problem: str, bad: int | None, bad_id: int | None) -> VerifyReport:
        return VerifyReport(False, checked, last_seq, previous, problem, bad, bad_id, unsealed)

    columns = [getattr(AuditEntry, name) for name in FIELDS] + [AuditEntry.id, AuditEntry.mac]
    result = conn.execution_options(yield_per=batch).execute(
        select(*columns).order_by(AuditEntry.seq, AuditEntry.id)
    )
    for row in result:
        if row.seq != expected_seq:
            if row.seq < expected_seq:
                return failed("une entrée a été insérée ou dupliquée.", row.seq, row.id)
            problem = (
                f"{row.seq - expected_seq} entrée(s) supprimée(s) avant celle-ci."
                if row.seq > expected_seq
                else "ordre incohérent."
            )
            return failed(problem, expected_seq, row.id)
        if row.mac is None:
            if sealed:
                return failed(UNSEALED_AFTER_SEALED, row.seq, row.id)
            unsealed += 1
        else:
            mac = entry_mac(key, previous, row)
            if not crypto.mac_equal(mac, row.mac):
                return failed(MODIFIED, row.seq, row.id)
            previous = row.mac
            sealed = True
        if not seen_expected_head and previous == expected_head:
            seen_expected_head = True
        checked += 1
        last_seq = row.seq
        expected_seq += 1
        if progress and checked % batch == 0:
            progress(checked)
    head = conn.execute(select(AuditHead.seq, AuditHead.mac).where(AuditHead.id == 1)).first()
    if head is not None and (head.seq != last_seq or head.mac != previous):
        return failed(
            f"la fin du journal a été tronquée (dernière entrée attendue : n° {head.seq}).",
            last_seq + 1,
            None,
        )
    if not seen_expected_head:
        return failed(
            "l'empreinte exportée précédemment n'apparaît plus dans le journal "
            "(entrées supprimées ou journal remplacé).",
            None,
            None,
        )
    return VerifyReport(True, checked, last_seq, previous, unsealed=unsealed)


def seal_rows(
    key: bytes | None, head_seq: int, head_mac: str, rows: Iterable[dict]
) -> tuple[int, str]:
    """Assign ``seq`` and ``mac`` to plain row dicts (bulk inserts); returns the new head."""

    class _Row:
        __slots__ = ("__dict__",)

    seq, previous = head_seq, head_mac
    for values in rows:
        seq += 1
        values["seq"] = seq
        if key is None:
            values["mac"] = None
            continue
        view = _Row()
        view.__dict__.update(values)
        values["mac"] = previous = entry_mac(key, previous, view)
    return seq, previous


def read_head(conn: Connection) -> tuple[int, str]:
    """(last position, last MAC) as recorded in ``audit_head`` — for safekeeping."""
    head = conn.execute(select(AuditHead.seq, AuditHead.mac).where(AuditHead.id == 1)).first()
    return (int(head.seq), str(head.mac)) if head is not None else (0, GENESIS)


def key_matches(conn: Connection, key: bytes) -> bool | None:
    """Does ``key`` seal this chain? Checks the latest sealed entry against its predecessor.

    None when no entry is sealed yet (nothing to compare with).
    """
    columns = [getattr(AuditEntry, name) for name in FIELDS] + [AuditEntry.mac]
    last = conn.execute(
        select(*columns).where(AuditEntry.mac.is_not(None)).order_by(AuditEntry.seq.desc())
    ).first()
    if last is None:
        return None
    previous = conn.execute(
        select(AuditEntry.mac)
        .where(AuditEntry.seq < last.seq, AuditEntry.mac.is_not(None))
        .order_by(AuditEntry.seq.desc())
    ).first()
    before = previous.mac if previous is not None else GENESIS
    return crypto.mac_equal(entry_mac(key, before, last), last.mac)
