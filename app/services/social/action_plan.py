"""The social worker's action plan (*démarches*): kind, status and dates in plain columns (the
reminders need them), the detail sealed; overdue actions and reminders whose date has come are
items of their owner's inbox (the item names the kind and the date, nothing else)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import clinic_today
from app.i18n import _
from app.models import Partner, Patient
from app.models.enums import Compartment, Sex
from app.models.social import SocialAction
from app.services.inbox.records import InboxItem
from app.services.inbox.service import (
    mark_reminder_seen,
    reminder_is_read,
    reminder_item,
    source_session,
)
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, RelaisError, ValidationError
from app.services.kernel.guard import Conflict
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import clean_text
from app.services.kernel.timefmt import aware, fmt_date, start_of_day
from app.services.security.sealed_fields import SOCIAL_ACTION
from app.services.social.assessments import (
    MAX_HISTORY,
    SocialPart,
    user_names,
    writable_patient,
)
from app.services.social.records import (
    ACTION_KIND_LABELS,
    CLOSED_STATUSES,
    MAX_ACTION_DETAIL,
    ActionKind,
    ActionStatus,
    SocialActionInput,
    SocialActionView,
)

SOURCE = "social_actions"


def action_context(patient_id: int, row_id: int) -> str:
    return f"social_action:{patient_id}:{row_id}"


class ActionPlan(SocialPart):
    """The patient's action plan (a collaborator of ``ConsultationService``)."""

    def _action_view(
        self,
        actor: Actor,
        row: SocialAction,
        names: dict[int, str],
        partners: dict[int, str],
        today: date,
    ) -> SocialActionView:
        status = ActionStatus(row.status)
        open_ = status not in CLOSED_STATUSES
        sealed = SOCIAL_ACTION.read(self._codec, actor, row)
        partner_id = sealed["partner_id"]
        detail = ""
        if row.detail:
            detail = self._codec.open(
                actor,
                Compartment.SOCIAL,
                row.detail,
                context=action_context(row.patient_id, row.id),
            )
        return SocialActionView(
            id=row.id,
            patient_id=row.patient_id,
            owner_id=row.owner_id,
            owner_name=names.get(row.owner_id, "?"),
            kind=ActionKind(sealed["kind"]),
            partner_id=partner_id,
            partner_name=partners.get(partner_id, "") if partner_id else "",
            status=status,
            due_on=row.due_on,
            remind_on=row.remind_on,
            detail=detail,
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            done_at=aware(row.done_at),
            overdue=open_ and row.due_on is not None and row.due_on < today,
            reminder_due=open_ and row.remind_on is not None and row.remind_on <= today,
            version=row.version,
        )

    def _views(
        self, session: Session, actor: Actor, rows: list[SocialAction]
    ) -> list[SocialActionView]:
        names = user_names(session, [r.owner_id for r in rows])
        partner_ids = {
            pid for r in rows if (pid := SOCIAL_ACTION.read(self._codec, actor, r)["partner_id"])
        }
        partners = (
            {
                p.id: p.name
                for p in session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))
            }
            if partner_ids
            else {}
        )
        today = clinic_today(self._clock)
        return [self._action_view(actor, r, names, partners, today) for r in rows]

    def actions(
        self, actor: Actor, patient_id: int, *, include_closed: bool = True
    ) -> list[SocialActionView]:
        """The patient's action plan: open actions first (by due date), then closed ones."""
        query = select(SocialAction).where(SocialAction.patient_id == patient_id)
        if not include_closed:
            query = query.where(SocialAction.status.not_in([str(s) for s in CLOSED_STATUSES]))
        views = self._access.read_for_patient(
            actor,
            patient_id,
            query,
            lambda count: f"{count} démarche(s)",
            lambda session, rows: self._views(session, actor, list(rows)),
        )
        views.sort(
            key=lambda v: (
                v.closed,
                v.due_on is None,
                v.due_on or date.max,
                -v.created_at.timestamp(),
            )
        )
        return views

    def _clean_action(self, session: Session, data: SocialActionInput) -> tuple:
        errors: dict[str, str] = {}
        try:
            kind = ActionKind(data.kind)
        except ValueError:
            errors["kind"] = _("Choisissez la démarche.")
            kind = ActionKind.OTHER
        try:
            status = ActionStatus(data.status)
        except ValueError:
            errors["status"] = _("Ce statut de démarche n'existe pas.")
            status = ActionStatus.PLANNED
        if data.partner_id is not None:
            partner = session.get(Partner, data.partner_id)
            if partner is None:
                errors["partner_id"] = _("Ce partenaire n'existe pas.")
        for name in ("due_on", "remind_on"):
            value = getattr(data, name)
            if value is not None and not isinstance(value, date):
                errors[name] = _("Date incorrecte.")
        detail = clean_text(data.detail or "")
        if len(detail) > MAX_ACTION_DETAIL:
            limit = f"{MAX_ACTION_DETAIL:,}".replace(",", " ")
            errors["detail"] = _("Le détail est trop long ({limit} caractères au plus).").format(
                limit=limit
            )
        if errors:
            raise ValidationError(errors)
        return kind, status, detail

    def _seal_detail(self, actor: Actor, row: SocialAction, detail: str) -> bytes | None:
        if not detail:
            return None
        return self._codec.seal(
            actor, Compartment.SOCIAL, detail, context=action_context(row.patient_id, row.id)
        )

    def add(self, actor: Actor, patient_id: int, data: SocialActionInput) -> SocialActionView:
        """A new action, owned by the actor (its reminders go to her inbox)."""
        self._access.require(actor, Action.WRITE, AuditAction.CREATE, patient_id)

        def work(session: Session) -> SocialActionView:
            patient = writable_patient(self._access, session, patient_id)
            kind, status, detail = self._clean_action(session, data)
            now = self._clock()
            row = SocialAction(
                patient_id=patient_id,
                owner_id=actor.user_id,
                status=str(status),
                due_on=data.due_on,
                remind_on=data.remind_on,
                created_at=now,
                updated_at=now,
                done_at=now if status in CLOSED_STATUSES else None,
            )
            session.add(row)
            session.flush()
            row.detail = self._seal_detail(actor, row, detail)
            SOCIAL_ACTION.write(
                self._codec, actor, row, {"kind": str(kind), "partner_id": data.partner_id}
            )
            mark_activity(session, patient.id, now)
            session.flush()
            # never the kind in the audit: it tells the patient's situation
            self._access.audit(session, actor, AuditAction.CREATE, row, str(status))
            return self._views(session, actor, [row])[0]

        return self._access.run(actor, work)

    def update(
        self,
        actor: Actor,
        action_id: int,
        data: SocialActionInput,
        *,
        expected_version: int,
    ) -> SocialActionView:
        """Change an action (status, dates, partner, detail). A new date brings its reminder
        back to the inbox. Someone else's change since: :class:`ConflictError`."""
        patient_id = self._access.patient_of(action_id)
        self._access.require(actor, Action.WRITE, AuditAction.UPDATE, patient_id, action_id)

        def work(session: Session) -> SocialActionView:
            row = session.get(SocialAction, action_id)
            if row is None:
                raise NotFound(_("Cette démarche n'existe plus."))
            patient = writable_patient(self._access, session, row.patient_id)
            if row.version != expected_version:
                theirs = self._views(session, actor, [row])[0]
                raise Conflict(
                    ConflictError(
                        _("Cette démarche"),
                        mine=data,
                        theirs=theirs,
                        theirs_at=theirs.updated_at,
                        extra={"action": theirs},
                    ),
                    patient_id=row.patient_id,
                    compartment=Compartment.SOCIAL,
                    object_type="social_action",
                    object_id=row.id,
                )
            kind, status, detail = self._clean_action(session, data)
            previous = row.status
            now = self._clock()
            SOCIAL_ACTION.write(
                self._codec, actor, row, {"kind": str(kind), "partner_id": data.partner_id}
            )
            row.status = str(status)
            row.due_on = data.due_on
            row.remind_on = data.remind_on
            row.detail = self._seal_detail(actor, row, detail)
            row.updated_at = now
            if status in CLOSED_STATUSES and row.done_at is None:
                row.done_at = now
            elif status not in CLOSED_STATUSES:
                row.done_at = None
            mark_activity(session, patient.id, now)
            session.flush()
            self._access.audit(
                session,
                actor,
                AuditAction.UPDATE,
                row,
                f"{previous} → {status}" if previous != str(status) else "",
            )
            return self._views(session, actor, [row])[0]

        return self._access.run(actor, work)

    def set_status(
        self,
        actor: Actor,
        action_id: int,
        status: ActionStatus | str,
        *,
        expected_version: int,
    ) -> SocialActionView:
        """Only the status changes (e.g. « Terminée »)."""
        patient_id = self._access.patient_of(action_id)
        self._access.require(actor, Action.WRITE, AuditAction.UPDATE, patient_id, action_id)
        with self._db.session(write=False) as session:
            row = session.get(SocialAction, action_id)
            if row is None:
                raise NotFound(_("Cette démarche n'existe plus."))
            current = self._views(session, actor, [row])[0]
        return self.update(
            actor,
            action_id,
            SocialActionInput(
                current.kind,
                current.partner_id,
                status,
                current.due_on,
                current.remind_on,
                current.detail,
            ),
            expected_version=expected_version,
        )

    # ---- inbox source -------------------------------------------------------------------
    @staticmethod
    def _trigger(row: Any, today: date) -> tuple[str, date] | None:
        """The latest date that brought this action to the inbox (kind, date), if any."""
        if ActionStatus(row.status) in CLOSED_STATUSES:
            return None
        found: list[tuple[date, str]] = []
        if row.due_on is not None and row.due_on < today:
            found.append((date.fromordinal(row.due_on.toordinal() + 1), "social_action_overdue"))
        if row.remind_on is not None and row.remind_on <= today:
            found.append((row.remind_on, "social_action_reminder"))
        if not found:
            return None
        day, kind = max(found)
        return kind, day

    def _due(self, actor: Actor, today: date) -> list:
        """The conditions of the actor's actions that may be in the inbox today."""
        closed = [str(s) for s in CLOSED_STATUSES]
        return [
            SocialAction.owner_id == actor.user_id,
            SocialAction.status.not_in(closed),
            or_(SocialAction.due_on < today, SocialAction.remind_on <= today),
        ]

    def inbox_unread_count(self, actor: Actor, *, session: Session | None = None) -> int:
        """The actor's unread items (:meth:`inbox_items`), counted from their dates alone:
        nothing unsealed, no name read."""
        if not self._access.may_read(actor):
            return 0
        today = clinic_today(self._clock)
        with source_session(self._db, session) as unit:
            rows = unit.execute(
                select(
                    SocialAction.status,
                    SocialAction.due_on,
                    SocialAction.remind_on,
                    SocialAction.reminder_seen_at,
                )
                .where(*self._due(actor, today))
                .limit(MAX_HISTORY)
            ).all()
        unread = 0
        for row in rows:
            trigger = self._trigger(row, today)
            if trigger is not None:
                unread += not reminder_is_read(row.reminder_seen_at, start_of_day(trigger[1]))
        return unread

    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """The actor's overdue actions and reminders whose date has come. Read (marked
        seen) until the next date comes. Text: the kind label and the date, nothing else."""
        if not self._access.may_read(actor):
            return []
        today = clinic_today(self._clock)
        with source_session(self._db, session) as unit:
            rows = unit.execute(
                select(
                    SocialAction,
                    Patient.birth_name,
                    Patient.used_name,
                    Patient.first_names,
                    Patient.sex,
                    Patient.birth_date,
                )
                .join(Patient, Patient.id == SocialAction.patient_id)
                .where(*self._due(actor, today))
                .limit(MAX_HISTORY)
            ).all()
        items = []
        for row, birth, used, first, sex, born in rows:
            trigger = self._trigger(row, today)
            if trigger is None:
                continue
            kind, day = trigger
            try:
                code = SOCIAL_ACTION.read(self._codec, actor, row)["kind"]
                label = ACTION_KIND_LABELS[ActionKind(code)]
            except (RelaisError, ValueError):
                label = _("Démarche")
            if kind == "social_action_overdue":
                text = _("{label} : échéance du {due_on} dépassée.").format(
                    label=label, due_on=fmt_date(row.due_on)
                )
            else:
                text = _("{label} : rappel du {remind_on}.").format(
                    label=label, remind_on=fmt_date(row.remind_on)
                )
            items.append(
                reminder_item(
                    SOURCE,
                    row.id,
                    kind,
                    text,
                    since=start_of_day(day),
                    seen_at=row.reminder_seen_at,
                    patient_id=row.patient_id,
                    patient_name=PatientSummary(
                        row.patient_id, birth, used, first, Sex(sex), born, None, ""
                    ).display_name,
                )
            )
        return items

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """Record that the owner saw the reminder (the action's version does not change)."""
        return mark_reminder_seen(self._db, SocialAction.owner_id, item_id, actor, self._clock())
