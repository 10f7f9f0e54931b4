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

Patient export (right of access / portability): after re-authentication, the identity,
contact and care team, and the notes of every compartment the exporting user can read and
decrypt (through ``NoteService.list``, whose reads are audited as usual). Compartments left out
are listed in both outputs with the roles that may export them.

Archiving of the export: the PDF holds notes, so it cannot go to the administrative
compartment, which every role reads. It is archived sealed under the *most restrictive*
compartment it contains: the one whose readers all may read every other compartment included
(a GP's export of medical and liaison notes goes to the medical compartment, a social worker's
export of social and liaison notes to the social compartment). When no such compartment exists
(e.g. medical and social notes together, through an exceptional access), or when the exporting
session holds no role key for it, the export is **not archived** — the PDF says so. An export
without any note is archived in the administrative compartment.

JSON format ``relais-export-1`` (UTF-8, ISO 8601 dates and UTC times):
``format``, ``generated_at``, ``generated_by`` {``name``, ``profession``}, ``clinic`` {``name``,
``address``, ``finess``}, ``patient`` {``id``, ``birth_name``, ``used_name``, ``first_names``,
``sex`` (F/M/I), ``birth_date``, ``birth_place_code``, ``identity_status``, ``nir``,
``contact`` {``phone``, ``email``, ``address``, ``postal_code``, ``city``}, ``care_team``
{``attending_gp``, ``attending_gp_other``, ``social_referent``}, ``created_at``, ``archived``},
``compartments`` {``included`` [codes], ``omitted`` [{``compartment``, ``label``, ``reason``,
``exportable_by`` [role labels]}]}, ``notes`` [{``compartment``, ``author``, ``created_at``,
``updated_at``, ``updated_by``, ``text``}], ``documents`` [{``number``, ``title``,
``compartment``, ``created_at``, ``sha256``}], ``archived_copy`` (number or null).
"""

from __future__ import annotations

import hashlib
import json
import secrets
from datetime import datetime

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Spacer
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from app.clock import Clock, clinic_today
from app.i18n import N_, Labels, _
from app.models import AuditEntry, Clinic, Document, Patient, Referral, User
from app.models.db import Database
from app.models.enums import AuditOutcome, Compartment, Profession, Role
from app.services.accounts.auth import AuthService
from app.services.accounts.records import PROFESSION_LABELS
from app.services.audit.writer import AuditWriter
from app.services.clinic.records import ClinicInfo
from app.services.document_language import in_clinic_language
from app.services.kernel import pdf, policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import KeyUnavailable, NotFound, PermissionDenied, RelaisError
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import NOTE_COMPARTMENTS, Action, Resource
from app.services.kernel.records import COMPARTMENT_LABELS, ROLE_LABELS, GeneratedDocument
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.identity import PatientService
from app.services.patient_file.notes import NoteService
from app.services.patient_file.records import DocumentInfo, NoteView, PatientExport, PatientRecord
from app.services.security.codec import ContentCodec, UnreadableContent, is_sealed
from app.services.security.record_keys import REFERRAL as REFERRAL_SCOPE
from app.services.security.record_keys import RecordKeys, is_record_sealed

EXPORT_FORMAT = "relais-export-1"
ACCESS_ACTIONS = (
    AuditAction.READ,
    AuditAction.BREAK_GLASS,
    AuditAction.PRINT,
    AuditAction.EXPORT,
)
EXCEPTIONAL_MARK = "accès exceptionnel"
KIND_LABELS = Labels(
    {
        "access_report": N_("Relevé des accès au dossier"),
        "patient_export": N_("Export du dossier (droit d'accès)"),
    }
)
SEX_LABELS = Labels({"F": N_("Féminin"), "M": N_("Masculin"), "I": N_("Indéterminé")})
ROLE_ORDER = (Role.GP, Role.PARAMEDICAL, Role.SOCIAL_WORKER, Role.SECRETARY, Role.COORDINATOR)


def readers(compartment: Compartment) -> set[Role]:
    return {r for r in Role if policy.allows(r, compartment, Action.READ)}


def archive_compartment(included: list[Compartment]) -> Compartment | None:
    """Where an export holding these compartments may be archived (module docstring)."""
    notes = [c for c in included if c in NOTE_COMPARTMENTS]
    if not notes:
        return Compartment.ADMINISTRATIVE
    fitting = [c for c in notes if all(readers(c) <= readers(other) for other in notes)]
    return min(fitting, key=lambda c: len(readers(c))) if fitting else None


def exportable_by(compartment: Compartment) -> list[str]:
    return [ROLE_LABELS[r] for r in ROLE_ORDER if r in readers(compartment)]


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _user_label(user: User | None, fallback: str) -> tuple[str, str]:
    """(name, profession label) of an account, or the audit's username if it is gone."""
    if user is None:
        return fallback, ""
    return user.display_name, PROFESSION_LABELS.get(Profession(user.profession), "")


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
            (_("N° de sécurité sociale"), p.nir or ""),
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
            Spacer(1, 3 * mm),
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

    # ---- access report --------------------------------------------------------------------
    @in_clinic_language
    def access_report(self, actor: Actor, patient_id: int) -> GeneratedDocument:
        """« Qui a consulté mon dossier » : every opening of each part of the file, from the
        audit trail — who, profession, when (local time), which part — and no content."""
        if not policy.allows(actor.role, Resource.AUDIT, Action.READ):
            self._audit.refused(
                actor,
                AuditAction.PRINT,
                patient_id=patient_id,
                object_type="document",
                detail="access_report",
            )
            raise PermissionDenied(
                _("Seule la coordination peut éditer le relevé des accès au dossier d'un patient.")
            )
        title = KIND_LABELS["access_report"]
        with self._db.session() as session:
            patient = self._patient(session, patient_id)
            entries = session.scalars(
                select(AuditEntry)
                .where(
                    AuditEntry.patient_id == patient_id,
                    AuditEntry.outcome == str(AuditOutcome.OK),
                    AuditEntry.action.in_(ACCESS_ACTIONS),
                )
                .order_by(AuditEntry.at, AuditEntry.id)
            ).all()
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
            number = self.next_number(session)
            meta = self._meta(session, title, number, actor.display_name)
            body: list[Flowable] = [
                pdf.key_values(
                    [
                        *self._patient_lines(patient),
                        (_("Période"), _period(entries, self._clock())),
                    ]
                ),
                Spacer(1, 3 * mm),
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
            data = pdf.render(meta, body)
            row = self.archive(
                session,
                actor,
                number=number,
                kind="access_report",
                title=title,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                data=data,
            )
            self._audit.add(
                session,
                actor,
                AuditAction.PRINT,
                patient_id=patient_id,
                compartment=Compartment.ADMINISTRATIVE,
                object_type="document",
                object_id=row.id,
                detail=f"access_report {number}",
            )
            return GeneratedDocument(row.id, number, title, data)

    # ---- export (right of access / portability) -------------------------------------------
    @in_clinic_language
    def export_patient(self, actor: Actor, patient_id: int, password: str) -> PatientExport:
        if not policy.allows(actor.role, Resource.ADMINISTRATIVE, Action.READ):
            self._audit.refused(actor, AuditAction.EXPORT, patient_id=patient_id)
            raise PermissionDenied(_("Votre rôle ne permet pas d'exporter un dossier patient."))
        self._auth.reauthenticate(actor, password)
        with self._db.session(write=False) as session:
            patient = self._patient(session, patient_id)
        exceptional = {a.compartment for a in self._exceptional.active(actor, patient_id)}
        notes: dict[Compartment, list[NoteView]] = {}
        reasons: dict[Compartment, str] = {}
        for compartment in NOTE_COMPARTMENTS:
            if not (
                policy.allows(actor.role, compartment, Action.READ) or compartment in exceptional
            ):
                reasons[compartment] = _("votre rôle ne donne pas accès à ce volet")
                continue
            try:
                notes[compartment] = self._notes.list(actor, patient_id, compartment)
            except (PermissionDenied, KeyUnavailable, UnreadableContent) as exc:
                reasons[compartment] = exc.message
        included = [Compartment.ADMINISTRATIVE, *notes]
        omitted = list(reasons)
        target = archive_compartment(included)
        if target is not None and target is not Compartment.ADMINISTRATIVE:
            held = actor.keys.role_keys if actor.keys else {}
            if str(target) not in held:
                target = None
        now = self._clock()
        with self._db.session() as session:
            documents = self._document_rows(session, actor, patient_id)
            number = self.next_number(session) if target is not None else ""
            title = KIND_LABELS["patient_export"]
            meta = self._meta(
                session, title, number or self._unarchived_number(), actor.display_name
            )
            doc = _export_json(meta, actor, patient, notes, reasons, documents, number or None, now)
            data = pdf.render(meta, _export_body(patient, notes, reasons, documents, target))
            row = None
            if target is not None:
                row = self.archive(
                    session,
                    actor,
                    number=number,
                    kind="patient_export",
                    title=title,
                    patient_id=patient_id,
                    compartment=target,
                    data=data,
                )
            self._audit.add(
                session,
                actor,
                AuditAction.EXPORT,
                patient_id=patient_id,
                compartment=target,
                object_type="document" if row else "patient",
                object_id=row.id if row else patient_id,
                detail=(
                    _("volets : ")
                    + ", ".join(str(c) for c in included)
                    + (_("; omis : ") + ", ".join(str(c) for c in omitted) if omitted else "")
                    + ("" if row else _("; copie non archivée"))
                ),
            )
            return PatientExport(
                pdf=data,
                json=json.dumps(doc, ensure_ascii=False, indent=2).encode("utf-8"),
                included=included,
                omitted=omitted,
                document_id=row.id if row else None,
                number=number,
            )

    # ---- archive ------------------------------------------------------------------------
    @staticmethod
    def _readable(actor: Actor) -> list[str]:
        return [str(c) for c in Compartment if policy.allows(actor.role, c, Action.READ)]

    def _document_rows(self, session: Session, actor: Actor, patient_id: int) -> list[DocumentInfo]:
        rows = session.execute(
            select(Document, User)
            .outerjoin(User, User.id == Document.author_id)
            .where(
                Document.patient_id == patient_id,
                Document.compartment.in_(self._readable(actor)),
                self._referral_party(actor),
            )
            .order_by(Document.created_at.desc(), Document.id.desc())
        ).all()
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
            return KIND_LABELS.get(d.kind, "Document")

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
        with self._db.session(write=False) as session:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            return self._document_rows(session, actor, patient_id)

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


# ---- access report helpers ----------------------------------------------------------------
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


# ---- export helpers -----------------------------------------------------------------------
def _export_body(
    p: PatientRecord,
    notes: dict[Compartment, list[NoteView]],
    reasons: dict[Compartment, str],
    documents: list[DocumentInfo],
    target: Compartment | None,
) -> list[Flowable]:
    body: list[Flowable] = [
        pdf.text(
            _(
                "Ce document rassemble les informations que Relais conserve sur le patient et que "
                "la personne qui l'a établi est autorisée à lire (droit "
                "d'accès et de portabilité). "
                "Un fichier informatique (JSON, format « relais-export-1 ») l'accompagne."
            )
        ),
        pdf.heading(_("Identité")),
        pdf.key_values(
            [
                (_("Nom de naissance"), p.birth_name),
                (_("Nom d'usage"), p.used_name),
                (_("Prénoms"), p.first_names),
                (_("Sexe"), SEX_LABELS.get(str(p.sex), str(p.sex))),
                (_("Date de naissance"), fmt_date(p.birth_date)),
                (_("Lieu de naissance (code)"), p.birth_place_code),
                (_("N° de sécurité sociale"), p.nir or ""),
                (_("Identité"), _("validée") if p.identity_status == "validated" else "provisoire"),
            ]
        ),
        pdf.heading(_("Coordonnées")),
        pdf.key_values(
            [
                (_("Téléphone"), p.phone),
                ("E-mail", p.email),
                (_("Adresse"), " ".join(x for x in (p.address, p.postal_code, p.city) if x)),
            ]
        ),
        pdf.heading(_("Équipe de soins")),
        pdf.key_values(
            [
                (_("Médecin traitant"), p.attending_gp_name or p.attending_gp_other),
                (_("Référent(e) social(e)"), p.social_referent_name),
            ]
        ),
    ]
    for compartment, views in notes.items():
        body.append(
            pdf.heading(_("Volet {value}").format(value=COMPARTMENT_LABELS[compartment].lower()))
        )
        if not views:
            body.append(pdf.text(_("Aucune note."), "muted"))
        for note in views:
            body.append(
                pdf.text(
                    f"{fmt_datetime(note.created_at)} — {note.author_name}"
                    + (
                        _(" (modifiée le {updated_at} par {updated_by_name})").format(
                            updated_at=fmt_datetime(note.updated_at),
                            updated_by_name=note.updated_by_name,
                        )
                        if note.updated_at != note.created_at
                        else ""
                    ),
                    "label",
                )
            )
            body.extend(pdf.paragraphs(note.text))
    if documents:
        body.append(pdf.heading(_("Documents archivés dans le dossier")))
        body.append(
            pdf.table(
                ["N°", _("Document"), _("Date")],
                [[d.number, d.title, fmt_datetime(d.created_at)] for d in documents],
                widths=[40 * mm, 95 * mm, 39 * mm],
            )
        )
    missing: list[Flowable] = [pdf.heading(_("Parties du dossier non incluses"))]
    if reasons:
        missing.append(
            pdf.key_values(
                [
                    (
                        _("Volet {value}").format(value=COMPARTMENT_LABELS[c].lower()),
                        _("Non inclus : {reason}. Peut être exporté par : {value}.").format(
                            reason=reason, value=", ".join(exportable_by(c))
                        ),
                    )
                    for c, reason in reasons.items()
                ]
            )
        )
    else:
        missing.append(pdf.text(_("Aucune : toutes les parties du dossier sont incluses.")))
    body.append(KeepTogether(missing))
    body.append(Spacer(1, 3 * mm))
    body.append(
        pdf.text(
            _("Une copie de cet export est archivée dans le volet {value} du dossier.").format(
                value=COMPARTMENT_LABELS[target].lower()
            )
            if target is not None
            else _(
                "Cet export n'est pas archivé dans le dossier : il réunit des volets que "
                "personne d'autre n'est autorisé à lire ensemble."
            ),
            "muted",
        )
    )
    return body


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def _export_json(
    meta: pdf.DocumentMeta,
    actor: Actor,
    p: PatientRecord,
    notes: dict[Compartment, list[NoteView]],
    reasons: dict[Compartment, str],
    documents: list[DocumentInfo],
    number: str | None,
    now: datetime,
) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "generated_at": _iso(now),
        "generated_by": {
            "name": actor.display_name,
            "profession": PROFESSION_LABELS.get(Profession(actor.profession), ""),
        },
        "clinic": {
            "name": meta.letterhead.clinic_name,
            "address": meta.letterhead.clinic_address,
            "finess": meta.letterhead.clinic_finess,
        },
        "patient": {
            "id": p.id,
            "birth_name": p.birth_name,
            "used_name": p.used_name,
            "first_names": p.first_names,
            "sex": str(p.sex),
            "birth_date": p.birth_date.isoformat(),
            "birth_place_code": p.birth_place_code,
            "identity_status": str(p.identity_status),
            "nir": p.nir,
            "contact": {
                "phone": p.phone,
                "email": p.email,
                "address": p.address,
                "postal_code": p.postal_code,
                "city": p.city,
            },
            "care_team": {
                "attending_gp": p.attending_gp_name or None,
                "attending_gp_other": p.attending_gp_other or None,
                "social_referent": p.social_referent_name or None,
            },
            "created_at": _iso(p.created_at),
            "archived": p.archived,
        },
        "compartments": {
            "included": [str(Compartment.ADMINISTRATIVE), *(str(c) for c in notes)],
            "omitted": [
                {
                    "compartment": str(c),
                    "label": COMPARTMENT_LABELS[c],
                    "reason": reason,
                    "exportable_by": exportable_by(c),
                }
                for c, reason in reasons.items()
            ],
        },
        "notes": [
            {
                "compartment": str(c),
                "author": n.author_name,
                "created_at": _iso(n.created_at),
                "updated_at": _iso(n.updated_at),
                "updated_by": n.updated_by_name,
                "text": n.text,
            }
            for c, views in notes.items()
            for n in views
        ],
        "documents": [
            {
                "number": d.number,
                "title": d.title,
                "compartment": str(d.compartment),
                "created_at": _iso(d.created_at),
                "sha256": d.sha256,
            }
            for d in documents
        ],
        "archived_copy": number,
    }


def _key_lines(key: str) -> list[str]:
    """The recovery key's groups on two lines, so that it prints large."""
    groups = key.split("-")
    half = (len(groups) + 1) // 2
    return [x for x in ("-".join(groups[:half]), "-".join(groups[half:])) if x]
