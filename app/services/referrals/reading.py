"""Reading referrals: the views (content for the sender and the receiver only), a patient's
list, the inbox entries and unread markers, and the aggregates (counts, delays).

``ReferralService`` (``app.services.referrals.service``) extends :class:`ReferralReader` with the
drafts and the transitions; the constants, errors and helpers both use live here.
"""

from __future__ import annotations

import json
import statistics
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, or_, select, update
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _
from app.models import Clinic, Partner, PartnerContact, Patient, Referral, User
from app.models import ReferralEvent as EventRow
from app.models.db import Database
from app.models.enums import Compartment, Sex
from app.services.audit.writer import AuditWriter
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError
from app.services.kernel.guard import Guard, Refusal
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.timefmt import aware
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentScope
from app.services.referrals.orientation_guide import FALLBACK, RULES
from app.services.referrals.records import (
    ACTION_TARGET,
    FEEDBACK_STATUSES,
    REFERRAL_REASON_LABELS,
    REFERRAL_STATUS_LABELS,
    SHARED_ITEM_LABELS,
    ReferralAction,
    ReferralDelays,
    ReferralEventView,
    ReferralInput,
    ReferralReason,
    ReferralStatus,
    ReferralSummary,
    ReferralView,
    SharedItem,
    Urgency,
    user_transition,
)
from app.services.security.codec import ContentCodec
from app.services.security.record_keys import RecordKeys, is_record_sealed

REFERRAL_SCOPE = "referral"

MAX_MESSAGE = 20_000
MAX_OUTCOME = 40
MAX_LIST = 500
RULE_CODES = frozenset(rule.code for rule in (*RULES, FALLBACK))
CONSENT_WITHDRAWN = "consentement retiré"

ROLE_REFUSED = "Votre rôle ne permet pas de consulter les orientations de ce patient."
AGGREGATES_ONLY = (
    "La coordination ne voit que les statistiques des orientations (sans noms) : "
    "le détail d'une orientation ne lui est pas accessible. Les chiffres sont dans "
    "« Statistiques » (tableau de bord d'activité)."
)
WRITE_REFUSED = "Votre rôle ne permet pas d'orienter un patient."
NOT_SENDER = "Seul(e) l'émetteur(trice) de l'orientation peut faire cela."
NOT_HANDLER = "Seul(e) le (la) destinataire de l'orientation peut faire cela."
DRAFT_PRIVATE = N_("Ce brouillon d'orientation n'est visible que par son auteur(e).")
STATS_REFUSED = N_("Votre rôle ne donne pas accès aux statistiques des orientations.")
ARCHIVED = "Ce dossier est archivé : il ne peut plus être modifié."
LIAISON_REFUSED = (
    "Le patient n'a pas donné (ou a retiré) son consentement au partage entre médecins et "
    "assistante sociale : les notes de liaison ne peuvent pas accompagner l'orientation."
)
FEEDBACK_REFUSED = (
    "Le patient n'a pas donné (ou a retiré) son consentement au partage entre médecins et "
    "assistante sociale : le texte du retour n'a pas été enregistré. L'émetteur(trice) sait "
    "seulement que l'orientation est « {summary} »."
)


class TransitionRefused(RelaisError):
    """An illegal transition (the state does not allow it)."""

    def __init__(self, current: ReferralStatus, target: ReferralStatus) -> None:
        self.current = current
        self.target = target
        super().__init__(
            _("Impossible : une orientation « {value} » ne peut pas passer à « {value2} ».").format(
                value=REFERRAL_STATUS_LABELS[current], value2=REFERRAL_STATUS_LABELS[target]
            )
        )


class FeedbackNotShared(PermissionDenied):
    """The feedback text was refused for lack of liaison consent; ``view`` is the referral
    after what was kept (the reduced summary, and the transition when closing)."""

    def __init__(self, summary: str, view: ReferralView | None = None) -> None:
        super().__init__(FEEDBACK_REFUSED.format(summary=summary))
        self.view = view


class _Refusal(Refusal):
    """The kernel's refusal for a referral (liaison compartment)."""

    def __init__(self, error: RelaisError, action: str, patient_id: int | None, rid: int | None):
        super().__init__(
            error,
            action,
            patient_id=patient_id,
            compartment=Compartment.LIAISON,
            object_type="referral",
            object_id=rid,
        )


@dataclass
class _Names:
    """Display names looked up once per unit of work."""

    session: Session
    users: dict[int, str]
    partners: dict[int, str]

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return _("Administration (relais-admin)")
        if user_id not in self.users:
            user = self.session.get(User, user_id)
            self.users[user_id] = user.display_name if user else "?"
        return self.users[user_id]

    def partner(self, partner_id: int | None) -> str:
        if partner_id is None:
            return ""
        if partner_id not in self.partners:
            partner = self.session.get(Partner, partner_id)
            self.partners[partner_id] = partner.name if partner else "?"
        return self.partners[partner_id]


def _patient_name(p: Patient) -> str:
    return PatientSummary(
        p.id, p.birth_name, p.used_name, p.first_names, Sex(p.sex), p.birth_date, None, ""
    ).display_name


def destination_scope(r: Referral) -> tuple[ConsentScope, int | None]:
    """The consent a referral's destination needs."""
    if r.partner_id is not None:
        return ConsentScope.PARTNER, r.partner_id
    return ConsentScope.REFERRAL_CARSAT, None


def handler_id(r: Referral) -> int | None:
    """Who records the receiver's steps: the social worker, or the sender for a partner."""
    return r.receiver_id if r.receiver_id is not None else r.sender_id


def is_overdue(r: Referral, now: datetime, days: int) -> bool:
    status = ReferralStatus(r.status)
    since = {ReferralStatus.SENT: r.sent_at, ReferralStatus.RECEIVED: r.received_at}.get(status)
    since = aware(since)
    return since is not None and now - since > timedelta(days=days)


def format_nir(nir: str | None) -> str:
    if not nir:
        return _("non renseigné")
    n = nir
    return " ".join((n[0], n[1:3], n[3:5], n[5:7], n[7:10], n[10:13], n[13:15])).strip()


def _legacy_reason(r: Referral) -> ReferralReason | None:
    try:
        return ReferralReason(r.reason) if r.reason else None
    except ValueError:
        return None


def _reason(content: dict, r: Referral) -> ReferralReason | None:
    """The reason, sealed in the content since 0005 (the clear column before); None once the
    content is gone (consent withdrawn)."""
    try:
        return ReferralReason(content.get("reason") or r.reason)
    except ValueError:
        return None


class ReferralReader:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        records: RecordKeys,
    ):
        self._db = db
        self._audit = audit
        self._codec = codec
        self._clock = clock
        self._records = records
        self._guard = Guard(db, audit)

    # ---- refusals -----------------------------------------------------------------------
    def _refuse(self, actor: Actor, refusal: _Refusal) -> RelaisError:
        return self._guard.refuse(actor, refusal)

    def _run(self, actor: Actor, work):
        """Run ``work(session)`` in one unit of work, through the kernel's guard."""
        return self._guard.run(actor, work)

    # ---- content ------------------------------------------------------------------------
    def _seal(
        self, session: Session, actor: Actor, r: Referral, data: dict, part: str = "content"
    ) -> bytes:
        """``data`` sealed under the referral's own key (its parties only)."""
        text = json.dumps(data, ensure_ascii=False).encode("utf-8")
        return self._records.seal(session, actor, REFERRAL_SCOPE, r.id, text, part)

    def _open(
        self, session: Session, actor: Actor, r: Referral, blob: bytes | None, part: str = "content"
    ) -> dict:
        if not blob:
            return {}
        if is_record_sealed(blob):
            text = self._records.open(session, actor, REFERRAL_SCOPE, r.id, blob, part)
            return json.loads(text.decode("utf-8"))
        # Legacy: sealed in the liaison compartment before 0005 (keys encrypt-existing moves
        # it under the referral's key).
        legacy = self._codec.open(actor, Compartment.LIAISON, blob, context=f"referral:{r.id}")
        return json.loads(legacy)

    def preload(self, session: Session, actor: Actor, referral_ids: list[int]) -> None:
        """Load these referrals and open the actor's keys to them in two queries (lists of
        appointments show each one's reason to its professional)."""
        if referral_ids:
            session.scalars(select(Referral).where(Referral.id.in_(referral_ids))).all()
            self._records.preload(session, actor, REFERRAL_SCOPE, referral_ids)

    def reason_of(self, session: Session, actor: Actor, r: Referral) -> ReferralReason | None:
        """The referral's reason if this session holds the referral's key, else None."""
        if not r.content:
            return _legacy_reason(r)
        if is_record_sealed(r.content) and not self._records.holds(
            session, actor, REFERRAL_SCOPE, r.id
        ):
            return None
        try:
            content = self._open(session, actor, r, r.content)
        except RelaisError:
            return None
        return _reason(content, r)

    # ---- reading ------------------------------------------------------------------------
    def _clinic_days(self, session: Session) -> int:
        days = session.scalar(select(Clinic.referral_overdue_days).limit(1))
        return int(days) if days else 7

    def _is_party(self, actor: Actor, r: Referral) -> bool:
        return actor.user_id is not None and actor.user_id in (r.sender_id, r.receiver_id)

    def _can_read_content(self, actor: Actor, r: Referral) -> bool:
        return policy.allows(
            actor.role, Resource.REFERRAL_CONTENT, Action.READ, is_party=self._is_party(actor, r)
        )

    def _unread(self, actor: Actor, r: Referral) -> bool:
        if actor.user_id is None or r.status == str(ReferralStatus.DRAFT):
            return False
        updated = aware(r.updated_at)
        if actor.user_id == r.receiver_id:
            seen = aware(r.receiver_seen_at)
        elif actor.user_id == r.sender_id:
            seen = aware(r.sender_seen_at)
        else:
            return False
        return seen is None or (updated is not None and seen < updated)

    def _summary(
        self,
        session: Session,
        actor: Actor,
        r: Referral,
        names: _Names,
        days: int,
        patient: Patient | None = None,
    ) -> ReferralSummary:
        patient = patient or session.get(Patient, r.patient_id)
        if r.partner_id is not None:
            destination = names.partner(r.partner_id)
            if r.partner_contact_id is not None:
                contact = session.get(PartnerContact, r.partner_contact_id)
                if contact is not None:
                    destination = f"{destination} — {contact.name}"
        else:
            destination = names.user(r.receiver_id)
        status = ReferralStatus(r.status)
        return ReferralSummary(
            id=r.id,
            patient_id=r.patient_id,
            patient_name=_patient_name(patient) if patient else "",
            sender_name=names.user(r.sender_id),
            destination_name=destination,
            status=status,
            status_label=REFERRAL_STATUS_LABELS[status],
            urgency=Urgency(r.urgency),
            created_at=r.created_at,
            sent_at=r.sent_at,
            updated_at=r.updated_at,
            overdue=is_overdue(r, self._clock(), days),
            unread=self._unread(actor, r),
            can_read_content=self._can_read_content(actor, r),
            sender_id=r.sender_id,
            receiver_id=r.receiver_id,
            partner_id=r.partner_id,
        )

    def summaries(
        self, session: Session, actor: Actor, rows: list[Referral]
    ) -> list[ReferralSummary]:
        """Who/when/status/destination of ``rows`` (no content), in the caller's unit of work;
        the caller checked the policy and audits the read."""
        names, days = _Names(session, {}, {}), self._clinic_days(session)
        # One query for the patients (not one per row: lists run to hundreds of referrals).
        wanted = {r.patient_id for r in rows}
        patients = (
            {p.id: p for p in session.scalars(select(Patient).where(Patient.id.in_(wanted)))}
            if wanted
            else {}
        )
        return [
            self._summary(session, actor, r, names, days, patients.get(r.patient_id)) for r in rows
        ]

    def _allowed(self, actor: Actor, r: Referral) -> list[str]:
        if not policy.allows(actor.role, Resource.REFERRAL, Action.WRITE):
            return []
        current = ReferralStatus(r.status)
        out: list[str] = []
        if actor.user_id == r.sender_id:
            if current is ReferralStatus.DRAFT:
                out.append(ReferralAction.UPDATE_DRAFT)
            for action in (ReferralAction.SEND, ReferralAction.CANCEL):
                if user_transition(current, ACTION_TARGET[action]):
                    out.append(action)
        if actor.user_id == handler_id(r):
            for action in (
                ReferralAction.ACKNOWLEDGE,
                ReferralAction.BOOK,
                ReferralAction.RECORD_SEEN,
                ReferralAction.CLOSE,
                ReferralAction.REORIENT,
            ):
                # Booking a sent referral acknowledges it in the same unit of work (issue 14).
                if user_transition(current, ACTION_TARGET[action]) or (
                    action is ReferralAction.BOOK and current is ReferralStatus.SENT
                ):
                    out.append(action)
            if current in FEEDBACK_STATUSES:
                out.append(ReferralAction.SEND_FEEDBACK)
        return [str(a) for a in out]

    def _events(
        self, session: Session, actor: Actor, r: Referral, names: _Names, with_details: bool
    ) -> list[ReferralEventView]:
        """The transitions; their details (shared items, reorientation…) for the parties."""
        rows = session.scalars(
            select(EventRow).where(EventRow.referral_id == r.id).order_by(EventRow.at, EventRow.id)
        )
        return [
            ReferralEventView(
                at=e.at,
                from_label=REFERRAL_STATUS_LABELS[ReferralStatus(e.from_status)]
                if e.from_status
                else "",
                to_label=REFERRAL_STATUS_LABELS[ReferralStatus(e.to_status)],
                actor_name=names.user(e.actor_id),
                detail=self._event_detail(session, actor, r, e, with_details),
            )
            for e in rows
        ]

    def _event_detail(
        self, session: Session, actor: Actor, r: Referral, e: EventRow, with_details: bool
    ) -> str:
        """The plain detail (a fixed phrase, an appointment time) for every reader; the sealed
        one (shared items, guide rule, reorientation) for the parties only."""
        if not e.sealed_detail or not with_details:
            return e.detail if (with_details or not e.sealed_detail) else ""
        try:
            return self._open(session, actor, r, e.sealed_detail, f"event:{e.id}").get("text", "")
        except RelaisError:
            return ""

    def _view(self, session: Session, actor: Actor, r: Referral) -> ReferralView:
        names = _Names(session, {}, {})
        summary = self._summary(session, actor, r, names, self._clinic_days(session))
        events = self._events(session, actor, r, names, summary.can_read_content)
        base = dict(
            summary=summary,
            events=events,
            allowed_actions=self._allowed(actor, r),
            version=r.version,
            reoriented_to_name=names.partner(r.reoriented_to_id),
        )
        if not summary.can_read_content:
            return ReferralView(
                reason=None,
                reason_label="",
                message="",
                items={},
                notes=[],
                feedback=None,
                feedback_summary="",
                outcome="",
                **base,
            )
        content = self._open(session, actor, r, r.content)
        reason = _reason(content, r)
        scope, partner_id = destination_scope(r)
        liaison = consent_active(session, r.patient_id, ConsentScope.LIAISON)
        sent = r.sent_at is not None
        withheld: list[str] = []
        items: dict[SharedItem, str] = {}
        notes: list[tuple] = []
        if sent:
            destination_ok = consent_active(session, r.patient_id, scope, partner_id)
            for key, value in content.get("items", {}).items():
                item = SharedItem(key)
                if not destination_ok or (item is SharedItem.LIAISON_NOTES and not liaison):
                    withheld.append(SHARED_ITEM_LABELS[item])
                else:
                    items[item] = value
            if SharedItem.LIAISON_NOTES in items:
                notes = [(d, author, text) for d, author, text in content.get("notes", [])]
        feedback = None
        if r.feedback and liaison:
            feedback = self._open(session, actor, r, r.feedback, "feedback").get("text")
        draft = None
        if ReferralStatus(r.status) is ReferralStatus.DRAFT:
            draft = ReferralInput(
                patient_id=r.patient_id,
                reason=reason or ReferralReason.OTHER,
                urgency=Urgency(r.urgency),
                message=content.get("message", ""),
                receiver_id=r.receiver_id,
                partner_id=r.partner_id,
                partner_contact_id=r.partner_contact_id,
                items=frozenset(SharedItem(i) for i in content.get("chosen", [])),
                note_ids=tuple(content.get("note_ids", [])),
                orientation_rule=content.get("rule", ""),
            )
        return ReferralView(
            reason=reason,
            reason_label=REFERRAL_REASON_LABELS[reason] if reason else "",
            message=content.get("message", ""),
            items=items,
            notes=notes,
            feedback=feedback,
            feedback_summary=r.feedback_summary,
            outcome=content.get("outcome", ""),
            draft=draft,
            orientation_rule=content.get("rule", ""),
            reorientation_reason=content.get("reorientation_reason", ""),
            orientation_error_rule=r.orientation_error_rule,
            withheld=withheld,
            cancel_reason=content.get("cancel_reason", ""),
            **base,
        )

    def _require_reader(self, actor: Actor, patient_id: int | None, rid: int | None) -> None:
        scope = policy.scope_of(actor.role, Resource.REFERRAL, Action.READ)
        if scope is None or scope is policy.Scope.AGGREGATE:
            message = AGGREGATES_ONLY if scope is policy.Scope.AGGREGATE else ROLE_REFUSED
            raise _Refusal(PermissionDenied(message), AuditAction.READ, patient_id, rid)

    def get(self, actor: Actor, referral_id: int) -> ReferralView:
        """The referral as this user may see it: content for its sender and receiver only;
        the others allowed to see referrals get who/when/status/destination (audited)."""

        def work(session: Session) -> ReferralView:
            r = session.get(Referral, referral_id)
            if r is None:
                raise NotFound(_("Cette orientation n'existe pas."))
            self._require_reader(actor, r.patient_id, r.id)
            if r.status == str(ReferralStatus.DRAFT) and actor.user_id != r.sender_id:
                raise _Refusal(
                    PermissionDenied(_(DRAFT_PRIVATE)), AuditAction.READ, r.patient_id, r.id
                )
            view = self._view(session, actor, r)
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=r.patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                object_id=r.id,
                detail="" if view.summary.can_read_content else "sans le contenu",
            )
            return view

        view = self._run(actor, work)
        if not view.summary.can_read_content:
            self._audit.refused(
                actor,
                AuditAction.READ,
                patient_id=view.summary.patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral_content",
                object_id=view.id,
                detail="motif et message réservés à l'émetteur et au destinataire",
            )
        return view

    def _visible(self, actor: Actor):
        """Drafts are their author's only."""
        return or_(
            Referral.status != str(ReferralStatus.DRAFT), Referral.sender_id == actor.user_id
        )

    def for_patient(self, actor: Actor, patient_id: int) -> list[ReferralSummary]:
        def work(session: Session) -> list[ReferralSummary]:
            self._require_reader(actor, patient_id, None)
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            rows = session.scalars(
                select(Referral)
                .where(Referral.patient_id == patient_id, self._visible(actor))
                .order_by(Referral.created_at.desc(), Referral.id.desc())
                .limit(MAX_LIST)
            ).all()
            names, days = _Names(session, {}, {}), self._clinic_days(session)
            out = [self._summary(session, actor, r, names, days, patient) for r in rows]
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                detail=f"{len(out)} orientation(s)",
            )
            return out

        return self._run(actor, work)

    # ---- inbox --------------------------------------------------------------------------
    def inbox(self, actor: Actor) -> list[ReferralSummary]:
        """Awaiting me as receiver (new, or overdue), feedback I received as sender (unread),
        and overdue referrals I follow for a partner. Open referrals only, newest first."""
        return [s for _kind, s in self.inbox_entries(actor)]

    def inbox_entries(self, actor: Actor) -> list[tuple[str, ReferralSummary]]:
        """(kind, summary): ``referral_new``, ``referral_feedback`` or ``referral_overdue``."""
        if actor.user_id is None or not policy.allows(actor.role, Resource.REFERRAL, Action.WRITE):
            return []
        me = actor.user_id
        with self._db.session(write=False) as session:
            days = self._clinic_days(session)
            waiting = [str(ReferralStatus.SENT), str(ReferralStatus.RECEIVED)]
            mine_to_handle = or_(
                Referral.receiver_id == me,
                (Referral.sender_id == me) & Referral.partner_id.is_not(None),
            )
            rows = list(
                session.scalars(
                    select(Referral)
                    .where(mine_to_handle, Referral.status.in_(waiting))
                    .order_by(Referral.updated_at.desc())
                    .limit(MAX_LIST)
                )
            )
            rows += list(
                session.scalars(
                    select(Referral)
                    .where(
                        Referral.sender_id == me,
                        Referral.receiver_id.is_not(None),
                        Referral.feedback_summary != "",
                        or_(
                            Referral.sender_seen_at.is_(None),
                            Referral.sender_seen_at < Referral.updated_at,
                        ),
                    )
                    .order_by(Referral.updated_at.desc())
                    .limit(MAX_LIST)
                )
            )
            names = _Names(session, {}, {})
            out: list[tuple[str, ReferralSummary]] = []
            seen: set[int] = set()
            for r in rows:
                if r.id in seen:
                    continue
                seen.add(r.id)
                summary = self._summary(session, actor, r, names, days)
                if summary.overdue:
                    kind = "referral_overdue"
                elif r.receiver_id == me and r.status == str(ReferralStatus.SENT):
                    kind = "referral_new"
                elif r.sender_id == me and r.receiver_id is not None:
                    kind = "referral_feedback"
                else:
                    continue
                out.append((kind, summary))
            return out

    def mark_seen(self, actor: Actor, referral_id: int) -> bool:
        """Clear this user's unread marker (sender's and receiver's are separate). Does not
        change the referral's version (no conflict with someone editing it)."""
        if actor.user_id is None:
            return False
        now = self._clock()
        with self._db.session() as session:
            changed = 0
            for column, who in (
                (Referral.sender_seen_at, Referral.sender_id),
                (Referral.receiver_seen_at, Referral.receiver_id),
            ):
                result = session.execute(
                    update(Referral)
                    .where(Referral.id == referral_id, who == actor.user_id)
                    .values({column.key: now})
                    .execution_options(synchronize_session=False)
                )
                changed += int(result.rowcount or 0)
            return changed > 0

    # ---- aggregates ---------------------------------------------------------------------
    def _require_statistics(self, actor: Actor) -> None:
        if not policy.allows(actor.role, Resource.STATISTICS, Action.READ):
            self._audit.refused(
                actor, AuditAction.READ, object_type="referral_statistics", detail=STATS_REFUSED
            )
            raise PermissionDenied(_(STATS_REFUSED))

    def counts(self, actor: Actor) -> dict[ReferralStatus, int]:
        """How many referrals in each state (no names): coordination, GPs, social worker."""
        self._require_statistics(actor)
        with self._db.session() as session:
            rows = session.execute(
                select(Referral.status, func.count()).group_by(Referral.status)
            ).all()
            self._audit.add(
                session, actor, AuditAction.READ, object_type="referral_statistics", detail="counts"
            )
        out = {status: 0 for status in ReferralStatus}
        for status, n in rows:
            out[ReferralStatus(status)] = int(n)
        return out

    def delays(self, actor: Actor) -> ReferralDelays:
        """Days from sending to the first consultation (median, mean) — and to reception."""
        self._require_statistics(actor)
        with self._db.session() as session:
            rows = session.execute(
                select(Referral.sent_at, Referral.received_at, Referral.seen_at).where(
                    Referral.sent_at.is_not(None)
                )
            ).all()
            self._audit.add(
                session, actor, AuditAction.READ, object_type="referral_statistics", detail="delays"
            )
        to_seen, to_ack, waiting = [], [], 0
        for sent, received, seen in rows:
            sent = aware(sent)
            if seen is not None:
                to_seen.append((aware(seen) - sent).total_seconds() / 86_400)
            else:
                waiting += 1
            if received is not None:
                to_ack.append((aware(received) - sent).total_seconds() / 86_400)
        return ReferralDelays(
            measured=len(to_seen),
            median_days=round(statistics.median(to_seen), 1) if to_seen else None,
            mean_days=round(statistics.fmean(to_seen), 1) if to_seen else None,
            waiting=waiting,
            median_ack_days=round(statistics.median(to_ack), 1) if to_ack else None,
        )
