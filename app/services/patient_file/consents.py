"""The patient's word on sharing (DESIGN.md §4): consent, refusal and withdrawal, per scope.

Every decision is a new row (the history is never overwritten); the current consent for a
(patient, scope, partner) is the latest recorded row. A refusal is recorded as such: it is data
(one of the brakes the Rouen study measured), not missing data. Withdrawal takes effect at once:
every service asks :func:`consent_active` inside its own unit of work (liaison notes, referrals),
and the callbacks of ``ConsentService.on_withdrawal`` run in the very unit of work that records a
withdrawal or a refusal (e.g. cancelling referrals sent but not yet received).

Recording is audited (``consent_record``); reading the consent is administrative and not audited
(the patient file is already audited when opened).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from functools import lru_cache

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _
from app.models import Consent, Document, Partner, Patient, User
from app.models.db import Database
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.services.kernel.guard import Guard
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.timefmt import local
from app.services.kernel.validation import parse_date_fr
from app.services.patient_file.records import (
    CONSENT_METHOD_LABELS,
    CONSENT_SCOPE_LABELS,
    CONSENT_STATUS_LABELS,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentStatus,
    ConsentSummary,
)

WRITE_REFUSED = "Votre rôle ne permet pas d'enregistrer le consentement du patient."
READ_REFUSED = "Votre rôle ne permet pas de consulter le consentement du patient."
ARCHIVED = N_("Ce dossier est archivé : il ne peut plus être modifié.")

# (session, actor, patient_id, scope, partner_id) -> None; runs inside the recording unit of
# work whenever a record leaves the scope without active consent (withdrawn or refused).
WithdrawalHook = Callable[[Session, Actor, int, ConsentScope, "int | None"], None]


def _latest(session: Session, patient_id: int, scope: ConsentScope, partner_id: int | None):
    params = {"patient": patient_id, "scope": str(scope), "partner": partner_id}
    # A decision recorded a moment ago in the same unit of work is seen (flushed first, as
    # the session's autoflush would), then a plain Core execution.
    if session.new or session.deleted or session.dirty:
        session.flush()
    return session.connection().execute(_latest_statement(partner_id is None), params).scalar()


def _latest_of(scope, partner):
    """The latest decision's status for the parameter ``patient``: one row at most."""
    query = select(Consent.status).where(
        Consent.patient_id == bindparam("patient"), Consent.scope == scope, partner
    )
    return query.order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1)


@lru_cache(maxsize=2)
def _latest_statement(no_partner: bool):
    """The latest decision's status, built once (a file opening builds no statement)."""
    partner = Consent.partner_id
    return _latest_of(
        bindparam("scope"), partner.is_(None) if no_partner else partner == bindparam("partner")
    )


def consent_clause(scope: ConsentScope):
    """:func:`consent_active` as a condition of another statement, for its parameter
    ``patient``: a read that the patient's consent guards (a page of liaison notes) asks it in
    its own statement, one round trip fewer on a clinic's network. Never asked (no row) is
    not active. Not for the ``partner`` scope, which needs a partner."""
    scope = ConsentScope(scope)
    if scope is ConsentScope.PARTNER:
        raise ValueError("consent_clause: the partner scope needs a partner")
    latest = _latest_of(str(scope), Consent.partner_id.is_(None))
    return latest.scalar_subquery() == str(ConsentStatus.GIVEN)


def consent_active(
    session: Session,
    patient_id: int,
    scope: ConsentScope | str,
    partner_id: int | None = None,
) -> bool:
    """True when the latest decision of the patient for this scope (and partner) is "given".

    For other services, inside their own unit of work (so that a withdrawal recorded a moment
    ago is seen at once). A ``partner`` scope without ``partner_id`` is never active.
    """
    scope = ConsentScope(scope)
    if scope is ConsentScope.PARTNER and partner_id is None:
        return False
    return _latest(session, patient_id, scope, partner_id) == str(ConsentStatus.GIVEN)


def add_consent(
    session: Session,
    audit: AuditWriter,
    actor: Actor,
    patient_id: int,
    decision: tuple[ConsentScope, ConsentStatus, ConsentMethod],
    *,
    now: datetime,
    decided_on: date,
    partner_id: int | None = None,
    document_id: int | None = None,
    why: str = "",
) -> Consent:
    """The patient's decision (scope, status, method) added to the consent history, recorded
    at ``now``, and its audit entry (« why » after the decision), in the caller's unit of work; the
    checks are the caller's."""
    scope, status, method = decision
    row = Consent(
        patient_id=patient_id,
        scope=str(scope),
        partner_id=partner_id,
        status=str(status),
        decided_on=decided_on,
        method=str(method),
        document_id=document_id,
        recorded_by_id=actor.user_id,
        recorded_at=now,
    )
    session.add(row)
    session.flush()
    audit.add(
        session,
        actor,
        AuditAction.CONSENT_RECORD,
        patient_id=patient_id,
        compartment=Compartment.ADMINISTRATIVE,
        object_type="consent",
        object_id=row.id,
        detail=(  # in words, as the consent panel says it (never the codes)
            f"{CONSENT_SCOPE_LABELS[scope]} : {CONSENT_STATUS_LABELS[status].lower()} "
            f"({CONSENT_METHOD_LABELS[method].lower()}){why}"
        ),
    )
    return row


def _parse_decided_on(value: date | str | None, today: date) -> date:
    if value is None or (isinstance(value, str) and not value.strip()):
        return today
    if isinstance(value, str):
        parsed = parse_date_fr(value)
        if parsed is None:
            raise ValidationError(
                {"decided_on": _("La date n'existe pas ou n'est pas au format jj/mm/aaaa.")}
            )
        value = parsed
    if value > today:
        raise ValidationError({"decided_on": _("La date de la décision ne peut pas être future.")})
    return value


def _decision(
    scope: ConsentScope | str,
    status: ConsentStatus | str,
    method: ConsentMethod | str,
    partner_id: int | None,
    document_id: int | None,
) -> tuple[ConsentScope, ConsentStatus, ConsentMethod]:
    """The decision's codes, checked together (French messages)."""
    try:
        scope = ConsentScope(scope)
    except ValueError:
        raise ValidationError({"scope": _("Type de consentement inconnu.")}) from None
    try:
        status = ConsentStatus(status)
    except ValueError:
        raise ValidationError(
            {"status": _("La décision doit être : donné, refusé ou retiré.")}
        ) from None
    try:
        method = ConsentMethod(method)
    except ValueError:
        raise ValidationError(
            {"method": _("Le recueil doit être oral ou par formulaire signé.")}
        ) from None
    errors: dict[str, str] = {}
    if scope is ConsentScope.PARTNER and partner_id is None:
        errors["partner_id"] = _("Choisissez le partenaire concerné par ce consentement.")
    if scope is not ConsentScope.PARTNER and partner_id is not None:
        errors["partner_id"] = _("Ce consentement ne concerne pas un partenaire en particulier.")
    if document_id is not None and method is not ConsentMethod.SIGNED_FORM:
        errors["document_id"] = _(
            "Un formulaire imprimé ne peut être joint qu'à un consentement par formulaire signé."
        )
    if errors:
        raise ValidationError(errors)
    return scope, status, method


def _check_links(
    session: Session,
    patient_id: int,
    status: ConsentStatus,
    partner_id: int | None,
    document_id: int | None,
) -> None:
    """The partner exists (and is active for a consent given); the form is this patient's."""
    if partner_id is not None:
        partner = session.get(Partner, partner_id)
        if partner is None:
            raise ValidationError({"partner_id": _("Ce partenaire n'existe pas.")})
        if not partner.active and status is ConsentStatus.GIVEN:
            raise ValidationError({"partner_id": _("Ce partenaire est désactivé dans l'annuaire.")})
    if document_id is not None:
        document = session.get(Document, document_id)
        if document is None or document.patient_id != patient_id:
            raise ValidationError(
                {"document_id": _("Ce formulaire imprimé n'appartient pas à ce patient.")}
            )


class ConsentService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._guard = Guard(db, audit)
        self.on_withdrawal: list[WithdrawalHook] = []

    # ---- helpers ------------------------------------------------------------------------
    def can_read(self, actor: Actor) -> bool:
        return self._guard.allows(actor, Resource.CONSENT, Action.READ)

    def can_write(self, actor: Actor) -> bool:
        """Whether the actor records the patient's decisions (the views show the buttons)."""
        return self._guard.allows(actor, Resource.CONSENT, Action.WRITE)

    def _require(self, actor: Actor, action: Action, patient_id: int) -> None:
        writing = action is Action.WRITE
        self._guard.require(
            actor,
            Resource.CONSENT,
            action,
            AuditAction.CONSENT_RECORD if writing else AuditAction.READ,
            message=WRITE_REFUSED if writing else READ_REFUSED,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="consent",
        )

    @staticmethod
    def _records(session: Session, rows: list[Consent]) -> list[ConsentRecord]:
        users: dict[int, str] = {}
        partners: dict[int, str] = {}
        out = []
        for row in rows:
            who = "Administration (relais-admin)"
            if row.recorded_by_id is not None:
                if row.recorded_by_id not in users:
                    user = session.get(User, row.recorded_by_id)
                    users[row.recorded_by_id] = user.display_name if user else "?"
                who = users[row.recorded_by_id]
            partner_name = ""
            if row.partner_id is not None:
                if row.partner_id not in partners:
                    partner = session.get(Partner, row.partner_id)
                    partners[row.partner_id] = partner.name if partner else "?"
                partner_name = partners[row.partner_id]
            out.append(
                ConsentRecord(
                    id=row.id,
                    patient_id=row.patient_id,
                    scope=ConsentScope(row.scope),
                    partner_id=row.partner_id,
                    partner_name=partner_name,
                    status=ConsentStatus(row.status),
                    decided_on=row.decided_on,
                    method=ConsentMethod(row.method),
                    document_id=row.document_id,
                    recorded_by_name=who,
                    recorded_at=row.recorded_at,
                )
            )
        return out

    @staticmethod
    def _patient(session: Session, patient_id: int) -> Patient:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        return patient

    # ---- write --------------------------------------------------------------------------
    def record(
        self,
        actor: Actor,
        patient_id: int,
        scope: ConsentScope | str,
        status: ConsentStatus | str,
        *,
        method: ConsentMethod | str = ConsentMethod.ORAL,
        decided_on: date | str | None = None,
        partner_id: int | None = None,
        document_id: int | None = None,
    ) -> ConsentRecord:
        """Record the patient's decision (given, refused or withdrawn) and return it.

        ``decided_on``: the day the patient decided (``date`` or ``jj/mm/aaaa``; today when
        omitted), never in the future. ``partner_id`` is required for the ``partner`` scope and
        refused for the others. ``document_id`` (the printed consent form of this patient) only
        with ``signed_form``. A withdrawal needs a consent currently given.
        """
        self._require(actor, Action.WRITE, patient_id)
        scope, status, method = _decision(scope, status, method, partner_id, document_id)
        now = self._clock()
        decided = _parse_decided_on(decided_on, local(now).date())
        with self._db.session() as session:
            patient = self._patient(session, patient_id)
            if patient.archived_at is not None:
                raise PermissionDenied(_(ARCHIVED))
            _check_links(session, patient_id, status, partner_id, document_id)
            was_active = consent_active(session, patient_id, scope, partner_id)
            if status is ConsentStatus.WITHDRAWN and not was_active:
                raise ValidationError(
                    {
                        "status": _(
                            "Aucun consentement donné n'est en cours pour ce partage : il "
                            "n'y a rien à retirer (enregistrez plutôt un refus)."
                        )
                    }
                )
            row = add_consent(
                session,
                self._audit,
                actor,
                patient_id,
                (scope, status, method),
                now=now,
                decided_on=decided,
                partner_id=partner_id,
                document_id=document_id,
            )
            mark_activity(session, patient.id, now)
            if status is not ConsentStatus.GIVEN:
                for hook in self.on_withdrawal:
                    hook(session, actor, patient_id, scope, partner_id)
            return self._records(session, [row])[0]

    # ---- read ---------------------------------------------------------------------------
    def history(self, actor: Actor, patient_id: int) -> list[ConsentRecord]:
        """Every decision of the patient, newest first."""
        self._require(actor, Action.READ, patient_id)
        with self._db.session(write=False) as session:
            self._patient(session, patient_id)
            rows = list(
                session.scalars(
                    select(Consent)
                    .where(Consent.patient_id == patient_id)
                    .order_by(Consent.recorded_at.desc(), Consent.id.desc())
                )
            )
            return self._records(session, rows)

    def current(self, actor: Actor, patient_id: int) -> ConsentSummary:
        """The current decision per scope (and partner): what the patient file shows."""
        records = self.history(actor, patient_id)
        seen: set[tuple[ConsentScope, int | None]] = set()
        current = []
        for record in records:
            key = (record.scope, record.partner_id)
            if key not in seen:
                seen.add(key)
                current.append(record)
        order = list(ConsentScope)
        current.sort(key=lambda r: (order.index(r.scope), r.partner_name, r.partner_id or 0))
        return ConsentSummary(patient_id, current)
