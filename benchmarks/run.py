"""One command for every figure of issue 16's budget table, against the bare database.

    .venv/bin/python benchmarks/run.py [--sizes 1,10,100] [--quick] [--demo] [--postgresql]

For each size of the reference data set (``reference_sets.py``: built once, cached, rebuilt
when the Alembic head or the generator changes) every figure runs several times through the
real layers (services with policy and audit; Qt models and widgets offscreen), and, for the
database-bound ones, the same SQL is replayed bare on a plain DB-API connection to the same
file (plus the same AES-GCM decryption with ``cryptography``, or the bare HMAC of the audit
chain), with the ratio. Prints one table (figure, size, p50, p95, budget, bare p95, ratio, SQL
statements per call, verdict), the growth exponent of each query figure from the smallest to
the largest size, the clinician walkthroughs (``out/walkthroughs.json``) and UI stalls
(``out/ui_stalls.json``) when present, and writes everything to ``out/results.json``.

Start-up and login run in a fresh process (``probe.py start``), as does the peak memory of a
scripted session (``probe.py memory``); ``--demo`` adds ``relais-admin demo --patients 100000``
(100 % only, minutes); ``--postgresql`` copies each set into a throw-away PostgreSQL server with
``migrate-to-postgresql`` (timed) and measures search and file opening side by side.
"""

from __future__ import annotations

import argparse
import gc
import hmac
import json
import math
import os
import platform
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import UTC, datetime
from hashlib import sha256
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parent))

import reference_sets
from _common import (
    OUT,
    ROOT,
    SqlRecorder,
    bare_postgresql,
    bare_sqlite,
    fr_int,
    percentile,
    print_table,
    replay,
    timed,
)

from app.demo.generator import DEMO_PASSWORD

AUDIT_SCALE = 2_000_000  # entries of the audit budget at 100 %
PDF_BATCH = 100
# File openings timed per run (a few milliseconds each): a p95 of 30 samples is their second
# worst, and one burst of the machine's other work moved it by a third between runs.
FILE_OPENS_PER_RUN = 10


# ---- one figure -------------------------------------------------------------------------------
@dataclass
class Figure:
    key: str
    label: str
    size: float
    samples: list[float]
    unit: str = "ms"
    budget: float | None = None  # p95 at most this (in ``unit``)
    budget_ratio: float | None = None  # p95 at most this × the bare p95
    bare: list[float] | None = None
    statements: float | None = None  # SQL statements per call (mean)
    commits: float | None = None
    growth: bool = False  # a query figure: its growth exponent is printed
    note: str = ""
    extra: dict = field(default_factory=dict)

    @property
    def p50(self) -> float:
        return statistics.median(self.samples)

    @property
    def p95(self) -> float:
        return percentile(self.samples, 95)

    @property
    def bare_p95(self) -> float | None:
        return percentile(self.bare, 95) if self.bare else None

    @property
    def ratio(self) -> float | None:
        bare = self.bare_p95
        return self.p95 / bare if bare else None

    @property
    def verdict(self) -> str:
        if self.extra.get("ok") is False:
            return "INVALIDE"  # e.g. an audit chain that did not verify: the time means nothing
        checks = []
        if self.budget is not None:
            checks.append(self.p95 <= self.budget)
        if self.budget_ratio is not None and self.ratio is not None:
            checks.append(self.ratio <= self.budget_ratio)
        if not checks:
            return ""
        return "OK" if all(checks) else "DÉPASSÉ"

    def budget_text(self) -> str:
        parts = []
        if self.budget is not None:
            parts.append(f"≤ {self.budget:g} {self.unit}")
        if self.budget_ratio is not None:
            parts.append(f"≤ {self.budget_ratio:g}× nu")
        return ", ".join(parts)

    def summary(self) -> dict:
        data = asdict(self)
        data.pop("samples")
        data.pop("bare")
        data.update(
            n=len(self.samples),
            p50=round(self.p50, 3),
            p95=round(self.p95, 3),
            max=round(max(self.samples), 3),
            bare_p95=None if self.bare_p95 is None else round(self.bare_p95, 3),
            ratio=None if self.ratio is None else round(self.ratio, 2),
            verdict=self.verdict,
        )
        return data


def _num(value: float) -> str:
    if value >= 100:
        return fr_int(round(value))
    return f"{value:.1f}" if value >= 10 else f"{value:.2f}"


def size_text(size: float) -> str:
    return f"{size:g} %"


# ---- measuring one size -------------------------------------------------------------------
class SizeBench:
    """Every in-process figure on one reference set."""

    def __init__(
        self, ref: reference_sets.ReferenceSet, runs: int, quick: bool, batch: int = PDF_BATCH
    ) -> None:
        from app.container import Services

        self.ref = ref
        self.size = ref.percent
        self.runs = runs
        self.quick = quick
        self.batch = batch
        self.services = Services.open(ref.url)
        self.bare = bare_sqlite(ref.path)
        self.recorder = SqlRecorder(self.services.db.engine)
        login = self.services.auth.login
        self.gp = login("dr.durand", DEMO_PASSWORD)
        self.secretary = login("sec.roux", DEMO_PASSWORD)
        self.social = login("as.moreau", DEMO_PASSWORD)
        self.coordinator = login("coord.martin", DEMO_PASSWORD)
        self.big_file = int(ref.stamp["big_file"])
        self.figures: list[Figure] = []

    def close(self) -> None:
        self.bare.close()
        self.services.db.dispose()

    def add(self, figure: Figure) -> Figure:
        self.figures.append(figure)
        return figure

    # -- a service call and its bare SQL, alternately ---------------------------------------
    def compare(
        self,
        call: Callable[[int], object],
        runs: int,
        *,
        after_bare: Callable[[], None] | None = None,
        bare_conn: Callable[[], object] | None = None,
    ) -> tuple[list[float], list[float], float, float]:
        """``call(i)`` and the SQL it sent, replayed bare, for each ``i``. A first pass records
        what each call sends (untimed); then both are timed on the same warm pages, the service
        first for even ``i`` and the bare SQL first for odd ones: on this machine the kernel
        reclaims cold file pages within minutes, and whichever ran first would pay every
        disk read for both (the bare SQL, always second, never paid one)."""
        recorded = []
        for index in range(runs):
            with self.recorder as rec:
                call(index)
            recorded.append(rec.last)
        samples, bare = [], []
        for index in range(runs):
            conn = bare_conn() if bare_conn is not None else self.bare
            reads = recorded[index].reads

            def timed_call(index: int = index) -> None:
                started = time.perf_counter()
                call(index)
                samples.append((time.perf_counter() - started) * 1000)

            def timed_bare(conn: object = conn, reads: list = reads) -> None:
                started = time.perf_counter()
                replay(conn, reads)
                if after_bare is not None:
                    after_bare()
                bare.append((time.perf_counter() - started) * 1000)

            for step in (timed_call, timed_bare) if index % 2 == 0 else (timed_bare, timed_call):
                step()
            if bare_conn is not None:
                conn.close()
        statements = statistics.mean(len(r.statements) for r in recorded)
        commits = statistics.mean(r.commits for r in recorded)
        return samples, bare, statements, commits

    # -- search ---------------------------------------------------------------------------
    def keystrokes(self) -> list[str]:
        from bench_search import queries

        per_kind = 6 if self.quick else 20
        prefixes = []
        for texts in queries(self.services, per_kind=per_kind).values():
            for text in texts:
                prefixes.extend(text[:end] for end in range(1, len(text) + 1))
        return prefixes

    def search_once(self, prefix: str) -> object:
        return self.services.patients.search(self.secretary, prefix)

    def search(self, prefixes: list[str]) -> None:
        search = self.services.patients.search
        search(self.secretary, "dupont")  # warm-up
        samples, bare, statements, commits = self.compare(
            lambda i: search(self.secretary, prefixes[i]), len(prefixes)
        )
        self.add(
            Figure(
                "search.keystroke",
                "frappe de recherche, service",
                self.size,
                samples,
                budget=10,
                budget_ratio=1.5,
                bare=bare,
                statements=statements,
                commits=commits,
                growth=True,
                note=f"{len(prefixes)} frappes (noms, prénoms, dates, NIR)",
            )
        )

    def search_widget(self, app, prefixes: list[str]) -> None:
        from PySide6.QtWidgets import QTableView

        from app.views.shell.search_model import PatientSearchModel

        actor = self.secretary
        model = PatientSearchModel(
            lambda q, limit, offset: self.services.patients.search(
                actor, q, limit=limit, offset=offset
            )
        )
        view = QTableView()
        view.resize(1100, 700)
        view.setModel(model)
        view.show()
        app.processEvents()
        chosen = prefixes[:: max(1, len(prefixes) // (60 if self.quick else 300))]
        samples = []
        for prefix in chosen:
            started = time.perf_counter()
            model.set_query(prefix)
            view.repaint()
            samples.append((time.perf_counter() - started) * 1000)
            app.processEvents()
        view.setModel(None)  # type: ignore[arg-type]
        view.deleteLater()
        app.processEvents()
        self.add(
            Figure(
                "search.widget",
                "frappe → liste réaffichée (modèle Qt + repaint)",
                self.size,
                samples,
                budget=30,
            )
        )

    # -- a patient file of 200 encrypted notes ---------------------------------------------
    def open_file(self, _index: int = 0) -> int:
        from bench_search import open_file

        return open_file(self.services, self.gp, self.big_file)

    def file_service(self) -> None:
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        from app.services.security.codec import SEALED_TAG

        assert self.open_file() >= reference_sets.BIG_FILE_NOTES
        # The keys the GP's session holds, found before timing (as her login did).
        sealed = []
        rows = self.bare.execute(
            "SELECT compartment, content FROM note WHERE patient_id = ?", (self.big_file,)
        ).fetchall()
        for compartment, blob in rows:
            if not bytes(blob).startswith(SEALED_TAG):
                continue
            blob = bytes(blob)
            key_id = int.from_bytes(blob[3:7], "big")
            dek = self.gp.keys.key_by_id(key_id, allow_escrow=False) if self.gp.keys else None
            if dek is not None:
                aad = f"relais:{compartment}:patient:{self.big_file}".encode()
                sealed.append((dek, blob[7:], aad))
        self.bare.execute("CREATE TABLE IF NOT EXISTS _bench_floor (at TEXT)")

        def decrypt_and_commit() -> None:
            for dek, body, aad in sealed:
                AESGCM(dek).decrypt(body[:12], body[12:], aad)
            self.bare.execute("BEGIN IMMEDIATE")
            self.bare.execute("INSERT INTO _bench_floor VALUES (?)", (time.time(),))
            self.bare.execute("COMMIT")

        try:
            decrypt_and_commit()  # checks the key layout once
            samples, bare, statements, commits = self.compare(
                self.open_file, self.runs * FILE_OPENS_PER_RUN, after_bare=decrypt_and_commit
            )
        finally:
            self.bare.execute("DROP TABLE IF EXISTS _bench_floor")
        self.add(
            Figure(
                "file.service",
                f"ouvrir un dossier de {reference_sets.BIG_FILE_NOTES} notes chiffrées, service",
                self.size,
                samples,
                budget_ratio=3,
                bare=bare,
                statements=statements,
                commits=commits,
                growth=True,
                note=f"nu : mêmes SELECT + {len(sealed)} déchiffrements AES-GCM + 1 commit",
            )
        )

    def file_widget(self, app) -> None:
        from app.views.common.tasks import TaskRunner
        from app.views.shell.workspace import Workspace

        runner = TaskRunner()
        workspace = Workspace(self.services, self.gp, self.services.clinic.public(), runner=runner)
        workspace.resize(1200, 780)
        workspace.show()
        app.processEvents()
        runner.wait()

        def settle() -> None:
            app.processEvents()
            while runner.pending:
                runner.wait(50)
                app.processEvents()
            workspace.repaint()

        samples = []
        for _ in range(self.runs * 2):
            started = time.perf_counter()
            widget = workspace.open_patient(self.big_file)
            settle()
            samples.append((time.perf_counter() - started) * 1000)
            assert widget is not None
            workspace.close_file_at(workspace.files.indexOf(widget))
            settle()
        runner.shutdown()
        workspace.deleteLater()
        app.processEvents()
        self.add(
            Figure(
                "file.widget",
                f"ouvrir un dossier de {reference_sets.BIG_FILE_NOTES} notes chiffrées, écran",
                self.size,
                samples,
                budget=50,
                note="Workspace.open_patient jusqu'aux tâches finies et repeint",
            )
        )

    # -- inbox ----------------------------------------------------------------------------
    def inbox(self) -> None:
        from app.views.shell.inbox import InboxModel

        inbox = self.services.inbox
        items = len(inbox.items(self.social))
        unread = inbox.unread_count(self.social)
        page = InboxModel.PAGE  # what « Messages » reads first (the next pages as it scrolls)
        for key, label, call in (
            ("inbox.count", "messages : compteur (assistante sociale)", inbox.unread_count),
            (
                "inbox.list",
                f"messages : liste, première page de {page} (assistante sociale)",
                lambda actor: inbox.items(actor, limit=page),
            ),
        ):
            samples, bare, statements, commits = self.compare(
                lambda i, call=call: call(self.social), self.runs * 2
            )
            self.add(
                Figure(
                    key,
                    label,
                    self.size,
                    samples,
                    budget=20,
                    bare=bare,
                    statements=statements,
                    commits=commits,
                    growth=True,
                    note=f"{fr_int(unread)} non lus, {fr_int(items)} dans la liste",
                    extra={"items": items, "unread": unread},
                )
            )

    # -- referrals to schedule, cold ------------------------------------------------------
    def _cold_bare(self, reads: list) -> float:
        conn = bare_sqlite(self.ref.path)  # a new connection: nothing cached
        try:
            started = time.perf_counter()
            replay(conn, reads)
            return (time.perf_counter() - started) * 1000
        finally:
            conn.close()

    def to_schedule(self) -> None:
        from app.container import Services

        samples, bare, statements = [], [], []
        # Twice the runs, as for the inbox: with 5 or 10 samples the nearest-rank p95 is the
        # largest sample, one stall of the machine; with 20 it is the 19th.
        runs = max(3, self.runs * 2)
        reads: list = []
        # An untimed first call: the file's pages in the system's cache, as at a clinic where
        # the workstation has just read them (here the kernel drops cold pages within
        # minutes). Each timed call is still a new process-wide connection (SQLite's own
        # cache empty), the first of its session.
        self.services.scheduling.referrals_to_schedule(self.secretary)
        for index in range(runs):
            services = Services.open(self.ref.url)
            try:
                secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
                services.db.engine.dispose()  # a new connection: nothing cached
                if index % 2 == 1:  # the bare SQL first, as in ``compare``
                    bare.append(self._cold_bare(reads))
                with SqlRecorder(services.db.engine) as rec:
                    started = time.perf_counter()
                    services.scheduling.referrals_to_schedule(secretary)
                    samples.append((time.perf_counter() - started) * 1000)
                statements.append(len(rec.last.statements))
                reads = rec.last.reads
                if index % 2 == 0:
                    bare.append(self._cold_bare(reads))
            finally:
                services.db.dispose()
        self.add(
            Figure(
                "schedule.cold",
                "orientations à planifier (secrétariat), à froid",
                self.size,
                samples,
                budget=30,
                bare=bare,
                statements=statistics.mean(statements),
                growth=True,
                note="nouvelle connexion à chaque mesure",
            )
        )

    # -- PDFs -----------------------------------------------------------------------------
    def pdfs(self) -> None:
        rows = self.bare.execute(
            "SELECT id FROM referral WHERE sender_id = ? AND status <> 'draft' ORDER BY id",
            (self.gp.user_id,),
        ).fetchall()
        ids = [r[0] for r in rows]
        random.Random(16).shuffle(ids)
        if not ids:
            return
        form = self.services.referral_documents.referral_form
        form(self.gp, ids[0])  # warm-up: fonts, reportlab
        one = timed(lambda i: form(self.gp, ids[(i + 1) % len(ids)]), self.runs)
        self.add(Figure("pdf.one", "une fiche d'orientation (PDF)", self.size, one, budget=150))
        from app.views.common.pdf_view import merge_pdfs

        batch_ids = ids[: self.batch]  # distinct referrals: a batch prints each once
        forms = self.services.referral_documents.referral_forms

        def one_batch(_i: int) -> None:  # what « Imprimer les fiches… » waits for
            merge_pdfs([d.pdf for d in forms(self.gp, batch_ids, progress=lambda d, t: None)])

        batch = timed(one_batch, 1)
        self.add(
            Figure(
                "pdf.batch",
                f"{len(batch_ids)} fiches d'orientation en un lot",
                self.size,
                [s / 1000 for s in batch],
                unit="s",
                budget=10 * len(batch_ids) / PDF_BATCH,
                note="referral_forms (une unité de travail) + un seul PDF fusionné",
            )
        )

    # -- audit verify ---------------------------------------------------------------------
    def audit_verify(self) -> None:
        from app.services.audit import chain

        key = self.services.audit.key
        assert key is not None, "demo sets are sealed with the demo audit key"
        entries = self.bare.execute("SELECT count(*) FROM audit_entry").fetchone()[0]
        columns = ", ".join(f'"{name}"' for name in chain.FIELDS)

        def bare_hmac(_i: int) -> None:
            previous = chain.GENESIS.encode("ascii")
            cursor = self.bare.execute(f"SELECT {columns}, mac FROM audit_entry ORDER BY seq, id")
            for row in cursor:
                data = "\x1f".join("\u2205" if v is None else str(v) for v in row[:-1])
                mac = hmac.new(key, previous + b"\x1e" + data.encode("utf-8"), sha256)
                hmac.compare_digest(mac.hexdigest(), row[-1] or "")
                previous = (row[-1] or "").encode("ascii")

        runs = 1 if self.size >= 100 or self.quick else 2
        reports = []
        samples = timed(
            lambda _i: reports.append(self.services.audit_log.verify(self.coordinator)), runs
        )
        report = reports[-1]
        bare = timed(bare_hmac, runs)
        scale = AUDIT_SCALE * self.size / 100 / entries
        self.add(
            Figure(
                "audit.verify",
                f"audit verify ({fr_int(entries)} entrées mesurées)",
                self.size,
                [s / 1000 for s in samples],
                unit="s",
                budget_ratio=2,
                bare=[s / 1000 for s in bare],
                growth=True,
                note=(
                    f"× {scale:.2f} pour {fr_int(round(AUDIT_SCALE * self.size / 100))} "
                    f"entrées : {statistics.median(samples) / 1000 * scale:.1f} s (extrapolé)"
                    if report.ok
                    else f"CHAÎNE NON VÉRIFIÉE (entrée n° {report.first_bad_seq}) : "
                    f"{report.problem}"
                ),
                extra={
                    "ok": report.ok,
                    "checked": report.checked,
                    "entries": entries,
                    "extrapolated_s": round(statistics.median(samples) / 1000 * scale, 2),
                },
            )
        )


# ---- subprocess figures -------------------------------------------------------------------
def _python_env() -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT.parent), str(ROOT)])
    env.setdefault("QT_QPA_PLATFORM", "offscreen")
    # A workstation keeps the compiled bytecode of Relais (__pycache__) from its first start;
    # a shell that forbids writing it would time the compilation of every module instead.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def probe(mode: str, url: str, timeout: float = 300) -> dict:
    started = time.time()
    done = subprocess.run(
        [sys.executable, str(ROOT / "probe.py"), mode, url, repr(started)],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=_python_env(),
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"probe {mode} failed ({done.returncode}): {done.stderr[-2000:]}")
    return json.loads(lines[-1])


def startup_figures(ref: reference_sets.ReferenceSet, runs: int) -> list[Figure]:
    probe("start", ref.url)  # a first start, not counted: it writes the bytecode caches
    shown, ready = [], []
    for _ in range(runs):
        result = probe("start", ref.url)
        shown.append(result["login_shown_s"])
        ready.append(result["main_ready_s"])
    return [
        Figure(
            "start.login",
            "démarrage → fenêtre de connexion (processus neuf)",
            ref.percent,
            shown,
            unit="s",
            budget=1.0,
        ),
        Figure(
            "login.main",
            "connexion acceptée → fenêtre principale (hachage exclu)",
            ref.percent,
            ready,
            unit="s",
            budget=0.3,
        ),
    ]


def memory_figure(ref: reference_sets.ReferenceSet) -> Figure:
    result = probe("memory", ref.url)
    return Figure(
        "memory.session",
        "mémoire maximale d'une session (recherche, 20 dossiers, PDF, tableau de bord)",
        ref.percent,
        [result["peak_mb"]],
        unit="Mo",
        budget=300,
        note=result.get("note", ""),
        extra=result,
    )


def demo_figure(size: float) -> Figure:
    with tempfile.TemporaryDirectory(prefix="relais-demo-") as folder:
        url = f"sqlite:///{Path(folder) / 'demo.sqlite'}"
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "app.admin", "--database", url, "demo", "--patients", "100000"],
            capture_output=True,
            text=True,
            env=_python_env(),
            timeout=1800,
        )
        seconds = time.perf_counter() - started
    failed = done.returncode != 0
    return Figure(
        "demo.100k",
        "relais-admin demo --patients 100000",
        size,
        [seconds],
        unit="s",
        budget=90,
        note=f"ÉCHEC : {done.stderr.strip()[-300:]}" if failed else "",
        extra={"ok": False} if failed else {},
    )


# ---- PostgreSQL beside SQLite (issue 12) ---------------------------------------------------
def postgresql_figures(bench: SizeBench, server, prefixes: list[str]) -> list[Figure]:
    from app.container import Services, find_audit_key
    from app.models.db import Database
    from app.services.audit.anchor import HeadAnchor
    from app.services.clinic.pg_migration import copy_database
    from app.services.security.secrets_store import SecretStore

    size = bench.size
    name = f"relais_{str(size).replace('.', '_')}"
    server.createdb(name)
    url = server.url_of(name)
    db = Database.open(bench.ref.url)
    key = find_audit_key(db)
    db.dispose()
    started = time.perf_counter()
    report = copy_database(bench.ref.url, url, key)
    copy_s = time.perf_counter() - started
    server.settle()  # the copy's pages written before anything is measured
    figures = [
        Figure(
            "pg.migrate",
            "migrate-to-postgresql (copie, vérifications, audit verify)",
            size,
            [copy_s],
            unit="s",
            budget=600,
            note=f"{fr_int(report.rows)} lignes",
        )
    ]
    services = Services.open(url)
    # In a clinic the copy replaces the file, so the workstation's kept audit head (keyring)
    # is found in the copied chain. Here both chains grow side by side in one process and one
    # in-memory keyring: the copy keeps its head apart, or every PostgreSQL commit would meet
    # the SQLite set's newer head, warn and look for a restore (one more query each).
    services.audit.anchor = HeadAnchor(lambda scope: SecretStore(f"{scope}:postgresql"))
    try:
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        services.patients.search(secretary, "dupont")  # warm-up
        pg_file = _PgFile(services, gp, bench.big_file)
        pg_file(0)
        floors = _BareFloors(bench, services, server.libpq_url(name))
        try:
            # Alternately, call by call, so that all four see the same load of the machine.
            keys: dict[str, list[float]] = {
                k: [] for k in ("sqlite", "pg", "sqlite0", "pg0", "answer")
            }
            for prefix in prefixes:
                sqlite_sql, pg_sql = floors.record(
                    lambda p=prefix: bench.search_once(p),
                    lambda p=prefix: services.patients.search(secretary, p),
                )
                keys["sqlite"] += timed(lambda _i, p=prefix: bench.search_once(p), 1)
                keys["pg"] += timed(lambda _i, p=prefix: services.patients.search(secretary, p), 1)
                keys["sqlite0"] += timed(lambda _i, r=sqlite_sql: floors.sqlite(r), 1)
                keys["pg0"] += timed(lambda _i, r=pg_sql: floors.pg_keystroke(r), 1)
                keys["answer"] += timed(lambda _i, r=pg_sql: floors.pg_answer(r), 1)
            opens: dict[str, list[float]] = {k: [] for k in ("sqlite", "pg", "sqlite0", "pg0")}
            sqlite_sql, pg_sql = floors.record(bench.open_file, lambda: pg_file(0))
            for _ in range(bench.runs * FILE_OPENS_PER_RUN):
                opens["sqlite"] += timed(bench.open_file, 1)
                opens["pg"] += timed(pg_file, 1)
                opens["sqlite0"] += timed(lambda _i: floors.sqlite(sqlite_sql, commit=True), 1)
                opens["pg0"] += timed(lambda _i: floors.pg(pg_sql, commit=True), 1)
        finally:
            floors.close()
    finally:
        services.db.dispose()
        server.settle(dropped=name)  # nothing left writing while the next size is measured
    for key_, label, samples, note in (
        ("pg.keystroke", "frappe, PostgreSQL (nu = SQLite)", keys, ""),
        ("pg.file", "dossier de 200 notes, PostgreSQL (nu = SQLite)", opens, " + 1 commit"),
    ):
        floor = percentile(samples["pg0"], 95) / percentile(samples["sqlite0"], 95)
        own = percentile(samples["pg"], 95) / percentile(samples["pg0"], 95)
        answer, answer_note = {}, ""
        if samples.get("answer"):
            # The server's answer alone against Relais's whole call on SQLite: what is left
            # for the driver's rows and Relais's own work under the budget.
            alone = percentile(samples["answer"], 95)
            share = alone / percentile(samples["sqlite"], 95)
            answer = {"pg_answer_p95": alone, "pg_answer_over_sqlite": share}
            answer_note = (
                f" ; la réponse du serveur seule (lignes non lues) : {_num(alone)} ms, "
                f"{share:.2f}× Relais sur SQLite"
            )
        figures.append(
            Figure(
                key_,
                label,
                size,
                samples["pg"],
                budget_ratio=1.3,
                bare=samples["sqlite"],
                note="la colonne « nu » est SQLite, mesuré en alternance ; mêmes requêtes "
                f"sans Relais{note} : PostgreSQL {_num(percentile(samples['pg0'], 95))} ms, "
                f"SQLite {_num(percentile(samples['sqlite0'], 95))} ms (p95), soit {floor:.1f}× ; "
                f"Relais sur PostgreSQL : {own:.1f}× sa requête nue{answer_note}",
                extra={
                    "bare_pg_p95": percentile(samples["pg0"], 95),
                    "bare_sqlite_p95": percentile(samples["sqlite0"], 95),
                    "bare_ratio": floor,
                    "pg_over_bare_pg": own,
                    **answer,
                },
            )
        )
    return figures


class _BareFloors:
    """The same SQL without Relais on each database: what one call sent to each, replayed on a
    plain ``sqlite3`` and a plain ``psycopg`` connection (reads fetched; ``commit=True`` adds
    one committed insert, as the audit entry of a file opening). On PostgreSQL a keystroke
    is replayed as the search sends it (``bare_postgresql(plain_reads=True)``: one round
    trip), a file in a transaction; rows in the binary format both ways."""

    def __init__(self, bench: SizeBench, services, libpq_url: str) -> None:
        self.bench = bench
        self.pg_recorder = SqlRecorder(services.db.engine)
        self.pg_conn = bare_postgresql(libpq_url)
        self.pg_reads = bare_postgresql(libpq_url, plain_reads=True)
        for conn in (bench.bare, self.pg_conn):
            conn.execute("CREATE TABLE IF NOT EXISTS _bench_floor (at TEXT)")
        self.pg_conn.commit()

    def record(self, sqlite_call, pg_call) -> tuple[list, list]:
        with self.bench.recorder as sqlite_rec:
            sqlite_call()
        with self.pg_recorder as pg_rec:
            pg_call()
        return sqlite_rec.last.reads, pg_rec.last.reads

    def sqlite(self, reads: list, *, commit: bool = False) -> None:
        conn = self.bench.bare
        replay(conn, reads)
        if commit:
            conn.execute("BEGIN IMMEDIATE")
            conn.execute("INSERT INTO _bench_floor VALUES ('x')")
            conn.execute("COMMIT")

    def pg_keystroke(self, reads: list) -> None:
        replay(self.pg_reads, reads, binary=True)

    def pg_answer(self, reads: list) -> None:
        """The keystroke's statement as ``pg_keystroke``, its rows left in the server's
        answer: what the server and the link alone take, before any Python object."""
        replay(self.pg_reads, reads, binary=True, fetch=False)

    def pg(self, reads: list, *, commit: bool = False) -> None:
        replay(self.pg_conn, reads, binary=True)
        if commit:
            self.pg_conn.execute("INSERT INTO _bench_floor VALUES ('x')")
        self.pg_conn.commit()  # a read-only transaction ends too (no commit on the disk)

    def close(self) -> None:
        self.bench.bare.execute("DROP TABLE IF EXISTS _bench_floor")
        self.pg_conn.close()
        self.pg_reads.close()


class _PgFile:
    def __init__(self, services, gp, patient_id: int) -> None:
        self.services, self.gp, self.patient_id = services, gp, patient_id

    def __call__(self, _index: int) -> None:
        from bench_search import open_file

        open_file(self.services, self.gp, self.patient_id)  # as on SQLite (SizeBench.open_file)


# ---- tables read from the GUI tests --------------------------------------------------------
def json_tables(folder: Path) -> dict[str, object]:
    found: dict[str, object] = {}
    for name in ("walkthroughs", "ui_stalls"):
        path = folder / f"{name}.json"
        try:
            found[name] = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
    return found


def print_json_table(title: str, data: object) -> None:
    rows = (
        data
        if isinstance(data, list)
        else [
            {"": k, **v} if isinstance(v, dict) else {"": k, "valeur": v} for k, v in data.items()
        ]
    )  # type: ignore[union-attr]
    if not rows:
        return
    headers: list[str] = []
    for row in rows:
        for key in row:
            if key not in headers:
                headers.append(key)
    print(f"\n{title}")
    print_table(
        headers, [["" if r.get(h) is None else str(r.get(h)) for h in headers] for r in rows]
    )


# ---- output ------------------------------------------------------------------------------
def growth(figures: list[Figure]) -> list[dict]:
    by_key: dict[str, dict[float, Figure]] = {}
    for f in figures:
        if f.growth:
            by_key.setdefault(f.key, {})[f.size] = f
    out = []
    for key, sizes in by_key.items():
        if len(sizes) < 2:
            continue
        low, high = min(sizes), max(sizes)
        a, b = sizes[low].p95, sizes[high].p95
        exponent = math.log(b / a) / math.log(high / low) if a > 0 and b > 0 else None
        out.append(
            {
                "key": key,
                "label": sizes[high].label,
                "from": low,
                "to": high,
                "p95_from": round(a, 3),
                "p95_to": round(b, 3),
                "exponent": None if exponent is None else round(exponent, 2),
                "budget": 0.15 if key == "search.keystroke" else None,
            }
        )
    return out


def print_results(figures: list[Figure], growths: list[dict]) -> None:
    order = {key: n for n, key in enumerate(dict.fromkeys(f.key for f in figures))}
    figures = sorted(figures, key=lambda f: (order[f.key], f.size))
    headers = ["Mesure", "taille", "n", "p50", "p95", "budget", "nu p95", "ratio", "requêtes",
               "commits", "verdict"]  # fmt: skip
    rows = []
    for f in figures:
        rows.append(
            [
                f.label,
                size_text(f.size),
                str(len(f.samples)),
                f"{_num(f.p50)} {f.unit}",
                f"{_num(f.p95)} {f.unit}",
                f.budget_text(),
                "" if f.bare_p95 is None else f"{_num(f.bare_p95)} {f.unit}",
                "" if f.ratio is None else f"{f.ratio:.1f}×",
                "" if f.statements is None else f"{f.statements:.0f}",
                "" if f.commits is None else f"{f.commits:.0f}",
                f.verdict,
            ]
        )
    print_table(headers, rows)
    notes = [(f.label, size_text(f.size), f.note) for f in figures if f.note]
    if notes:
        print()
        print_table(["Mesure", "taille", "remarque"], [list(n) for n in notes])
    if growths:
        print("\nCroissance (exposant de p95 entre la plus petite et la plus grande taille)")
        print_table(
            ["Mesure", "de", "à", "p95 de", "p95 à", "exposant", "budget"],
            [
                [
                    g["label"],
                    size_text(g["from"]),
                    size_text(g["to"]),
                    _num(g["p95_from"]),
                    _num(g["p95_to"]),
                    "" if g["exponent"] is None else f"{g['exponent']:.2f}",
                    "" if g["budget"] is None else f"≤ {g['budget']}",
                ]
                for g in growths
            ],
        )


# ---- main --------------------------------------------------------------------------------
def parse_sizes(text: str) -> list[float]:
    sizes = []
    for part in text.split(","):
        value = float(part.strip().rstrip("%"))
        if not 0 < value <= 100:
            raise argparse.ArgumentTypeError(f"taille hors de ]0, 100] : {part}")
        sizes.append(int(value) if value.is_integer() else value)
    return sizes


FIGURE_GROUPS = ("search", "gui", "file", "inbox", "schedule", "pdf", "audit", "start", "memory")


def measure_size(
    ref: reference_sets.ReferenceSet,
    args: argparse.Namespace,
    app,
    server=None,
    log: Callable[[str], None] = print,
) -> list[Figure]:
    runs = args.runs or (3 if args.quick else 10)
    skip = set(args.skip or ())
    bench = SizeBench(ref, runs, args.quick, args.pdf_batch)
    try:
        prefixes = bench.keystrokes()
        steps: list[tuple[str, Callable[[], object]]] = [
            ("search", lambda: bench.search(prefixes)),
            ("gui", lambda: bench.search_widget(app, prefixes)),
            ("file", bench.file_service),
            ("gui", lambda: bench.file_widget(app)),
            ("inbox", bench.inbox),
            ("schedule", bench.to_schedule),
            ("audit", bench.audit_verify),
            ("pdf", bench.pdfs),  # last: it archives the PDFs it prints
        ]
        for group, step in steps:
            if group in skip:
                continue
            started = time.perf_counter()
            with collected_between():
                step()
            log(f"  {size_text(ref.percent)} {group} : {time.perf_counter() - started:.1f} s")
        figures = list(bench.figures)
        if "start" not in skip:
            figures += startup_figures(ref, max(2, runs // 2))
        if "memory" not in skip:
            figures.append(memory_figure(ref))
        if server is not None:
            with collected_between():
                figures += postgresql_figures(bench, server, prefixes)
        return figures
    finally:
        bench.close()


@contextmanager
def collected_between() -> Iterator[None]:
    """Python's automatic collection off while a group of figures is timed, a full collection
    after it — as in the application, which turns it off and collects on the UI thread between
    events (``app/views/common/garbage.py``), so that no service call ever pays for one. On
    by default here, a collection of the whole heap (every set measured so far) landed inside
    some timed calls: a keystroke p95 of 2.2 ms instead of 1.0 at 100 %, a cold « à planifier »
    of 142 ms instead of 17."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
        gc.collect()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesures de Relais face à la base nue.")
    parser.add_argument("--sizes", type=parse_sizes, default=[1, 10, 100],
                        help="tailles du jeu de référence en %% (défaut : 1,10,100)")  # fmt: skip
    parser.add_argument("--quick", action="store_true", help="moins de répétitions")
    parser.add_argument("--runs", type=int, help="répétitions par mesure (défaut 10, 3 en --quick)")
    parser.add_argument("--demo", action="store_true", help="relais-admin demo --patients 100000")
    parser.add_argument("--postgresql", action="store_true", help="PostgreSQL à côté de SQLite")
    parser.add_argument("--skip", type=lambda t: t.split(","), help=f"groupes : {FIGURE_GROUPS}")
    parser.add_argument("--pdf-batch", type=int, default=PDF_BATCH, help=argparse.SUPPRESS)
    parser.add_argument("--rebuild", action="store_true", help="reconstruire les jeux")
    parser.add_argument("--seed-100", type=Path,
                        help="fichier 100 %% à copier et migrer au lieu de le générer")  # fmt: skip
    parser.add_argument("--out", type=Path, default=OUT, help="dossier des jeux et résultats")
    args = parser.parse_args(argv)

    import keyring
    from bench_postgresql import MemoryKeyring
    from PySide6.QtCore import qInstallMessageHandler
    from PySide6.QtWidgets import QApplication

    keyring.set_keyring(MemoryKeyring())  # no OS keyring here: nothing leaves the process
    app = QApplication.instance() or QApplication([])
    previous_handler = qInstallMessageHandler(_quiet_offscreen)
    try:
        return _run(args, app)
    finally:
        qInstallMessageHandler(previous_handler)


def _quiet_offscreen(mode, context, message: str) -> None:  # type: ignore[no-untyped-def]
    """The offscreen platform's « does not support propagateSizeHints() », once per window."""
    if "propagateSizeHints" not in message:
        sys.stderr.write(message + "\n")


def _run(args: argparse.Namespace, app) -> int:  # type: ignore[no-untyped-def]
    started = time.perf_counter()
    load_before = os.getloadavg()
    server = None
    if args.postgresql:
        from bench_postgresql import ThrowAwayServer

        server = ThrowAwayServer()
    figures: list[Figure] = []
    stamps = {}
    try:
        for size in args.sizes:
            ref = reference_sets.ensure(
                size, folder=args.out, seed=args.seed_100, force=args.rebuild
            )
            stamps[str(size)] = ref.stamp
            figures += measure_size(ref, args, app, server)
            if args.demo and size == 100:
                figures.append(demo_figure(size))
    finally:
        if server is not None:
            server.stop()
    growths = growth(figures)
    elapsed = time.perf_counter() - started
    print()
    print_results(figures, growths)
    tables = json_tables(args.out)
    if "walkthroughs" in tables:
        print_json_table(
            "Parcours cliniques (tests/gui, input_counter.record)", tables["walkthroughs"]
        )
    if "ui_stalls" in tables:
        print_json_table("Blocages de l'interface (ui_stalls.json)", tables["ui_stalls"])
    load = os.getloadavg()
    print(
        f"\nDurée totale : {elapsed / 60:.1f} min ; charge de la machine (1 min) "
        f"{load_before[0]:.1f} au début, {load[0]:.1f} à la fin, sur {os.cpu_count()} cœurs"
    )
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "load_before": load_before,
            "load_after": load,
        },
        "sizes": args.sizes,
        "quick": args.quick,
        "sets": stamps,
        "elapsed_s": round(elapsed, 1),
        "figures": [f.summary() for f in figures],
        "growth": growths,
        **tables,
    }
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "results.json").write_text(
        json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8"
    )
    print(f"Résultats : {args.out / 'results.json'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
