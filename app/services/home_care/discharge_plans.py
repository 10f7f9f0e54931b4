"""Discharge plans (*sorties d'hospitalisation*): around a hospital discharge, the target date,
the destination (home, EHPAD, SMR, HAD), the home-care requests made for it, the aids (with the
ARDH eligibility rule of ``home_care_rules``), child care during the stay, equipment, and
follow-up dates (J+7 and J+90 after the target date by default) that come back as reminders in
the plan owner's inbox (source ``discharge``) until marked done.

Same policy as the home-care requests (``Resource.HOME_CARE``): GPs, paramedicals and the
social worker read and write; secretaries and the coordinator read only. Every read and write
is audited (never content); refusals are audited and write nothing; edits use optimistic
locking.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock, clinic_today
from app.i18n import N_, _
from app.models import DischargeFollowUp, DischargePlan, HomeCareRequest, Patient
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.home_care.discharge_checks import validate_plan
from app.services.home_care.reading import (
    Names,
    patient_address,
    record_of,
    split_sealed,
)
from app.services.home_care.records import (
    DischargePlanInput,
    DischargePlanRecord,
    FollowUpInput,
    FollowUpRecord,
    HomeCareInput,
)
from app.services.home_care.rules import (
    AID_LABELS,
    DESTINATION_LABELS,
    PLAN_STATUS_LABELS,
    ArdhResult,
    CareKind,
    Destination,
    PlanStatus,
    ardh_check,
)
from app.services.inbox.records import InboxItem
from app.services.inbox.service import mark_reminder_seen, reminder_item, source_session
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, ValidationError
from app.services.kernel.feature_access import FeatureAccess
from app.services.kernel.guard import Conflict
from app.services.kernel.patient_rows import mark_activity, patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import aware, fmt_date, start_of_day
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import DISCHARGE_PLAN

READ_REFUSED = "Votre rôle ne permet pas de consulter les plans de sortie d'hospitalisation."
WRITE_REFUSED = (
    "Votre rôle permet de consulter les plans de sortie d'hospitalisation, pas de les créer ni "
    "de les modifier."
)
NOT_FOUND = N_("Ce plan de sortie n'existe pas.")
INBOX_SOURCE = "discharge"
INBOX_KIND = "discharge_follow_up"


def plan_ardh(row: DischargePlan, details: dict, birth_date: date | None) -> ArdhResult:
    """The ARDH check of a plan (``details``: its opened sealed fields)."""
    return ardh_check(
        retired=details["retired"],
        birth_date=birth_date,
        gir=details["gir"],
        destination=row.destination,
        target_date=row.target_date,
        aids=tuple(json.loads(details["aids"] or "[]")),
    )


class DischargeService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock, codec: ContentCodec) -> None:
        self._codec = codec
        self._db = db
        self._audit = audit
        self._clock = clock
        self._access = FeatureAccess(
            db,
            audit,
            resource=Resource.HOME_CARE,
            model=DischargePlan,
            object_type="discharge_plan",
            read_refused=READ_REFUSED,
            write_refused=WRITE_REFUSED,
        )

    # ---- records ------------------------------------------------------------------------
    def _record(
        self, session: Session, actor: Actor, row: DischargePlan, names: Names
    ) -> DischargePlanRecord:
        patient = session.get(Patient, row.patient_id)
        birth = patient.birth_date if patient else None
        d = DISCHARGE_PLAN.read(self._codec, actor, row)
        aids = tuple(json.loads(d["aids"] or "[]"))
        destination = Destination(row.destination)
        status = PlanStatus(row.status)
        follow_ups = session.scalars(
            select(DischargeFollowUp)
            .where(DischargeFollowUp.plan_id == row.id)
            .order_by(DischargeFollowUp.due_on, DischargeFollowUp.id)
        ).all()
        requests = session.scalars(
            select(HomeCareRequest)
            .where(HomeCareRequest.discharge_plan_id == row.id)
            .order_by(HomeCareRequest.created_at, HomeCareRequest.id)
        ).all()
        now = self._clock()
        return DischargePlanRecord(
            id=row.id,
            patient_id=row.patient_id,
            patient_name=patient_name(patient) if patient else "",
            birth_date=birth,
            created_by_id=row.created_by_id,
            created_by_name=names.user(row.created_by_id),
            hospital=d["hospital"],
            ward=d["ward"],
            admitted_on=d["admitted_on"],
            target_date=row.target_date,
            destination=destination,
            destination_label=DESTINATION_LABELS[destination],
            destination_detail=d["destination_detail"],
            aids=aids,
            aid_labels=tuple(AID_LABELS.get(a, a) for a in aids),
            retired=d["retired"],
            gir=d["gir"],
            ardh=plan_ardh(row, d, birth),
            child_care=d["child_care"],
            equipment=tuple(x for x in (d["equipment"] or "").split("\n") if x),
            comments=d["comments"],
            status=status,
            status_label=PLAN_STATUS_LABELS[status],
            follow_ups=tuple(
                FollowUpRecord(
                    id=f.id,
                    plan_id=f.plan_id,
                    owner_id=f.owner_id,
                    owner_name=names.user(f.owner_id),
                    due_on=f.due_on,
                    label=f.label,
                    done_at=aware(f.done_at),
                )
                for f in follow_ups
            ),
            requests=tuple(record_of(session, self._codec, actor, r, now, names) for r in requests),
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            version=row.version,
        )

    # ---- reading ------------------------------------------------------------------------
    def patient_of(self, plan_id: int) -> int | None:
        """The patient a plan belongs to (None if the plan does not exist)."""
        return self._access.patient_of(plan_id)

    def plans_for(self, actor: Actor, patient_id: int) -> list[DischargePlanRecord]:
        """The patient's plans, newest target date first (audited as one read)."""

        def records(session: Session, rows) -> list[DischargePlanRecord]:
            names = Names(session)
            return [self._record(session, actor, r, names) for r in rows]

        return self._access.read_for_patient(
            actor,
            patient_id,
            select(DischargePlan)
            .where(DischargePlan.patient_id == patient_id)
            .order_by(DischargePlan.target_date.desc(), DischargePlan.id.desc()),
            lambda count: f"{count} plan(s)",
            records,
        )

    def get(self, actor: Actor, plan_id: int) -> DischargePlanRecord:
        return self._access.read(
            actor,
            plan_id,
            _(NOT_FOUND),
            lambda session, row: self._record(session, actor, row, Names(session)),
        )

    def request_defaults(self, actor: Actor, plan_id: int) -> HomeCareInput:
        """A new home-care request for this plan: the discharge context, the start on the
        target date, the patient's address and phone."""
        self._access.require_on(actor, Action.WRITE, AuditAction.HOME_CARE_CREATE, plan_id)
        with self._db.session() as session:
            row = session.get(DischargePlan, plan_id)
            if row is None:
                raise NotFound(_(NOT_FOUND))
            patient = session.get(Patient, row.patient_id)
            d = DISCHARGE_PLAN.read(self._codec, actor, row)
            self._access.audit(
                session, actor, AuditAction.READ, row, "coordonnées pour une demande de soins"
            )
            return HomeCareInput(
                patient_id=row.patient_id,
                care_kind=CareKind.NURSE,
                acts=(),
                start_date=row.target_date,
                frequency=None,
                address=patient_address(patient),
                phone=patient.phone,
                discharge_date=row.target_date,
                hospital=d["hospital"],
                ward=d["ward"],
                discharge_plan_id=row.id,
            )

    # ---- writing ------------------------------------------------------------------------
    def _store_follow_ups(
        self, session: Session, row: DischargePlan, follow_ups: tuple[FollowUpInput, ...]
    ) -> None:
        """Replace the plan's follow-ups not done yet (done ones are kept as they are)."""
        existing = session.scalars(
            select(DischargeFollowUp).where(DischargeFollowUp.plan_id == row.id)
        ).all()
        done = {(f.due_on, f.label) for f in existing if f.done_at is not None}
        for f in existing:
            if f.done_at is None:
                session.delete(f)
        for f in follow_ups:
            if (f.due_on, f.label) in done:
                continue
            session.add(
                DischargeFollowUp(
                    plan_id=row.id, owner_id=row.created_by_id, due_on=f.due_on, label=f.label
                )
            )

    def create(self, actor: Actor, data: DischargePlanInput) -> DischargePlanRecord:
        """A plan (« en préparation ») with its follow-up dates (J+7, J+90 by default)."""
        self._access.require(actor, Action.WRITE, AuditAction.DISCHARGE_CREATE, data.patient_id)
        values, follow_ups = validate_plan(data)

        def work(session: Session) -> DischargePlanRecord:
            patient = session.get(Patient, data.patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            self._access.writable(patient, AuditAction.DISCHARGE_CREATE, None)
            now = self._clock()
            plain, details = split_sealed(values, DISCHARGE_PLAN)
            row = DischargePlan(
                patient_id=data.patient_id,
                created_by_id=actor.user_id,
                status=str(PlanStatus.OPEN),
                created_at=now,
                updated_at=now,
                **plain,
            )
            row.ardh_eligible = plan_ardh(row, details, patient.birth_date).eligible
            session.add(row)
            session.flush()
            DISCHARGE_PLAN.write(self._codec, actor, row, details)
            self._store_follow_ups(session, row, follow_ups)
            mark_activity(session, patient.id, now)
            self._access.audit(session, actor, AuditAction.DISCHARGE_CREATE, row)
            session.flush()
            return self._record(session, actor, row, Names(session))

        return self._access.run(actor, work)

    def _load(
        self,
        session: Session,
        actor: Actor,
        plan_id: int,
        expected_version: int | None,
        mine,
        action: str = AuditAction.DISCHARGE_UPDATE,
    ) -> DischargePlan:
        row = session.get(DischargePlan, plan_id)
        if row is None:
            raise NotFound(_(NOT_FOUND))
        self._access.writable(session.get(Patient, row.patient_id), action, row.id)
        if expected_version is not None and row.version != expected_version:
            theirs = self._record(session, actor, row, Names(session))
            raise Conflict(
                ConflictError(
                    _("Ce plan de sortie"),
                    mine=mine,
                    theirs=theirs,
                    theirs_at=theirs.updated_at,
                    extra={"expected_version": expected_version, "current_version": row.version},
                ),
                patient_id=row.patient_id,
                object_type="discharge_plan",
                object_id=row.id,
            )
        return row

    def update(
        self, actor: Actor, plan_id: int, data: DischargePlanInput, expected_version: int
    ) -> DischargePlanRecord:
        """Save the plan; the follow-ups not done yet are replaced by ``data.follow_ups``."""
        self._access.require_on(actor, Action.WRITE, AuditAction.DISCHARGE_UPDATE, plan_id)
        values, follow_ups = validate_plan(data)

        def work(session: Session) -> DischargePlanRecord:
            row = self._load(session, actor, plan_id, expected_version, data)
            if data.patient_id != row.patient_id:
                raise ValidationError(
                    {"patient_id": _("Un plan de sortie ne change pas de patient.")}
                )
            plain, details = split_sealed(values, DISCHARGE_PLAN)
            for name, value in plain.items():
                setattr(row, name, value)
            DISCHARGE_PLAN.write(self._codec, actor, row, details)
            patient = session.get(Patient, row.patient_id)
            row.ardh_eligible = plan_ardh(row, details, patient.birth_date).eligible
            row.updated_at = self._clock()
            self._store_follow_ups(session, row, follow_ups)
            self._access.audit(session, actor, AuditAction.DISCHARGE_UPDATE, row)
            session.flush()
            return self._record(session, actor, row, Names(session))

        return self._access.run(actor, work)

    def set_status(
        self,
        actor: Actor,
        plan_id: int,
        status: PlanStatus | str,
        *,
        expected_version: int | None = None,
    ) -> DischargePlanRecord:
        """« Sortie réalisée » or « Annulé » (and back to « en préparation »)."""
        self._access.require_on(actor, Action.WRITE, AuditAction.DISCHARGE_UPDATE, plan_id)
        try:
            status = PlanStatus(status)
        except ValueError:
            raise ValidationError({"status": _("Statut de plan de sortie inconnu.")}) from None

        def work(session: Session) -> DischargePlanRecord:
            row = self._load(session, actor, plan_id, expected_version, str(status))
            previous = row.status
            row.status = str(status)
            row.updated_at = self._clock()
            self._access.audit(
                session,
                actor,
                AuditAction.DISCHARGE_UPDATE,
                row,
                PLAN_STATUS_LABELS.step(previous, status),
            )
            session.flush()
            return self._record(session, actor, row, Names(session))

        return self._access.run(actor, work)

    def complete_follow_up(self, actor: Actor, follow_up_id: int) -> FollowUpRecord:
        """The follow-up was done (its reminder leaves the inbox)."""
        with self._db.session(write=False) as session:
            found = session.execute(
                select(DischargePlan.patient_id, DischargePlan.id)
                .join(DischargeFollowUp, DischargeFollowUp.plan_id == DischargePlan.id)
                .where(DischargeFollowUp.id == follow_up_id)
            ).first()
        if found is None:
            raise NotFound(_("Cette date de suivi n'existe pas."))
        self._access.require(
            actor,
            Action.WRITE,
            AuditAction.DISCHARGE_FOLLOW_UP,
            found.patient_id,
            follow_up_id,
            "discharge_follow_up",
        )

        def work(session: Session) -> FollowUpRecord:
            self._load(session, actor, found.id, None, None, AuditAction.DISCHARGE_FOLLOW_UP)
            f = session.get(DischargeFollowUp, follow_up_id)
            if f.done_at is None:
                f.done_at = self._clock()
                self._audit.add(
                    session,
                    actor,
                    AuditAction.DISCHARGE_FOLLOW_UP,
                    patient_id=found.patient_id,
                    object_type="discharge_follow_up",
                    object_id=f.id,
                )
            return FollowUpRecord(
                id=f.id,
                plan_id=f.plan_id,
                owner_id=f.owner_id,
                owner_name=Names(session).user(f.owner_id),
                due_on=f.due_on,
                label=f.label,
                done_at=aware(f.done_at),
            )

        return self._access.run(actor, work)

    # ---- inbox source -------------------------------------------------------------------
    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """The actor's follow-ups due (today or earlier) and not done, of plans not cancelled."""
        if not self._access.may_read(actor):
            return []
        today = clinic_today(self._clock)
        with source_session(self._db, session) as unit:
            rows = unit.execute(
                select(DischargeFollowUp, DischargePlan.target_date, Patient)
                .join(DischargePlan, DischargePlan.id == DischargeFollowUp.plan_id)
                .join(Patient, Patient.id == DischargePlan.patient_id)
                .where(
                    DischargeFollowUp.owner_id == actor.user_id,
                    DischargeFollowUp.done_at.is_(None),
                    DischargeFollowUp.due_on <= today,
                    DischargePlan.status != str(PlanStatus.CANCELLED),
                )
            ).all()
        items = []
        for f, target, patient in rows:
            items.append(
                reminder_item(
                    INBOX_SOURCE,
                    f.id,
                    INBOX_KIND,
                    _("Sortie d'hospitalisation du {target} : {value} prévu le {due_on}.").format(
                        target=fmt_date(target), value=f.label or "suivi", due_on=fmt_date(f.due_on)
                    ),
                    since=start_of_day(f.due_on),
                    seen_at=f.reminder_seen_at,
                    patient_id=patient.id,
                    patient_name=patient_name(patient),
                )
            )
        return items

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        return mark_reminder_seen(
            self._db, DischargeFollowUp.owner_id, item_id, actor, self._clock()
        )
