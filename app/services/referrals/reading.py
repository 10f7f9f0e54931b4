"""Reading referrals: the views (content for the sender and the receiver only), a patient's
list, the inbox entries and unread markers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy import Row, or_, select, update
from sqlalchemy.orm import Session

from app.i18n import _
from app.models import PartnerContact, Patient, Referral
from app.models import ReferralEvent as EventRow
from app.models.enums import Compartment
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    NotFound,
    PermissionDenied,
    RelaisError,
)
from app.services.kernel.patient_rows import display_name_of, name_columns, patient_name
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import built
from app.services.kernel.timefmt import aware
from app.services.patient_file.consents import consent_active
from app.services.patient_file.records import ConsentScope
from app.services.referrals.errors import (
    AGGREGATES_ONLY,
    DRAFT_PRIVATE,
    MAX_LIST,
    ROLE_REFUSED,
    ReferralRefusal,
)
from app.services.referrals.records import (
    ACTION_TARGET,
    FEEDBACK_STATUSES,
    REFERRAL_REASON_LABELS,
    REFERRAL_STATUS_LABELS,
    SHARED_ITEM_LABELS,
    ReferralAction,
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
from app.services.referrals.store import (
    Names,
    StorePart,
    destination_scope,
    handler_id,
    is_overdue,
    sealed_reason,
)


class ReferralReader(StorePart):
    """Reads referrals as the actor may see them."""

    def _unread(self, actor: Actor, r: Referral | Row) -> bool:
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
        r: Referral | Row,
        names: Names,
        days: int,
        patient_display: str | None = None,
    ) -> ReferralSummary:
        """``r``: a referral, or a row of its columns (``summary_columns``);
        ``patient_display``: its patient's display name when the caller read it, read here
        otherwise. Built without the dataclass constructor (lists run to hundreds)."""
        if patient_display is None:
            patient_display = patient_name(session.get(Patient, r.patient_id))
        if r.partner_id is not None:
            destination = names.partner(r.partner_id)
            if r.partner_contact_id is not None:
                contact = session.get(PartnerContact, r.partner_contact_id)
                if contact is not None:
                    destination = f"{destination} — {contact.name}"
        else:
            destination = names.user(r.receiver_id)
        status = ReferralStatus(r.status)
        return built(
            ReferralSummary,
            {
                "id": r.id,
                "patient_id": r.patient_id,
                "patient_name": patient_display,
                "sender_name": names.user(r.sender_id),
                "destination_name": destination,
                "status": status,
                "status_label": REFERRAL_STATUS_LABELS[status],
                "urgency": Urgency(r.urgency),
                "created_at": r.created_at,
                "sent_at": r.sent_at,
                "updated_at": r.updated_at,
                "overdue": is_overdue(r, self._clock(), days),
                "unread": self._unread(actor, r),
                "can_read_content": self._store.can_read_content(actor, r),
                "sender_id": r.sender_id,
                "receiver_id": r.receiver_id,
                "partner_id": r.partner_id,
            },
        )

    def summaries(
        self,
        session: Session,
        actor: Actor,
        rows: Sequence[Referral | Row],
        patient_names: Mapping[int, str] | None = None,
    ) -> list[ReferralSummary]:
        """Who/when/status/destination of ``rows`` (referrals, or rows of
        :func:`~app.services.referrals.store.summary_columns`: no content), in the caller's
        unit of work; the caller checked the policy and audits the read. ``patient_names``:
        the rows' patients' display names when the caller read them with the rows (joined),
        read here otherwise."""
        names, days = Names(session), self._clinic_days(session)
        names.preload(rows)
        # One query for the patients (not one per row: lists run to hundreds of referrals).
        if patient_names is None:
            wanted = {r.patient_id for r in rows}
            patient_names = (
                {
                    row.id: display_name_of(row)
                    for row in session.execute(
                        select(*name_columns()).where(Patient.id.in_(wanted))
                    )
                }
                if wanted
                else {}
            )
        return [
            self._summary(session, actor, r, names, days, patient_names.get(r.patient_id, ""))
            for r in rows
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
        self, session: Session, actor: Actor, r: Referral, names: Names, with_details: bool
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
            data = self._open(session, actor, r, e.sealed_detail, f"event:{e.id}")
        except RelaisError:
            return ""
        if "shared" in data:
            return shared_detail(data["shared"])
        return legacy_detail(data.get("text", ""))

    def view(self, session: Session, actor: Actor, r: Referral) -> ReferralView:
        names = Names(session)
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
        reason = sealed_reason(content, r)
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
            raise ReferralRefusal(PermissionDenied(message), AuditAction.READ, patient_id, rid)

    def get(self, actor: Actor, referral_id: int) -> ReferralView:
        """The referral as this user may see it: content for its sender and receiver only;
        the others allowed to see referrals get who/when/status/destination (audited)."""

        def work(session: Session) -> ReferralView:
            r = session.get(Referral, referral_id)
            if r is None:
                raise NotFound(_("Cette orientation n'existe pas."))
            self._require_reader(actor, r.patient_id, r.id)
            if r.status == str(ReferralStatus.DRAFT) and actor.user_id != r.sender_id:
                raise ReferralRefusal(
                    PermissionDenied(_(DRAFT_PRIVATE)), AuditAction.READ, r.patient_id, r.id
                )
            view = self.view(session, actor, r)
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
            names, days = Names(session), self._clinic_days(session)
            shown = patient_name(patient)
            out = [self._summary(session, actor, r, names, days, shown) for r in rows]
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
            names = Names(session)
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


SHARED_PREFIX = "partagé : "


def shared_detail(codes: list[str]) -> str:
    """« partagé : Adresse, Médecin traitant » in the reader's language (codes are stored)."""
    known = sorted(
        (SharedItem(c) for c in codes if c in set(SharedItem)), key=list(SharedItem).index
    )
    labels = [SHARED_ITEM_LABELS[item] for item in known]
    if not labels:
        return _("partagé : identité et motif seulement")
    return _("partagé : {items}").format(items=", ".join(labels))


def legacy_detail(text: str) -> str:
    """A detail written as text before the items were stored as codes; an internal code
    (``attending_gp``) in it is shown as its French label."""
    if not text.startswith(SHARED_PREFIX):
        return text
    codes = [c.strip() for c in text[len(SHARED_PREFIX) :].split(",")]
    if codes and all(c in set(SharedItem) for c in codes):
        return shared_detail(codes)
    return text
