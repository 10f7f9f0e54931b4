"""Printed documents: built with ``app.services.kernel.pdf``, archived in the ``document`` table.

Archive: each archived document gets a number ``REL-<year>-<000042>`` (unique, in order within
the clinic-local year), the SHA-256 and size of its PDF bytes, its author, date and the
compartment whose readers may open it. Its bytes go through the content codec, sealed with that
compartment's key and bound to ``document:<number>``, for the medical, social and liaison
compartments; administrative documents are stored as they are. Each generation is audited
(``print``; ``export`` for the patient export), never the content. Opening an archived copy is
audited, and so is every refusal.

Sheets that must never be stored (the setup's recovery key, a user's TOTP recovery codes) are
not archived; they carry a number ``REL-<year>-NA-<random>`` (« non archivé ») so that a printed
copy can still be told apart.

The patient's access report is built in ``access_report``, the patient export in ``export``.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.clock import Clock, clinic_today
from app.i18n import _
from app.lazy import mm, on_first_use
from app.models import Clinic, Document, Patient, Referral, User
from app.models.db import Database
from app.models.enums import Compartment
from app.services.accounts.auth import AuthService
from app.services.audit.writer import AuditWriter
from app.services.clinic.records import ClinicInfo
from app.services.document_language import in_clinic_language
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import NotFound, PermissionDenied, RelaisError
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action
from app.services.kernel.records import GeneratedDocument, Page
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.kernel.validation import format_nir
from app.services.patient_file.access_report import EXCEPTIONAL_MARK, build_access_report
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.export import PatientExporter
from app.services.patient_file.identity import PatientService
from app.services.patient_file.notes import NoteService
from app.services.patient_file.printing import DocumentPrinter
from app.services.patient_file.records import (
    DOCUMENT_KIND_LABELS,
    DocumentInfo,
    PatientExport,
    PatientRecord,
)
from app.services.security.codec import ContentCodec, UnreadableContent, is_sealed
from app.services.security.record_keys import REFERRAL as REFERRAL_SCOPE
from app.services.security.record_keys import RecordKeys, is_record_sealed

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document

DOCUMENT_PAGE = 100  # documents per page of a file's list


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


class DocumentService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        auth: AuthService,
        notes: NoteService,
        exceptional: ExceptionalAccessService,
        records: RecordKeys,
    ) -> None:
        self._records = records
        self._db = db
        self._audit = audit
        self._codec = codec
        self._clock = clock
        self._auth = auth
        self._notes = notes
        self._exceptional = exceptional
        self._exporter = PatientExporter(self, auth, notes, exceptional)
        self.printer = DocumentPrinter(self, audit, clock)

    # ---- shared -------------------------------------------------------------------------
    @staticmethod
    def letterhead(session: Session) -> pdf.Letterhead:
        clinic = session.scalar(select(Clinic).limit(1))
        if clinic is None:
            return pdf.Letterhead(_("Maison de santé"))
        return pdf.Letterhead(clinic.name, clinic.address, clinic.phone, clinic.finess)

    def _meta(self, session: Session, title: str, number: str, author: str) -> pdf.DocumentMeta:
        return pdf.DocumentMeta(title, number, author, self._clock(), self.letterhead(session))

    def next_number(self, session: Session) -> str:
        """The next archive number ``REL-<year>-<000042>`` (within the caller's unit of work)."""
        prefix = f"REL-{clinic_today(self._clock).year}-"
        last = session.scalar(
            select(func.max(Document.number)).where(
                Document.number.like(f"{prefix}%"), func.length(Document.number) == len(prefix) + 6
            )
        )
        return f"{prefix}{int(last[len(prefix) :]) + 1 if last else 1:06d}"

    def _unarchived_number(self) -> str:
        return f"REL-{clinic_today(self._clock).year}-NA-{secrets.token_hex(3).upper()}"

    def archive(
        self,
        session: Session,
        actor: Actor,
        *,
        number: str,
        kind: str,
        title: str,
        patient_id: int | None,
        compartment: Compartment,
        data: bytes,
        referral_id: int | None = None,
    ) -> Document:
        """Store a printed document in the patient file (module docstring): its number, hash,
        size, author and date, its bytes and title sealed for ``compartment`` (a referral's
        papers under the referral's own key), within the caller's unit of work. The caller
        audits the print."""
        context = f"document:{number}"
        if referral_id is not None:
            content = self._records.seal(session, actor, REFERRAL_SCOPE, referral_id, data, context)
            sealed_title = self._records.seal(
                session, actor, REFERRAL_SCOPE, referral_id, title.encode("utf-8"), context
            )
        else:
            content = self._codec.seal_bytes(actor, compartment, data, context=context)
            sealed_title = self._codec.seal(actor, compartment, title, context=context + ":title")
        row = Document(
            number=number,
            kind=kind,
            sealed_title=sealed_title,
            patient_id=patient_id,
            compartment=str(compartment),
            author_id=actor.user_id,
            created_at=self._clock(),
            sha256=_sha256(data),
            size=len(data),
            content=content,
            referral_id=referral_id,
        )
        session.add(row)
        if patient_id is not None:
            patient = session.get(Patient, patient_id)
            if patient is not None and patient.archived_at is None:
                mark_activity(session, patient.id, row.created_at)
        session.flush()
        return row

    def _patient(self, session: Session, patient_id: int) -> PatientRecord:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        return PatientService._record(session, patient)

    @staticmethod
    def _patient_lines(p: PatientRecord) -> list[tuple[str, str]]:
        return [
            ("Patient", p.summary.display_name),
            (_("Né(e) le"), fmt_date(p.birth_date)),
            (_("N° de sécurité sociale"), format_nir(p.nir or "")),
        ]

    # ---- sheets that are never archived --------------------------------------------------
    @in_clinic_language
    def recovery_key_sheet(self, clinic: ClinicInfo, recovery_key: str) -> bytes:
        """The clinic's recovery key, printed once at setup for the coordinator."""
        meta = pdf.DocumentMeta(
            _("Clé de secours de la maison de santé"),
            self._unarchived_number(),
            _("l'installation de Relais"),
            self._clock(),
            pdf.Letterhead(clinic.name, clinic.address, clinic.phone, clinic.finess),
            confidentiality=(
                _(
                    "Strictement confidentiel — à garder hors ligne, sous clé. "
                    "Ne pas photographier, numériser ni envoyer par messagerie."
                )
            ),
        )
        body: list[Flowable] = [
            pdf.text(
                _(
                    "Cette clé permet de retrouver l'accès aux volets médical, "
                    "social et de liaison "
                    "de tous les dossiers si toutes les personnes qui les lisent "
                    "ont perdu leur mot "
                    "de passe. Relais ne la conserve nulle part : elle n'a été affichée qu'une "
                    "fois, à l'installation. Sans elle, dans ce cas, personne — ni la coordination "
                    "ni l'éditeur — ne pourra plus lire ces volets."
                )
            ),
            pdf.heading(_("Clé de secours")),
            pdf.secret_box(_key_lines(recovery_key)),
            pdf.heading(_("Comment la conserver")),
            pdf.text(
                _(
                    "• Gardez cette feuille hors ligne, dans un coffre ou une "
                    "armoire fermée à clé, "
                    "à l'écart des postes de la maison de santé.\n"
                    "• N'en faites pas de copie numérique (photo, scan, courriel, clé USB).\n"
                    "• Une seconde copie papier peut être confiée sous pli "
                    "scellé à une personne de "
                    "confiance désignée par la maison de santé.\n"
                    "• Si vous pensez qu'elle a été vue par une personne non "
                    "autorisée, prévenez la "
                    "coordination : un nouveau jeu de clés devra être créé."
                )
            ),
            pdf.heading(_("Comment l'utiliser")),
            pdf.text(
                _(
                    "1. Réinitialisez d'abord le mot de passe des comptes concernés "
                    "(Coordination → Comptes).\n"
                    "2. Sur le poste qui accède à la base, la personne chargée de l'informatique "
                    "lance la commande « relais-admin keys recover » et saisit la clé ci-dessus "
                    "lorsqu'elle est demandée (tirets et espaces facultatifs, majuscules ou "
                    "minuscules).\n"
                    "3. Chaque volet est de nouveau transmis aux comptes habilités ; l'opération "
                    "est inscrite au journal d'audit."
                )
            ),
            pdf.signature_boxes(
                [_("Remise à (nom, fonction)"), _("Date de remise"), _("Signature")],
            ),
        ]
        data = pdf.render(meta, body)
        self._audit.record(
            None,
            AuditAction.PRINT,
            username="installation",
            object_type="recovery_key",
            detail="feuille de la clé de secours (non archivée)",
        )
        return data

    @in_clinic_language
    def recovery_codes_sheet(self, actor: Actor, codes: list[str]) -> bytes:
        """The user's one-time second-factor recovery codes (shown and printed once)."""
        with self._db.session(write=False) as session:
            meta = self._meta(
                session,
                _("Codes de secours — double authentification"),
                self._unarchived_number(),
                actor.display_name,
            )
        meta = pdf.DocumentMeta(
            meta.title,
            meta.number,
            meta.author,
            meta.created_at,
            meta.letterhead,
            confidentiality=(
                _(
                    "Document personnel et confidentiel — à garder à l'écart de votre téléphone. "
                    "Ne le communiquez à personne."
                )
            ),
        )
        body: list[Flowable] = [
            pdf.key_values(
                [
                    (_("Compte"), f"{actor.display_name} ({actor.username})"),
                    (_("Édité le"), fmt_datetime(self._clock())),
                ]
            ),
            pdf.Spacer(1, 3 * mm),
            pdf.text(
                _(
                    "Si vous n'avez plus votre téléphone, saisissez l'un de ces "
                    "codes à la place du "
                    "code à 6 chiffres. Chaque code ne sert qu'une fois : cochez-le après usage. "
                    "Quand il ne vous en reste que peu, ou si vous avez perdu votre téléphone, "
                    "demandez à la coordination de réinitialiser votre double authentification."
                )
            ),
            pdf.heading(_("Vos codes")),
            pdf.code_checklist(codes),
        ]
        data = pdf.render(meta, body)
        self._audit.record(
            actor,
            AuditAction.PRINT,
            object_type="account",
            object_id=actor.user_id,
            detail=f"codes de secours de double authentification ({len(codes)}, non archivés)",
        )
        return data

    # ---- access report and export (their own modules) ------------------------------------
    @in_clinic_language
    def access_report(self, actor: Actor, patient_id: int) -> GeneratedDocument:
        """« Qui a consulté mon dossier » (``access_report.build_access_report``)."""
        return build_access_report(self, actor, patient_id)

    @in_clinic_language
    def export_patient(
        self,
        actor: Actor,
        patient_id: int,
        password: str,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> PatientExport:
        """The file's export (``export.PatientExporter``, module docstring)."""
        return self._exporter.export(
            actor, patient_id, password, progress=progress, cancelled=cancelled
        )

    # ---- archive ------------------------------------------------------------------------
    @staticmethod
    def _readable(actor: Actor) -> list[str]:
        return [str(c) for c in Compartment if policy.allows(actor.role, c, Action.READ)]

    def _documents_query(self, actor: Actor, patient_id: int):
        return select(Document.id).where(
            Document.patient_id == patient_id,
            Document.compartment.in_(self._readable(actor)),
            self._referral_party(actor),
        )

    def _document_rows(
        self,
        session: Session,
        actor: Actor,
        patient_id: int,
        *,
        offset: int = 0,
        limit: int | None = None,
    ) -> list[DocumentInfo]:
        visible = self._documents_query(actor, patient_id)
        query = (
            select(Document, User)
            .outerjoin(User, User.id == Document.author_id)
            # The patient's documents in the order of ``ix_document_patient_created``.
            .where(Document.patient_id == patient_id, Document.id.in_(visible))
            .order_by(Document.created_at.desc(), Document.id.desc())
            .offset(offset)
        )
        rows = session.execute(query if limit is None else query.limit(limit)).all()
        return [
            DocumentInfo(
                id=d.id,
                number=d.number,
                kind=d.kind,
                title=self._title(session, actor, d),
                patient_id=d.patient_id,
                compartment=Compartment(d.compartment),
                author_name=u.display_name if u else "",
                created_at=d.created_at,
                sha256=d.sha256,
                size=d.size,
            )
            for d, u in rows
        ]

    def _open_content(
        self, session: Session, actor: Actor, row: Document, exceptional: bool
    ) -> bytes:
        context = f"document:{row.number}"
        if is_record_sealed(row.content) and row.referral_id is not None:
            return self._records.open(
                session, actor, REFERRAL_SCOPE, row.referral_id, row.content, context
            )
        if is_sealed(row.content):
            return self._codec.open_bytes(
                actor, row.compartment, row.content, context=context, escrow=exceptional
            )
        return row.content  # an administrative paper archived before 0005, in clear

    def _title(self, session: Session, actor: Actor, d: Document) -> str:
        """The sealed title (the kind's label when this session cannot open it)."""
        context = f"document:{d.number}"
        try:
            if d.sealed_title is None:
                return d.title
            if d.referral_id is not None and is_record_sealed(d.sealed_title):
                raw = self._records.open(
                    session, actor, REFERRAL_SCOPE, d.referral_id, d.sealed_title, context
                )
                return raw.decode("utf-8")
            return self._codec.open(
                actor, d.compartment, d.sealed_title, context=context + ":title"
            )
        except (RelaisError, UnicodeDecodeError):
            return DOCUMENT_KIND_LABELS.get(d.kind, "Document")

    @staticmethod
    def _referral_party(actor: Actor):
        """Referral documents are for the referral's sender and receiver only (policy:
        REFERRAL_CONTENT, party scope); other documents are not restricted by this clause."""
        parties = select(Referral.id).where(
            or_(Referral.sender_id == actor.user_id, Referral.receiver_id == actor.user_id)
        )
        return or_(Document.referral_id.is_(None), Document.referral_id.in_(parties))

    def list_documents(self, actor: Actor, patient_id: int) -> list[DocumentInfo]:
        """Archived documents of the file whose compartment the actor may read, newest
        first (the others are not even named)."""
        return self.documents_page(actor, patient_id, limit=None).items

    def documents_page(
        self, actor: Actor, patient_id: int, *, offset: int = 0, limit: int | None = DOCUMENT_PAGE
    ) -> Page[DocumentInfo]:
        """One page of :meth:`list_documents` (all when ``limit`` is None), counted and
        sorted in SQL; only the page's titles are decrypted."""
        offset = max(0, offset)
        with self._db.session(write=False) as session:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            visible = self._documents_query(actor, patient_id).subquery()
            total = int(session.scalar(select(func.count()).select_from(visible)) or 0)
            if not total or offset >= total:
                return Page([], total, offset)
            rows = self._document_rows(session, actor, patient_id, offset=offset, limit=limit)
            return Page(rows, total, offset)

    def open_document(self, actor: Actor, document_id: int) -> bytes:
        """The archived PDF bytes (checked against their SHA-256); audited."""
        with self._db.session() as session:
            row = session.get(Document, document_id)
            if row is None:
                raise NotFound(_("Ce document n'existe pas."))
            compartment = Compartment(row.compartment)
            exceptional = (
                not policy.allows(actor.role, compartment, Action.READ)
                and row.patient_id is not None
                and self._exceptional.is_active(session, actor, row.patient_id, compartment)
            )
            if row.referral_id is not None:
                referral = session.get(Referral, row.referral_id)
                exceptional = False
                party = referral is not None and actor.user_id in (
                    referral.sender_id,
                    referral.receiver_id,
                )
            else:
                party = True
            if not party or not (
                policy.allows(actor.role, compartment, Action.READ) or exceptional
            ):
                patient_id = row.patient_id
                session.rollback()
                self._audit.refused(
                    actor,
                    AuditAction.READ,
                    patient_id=patient_id,
                    compartment=compartment,
                    object_type="document",
                    object_id=document_id,
                )
                raise PermissionDenied(_("Vous n'avez pas accès à ce document."))
            data = self._open_content(session, actor, row, exceptional)
            if _sha256(data) != row.sha256:
                raise UnreadableContent()
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=row.patient_id,
                compartment=compartment,
                object_type="document",
                object_id=row.id,
                detail=row.number + (f" — {EXCEPTIONAL_MARK}" if exceptional else ""),
            )
            return data


def _key_lines(key: str) -> list[str]:
    """The recovery key's groups on two lines, so that it prints large."""
    groups = key.split("-")
    half = (len(groups) + 1) // 2
    return [x for x in ("-".join(groups[:half]), "-".join(groups[half:])) if x]
