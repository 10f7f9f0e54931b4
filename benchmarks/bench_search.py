"""Search-as-you-type and file-opening times on the reference database (issue 2's budgets).

For about 200 real names, first names, birth dates and NIRs taken from the database, every
keystroke's prefix goes to ``services.patients.search``; then a patient file with 50 notes is
opened as a GP (``patients.get`` + ``notes.list`` for each readable compartment). Prints p50,
p95 and max per kind of name typed, then the same keystrokes by shape (:func:`shape`: one
word of one or two letters, one longer word, several words, partial date or NIR, date, NIR),
which is what the search's work depends on. ``--database`` takes a PostgreSQL URL too.
Usage: ``.venv/bin/python benchmarks/bench_search.py [--database URL]``.
"""

from __future__ import annotations

import argparse
import random
import sys
import time

from _common import (
    REFERENCE,
    TIMING_HEADERS,
    fr_int,
    print_table,
    reference_url,
    timing_row,
)
from sqlalchemy import func, select

from app.container import Services
from app.demo.generator import DEMO_PASSWORD
from app.models import Note, Patient
from app.models.enums import Compartment
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.policy import NOTE_COMPARTMENTS
from app.services.kernel.text import search_key, search_tokens
from app.services.kernel.validation import parse_date_fr
from app.services.patient_file.records import ConsentScope, ConsentStatus, PatientInput

SEARCH_BUDGET_MS = 20
OPEN_BUDGET_MS = 100
FILE_NOTES = 50
PER_KIND = 40
BIG_FILE_NAME = "Volumineux-Dossier"


def _sample(services: Services, count: int, seed: int) -> list[Patient]:
    rng = random.Random(seed)
    with services.db.session(write=False) as session:
        low, high = session.execute(select(func.min(Patient.id), func.max(Patient.id))).one()
        ids = rng.sample(range(low, high + 1), min(count, high - low + 1))
        return list(session.scalars(select(Patient).where(Patient.id.in_(ids))))


def _typed(text: str, rng: random.Random) -> str:
    """What a user types: as written, or in lower case without accents."""
    return text if rng.random() < 0.5 else search_key(text)


def queries(services: Services, per_kind: int = PER_KIND) -> dict[str, list[str]]:
    rng = random.Random(2)
    patients = _sample(services, 6 * per_kind, seed=1)
    married = [p for p in patients if p.used_name][:per_kind]
    chunks = [patients[i * per_kind : (i + 1) * per_kind] for i in range(5)]
    return {
        "nom de naissance": [_typed(p.birth_name, rng) for p in chunks[0]],
        "nom d'usage": [_typed(p.used_name, rng) for p in married],
        "prénom": [_typed(p.first_names.split()[0], rng) for p in chunks[1]],
        "nom + prénom": [_typed(f"{p.birth_name} {p.first_names}", rng) for p in chunks[2]],
        "date de naissance": [f"{p.birth_date:%d/%m/%Y}" for p in chunks[3]],
        "NIR": [p.nir for p in chunks[4] if p.nir],
    }


def shape(keystroke: str) -> str:
    """The shape of what has been typed so far, as the search sees it: a name search walks
    one word's matches (one or two letters: thousands at 100 %), several words also check
    the others per walked patient; digits are a partial date or NIR until they are whole."""
    if parse_date_fr(keystroke) is not None:
        return "date de naissance"
    compact = keystroke.replace(" ", "")
    if compact.isdigit() and len(compact) >= 5:
        return "NIR"
    words = search_tokens(keystroke)
    if any(w.isdigit() for w in words):
        return "date ou NIR partiel"
    if len(words) > 1:
        return "plusieurs mots"
    return "un mot de 1 ou 2 lettres" if len(next(iter(words), "")) <= 2 else "un mot plus long"


def time_keystrokes(
    services: Services,
    actor: Actor,
    texts: list[str],
    by_shape: dict[str, list[float]] | None = None,
) -> list[float]:
    samples = []
    for text in texts:
        for end in range(1, len(text) + 1):
            start = time.perf_counter()
            services.patients.search(actor, text[:end])
            samples.append((time.perf_counter() - start) * 1000)
            if by_shape is not None:
                by_shape.setdefault(shape(text[:end]), []).append(samples[-1])
    return samples


def big_file(services: Services, gp: Actor, secretary: Actor) -> int:
    """A patient with 50 notes the GP may read (created on first run)."""
    found = services.patients.search(secretary, BIG_FILE_NAME).patients
    if found:
        patient_id = found[0].id
        if services.consents.current(gp, patient_id).status_of(ConsentScope.LIAISON) is None:
            services.consents.record(gp, patient_id, ConsentScope.LIAISON, ConsentStatus.GIVEN)
        return patient_id
    record = services.patients.create(
        secretary,
        PatientInput(BIG_FILE_NAME, "Éloïse", "F", "14/07/1948", city="Rouen"),
        confirm_duplicate=True,
    )
    # Liaison notes need the patient's word (issue 4).
    services.consents.record(gp, record.id, ConsentScope.LIAISON, ConsentStatus.GIVEN)
    for n in range(FILE_NOTES):
        compartment = Compartment.LIAISON if n % 5 == 4 else Compartment.MEDICAL
        services.notes.add(gp, record.id, compartment, f"Note de suivi n° {n + 1} : RAS. " * 8)
    return record.id


def open_file(services: Services, gp: Actor, patient_id: int) -> int:
    """Open a file as the workspace does: its identity, then every compartment the GP reads,
    in one user action (one commit for their audit entries). The number of notes read."""
    readable = [c for c in policy.readable_compartments(gp.role) if c in NOTE_COMPARTMENTS]
    with services.user_action():
        services.patients.get(gp, patient_id)
        return sum(len(services.notes.list(gp, patient_id, c)) for c in readable)


def time_file_open(services: Services, gp: Actor, patient_id: int, runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        notes = open_file(services, gp, patient_id)
        samples.append((time.perf_counter() - start) * 1000)
    assert notes >= FILE_NOTES, notes
    return samples


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Mesure de la recherche de patients.")
    parser.add_argument("--database", default=reference_url())
    parser.add_argument("--runs", type=int, default=30, help="ouvertures du dossier mesurées")
    args = parser.parse_args(argv)
    if args.database == reference_url() and not REFERENCE.exists():
        print("Base de référence absente : lancez d'abord benchmarks/make_reference.py.")
        return 1
    services = Services.open(args.database)
    try:
        gp = services.auth.login("dr.durand", DEMO_PASSWORD)
        secretary = services.auth.login("sec.roux", DEMO_PASSWORD)
        with services.db.session(write=False) as session:
            count = session.scalar(select(func.count()).select_from(Patient))
            notes = session.scalar(select(func.count()).select_from(Note))
        print(f"Base : {args.database} — {fr_int(count)} patients, {fr_int(notes)} notes")
        time_keystrokes(services, secretary, ["dupont", "12/03/1960"])  # warm-up
        rows, every, shapes = [], [], {}
        for kind, texts in queries(services).items():
            samples = time_keystrokes(services, secretary, texts, shapes)
            every.extend(samples)
            rows.append(timing_row(f"frappe : {kind}", samples, SEARCH_BUDGET_MS))
        rows.append(timing_row("frappe : toutes", every, SEARCH_BUDGET_MS))
        for name, samples in sorted(shapes.items()):
            rows.append(timing_row(f"frappe, forme : {name}", samples, SEARCH_BUDGET_MS))
        patient_id = big_file(services, gp, secretary)
        time_file_open(services, gp, patient_id, 3)  # warm-up
        opened = time_file_open(services, gp, patient_id, args.runs)
        rows.append(timing_row(f"ouverture dossier ({FILE_NOTES} notes)", opened, OPEN_BUDGET_MS))
        print_table(TIMING_HEADERS, rows)
    finally:
        services.db.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
