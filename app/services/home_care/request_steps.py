"""The steps of a home-care request once created: sent, accepted (by whom), in progress,
finished, refused (why), cancelled, and readdressed to another partner after a refusal."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import _
from app.models import HomeCareEvent, HomeCareRequest, Patient
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.home_care.reading import record_of
from app.services.home_care.records import HomeCareRecord
from app.services.home_care.request_checks import NOT_FOUND, TransitionRefused, check_partner
from app.services.home_care.rules import (
    ACTION_TARGET,
    HOME_CARE_STATUS_LABELS,
    HOME_CARE_TRANSITIONS,
    HomeCareAction,
    HomeCareStatus,
)
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, RelaisError, ValidationError
from app.services.kernel.feature_access import FeatureAccess
from app.services.kernel.guard import Conflict
from app.services.kernel.policy import Action
from app.services.kernel.text import clean_line
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import HOME_CARE_EVENT, HOME_CARE_REQUEST

MAX_REASON = 300
# What a readdressed request keeps of the refused one (the rest is its own: partner, status,
# dates, version; the sealed details are copied through the codec).
_NOT_COPIED = {
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
_COPIED_COLUMNS = tuple(
    c.key for c in HomeCareRequest.__table__.columns if c.key not in _NOT_COPIED
)


class RequestSteps:
    """The life of a request after its creation: each transition of the state machine
    (``HOME_CARE_TRANSITIONS``) writes a ``HomeCareEvent`` and an audit entry in the unit of
    work of the change, and readdressing a refused request copies it to another partner."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        codec: ContentCodec,
        access: FeatureAccess,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._codec = codec
        self._access = access

    def _set_details(self, actor: Actor, row: HomeCareRequest, **changes) -> None:
        details = HOME_CARE_REQUEST.read(self._codec, actor, row)
        details.update(changes)
        HOME_CARE_REQUEST.write(self._codec, actor, row, details)

    # ---- events -------------------------------------------------------------------------
    def event(
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
        self._access.audit(
            session, actor, audit_action, row, HOME_CARE_STATUS_LABELS.step(previous, target)
        )

    def load(
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
        self._access.writable(patient, audit_action, row.id)
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
        self._access.require_on(actor, Action.WRITE, AuditAction.HOME_CARE_STEP, request_id)
        target = ACTION_TARGET[action]

        def work(session: Session) -> HomeCareRecord:
            row = self.load(
                session, actor, request_id, AuditAction.HOME_CARE_STEP, expected_version
            )
            current = HomeCareStatus(row.status)
            if target not in HOME_CARE_TRANSITIONS[current]:
                raise TransitionRefused(current, target)
            if apply is not None:
                apply(session, row)
            self.event(session, actor, row, target, AuditAction.HOME_CARE_STEP, detail)
            session.flush()
            return record_of(session, self._codec, actor, row, self._clock())

        return self._access.run(actor, work)

    def send(
        self, actor: Actor, request_id: int, *, expected_version: int | None = None
    ) -> HomeCareRecord:
        """The request went to the partner (by the clinic's usual channel)."""

        def check(session: Session, row: HomeCareRequest) -> None:
            if row.partner_id is None:
                raise ValidationError(
                    {"partner_id": _("Choisissez le partenaire avant d'envoyer la demande.")}
                )
            check_partner(session, row, row.partner_id)

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
        self._access.require_on(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, request_id)

        def work(session: Session) -> HomeCareRecord:
            old = self.load(
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
            partner = check_partner(session, old, partner_id, partner_contact_id)
            now = self._clock()
            copied = {c: getattr(old, c) for c in _COPIED_COLUMNS}
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
            self.event(
                session,
                actor,
                row,
                HomeCareStatus.TO_SEND,
                AuditAction.HOME_CARE_CREATE,
                _("après le refus de la demande n° {id}").format(id=old.id),
            )
            session.flush()
            return record_of(session, self._codec, actor, row, now)

        return self._access.run(actor, work)
