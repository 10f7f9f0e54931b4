"""The pre-filled partners directory: one generic entry per usual kind of partner.

Data, not code: each entry says what the partner handles, so that a professional choosing
where to refer a patient reads it at a glance. The clinic completes them (addresses, named
contacts, communes served). Inserted at setup, in the same unit of work, and by
``PartnerService.ensure_defaults`` for databases created before the directory existed.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Partner
from app.services.partners.records import PartnerInput, PartnerKind

K = PartnerKind

DEFAULT_PARTNERS: tuple[PartnerInput, ...] = (
    PartnerInput(
        "CARSAT — service social",
        K.CARSAT,
        "Service social régional",
        phone="3646",
        handles="Accès aux droits et aux soins (couverture maladie, complémentaire santé, "
        "renoncement aux soins) ; prévention de la désinsertion professionnelle (arrêt de "
        "travail long, invalidité) ; retour à domicile après hospitalisation (ARDH pour les "
        "retraités GIR 5–6) ; aide au bien vieillir.",
    ),
    PartnerInput(
        "CCAS de la commune",
        K.CCAS,
        "Centre communal d'action sociale",
        handles="Aides facultatives locales (secours, colis, chèques services), domiciliation, "
        "instruction de dossiers d'aide sociale, portage de repas, téléassistance.",
    ),
    PartnerInput(
        "Conseil départemental — APA",
        K.CD_APA,
        "Allocation personnalisée d'autonomie",
        handles="APA à domicile et en établissement pour les personnes de 60 ans et plus en "
        "perte d'autonomie (GIR 1 à 4) : évaluation à domicile, plan d'aide.",
    ),
    PartnerInput(
        "Conseil départemental — ASE",
        K.CD_ASE,
        "Aide sociale à l'enfance (CRIP)",
        handles="Protection de l'enfance : informations préoccupantes (cellule CRIP), aides "
        "éducatives, accueil de l'enfant.",
    ),
    PartnerInput(
        "Conseil départemental — PMI",
        K.CD_PMI,
        "Protection maternelle et infantile",
        handles="Suivi des femmes enceintes et des enfants de moins de 6 ans, consultations "
        "gratuites, visites à domicile, agrément des assistantes maternelles.",
    ),
    PartnerInput(
        "MDPH",
        K.MDPH,
        "Maison départementale des personnes handicapées",
        handles="Reconnaissance du handicap : AAH, RQTH, PCH, carte mobilité inclusion, "
        "orientation en établissement ou service médico-social.",
    ),
    PartnerInput(
        "CAF",
        K.CAF,
        "Caisse d'allocations familiales",
        phone="3230",
        handles="Prestations familiales, aides au logement (APL), RSA, prime d'activité, "
        "accompagnement social des familles.",
    ),
    PartnerInput(
        "CPAM",
        K.CPAM,
        "Caisse primaire d'assurance maladie",
        phone="3646",
        handles="Ouverture des droits, complémentaire santé solidaire (C2S), indemnités "
        "journalières, invalidité, mission accompagnement santé (renoncement aux soins).",
    ),
    PartnerInput(
        "France Travail",
        K.FRANCE_TRAVAIL,
        "Agence locale",
        phone="3949",
        handles="Inscription et accompagnement des demandeurs d'emploi, allocations chômage, "
        "reconversion (avec Cap emploi pour les travailleurs handicapés).",
    ),
    PartnerInput(
        "SIAO — 115",
        K.SIAO_115,
        "Hébergement d'urgence",
        phone="115",
        handles="Hébergement d'urgence et insertion des personnes sans abri, 24 h/24, appel "
        "gratuit.",
    ),
    PartnerInput(
        "3919 — Violences Femmes Info",
        K.VIOLENCE_3919,
        "Écoute nationale",
        phone="3919",
        handles="Écoute, information et orientation des femmes victimes de violences, 24 h/24, "
        "anonyme et gratuit (17 en cas de danger immédiat).",
    ),
    PartnerInput(
        "119 — Allô Enfance en Danger",
        K.CHILD_119,
        "Service national d'accueil téléphonique",
        phone="119",
        handles="Enfants en danger ou en risque de l'être : écoute 24 h/24, transmission des "
        "informations préoccupantes au département.",
    ),
    PartnerInput(
        "EHPAD du secteur",
        K.EHPAD,
        "Établissement d'hébergement pour personnes âgées dépendantes",
        handles="Hébergement permanent ou temporaire des personnes âgées dépendantes ; "
        "dossier d'admission unique (ViaTrajectoire).",
    ),
    PartnerInput(
        "SMR du secteur",
        K.SMR,
        "Soins médicaux et de réadaptation",
        handles="Rééducation et réadaptation après une hospitalisation, avant le retour à "
        "domicile.",
    ),
    PartnerInput(
        "HAD du secteur",
        K.HAD,
        "Hospitalisation à domicile",
        handles="Soins hospitaliers complexes au domicile du patient, sur prescription "
        "médicale, 24 h/24.",
    ),
    PartnerInput(
        "Infirmiers libéraux à domicile",
        K.HOME_NURSE,
        "Soins infirmiers à domicile",
        handles="Soins infirmiers à domicile sur prescription : pansements, injections, "
        "surveillance, aide à la prise des traitements, soins d'hygiène.",
    ),
    PartnerInput(
        "Masseurs-kinésithérapeutes à domicile",
        K.HOME_PHYSIO,
        "Rééducation à domicile",
        handles="Rééducation à domicile sur prescription (après une chute, une opération, une "
        "hospitalisation), prévention des chutes.",
    ),
    PartnerInput(
        "Sages-femmes libérales à domicile",
        K.HOME_MIDWIFE,
        "Suivi de grossesse et post-natal à domicile",
        handles="Suivi de grossesse, retour à domicile après l'accouchement (PRADO), "
        "allaitement, rééducation périnéale.",
    ),
)


def insert_defaults(session: Session, now: datetime) -> list[Partner]:
    """Add the generic entries whose kind the directory lacks; returns the rows added."""
    present = set(session.scalars(select(Partner.kind).distinct()))
    added: list[Partner] = []
    for entry in DEFAULT_PARTNERS:
        if str(entry.kind) in present:
            continue
        row = Partner(
            name=entry.name,
            kind=str(entry.kind),
            service=entry.service,
            address=entry.address,
            phone=entry.phone,
            email=entry.email,
            communes="",
            handles=entry.handles,
            active=True,
            created_at=now,
        )
        session.add(row)
        present.add(str(entry.kind))
        added.append(row)
    session.flush()
    return added
