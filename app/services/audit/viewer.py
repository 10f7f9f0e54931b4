"""The coordinator's audit viewer: search the trail, verify the chain, export its head.

Every call needs read access to ``Resource.AUDIT`` (coordination only); a refusal raises
``PermissionDenied`` and is itself audited. Looking at the trail is recorded too: the first
page of each search (written *before* the page is read, so that later pages at larger offsets
stay aligned), every verification and every export of the chain head.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import CLINIC_TZ
from app.i18n import N_, _
from app.models import AuditEntry, AuditHead, Patient, User
from app.models.db import Database
from app.models.enums import AuditOutcome
from app.services.audit import chain as audit_chain
from app.services.audit.anchor import read_stored_head
from app.services.audit.records import AuditPage, VerifyReport
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import ACTION_LABELS, AuditAction
from app.services.kernel.errors import PermissionDenied, ValidationError
from app.services.kernel.guard import Guard
from app.services.kernel.patient_rows import display_name_of, name_columns
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line

MAX_PAGE = 1000
NO_AUDIT_KEY = N_(
    "La clé d'audit est introuvable sur ce poste (trousseau du système ou variable "
    "RELAIS_AUDIT_KEY) : le journal ne peut pas être vérifié. Saisissez la clé d'audit notée "
    "à l'installation, ou vérifiez le journal sur un poste qui la possède."
)
REFUSED = "Seule la coordination peut consulter le journal d'audit."


def local_day_start(day: date) -> datetime:
    """The UTC instant at which a clinic-local calendar day begins."""
    return datetime.combine(day, time.min, tzinfo=CLINIC_TZ).astimezone(UTC)


class AuditLogService:
    def __init__(self, db: Database, audit: AuditWriter) -> None:
        self._db = db
        self._audit = audit
        self._guard = Guard(db, audit)

    def _require(self, actor: Actor, action: str) -> None:
        self._guard.require(
            actor, Resource.AUDIT, Action.READ, action, message=REFUSED, object_type="audit"
        )

    # ---- filters ------------------------------------------------------------------------
    @staticmethod
    def actions() -> list[tuple[str, str]]:
        """(code, French label) of every known action, sorted by label (filter combo)."""
        return sorted(ACTION_LABELS.items(), key=lambda item: item[1].casefold())

    def users(self, actor: Actor) -> list[tuple[int, str]]:
        """(id, name) of every account, disabled ones included (user filter)."""
        self._require(actor, AuditAction.AUDIT_SEARCH)
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(User.id, User.first_name, User.last_name, User.username).order_by(
                    User.last_name, User.first_name, User.id
                )
            ).all()
        return [(r.id, f"{r.first_name} {r.last_name}".strip() or r.username) for r in rows]

    # ---- search -------------------------------------------------------------------------
    def search(
        self,
        actor: Actor,
        *,
        user_id: int | None = None,
        patient_id: int | None = None,
        action: str | None = None,
        date_from: date | None = None,
        date_to: date | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> AuditPage:
        """Entries matching every given filter, newest first. Dates are clinic-local calendar
        days, both included."""
        self._require(actor, AuditAction.AUDIT_SEARCH)
        if date_from and date_to and date_from > date_to:
            raise ValidationError({"date_to": _("La date de fin précède la date de début.")})
        limit = max(1, min(limit, MAX_PAGE))
        offset = max(0, offset)
        query = select(AuditEntry)
        if user_id is not None:
            query = query.where(AuditEntry.user_id == user_id)
        if patient_id is not None:
            query = query.where(AuditEntry.patient_id == patient_id)
        if action:
            action = clean_line(action)  # a code from ``actions()``; anything else finds nothing
            query = query.where(AuditEntry.action == action)
        if date_from is not None:
            query = query.where(AuditEntry.at >= local_day_start(date_from))
        if date_to is not None:
            query = query.where(AuditEntry.at < local_day_start(date_to + timedelta(days=1)))
        query = query.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        with self._db.session() as session:
            if offset == 0:
                self._audit.add(
                    session,
                    actor,
                    AuditAction.AUDIT_SEARCH,
                    patient_id=patient_id,
                    object_type="audit",
                    detail=_filters(user_id, action, date_from, date_to),
                )
                session.flush()
            rows = list(session.scalars(query.limit(limit + 1).offset(offset)))
            names = _patient_names(session, {e.patient_id for e in rows[:limit]})
            records = [
                replace(self._audit.to_record(e), patient_name=names.get(e.patient_id, ""))
                for e in rows[:limit]
            ]
        return AuditPage(records, len(rows) > limit)

    # ---- chain --------------------------------------------------------------------------
    def verify(
        self,
        actor: Actor,
        *,
        expected_head: str | None = None,
        progress: Callable[[int], None] | None = None,
    ) -> VerifyReport:
        """Walk the whole chain with this workstation's audit key (see ``audit_chain``)."""
        self._require(actor, AuditAction.AUDIT_VERIFY)
        key = self._audit.key
        if key is None:
            self._audit.record(
                actor,
                AuditAction.AUDIT_VERIFY,
                outcome=AuditOutcome.FAILED,
                object_type="audit",
                detail="clé d'audit absente",
            )
            raise PermissionDenied(_(NO_AUDIT_KEY))
        expected = (expected_head or "").strip().lower() or None
        with self._db.engine.connect() as conn:
            report = audit_chain.verify(
                conn,
                key,
                expected_head=expected,
                kept=read_stored_head(conn),
                progress=progress,
            )
        self._audit.record(
            actor,
            AuditAction.AUDIT_VERIFY,
            outcome=AuditOutcome.OK if report.ok else AuditOutcome.FAILED,
            object_type="audit",
            detail=(
                f"{report.checked} entrées vérifiées"
                if report.ok
                else f"altération à l'entrée n° {report.first_bad_seq}"
            ),
        )
        return report

    def head(self, actor: Actor) -> str:
        """The latest chain MAC, to write down or keep elsewhere (detects a later truncation
        or replacement of the trail when given back to ``verify``)."""
        self._require(actor, AuditAction.AUDIT_HEAD)
        if self._audit.key is None:
            raise PermissionDenied(_(NO_AUDIT_KEY))
        with self._db.session() as session:
            # The entry recording this export comes first: the head returned covers it.
            self._audit.add(session, actor, AuditAction.AUDIT_HEAD, object_type="audit")
            session.flush()
            return str(session.scalar(select(AuditHead.mac).where(AuditHead.id == 1)))


def _filters(
    user_id: int | None, action: str | None, date_from: date | None, date_to: date | None
) -> str:
    parts = []
    if user_id is not None:
        parts.append(f"utilisateur {user_id}")
    if action:
        parts.append(f"action {action}")
    if date_from:
        parts.append(f"du {date_from:%d/%m/%Y}")
    if date_to:
        parts.append(f"au {date_to:%d/%m/%Y}")
    return ", ".join(parts)


def _patient_names(session: Session, ids: set[int | None]) -> dict[int, str]:
    """The display names of the page's patients, in one statement (a purged file: none)."""
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = session.execute(select(*name_columns()).where(Patient.id.in_(wanted))).all()
    return {r.id: display_name_of(r) for r in rows}
