"""*Accès exceptionnel* (break-glass): a professional facing an emergency opens, for one
patient, a compartment their role does not grant.

Allowed only when the coordinator has enabled it; needs a typed justification; lasts the
clinic's configured time; is audited (start and every read, marked "accès exceptionnel"); and
every owner of the compartment finds a notice in their inbox. Cryptographically it uses the
``break_glass`` copy of the compartment key that holders' sessions prepare while the setting
is on (see ``keys``): no hidden bypass, and switching the setting off deletes those copies.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.models import Clinic, ExceptionalAccess, Notification, Patient, User
from app.models.db import Database
from app.models.enums import Compartment, Role
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.services.kernel.policy import NOTE_COMPARTMENTS, Action
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.kernel.text import clean_text
from app.services.kernel.timefmt import fmt_datetime
from app.services.security.codec import ContentCodec
from app.services.security.keys import PROFESSIONAL_ROLES
from app.services.security.sealed_fields import EXCEPTIONAL_ACCESS

MIN_JUSTIFICATION = 15
BREAK_GLASS = "break_glass"


@dataclass(frozen=True)
class ExceptionalAccessInfo:
    id: int
    patient_id: int
    compartment: Compartment
    started_at: datetime
    expires_at: datetime


class ExceptionalAccessService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock, codec: ContentCodec) -> None:
        self._codec = codec
        self._db = db
        self._audit = audit
        self._clock = clock

    def offered(self, actor: Actor) -> list[Compartment]:
        """Compartments this user could open exceptionally (empty when the setting is off)."""
        if Role(actor.role) not in PROFESSIONAL_ROLES:
            return []
        with self._db.session(write=False) as session:
            clinic = session.scalar(select(Clinic).limit(1))
        if clinic is None or not clinic.break_glass_enabled:
            return []
        return [c for c in NOTE_COMPARTMENTS if not policy.allows(actor.role, c, Action.READ)]

    def start(
        self, actor: Actor, patient_id: int, compartment: Compartment | str, justification: str
    ) -> ExceptionalAccessInfo:
        compartment = Compartment(compartment)
        justification = clean_text(justification)[:2000]
        if compartment not in self.offered(actor):
            self._audit.refused(actor, BREAK_GLASS, patient_id=patient_id, compartment=compartment)
            raise PermissionDenied(
                "L'accès exceptionnel n'est pas ouvert pour ce volet (réglage de la coordination)."
            )
        if len(justification) < MIN_JUSTIFICATION:
            self._audit.refused(
                actor,
                BREAK_GLASS,
                patient_id=patient_id,
                compartment=compartment,
                detail="justification absente ou trop courte",
            )
            raise ValidationError(
                {
                    "justification": "Expliquez en quelques mots l'urgence qui justifie cet accès "
                    f"({MIN_JUSTIFICATION} caractères au moins)."
                }
            )
        if actor.keys is None or str(compartment) not in actor.keys.escrow_keys:
            raise PermissionDenied(
                "La clé d'accès exceptionnel de ce volet n'est pas encore prête pour "
                "votre compte : "
                "elle le sera après la prochaine connexion d'un titulaire du volet."
            )
        now = self._clock()
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound("Ce dossier patient n'existe pas.")
            clinic = session.scalar(select(Clinic).limit(1))
            minutes = clinic.break_glass_minutes if clinic else 60
            access = ExceptionalAccess(
                user_id=actor.user_id,
                patient_id=patient_id,
                compartment=str(compartment),
                started_at=now,
                expires_at=now + timedelta(minutes=minutes),
            )
            session.add(access)
            session.flush()
            EXCEPTIONAL_ACCESS.write(self._codec, actor, access, {"justification": justification})
            self._audit.add(
                session,
                actor,
                BREAK_GLASS,
                patient_id=patient_id,
                compartment=compartment,
                object_type="exceptional_access",
                object_id=access.id,
                detail=f"accès exceptionnel pour {minutes} min",
            )
            self._notify_owners(session, actor, patient_id, compartment, access.expires_at, now)
            return ExceptionalAccessInfo(
                access.id, patient_id, compartment, access.started_at, access.expires_at
            )

    @staticmethod
    def _notify_owners(
        session: Session,
        actor: Actor,
        patient_id: int,
        compartment: Compartment,
        until: datetime,
        now: datetime,
    ) -> None:
        label = COMPARTMENT_LABELS[compartment].lower()
        text = (
            f"Accès exceptionnel au volet {label} d'un de vos patients par "
            f"{actor.display_name}, jusqu'au {fmt_datetime(until)}."
        )
        owners = session.scalars(
            select(User.id).where(User.active.is_(True), User.id != actor.user_id)
        ).all()
        for user_id, role in session.execute(select(User.id, User.role).where(User.id.in_(owners))):
            if policy.allows(role, compartment, Action.READ):
                session.add(
                    Notification(
                        user_id=user_id,
                        kind=BREAK_GLASS,
                        patient_id=patient_id,
                        text=text[:500],
                        created_at=now,
                    )
                )

    @staticmethod
    def _enabled(session: Session) -> bool:
        clinic = session.scalar(select(Clinic).limit(1))
        return bool(clinic and clinic.break_glass_enabled)

    def is_active(
        self, session: Session, actor: Actor, patient_id: int, compartment: Compartment | str
    ) -> bool:
        """True while an unexpired access exists and the setting is still on (switching it
        off ends the accesses in progress, even in sessions that still hold the key copy)."""
        if actor.user_id is None or not self._enabled(session):
            return False
        return (
            session.scalar(
                select(ExceptionalAccess.id).where(
                    ExceptionalAccess.user_id == actor.user_id,
                    ExceptionalAccess.patient_id == patient_id,
                    ExceptionalAccess.compartment == str(Compartment(compartment)),
                    ExceptionalAccess.expires_at > self._clock(),
                )
            )
            is not None
        )

    def active(self, actor: Actor, patient_id: int) -> list[ExceptionalAccessInfo]:
        """The actor's exceptional accesses to this patient that have not expired."""
        if actor.user_id is None:
            return []
        with self._db.session(write=False) as session:
            if not self._enabled(session):
                return []
            rows = session.scalars(
                select(ExceptionalAccess).where(
                    ExceptionalAccess.user_id == actor.user_id,
                    ExceptionalAccess.patient_id == patient_id,
                    ExceptionalAccess.expires_at > self._clock(),
                )
            ).all()
            return [
                ExceptionalAccessInfo(
                    r.id, r.patient_id, Compartment(r.compartment), r.started_at, r.expires_at
                )
                for r in rows
            ]
