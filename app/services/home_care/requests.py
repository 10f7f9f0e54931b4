"""Home-care requests (*demandes de soins à domicile*): a nurse, a physiotherapist or a midwife
at the patient's home, after a hospital discharge or not, addressed to a partner of the
directory and followed to the end.

- Policy ``Resource.HOME_CARE``: GPs, paramedicals and the social worker read and write;
  secretaries and the coordinator read only (every refusal audited, nothing written). Nothing
  here is sealed: the requests are shared with the whole care team and with the partner.
- The states and the legal transitions are data (``home_care_rules``); every transition writes
  a ``HomeCareEvent`` (from, to, UTC time, actor, detail) and an audit entry (never content).
  A refused request is sent to another partner as a copy (``previous_id``).
- A request waiting too long (to send for more than a day, sent without answer for more than
  two days or with the start date within two days, accepted with the start date passed and
  still not in progress) is an item of its creator's inbox (source ``home_care``); marking it
  read sets ``reminder_seen_at``. The item names the kind of care and the partner only.
"""

from __future__ import annotations

import json
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _
from app.models import HomeCareEvent, HomeCareRequest, Partner, PartnerContact, Patient, User
from app.models.db import Database
from app.models.enums import Sex
from app.services.audit.writer import AuditWriter
from app.services.home_care.records import HomeCareEventRecord, HomeCareInput, HomeCareRecord
from app.services.home_care.rules import (
    ACTION_TARGET,
    CARE_ACTS,
    CARE_KIND_LABELS,
    CARE_PARTNER_KIND,
    HOME_CARE_STATUS_LABELS,
    HOME_CARE_TRANSITIONS,
    SENT_OVERDUE_DAYS,
    START_SOON_DAYS,
    TO_SEND_OVERDUE_DAYS,
    Availability,
    CareKind,
    Frequency,
    HomeCareAction,
    HomeCareStatus,
    act_label,
    allowed_actions,
    frequency_error,
    validate_availability,
)
from app.services.inbox.records import InboxItem
from app.services.inbox.service import mark_reminder_seen, reminder_item
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    RelaisError,
    ValidationError,
)
from app.services.kernel.guard import Conflict, Guard, Refusal
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import aware, fmt_date, local, start_of_day
from app.services.kernel.validation import phone_error, rpps_error
from app.services.partners.records import PartnerInfo
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import HOME_CARE_EVENT, HOME_CARE_REQUEST

READ_REFUSED = "Votre rôle ne permet pas de consulter les demandes de soins à domicile."
WRITE_REFUSED = (
    "Votre rôle permet de consulter les demandes de soins à domicile, pas de les créer ni de "
    "les modifier."
)
ARCHIVED = N_("Ce dossier est archivé : il ne peut plus être modifié.")
NOT_FOUND = N_("Cette demande de soins à domicile n'existe pas.")
INBOX_SOURCE = "home_care"
INBOX_KIND = "home_care_overdue"
MAX_LIST = 500
_LIMITS = {
    "prescriber_name": ("Le nom du prescripteur", 200),
    "address": ("L'adresse", 300),
    "door_code": ("Le code de la porte", 30),
    "floor": ("L'étage", 30),
    "access_notes": ("Les indications d'accès", 500),
    "hospital": ("L'établissement", 200),
    "ward": ("Le service", 120),
}
MAX_DETAIL = 2_000
MAX_DURATION_DAYS = 365
MAX_REASON = 300


class TransitionRefused(RelaisError):
    def __init__(self, current: HomeCareStatus, target: HomeCareStatus) -> None:
        super().__init__(
            _(
                "Impossible : une demande de soins « {value} » ne peut pas passer à « {value2} »."
            ).format(value=HOME_CARE_STATUS_LABELS[current], value2=HOME_CARE_STATUS_LABELS[target])
        )


def patient_name(p: Patient) -> str:
    return PatientSummary(
        p.id, p.birth_name, p.used_name, p.first_names, Sex(p.sex), p.birth_date, None, ""
    ).display_name


def patient_address(p: Patient) -> str:
    town = f"{p.postal_code} {p.city}".strip()
    return ", ".join(x for x in (p.address, town) if x)


def overdue_since(row: HomeCareRequest, now: datetime) -> tuple[datetime, str] | None:
    """When the request became overdue and why (French, no medical detail); None if it is not."""
    status = HomeCareStatus(row.status)
    today = local(now).date()
    candidates: list[tuple[datetime, str]] = []
    if status is HomeCareStatus.TO_SEND:
        since = aware(row.created_at) + timedelta(days=TO_SEND_OVERDUE_DAYS)
        candidates.append(
            (
                since,
                _("à envoyer depuis le {created_at}").format(created_at=fmt_date(row.created_at)),
            )
        )
    elif status is HomeCareStatus.SENT and row.sent_at is not None:
        sent = aware(row.sent_at)
        candidates.append(
            (
                sent + timedelta(days=SENT_OVERDUE_DAYS),
                _("envoyée le {sent}, sans réponse du partenaire").format(sent=fmt_date(sent)),
            )
        )
        soon = max(sent, start_of_day(row.start_date - timedelta(days=START_SOON_DAYS)))
        candidates.append(
            (
                soon,
                _("début des soins le {start_date}, sans réponse du partenaire").format(
                    start_date=fmt_date(row.start_date)
                ),
            )
        )
    elif status is HomeCareStatus.ACCEPTED and row.start_date < today:
        candidates.append(
            (
                start_of_day(row.start_date + timedelta(days=1)),
                _("soins prévus à partir du {start_date}, pas encore commencés").format(
                    start_date=fmt_date(row.start_date)
                ),
            )
        )
    due = [c for c in candidates if c[0] <= now]
    return min(due, key=lambda c: c[0]) if due else None


class _Names:
    def __init__(self, session: Session) -> None:
        self.session = session
        self.users: dict[int, str] = {}

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return _("Administration (relais-admin)")
        if user_id not in self.users:
            user = self.session.get(User, user_id)
            self.users[user_id] = user.display_name if user else "?"
        return self.users[user_id]


def load_availability(text: str) -> Availability:
    try:
        raw = json.loads(text or "{}")
    except ValueError:
        return {}
    clean, _errors = validate_availability(raw if isinstance(raw, dict) else {})
    return clean


def record_of(
    session: Session,
    codec: ContentCodec,
    actor: Actor,
    row: HomeCareRequest,
    now: datetime,
    names: _Names | None = None,
) -> HomeCareRecord:
    """The record of a request, its details opened with the actor's « care » key (shared
    with the discharge service and the documents)."""
    names = names or _Names(session)
    d = HOME_CARE_REQUEST.read(codec, actor, row)
    patient = session.get(Patient, row.patient_id)
    partner = session.get(Partner, row.partner_id) if row.partner_id is not None else None
    contact = (
        session.get(PartnerContact, row.partner_contact_id)
        if row.partner_contact_id is not None
        else None
    )
    kind = CareKind(row.care_kind)
    acts = tuple(json.loads(d["acts"] or "[]"))
    status = HomeCareStatus(row.status)
    readdressed = session.scalar(
        select(HomeCareRequest.id).where(HomeCareRequest.previous_id == row.id).limit(1)
    )
    events = session.scalars(
        select(HomeCareEvent)
        .where(HomeCareEvent.request_id == row.id)
        .order_by(HomeCareEvent.at, HomeCareEvent.id)
    ).all()
    overdue = overdue_since(row, now)
    frequency = Frequency.parse(d["frequency"])
    return HomeCareRecord(
        id=row.id,
        patient_id=row.patient_id,
        patient_name=patient_name(patient) if patient else "",
        created_by_id=row.created_by_id,
        created_by_name=names.user(row.created_by_id),
        care_kind=kind,
        care_label=CARE_KIND_LABELS[kind],
        acts=acts,
        act_labels=tuple(act_label(kind, a) for a in acts),
        care_detail=d["care_detail"],
        prescriber_name=d["prescriber_name"],
        prescriber_rpps=d["prescriber_rpps"],
        address=d["address"],
        phone=d["phone"],
        door_code=d["door_code"],
        floor=d["floor"],
        access_notes=d["access_notes"],
        availability=load_availability(d["availability"]),
        start_date=row.start_date,
        frequency=frequency,
        frequency_label=frequency.label if frequency else d["frequency"],
        duration_days=d["duration_days"],
        discharge_date=d["discharge_date"],
        hospital=d["hospital"],
        ward=d["ward"],
        partner_id=row.partner_id,
        partner_name=partner.name if partner else "",
        partner_contact_id=row.partner_contact_id,
        partner_contact_name=contact.name if contact else "",
        status=status,
        status_label=HOME_CARE_STATUS_LABELS[status],
        accepted_by=d["accepted_by"],
        refusal_reason=d["refusal_reason"],
        discharge_plan_id=row.discharge_plan_id,
        previous_id=row.previous_id,
        readdressed_id=readdressed,
        created_at=aware(row.created_at),
        updated_at=aware(row.updated_at),
        sent_at=aware(row.sent_at),
        overdue=overdue[1] if overdue else "",
        allowed_actions=tuple(allowed_actions(status, readdressed=readdressed is not None)),
        events=tuple(
            HomeCareEventRecord(
                at=aware(e.at),
                from_status=e.from_status,
                to_status=HomeCareStatus(e.to_status),
                to_label=HOME_CARE_STATUS_LABELS[HomeCareStatus(e.to_status)],
                actor_name=names.user(e.actor_id) if e.actor_id is not None else "",
                detail=HOME_CARE_EVENT.read(codec, actor, e)["detail"],
            )
            for e in events
        ),
        version=row.version,
    )


def _split(values: dict) -> tuple[dict, dict]:
    """The validated values: (plain columns, details to seal)."""
    sealed = set(HOME_CARE_REQUEST.fields)
    plain = {k: v for k, v in values.items() if k not in sealed}
    details = {k: values.get(k) for k in HOME_CARE_REQUEST.fields}
    return plain, details


OBJECT_TYPE = "home_care_request"


class _Refusal(Refusal):
    """The kernel's refusal for a home-care request (a plain message)."""

    def __init__(self, message: str, action: str, patient_id: int | None, oid: int | None):
        super().__init__(
            message, action, patient_id=patient_id, object_type=OBJECT_TYPE, object_id=oid
        )


class HomeCareService:
    def __init__(
        self, db: Database, audit: AuditWriter, clock: Clock, codec: ContentCodec, partners=None
    ) -> None:
        self._codec = codec
        self._db = db
        self._audit = audit
        self._clock = clock
        self._partners = partners
        self._guard = Guard(db, audit)

    # ---- permissions --------------------------------------------------------------------
    def can_write(self, actor: Actor) -> bool:
        """Whether the actor writes requests and plans (the views show the action buttons)."""
        return self._guard.allows(actor, Resource.HOME_CARE, Action.WRITE)

    def can_read(self, actor: Actor) -> bool:
        """Whether the actor reads the patient's home care (the file shows the tab)."""
        return self._guard.allows(actor, Resource.HOME_CARE, Action.READ)

    def _refuse(
        self,
        actor: Actor,
        action: str,
        message: str,
        patient_id: int | None,
        object_id: int | None = None,
    ) -> PermissionDenied:
        error = self._guard.refuse(actor, _Refusal(message, action, patient_id, object_id))
        assert isinstance(error, PermissionDenied)
        return error

    def _require(
        self,
        actor: Actor,
        action: Action,
        audit_action: str,
        patient_id: int | None,
        object_id: int | None = None,
    ) -> None:
        self._guard.require(
            actor,
            Resource.HOME_CARE,
            action,
            audit_action,
            message=READ_REFUSED if action is Action.READ else WRITE_REFUSED,
            patient_id=patient_id,
            object_type=OBJECT_TYPE,
            object_id=object_id,
        )

    def _patient_of(self, request_id: int) -> int | None:
        with self._db.session(write=False) as session:
            return session.scalar(
                select(HomeCareRequest.patient_id).where(HomeCareRequest.id == request_id)
            )

    def _run(self, actor: Actor, work):
        """``work(session)`` in one unit of work, through the kernel's guard."""
        return self._guard.run(actor, work)

    # ---- validation ---------------------------------------------------------------------
    def _validate(self, session: Session, data: HomeCareInput) -> tuple[dict, Patient]:
        errors: dict[str, str] = {}
        values: dict = {}
        try:
            kind = CareKind(data.care_kind)
        except ValueError:
            errors["care_kind"] = _("Choisissez le type de soins (infirmier, kiné, sage-femme).")
            kind = None
        acts = tuple(dict.fromkeys(str(a) for a in data.acts))
        if kind is not None:
            unknown = [a for a in acts if a not in CARE_ACTS[kind]]
            if unknown:
                errors["acts"] = _("Un des actes cochés ne correspond pas à ce type de soins.")
            elif not acts:
                errors["acts"] = _("Cochez au moins un acte à réaliser.")
        values["care_kind"] = str(kind) if kind else ""
        values["acts"] = json.dumps(list(acts))
        detail = clean_text(data.care_detail or "")
        if len(detail) > MAX_DETAIL:
            errors["care_detail"] = _(
                "Le détail des soins est trop long ({MAX_DETAIL} au plus)."
            ).format(MAX_DETAIL=MAX_DETAIL)
        values["care_detail"] = detail
        for name, (label, limit) in _LIMITS.items():
            value = clean_line(str(getattr(data, name) or ""))
            if len(value) > limit:
                errors[name] = _("{label} est trop long ({limit} caractères au plus).").format(
                    label=label, limit=limit
                )
            values[name] = value
        if not values["prescriber_name"]:
            errors["prescriber_name"] = _("Indiquez le nom du médecin prescripteur.")
        rpps = "".join((data.prescriber_rpps or "").split())
        if not rpps:
            errors["prescriber_rpps"] = _("Indiquez le numéro RPPS du prescripteur (11 chiffres).")
        elif message := rpps_error(rpps):
            errors["prescriber_rpps"] = message
        values["prescriber_rpps"] = rpps
        phone = clean_line(data.phone or "")
        if phone and (message := phone_error(phone)):
            errors["phone"] = message
        values["phone"] = phone
        availability, problems = validate_availability(dict(data.availability or {}))
        errors.update(problems)
        values["availability"] = json.dumps(
            {str(d): [list(w) for w in ws] for d, ws in availability.items()}
        )
        if data.start_date is None:
            errors["start_date"] = _("Indiquez la date de début des soins.")
        values["start_date"] = data.start_date
        if message := frequency_error(data.frequency):
            errors["frequency"] = message
        values["frequency"] = data.frequency.code if data.frequency and not message else ""
        duration = data.duration_days
        if duration is not None and not 1 <= int(duration) <= MAX_DURATION_DAYS:
            errors["duration_days"] = _(
                "La durée des soins doit être comprise entre 1 et {MAX_DURATION_DAYS} jours."
            ).format(MAX_DURATION_DAYS=MAX_DURATION_DAYS)
        values["duration_days"] = int(duration) if duration is not None else None
        values["discharge_date"] = data.discharge_date
        if (
            data.discharge_date is not None
            and data.start_date is not None
            and data.start_date < data.discharge_date
        ):
            errors["start_date"] = _("Les soins à domicile commencent au plus tôt à la sortie.")
        partner_id = data.partner_id
        contact_id = data.partner_contact_id if partner_id is not None else None
        if partner_id is not None:
            partner = session.get(Partner, partner_id)
            if partner is None or not partner.active:
                errors["partner_id"] = _("Ce partenaire n'existe pas ou est désactivé.")
            elif kind is not None and partner.kind not in (CARE_PARTNER_KIND[kind], "other"):
                errors["partner_id"] = _(
                    "Ce partenaire ne donne pas ce type de soins ({value} à domicile)."
                ).format(value=CARE_KIND_LABELS[kind].lower())
            elif contact_id is not None:
                contact = session.get(PartnerContact, contact_id)
                if contact is None or contact.partner_id != partner.id or not contact.active:
                    errors["partner_contact_id"] = _(
                        "Ce contact ne travaille pas chez ce partenaire."
                    )
        values["partner_id"] = partner_id
        values["partner_contact_id"] = contact_id
        patient = session.get(Patient, data.patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        if data.discharge_plan_id is not None:
            from app.models import DischargePlan

            plan = session.get(DischargePlan, data.discharge_plan_id)
            if plan is None or plan.patient_id != patient.id:
                errors["discharge_plan_id"] = _("Ce plan de sortie n'est pas celui de ce patient.")
        values["discharge_plan_id"] = data.discharge_plan_id
        if errors:
            raise ValidationError(errors)
        return values, patient

    @staticmethod
    def _check_partner_kind(session: Session, row: HomeCareRequest, partner_id: int) -> Partner:
        partner = session.get(Partner, partner_id)
        kind = CareKind(row.care_kind)
        if partner is None or not partner.active:
            raise ValidationError({"partner_id": _("Ce partenaire n'existe pas ou est désactivé.")})
        if partner.kind not in (CARE_PARTNER_KIND[kind], "other"):
            raise ValidationError(
                {
                    "partner_id": _(
                        "Ce partenaire ne donne pas ce type de soins ({value} à domicile)."
                    ).format(value=CARE_KIND_LABELS[kind].lower())
                }
            )
        return partner

    def _set_details(self, actor: Actor, row: HomeCareRequest, **changes) -> None:
        details = HOME_CARE_REQUEST.read(self._codec, actor, row)
        details.update(changes)
        HOME_CARE_REQUEST.write(self._codec, actor, row, details)

    # ---- events -------------------------------------------------------------------------
    def _event(
        self,
        session: Session,
        actor: Actor,
        row: HomeCareRequest,
        target: HomeCareStatus,
        audit_action: str,
        detail: str = "",
    ) -> None:
        now = self._clock()
        previous = row.status or ""
        event = HomeCareEvent(
            request_id=row.id,
            from_status=previous,
            to_status=str(target),
            at=now,
            actor_id=actor.user_id,
        )
        session.add(event)
        if detail:  # who accepted, why refused or cancelled: sealed (« care » key)
            session.flush()
            HOME_CARE_EVENT.write(self._codec, actor, event, {"detail": detail[:300]})
        row.status = str(target)
        row.updated_at = now
        column = {
            HomeCareStatus.SENT: "sent_at",
            HomeCareStatus.ACCEPTED: "accepted_at",
            HomeCareStatus.IN_PROGRESS: "started_at",
            HomeCareStatus.FINISHED: "finished_at",
            HomeCareStatus.REFUSED: "refused_at",
        }.get(target)
        if column and getattr(row, column) is None:
            setattr(row, column, now)
        self._audit.add(
            session,
            actor,
            audit_action,
            patient_id=row.patient_id,
            object_type="home_care_request",
            object_id=row.id,
            detail=f"{previous or '—'} → {target}",
        )

    # ---- reading ------------------------------------------------------------------------
    def get(self, actor: Actor, request_id: int) -> HomeCareRecord:
        patient_id = self._patient_of(request_id)
        self._require(actor, Action.READ, AuditAction.READ, patient_id, request_id)
        with self._db.session() as session:
            row = session.get(HomeCareRequest, request_id)
            if row is None:
                raise NotFound(_(NOT_FOUND))
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=row.patient_id,
                object_type="home_care_request",
                object_id=row.id,
            )
            return record_of(session, self._codec, actor, row, self._clock())

    def for_patient(self, actor: Actor, patient_id: int) -> list[HomeCareRecord]:
        """The patient's requests, newest first (audited as one read)."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session() as session:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            rows = session.scalars(
                select(HomeCareRequest)
                .where(HomeCareRequest.patient_id == patient_id)
                .order_by(HomeCareRequest.created_at.desc(), HomeCareRequest.id.desc())
                .limit(MAX_LIST)
            ).all()
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                object_type="home_care_request",
                detail=f"{len(rows)} demande(s)",
            )
            names = _Names(session)
            now = self._clock()
            return [record_of(session, self._codec, actor, r, now, names) for r in rows]

    def prefill(self, actor: Actor, patient_id: int) -> HomeCareInput:
        """A new request's defaults: the patient's address and phone from the file."""
        self._require(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, patient_id)
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                object_type="home_care_request",
                detail="coordonnées pour une demande de soins",
            )
            return HomeCareInput(
                patient_id=patient_id,
                care_kind=CareKind.NURSE,
                acts=(),
                start_date=None,
                frequency=None,
                address=patient_address(patient),
                phone=patient.phone,
            )

    def commune_of(self, actor: Actor, patient_id: int) -> str:
        """The patient's commune (to filter the partners serving it)."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session(write=False) as session:
            patient = session.get(Patient, patient_id)
            return patient.city if patient else ""

    def partner_choices(
        self, actor: Actor, care_kind: CareKind | str, commune: str | None = None
    ) -> list[PartnerInfo]:
        """Active partners of the directory giving this care and serving ``commune`` (or the
        whole sector: no commune listed)."""
        if self._partners is None:
            return []
        kind = CARE_PARTNER_KIND[CareKind(care_kind)]
        return self._partners.list(actor, kind=kind, commune=commune or None)

    # ---- writing ------------------------------------------------------------------------
    def _writable_patient(self, patient: Patient, action: str, request_id: int | None) -> None:
        if patient.archived_at is not None:
            raise _Refusal(_(ARCHIVED), action, patient.id, request_id)

    def create(self, actor: Actor, data: HomeCareInput) -> HomeCareRecord:
        """A new request, « à envoyer »."""
        self._require(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, data.patient_id)

        def work(session: Session) -> HomeCareRecord:
            values, patient = self._validate(session, data)
            self._writable_patient(patient, AuditAction.HOME_CARE_CREATE, None)
            now = self._clock()
            plain, details = _split(values)
            row = HomeCareRequest(
                patient_id=patient.id,
                created_by_id=actor.user_id,
                status="",
                created_at=now,
                updated_at=now,
                **plain,
            )
            session.add(row)
            session.flush()
            HOME_CARE_REQUEST.write(self._codec, actor, row, details)
            self._event(session, actor, row, HomeCareStatus.TO_SEND, AuditAction.HOME_CARE_CREATE)
            mark_activity(session, patient.id, now)
            session.flush()
            return record_of(session, self._codec, actor, row, now)

        return self._run(actor, work)

    def _load(
        self,
        session: Session,
        actor: Actor,
        request_id: int,
        audit_action: str,
        expected_version: int | None,
        mine=None,
    ) -> HomeCareRequest:
        row = session.get(HomeCareRequest, request_id)
        if row is None:
            raise NotFound(_(NOT_FOUND))
        patient = session.get(Patient, row.patient_id)
        self._writable_patient(patient, audit_action, row.id)
        if expected_version is not None and row.version != expected_version:
            theirs = record_of(session, self._codec, actor, row, self._clock())
            raise Conflict(
                ConflictError(
                    _("Cette demande de soins à domicile"),
                    mine=mine,
                    theirs=theirs,
                    theirs_by=theirs.events[-1].actor_name if theirs.events else "",
                    theirs_at=theirs.updated_at,
                    extra={"expected_version": expected_version, "current_version": row.version},
                ),
                patient_id=row.patient_id,
                object_type="home_care_request",
                object_id=row.id,
            )
        return row

    def update(
        self, actor: Actor, request_id: int, data: HomeCareInput, expected_version: int
    ) -> HomeCareRecord:
        """Edit a request not sent yet."""
        self._require(
            actor,
            Action.WRITE,
            AuditAction.HOME_CARE_UPDATE,
            self._patient_of(request_id),
            request_id,
        )

        def work(session: Session) -> HomeCareRecord:
            row = self._load(
                session, actor, request_id, AuditAction.HOME_CARE_UPDATE, expected_version, data
            )
            if HomeCareStatus(row.status) is not HomeCareStatus.TO_SEND:
                raise ValidationError(
                    {"status": _("Une demande déjà envoyée ne se modifie plus : annulez-la.")}
                )
            if data.patient_id != row.patient_id:
                raise ValidationError({"patient_id": _("Une demande ne change pas de patient.")})
            values, _patient = self._validate(session, data)
            plain, details = _split(values)
            for name, value in plain.items():
                setattr(row, name, value)
            kept = HOME_CARE_REQUEST.read(self._codec, actor, row)
            for name in ("accepted_by", "refusal_reason"):  # not in the form: unchanged
                details[name] = kept[name]
            HOME_CARE_REQUEST.write(self._codec, actor, row, details)
            row.updated_at = self._clock()
            self._audit.add(
                session,
                actor,
                AuditAction.HOME_CARE_UPDATE,
                patient_id=row.patient_id,
                object_type="home_care_request",
                object_id=row.id,
            )
            session.flush()
            return record_of(session, self._codec, actor, row, self._clock())

        return self._run(actor, work)

    def _step(
        self,
        actor: Actor,
        request_id: int,
        action: HomeCareAction,
        expected_version: int | None,
        *,
        detail: str = "",
        apply=None,
    ) -> HomeCareRecord:
        self._require(
            actor,
            Action.WRITE,
            AuditAction.HOME_CARE_STEP,
            self._patient_of(request_id),
            request_id,
        )
        target = ACTION_TARGET[action]

        def work(session: Session) -> HomeCareRecord:
            row = self._load(
                session, actor, request_id, AuditAction.HOME_CARE_STEP, expected_version
            )
            current = HomeCareStatus(row.status)
            if target not in HOME_CARE_TRANSITIONS[current]:
                raise TransitionRefused(current, target)
            if apply is not None:
                apply(session, row)
            self._event(session, actor, row, target, AuditAction.HOME_CARE_STEP, detail)
            session.flush()
            return record_of(session, self._codec, actor, row, self._clock())

        return self._run(actor, work)

    def send(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        """The request went to the partner (by the clinic's usual channel)."""

        def check(session: Session, row: HomeCareRequest) -> None:
            if row.partner_id is None:
                raise ValidationError(
                    {"partner_id": _("Choisissez le partenaire avant d'envoyer la demande.")}
                )
            self._check_partner_kind(session, row, row.partner_id)

        return self._step(actor, request_id, HomeCareAction.SEND, expected_version, apply=check)

    def accept(
        self,
        actor: Actor,
        request_id: int,
        accepted_by: str,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        """The partner accepted: who, at the partner."""
        who = clean_line(accepted_by or "")
        if not who:
            raise ValidationError(
                {"accepted_by": _("Indiquez qui a accepté la demande chez le partenaire.")}
            )
        if len(who) > 200:
            raise ValidationError(
                {"accepted_by": _("Le nom est trop long (200 caractères au plus).")}
            )

        def apply(_session: Session, row: HomeCareRequest) -> None:
            self._set_details(actor, row, accepted_by=who)

        return self._step(
            actor,
            request_id,
            HomeCareAction.ACCEPT,
            expected_version,
            detail=f"par {who}",
            apply=apply,
        )

    def start(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        return self._step(actor, request_id, HomeCareAction.START, expected_version)

    def finish(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        return self._step(actor, request_id, HomeCareAction.FINISH, expected_version)

    def refuse(
        self, actor: Actor, request_id: int, reason: str, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        """The partner refused (e.g. no room in the round): why."""
        why = clean_line(reason or "")
        if not why:
            raise ValidationError({"reason": _("Indiquez pourquoi le partenaire refuse.")})
        if len(why) > MAX_REASON:
            raise ValidationError(
                {
                    "reason": _("Le motif est trop long ({MAX_REASON} caractères au plus).").format(
                        MAX_REASON=MAX_REASON
                    )
                }
            )

        def apply(_session: Session, row: HomeCareRequest) -> None:
            self._set_details(actor, row, refusal_reason=why)

        return self._step(
            actor, request_id, HomeCareAction.REFUSE, expected_version, detail=why, apply=apply
        )

    def cancel(
        self,
        actor: Actor,
        request_id: int,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        why = clean_line(reason or "")[:MAX_REASON]
        return self._step(actor, request_id, HomeCareAction.CANCEL, expected_version, detail=why)

    def readdress(
        self,
        actor: Actor,
        request_id: int,
        partner_id: int,
        partner_contact_id: int | None = None,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        """« Adresser à un autre partenaire »: a refused request is copied, « à envoyer », to
        another partner giving the same care (``previous_id`` links them)."""
        self._require(
            actor,
            Action.WRITE,
            AuditAction.HOME_CARE_CREATE,
            self._patient_of(request_id),
            request_id,
        )

        def work(session: Session) -> HomeCareRecord:
            old = self._load(
                session, actor, request_id, AuditAction.HOME_CARE_CREATE, expected_version
            )
            if HomeCareStatus(old.status) is not HomeCareStatus.REFUSED:
                raise RelaisError(
                    _("Seule une demande refusée par le partenaire peut être adressée à un autre.")
                )
            if session.scalar(
                select(HomeCareRequest.id).where(HomeCareRequest.previous_id == old.id).limit(1)
            ):
                raise RelaisError(_("Cette demande a déjà été adressée à un autre partenaire."))
            if partner_id == old.partner_id:
                raise ValidationError({"partner_id": _("Ce partenaire a déjà refusé la demande.")})
            partner = self._check_partner_kind(session, old, partner_id)
            if partner_contact_id is not None:
                contact = session.get(PartnerContact, partner_contact_id)
                if contact is None or contact.partner_id != partner.id or not contact.active:
                    raise ValidationError(
                        {"partner_contact_id": _("Ce contact ne travaille pas chez ce partenaire.")}
                    )
            now = self._clock()
            copied = {
                c.key: getattr(old, c.key)
                for c in HomeCareRequest.__table__.columns
                if c.key
                not in {
                    "id",
                    "created_by_id",
                    "previous_id",
                    "partner_id",
                    "partner_contact_id",
                    "status",
                    "accepted_by",
                    "refusal_reason",
                    "created_at",
                    "updated_at",
                    "sent_at",
                    "accepted_at",
                    "started_at",
                    "finished_at",
                    "refused_at",
                    "reminder_seen_at",
                    "version",
                    HOME_CARE_REQUEST.column,
                    *HOME_CARE_REQUEST.fields,
                }
            }
            row = HomeCareRequest(
                **copied,
                created_by_id=actor.user_id,
                previous_id=old.id,
                partner_id=partner.id,
                partner_contact_id=partner_contact_id,
                status="",
                created_at=now,
                updated_at=now,
            )
            session.add(row)
            session.flush()
            details = HOME_CARE_REQUEST.read(self._codec, actor, old)
            details.update(accepted_by="", refusal_reason="")
            HOME_CARE_REQUEST.write(self._codec, actor, row, details)
            self._event(
                session,
                actor,
                row,
                HomeCareStatus.TO_SEND,
                AuditAction.HOME_CARE_CREATE,
                _("après le refus de la demande n° {id}").format(id=old.id),
            )
            session.flush()
            return record_of(session, self._codec, actor, row, now)

        return self._run(actor, work)

    # ---- inbox source -------------------------------------------------------------------
    def inbox_items(self, actor: Actor) -> list[InboxItem]:
        """The actor's requests waiting too long (module docstring)."""
        if actor.user_id is None or not policy.allows(actor.role, Resource.HOME_CARE, Action.READ):
            return []
        now = self._clock()
        items: list[InboxItem] = []
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(HomeCareRequest, Patient, Partner.name)
                .join(Patient, Patient.id == HomeCareRequest.patient_id)
                .outerjoin(Partner, Partner.id == HomeCareRequest.partner_id)
                .where(
                    HomeCareRequest.created_by_id == actor.user_id,
                    HomeCareRequest.status.in_(
                        [
                            str(HomeCareStatus.TO_SEND),
                            str(HomeCareStatus.SENT),
                            str(HomeCareStatus.ACCEPTED),
                        ]
                    ),
                )
            ).all()
            for row, patient, partner in rows:
                overdue = overdue_since(row, now)
                if overdue is None:
                    continue
                since, why = overdue
                label = CARE_KIND_LABELS[CareKind(row.care_kind)].lower()
                to = f" — {partner}" if partner else ""
                items.append(
                    reminder_item(
                        INBOX_SOURCE,
                        row.id,
                        INBOX_KIND,
                        _("Soins à domicile ({label}){to} : {why}.").format(
                            label=label, to=to, why=why
                        ),
                        since=since,
                        seen_at=row.reminder_seen_at,
                        patient_id=row.patient_id,
                        patient_name=patient_name(patient),
                    )
                )
        return items

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """The creator saw the reminder (no version bump: an open dialog keeps its version)."""
        return mark_reminder_seen(
            self._db, HomeCareRequest.created_by_id, item_id, actor, self._clock()
        )
