"""Printed referral documents: the *fiche d'orientation*, the *retour d'orientation* and the
patient's consent form (reportlab through ``app.services.kernel.pdf``, A4, French).

Two layers:

* pure builders (``referral_form_pdf``, ``feedback_letter_pdf``, ``consent_form_pdf``) that
  lay out plain sheets (``ReferralSheet``, ``FeedbackSheet``, ``ConsentSheet``): they print
  exactly what the sheet holds, nothing else;
* ``ReferralDocumentService``, which checks who may print, fills the sheets from the referral,
  consent and partner services (so that a referral form carries **only the items the sender
  selected**, as snapshot when it was sent), archives the PDF through
  ``DocumentService.archive`` and audits the print (document number, never the content).

Where each document is archived: the referral form and the feedback letter hold the reason,
the message and the shared items, so they are sealed in the **liaison** compartment; the
consent form holds identity and the scope of the consent only, so it goes to the
**administrative** compartment (the GUI then records the consent with ``method=signed_form``
and this document's id).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Protocol

from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _
from app.lazy import on_first_use
from app.models import Partner, Patient, Referral, User
from app.models.db import Database
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.document_language import in_clinic_language
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import GeneratedDocument
from app.services.patient_file.consents import consent_active
from app.services.patient_file.documents import DocumentService
from app.services.patient_file.records import ConsentScope
from app.services.referrals.forms import consent_form_pdf, feedback_letter_pdf, referral_form_pdf
from app.services.referrals.records import (
    FEEDBACK_STATUSES,
    REASON_AXIS,
    ReferralStatus,
    ReferralView,
)
from app.services.referrals.sheets import (
    KIND_CONSENT_FORM,
    KIND_FEEDBACK_LETTER,
    KIND_REFERRAL_FORM,
    REFERRAL_CONFIDENTIAL,
    TITLES,
    ConsentSheet,
    FeedbackSheet,
    Professional,
    ReferralSheet,
    default_summary,
    identity,
    professional,
    receiver_of,
    referral_consent,
    sheet_items,
)

if TYPE_CHECKING:
    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document


# ---- service -------------------------------------------------------------------------------
class ReferralsLike(Protocol):
    def get(self, actor: Actor, referral_id: int) -> ReferralView: ...


PRINT_REFUSED = N_(
    "Seuls l'émetteur et le destinataire de cette orientation peuvent imprimer ses documents."
)
CONSENT_PRINT_REFUSED = N_("Votre rôle ne permet pas d'imprimer un formulaire de consentement.")


class PrintingCancelled(RelaisError):
    """The user stopped a batch of forms: nothing of it was archived."""

    def __init__(self) -> None:
        super().__init__(_("Impression annulée : aucune fiche n'a été archivée."))


class ReferralDocumentService:
    """Prints the referral form, the feedback letter and the consent form (module docstring).

    Each print is archived through ``DocumentService.archive`` and audited (``print``, the
    document number, never the content); a refusal is audited too.
    """

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        documents: DocumentService,
        referrals: ReferralsLike,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._documents = documents
        self._referrals = referrals

    # ---- referral form and feedback letter -----------------------------------------------
    @in_clinic_language
    def referral_form(self, actor: Actor, referral_id: int) -> GeneratedDocument:
        """The *fiche d'orientation*: only the items the sender selected; archived sealed in
        the liaison compartment. Only the sender or the receiver may print it."""
        self._check_party(actor, referral_id, KIND_REFERRAL_FORM)
        view = self._referrals.get(actor, referral_id)
        with self._db.session() as session:
            row = self._referral_row(session, referral_id)
            patient = session.get(Patient, row.patient_id)
            sheet = ReferralSheet(
                patient=identity(patient, view.items),
                sender=professional(session.get(User, row.sender_id)),
                receiver=receiver_of(session, row),
                reason_label=view.reason_label,
                axis_label=REASON_AXIS.get(view.reason, "") if view.reason else "",
                urgency=str(row.urgency),
                items=sheet_items(view),
                message=view.message,
                sent_at=row.sent_at,
                status_label=view.summary.status_label,
                withheld=list(view.withheld),
                **referral_consent(session, row),
            )
            return self._print(
                session,
                actor,
                KIND_REFERRAL_FORM,
                row.patient_id,
                Compartment.LIAISON,
                lambda meta: referral_form_pdf(meta, sheet),
                referral_id=referral_id,
            )

    def referral_forms(
        self,
        actor: Actor,
        referral_ids: Sequence[int],
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> list[GeneratedDocument]:
        """Several forms in one go (a permanence's pile), in the order given, each archived
        like :meth:`referral_form`. The actor's right to each is checked first: one refusal
        (audited) prints none of them. ``progress(done, total)`` follows the forms; when
        ``cancelled()`` turns true the whole batch is undone (``PrintingCancelled``): nothing
        of it is archived."""
        ids = list(dict.fromkeys(referral_ids))
        for referral_id in ids:
            self._check_party(actor, referral_id, KIND_REFERRAL_FORM)
        documents: list[GeneratedDocument] = []
        with self._db.action(whole=True):
            for done, referral_id in enumerate(ids, start=1):
                if cancelled is not None and cancelled():
                    raise PrintingCancelled()
                documents.append(self.referral_form(actor, referral_id))
                if progress is not None:
                    progress(done, len(ids))
            if cancelled is not None and cancelled():
                raise PrintingCancelled()
        return documents

    @in_clinic_language
    def feedback_letter(self, actor: Actor, referral_id: int) -> GeneratedDocument:
        """The *retour d'orientation*, from the receiver to the sender: the outcome and the
        feedback text while the patient's liaison consent is active, otherwise only « pris en
        charge » / « clôturé ». Archived sealed in the liaison compartment."""
        self._check_party(actor, referral_id, KIND_FEEDBACK_LETTER)
        view = self._referrals.get(actor, referral_id)
        status = ReferralStatus(view.status)
        if status not in FEEDBACK_STATUSES and status is not ReferralStatus.REORIENTED:
            raise ValidationError(
                {
                    "status": _(
                        "Cette orientation n'a pas encore de suite : il n'y a pas de "
                        "retour à imprimer."
                    )
                }
            )
        with self._db.session() as session:
            row = self._referral_row(session, referral_id)
            patient = session.get(Patient, row.patient_id)
            shared = consent_active(session, row.patient_id, ConsentScope.LIAISON)
            receiver = receiver_of(session, row)
            author = (
                professional(session.get(User, row.receiver_id))
                if row.receiver_id is not None
                else Professional(receiver.short)
            )
            summary = view.feedback_summary or default_summary(status)
            sheet = FeedbackSheet(
                patient=identity(patient, {}, birth_date=True),
                author=author,
                recipient=professional(session.get(User, row.sender_id)),
                reason_label=view.reason_label,
                sent_at=row.sent_at,
                outcome_label=view.outcome if shared else "",
                feedback=view.feedback if shared else None,
                summary=summary,
                events=[
                    (e.at, f"{e.to_label} ({e.actor_name})" if e.actor_name else e.to_label)
                    for e in view.events
                ],
            )
            return self._print(
                session,
                actor,
                KIND_FEEDBACK_LETTER,
                row.patient_id,
                Compartment.LIAISON,
                lambda meta: feedback_letter_pdf(meta, sheet),
                referral_id=referral_id,
            )

    # ---- consent form ---------------------------------------------------------------------
    @in_clinic_language
    def consent_form(
        self,
        actor: Actor,
        patient_id: int,
        scope: ConsentScope | str,
        partner_id: int | None = None,
    ) -> GeneratedDocument:
        """The consent form to sign, in plain words; archived in the administrative
        compartment. Record the signed decision with ``method=signed_form`` and this
        document's id."""
        if not policy.allows(actor.role, Resource.CONSENT, Action.WRITE):
            self._audit.refused(
                actor,
                AuditAction.PRINT,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="document",
                detail=KIND_CONSENT_FORM,
            )
            raise PermissionDenied(_(CONSENT_PRINT_REFUSED))
        try:
            scope = ConsentScope(scope)
        except ValueError:
            raise ValidationError({"scope": _("Type de consentement inconnu.")}) from None
        if scope is ConsentScope.PARTNER and partner_id is None:
            raise ValidationError(
                {"partner_id": _("Choisissez le partenaire concerné par ce consentement.")}
            )
        if scope is not ConsentScope.PARTNER:
            partner_id = None
        with self._db.session() as session:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            partner = session.get(Partner, partner_id) if partner_id is not None else None
            if partner_id is not None and partner is None:
                raise ValidationError({"partner_id": _("Ce partenaire n'existe pas.")})
            referent = (
                session.get(User, patient.social_referent_id)
                if patient.social_referent_id is not None
                else None
            )
            sheet = ConsentSheet(
                patient=identity(patient, {}, birth_date=True),
                professional=professional(session.get(User, actor.user_id), actor),
                clinic_name=self._documents.letterhead(session).clinic_name,
                scope=str(scope),
                partner_name=partner.name if partner else "",
                partner_service=partner.service if partner else "",
                social_worker=(
                    _("{display_name}, assistante sociale de la CARSAT").format(
                        display_name=referent.display_name
                    )
                    if referent is not None
                    else ""
                ),
            )
            return self._print(
                session,
                actor,
                KIND_CONSENT_FORM,
                patient_id,
                Compartment.ADMINISTRATIVE,
                lambda meta: consent_form_pdf(meta, sheet),
                detail=f"{scope}" + (f" partenaire {partner_id}" if partner_id else ""),
            )

    # ---- helpers --------------------------------------------------------------------------
    @staticmethod
    def _referral_row(session: Session, referral_id: int) -> Referral:
        row = session.get(Referral, referral_id)
        if row is None:
            raise NotFound(_("Cette orientation n'existe pas."))
        return row

    def _check_party(self, actor: Actor, referral_id: int, kind: str) -> None:
        with self._db.session(write=False) as session:
            row = self._referral_row(session, referral_id)
            patient_id = row.patient_id
            party = actor.user_id is not None and actor.user_id in (
                row.sender_id,
                row.receiver_id,
            )
        if not policy.allows(actor.role, Resource.REFERRAL_CONTENT, Action.READ, is_party=party):
            self._audit.refused(
                actor,
                AuditAction.PRINT,
                patient_id=patient_id,
                compartment=Compartment.LIAISON,
                object_type="referral",
                object_id=referral_id,
                detail=kind,
            )
            raise PermissionDenied(_(PRINT_REFUSED))

    def _print(
        self,
        session: Session,
        actor: Actor,
        kind: str,
        patient_id: int,
        compartment: Compartment,
        build: Callable[[pdf.DocumentMeta], bytes],
        *,
        referral_id: int | None = None,
        detail: str = "",
    ) -> GeneratedDocument:
        return self._documents.printer.print_archived(
            session,
            actor,
            kind=kind,
            title=TITLES[kind],
            patient_id=patient_id,
            compartment=compartment,
            build=build,
            detail=" ".join(
                x
                for x in (
                    f"orientation {referral_id}" if referral_id is not None else "",
                    detail,
                )
                if x
            ),
            referral_id=referral_id,
            confidentiality=(
                REFERRAL_CONFIDENTIAL if compartment is Compartment.LIAISON else pdf.CONFIDENTIAL
            ),
        )
