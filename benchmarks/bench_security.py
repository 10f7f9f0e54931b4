"""Budgets of issue 3: opening a file with 200 encrypted notes, ``audit verify`` of 2,000,000
entries, encrypted backup of the 100,000-patient reference database.

Usage: ``.venv/bin/python benchmarks/bench_security.py [--only notes|audit|backup]
[--audit-entries N]``. The notes and audit measures build their own databases in
``benchmarks/out/``; the backup measure needs ``make_reference.py`` first.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import sys
import time
from datetime import UTC, datetime, timedelta

import keyring
from _common import OUT, REFERENCE, TIMING_HEADERS, fr_int, print_table, reference_url, timing_row
from keyring.backend import KeyringBackend
from sqlalchemy import insert

from app.container import Services
from app.demo.generator import DEMO_PASSWORD, create_demo
from app.models import AuditEntry, AuditHead
from app.models.db import Database
from app.services.audit import chain as audit_chain
from app.services.patient_file.records import PatientInput

OPEN_BUDGET_MS = 150
AUDIT_BUDGET_S = 60
BACKUP_BUDGET_S = 30
NOTES = 200


def bench_notes() -> list[str]:
    path = OUT / "bench-notes.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    services = Services.open(f"sqlite:///{path}")
    try:
        create_demo(services, patients=10, notes_per_patient=0)
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        patient = services.patients.create(
            gp,
            PatientInput(birth_name="Volumineux", first_names="Dossier", sex="F",
                         birth_date="01/01/1950"),
            confirm_duplicate=True,
        ).id  # fmt: skip
        for i in range(NOTES):
            services.notes.add(gp, patient, "medical", f"Consultation n° {i}. " + "Texte. " * 60)
        samples = []
        for _ in range(30):
            started = time.perf_counter()
            services.patients.get(gp, patient)
            notes = services.notes.list(gp, patient, "medical")
            samples.append((time.perf_counter() - started) * 1000)
        assert len(notes) == NOTES
        return timing_row(f"Ouvrir un dossier de {NOTES} notes chiffrées", samples, OPEN_BUDGET_MS)
    finally:
        services.db.dispose()


def bench_audit(entries: int) -> list[list[str]]:
    path = OUT / "bench-audit.sqlite"
    for suffix in ("", "-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    db = Database.open(f"sqlite:///{path}")
    key = secrets.token_bytes(32)
    t0 = datetime(2026, 1, 1, tzinfo=UTC)
    started = time.perf_counter()
    seq, mac = 0, audit_chain.GENESIS
    chunk = 100_000
    with db.session() as session:
        for start in range(0, entries, chunk):
            rows = [
                {
                    "at": t0 + timedelta(seconds=i),
                    "user_id": i % 8 + 1,
                    "username": f"user{i % 8}",
                    "role": "gp",
                    "action": "read",
                    "outcome": "ok",
                    "patient_id": i % 100_000 + 1,
                    "compartment": "medical",
                    "object_type": "note",
                    "object_id": None,
                    "workstation": "POSTE-1",
                    "detail": "3 note(s)",
                }
                for i in range(start, min(entries, start + chunk))
            ]
            seq, mac = audit_chain.seal_rows(key, seq, mac, rows)
            session.execute(insert(AuditEntry.__table__), rows)
        session.merge(AuditHead(id=1, seq=seq, mac=mac))
    build = time.perf_counter() - started
    started = time.perf_counter()
    with db.engine.connect() as conn:
        report = audit_chain.verify(conn, key)
    seconds = time.perf_counter() - started
    db.dispose()
    assert report.ok and report.checked == entries
    return [
        [f"Construire {fr_int(entries)} entrées (seal_rows)", f"{build:.1f}", "", ""],
        [
            f"audit verify de {fr_int(entries)} entrées",
            f"{seconds:.1f}",
            f"< {AUDIT_BUDGET_S}",
            "OK" if seconds < AUDIT_BUDGET_S else "DÉPASSÉ",
        ],
    ]


class _MemoryKeyring(KeyringBackend):
    """This machine may have no keyring: the backup key then lives in memory for the run."""

    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


def bench_backup() -> list[list[str]]:
    keyring.set_keyring(_MemoryKeyring())
    if not REFERENCE.exists():
        print("Base de référence absente : lancez benchmarks/make_reference.py", file=sys.stderr)
        return []
    folder = OUT / "sauvegardes"
    shutil.rmtree(folder, ignore_errors=True)
    services = Services.open(reference_url())
    try:
        started = time.perf_counter()
        info = services.backups.create(None, folder=folder)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        services.backups.verify(None, info.path)
        verify_seconds = time.perf_counter() - started
    finally:
        services.db.dispose()
    size = os.path.getsize(REFERENCE) / 1e6
    return [
        [
            f"Sauvegarde chiffrée de la base de référence ({size:.0f} Mo)",
            f"{seconds:.1f}",
            f"< {BACKUP_BUDGET_S}",
            "OK" if seconds < BACKUP_BUDGET_S else "DÉPASSÉ",
        ],
        ["Vérification de cette sauvegarde", f"{verify_seconds:.1f}", "", ""],
    ]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de sécurité de Relais (issue 3).")
    parser.add_argument("--only", choices=["notes", "audit", "backup"])
    parser.add_argument("--audit-entries", type=int, default=2_000_000)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    if args.only in (None, "notes"):
        print_table(TIMING_HEADERS, [bench_notes()])
        print()
    rows: list[list[str]] = []
    if args.only in (None, "audit"):
        rows += bench_audit(args.audit_entries)
    if args.only in (None, "backup"):
        rows += bench_backup()
    if rows:
        print_table(["Mesure", "durée (s)", "budget (s)", "verdict"], rows)
    return 0


if __name__ == "__main__":
    sys.exit(main())
