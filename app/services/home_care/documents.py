"""Printed home-care documents (reportlab through ``app.services.kernel.pdf``, A4, French):

* the *demande de soins à domicile* for the partner: the patient's identity, coordinates and
  access details, the availability table, the care and its acts, the prescriber and RPPS, the
  dates and frequency, the discharge context, and whom to contact at the clinic;
* the one-page *plan de sortie d'hospitalisation* summary for the patient and the
  professionals: destination and dates, the home-care requests with partner and status, the
  aids and the ARDH result, child care, equipment and the follow-up dates.

Pure builders (``request_form_pdf``, ``discharge_summary_pdf``) lay out the plain records;
``HomeCareDocumentService`` checks who may print (``Resource.HOME_CARE`` write: printing
archives a copy in the patient file), archives the PDF through ``DocumentService.archive`` and
audits the print (document number, never the content).

Where they are archived: the **administrative** compartment, whose readers are exactly the
roles that read the home-care resource (every role of the clinic): the secretary who reads a
request reads its printed form in « Documents », nothing more.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, Labels, _
from app.lazy import mm, on_first_use
from app.models import Clinic, Patient, User
from app.models.db import Database
from app.models.enums import Compartment, Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.audit.writer import AuditWriter
from app.services.document_language import in_clinic_language
from app.services.home_care.records import DischargePlanRecord, HomeCareRecord
from app.services.home_care.rules import CareKind, availability_lines
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import PermissionDenied
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import GeneratedDocument
from app.services.kernel.timefmt import fmt_date
from app.services.patient_file.documents import DocumentService

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document

KIND_REQUEST_FORM = "home_care_request"
KIND_DISCHARGE_SUMMARY = "discharge_summary"
TITLES = {
    KIND_REQUEST_FORM: "Demande de soins à domicile",
    KIND_DISCHARGE_SUMMARY: "Plan de sortie d'hospitalisation",
}
PRINT_REFUSED = N_(
    "Votre rôle permet de consulter les demandes de soins et les plans de sortie, pas de les "
    "imprimer (l'impression archive un document dans le dossier)."
)
SEX_LABELS = Labels({"F": N_("Féminin"), "M": N_("Masculin"), "I": N_("Indéterminé")})
# In the summary's narrow table.
SHORT_CARE_LABELS = Labels(
    {
        CareKind.NURSE: N_("Infirmier(ère)"),
        CareKind.PHYSIOTHERAPIST: N_("Kinésithérapeute"),
        CareKind.MIDWIFE: N_("Sage-femme"),
    }
)
R = TypeVar("R", HomeCareRecord, DischargePlanRecord)


def _identity_rows(patient: Patient) -> list[tuple[str, str]]:
    rows = [
        (_("Nom de naissance"), patient.birth_name.upper()),
        (_("Nom d'usage"), (patient.used_name or "").upper()),
        (_("Prénoms"), patient.first_names),
        (_("Sexe"), SEX_LABELS.get(str(patient.sex), str(patient.sex))),
        (_("Date de naissance"), fmt_date(patient.birth_date)),
    ]
    return [(k, v) for k, v in rows if v]


def _contact_line(author: str, profession: str, clinic_phone: str) -> str:
    who = f"{author} ({profession})" if profession else author
    return who + (
        _(" — Tél. {clinic_phone}").format(clinic_phone=clinic_phone) if clinic_phone else ""
    )


# ---- request form -------------------------------------------------------------------------
def request_form_body(
    r: HomeCareRecord,
    identity: list[tuple[str, str]],
    contact: str,
    today: datetime,
) -> list[Flowable]:
    to = [(_("Partenaire"), r.partner_name or _("non choisi"))]
    if r.partner_contact_name:
        to.append((_("Interlocuteur"), r.partner_contact_name))
    to.append((_("Statut"), r.status_label))
    access = [
        (_("Adresse"), r.address),
        (_("Téléphone"), r.phone),
        (_("Code porte"), r.door_code),
        (_("Étage"), r.floor),
    ]
    if r.access_notes:
        access.append((_("Accès"), r.access_notes))
    body: list[Flowable] = [
        pdf.columns(
            [
                [pdf.heading(_("Destinataire")), pdf.half_width_key_values(to)],
                [pdf.heading(_("Contact à la maison de santé")), pdf.text(contact)],
            ]
        ),
        pdf.columns(
            [
                [pdf.heading("Patient"), pdf.half_width_key_values(identity, 38 * mm)],
                [pdf.heading(_("Domicile et accès")), pdf.half_width_key_values(access)],
            ]
        ),
    ]
    care = [
        (_("Soins"), r.care_label),
        (_("Actes"), "\n".join(f"• {label}" for label in r.act_labels)),
    ]
    if r.care_detail:
        care.append((_("Précisions"), r.care_detail))
    care += [
        (_("Début des soins"), fmt_date(r.start_date)),
        (_("Fréquence"), r.frequency_label),
        (_("Durée"), f"{r.duration_days} jours" if r.duration_days else _("à préciser")),
        (_("Prescripteur"), r.prescriber_name),
        (_("N° RPPS du prescripteur"), r.prescriber_rpps),
    ]
    if r.discharge_date or r.hospital or r.ward:
        where = " — ".join(x for x in (r.hospital, r.ward) if x)
        when = f"le {fmt_date(r.discharge_date)}" if r.discharge_date else ""
        care.append((_("Sortie d'hospitalisation"), " — ".join(x for x in (when, where) if x)))
    body += pdf.section(_("Soins demandés"), [pdf.key_values(care)])
    lines = availability_lines(r.availability)
    body += pdf.section(
        _("Disponibilités du patient"),
        [
            pdf.table([_("Jour"), _("Créneaux")], lines, widths=(40 * mm, 127 * mm))
            if lines
            else pdf.text(_("Aucune contrainte indiquée : à convenir avec le patient."), "muted")
        ],
    )
    body.append(
        pdf.signature_boxes(
            [
                _("Fait le {today} — {created_by_name}").format(
                    today=fmt_date(today), created_by_name=r.created_by_name
                ),
                _("Réponse du partenaire (accord, nom, date)"),
            ],
            height=18 * mm,
        )
    )
    return body


def request_form_pdf(
    meta: pdf.DocumentMeta, r: HomeCareRecord, identity: list[tuple[str, str]], contact: str
) -> bytes:
    return pdf.render(meta, request_form_body(r, identity, contact, meta.created_at))


# ---- discharge summary --------------------------------------------------------------------
def discharge_summary_body(
    plan: DischargePlanRecord, identity: list[tuple[str, str]], contact: str
) -> list[Flowable]:
    stay = [
        (_("Sortie prévue le"), fmt_date(plan.target_date)),
        (
            _("Destination"),
            plan.destination_label
            + (f" — {plan.destination_detail}" if plan.destination_detail else ""),
        ),
        (_("Établissement"), plan.hospital),
        (_("Service"), plan.ward),
    ]
    if plan.admitted_on:
        stay.insert(0, (_("Entrée le"), fmt_date(plan.admitted_on)))
    body: list[Flowable] = [
        pdf.columns(
            [
                [pdf.heading("Patient"), pdf.half_width_key_values(identity, 38 * mm)],
                [pdf.heading(_("Sortie")), pdf.half_width_key_values(stay, 40 * mm)],
            ]
        )
    ]
    if plan.requests:
        rows = [
            [
                SHORT_CARE_LABELS.get(r.care_kind, r.care_label),
                (r.partner_name or "—")
                + (
                    _("\naccord : {accepted_by}").format(accepted_by=r.accepted_by)
                    if r.accepted_by
                    else ""
                ),
                fmt_date(r.start_date),
                r.frequency_label,
                r.status_label,
            ]
            for r in plan.requests
        ]
        requests: Flowable = pdf.table(
            [_("Soins"), _("Partenaire"), _("Début"), _("Fréquence"), _("Statut")],
            rows,
            widths=(32 * mm, 52 * mm, 22 * mm, 34 * mm, 27 * mm),
        )
    else:
        requests = pdf.text(_("Aucune demande de soins à domicile."), "muted")
    body += [pdf.heading(_("Soins à domicile")), requests]
    aids = ", ".join(plan.aid_labels) or "aucune"
    ardh = plan.ardh
    body += [pdf.heading(_("Aides")), pdf.key_values([(_("Aides"), aids), ("ARDH", ardh.label)])]
    body.append(pdf.text(" ".join(ardh.reasons), "small"))
    if ardh.missing:
        body.append(pdf.text(_("À renseigner : ") + ", ".join(ardh.missing) + ".", "small"))
    others = [
        (_("Garde d'enfants"), plan.child_care or _("non renseignée")),
        (_("Équipement"), ", ".join(plan.equipment) or "aucun"),
        (
            _("Suivi"),
            "; ".join(
                f"{f.label} le {fmt_date(f.due_on)}" + (" (fait)" if f.done else "")
                for f in plan.follow_ups
            )
            or "aucun",
        ),
        (_("Contact"), contact),
    ]
    body += [pdf.heading(_("Organisation")), pdf.key_values(others)]
    return body


def discharge_summary_pdf(
    meta: pdf.DocumentMeta, plan: DischargePlanRecord, identity: list[tuple[str, str]], contact: str
) -> bytes:
    return pdf.render(meta, discharge_summary_body(plan, identity, contact))


# ---- service ------------------------------------------------------------------------------
class HomeCareDocumentService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        clock: Clock,
        documents: DocumentService,
        home_care,
        discharge,
    ) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._documents = documents
        self._home_care = home_care
        self._discharge = discharge

    def _check(self, actor: Actor, patient_id: int | None, kind: str, object_id: int) -> None:
        if policy.allows(actor.role, Resource.HOME_CARE, Action.WRITE):
            return
        self._audit.refused(
            actor,
            AuditAction.PRINT,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            object_type="document",
            detail=f"{kind} {object_id}",
        )
        raise PermissionDenied(_(PRINT_REFUSED))

    def _contact(self, session: Session, user_id: int | None) -> str:
        user = session.get(User, user_id) if user_id is not None else None
        clinic = self._db_clinic(session)
        profession = PROFESSION_LABELS.get(Profession(user.profession), "") if user else ""
        return _contact_line(user.display_name if user else "?", profession, clinic)

    @staticmethod
    def _db_clinic(session: Session) -> str:
        return session.scalar(select(Clinic.phone).limit(1)) or ""

    @in_clinic_language
    def request_form(self, actor: Actor, request_id: int) -> GeneratedDocument:
        """The request form for the partner; archived in the administrative compartment."""
        self._check(actor, self._home_care.patient_of(request_id), KIND_REQUEST_FORM, request_id)
        record = self._home_care.get(actor, request_id)
        return self._print(
            actor, KIND_REQUEST_FORM, record, request_form_pdf, f"demande {record.id}"
        )

    @in_clinic_language
    def discharge_summary(self, actor: Actor, plan_id: int) -> GeneratedDocument:
        """The one-page plan summary; archived in the administrative compartment."""
        self._check(actor, self._discharge.patient_of(plan_id), KIND_DISCHARGE_SUMMARY, plan_id)
        plan = self._discharge.get(actor, plan_id)
        return self._print(
            actor, KIND_DISCHARGE_SUMMARY, plan, discharge_summary_pdf, f"plan {plan.id}"
        )

    def _print(
        self,
        actor: Actor,
        kind: str,
        record: R,
        build: Callable[[pdf.DocumentMeta, R, list[tuple[str, str]], str], bytes],
        detail: str,
    ) -> GeneratedDocument:
        """``record`` (a request or a plan) printed by ``build(meta, record, the patient's
        identity rows, its author's contact line)``, archived and audited."""
        with self._db.session() as session:
            identity = _identity_rows(session.get(Patient, record.patient_id))
            contact = self._contact(session, record.created_by_id)
            return self._documents.printer.print_archived(
                session,
                actor,
                kind=kind,
                title=TITLES[kind],
                patient_id=record.patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                build=lambda meta: build(meta, record, identity, contact),
                detail=detail,
            )
