"""The patient file screen's own questions: what the actor may do in a file (its tabs and
buttons), and the file's history one page at a time."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import AuditEntry, User
from app.models.db import Database
from app.models.enums import AuditOutcome, Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import ACTION_LABELS, AuditAction
from app.services.kernel.guard import Guard
from app.services.kernel.policy import (
    Action,
    Resource,
    Scope,
    readable_compartments,
    scope_of,
    writable_compartments,
)
from app.services.kernel.records import Page
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.records import (
    HISTORY_OBJECT_LABELS,
    HistoryItem,
    PatientFileCapabilities,
    PatientRecord,
)

HISTORY_PAGE = 100  # history rows per page
HISTORY_ACTIONS = (AuditAction.CREATE, AuditAction.UPDATE)


class PatientFileService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        exceptional: ExceptionalAccessService,
    ) -> None:
        self._db = db
        self._exceptional = exceptional
        self._guard = Guard(db, audit)

    # ---- what the actor may do ------------------------------------------------------------
    def capabilities(self, actor: Actor, record: PatientRecord) -> PatientFileCapabilities:
        """The tabs and buttons of ``record``'s file for ``actor`` (nothing audited; every
        action is checked again by its service). An archived file is read-only."""
        allows = self._guard.allows
        archived = record.archived
        referrals = allows(actor, Resource.REFERRAL, Action.READ) and (
            scope_of(actor.role, Resource.REFERRAL, Action.READ) is not Scope.AGGREGATE
        )
        return PatientFileCapabilities(
            readable=tuple(readable_compartments(actor.role)),
            writable=tuple(writable_compartments(actor.role)),
            archived=archived,
            can_refer=not archived
            and allows(actor, Resource.REFERRAL_CONTENT, Action.WRITE, is_party=True),
            can_read_consents=allows(actor, Resource.CONSENT, Action.READ),
            can_read_referrals=referrals,
            can_read_home_care=allows(actor, Resource.HOME_CARE, Action.READ),
            can_read_appointments=allows(actor, Resource.APPOINTMENT, Action.READ),
            can_access_report=allows(actor, Resource.AUDIT, Action.READ),
            can_export=allows(actor, Resource.ADMINISTRATIVE, Action.READ),
            exceptional_offered=tuple(self._exceptional.offered(actor)),
        )

    # ---- history --------------------------------------------------------------------------
    def history_page(
        self, actor: Actor, patient_id: int, *, offset: int = 0, limit: int = HISTORY_PAGE
    ) -> Page[HistoryItem]:
        """Changes to the file, newest first, limited to the compartments the actor's role
        may read; counted and sorted in SQL, ``limit`` rows from ``offset``."""
        self._guard.require(
            actor,
            Resource.ADMINISTRATIVE,
            Action.READ,
            AuditAction.READ,
            message=_("Votre rôle ne permet pas de lire ce dossier."),
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="patient",
            object_id=patient_id,
        )
        where = history_filter(actor, patient_id)
        offset = max(0, offset)
        with self._db.session(write=False) as session:
            total = int(
                session.scalar(select(func.count()).select_from(AuditEntry).where(*where)) or 0
            )
            items = history_rows(session, where, offset, limit) if total > offset else []
        return Page(items, total, offset)


def history_filter(actor: Actor, patient_id: int) -> tuple:
    """The audit entries of a file's history: its successful creations and changes, in the
    compartments the actor's role may read."""
    readable = [str(c) for c in readable_compartments(actor.role)]
    return (
        AuditEntry.patient_id == patient_id,
        AuditEntry.outcome == str(AuditOutcome.OK),
        AuditEntry.action.in_(HISTORY_ACTIONS),
        AuditEntry.compartment.in_(readable),
    )


def history_rows(session: Session, where, offset: int, limit: int) -> list[HistoryItem]:
    """``limit`` items of a file's history (``where``: :func:`history_filter`) from ``offset``,
    newest first, with the names of who acted."""
    rows = session.execute(
        select(AuditEntry, User.first_name, User.last_name)
        .outerjoin(User, User.id == AuditEntry.user_id)
        .where(*where)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .offset(offset)
        .limit(limit)
    ).all()
    return [
        HistoryItem(
            at=e.at,
            who=f"{first} {last}" if first is not None else e.username,
            role=e.role,
            action=e.action,
            action_label=ACTION_LABELS.get(e.action) or _("Modification"),
            compartment=e.compartment,
            object_type=e.object_type,
            object_label=HISTORY_OBJECT_LABELS.get(e.object_type or "") or "",
        )
        for e, first, last in rows
    ]
