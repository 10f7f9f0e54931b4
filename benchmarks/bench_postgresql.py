"""A clinic on PostgreSQL beside the same clinic on SQLite (issue 12's budgets).

1. A demo clinic on SQLite (``--patients``, default 2,000; or ``--sqlite`` for an existing
   database such as the reference set), with a 50-note file for the GP.
2. ``relais-admin migrate-to-postgresql``'s copy into an empty PostgreSQL database (a throw-away
   server started from the machine's binaries, or ``--postgresql URL`` of an empty database),
   timed, with its per-table check and audit verify.
3. Search keystroke and file opening (in one user action, as the workspace opens it), p95, on
   SQLite and on PostgreSQL one after the other (budget: PostgreSQL within 1.5× of SQLite on
   the reference set; ``run.py --postgresql`` measures that one, alternately, with the bare
   floors). On the small default demo SQLite answers in a fraction of a millisecond and each
   round trip to the server weighs more: the ratio printed there is larger.
4. Notification → refreshed inbox between two processes: this process (the GP) sends
   ``--sends`` referrals; the social worker's process (``tests/notify_station.py``) hears each
   and re-reads her inbox counter; p95 of send → counter changed (budget 2 s).

Usage: ``.venv/bin/python benchmarks/bench_postgresql.py [--patients N] [--sends 200]``.
"""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import keyring
import psycopg
from _common import ROOT, TIMING_HEADERS, fr_int, percentile, print_table, timing_row
from bench_search import big_file, queries, time_file_open, time_keystrokes
from keyring.backend import KeyringBackend

from app.container import Services, find_audit_key
from app.demo.generator import DEMO_PASSWORD, create_demo
from app.models.db import Database
from app.services.clinic.pg_migration import copy_database
from app.services.referrals.records import ReferralInput

TESTS = ROOT.parent / "tests"
sys.path.insert(0, str(TESTS))
from notify_station import Station  # noqa: E402

NOTIFY_BUDGET_MS = 2000
RATIO_BUDGET = 1.5


class MemoryKeyring(KeyringBackend):
    """The demo's audit and backup keys, kept in memory for the run (no OS keyring here)."""

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


class ThrowAwayServer:
    """A PostgreSQL server in a temporary folder (as root: run as the postgres user)."""

    def __init__(self) -> None:
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
        if not found:
            raise SystemExit("Binaires PostgreSQL introuvables : donnez --postgresql URL.")
        self.bin = Path(found[-1]).parent
        self.prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        self.folder = Path(tempfile.mkdtemp(prefix="relais-bench-pg-"))
        if self.prefix:
            shutil.chown(self.folder, "postgres", "postgres")
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        data = self.folder / "data"
        self._run("initdb", "-D", str(data), "-U", "postgres", "-A", "trust", "-E", "UTF8")
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(data), "-l", str(self.folder / "log"), "-o", options, "-w", "start"
        )
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", "relais")

    def _run(self, tool: str, *args: str) -> None:
        subprocess.run(
            [*self.prefix, str(self.bin / tool), *args],
            check=True,
            capture_output=True,
            timeout=120,
        )

    @property
    def url(self) -> str:
        return self.url_of("relais")

    def url_of(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def libpq_url(self, database: str) -> str:
        """The same database for a plain ``psycopg`` connection (no SQLAlchemy driver name)."""
        return self.url_of(database).replace("+psycopg", "")

    def createdb(self, database: str) -> None:
        self._run("createdb", "-h", "127.0.0.1", "-p", str(self.port), "-U", "postgres", database)

    def settle(self, dropped: str | None = None) -> None:
        """Drop ``dropped`` (a copy measured already) and write every dirty page now
        (``CHECKPOINT``): the server's background writes of a copy of a whole clinic must not
        run during the figures that follow (PostgreSQL's, or SQLite's on the same 2 cores)."""
        with psycopg.connect(self.libpq_url("postgres"), autocommit=True) as c:
            if dropped is not None:
                c.execute(f'DROP DATABASE IF EXISTS "{dropped}"')
            c.execute("CHECKPOINT")

    def stop(self) -> None:
        self._run("pg_ctl", "-D", str(self.folder / "data"), "-m", "fast", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def build_sqlite(folder: Path, patients: int) -> str:
    url = f"sqlite:///{folder / 'clinique.sqlite'}"
    services = Services.open(url)
    try:
        start = time.perf_counter()
        create_demo(services, patients=patients, notes_per_patient=10)
        print(f"Démo SQLite : {fr_int(patients)} patients en {time.perf_counter() - start:.0f} s")
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        big_file(services, gp, secretary)
    finally:
        services.db.dispose()
    return url


def search_and_open(url: str, label: str, runs: int) -> tuple[list[float], list[float]]:
    services = Services.open(url)
    try:
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        time_keystrokes(services, secretary, ["dupont", "12/03/1960"])  # warm-up
        keystrokes: list[float] = []
        for texts in queries(services).values():
            keystrokes.extend(time_keystrokes(services, secretary, texts))
        patient_id = big_file(services, gp, secretary)
        time_file_open(services, gp, patient_id, 3)  # warm-up
        return keystrokes, time_file_open(services, gp, patient_id, runs)
    finally:
        services.db.dispose()
        print(f"{label} mesuré.")


def notify_delays(url: str, sends: int) -> tuple[list[float], list[float]]:
    services = Services.open(url)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT.parent), str(TESTS)])}
    station = Station(url, "as.moreau", DEMO_PASSWORD, env=env)
    heard: list[float] = []
    delays: list[float] = []
    try:
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        social = services.auth.login("as.moreau", DEMO_PASSWORD)
        social_worker = receiver(services, gp)
        patient_id = services.patients.search(gp, "a").patients[0].id
        for n in range(sends):
            draft = services.referrals.create(
                gp, ReferralInput(patient_id, "housing", receiver_id=social_worker)
            )
            before = services.inbox.unread_count(social)
            sent = time.monotonic()
            services.referrals.send(gp, draft.id, patient_agrees=True)
            # The send's own notification: heard after it (the draft's creation is heard too,
            # earlier) and with her counter one higher (CLOCK_MONOTONIC: one clock for both
            # processes).
            event = station.until(
                lambda e, rid=draft.id, before=before, sent=sent: (
                    rid in e.get("referrals", ())
                    and e.get("unread") is not None
                    and e["unread"] > before
                    and e["heard"] >= sent
                ),
                timeout=10,
            )
            heard.append((event["heard"] - sent) * 1000)
            delays.append((event["t"] - sent) * 1000)
            if n % 50 == 49:
                print(f"  {n + 1} orientations envoyées")
    finally:
        station.close()
        services.db.dispose()
    return heard, delays


def receiver(services: Services, gp) -> int:
    from app.models.enums import Role

    return next(
        u.id
        for u in services.accounts.professionals(gp, Role.SOCIAL_WORKER)
        if u.username == "as.moreau"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Relais sur PostgreSQL à côté de SQLite.")
    parser.add_argument("--patients", type=int, default=2000)
    parser.add_argument("--sqlite", help="base SQLite existante (sinon une démo est créée)")
    parser.add_argument("--postgresql", help="URL d'une base PostgreSQL vide")
    parser.add_argument("--sends", type=int, default=200)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args(argv)
    keyring.set_keyring(MemoryKeyring())
    work = Path(tempfile.mkdtemp(prefix="relais-bench-"))
    server = None if args.postgresql else ThrowAwayServer()
    pg_url = args.postgresql or server.url  # type: ignore[union-attr]
    try:
        sqlite_url = args.sqlite or build_sqlite(work, args.patients)
        # SQLite first: the copy then holds the same audit chain this workstation last sealed.
        sqlite_keys, sqlite_open = search_and_open(sqlite_url, "SQLite", args.runs)
        db = Database.open(sqlite_url)
        key = find_audit_key(db)
        db.dispose()
        start = time.perf_counter()
        report = copy_database(sqlite_url, pg_url, key)
        copy_s = time.perf_counter() - start
        print(
            f"migrate-to-postgresql : {fr_int(report.rows)} lignes en {copy_s:.1f} s "
            f"({fr_int(int(report.rows / copy_s))} lignes/s), tables identiques ; "
            f"{report.audit_message}"
        )
        pg_keys, pg_open = search_and_open(pg_url, "PostgreSQL", args.runs)
        heard, delays = notify_delays(pg_url, args.sends)
        rows = [
            timing_row("frappe, SQLite", sqlite_keys, None),
            timing_row("frappe, PostgreSQL", pg_keys, RATIO_BUDGET * percentile(sqlite_keys, 95)),
            timing_row("ouverture dossier (50 notes), SQLite", sqlite_open, None),
            timing_row(
                "ouverture dossier (50 notes), PostgreSQL",
                pg_open,
                RATIO_BUDGET * percentile(sqlite_open, 95),
            ),
            timing_row("envoi → notification reçue (2 processus)", heard, None),
            timing_row("envoi → compteur de messages relu", delays, NOTIFY_BUDGET_MS),
        ]
        print_table(TIMING_HEADERS, rows)
    finally:
        if server is not None:
            server.stop()
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
