"""The structured social assessment, kept as a history of versions: one JSON document per
saved version, sealed in the social compartment and bound to its patient and row; saving
appends a version, two versions are compared section by section in French, someone else's save
since the form was opened is a conflict (``based_on``)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _
from app.models import Appointment, Patient, User
from app.models.db import Database
from app.models.enums import Compartment
from app.models.social import SocialAssessment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, ValidationError
from app.services.kernel.feature_access import FeatureAccess
from app.services.kernel.guard import Conflict
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import aware
from app.services.kernel.validation import parse_date_fr
from app.services.security.codec import ContentCodec
from app.services.social.assessment_form import (
    MAX_LINE,
    MAX_SECTION_TEXT,
    SECTION_BY_KEY,
    SECTIONS,
    FieldKind,
    display_value,
)
from app.services.social.records import (
    AssessmentInput,
    AssessmentValue,
    AssessmentVersion,
    AssessmentView,
    FieldChange,
    SectionChange,
)

SCHEMA = 1
MAX_HISTORY = 500
TEXT_LABEL = N_("Commentaire")


def assessment_context(patient_id: int, row_id: int) -> str:
    """Associated data binding a version's ciphertext to its patient and row."""
    return f"social_assessment:{patient_id}:{row_id}"


def compare(
    before_values: dict, before_texts: dict, after_values: dict, after_texts: dict
) -> list[SectionChange]:
    """What changed, section by section, in the order of ``SECTIONS`` (French values)."""
    out: list[SectionChange] = []
    for section in SECTIONS:
        old = before_values.get(section.key, {})
        new = after_values.get(section.key, {})
        changes = []
        for spec in section.fields:
            a = display_value(spec, old.get(spec.key))
            b = display_value(spec, new.get(spec.key))
            if a != b:
                changes.append(FieldChange(spec.label, a, b))
        a_text = before_texts.get(section.key, "")
        b_text = after_texts.get(section.key, "")
        if a_text != b_text:
            changes.append(FieldChange(_(TEXT_LABEL), a_text, b_text))
        if changes:
            out.append(SectionChange(section.key, section.label, tuple(changes)))
    return out


def _clean_assessment(data: AssessmentInput) -> tuple[dict, dict]:
    """Validated and normalised values and texts (empty ones dropped); French errors."""
    errors: dict[str, str] = {}
    values: dict[str, dict[str, AssessmentValue]] = {}
    texts: dict[str, str] = {}
    for key in set(data.values) | set(data.texts):
        if key not in SECTION_BY_KEY:
            errors[key] = _("Cette rubrique de l'évaluation n'existe pas.")
    for section in SECTIONS:
        given = dict(data.values.get(section.key, {}) or {})
        for key in given:
            if section.field(key) is None:
                errors[f"{section.key}.{key}"] = _(
                    "{label} : cette information n'existe pas dans l'évaluation."
                ).format(label=section.label)
        clean: dict[str, AssessmentValue] = {}
        for spec in section.fields:
            name = f"{section.key}.{spec.key}"
            raw = given.get(spec.key)
            if raw is None or raw == "" or raw == () or raw == []:
                continue
            codes = {code for code, _unused in spec.choices}
            where = f"{section.label} — {spec.label}"
            if spec.kind is FieldKind.CHOICE:
                if not isinstance(raw, str) or raw not in codes:
                    errors[name] = _("{where} : choix inconnu.").format(where=where)
                else:
                    clean[spec.key] = raw
            elif spec.kind is FieldKind.MULTI:
                chosen = [raw] if isinstance(raw, str) else list(raw)
                if any(c not in codes for c in chosen):
                    errors[name] = _("{where} : choix inconnu.").format(where=where)
                else:
                    order = [code for code, _unused in spec.choices]
                    clean[spec.key] = tuple(sorted(set(chosen), key=order.index))
            elif spec.kind is FieldKind.LINE:
                line = clean_line(str(raw))
                if len(line) > MAX_LINE:
                    errors[name] = _("{where} : {MAX_LINE} caractères au plus.").format(
                        where=where, MAX_LINE=MAX_LINE
                    )
                elif line:
                    clean[spec.key] = line
            else:
                day = raw if isinstance(raw, date) else _parse_day(str(raw))
                if day is None:
                    errors[name] = _("{where} : date incorrecte (jj/mm/aaaa).").format(where=where)
                else:
                    clean[spec.key] = day.isoformat()
        if clean:
            values[section.key] = clean
        text = clean_text(str(data.texts.get(section.key, "") or ""))
        if len(text) > MAX_SECTION_TEXT:
            limit = f"{MAX_SECTION_TEXT:,}".replace(",", " ")
            errors[f"{section.key}.text"] = _(
                "{label} : le commentaire est trop long ({limit} caractères au plus)."
            ).format(label=section.label, limit=limit)
        elif text:
            texts[section.key] = text
    if errors:
        raise ValidationError(errors)
    return values, texts


def _parse_day(text: str) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        pass
    return parse_date_fr(text)


def patient_row(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound(_("Ce dossier patient n'existe pas."))
    return patient


def writable_patient(access: FeatureAccess, session: Session, patient_id: int) -> Patient:
    """Inside a unit of work: the patient, refused (and audited) if the file is archived."""
    patient = patient_row(session, patient_id)
    access.writable(patient, AuditAction.UPDATE, None)
    return patient


def user_names(session: Session, ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}


class SocialPart:
    """What the assessments and the action plan share (collaborators of
    ``ConsultationService``): the database, the audit trail, the codec, the clock and the
    social compartment's access."""

    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        access: FeatureAccess,
    ) -> None:
        self._db = db
        self._audit = audit
        self._codec = codec
        self._clock = clock
        self._access = access


class Assessments(SocialPart):
    """The social worker's assessments (a collaborator of ``ConsultationService``)."""

    def _versions(self, session: Session, patient_id: int) -> list[SocialAssessment]:
        return list(
            session.scalars(
                select(SocialAssessment)
                .where(SocialAssessment.patient_id == patient_id)
                .order_by(SocialAssessment.created_at, SocialAssessment.id)
            )
        )

    @staticmethod
    def _version(row: SocialAssessment, number: int, names: dict[int, str]) -> AssessmentVersion:
        return AssessmentVersion(
            id=row.id,
            patient_id=row.patient_id,
            number=number,
            created_at=aware(row.created_at),
            author_id=row.author_id,
            author_name=names.get(row.author_id, "?"),
            appointment_id=row.appointment_id,
        )

    def _open(self, actor: Actor, row: SocialAssessment) -> tuple[dict, dict]:
        text = self._codec.open(
            actor,
            Compartment.SOCIAL,
            row.content,
            context=assessment_context(row.patient_id, row.id),
        )
        data = json.loads(text)
        values = {
            s: {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
            for s, fields in data.get("values", {}).items()
        }
        return values, dict(data.get("texts", {}))

    def _view(
        self,
        actor: Actor,
        rows: list[SocialAssessment],
        index: int,
        names: dict[int, str],
    ) -> AssessmentView:
        row = rows[index]
        values, texts = self._open(actor, row)
        return AssessmentView(
            version=self._version(row, index + 1, names),
            values=values,
            texts=texts,
            is_latest=index == len(rows) - 1,
        )

    def _read_audit(
        self, session: Session, actor: Actor, patient_id: int, object_id, detail: str
    ) -> None:
        self._audit.add(
            session,
            actor,
            AuditAction.READ,
            patient_id=patient_id,
            compartment=Compartment.SOCIAL,
            object_type="social_assessment",
            object_id=object_id,
            detail=detail,
        )

    def assessment(self, actor: Actor, patient_id: int) -> AssessmentView | None:
        """The latest version (None when the patient has none yet)."""
        self._access.require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session() as session:
            patient_row(session, patient_id)
            rows = self._versions(session, patient_id)
            if not rows:
                self._read_audit(session, actor, patient_id, None, "aucune évaluation")
                return None
            names = user_names(session, [rows[-1].author_id])
            view = self._view(actor, rows, len(rows) - 1, names)
            self._read_audit(session, actor, patient_id, view.id, f"dernière version ({len(rows)})")
            return view

    def history(self, actor: Actor, patient_id: int) -> list[AssessmentVersion]:
        """Every saved version, newest first (date, author; no content)."""
        self._access.require(actor, Action.READ, AuditAction.READ, patient_id)
        with self._db.session() as session:
            patient_row(session, patient_id)
            rows = self._versions(session, patient_id)
            names = user_names(session, [r.author_id for r in rows])
            out = [self._version(r, i + 1, names) for i, r in enumerate(rows)]
            self._read_audit(session, actor, patient_id, None, f"historique ({len(out)})")
            return list(reversed(out))[:MAX_HISTORY]

    def _load_version(
        self, session: Session, actor: Actor, assessment_id: int
    ) -> tuple[list[SocialAssessment], int]:
        row = session.get(SocialAssessment, assessment_id)
        if row is None:
            raise NotFound(_("Cette version de l'évaluation sociale n'existe pas."))
        rows = self._versions(session, row.patient_id)
        return rows, next(i for i, r in enumerate(rows) if r.id == row.id)

    def version(self, actor: Actor, assessment_id: int) -> AssessmentView:
        """One version with its content."""
        self._access.require_on(actor, Action.READ, AuditAction.READ, assessment_id)
        with self._db.session() as session:
            rows, index = self._load_version(session, actor, assessment_id)
            names = user_names(session, [rows[index].author_id])
            view = self._view(actor, rows, index, names)
            self._read_audit(
                session, actor, view.version.patient_id, view.id, f"version {index + 1}"
            )
            return view

    def changes(self, actor: Actor, assessment_id: int) -> list[SectionChange]:
        """What this version changed from the one before (the first: everything filled in)."""
        self._access.require_on(actor, Action.READ, AuditAction.READ, assessment_id)
        with self._db.session() as session:
            rows, index = self._load_version(session, actor, assessment_id)
            after = self._open(actor, rows[index])
            before = self._open(actor, rows[index - 1]) if index > 0 else ({}, {})
            self._read_audit(
                session,
                actor,
                rows[index].patient_id,
                rows[index].id,
                f"changements de la version {index + 1}",
            )
            return compare(before[0], before[1], after[0], after[1])

    def save(
        self,
        actor: Actor,
        patient_id: int,
        data: AssessmentInput,
        *,
        based_on: int | None,
        appointment_id: int | None = None,
    ) -> AssessmentView:
        """Append a version. ``based_on``: the id of the latest version when the form was
        opened (None when there was none); if someone saved since, :class:`ConflictError`
        (``theirs``: their version) and nothing is written."""
        self._access.require(actor, Action.WRITE, AuditAction.CREATE, patient_id)
        values, texts = _clean_assessment(data)
        if not values and not texts:
            raise ValidationError({"assessment": _("L'évaluation est vide : rien à enregistrer.")})

        def work(session: Session) -> AssessmentView:
            patient = writable_patient(self._access, session, patient_id)
            rows = self._versions(session, patient_id)
            latest = rows[-1] if rows else None
            if (latest.id if latest else None) != based_on:
                names = user_names(session, [latest.author_id] if latest else [])
                theirs = self._view(actor, rows, len(rows) - 1, names) if latest else None
                raise Conflict(
                    ConflictError(
                        _("L'évaluation sociale"),
                        mine=data,
                        theirs=theirs,
                        theirs_by=theirs.version.author_name if theirs else "",
                        theirs_at=theirs.version.created_at if theirs else None,
                    ),
                    patient_id=patient_id,
                    compartment=Compartment.SOCIAL,
                    object_type="social_assessment",
                    object_id=latest.id if latest else None,
                )
            if latest is not None and self._open(actor, latest) == (values, texts):
                raise ValidationError(
                    {"assessment": _("Rien n'a changé depuis la dernière version.")}
                )
            if appointment_id is not None:
                self._check_appointment(session, patient_id, appointment_id)
            now = self._clock()
            row = SocialAssessment(
                patient_id=patient_id,
                author_id=actor.user_id,
                appointment_id=appointment_id,
                created_at=now,
                content=b"",
            )
            session.add(row)
            session.flush()
            document = {"schema": SCHEMA, "values": values, "texts": texts}
            row.content = self._codec.seal(
                actor,
                Compartment.SOCIAL,
                json.dumps(document, ensure_ascii=False),
                context=assessment_context(patient_id, row.id),
            )
            mark_activity(session, patient.id, now)
            session.flush()
            self._access.audit(session, actor, AuditAction.CREATE, row, f"version {len(rows) + 1}")
            rows.append(row)
            return self._view(actor, rows, len(rows) - 1, {row.author_id: actor.display_name})

        return self._access.run(actor, work)

    @staticmethod
    def _check_appointment(session: Session, patient_id: int, appointment_id: int) -> None:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.patient_id != patient_id:
            raise ValidationError(
                {"appointment_id": _("Ce rendez-vous n'est pas un rendez-vous de ce patient.")}
            )
