"""Fictitious but realistic French demo data: a demo clinic, one account per role, patients,
notes in every compartment and a plausible audit trail.

Accounts and the clinic go through the ordinary services (validation, Argon2id, audit). The bulk
(patients, search tokens, notes, audit entries) is built in Python and inserted in chunks, one
transaction per chunk (``patient_load``, ``bulk``: on SQLite, by ``executemany`` on a connection
of its own while the next chunk is built), so that 100,000 patients and a million notes fit in
the 90 s of issue 16 on a small machine. Note contents still pass through ``services.codec``
(sealed as their author), like every other note. While the demo is made, SQLite commits skip
their fsync (``bulk.unsynced_commits``; WAL kept, settings restored afterwards).

Running it again on a demo database adds patients (drawn from a random stream that depends on
the seed and on the number of patients already there); a database holding a real clinic is
refused.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import func, select
from stdnum import luhn

from app.container import Services
from app.demo.bulk import unsynced_commits
from app.demo.history import HISTORY_MIN_PATIENTS, create_demo_history
from app.demo.home_care import create_demo_home_care
from app.demo.patient_load import load_patients
from app.demo.referrals import create_demo_referrals
from app.demo.rows import RowFactory
from app.demo.scheduling import create_demo_scheduling
from app.demo.social import create_demo_social
from app.i18n import _
from app.models import (
    Patient,
)
from app.models.enums import Profession, Role
from app.services.accounts.records import UserInput
from app.services.clinic.records import ClinicInput
from app.services.kernel.actor import Actor
from app.services.kernel.errors import AuthenticationError, NotFound, RelaisError, ValidationError
from app.services.partners.records import PartnerContactInput, PartnerInput, PartnerKind

DEMO_PASSWORD = "lanterne-cerisier-demo"
DEMO_CLINIC = ClinicInput(
    name="Maison de santé de démonstration — Les Tilleuls",
    address="12 rue des Tilleuls, 76000 Rouen",
    finess="76012345" + luhn.calc_check_digit("76012345"),
    phone="02 35 00 00 00",
)
MAX_PATIENTS = 1_000_000
DEMO_REFERRALS = 200
MAX_NOTES_PER_PATIENT = 200


@dataclass(frozen=True)
class DemoAccount:
    username: str
    display_name: str
    role: Role
    profession: Profession


@dataclass(frozen=True)
class DemoSummary:
    patients: int
    notes: int
    users: int
    seconds: float
    referrals: int = 0


def _rpps(n: int) -> str:
    body = f"100{n:07d}"
    return body + luhn.calc_check_digit(body)


# username, first name, last name, role, profession, title, RPPS (health professionals only)
_PEOPLE: tuple[tuple[str, str, str, Role, Profession, str, str], ...] = (
    ("coord.martin", "Anne", "Martin", Role.COORDINATOR, Profession.COORDINATOR, "", ""),
    ("dr.durand", "Paul", "Durand", Role.GP, Profession.GENERAL_PRACTITIONER, "Dr ", _rpps(11)),
    (
        "dr.lefevre",
        "Claire",
        "Lefèvre",
        Role.GP,
        Profession.GENERAL_PRACTITIONER,
        "Dr ",
        _rpps(12),
    ),
    ("as.moreau", "Sophie", "Moreau", Role.SOCIAL_WORKER, Profession.SOCIAL_WORKER, "", ""),
    ("ide.bernard", "Luc", "Bernard", Role.PARAMEDICAL, Profession.NURSE, "", _rpps(21)),
    ("kine.petit", "Inès", "Petit", Role.PARAMEDICAL, Profession.PHYSIOTHERAPIST, "", _rpps(22)),
    ("sf.leroy", "Camille", "Leroy", Role.PARAMEDICAL, Profession.MIDWIFE, "", _rpps(23)),
    ("sec.roux", "Nadia", "Roux", Role.SECRETARY, Profession.SECRETARY, "", ""),
)
_TITLES = {
    Profession.COORDINATOR: "coordinatrice",
    Profession.GENERAL_PRACTITIONER: "médecin généraliste",
    Profession.SOCIAL_WORKER: "assistante sociale (CARSAT)",
    Profession.NURSE: "infirmier",
    Profession.PHYSIOTHERAPIST: "masseuse-kinésithérapeute",
    Profession.MIDWIFE: "sage-femme",
    Profession.SECRETARY: "secrétaire",
}

DEMO_ACCOUNTS: list[DemoAccount] = [
    DemoAccount(
        username=username,
        display_name=f"{title}{first} {last} — {_TITLES[profession]} (démo)",
        role=role,
        profession=profession,
    )
    for username, first, last, role, profession, title, _ in _PEOPLE
]


def _user_input(index: int) -> UserInput:
    username, first, last, role, profession, _, rpps = _PEOPLE[index]
    return UserInput(username, first, last, role, profession, rpps)


# Fictitious partners of the Rouen area, with named contacts (name, title, phone, social worker).
_DEMO_PARTNERS: tuple[tuple[PartnerInput, tuple[PartnerContactInput, ...]], ...] = (
    (
        PartnerInput(
            "CARSAT Normandie — service social (démo)",
            PartnerKind.CARSAT,
            "Secteur Rouen rive droite",
            "5 avenue du Grand Cours, 76100 Rouen",
            "02 35 00 10 10",
            "service-social.rouen@example.org",
            ["Rouen", "Bihorel", "Bois-Guillaume", "Mont-Saint-Aignan", "Darnétal"],
            "Accès aux droits et aux soins, prévention de la désinsertion professionnelle, "
            "retour à domicile après hospitalisation (ARDH).",
        ),
        (
            PartnerContactInput(
                "Mme Hélène Vasseur", "Assistante sociale de secteur", "02 35 00 10 11", "", True
            ),
            PartnerContactInput(
                "M. Karim Benali", "Assistant social (PDP)", "02 35 00 10 12", "", True
            ),
        ),
    ),
    (
        PartnerInput(
            "CCAS de Rouen (démo)",
            PartnerKind.CCAS,
            "Pôle solidarités",
            "Place du Général de Gaulle, 76000 Rouen",
            "02 35 00 20 20",
            communes=["Rouen"],
            handles="Aides facultatives, domiciliation, portage de repas, téléassistance.",
        ),
        (
            PartnerContactInput(
                "Mme Julie Caron", "Conseillère en économie sociale et familiale", "", "", True
            ),
        ),
    ),
    (
        PartnerInput(
            "Département de Seine-Maritime — CMS Rouen Nord (démo)",
            PartnerKind.CD_APA,
            "Centre médico-social — APA",
            "14 rue du Nord, 76000 Rouen",
            "02 35 00 30 30",
            communes=["Rouen", "Bihorel", "Bois-Guillaume"],
            handles="Évaluation APA à domicile, plan d'aide, accompagnement des aidants.",
        ),
        (
            PartnerContactInput(
                "Mme Sandrine Lefort", "Évaluatrice APA (infirmière)", "02 35 00 30 31"
            ),
            PartnerContactInput(
                "M. Thomas Hue", "Assistant social polyvalent de secteur", "", "", True
            ),
        ),
    ),
    (
        PartnerInput(
            "EHPAD Les Hortensias (démo)",
            PartnerKind.EHPAD,
            "Hébergement permanent et temporaire",
            "3 rue des Hortensias, 76230 Bois-Guillaume",
            "02 35 00 40 40",
            communes=["Bois-Guillaume", "Rouen", "Bihorel"],
            handles="84 places dont 6 en hébergement temporaire ; unité protégée.",
        ),
        (PartnerContactInput("Mme Claire Dumont", "Infirmière coordinatrice", "02 35 00 40 41"),),
    ),
    (
        PartnerInput(
            "Cabinet infirmier du Robec (démo)",
            PartnerKind.HOME_NURSE,
            "Soins infirmiers à domicile",
            "22 rue Eau-de-Robec, 76000 Rouen",
            "02 35 00 50 50",
            communes=["Rouen", "Darnétal"],
            handles="Soins à domicile 7 j/7, pansements complexes, diabète.",
        ),
        (PartnerContactInput("M. Antoine Leclerc", "Infirmier libéral", "06 00 00 50 51"),),
    ),
)


def _ensure_partners(services: Services, coordinator: Actor) -> tuple[int, ...]:
    """The demo partners and their contacts (once); the social workers' contact ids."""
    existing = {p.name: p for p in services.partners.list(coordinator, include_inactive=True)}
    referents: list[int] = []
    for data, contacts in _DEMO_PARTNERS:
        partner = existing.get(data.name)
        if partner is None:
            partner = services.partners.create(coordinator, data)
            for contact in contacts:
                services.partners.add_contact(coordinator, partner.id, contact)
            partner = services.partners.get(coordinator, partner.id)
        referents.extend(c.id for c in partner.contacts if c.social_worker)
    return tuple(referents)


def _refuse_real_clinic(services: Services) -> None:
    clinic = services.clinic.public()
    if services.accounts.has_accounts() and (clinic is None or not clinic.demo):
        name = f" (« {clinic.name} »)" if clinic else ""
        raise RelaisError(
            _(
                "Cette base de données contient déjà une maison de santé réelle{name}. "
                "Les données de démonstration ne s'ajoutent qu'à une base vide ou à "
                "une base de démonstration : choisissez une autre base (option "
                "--database)."
            ).format(name=name)
        )


def _ensure_accounts(services: Services) -> dict[str, Actor]:
    """Set up the demo clinic and accounts if needed; log every demo account in."""
    if not services.accounts.has_accounts():
        services.clinic.setup(DEMO_CLINIC, _user_input(0), DEMO_PASSWORD, demo=True)
    actors: dict[str, Actor] = {}
    try:
        coordinator = services.auth.login(_PEOPLE[0][0], DEMO_PASSWORD)
        # Every account exists before anyone else logs in, so that the first holder of each
        # compartment key grants it to all entitled colleagues at once.
        for index, account in enumerate(DEMO_ACCOUNTS):
            if not index:
                continue
            try:
                services.accounts.find_user(coordinator, account.username)
            except NotFound:
                services.accounts.create_user(
                    coordinator, _user_input(index), DEMO_PASSWORD, must_change=False
                )
        for index, account in enumerate(DEMO_ACCOUNTS):
            actors[account.username] = (
                coordinator if index == 0 else services.auth.login(account.username, DEMO_PASSWORD)
            )
    except AuthenticationError as exc:
        raise RelaisError(
            _(
                "Les comptes de démonstration ne sont plus utilisables (mot de passe "
                "modifié ou compte désactivé) : {message}"
            ).format(message=exc.message)
        ) from exc
    return actors


def _check_sizes(patients: int, notes_per_patient: int) -> None:
    """Refuse a number of patients or of notes per patient out of bounds."""
    if not 0 <= patients <= MAX_PATIENTS:
        raise ValidationError(
            {
                "patients": _(
                    "Le nombre de patients doit être compris entre 0 et {MAX_PATIENTS:,}."
                ).format(MAX_PATIENTS=MAX_PATIENTS)
            }
        )
    if not 0 <= notes_per_patient <= MAX_NOTES_PER_PATIENT:
        raise ValidationError(
            {
                "notes_per_patient": _(
                    "Le nombre de notes par patient doit être compris entre 0 et "
                    "{MAX_NOTES_PER_PATIENT}."
                ).format(MAX_NOTES_PER_PATIENT=MAX_NOTES_PER_PATIENT)
            }
        )


def _fill(
    services: Services,
    patients: int,
    seed: int,
    notes_per_patient: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[int, int]:
    """Everything :func:`create_demo` adds; returns (notes, showcase referrals)."""
    _refuse_real_clinic(services)
    actors = _ensure_accounts(services)
    referents = _ensure_partners(services, actors[_PEOPLE[0][0]])
    with services.db.session(write=False) as session:
        existing = int(session.scalar(select(func.count()).select_from(Patient)) or 0)
        used_nirs = set(session.scalars(select(Patient.nir).where(Patient.nir.is_not(None))))
    factory = RowFactory(
        rng=random.Random(f"relais-demo:{seed}:{existing}"),
        actors=actors,
        codec=services.codec,
        now=services.clock(),
        used_nirs=used_nirs,
        referent_contacts=referents,
    )
    if progress:
        progress(0, patients)
    notes_total = load_patients(
        services.db.engine, services.audit.key, factory, patients, notes_per_patient, progress
    )
    # A showcase of referrals in every state (through the real service: consent, sealing,
    # events, feedback), a few per hundred patients, at most DEMO_REFERRALS.
    referrals = create_demo_referrals(
        services, actors, count=min(DEMO_REFERRALS, max(1, patients // 20)), seed=seed
    )
    create_demo_scheduling(services, actors, seed=seed)  # sessions, appointments, waiting list
    create_demo_social(services, actors)  # assessments and action plans of a few of them
    create_demo_home_care(services, actors, seed=seed)  # plans and requests, every status
    if patients >= HISTORY_MIN_PATIENTS:  # two years of activity for the dashboard
        create_demo_history(services, actors, patients=patients, seed=seed)
    return notes_total, referrals


def create_demo(
    services: Services,
    *,
    patients: int,
    seed: int = 2026,
    notes_per_patient: int = 10,
    progress: Callable[[int, int], None] | None = None,
) -> DemoSummary:
    """Fill ``services``' database with demo data; returns what was added and how long it took."""
    _check_sizes(patients, notes_per_patient)
    started = time.perf_counter()
    with unsynced_commits(services.db.engine):
        notes_total, referrals = _fill(services, patients, seed, notes_per_patient, progress)
    return DemoSummary(
        patients=patients,
        referrals=referrals,
        notes=notes_total,
        users=len(DEMO_ACCOUNTS),
        seconds=time.perf_counter() - started,
    )
