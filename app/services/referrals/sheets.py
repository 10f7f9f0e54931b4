"""Printed referral documents: the sheets (what each document prints, and nothing more) and
how they are filled from the referral's rows (only the items the sender selected, as snapshot
when it was sent)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import N_, Labels, _
from app.models import Consent, Partner, PartnerContact, Patient, Referral, User
from app.models.enums import Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.kernel.actor import Actor
from app.services.kernel.timefmt import fmt_date
from app.services.kernel.validation import format_nir
from app.services.referrals.reading import destination_scope
from app.services.referrals.records import (
    FEEDBACK_CLOSED,
    FEEDBACK_REORIENTED,
    FEEDBACK_TAKEN_ON,
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
# Printed apart from the other items: they are identity traits.
IDENTITY_ITEMS = (SharedItem.NIR, SharedItem.BIRTH_DATE)
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
            rows.append((_("N° de sécurité sociale"), format_nir(self.nir)))
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


def professional(user: User | None, actor: Actor | None = None) -> Professional:
    if user is None:
        return Professional(actor.display_name if actor else "?")
    return Professional(
        user.display_name,
        PROFESSION_LABELS.get(Profession(user.profession), ""),
        user.rpps or "",
    )


def receiver_of(session: Session, row: Referral) -> Receiver:
    if row.receiver_id is not None:
        user = session.get(User, row.receiver_id)
        who = professional(user)
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


def identity(
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


def sheet_items(view: ReferralView) -> list[tuple[str, str]]:
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


def referral_consent(session: Session, row: Referral) -> dict:
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


def default_summary(status: ReferralStatus) -> str:
    if status is ReferralStatus.CLOSED:
        return FEEDBACK_CLOSED
    if status is ReferralStatus.REORIENTED:
        return FEEDBACK_REORIENTED
    return FEEDBACK_TAKEN_ON
