"""The one guard every service call goes through (DESIGN.md §3, §8).

- :meth:`Guard.require` asks the policy table; a refusal is audited (outcome « refused », in a
  unit of work of its own) and raised as :class:`~app.services.kernel.errors.PermissionDenied`
  with a French message. Nothing else is written.
- :meth:`Guard.run` runs ``work(session)`` in one unit of work, committed whole or not at all.
  Inside it, ``work`` raises :class:`Refusal` for a refusal found on the data (an archived file,
  not the sender…) and :class:`Conflict` for a record someone else saved meanwhile: the unit of
  work is rolled back first, then the refusal (or the conflict, action ``conflict``) is audited
  alone, then the French error is raised. No service commits half-way.

The guard knows the audit writer only through :class:`AuditTrail`, so that the kernel (and
``security``, which audits key grants) stays below ``audit`` in the layers.
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Protocol, TypeVar

from sqlalchemy.orm import Session

from app.models.db import Database
from app.models.enums import Compartment
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, PermissionDenied, RelaisError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.unit_of_work import GuardedDatabase

T = TypeVar("T")
DETAIL_LENGTH = 120


class AuditTrail(Protocol):
    """What the guard (and the key service) needs of ``app.services.audit.writer.AuditWriter``."""

    def add(self, session: Session, actor: Actor | None, action: str, **fields) -> None: ...
    def record(self, actor: Actor | None, action: str, **fields) -> None: ...
    def refused(self, actor: Actor, action: str, **fields) -> None: ...


class Refusal(Exception):
    """Raised inside :meth:`Guard.run`: audited once the unit of work is rolled back, then
    ``error`` (a ``PermissionDenied`` for a plain message) is raised."""

    def __init__(
        self,
        error: RelaisError | str,
        action: str,
        *,
        patient_id: int | None = None,
        compartment: Compartment | str | None = None,
        object_type: str | None = None,
        object_id: int | None = None,
        detail: str | None = None,
    ) -> None:
        self.error = PermissionDenied(error) if isinstance(error, str) else error
        super().__init__(self.error.message)
        self.action = action
        self.where = {
            "patient_id": patient_id,
            "compartment": compartment,
            "object_type": object_type,
            "object_id": object_id,
        }
        self.detail = self.error.message if detail is None else detail


class Conflict(Exception):
    """Raised inside :meth:`Guard.run` when the record moved on since the user read it: the
    unit of work is rolled back, the conflict audited, then ``error`` (both versions) raised."""

    def __init__(
        self,
        error: ConflictError,
        *,
        patient_id: int | None = None,
        compartment: Compartment | str | None = None,
        object_type: str | None = None,
        object_id: int | None = None,
    ) -> None:
        super().__init__(error.message)
        self.error = error
        self.where = {
            "patient_id": patient_id,
            "compartment": compartment,
            "object_type": object_type,
            "object_id": object_id,
        }


class Guard:
    """Policy check, audited refusal and unit of work, for one database and audit trail."""

    def __init__(self, db: Database, audit: AuditTrail) -> None:
        self._db = db
        self._audit = audit

    @staticmethod
    def allows(
        actor: Actor,
        resource: Resource | Compartment,
        action: Action,
        *,
        is_own: bool = False,
        is_party: bool = False,
    ) -> bool:
        """What the actor's role may do (the policy table; nothing audited)."""
        return policy.allows(actor.role, resource, action, is_own=is_own, is_party=is_party)

    def refuse(self, actor: Actor, refusal: Refusal) -> RelaisError:
        """Audit ``refusal`` in a unit of work of its own; the error to raise."""
        self._audit.refused(
            actor, refusal.action, detail=refusal.detail[:DETAIL_LENGTH], **refusal.where
        )
        return refusal.error

    def require(
        self,
        actor: Actor,
        resource: Resource | Compartment,
        action: Action,
        audit_action: str,
        *,
        message: str,
        patient_id: int | None = None,
        compartment: Compartment | str | None = None,
        object_type: str | None = None,
        object_id: int | None = None,
        is_own: bool = False,
        is_party: bool = False,
        detail: str | None = None,
    ) -> None:
        """Raise ``PermissionDenied(message)``, audited, unless the policy allows it."""
        if self.allows(actor, resource, action, is_own=is_own, is_party=is_party):
            return
        raise self.refuse(
            actor,
            Refusal(
                message,
                audit_action,
                patient_id=patient_id,
                compartment=compartment,
                object_type=object_type,
                object_id=object_id,
                detail=detail,
            ),
        ) from None

    def run(self, actor: Actor, work: Callable[[Session], T], *, write: bool = True) -> T:
        """``work(session)`` in one unit of work (see the module's docstring)."""
        return self._within(actor, work, lambda: self._db.session(write=write))

    def read(self, actor: Actor, work: Callable[[Session], T]) -> T:
        """``work(session)`` that only reads, and audits what it read, like :meth:`run`; inside
        a user action without a savepoint of its own (``GuardedDatabase.reading``)."""
        db = self._db
        return self._within(
            actor, work, db.reading if isinstance(db, GuardedDatabase) else db.session
        )

    def _within(
        self,
        actor: Actor,
        work: Callable[[Session], T],
        unit: Callable[[], AbstractContextManager[Session]],
    ) -> T:
        try:
            with unit() as session:
                return work(session)
        except Refusal as refusal:
            raise self.refuse(actor, refusal) from None
        except Conflict as conflict:
            self._audit.record(actor, AuditAction.CONFLICT, **conflict.where)
            raise conflict.error from None
