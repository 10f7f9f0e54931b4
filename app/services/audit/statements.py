"""The audit chain's statements (``app.services.audit.writer``): the head's read, locked and
not; the entries' insert and the head's update or first insert; and on PostgreSQL the append
of entries with the head's move in one statement, under the head's lock or by compare-and-swap
outside a transaction. Each is built once (per entry count, for a few entries)."""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import (
    ARRAY,
    Executable,
    FromClause,
    bindparam,
    func,
    insert,
    select,
    union_all,
    update,
)

from app.models import AuditEntry, AuditHead

# Up to this many entries, a PostgreSQL append sends each entry's columns as plain parameters
# (one statement per count, built once); beyond, as arrays (``entry_rows``).
FEW_ENTRIES = 8


@lru_cache(maxsize=1)
def chain_statements() -> tuple[Executable, Executable, Executable, Executable, Executable]:
    """The chain's five statements, built once: read the head (with the entry this
    workstation kept, ``anchor``) locked, and unlocked; insert entries, update or insert
    the head."""
    kept_mac = select(AuditEntry.mac).where(AuditEntry.seq == bindparam("kept"))
    read = select(AuditHead.seq, AuditHead.mac, kept_mac.scalar_subquery().label("kept_mac")).where(
        AuditHead.id == 1
    )
    return (
        read.with_for_update(),
        read,
        insert(AuditEntry),
        update(AuditHead)
        .where(AuditHead.id == 1)
        .values(seq=bindparam("head_seq"), mac=bindparam("head_mac")),
        insert(AuditHead).values(id=1, seq=bindparam("head_seq"), mac=bindparam("head_mac")),
    )


def entry_rows(names: tuple[str, ...], count: int, source: FromClause | None = None):
    """The rows of ``count`` entries for one ``INSERT … SELECT`` (from ``source``, if any),
    in the entries' order. Up to ``FEW_ENTRIES``, one ``SELECT`` of plain parameters per entry
    (``<column>_<n>``), joined by ``UNION ALL`` (read in order: a statement that writes never
    runs in parallel, so its ids follow the chain); beyond, each column sent as one array
    (``all_<column>``) and the arrays unnested in step. An action appends a few entries, and
    the driver sends plain values about ten times faster than arrays (0.02 against 0.24 ms
    for three entries' 14 columns); a long unit of work still appends by one statement."""
    columns = AuditEntry.__table__.c
    arrays = count > FEW_ENTRIES

    def value(name: str, n: int):
        if arrays:
            array = bindparam(f"all_{name}", type_=ARRAY(columns[name].type))
            return func.unnest(array).label(name)
        return bindparam(f"{name}_{n}", type_=columns[name].type).label(name)

    arms = [select(*(value(name, n) for name in names)) for n in range(1 if arrays else count)]
    if source is not None:
        arms = [arm.select_from(source) for arm in arms]
    return arms[0] if len(arms) == 1 else union_all(*arms)


def entry_shape(rows: list[dict]) -> int:
    """The entry count a statement is built for (any count beyond ``FEW_ENTRIES``: arrays)."""
    return min(len(rows), FEW_ENTRIES + 1)


def entry_parameters(rows: list[dict], names: tuple[str, ...]) -> dict:
    """The parameters of :func:`entry_rows` for these rows."""
    if len(rows) > FEW_ENTRIES:
        return {f"all_{name}": [row[name] for row in rows] for name in names}
    return {f"{name}_{n}": row[name] for n, row in enumerate(rows) for name in names}


@lru_cache(maxsize=FEW_ENTRIES + 1)
def entries_and_head(names: tuple[str, ...], count: int) -> Executable:
    """PostgreSQL, in a transaction holding the head's lock: the entries inserted and the
    head moved by one statement (``WITH added AS (INSERT …) UPDATE audit_head …``)."""
    added = insert(AuditEntry).from_select(list(names), entry_rows(names, count)).cte("added")
    return chain_statements()[3].add_cte(added)


@lru_cache(maxsize=FEW_ENTRIES + 1)
def entries_if_head_unmoved(names: tuple[str, ...], count: int) -> Executable:
    """PostgreSQL, outside a transaction: one statement (its own transaction) that moves the
    head only if it is still the one expected (``read_seq``, ``read_mac``), and inserts the
    entries only if it moved it (``WITH moved AS (UPDATE … RETURNING), added AS (INSERT …
    FROM moved) SELECT …``). Its one row (none: no head yet) says whether it moved the head
    (``moved``), and gives the head as the statement found it (``seq``, ``mac``: after a miss,
    the one to chain after) and the MAC of the entry at ``kept`` (the anchor's check), as the
    head's own read does. A concurrent append that holds the head's lock makes it wait, then
    miss."""
    moved = (
        update(AuditHead)
        .where(
            AuditHead.id == 1,
            AuditHead.seq == bindparam("read_seq"),
            AuditHead.mac == bindparam("read_mac"),
        )
        .values(seq=bindparam("head_seq"), mac=bindparam("head_mac"))
        .returning(AuditHead.id)
        .cte("moved")
    )
    rows = entry_rows(names, count, moved)
    added = insert(AuditEntry).from_select(list(names), rows).cte("added")
    found = chain_statements()[1]  # the head and the kept entry's MAC, as read without the lock
    return found.add_columns(select(moved.c.id).scalar_subquery().label("moved")).add_cte(added)
