"""« Qui a consulté mon dossier » : the patient's access report, from the audit trail — who,
profession, when (local time), which part of the file — and no content; archived in the
administrative compartment."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.i18n import _
from app.lazy import mm, on_first_use
from app.models import AuditEntry, User
from app.models.enums import AuditOutcome, Compartment, Profession
from app.services.accounts.records import PROFESSION_LABELS
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import PermissionDenied
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import COMPARTMENT_LABELS, GeneratedDocument
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.patient_file.records import DOCUMENT_KIND_LABELS

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document

if TYPE_CHECKING:
    from app.services.patient_file.documents import DocumentService

ACCESS_ACTIONS = (
    AuditAction.READ,
    AuditAction.BREAK_GLASS,
    AuditAction.PRINT,
    AuditAction.EXPORT,
)
EXCEPTIONAL_MARK = "accès exceptionnel"


def _user_label(user: User | None, fallback: str) -> tuple[str, str]:
    """(name, profession label) of an account, or the audit's username if it is gone."""
    if user is None:
        return fallback, ""
    return user.display_name, PROFESSION_LABELS.get(Profession(user.profession), "")


def build_access_report(
    documents: DocumentService, actor: Actor, patient_id: int
) -> GeneratedDocument:
    """« Qui a consulté mon dossier » : every opening of each part of the file, from the
    audit trail — who, profession, when (local time), which part — and no content."""
    if not policy.allows(actor.role, Resource.AUDIT, Action.READ):
        documents._audit.refused(
            actor,
            AuditAction.PRINT,
            patient_id=patient_id,
            object_type="document",
            detail="access_report",
        )
        raise PermissionDenied(
            _("Seule la coordination peut éditer le relevé des accès au dossier d'un patient.")
        )
    title = DOCUMENT_KIND_LABELS["access_report"]
    with documents._db.session() as session:
        patient = documents._patient(session, patient_id)
        entries = _entries(session, patient_id)
        lines = [
            *documents._patient_lines(patient),
            (_("Période"), _period(entries, documents._clock())),
        ]
        return documents.printer.print_archived(
            session,
            actor,
            kind="access_report",
            title=title,
            patient_id=patient_id,
            compartment=Compartment.ADMINISTRATIVE,
            build=lambda meta: pdf.render(meta, _report_body(lines, *_rows(session, entries))),
        )


def _entries(session: Session, patient_id: int) -> list[AuditEntry]:
    return list(
        session.scalars(
            select(AuditEntry)
            .where(
                AuditEntry.patient_id == patient_id,
                AuditEntry.outcome == str(AuditOutcome.OK),
                AuditEntry.action.in_(ACCESS_ACTIONS),
            )
            .order_by(AuditEntry.at, AuditEntry.id)
        )
    )


def _rows(session: Session, entries: list[AuditEntry]) -> tuple[list[list[str]], dict[str, int]]:
    """One row per access (with its author read once), and the accesses counted by part."""
    users: dict[int, User | None] = {}
    rows = []
    counts: dict[str, int] = {}
    for e in entries:
        if e.user_id is not None and e.user_id not in users:
            users[e.user_id] = session.get(User, e.user_id)
        name, profession = _user_label(
            users.get(e.user_id) if e.user_id is not None else None, e.username
        )
        part = _part_label(e)
        counts[part] = counts.get(part, 0) + 1
        rows.append([fmt_datetime(e.at), name, profession, part, _nature(e)])
    return rows, counts


def _report_body(
    lines: list[tuple[str, str]], rows: list[list[str]], counts: dict[str, int]
) -> list[Flowable]:
    return [
        pdf.key_values(lines),
        pdf.Spacer(1, 3 * mm),
        pdf.text(
            _(
                "Ce relevé, établi à la demande du patient (droit d'accès, art. 15 du RGPD "
                "et art. L1111-7 du code de la santé publique), liste chaque ouverture des "
                "différentes parties de son dossier par l'équipe de la maison de santé, "
                "d'après le journal d'audit infalsifiable de Relais. Il ne reproduit aucun "
                "contenu du dossier. Les heures sont celles de Paris."
            )
        ),
        pdf.heading(_("Résumé")),
        pdf.key_values(
            [(part, _("{n} accès").format(n=n)) for part, n in sorted(counts.items())]
            or [(_("Aucun accès"), "")]
        ),
        pdf.heading(_("Détail des accès")),
        pdf.table(
            [
                _("Date et heure"),
                _("Qui"),
                _("Profession"),
                _("Partie du dossier"),
                _("Nature"),
            ],
            rows or [["—", _("Aucun accès enregistré"), "", "", ""]],
            widths=[27 * mm, 35 * mm, 33 * mm, 42 * mm, 37 * mm],
        ),
    ]


def _part_label(e: AuditEntry) -> str:
    compartment = COMPARTMENT_LABELS.get(Compartment(e.compartment)) if e.compartment else None
    if e.action == AuditAction.EXPORT:
        return _("Dossier complet (export)")
    if e.object_type == "document":
        return (
            _("Documents ({value})").format(value=compartment.lower())
            if compartment
            else _("Documents")
        )
    if compartment is None:
        return _("Dossier")
    if e.compartment == Compartment.ADMINISTRATIVE:
        return _("Volet administratif (identité, coordonnées)")
    return _("Volet {value}").format(value=compartment.lower())


def _nature(e: AuditEntry) -> str:
    if e.action == AuditAction.BREAK_GLASS:
        return _("ACCÈS EXCEPTIONNEL (ouverture justifiée)")
    exceptional = EXCEPTIONAL_MARK in (e.detail or "")
    label = {
        AuditAction.READ: _("Consultation"),
        AuditAction.PRINT: _("Impression"),
        AuditAction.EXPORT: _("Export"),
    }.get(e.action, e.action)
    return _("{label} — ACCÈS EXCEPTIONNEL").format(label=label) if exceptional else label


def _period(entries, now: datetime) -> str:
    if not entries:
        return f"jusqu'au {fmt_date(now)}"
    return _("du {at} au {now}").format(at=fmt_date(entries[0].at), now=fmt_date(now))
