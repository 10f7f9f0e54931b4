"""The reference data sets at 1 %, 10 % and 100 %, built once and cached (DESIGN.md §9).

100 % is 100,000 patients, 1,000,000 notes, 200,000 referrals and 300,000 appointments
(``make_reference.py``'s set); 1 % and 10 % are the same generator with every count scaled.
Each set is ``benchmarks/out/reference-<percent>.sqlite`` beside a ``.json`` stamp holding the
cache key: the Alembic head revision, :data:`GENERATOR_VERSION` and the counts. A set whose
stamp differs is rebuilt, so a new migration or a change of the generator rebuilds it.

``seed`` (``run.py --seed-100 PATH``): a 100 % file already built elsewhere (e.g. the main
checkout's ``benchmarks/out/reference.sqlite``) is copied and brought to the head revision by
the application's own migrations instead of being generated again (about 3 minutes saved); its
stamp says so.
"""

from __future__ import annotations

import json
import sqlite3
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from _common import OUT, fr_int

from app.container import Services
from app.demo.generator import DEMO_PASSWORD, create_demo
from app.models.db import head_revision

# Bump when the generator (create_demo arguments, reference_history, fixtures below) changes.
GENERATOR_VERSION = 4
FULL = {"patients": 100_000, "notes_per_patient": 10, "referrals": 200_000, "appointments": 300_000}
BIG_FILE_NAME = "Banc-Deuxcents"
BIG_FILE_NOTES = 200
INBOX_ITEMS = 1_000  # the social worker's unread inbox items (issue 16: « 1,000 items »)


@dataclass(frozen=True)
class ReferenceSet:
    percent: float
    path: Path
    stamp: dict

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"


def counts(percent: float) -> dict[str, int]:
    scale = percent / 100
    return {
        "patients": max(20, round(FULL["patients"] * scale)),
        "notes_per_patient": FULL["notes_per_patient"],
        "referrals": max(40, round(FULL["referrals"] * scale)),
        "appointments": max(60, round(FULL["appointments"] * scale)),
    }


def path_of(percent: float, folder: Path = OUT) -> Path:
    return folder / f"reference-{percent}.sqlite"


def cache_key(percent: float) -> dict:
    return {"head": head_revision(), "generator": GENERATOR_VERSION, **counts(percent)}


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    path.with_suffix(".json").unlink(missing_ok=True)


def _drop_migration_backups(path: Path) -> None:
    """The copy of a set taken before migrating it (``*.avant-migration-*``): not kept."""
    for backup in path.parent.glob(f"{path.stem}.avant-migration-*"):
        backup.unlink(missing_ok=True)


def _progress(label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        percent = 100 if total == 0 else done * 100 // total
        sys.stderr.write(f"\r{label} : {percent:3d} %")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()

    return report


def add_fixtures(services: Services) -> dict:
    """What the figures need beyond the generated data (idempotent): a GP's patient file with
    200 encrypted medical notes, its liaison consent given (so the file opens every tab); the
    social worker's inbox topped up to 1,000 unread items with notices (her unread referral
    items first: about 50 at 1 %, 300 at 10 and 100 %)."""
    import random
    from datetime import timedelta

    from sqlalchemy import func, insert, select

    from app.models import Notification, Patient
    from app.services.patient_file.records import ConsentScope, ConsentStatus, PatientInput

    secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
    gp = services.auth.login("dr.durand", DEMO_PASSWORD)
    found = services.patients.search(secretary, BIG_FILE_NAME).patients
    if found:
        patient_id = found[0].id
    else:
        patient_id = services.patients.create(
            secretary,
            PatientInput(BIG_FILE_NAME, "Éloïse", "F", "14/07/1948", city="Rouen"),
            confirm_duplicate=True,
        ).id
        services.consents.record(gp, patient_id, ConsentScope.LIAISON, ConsentStatus.GIVEN)
        for n in range(BIG_FILE_NOTES):
            services.notes.add(
                gp, patient_id, "medical", f"Consultation n° {n + 1}. " + "Examen clinique. " * 30
            )
    social = services.auth.login("as.moreau", DEMO_PASSWORD)
    missing = INBOX_ITEMS - services.inbox.unread_count(social)
    if missing > 0:
        rng = random.Random(1000)
        now = services.clock()
        with services.db.session() as session:
            high = session.scalar(select(func.max(Patient.id))) or 1
            session.execute(
                insert(Notification.__table__),
                [
                    {
                        "user_id": social.user_id,
                        "kind": "reminder",
                        "patient_id": rng.randint(1, high),
                        "text": f"Rappel n° {n + 1} : relancer le dossier.",
                        "created_at": now - timedelta(minutes=rng.randrange(60 * 24 * 90)),
                        "read_at": None,
                    }
                    for n in range(missing)
                ],
            )
    return {"big_file": patient_id, "inbox_unread": services.inbox.unread_count(social)}


def build(
    path: Path,
    percent: float,
    *,
    seed: Path | None = None,
    open_services: Callable[[str], Services] = Services.open,
) -> dict:
    """Generate (or copy from ``seed`` and migrate) one set at ``path``; returns its stamp.
    ``open_services`` lets the smoke test build with a lighter password hash."""
    from reference_history import add_history

    _remove(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    wanted = counts(percent)
    started = time.perf_counter()
    source = "generated"
    if seed is not None:
        # The online backup API: a consistent copy even if the source is open elsewhere.
        with sqlite3.connect(seed) as src, sqlite3.connect(path) as dst:
            src.backup(dst)
        source = f"copied from {seed} and migrated"
    services = open_services(f"sqlite:///{path}")  # migrates a copied set to the head
    try:
        if seed is None:
            create_demo(
                services,
                patients=wanted["patients"],
                notes_per_patient=wanted["notes_per_patient"],
                progress=_progress(f"{percent} % : patients"),
            )
            add_history(
                services,
                referrals=wanted["referrals"],
                appointments=wanted["appointments"],
                progress=_progress(f"{percent} % : historique"),
            )
        fixtures = add_fixtures(services)
    finally:
        services.db.dispose()
    _drop_migration_backups(path)
    stamp = {
        **cache_key(percent),
        "source": source,
        "built_s": round(time.perf_counter() - started, 1),
        "size_mb": round(path.stat().st_size / 1e6),
        **fixtures,
    }
    path.with_suffix(".json").write_text(json.dumps(stamp, indent=2), encoding="utf-8")
    return stamp


def ensure(
    percent: float,
    *,
    folder: Path = OUT,
    seed: Path | None = None,
    force: bool = False,
    log: Callable[[str], None] = print,
    open_services: Callable[[str], Services] = Services.open,
) -> ReferenceSet:
    """The cached set at ``percent``, (re)built when missing or when its key changed."""
    path = path_of(percent, folder)
    stamp_path = path.with_suffix(".json")
    key = cache_key(percent)
    try:
        stamp = json.loads(stamp_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        stamp = {}
    if not force and path.exists() and all(stamp.get(k) == v for k, v in key.items()):
        return ReferenceSet(percent, path, stamp)
    use_seed = seed if percent == 100 and seed is not None and seed.exists() else None
    how = f"copie de {use_seed}" if use_seed else "génération"
    log(
        f"Jeu de référence {percent} % ({fr_int(key['patients'])} patients) : {how} "
        f"(révision {key['head']}, générateur v{GENERATOR_VERSION})…"
    )
    stamp = build(path, percent, seed=use_seed, open_services=open_services)
    log(f"  prêt en {stamp['built_s']} s, {stamp['size_mb']} Mo.")
    return ReferenceSet(percent, path, stamp)
