"""Keyed hash chain over the audit trail: each entry's MAC covers its fields, its sequence
number and the previous entry's MAC, under a key kept outside the database (keyring).

``verify`` reports the first entry that was edited, removed, inserted or reordered, an entry
left unsealed after the chain was sealed (forged, or made unsealed to escape the MAC), and a
truncated tail: compared with the chain head kept in ``audit_head``, with the head this
workstation kept in its keyring (``app.services.audit.anchor``), and with a chain hash exported
earlier for safekeeping.

Entries written before the audit key existed may be unsealed (``mac`` NULL), but only as a
prefix of the chain: once one entry is sealed, nothing after it can be checked without a MAC.
"""

from __future__ import annotations

import hmac
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from hashlib import sha256

from sqlalchemy import Connection, select

from app.models.audit import AuditEntry, AuditHead
from app.services.audit.anchor import RESTORE_ACTION, StoredHead, supersedes
from app.services.audit.records import VerifyReport
from app.services.security import crypto

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
    if type(value) is int:
        return str(value)
    if type(value) is str and "\\" not in value and "\x1f" not in value:
        return value
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        elif value.tzinfo is not UTC:
            value = value.astimezone(UTC)
        return value.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    return str(value).replace("\\", "\\\\").replace("\x1f", "\\u001f")


def canonical(row: object) -> bytes:
    """Unambiguous byte form of an entry's fields (unit separators, escaped)."""
    return "\x1f".join(_text(getattr(row, name)) for name in FIELDS).encode("utf-8")


def entry_mac(key: bytes, previous: str, row: object) -> str:
    return crypto.mac(key, previous.encode("ascii") + b"\x1e" + canonical(row))


# ---- the verifier's fast path: raw driver values, one keyed HMAC copied per entry ---------
_NULL = "\u2205"
_AT = FIELDS.index("at")
# The columns in FIELDS order, then id and mac; read as the driver gives them (no type
# processing: SQLite hands ``at`` back as its stored text, PostgreSQL as a datetime).
_VERIFY_SQL = (
    f"SELECT {', '.join(FIELDS)}, id, mac FROM {AuditEntry.__tablename__} ORDER BY seq, id"
)


def _raw_text(value: object) -> str:
    """``_text`` of a raw driver value (the same bytes as for the ORM's value)."""
    if value is None:
        return _NULL
    if type(value) is str:
        if "\\" in value or "\x1f" in value:
            return value.replace("\\", "\\\\").replace("\x1f", "\\u001f")
        return value
    if type(value) is int:
        return str(value)
    return _text(value)


def _raw_at(value: object) -> str:
    """``_text`` of the ``at`` column as the driver gives it: SQLite's stored text of a naive
    UTC datetime (``YYYY-MM-DD HH:MM:SS.ffffff``) or a datetime."""
    if type(value) is str:
        if len(value) == 26 and value[10] == " " and value[19] == ".":
            return f"{value[:10]}T{value[11:]}Z"
        try:
            return _text(datetime.fromisoformat(value))
        except ValueError:
            return _raw_text(value)  # not a date: the MAC will not match
    return _text(value)


def raw_canonical(values: tuple) -> bytes:
    """:func:`canonical` of a row read with ``_VERIFY_SQL`` (its first len(FIELDS) values)."""
    parts = [_raw_text(v) for v in values[: len(FIELDS)]]
    parts[_AT] = _raw_at(values[_AT])
    return "\x1f".join(parts).encode("utf-8")


UNSEALED_AFTER_SEALED = (
    "cette entrée n'est pas scellée alors que le journal l'était déjà avant elle : elle a été "
    "ajoutée ou modifiée hors de Relais (ou écrite sur un poste sans clé d'audit) et ne peut "
    "pas être vérifiée."
)
MODIFIED = (
    "cette entrée a été modifiée, insérée ou déplacée (ou la clé d'audit n'est pas la bonne)."
)
NOT_THE_KEPT_HEAD = (
    "cette entrée n'est plus celle que ce poste a scellée (empreinte conservée dans son "
    "trousseau) : journal réécrit ou remplacé."
)
EXPORTED_HEAD_GONE = (
    "l'empreinte exportée précédemment n'apparaît plus dans le journal "
    "(entrées supprimées ou journal remplacé)."
)


def _as_datetime(value: object) -> datetime | None:
    """The ``at`` column as a UTC-aware datetime (SQLite gives its stored text)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    assert isinstance(value, datetime)
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _kept_head_state(
    kept: StoredHead | None,
) -> tuple[int, str, datetime | None, str]:
    """The kept head's (seq, mac, at) and the initial ``stored_head`` state of the report."""
    kept_seq, kept_mac = (kept.head if kept is not None else None) or (0, "")
    kept_at = kept.at if kept is not None else None
    stored = "" if kept is None else ("unavailable" if not kept.available else "none")
    if kept_seq:
        stored = "checked"
    return kept_seq, kept_mac, kept_at, stored


def _sequence_problem(seq: int, expected_seq: int) -> tuple[str, int]:
    """The problem and the bad sequence number when ``seq`` is not the expected one."""
    if seq < expected_seq:
        return "une entrée a été insérée ou dupliquée.", seq
    problem = (
        f"{seq - expected_seq} entrée(s) supprimée(s) avant celle-ci."
        if seq > expected_seq
        else "ordre incohérent."
    )
    return problem, expected_seq


def _tail_problem(
    conn: Connection,
    last_seq: int,
    previous: str,
    kept_seq: int,
    kept_at: datetime | None,
    restored_at: datetime | None,
    stored: str,
) -> tuple[str | None, str]:
    """Check the end of the walked chain against the head row and the kept head.

    Returns the truncation problem (None: none) and the updated ``stored_head`` state.
    """
    head = conn.execute(select(AuditHead.seq, AuditHead.mac).where(AuditHead.id == 1)).first()
    if head is not None and (head.seq != last_seq or head.mac != previous):
        return (
            f"la fin du journal a été tronquée (dernière entrée attendue : n° {head.seq}).",
            stored,
        )
    if kept_seq > last_seq and stored != "restored":
        if not supersedes(restored_at, kept_at):
            return (
                f"la fin du journal a été tronquée : ce poste a scellé l'entrée n° {kept_seq} "
                f"(empreinte conservée dans son trousseau), le journal s'arrête à l'entrée "
                f"n° {last_seq} (entrées supprimées, ou base remplacée par une copie plus "
                "ancienne).",
                stored,
            )
        stored = "restored"  # rewound on purpose after this workstation kept its head
    return None, stored


def verify(
    conn: Connection,
    key: bytes,
    *,
    expected_head: str | None = None,
    kept: StoredHead | None = None,
    progress: Callable[[int], None] | None = None,
    batch: int = 20_000,
) -> VerifyReport:
    """Walk the chain in sequence order and stop at the first inconsistency.

    ``kept`` is what this workstation's keyring holds (``audit_anchor.read_stored_head``):
    its entry must still be in the chain with the same MAC. None: not compared.
    """
    previous, expected_seq = GENESIS, 1
    checked = unsealed = last_seq = 0
    sealed = False
    seen_expected_head = expected_head is None
    kept_seq, kept_mac, kept_at, stored = _kept_head_state(kept)
    restored_seq, restored_at = 0, None  # the latest restore entry walked through

    def failed(problem: str, bad: int | None, bad_id: int | None) -> VerifyReport:
        return VerifyReport(
            False, checked, last_seq, previous, problem, bad, bad_id, unsealed, stored, kept_seq
        )

    # Streamed (a server-side cursor on PostgreSQL), raw values, one HMAC state keyed once
    # and copied per entry: close to the bare cost of reading the rows and hashing them.
    keyed = hmac.new(key, digestmod=sha256)
    digest_equal = hmac.compare_digest
    seq_at, action_at = FIELDS.index("seq"), FIELDS.index("action")
    id_at, mac_at = len(FIELDS), len(FIELDS) + 1
    result = conn.execution_options(yield_per=batch).exec_driver_sql(_VERIFY_SQL)
    for rows in result.partitions():
        for row in rows:
            seq, row_mac = row[seq_at], row[mac_at]
            if seq != expected_seq:
                return failed(*_sequence_problem(seq, expected_seq), row[id_at])
            if row_mac is None:
                if sealed:
                    return failed(UNSEALED_AFTER_SEALED, seq, row[id_at])
                unsealed += 1
            else:
                state = keyed.copy()
                state.update(previous.encode("ascii") + b"\x1e" + raw_canonical(row))
                if not digest_equal(state.hexdigest(), row_mac):
                    return failed(MODIFIED, seq, row[id_at])
                previous = row_mac
                sealed = True
                if row[action_at] == RESTORE_ACTION:
                    restored_seq = seq
                    restored_at = _as_datetime(row[_AT])
            if seq == kept_seq and row_mac != kept_mac:
                if not supersedes(restored_at, kept_at):
                    return failed(NOT_THE_KEPT_HEAD, seq, row[id_at])
                stored = "restored"  # rewound on purpose after this workstation kept its head
            if not seen_expected_head and previous == expected_head:
                seen_expected_head = True
            checked += 1
            last_seq = seq
            expected_seq += 1
            if progress and checked % batch == 0:
                progress(checked)
    problem, stored = _tail_problem(
        conn, last_seq, previous, kept_seq, kept_at, restored_at, stored
    )
    if problem is not None:
        return failed(problem, last_seq + 1, None)
    if not seen_expected_head:
        return failed(EXPORTED_HEAD_GONE, None, None)
    return VerifyReport(
        True,
        checked,
        last_seq,
        previous,
        unsealed=unsealed,
        stored_head=stored,
        kept_seq=kept_seq,
        restored_seq=restored_seq if stored == "restored" else 0,
    )


def seal_rows(
    key: bytes | None, head_seq: int, head_mac: str, rows: Iterable[dict]
) -> tuple[int, str]:
    """Assign ``seq`` and ``mac`` to plain row dicts (bulk inserts); returns the new head.
    The same MACs as :func:`entry_mac` (one keyed HMAC state copied per row)."""
    seq, previous = head_seq, head_mac
    keyed = hmac.new(key, digestmod=sha256) if key is not None else None
    for values in rows:
        seq += 1
        values["seq"] = seq
        if keyed is None:
            values["mac"] = None
            continue
        state = keyed.copy()
        body = "\x1f".join([_text(values[name]) for name in FIELDS])
        state.update(previous.encode("ascii") + b"\x1e" + body.encode("utf-8"))
        values["mac"] = previous = state.hexdigest()
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
