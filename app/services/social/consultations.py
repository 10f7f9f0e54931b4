"""The social worker's own records of her consultations: the structured social assessment, kept
as a history of versions, and the action plan (*démarches*) with its reminders.

- Social worker only (``Resource.SOCIAL``): every other role is refused, the refusal audited,
  nothing written. Reading is audited (patient, compartment social), never the content.
- The assessment is one JSON document per saved version, sealed in the social compartment
  through the content codec and bound to its patient and row (``assessment_context``); a saved
  version is never changed: saving appends one, the form opens on the latest, and two
  versions are compared section by section in French (``changes``). Someone else's save
  since the form was opened is a :class:`ConflictError` (``based_on``).
- An action's kind, status and dates are plain columns (reminders need them); its detail is
  sealed. Overdue actions (due date passed) and reminders whose date has come appear in their
  owner's inbox (an inbox source: :meth:`inbox_items`, :meth:`mark_item_read`); the item's
  text is the kind label and the date, nothing else.
- Free notes are the social notes of ``NoteService``: no second notes system here.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.clock import Clock
from app.models.db import Database
from app.models.enums import Compartment
from app.models.social import SocialAction, SocialAssessment
from app.services.audit.writer import AuditWriter
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.feature_access import FeatureAccess
from app.services.kernel.policy import Resource
from app.services.security.codec import ContentCodec
from app.services.social.action_plan import SOURCE, ActionPlan, action_context
from app.services.social.assessments import Assessments, assessment_context
from app.services.social.records import (
    ActionStatus,
    AssessmentInput,
    AssessmentVersion,
    AssessmentView,
    SectionChange,
    SocialActionInput,
    SocialActionView,
    may_consult,
)

__all__ = ["REFUSED", "SOURCE", "ConsultationService", "action_context", "assessment_context"]

REFUSED = "Le suivi social (évaluation, démarches) est réservé à l'assistante sociale."


def _access(db: Database, audit: AuditWriter, model: type, object_type: str) -> FeatureAccess:
    return FeatureAccess(
        db,
        audit,
        resource=Resource.SOCIAL,
        model=model,
        object_type=object_type,
        read_refused=REFUSED,
        write_refused=REFUSED,
        compartment=Compartment.SOCIAL,
        refusal_detail="réservé à l'assistante sociale",
    )


class ConsultationService:
    """The social worker's assessments and action plan: two collaborators behind one service."""

    def __init__(self, db: Database, audit: AuditWriter, codec: ContentCodec, clock: Clock):
        assessments = _access(db, audit, SocialAssessment, "social_assessment")
        actions = _access(db, audit, SocialAction, "social_action")
        self._assessments = Assessments(db, audit, codec, clock, assessments)
        self._actions = ActionPlan(db, audit, codec, clock, actions)

    # ---- gate ---------------------------------------------------------------------------
    @staticmethod
    def can_consult(actor: Actor) -> bool:
        """The consultation screen and the « Suivi social » tab: the social worker only."""
        return may_consult(actor)

    # ---- assessment (``assessments``) ------------------------------------------------------
    def assessment(self, actor: Actor, patient_id: int) -> AssessmentView | None:
        """The latest version (None when the patient has none yet)."""
        return self._assessments.assessment(actor, patient_id)

    def history(self, actor: Actor, patient_id: int) -> list[AssessmentVersion]:
        """Every saved version, newest first (date, author; no content)."""
        return self._assessments.history(actor, patient_id)

    def version(self, actor: Actor, assessment_id: int) -> AssessmentView:
        """One version with its content."""
        return self._assessments.version(actor, assessment_id)

    def changes(self, actor: Actor, assessment_id: int) -> list[SectionChange]:
        """What this version changed from the one before (the first: everything filled in)."""
        return self._assessments.changes(actor, assessment_id)

    def save_assessment(
        self,
        actor: Actor,
        patient_id: int,
        data: AssessmentInput,
        *,
        based_on: int | None,
        appointment_id: int | None = None,
    ) -> AssessmentView:
        """Append a version (a conflict if someone saved since ``based_on``)."""
        return self._assessments.save(
            actor, patient_id, data, based_on=based_on, appointment_id=appointment_id
        )

    # ---- action plan (``action_plan``) -------------------------------------------------------
    def actions(
        self, actor: Actor, patient_id: int, *, include_closed: bool = True
    ) -> list[SocialActionView]:
        """The patient's action plan: open actions first (by due date), then closed ones."""
        return self._actions.actions(actor, patient_id, include_closed=include_closed)

    def add_action(
        self, actor: Actor, patient_id: int, data: SocialActionInput
    ) -> SocialActionView:
        """A new action, owned by the actor (its reminders go to her inbox)."""
        return self._actions.add(actor, patient_id, data)

    def update_action(
        self, actor: Actor, action_id: int, data: SocialActionInput, *, expected_version: int
    ) -> SocialActionView:
        """Change an action; someone else's change since is a conflict."""
        return self._actions.update(actor, action_id, data, expected_version=expected_version)

    def set_action_status(
        self, actor: Actor, action_id: int, status: ActionStatus | str, *, expected_version: int
    ) -> SocialActionView:
        """Only the status changes (e.g. « Terminée »)."""
        return self._actions.set_status(actor, action_id, status, expected_version=expected_version)

    # ---- inbox source ---------------------------------------------------------------------
    def inbox_items(self, actor: Actor, *, session: Session | None = None) -> list[InboxItem]:
        """The actor's overdue actions and reminders whose date has come."""
        return self._actions.inbox_items(actor, session=session)

    def inbox_unread_count(self, actor: Actor, *, session: Session | None = None) -> int:
        """How many of them are unread (nothing unsealed to count them)."""
        return self._actions.inbox_unread_count(actor, session=session)

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """Record that the owner saw the reminder (the action's version does not change)."""
        return self._actions.mark_item_read(actor, item_id)
