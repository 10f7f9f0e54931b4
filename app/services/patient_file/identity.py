"""Patients: fast search as you type, INS identity with validation, duplicates, file history."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.clock import Clock, clinic_today
from app.i18n import _
from app.models import AuditEntry, Partner, PartnerContact, Patient, PatientToken, User
from app.models.db import Database
from app.models.enums import AuditOutcome, Compartment, IdentityDocument, IdentityStatus, Role, Sex
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.kernel.guard import Conflict, Guard
from app.services.kernel.patient_rows import summaries_of
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import clean_line
from app.services.kernel.unit_of_work import GuardedDatabase
from app.services.patient_file.identity_checks import patient_tokens, sort_key, validate_patient
from app.services.patient_file.name_index import index_names
from app.services.patient_file.overview import history_filter, history_rows
from app.services.patient_file.records import (
    DuplicateWarning,
    HistoryItem,
    PatientInput,
    PatientRecord,
    SearchResult,
)
from app.services.patient_file.search import duplicates, paged, search_statement

SEARCH_PAGE = 100


def _contact_name(session: Session, contact_id: int | None) -> str:
    """A référent social outside the clinic: "name (partner)"."""
    if contact_id is None:
        return ""
    contact = session.get(PartnerContact, contact_id)
    if contact is None:
        return ""
    partner = session.get(Partner, contact.partner_id)
    return f"{contact.name} ({partner.name})" if partner else contact.name


class PatientService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = GuardedDatabase.wrap(db)  # the container's already is
        self._audit = audit
        self._clock = clock
        self._guard = Guard(self._db, audit)

    # ---- permissions --------------------------------------------------------------------
    def can_write(self, actor: Actor) -> bool:
        """Whether the actor creates files and edits identities (the views' buttons)."""
        return self._guard.allows(actor, Resource.ADMINISTRATIVE, Action.WRITE)

    def _require(self, actor: Actor, action: Action, audit_action: str, patient_id=None) -> None:
        self._guard.require(
            actor,
            Resource.ADMINISTRATIVE,
            action,
            audit_action,
            message=_("Votre rôle ne permet pas de modifier l'identité du patient."),
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="patient",
            object_id=patient_id,
        )

    # ---- search ------------------------------------------------------------------------
    def search(
        self, actor: Actor, query: str, *, limit: int = SEARCH_PAGE, offset: int = 0
    ) -> SearchResult:
        """Names (prefixes, any case, with or without accents), dd/mm/yyyy, or NIR."""
        self._require(actor, Action.READ, AuditAction.SEARCH)
        query = clean_line(query)[:200]
        if not query:
            return SearchResult([], False)
        found = search_statement(None, query)
        if found is None:
            return SearchResult([], False)
        stmt, params = found
        # Plain columns on a pooled driver connection: no session, no ORM result processing
        # per row, no execution context per keystroke (``GuardedDatabase.plain_rows``).
        rows = self._db.plain_rows(paged(stmt, limit + 1, offset), params)
        return SearchResult(summaries_of(rows[:limit]), len(rows) > limit)

    # ---- read ---------------------------------------------------------------------------
    def get(self, actor: Actor, patient_id: int, *, audit_open: bool = True) -> PatientRecord:
        self._require(actor, Action.READ, AuditAction.READ, patient_id)

        def work(session: Session) -> PatientRecord:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            record = self._record(session, patient)
            if audit_open:
                self._audit.add(
                    session,
                    actor,
                    AuditAction.READ,
                    patient_id=patient_id,
                    compartment=Compartment.ADMINISTRATIVE,
                    object_type="patient",
                    object_id=patient_id,
                )
            return record

        return self._guard.read(actor, work)

    @staticmethod
    def _record(session: Session, p: Patient) -> PatientRecord:
        def name_of(user_id: int | None) -> str:
            if user_id is None:
                return ""
            user = session.get(User, user_id)
            return user.display_name if user else ""

        return PatientRecord(
            id=p.id,
            birth_name=p.birth_name,
            used_name=p.used_name,
            first_names=p.first_names,
            sex=Sex(p.sex),
            birth_date=p.birth_date,
            birth_place_code=p.birth_place_code,
            identity_status=IdentityStatus(p.identity_status),
            identity_document=IdentityDocument(p.identity_document)
            if p.identity_document
            else None,
            nir=p.nir,
            phone=p.phone,
            email=p.email,
            address=p.address,
            postal_code=p.postal_code,
            city=p.city,
            attending_gp_id=p.attending_gp_id,
            attending_gp_name=name_of(p.attending_gp_id),
            attending_gp_other=p.attending_gp_other,
            social_referent_id=p.social_referent_id,
            social_referent_name=name_of(p.social_referent_id)
            or _contact_name(session, p.social_referent_contact_id),
            social_referent_contact_id=p.social_referent_contact_id,
            created_at=p.created_at,
            updated_at=p.updated_at,
            archived=p.archived_at is not None,
            version=p.version,
        )

    # ---- duplicates ---------------------------------------------------------------------
    def find_duplicates(
        self, actor: Actor, data: PatientInput, *, exclude_id: int | None = None
    ) -> list[PatientSummary]:
        self._require(actor, Action.READ, AuditAction.SEARCH)
        data = validate_patient(data, clinic_today(self._clock))
        with self._db.session(write=False) as session:
            return duplicates(session, data, exclude_id)

    # ---- write --------------------------------------------------------------------------
    def _check_team(
        self, session: Session, data: PatientInput, current_contact_id: int | None = None
    ) -> None:
        errors = {}
        for name, role, label in (
            (
                "attending_gp_id",
                Role.GP,
                _("Le médecin traitant doit être un médecin de la maison de santé."),
            ),
            (
                "social_referent_id",
                Role.SOCIAL_WORKER,
                _("Le référent social doit être un(e) assistant(e) de service social."),
            ),
        ):
            user_id = getattr(data, name)
            if user_id is None:
                continue
            user = session.get(User, user_id)
            if user is None or user.role != role:
                errors[name] = label
        contact_id = data.social_referent_contact_id
        if contact_id is not None:
            contact = session.get(PartnerContact, contact_id)
            if data.social_referent_id is not None:
                errors["social_referent_contact_id"] = _(
                    "Un seul référent social : l'assistant(e) social(e) de la maison de santé ou "
                    "un contact de l'annuaire des partenaires, pas les deux."
                )
            elif contact is None:
                errors["social_referent_contact_id"] = _(
                    "Ce contact n'existe pas dans l'annuaire des partenaires."
                )
            elif not contact.active and contact_id != current_contact_id:
                errors["social_referent_contact_id"] = _(
                    "Ce contact est désactivé dans l'annuaire des partenaires."
                )
        if errors:
            raise ValidationError(errors)

    @staticmethod
    def _apply(p: Patient, data: PatientInput) -> None:
        # Load the name tokens before changing anything: loading them later would flush the
        # half-applied identity first (a second UPDATE, and a second version, for one save).
        current = {t.token: t for t in p.tokens}
        p.birth_name = str(data.birth_name)
        p.used_name = str(data.used_name)
        p.first_names = str(data.first_names)
        p.sex = str(data.sex)
        p.birth_date = data.birth_date  # type: ignore[assignment]
        p.birth_place_code = data.birth_place_code
        p.identity_status = str(data.identity_status)
        p.identity_document = str(data.identity_document) if data.identity_document else None
        p.nir = data.nir or None
        p.phone, p.email = data.phone, data.email
        p.address, p.postal_code, p.city = data.address, data.postal_code, data.city
        p.attending_gp_id = data.attending_gp_id
        p.attending_gp_other = data.attending_gp_other
        p.social_referent_id = data.social_referent_id
        p.social_referent_contact_id = data.social_referent_contact_id
        p.sort_key = sort_key(p.birth_name, p.used_name, p.first_names)
        wanted = patient_tokens(p.birth_name, p.used_name, p.first_names)
        for token, row in current.items():
            if token not in wanted:
                p.tokens.remove(row)
        for token in wanted - current.keys():
            p.tokens.append(PatientToken(token=token))

    def create(
        self, actor: Actor, data: PatientInput, *, confirm_duplicate: bool = False
    ) -> PatientRecord:
        self._require(actor, Action.WRITE, AuditAction.CREATE)
        data = validate_patient(data, clinic_today(self._clock))
        with self._db.session() as session:
            self._check_team(session, data)
            if not confirm_duplicate:
                candidates = duplicates(session, data, None)
                if candidates:
                    raise DuplicateWarning(candidates)
            now = self._clock()
            patient = Patient(created_at=now, updated_at=now, last_activity_at=now, tokens=[])
            self._apply(patient, data)
            session.add(patient)
            session.flush()
            index_names(session, patient.id, patient.sort_key, (t.token for t in patient.tokens))
            self._audit.add(
                session,
                actor,
                AuditAction.CREATE,
                patient_id=patient.id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="patient",
                object_id=patient.id,
                detail="doublon possible confirmé" if confirm_duplicate else "",
            )
            return self._record(session, patient)

    def update(
        self,
        actor: Actor,
        patient_id: int,
        data: PatientInput,
        expected_version: int,
        *,
        confirm_duplicate: bool = False,
    ) -> PatientRecord:
        self._require(actor, Action.WRITE, AuditAction.UPDATE, patient_id)
        data = validate_patient(data, clinic_today(self._clock))

        def work(session: Session) -> PatientRecord:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            if patient.archived_at is not None:
                raise PermissionDenied(_("Ce dossier est archivé : il ne peut plus être modifié."))
            if patient.version != expected_version:
                error = ConflictError(
                    _("L'identité du patient"),
                    mine=data,
                    theirs=self._record(session, patient),
                    theirs_by=self._last_editor(session, patient_id),
                    theirs_at=patient.updated_at,
                    extra={
                        "expected_version": expected_version,
                        "current_version": patient.version,
                    },
                )
                # Nothing of this save is applied: the conflict alone is recorded.
                raise Conflict(
                    error,
                    patient_id=patient_id,
                    compartment=Compartment.ADMINISTRATIVE,
                    object_type="patient",
                    object_id=patient_id,
                )
            self._check_team(session, data, patient.social_referent_contact_id)
            if not confirm_duplicate and data.nir and data.nir != (patient.nir or ""):
                candidates = [c for c in duplicates(session, data, patient_id) if c.nir == data.nir]
                if candidates:
                    raise DuplicateWarning(candidates)
            names_before = (patient.sort_key, {t.token for t in patient.tokens})
            self._apply(patient, data)
            patient.updated_at = patient.last_activity_at = self._clock()
            session.flush()
            tokens = {t.token for t in patient.tokens}
            if (patient.sort_key, tokens) != names_before:
                index_names(session, patient_id, patient.sort_key, tokens)
            self._audit.add(
                session,
                actor,
                AuditAction.UPDATE,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="patient",
                object_id=patient_id,
            )
            return self._record(session, patient)

        return self._guard.run(actor, work)

    @staticmethod
    def _last_editor(session: Session, patient_id: int) -> str:
        row = session.execute(
            select(User.first_name, User.last_name)
            .join(AuditEntry, AuditEntry.user_id == User.id)
            .where(
                AuditEntry.patient_id == patient_id,
                AuditEntry.object_type == "patient",
                AuditEntry.action.in_([AuditAction.UPDATE, AuditAction.CREATE]),
                AuditEntry.outcome == str(AuditOutcome.OK),
            )
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        return f"{row.first_name} {row.last_name}" if row else ""

    # ---- history ------------------------------------------------------------------------
    def history(self, actor: Actor, patient_id: int) -> list[HistoryItem]:
        """Changes to the file, limited to compartments the actor's role may read (the 500
        newest; the file's screen pages them with ``PatientFileService.history_page``)."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session(write=False) as session:
            return history_rows(session, history_filter(actor, patient_id), 0, 500)

    def count(self) -> int:
        with self._db.session(write=False) as session:
            return int(session.scalar(select(func.count()).select_from(Patient)) or 0)
