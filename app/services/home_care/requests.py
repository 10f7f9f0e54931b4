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

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import _
from app.models import HomeCareRequest, Partner, Patient
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.home_care.reading import (
    Names,
    overdue_since,
    patient_address,
    record_of,
    split_sealed,
)
from app.services.home_care.records import HomeCareInput, HomeCareRecord
from app.services.home_care.request_checks import NOT_FOUND, validate_request
from app.services.home_care.request_steps import RequestSteps
from app.services.home_care.rules import (
    CARE_KIND_LABELS,
    CARE_PARTNER_KIND,
    CareKind,
    HomeCareStatus,
)
from app.services.inbox.records import InboxItem
from app.services.inbox.service import mark_reminder_seen, reminder_item, source_session
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, ValidationError
from app.services.kernel.feature_access import FeatureAccess
from app.services.kernel.guard import Guard
from app.services.kernel.patient_rows import mark_activity, patient_name
from app.services.kernel.policy import Action, Resource
from app.services.partners.records import PartnerInfo
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import HOME_CARE_REQUEST

READ_REFUSED = "Votre rôle ne permet pas de consulter les demandes de soins à domicile."
WRITE_REFUSED = (
    "Votre rôle permet de consulter les demandes de soins à domicile, pas de les créer ni de "
    "les modifier."
)
INBOX_SOURCE = "home_care"
INBOX_KIND = "home_care_overdue"
MAX_LIST = 500


OBJECT_TYPE = "home_care_request"


class HomeCareService:
    def __init__(
        self, db: Database, audit: AuditWriter, clock: Clock, codec: ContentCodec, partners=None
    ) -> None:
        self._codec = codec
        self._db = db
        self._audit = audit
        self._clock = clock
        self._partners = partners
        self._access = FeatureAccess(
            db,
            audit,
            resource=Resource.HOME_CARE,
            model=HomeCareRequest,
            object_type=OBJECT_TYPE,
            read_refused=READ_REFUSED,
            write_refused=WRITE_REFUSED,
        )
        self._steps = RequestSteps(db, audit, clock, codec, self._access)

    # ---- permissions --------------------------------------------------------------------
    @staticmethod
    def can_write(actor: Actor) -> bool:
        """Whether the actor writes requests and plans (the views show the action buttons)."""
        return Guard.allows(actor, Resource.HOME_CARE, Action.WRITE)

    @staticmethod
    def can_read(actor: Actor) -> bool:
        """Whether the actor reads the patient's home care (the file shows the tab)."""
        return Guard.allows(actor, Resource.HOME_CARE, Action.READ)

    # ---- reading ------------------------------------------------------------------------
    def patient_of(self, request_id: int) -> int | None:
        """The patient a request belongs to (None if the request does not exist)."""
        return self._access.patient_of(request_id)

    def get(self, actor: Actor, request_id: int) -> HomeCareRecord:
        return self._access.read(
            actor,
            request_id,
            _(NOT_FOUND),
            lambda session, row: record_of(session, self._codec, actor, row, self._clock()),
        )

    def for_patient(self, actor: Actor, patient_id: int) -> list[HomeCareRecord]:
        """The patient's requests, newest first (audited as one read)."""

        def records(session: Session, rows) -> list[HomeCareRecord]:
            names = Names(session)
            now = self._clock()
            return [record_of(session, self._codec, actor, r, now, names) for r in rows]

        return self._access.read_for_patient(
            actor,
            patient_id,
            select(HomeCareRequest)
            .where(HomeCareRequest.patient_id == patient_id)
            .order_by(HomeCareRequest.created_at.desc(), HomeCareRequest.id.desc())
            .limit(MAX_LIST),
            lambda count: f"{count} demande(s)",
            records,
        )

    def prefill(self, actor: Actor, patient_id: int) -> HomeCareInput:
        """A new request's defaults: the patient's address and phone from the file."""
        self._access.require(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, patient_id)
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
        self._access.require(actor, Action.READ, AuditAction.READ, patient_id)
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
    def create(self, actor: Actor, data: HomeCareInput) -> HomeCareRecord:
        """A new request, « à envoyer »."""
        self._access.require(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, data.patient_id)

        def work(session: Session) -> HomeCareRecord:
            values, patient = validate_request(session, data)
            self._access.writable(patient, AuditAction.HOME_CARE_CREATE, None)
            now = self._clock()
            plain, details = split_sealed(values, HOME_CARE_REQUEST)
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
            self._steps.event(
                session, actor, row, HomeCareStatus.TO_SEND, AuditAction.HOME_CARE_CREATE
            )
            mark_activity(session, patient.id, now)
            session.flush()
            return record_of(session, self._codec, actor, row, now)

        return self._access.run(actor, work)

    def update(
        self, actor: Actor, request_id: int, data: HomeCareInput, expected_version: int
    ) -> HomeCareRecord:
        """Edit a request not sent yet."""
        self._access.require_on(actor, Action.WRITE, AuditAction.HOME_CARE_UPDATE, request_id)

        def work(session: Session) -> HomeCareRecord:
            row = self._steps.load(
                session, actor, request_id, AuditAction.HOME_CARE_UPDATE, expected_version, data
            )
            if HomeCareStatus(row.status) is not HomeCareStatus.TO_SEND:
                raise ValidationError(
                    {"status": _("Une demande déjà envoyée ne se modifie plus : annulez-la.")}
                )
            if data.patient_id != row.patient_id:
                raise ValidationError({"patient_id": _("Une demande ne change pas de patient.")})
            values, _patient = validate_request(session, data)
            plain, details = split_sealed(values, HOME_CARE_REQUEST)
            for name, value in plain.items():
                setattr(row, name, value)
            kept = HOME_CARE_REQUEST.read(self._codec, actor, row)
            for name in ("accepted_by", "refusal_reason"):  # not in the form: unchanged
                details[name] = kept[name]
            HOME_CARE_REQUEST.write(self._codec, actor, row, details)
            row.updated_at = self._clock()
            self._access.audit(session, actor, AuditAction.HOME_CARE_UPDATE, row)
            session.flush()
            return record_of(session, self._codec, actor, row, self._clock())

        return self._access.run(actor, work)

    # ---- steps (``request_steps``) ------------------------------------------------------
    def send(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        """The request went to the partner (by the clinic's usual channel)."""
        return self._steps.send(actor, request_id, expected_version=expected_version)

    def accept(
        self,
        actor: Actor,
        request_id: int,
        accepted_by: str,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        """The partner accepted: who, at the partner."""
        return self._steps.accept(actor, request_id, accepted_by, expected_version=expected_version)

    def start(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        return self._steps.start(actor, request_id, expected_version=expected_version)

    def finish(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        return self._steps.finish(actor, request_id, expected_version=expected_version)

    def refuse(
        self, actor: Actor, request_id: int, reason: str, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        """The partner refused (e.g. no room in the round): why."""
        return self._steps.refuse(actor, request_id, reason, expected_version=expected_version)

    def cancel(
        self,
        actor: Actor,
        request_id: int,
        reason: str = "",
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        return self._steps.cancel(actor, request_id, reason, expected_version=expected_version)

    def readdress(
        self,
        actor: Actor,
        request_id: int,
        partner_id: int,
        partner_contact_id: int | None = None,
        *,
        expected_version: int | None = None,
    ) -> HomeCareRecord:
        """« Adresser à un autre partenaire » (see ``RequestSteps.readdress``)."""
        return self._steps.readdress(
            actor, request_id, partner_id, partner_contact_id, expected_version=expected_version
        )

    # ---- inbox source -------------------------------------------------------------------
    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """The actor's requests waiting too long (module docstring)."""
        if not self._access.may_read(actor):
            return []
        now = self._clock()
        items: list[InboxItem] = []
        with source_session(self._db, session) as unit:
            rows = unit.execute(
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
