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

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Protocol

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Spacer
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, Labels, _
from app.models import Consent, Partner, PartnerContact, Patient, Referral, User
from app.models.db import Database
from app.models.enums import Compartment, Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.audit.writer import AuditWriter
from app.services.document_language import in_clinic_language
from app.services.kernel import pdf, policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import GeneratedDocument
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.patient_file.consents import consent_active
from app.services.patient_file.documents import DocumentService
from app.services.patient_file.records import ConsentScope
from app.services.referrals.reading import destination_scope
from app.services.referrals.records import (
    FEEDBACK_CLOSED,
    FEEDBACK_REORIENTED,
    FEEDBACK_STATUSES,
    FEEDBACK_TAKEN_ON,
    REASON_AXIS,
    SHARED_ITEM_LABELS,
    ReferralStatus,
    ReferralView,
    SharedItem,
)

SEX_LABELS = Labels({"F": N_("Féminin"), "M": N_("Masculin"), "I": N_("Indéterminé")})
METHOD_LABELS = Labels({"oral": N_("accord oral"), "signed_form": N_("formulaire signé")})
URGENCY_LABELS = Labels(
    {
        "normal": N_("Normale"),
        "urgent": N_("Urgente"),
        "emergency": N_("Situation d'urgence"),
    }
)
KIND_REFERRAL_FORM = "referral_form"
KIND_FEEDBACK_LETTER = "feedback_letter"
KIND_CONSENT_FORM = "consent_form"
TITLES = {
    KIND_REFERRAL_FORM: "Fiche d'orientation",
    KIND_FEEDBACK_LETTER: "Retour d'orientation",
    KIND_CONSENT_FORM: "Formulaire de consentement",
}
REFERRAL_CONFIDENTIAL = (
    "Document confidentiel — secret professionnel partagé (art. L1110-4 du code de la santé "
    "publique, art. L411-3 du code de l'action sociale et des familles). Réservé à son "
    "émetteur et à son destinataire : ne pas transmettre à un tiers non autorisé."
)


# ---- sheets: what a document prints, and nothing more -----------------------------------
@dataclass(frozen=True)
class Professional:
    """The author or the reader of a paper: a member of the clinic."""

    name: str
    profession: str = ""
    rpps: str = ""
    organisation: str = ""


@dataclass(frozen=True)
class Receiver:
    """Who a referral goes to: the clinic's social worker, or a partner (its service and
    named contact)."""

    name: str  # the person (social worker, partner contact) or the organisation
    profession: str = ""
    organisation: str = ""  # partner name (empty for a colleague of the clinic)
    service: str = ""
    contact: str = ""  # named contact at the partner
    phone: str = ""
    email: str = ""
    address: str = ""

    def lines(self) -> list[tuple[str, str]]:
        rows: list[tuple[str, str]] = []
        if self.organisation:
            rows.append((_("Organisme"), self.organisation))
            if self.service:
                rows.append((_("Service"), self.service))
            if self.contact:
                rows.append((_("Interlocuteur"), self.contact))
        else:
            rows.append((_("Nom"), self.name))
            if self.profession:
                rows.append((_("Profession"), self.profession))
        for label, value in (
            (_("Adresse"), self.address),
            (_("Téléphone"), self.phone),
            ("E-mail", self.email),
        ):
            if value:
                rows.append((label, value))
        return rows

    @property
    def short(self) -> str:
        if self.organisation:
            who = self.organisation + (f" — {self.service}" if self.service else "")
            return who + (f" ({self.contact})" if self.contact else "")
        return self.name


@dataclass(frozen=True)
class PatientIdentity:
    """INS identity traits. ``nir`` is printed only when set, i.e. when the sender chose to
    share it (the service leaves it empty otherwise)."""

    birth_name: str
    first_names: str
    sex: str
    birth_date: date | None
    used_name: str = ""
    nir: str = ""

    def lines(self) -> list[tuple[str, str]]:
        rows = [
            (_("Nom de naissance"), self.birth_name.upper()),
            (_("Nom d'usage"), self.used_name.upper() if self.used_name else ""),
            (_("Prénoms"), self.first_names),
            (_("Sexe"), SEX_LABELS.get(str(self.sex), str(self.sex))),
            (_("Date de naissance"), fmt_date(self.birth_date)),
        ]
        rows = [(k, v) for k, v in rows if v]
        if self.nir:
            rows.append((_("N° de sécurité sociale"), self.nir))
        return rows

    @property
    def display_name(self) -> str:
        return f"{(self.used_name or self.birth_name).upper()} {self.first_names}"


@dataclass(frozen=True)
class ReferralSheet:
    patient: PatientIdentity
    sender: Professional
    receiver: Receiver
    reason_label: str
    axis_label: str = ""
    urgency: str = "normal"
    # Only the items the sender selected, as (label, text), in the order of the referral.
    items: Sequence[tuple[str, str]] = ()
    message: str = ""
    consent_on: date | None = None
    consent_method: str = ""  # "oral" / "signed_form"
    consent_status: str = "given"  # the current decision: given / withdrawn / refused
    sent_at: datetime | None = None
    status_label: str = ""
    # Labels of items chosen but held back since (consent withdrawn): named, never printed.
    withheld: Sequence[str] = ()


@dataclass(frozen=True)
class FeedbackSheet:
    patient: PatientIdentity
    author: Professional  # the receiver, who answers
    recipient: Professional  # the sender of the referral
    reason_label: str
    sent_at: datetime | None = None
    outcome_label: str = ""
    # The feedback text itself, only when the liaison consent allows it; otherwise None and
    # the letter says only ``summary`` (« pris en charge » / « clôturé »).
    feedback: str | None = None
    summary: str = ""
    events: Sequence[tuple[datetime, str]] = ()


@dataclass(frozen=True)
class ConsentSheet:
    patient: PatientIdentity
    professional: Professional
    clinic_name: str
    scope: str  # "liaison" / "referral_carsat" / "partner"
    partner_name: str = ""
    partner_service: str = ""
    social_worker: str = ""  # the clinic's social worker, when known
    extra: Sequence[str] = field(default_factory=tuple)


# ---- builders ------------------------------------------------------------------------------
def consent_statement(on: date | None, method: str, status: str = "given") -> str:
    if on is None:
        return _(
            "L'accord du patient pour cette orientation n'est pas enregistré : ne pas transmettre "
            "cette fiche sans l'avoir recueilli."
        )
    if status == "withdrawn":
        return _(
            "Le patient a retiré son accord pour cette orientation le {on} : cette "
            "fiche ne doit plus être transmise."
        ).format(on=fmt_date(on))
    if status == "refused":
        return _(
            "Le patient a refusé cette orientation le {on} : cette fiche ne doit "
            "pas être transmise."
        ).format(on=fmt_date(on))
    how = METHOD_LABELS.get(str(method), str(method))
    return _("Le patient a donné son accord pour cette orientation le {on} ({how}).").format(
        on=fmt_date(on), how=how
    )


def _patient_section(patient: PatientIdentity) -> list[Flowable]:
    return pdf.section("Patient", [pdf.key_values(patient.lines())])


def referral_form_body(sheet: ReferralSheet, today: datetime) -> list[Flowable]:
    sender = [
        (_("Nom"), sheet.sender.name),
        (_("Profession"), sheet.sender.profession),
        (_("N° RPPS"), sheet.sender.rpps),
    ]
    if sheet.sender.organisation:
        sender.append((_("Structure"), sheet.sender.organisation))
    body: list[Flowable] = [
        pdf.columns(
            [
                [pdf.heading(_("Émetteur")), pdf.half_width_key_values(sender)],
                [pdf.heading(_("Destinataire")), pdf.half_width_key_values(sheet.receiver.lines())],
            ]
        )
    ]
    body += _patient_section(sheet.patient)
    body += pdf.section(
        _("Motif de l'orientation"),
        [
            pdf.key_values(
                [
                    (_("Motif"), sheet.reason_label),
                    *([(_("Axe"), sheet.axis_label)] if sheet.axis_label else []),
                    (_("Urgence"), URGENCY_LABELS.get(sheet.urgency, sheet.urgency)),
                    *([(_("Envoyée le"), fmt_datetime(sheet.sent_at))] if sheet.sent_at else []),
                ]
            )
        ],
    )
    if sheet.items:
        # Short items as label/value rows; long ones (liaison notes) as text that can flow
        # across pages (a table row cannot be split).
        short = [(label, value) for label, value in sheet.items if len(value) <= 300]
        long = [(label, value) for label, value in sheet.items if len(value) > 300]
        items: list[Flowable] = [
            pdf.text(
                _(
                    "Éléments du dossier choisis par l'émetteur comme strictement nécessaires à "
                    "cette orientation (rien d'autre n'est transmis) :"
                ),
                "muted",
            )
        ]
        if short:
            items.append(pdf.key_values(short))
        for label, value in long:
            items.append(pdf.text(label, "label"))
            items.extend(pdf.paragraphs(value))
        body += pdf.section(_("Éléments transmis"), items)
    else:
        body += pdf.section(
            _("Éléments transmis"),
            [pdf.text(_("Aucun élément du dossier n'accompagne cette orientation."), "muted")],
        )
    if sheet.withheld:
        body.append(
            pdf.text(
                _("Éléments retenus (le patient a retiré son accord depuis l'envoi) : ")
                + ", ".join(sheet.withheld)
                + ".",
                "muted",
            )
        )
    if sheet.message.strip():
        body += pdf.section(_("Message"), pdf.paragraphs(sheet.message.strip()))
    # The statement and the signature stay together (never a signature alone on a page).
    body += pdf.section(
        _("Consentement du patient"),
        [
            pdf.text(
                consent_statement(sheet.consent_on, sheet.consent_method, sheet.consent_status)
            ),
            Spacer(1, 3 * mm),
            pdf.signature_boxes(
                [
                    _("Fait le {today} — {name}").format(
                        today=fmt_date(today), name=sheet.sender.name
                    ),
                    _("Signature et cachet de l'émetteur"),
                ]
            ),
        ],
    )
    return body


def referral_form_pdf(meta: pdf.DocumentMeta, sheet: ReferralSheet) -> bytes:
    return pdf.render(meta, referral_form_body(sheet, meta.created_at))


def feedback_letter_body(sheet: FeedbackSheet, today: datetime) -> list[Flowable]:
    body: list[Flowable] = [
        pdf.key_values(
            [
                (_("De"), _who(sheet.author)),
                ("À", _who(sheet.recipient)),
                ("Patient", sheet.patient.display_name),
                (_("Né(e) le"), fmt_date(sheet.patient.birth_date)),
            ]
        ),
        Spacer(1, 3 * mm),
        pdf.text(
            _("Suite à l'orientation")
            + (f" du {fmt_date(sheet.sent_at)}" if sheet.sent_at else "")
            + _(" (motif : « {value} »), voici ce qu'il en est advenu.").format(
                value=sheet.reason_label or "—"
            )
        ),
    ]
    rows = [(_("Issue"), sheet.outcome_label or sheet.summary or "—")]
    rows += [(fmt_datetime(at), label) for at, label in sheet.events]
    body += pdf.section(_("Suivi"), [pdf.key_values(rows)])
    if sheet.feedback is not None and sheet.feedback.strip():
        body += pdf.section(_("Retour"), pdf.paragraphs(sheet.feedback.strip()))
    else:
        body += pdf.section(
            _("Retour"),
            [
                pdf.text(
                    _("Situation : {value}.").format(
                        value=sheet.summary or sheet.outcome_label or "—"
                    )
                ),
                pdf.text(
                    _(
                        "Le patient n'a pas donné (ou a retiré) son accord au "
                        "partage d'informations "
                        "entre son médecin et le service social : ce retour se limite donc à "
                        "indiquer si l'orientation a été prise en charge ou clôturée."
                    ),
                    "muted",
                ),
            ],
        )
    body += [
        Spacer(1, 3 * mm),
        pdf.signature_boxes(
            [
                _("Fait le {today} — {name}").format(today=fmt_date(today), name=sheet.author.name),
                _("Signature"),
            ]
        ),
    ]
    return body


def feedback_letter_pdf(meta: pdf.DocumentMeta, sheet: FeedbackSheet) -> bytes:
    return pdf.render(meta, feedback_letter_body(sheet, meta.created_at))


def _who(p: Professional) -> str:
    parts = [p.name]
    if p.profession:
        parts.append(p.profession)
    if p.rpps:
        parts.append(f"RPPS {p.rpps}")
    return " — ".join(parts)


def consent_texts(sheet: ConsentSheet) -> dict[str, str]:
    """The plain-words paragraphs of the consent form, by heading (tested on their own)."""
    sw = sheet.social_worker or _("l'assistante sociale de la CARSAT")
    partner = sheet.partner_name + (f" ({sheet.partner_service})" if sheet.partner_service else "")
    if sheet.scope == "liaison":
        what = _(
            "Votre médecin et les soignants de la maison de santé d'une part, et "
            "{sw}, qui tient des permanences à la maison de santé d'autre part, "
            "pourront échanger les informations utiles pour vous aider : les "
            "difficultés que vous avez signalées (santé, logement, ressources, "
            "travail, vie à la maison), les démarches en cours et leurs suites. "
            "Ces échanges sont écrits dans une partie de votre dossier que seuls "
            "ces professionnels peuvent lire. Les détails médicaux restent chez "
            "votre médecin, les détails sociaux chez l'assistante sociale."
        ).format(sw=sw)
        why = _(
            "Pour que vous n'ayez pas à tout raconter plusieurs fois, et pour que votre médecin "
            "et l'assistante sociale puissent vous accompagner ensemble (accès aux soins, "
            "accès à vos droits, retour à domicile, maintien dans l'emploi…)."
        )
        whom = _(
            "Votre médecin, les soignants de la maison de santé qui vous suivent, et {sw}."
        ).format(sw=sw)
    elif sheet.scope == "referral_carsat":
        what = _(
            "Le professionnel qui vous oriente transmet à {sw} votre identité, le "
            "motif de l'orientation et seulement les éléments de votre dossier "
            "qu'il juge strictement nécessaires (par exemple vos coordonnées ou "
            "votre situation de travail). Il vous dit lesquels."
        ).format(sw=sw)
        why = _(
            "Pour que l'assistante sociale puisse vous recevoir, étudier votre situation et vous "
            "aider dans vos démarches (droits, soins, arrêt de travail, retour à domicile…)."
        )
        whom = _("{sw} (service social de la CARSAT), à la maison de santé.").format(
            sw=_capital(sw)
        )
    else:
        what = _(
            "Le professionnel qui vous oriente transmet à {value} votre identité, "
            "le motif de l'orientation et seulement les éléments de votre dossier "
            "qu'il juge strictement nécessaires. Il vous dit lesquels. Ce "
            "partenaire peut ensuite dire à la maison de santé ce qu'il a pu faire "
            "pour vous."
        ).format(value=partner or _("ce partenaire"))
        why = _(
            "Pour que ce service puisse vous recevoir et vous aider, sans que vous ayez à tout "
            "expliquer de nouveau."
        )
        whom = _("{value}, et les professionnels de la maison de santé qui vous suivent.").format(
            value=partner or _("Le partenaire nommé")
        )
    return {
        "Ce qui est partagé": what,
        "Avec qui": whom,
        "Pourquoi": why,
        "Vous pouvez refuser": (
            _(
                "Vous êtes libre d'accepter ou de refuser. Si vous refusez, "
                "vous serez soigné(e) et "
                "accompagné(e) exactement de la même façon : votre refus n'a aucune conséquence "
                "sur vos soins."
            )
        ),
        "Vous pouvez changer d'avis": (
            _(
                "Vous pouvez retirer votre accord à tout moment, sans avoir à vous justifier : "
                "il suffit de le dire à votre médecin, à l'assistante sociale ou à l'accueil de la "
                "maison de santé, ou de l'écrire. Le retrait prend effet immédiatement : plus rien "
                "n'est partagé à partir de ce moment."
            )
        ),
        "Vos droits": (
            _(
                "Vous pouvez demander à voir ce qui a été partagé et qui l'a consulté. Les "
                "professionnels qui reçoivent ces informations sont tenus au secret "
                "professionnel."
            )
        ),
    }


def _capital(value: str) -> str:
    return value[:1].upper() + value[1:]


def consent_form_body(sheet: ConsentSheet, today: datetime) -> list[Flowable]:
    body: list[Flowable] = [
        pdf.key_values(
            [
                (
                    "Patient",
                    _("{display_name}, né(e) le {birth_date}").format(
                        display_name=sheet.patient.display_name,
                        birth_date=fmt_date(sheet.patient.birth_date),
                    ),
                ),
                (_("Proposé par"), _who(sheet.professional)),
            ]
        ),
        Spacer(1, 2 * mm),
    ]
    for title, paragraph in consent_texts(sheet).items():
        body += pdf.section(title, [pdf.text(paragraph)])
    for line in sheet.extra:
        body.append(pdf.text(line))
    decision = pdf.section(
        _("Votre décision"),
        [
            pdf.checkboxes(["J'accepte", _("Je refuse")]),
            pdf.signature_boxes(
                [
                    _("Date et signature du patient (ou de son représentant)"),
                    _("Date et signature du professionnel — {name}").format(
                        name=sheet.professional.name
                    ),
                ],
                height=22 * mm,
            ),
            pdf.text(
                _("Formulaire édité le {today}. Cochez une seule case.").format(
                    today=fmt_date(today)
                ),
                "muted",
            ),
        ],
    )
    body += decision
    return body


def consent_form_pdf(meta: pdf.DocumentMeta, sheet: ConsentSheet) -> bytes:
    return pdf.render(meta, consent_form_body(sheet, meta.created_at))


# ---- service -------------------------------------------------------------------------------
class ReferralsLike(Protocol):
    def get(self, actor: Actor, referral_id: int) -> ReferralView: ...


PRINT_REFUSED = N_(
    "Seuls l'émetteur et le destinataire de cette orientation peuvent imprimer ses documents."
)
CONSENT_PRINT_REFUSED = N_("Votre rôle ne permet pas d'imprimer un formulaire de consentement.")
# Printed apart from the other items: they are identity traits.
IDENTITY_ITEMS = (SharedItem.NIR, SharedItem.BIRTH_DATE)


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
                patient=_identity(patient, view.items),
                sender=_professional(session.get(User, row.sender_id)),
                receiver=_receiver(session, row),
                reason_label=view.reason_label,
                axis_label=REASON_AXIS.get(view.reason, "") if view.reason else "",
                urgency=str(row.urgency),
                items=_items(view),
                message=view.message,
                sent_at=row.sent_at,
                status_label=view.summary.status_label,
                withheld=list(view.withheld),
                **_referral_consent(session, row),
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
            receiver = _receiver(session, row)
            author = (
                _professional(session.get(User, row.receiver_id))
                if row.receiver_id is not None
                else Professional(receiver.short)
            )
            summary = view.feedback_summary or _default_summary(status)
            sheet = FeedbackSheet(
                patient=_identity(patient, {}, birth_date=True),
                author=author,
                recipient=_professional(session.get(User, row.sender_id)),
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
                patient=_identity(patient, {}, birth_date=True),
                professional=_professional(session.get(User, actor.user_id), actor),
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
        title = TITLES[kind]
        number = self._documents.next_number(session)
        meta = pdf.DocumentMeta(
            title,
            number,
            actor.display_name,
            self._clock(),
            self._documents.letterhead(session),
            confidentiality=(
                REFERRAL_CONFIDENTIAL if compartment is Compartment.LIAISON else pdf.CONFIDENTIAL
            ),
        )
        data = build(meta)
        row = self._documents.archive(
            session,
            actor,
            number=number,
            kind=kind,
            title=title,
            patient_id=patient_id,
            compartment=compartment,
            data=data,
            referral_id=referral_id,
        )
        self._audit.add(
            session,
            actor,
            AuditAction.PRINT,
            patient_id=patient_id,
            compartment=compartment,
            object_type="document",
            object_id=row.id,
            detail=" ".join(
                x
                for x in (
                    kind,
                    number,
                    f"orientation {referral_id}" if referral_id is not None else "",
                    detail,
                )
                if x
            ),
        )
        return GeneratedDocument(row.id, number, title, data)


def _professional(user: User | None, actor: Actor | None = None) -> Professional:
    if user is None:
        return Professional(actor.display_name if actor else "?")
    return Professional(
        user.display_name,
        PROFESSION_LABELS.get(Profession(user.profession), ""),
        user.rpps or "",
    )


def _receiver(session: Session, row: Referral) -> Receiver:
    if row.receiver_id is not None:
        user = session.get(User, row.receiver_id)
        who = _professional(user)
        return Receiver(who.name, who.profession)
    partner = session.get(Partner, row.partner_id) if row.partner_id is not None else None
    if partner is None:
        return Receiver("—")
    contact = (
        session.get(PartnerContact, row.partner_contact_id)
        if row.partner_contact_id is not None
        else None
    )
    return Receiver(
        name=partner.name,
        organisation=partner.name,
        service=partner.service,
        contact=(
            contact.name + (f" ({contact.title})" if contact.title else "") if contact else ""
        ),
        phone=(contact.phone if contact and contact.phone else partner.phone),
        email=(contact.email if contact and contact.email else partner.email),
        address=partner.address,
    )


def _identity(
    patient: Patient, items: Mapping[SharedItem, str], *, birth_date: bool = False
) -> PatientIdentity:
    """Identity traits; the birth date and the NIR only when the sender chose them (or, for
    the consent form and the feedback letter, the birth date to tell patients apart)."""
    return PatientIdentity(
        birth_name=patient.birth_name,
        first_names=patient.first_names,
        sex=str(patient.sex),
        birth_date=(patient.birth_date if birth_date or SharedItem.BIRTH_DATE in items else None),
        used_name=patient.used_name or "",
        nir=items.get(SharedItem.NIR, "") or "",
    )


def _items(view: ReferralView) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for item in SharedItem:
        if item in IDENTITY_ITEMS or item not in view.items:
            continue
        if item is SharedItem.LIAISON_NOTES:
            notes = "\n\n".join(
                f"{on if isinstance(on, str) else fmt_date(on)} — {author}\n{text}"
                for on, author, text in view.notes
            )
            out.append((SHARED_ITEM_LABELS[item], notes or view.items[item]))
        else:
            out.append((SHARED_ITEM_LABELS[item], view.items[item]))
    return out


def _referral_consent(session: Session, row: Referral) -> dict:
    """The patient's current decision on being referred to this destination."""
    scope, partner_id = destination_scope(row)
    query = select(Consent).where(Consent.patient_id == row.patient_id, Consent.scope == str(scope))
    query = query.where(
        Consent.partner_id.is_(None) if partner_id is None else Consent.partner_id == partner_id
    )
    latest = session.scalar(query.order_by(Consent.recorded_at.desc(), Consent.id.desc()).limit(1))
    if latest is None:
        return {"consent_on": None, "consent_method": ""}
    return {
        "consent_on": latest.decided_on,
        "consent_method": latest.method,
        "consent_status": latest.status,
    }


def _default_summary(status: ReferralStatus) -> str:
    if status is ReferralStatus.CLOSED:
        return FEEDBACK_CLOSED
    if status is ReferralStatus.REORIENTED:
        return FEEDBACK_REORIENTED
    return FEEDBACK_TAKEN_ON
