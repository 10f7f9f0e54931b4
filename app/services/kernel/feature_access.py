"""The guard of one kind of patient row, composed into a feature's services: the policy check
of its resource (every refusal audited, with the feature's French message), the row's patient,
archived files refused inside the unit of work, every write in one unit of work — all through
the kernel's :class:`Guard`."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from sqlalchemy import Select, select
from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import Patient
from app.models.db import Database
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound
from app.services.kernel.guard import AuditTrail, Guard, Refusal
from app.services.kernel.policy import Action, Resource

T = TypeVar("T")
ARCHIVED = N_("Ce dossier est archivé : il ne peut plus être modifié.")
NO_PATIENT = N_("Ce dossier patient n'existe pas.")


class FeatureAccess:
    """Who may read or write one kind of row (``model``, with a ``patient_id``, audited as
    ``object_type``) under ``resource``, with the feature's French refusals."""

    def __init__(
        self,
        db: Database,
        audit: AuditTrail,
        *,
        resource: Resource,
        model: type,
        object_type: str,
        read_refused: str,
        write_refused: str,
        compartment: Compartment | None = None,
        refusal_detail: str = "",
    ) -> None:
        self._db = db
        self._audit = audit
        self._guard = Guard(db, audit)
        self._resource = resource
        self._model = model
        self.object_type = object_type
        self._read_refused = read_refused
        self._write_refused = write_refused
        self._compartment = compartment
        self._refusal_detail = refusal_detail or None

    def may_read(self, actor: Actor) -> bool:
        return actor.user_id is not None and self._guard.allows(actor, self._resource, Action.READ)

    def require(
        self,
        actor: Actor,
        action: Action,
        audit_action: str,
        patient_id: int | None,
        object_id: int | None = None,
        object_type: str | None = None,
    ) -> None:
        """The policy check; a refusal is audited and raised as ``PermissionDenied``."""
        self._guard.require(
            actor,
            self._resource,
            action,
            audit_action,
            message=self._read_refused if action is Action.READ else self._write_refused,
            patient_id=patient_id,
            object_type=object_type or self.object_type,
            object_id=object_id,
            compartment=self._compartment,
            detail=self._refusal_detail,
        )

    def require_on(self, actor: Actor, action: Action, audit_action: str, object_id: int) -> None:
        """``require`` for an existing row: the refusal names the row's patient."""
        self.require(actor, action, audit_action, self.patient_of(object_id), object_id)

    def patient_of(self, object_id: int) -> int | None:
        """The patient a row belongs to (None if the row does not exist)."""
        with self._db.session(write=False) as session:
            return session.scalar(select(self._model.patient_id).where(self._model.id == object_id))

    def writable(self, patient: Patient, action: str, object_id: int | None) -> None:
        """Inside a unit of work: an archived file is refused (rolled back, then audited)."""
        if patient.archived_at is not None:
            raise Refusal(
                _(ARCHIVED),
                action,
                patient_id=patient.id,
                object_type=self.object_type,
                object_id=object_id,
                compartment=self._compartment,
            )

    def audit(
        self, session: Session, actor: Actor, action: str, row: Any, detail: str = ""
    ) -> None:
        """An audit entry about ``row`` (its patient, compartment and id), in the unit of work."""
        self._audit.add(
            session,
            actor,
            action,
            patient_id=row.patient_id,
            compartment=self._compartment,
            object_type=self.object_type,
            object_id=row.id,
            detail=detail,
        )

    def read(
        self, actor: Actor, object_id: int, not_found: str, record: Callable[[Session, Any], T]
    ) -> T:
        """One row read by ``actor``: the policy check, the row (or ``NotFound``), the audited
        read, then ``record(session, row)``."""
        self.require_on(actor, Action.READ, AuditAction.READ, object_id)
        with self._db.session() as session:
            row = session.get(self._model, object_id)
            if row is None:
                raise NotFound(not_found)
            self.audit(session, actor, AuditAction.READ, row)
            return record(session, row)

    def read_for_patient(
        self,
        actor: Actor,
        patient_id: int,
        statement: Select,
        detail: Callable[[int], str],
        records: Callable[[Session, Sequence[Any]], T],
    ) -> T:
        """The rows of one patient's file selected by ``statement``, read by ``actor``: the
        policy check, the file (or ``NotFound``), one audited read of them all (``detail`` of
        their count), then ``records(session, rows)``."""
        self.require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session() as session:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_(NO_PATIENT))
            rows = session.scalars(statement).all()
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                compartment=self._compartment,
                object_type=self.object_type,
                detail=detail(len(rows)),
            )
            return records(session, rows)

    def run(self, actor: Actor, work: Callable[[Session], T]) -> T:
        """``work(session)`` in one unit of work, through the kernel's guard."""
        return self._guard.run(actor, work)
