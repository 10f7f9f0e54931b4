"""Patients: fast search as you type, INS identity with validation, duplicates, file history."""

from __future__ import annotations

import difflib
import re
from dataclasses import replace
from datetime import date

from sqlalchemy import Select, and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from app.clock import Clock, clinic_today
from app.models import AuditEntry, Partner, PartnerContact, Patient, PatientToken, User
from app.models.db import Database
from app.models.enums import AuditOutcome, Compartment, IdentityDocument, IdentityStatus, Role, Sex
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import ACTION_LABELS, AuditAction
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import clean_line, prefix_upper_bound, search_key, search_tokens
from app.services.kernel.validation import (
    birth_date_error,
    birth_place_error,
    compact_nir,
    email_error,
    nir_coherence_error,
    nir_error,
    parse_date_fr,
    phone_error,
    postal_code_error,
    unencodable_error,
)
from app.services.patient_file.records import (
    DuplicateWarning,
    HistoryItem,
    PatientInput,
    PatientRecord,
    SearchResult,
)

SEARCH_PAGE = 100
MAX_QUERY_TOKENS = 4
# Above this many matching name tokens, a one-word search walks the name index in order.
DENSE_PREFIX_ROWS = 10_000
_NIR_QUERY = re.compile(r"^[0-9]([0-9 ]|2[AaBb]){4,}[0-9 ]*$")
LIMITS = {
    "birth_name": 100,
    "used_name": 100,
    "first_names": 200,
    "phone": 30,
    "email": 200,
    "address": 300,
    "postal_code": 10,
    "city": 100,
    "attending_gp_other": 200,
}
FIELD_LABELS = {
    "birth_name": "Le nom de naissance",
    "used_name": "Le nom d'usage",
    "first_names": "Les prénoms",
    "phone": "Le téléphone",
    "email": "L'e-mail",
    "address": "L'adresse",
    "postal_code": "Le code postal",
    "city": "La ville",
    "attending_gp_other": "Le médecin traitant (hors maison de santé)",
}
# Identity traits and identifiers refuse a character that cannot be stored; the other fields
# keep the text with « � » in its place (app.services.kernel.text).
STRICT_FIELDS = ("birth_name", "used_name", "first_names", "phone", "email", "postal_code")


def _summary_columns() -> tuple:
    return (
        Patient.id,
        Patient.birth_name,
        Patient.used_name,
        Patient.first_names,
        Patient.sex,
        Patient.birth_date,
        Patient.nir,
        Patient.city,
    )


def _summary(row) -> PatientSummary:
    return PatientSummary(
        row.id,
        row.birth_name,
        row.used_name,
        row.first_names,
        Sex(row.sex),
        row.birth_date,
        row.nir,
        row.city,
    )


def _contact_name(session: Session, contact_id: int | None) -> str:
    """A référent social outside the clinic: "name (partner)"."""
    if contact_id is None:
        return ""
    contact = session.get(PartnerContact, contact_id)
    if contact is None:
        return ""
    partner = session.get(Partner, contact.partner_id)
    return f"{contact.name} ({partner.name})" if partner else contact.name


def sort_key(birth_name: str, used_name: str, first_names: str) -> str:
    return f"{search_key(used_name or birth_name)} {search_key(first_names)}"[:400]


def patient_tokens(birth_name: str, used_name: str, first_names: str) -> set[str]:
    return {t[:100] for t in search_tokens(birth_name, used_name, first_names)}


def validate_patient(data: PatientInput, today: date) -> PatientInput:
    """Clean every field; raise ValidationError with one French message per bad field."""
    errors: dict[str, str] = {}
    values: dict[str, object] = {}
    for name, limit in LIMITS.items():
        raw = getattr(data, name) or ""
        if not isinstance(raw, str):
            raw = str(raw)
        cleaned = clean_line(raw)
        if name in STRICT_FIELDS and (message := unencodable_error(raw, FIELD_LABELS[name])):
            errors[name] = message
        elif len(cleaned) > limit:
            errors[name] = f"{FIELD_LABELS[name]} est trop long ({limit} caractères au plus)."
        values[name] = cleaned
    if not values["birth_name"]:
        errors["birth_name"] = "Le nom de naissance est obligatoire."
    if not values["first_names"]:
        errors["first_names"] = "Au moins un prénom est obligatoire."
    for name in ("birth_name", "used_name", "first_names"):
        text = str(values[name])
        if text and not search_tokens(text):
            errors.setdefault(name, f"{FIELD_LABELS[name]} doit contenir des lettres.")
    try:
        sex = Sex(data.sex)
    except ValueError:
        errors["sex"] = "Le sexe doit être F, M ou I (indéterminé)."
        sex = None
    birth = data.birth_date
    if isinstance(birth, str):
        parsed = parse_date_fr(birth) if birth.strip() else None
        if birth.strip() and parsed is None:
            errors["birth_date"] = (
                "La date de naissance n'existe pas ou n'est pas au format jj/mm/aaaa."
            )
        birth = parsed
    if "birth_date" not in errors and (message := birth_date_error(birth, today)):
        errors["birth_date"] = message
    place = clean_line(data.birth_place_code or "").upper()
    if (message := unencodable_error(data.birth_place_code or "", "Le lieu de naissance")) or (
        message := birth_place_error(place)
    ):
        errors["birth_place_code"] = message
    nir = compact_nir(clean_line(data.nir or ""))
    if (
        (message := unencodable_error(data.nir or "", "Le NIR"))
        or (message := nir_error(nir))
        or (message := nir_coherence_error(nir, sex, birth if "birth_date" not in errors else None))
    ):
        errors["nir"] = message
    try:
        status = IdentityStatus(data.identity_status)
    except ValueError:
        errors["identity_status"] = "Statut d'identité inconnu."
        status = IdentityStatus.PROVISIONAL
    document = None
    if data.identity_document:
        try:
            document = IdentityDocument(data.identity_document)
        except ValueError:
            errors["identity_document"] = "Pièce d'identité inconnue."
    if status == IdentityStatus.VALIDATED and document is None:
        errors.setdefault(
            "identity_document",
            "Une identité validée exige la pièce d'identité présentée (carte d'identité, "
            "passeport, titre de séjour…).",
        )
    for name, check in (
        ("phone", phone_error),
        ("email", email_error),
        ("postal_code", postal_code_error),
    ):
        if name not in errors and (message := check(str(values[name]))):
            errors[name] = message
    if errors:
        raise ValidationError(errors)
    return replace(
        data,
        **values,  # type: ignore[arg-type]
        sex=sex,
        birth_date=birth,
        birth_place_code=place,
        nir=nir,
        identity_status=status,
        identity_document=document,
    )


class PatientService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock

    # ---- permission helper --------------------------------------------------------------
    def _require(self, actor: Actor, action: Action, audit_action: str, patient_id=None) -> None:
        if not policy.allows(actor.role, Resource.ADMINISTRATIVE, action):
            self._audit.refused(
                actor,
                audit_action,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="patient",
                object_id=patient_id,
            )
            raise PermissionDenied("Votre rôle ne permet pas de modifier l'identité du patient.")

    # ---- search ------------------------------------------------------------------------
    def search(
        self, actor: Actor, query: str, *, limit: int = SEARCH_PAGE, offset: int = 0
    ) -> SearchResult:
        """Names (prefixes, any case, with or without accents), dd/mm/yyyy, or NIR."""
        self._require(actor, Action.READ, AuditAction.SEARCH)
        query = clean_line(query)[:200]
        if not query:
            return SearchResult([], False)
        with self._db.session(write=False) as session:
            stmt = self._search_statement(session, query)
            if stmt is None:
                return SearchResult([], False)
            rows = session.execute(stmt.limit(limit + 1).offset(offset)).all()
        return SearchResult([_summary(r) for r in rows[:limit]], len(rows) > limit)

    @staticmethod
    def _prefix_count(session: Session, token: str) -> int:
        """How many name tokens start with ``token``, counted up to DENSE_PREFIX_ROWS + 1."""
        hits = (
            select(PatientToken.patient_id)
            .where(PatientToken.token >= token, PatientToken.token < prefix_upper_bound(token))
            .limit(DENSE_PREFIX_ROWS + 1)
            .subquery()
        )
        return int(session.scalar(select(func.count()).select_from(hits)) or 0)

    def _search_statement(self, session: Session, query: str) -> Select | None:
        base = select(*_summary_columns()).where(Patient.archived_at.is_(None))
        birth = parse_date_fr(query)
        if birth is not None:
            return base.where(Patient.birth_date == birth).order_by(Patient.sort_key, Patient.id)
        compact = query.replace(" ", "").upper()
        if _NIR_QUERY.match(query) and len(compact) >= 5:
            return base.where(
                Patient.nir >= compact, Patient.nir < prefix_upper_bound(compact)
            ).order_by(Patient.nir, Patient.id)
        tokens = sorted(search_tokens(query), key=len, reverse=True)[:MAX_QUERY_TOKENS]
        if not tokens:
            return None
        # The most selective prefix drives the query (its matches are collected, then sorted);
        # the other words are checked per candidate. When a single word matches a large share
        # of the names (one or two letters typed), walking the name index in order and stopping
        # at the first page is faster than collecting and sorting tens of thousands of matches.
        counts = {token: self._prefix_count(session, token) for token in tokens}
        driver = min(tokens, key=counts.__getitem__)
        stmt = base
        others = tokens
        if len(tokens) > 1 or counts[driver] <= DENSE_PREFIX_ROWS:
            stmt = stmt.where(
                Patient.id.in_(
                    select(PatientToken.patient_id).where(
                        PatientToken.token >= driver,
                        PatientToken.token < prefix_upper_bound(driver),
                    )
                )
            )
            others = [token for token in tokens if token != driver]
        for token in others:
            t = aliased(PatientToken)
            stmt = stmt.where(
                exists().where(
                    t.patient_id == Patient.id,
                    t.token >= token,
                    t.token < prefix_upper_bound(token),
                )
            )
        return stmt.order_by(Patient.sort_key, Patient.id)

    # ---- read ---------------------------------------------------------------------------
    def get(self, actor: Actor, patient_id: int, *, audit_open: bool = True) -> PatientRecord:
        self._require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound("Ce dossier patient n'existe pas.")
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
            return self._duplicates(session, data, exclude_id)

    @staticmethod
    def _duplicates(
        session: Session, data: PatientInput, exclude_id: int | None
    ) -> list[PatientSummary]:
        found: dict[int, PatientSummary] = {}
        if data.nir:
            for row in session.execute(select(*_summary_columns()).where(Patient.nir == data.nir)):
                found[row.id] = _summary(row)
        names = {search_key(n) for n in (data.birth_name, data.used_name) if n}
        first = search_key(str(data.first_names).split(" ")[0])
        for row in session.execute(
            select(*_summary_columns()).where(Patient.birth_date == data.birth_date)
        ):
            theirs = {search_key(n) for n in (row.birth_name, row.used_name) if n}
            their_first = search_key(row.first_names.split(" ")[0])
            name_close = any(
                difflib.SequenceMatcher(None, a, b).ratio() >= 0.8 for a in names for b in theirs
            )
            first_close = difflib.SequenceMatcher(None, first, their_first).ratio() >= 0.8
            if (
                (name_close and first_close)
                or (name_close and not first)
                or (first_close and names & theirs)
            ):
                found[row.id] = _summary(row)
        found.pop(exclude_id, None)  # type: ignore[arg-type]
        return sorted(found.values(), key=lambda s: (s.birth_name, s.first_names, s.id))

    # ---- write --------------------------------------------------------------------------
    def _check_team(
        self, session: Session, data: PatientInput, current_contact_id: int | None = None
    ) -> None:
        errors = {}
        for name, role, label in (
            (
                "attending_gp_id",
                Role.GP,
                "Le médecin traitant doit être un médecin de la maison de santé.",
            ),
            (
                "social_referent_id",
                Role.SOCIAL_WORKER,
                "Le référent social doit être un(e) assistant(e) de service social.",
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
                errors["social_referent_contact_id"] = (
                    "Un seul référent social : l'assistant(e) social(e) de la maison de santé ou "
                    "un contact de l'annuaire des partenaires, pas les deux."
                )
            elif contact is None:
                errors["social_referent_contact_id"] = (
                    "Ce contact n'existe pas dans l'annuaire des partenaires."
                )
            elif not contact.active and contact_id != current_contact_id:
                errors["social_referent_contact_id"] = (
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
                candidates = self._duplicates(session, data, None)
                if candidates:
                    raise DuplicateWarning(candidates)
            now = self._clock()
            patient = Patient(created_at=now, updated_at=now, last_activity_at=now, tokens=[])
            self._apply(patient, data)
            session.add(patient)
            session.flush()
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
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound("Ce dossier patient n'existe pas.")
            if patient.archived_at is not None:
                raise PermissionDenied("Ce dossier est archivé : il ne peut plus être modifié.")
            if patient.version != expected_version:
                error = ConflictError(
                    "L'identité du patient",
                    mine=data,
                    theirs=self._record(session, patient),
                    theirs_by=self._last_editor(session, patient_id),
                    theirs_at=patient.updated_at,
                    extra={
                        "expected_version": expected_version,
                        "current_version": patient.version,
                    },
                )
                # Nothing of this save was applied: the unit of work records the conflict only.
                self._audit.add(
                    session,
                    actor,
                    AuditAction.CONFLICT,
                    patient_id=patient_id,
                    compartment=Compartment.ADMINISTRATIVE,
                    object_type="patient",
                    object_id=patient_id,
                )
                session.commit()
                raise error
            self._check_team(session, data, patient.social_referent_contact_id)
            if not confirm_duplicate and data.nir and data.nir != (patient.nir or ""):
                candidates = [
                    c for c in self._duplicates(session, data, patient_id) if c.nir == data.nir
                ]
                if candidates:
                    raise DuplicateWarning(candidates)
            self._apply(patient, data)
            patient.updated_at = patient.last_activity_at = self._clock()
            session.flush()
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
        """Changes to the file, limited to compartments the actor's role may read."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id)
        readable = [str(c) for c in policy.readable_compartments(actor.role)]
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(AuditEntry, User.first_name, User.last_name)
                .outerjoin(User, User.id == AuditEntry.user_id)
                .where(
                    AuditEntry.patient_id == patient_id,
                    AuditEntry.outcome == str(AuditOutcome.OK),
                    AuditEntry.action.in_([AuditAction.CREATE, AuditAction.UPDATE]),
                    and_(AuditEntry.compartment.in_(readable)),
                )
                .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
                .limit(500)
            ).all()
        return [
            HistoryItem(
                at=e.at,
                who=f"{first} {last}" if first is not None else e.username,
                role=e.role,
                action=e.action,
                action_label=ACTION_LABELS.get(e.action, e.action),
                compartment=e.compartment,
                object_type=e.object_type,
            )
            for e, first, last in rows
        ]

    def count(self) -> int:
        with self._db.session(write=False) as session:
            return int(session.scalar(select(func.count()).select_from(Patient)) or 0)
