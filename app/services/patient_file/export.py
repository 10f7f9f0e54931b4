"""The patient export (right of access and portability): after re-authentication, the identity,
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

The work goes in steps, the re-authentication first (the caller runs the whole export off the
UI thread): ``progress(done, total)`` before each, and ``cancelled()`` asked before each; a
cancelled export raises :class:`Cancelled` before its one unit of work, so nothing is
archived and nothing audited as exported.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from app.i18n import N_, Labels, _
from app.lazy import mm, on_first_use
from app.models.enums import Compartment, Profession, Role
from app.services.accounts.auth import AuthService
from app.services.accounts.records import PROFESSION_LABELS
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import KeyUnavailable, PermissionDenied
from app.services.kernel.policy import NOTE_COMPARTMENTS, Action, Resource
from app.services.kernel.records import COMPARTMENT_LABELS, ROLE_LABELS
from app.services.kernel.timefmt import fmt_date, fmt_datetime
from app.services.kernel.validation import format_nir
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.notes import NoteService
from app.services.patient_file.records import (
    DOCUMENT_KIND_LABELS,
    Cancelled,
    DocumentInfo,
    NoteView,
    PatientExport,
    PatientRecord,
)
from app.services.security.codec import UnreadableContent

if TYPE_CHECKING:
    from reportlab.platypus import Flowable

    from app.services.kernel import pdf
    from app.services.patient_file.documents import DocumentService
else:
    pdf = on_first_use("app.services.kernel.pdf")  # reportlab, loaded with the first document

EXPORT_FORMAT = "relais-export-1"
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


class PatientExporter:
    """The export, written through the document archive it belongs to."""

    def __init__(
        self,
        documents: DocumentService,
        auth: AuthService,
        notes: NoteService,
        exceptional: ExceptionalAccessService,
    ) -> None:
        self._documents = documents
        self._auth = auth
        self._notes = notes
        self._exceptional = exceptional

    def export(
        self,
        actor: Actor,
        patient_id: int,
        password: str,
        *,
        progress: Callable[[int, int], None] | None = None,
        cancelled: Callable[[], bool] | None = None,
    ) -> PatientExport:
        """The file's export (module docstring). ``progress(done, total)`` is told after each
        step; when ``cancelled()`` turns true before the last step, :class:`Cancelled` is
        raised and nothing is archived (the audited reads of the notes stay audited)."""
        if not policy.allows(actor.role, Resource.ADMINISTRATIVE, Action.READ):
            self._documents._audit.refused(actor, AuditAction.EXPORT, patient_id=patient_id)
            raise PermissionDenied(_("Votre rôle ne permet pas d'exporter un dossier patient."))
        steps = len(NOTE_COMPARTMENTS) + 2

        def step(done: int) -> None:
            if cancelled is not None and cancelled():
                raise Cancelled(_("Export annulé : rien n'a été enregistré ni archivé."))
            if progress is not None:
                progress(done, steps)

        step(0)  # the re-authentication (Argon2) is the first step
        self._auth.reauthenticate(actor, password)
        with self._documents._db.session(write=False) as session:
            patient = self._documents._patient(session, patient_id)
        exceptional = {a.compartment for a in self._exceptional.active(actor, patient_id)}
        notes, reasons = self._export_notes(actor, patient_id, exceptional, step)
        step(steps - 1)
        return self._write_export(actor, patient_id, patient, notes, reasons)

    def _export_notes(
        self,
        actor: Actor,
        patient_id: int,
        exceptional: set,
        step: Callable[[int], None],
    ) -> tuple[dict[Compartment, list[NoteView]], dict[Compartment, str]]:
        notes: dict[Compartment, list[NoteView]] = {}
        reasons: dict[Compartment, str] = {}
        for done, compartment in enumerate(NOTE_COMPARTMENTS, start=2):
            step(done - 1)
            if not (
                policy.allows(actor.role, compartment, Action.READ) or compartment in exceptional
            ):
                reasons[compartment] = _("votre rôle ne donne pas accès à ce volet")
                continue
            try:
                notes[compartment] = self._notes.list(actor, patient_id, compartment)
            except (PermissionDenied, KeyUnavailable, UnreadableContent) as exc:
                reasons[compartment] = exc.message
        return notes, reasons

    def _write_export(
        self,
        actor: Actor,
        patient_id: int,
        patient: PatientRecord,
        notes: dict[Compartment, list[NoteView]],
        reasons: dict[Compartment, str],
    ) -> PatientExport:
        """The export's one unit of work: the archived copy and its audit entry."""
        included = [Compartment.ADMINISTRATIVE, *notes]
        omitted = list(reasons)
        target = archive_compartment(included)
        if target is not None and target is not Compartment.ADMINISTRATIVE:
            held = actor.keys.role_keys if actor.keys else {}
            if str(target) not in held:
                target = None
        now = self._documents._clock()
        with self._documents._db.session() as session:
            documents = self._documents._document_rows(session, actor, patient_id)
            number = self._documents.next_number(session) if target is not None else ""
            title = DOCUMENT_KIND_LABELS["patient_export"]
            meta = self._documents._meta(
                session, title, number or self._documents._unarchived_number(), actor.display_name
            )
            doc = _export_json(meta, actor, patient, notes, reasons, documents, number or None, now)
            data = pdf.render(meta, _export_body(patient, notes, reasons, documents, target))
            row = None
            if target is not None:
                row = self._documents.archive(
                    session,
                    actor,
                    number=number,
                    kind="patient_export",
                    title=title,
                    patient_id=patient_id,
                    compartment=target,
                    data=data,
                )
            self._documents._audit.add(
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


def _export_body(
    p: PatientRecord,
    notes: dict[Compartment, list[NoteView]],
    reasons: dict[Compartment, str],
    documents: list[DocumentInfo],
    target: Compartment | None,
) -> list[Flowable]:
    body = _identity_section(p) + _notes_section(notes)
    if documents:
        body.append(pdf.heading(_("Documents archivés dans le dossier")))
        body.append(
            pdf.table(
                ["N°", _("Document"), _("Date")],
                [[d.number, d.title, fmt_datetime(d.created_at)] for d in documents],
                widths=[40 * mm, 95 * mm, 39 * mm],
            )
        )
    body.append(pdf.KeepTogether(_missing_section(reasons)))
    body.append(pdf.Spacer(1, 3 * mm))
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


def _identity_section(p: PatientRecord) -> list[Flowable]:
    return [
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
                (_("N° de sécurité sociale"), format_nir(p.nir or "")),
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


def _notes_section(notes: dict[Compartment, list[NoteView]]) -> list[Flowable]:
    body: list[Flowable] = []
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
    return body


def _missing_section(reasons: dict[Compartment, str]) -> list[Flowable]:
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
    return missing


def _patient_json(p: PatientRecord) -> dict:
    return {
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
    }


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
        "patient": _patient_json(p),
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
