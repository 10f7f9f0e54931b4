"""The social worker's own records of her consultations: the structured social assessment, kept
as a history of versions, and the action plan (*démarches*) with its reminders.

- Social worker only (``Resource.SOCIAL``): every other role is refused, the refusal audited,
  nothing written. Reading is audited (patient, compartment social), never the content.
- The assessment is one JSON document per saved version, sealed in the social compartment
  through the content codec and bound to its patient and row (``assessment_context``); a saved
  version is never changed: saving appends one, the form opens on the latest, and two
  versions are compared section by section in French (``changes``). Someone else's save
  since the form was opened is a :class:`ConflictError` (``based_on``).
- An action's kind, status and dates are plain columns (reminders need them); its detail is
  sealed. Overdue actions (due date passed) and reminders whose date has come appear in their
  owner's inbox (an inbox source: :meth:`inbox_items`, :meth:`mark_item_read`); the item's
  text is the kind label and the date, nothing else.
- Free notes are the social notes of ``NoteService``: no second notes system here.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.clock import Clock, clinic_today
from app.i18n import N_, _
from app.models import Appointment, Partner, Patient, User
from app.models.db import Database
from app.models.enums import Compartment, Sex
from app.models.social import SocialAction, SocialAssessment
from app.services.audit.writer import AuditWriter
from app.services.inbox.records import InboxItem
from app.services.inbox.service import mark_reminder_seen, reminder_item
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import (
    ConflictError,
    NotFound,
    PermissionDenied,
    RelaisError,
    ValidationError,
)
from app.services.kernel.guard import Conflict, Guard
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import PatientSummary
from app.services.kernel.text import clean_line, clean_text
from app.services.kernel.timefmt import aware, fmt_date, start_of_day
from app.services.kernel.validation import parse_date_fr
from app.services.security.codec import ContentCodec
from app.services.security.sealed_fields import SOCIAL_ACTION
from app.services.social.assessment_form import (
    MAX_LINE,
    MAX_SECTION_TEXT,
    SECTION_BY_KEY,
    SECTIONS,
    FieldKind,
    display_value,
)
from app.services.social.records import (
    ACTION_KIND_LABELS,
    CLOSED_STATUSES,
    MAX_ACTION_DETAIL,
    ActionKind,
    ActionStatus,
    AssessmentInput,
    AssessmentValue,
    AssessmentVersion,
    AssessmentView,
    FieldChange,
    SectionChange,
    SocialActionInput,
    SocialActionView,
)

SOURCE = "social_actions"
REFUSED = "Le suivi social (évaluation, démarches) est réservé à l'assistante sociale."
ARCHIVED = N_("Ce dossier est archivé : il ne peut plus être modifié.")
TEXT_LABEL = N_("Commentaire")
SCHEMA = 1
MAX_HISTORY = 500


def assessment_context(patient_id: int, row_id: int) -> str:
    """Associated data binding a version's ciphertext to its patient and row."""
    return f"social_assessment:{patient_id}:{row_id}"


def action_context(patient_id: int, row_id: int) -> str:
    return f"social_action:{patient_id}:{row_id}"


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


class ConsultationService:
    def __init__(self, db: Database, audit: AuditWriter, codec: ContentCodec, clock: Clock):
        self._db = db
        self._audit = audit
        self._codec = codec
        self._clock = clock
        self._guard = Guard(db, audit)

    # ---- gate ---------------------------------------------------------------------------
    def can_consult(self, actor: Actor) -> bool:
        """The consultation screen and the « Suivi social » tab: the social worker only."""
        return self._guard.allows(actor, Resource.SOCIAL, Action.WRITE)

    def _require(
        self,
        actor: Actor,
        action: Action,
        audit_action: str,
        patient_id: int | None,
        object_type: str,
        object_id: int | None = None,
    ) -> None:
        self._guard.require(
            actor,
            Resource.SOCIAL,
            action,
            audit_action,
            message=REFUSED,
            patient_id=patient_id,
            compartment=Compartment.SOCIAL,
            object_type=object_type,
            object_id=object_id,
            detail="réservé à l'assistante sociale",
        )

    @staticmethod
    def _patient(session: Session, patient_id: int, *, writing: bool = False) -> Patient:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFound(_("Ce dossier patient n'existe pas."))
        if writing and patient.archived_at is not None:
            raise PermissionDenied(_(ARCHIVED))
        return patient

    def _today(self) -> date:
        return clinic_today(self._clock)

    # ---- assessment ---------------------------------------------------------------------
    def _versions(self, session: Session, patient_id: int) -> list[SocialAssessment]:
        return list(
            session.scalars(
                select(SocialAssessment)
                .where(SocialAssessment.patient_id == patient_id)
                .order_by(SocialAssessment.created_at, SocialAssessment.id)
            )
        )

    @staticmethod
    def _names(session: Session, ids) -> dict[int, str]:
        ids = {i for i in ids if i is not None}
        if not ids:
            return {}
        return {u.id: u.display_name for u in session.scalars(select(User).where(User.id.in_(ids)))}

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
        self._require(actor, Action.READ, AuditAction.READ, patient_id, "social_assessment")
        with self._db.session() as session:
            self._patient(session, patient_id)
            rows = self._versions(session, patient_id)
            if not rows:
                self._read_audit(session, actor, patient_id, None, "aucune évaluation")
                return None
            names = self._names(session, [rows[-1].author_id])
            view = self._view(actor, rows, len(rows) - 1, names)
            self._read_audit(session, actor, patient_id, view.id, f"dernière version ({len(rows)})")
            return view

    def history(self, actor: Actor, patient_id: int) -> list[AssessmentVersion]:
        """Every saved version, newest first (date, author; no content)."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id, "social_assessment")
        with self._db.session() as session:
            self._patient(session, patient_id)
            rows = self._versions(session, patient_id)
            names = self._names(session, [r.author_id for r in rows])
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

    def _patient_of(self, assessment_id: int) -> int | None:
        with self._db.session(write=False) as session:
            return session.scalar(
                select(SocialAssessment.patient_id).where(SocialAssessment.id == assessment_id)
            )

    def version(self, actor: Actor, assessment_id: int) -> AssessmentView:
        """One version with its content."""
        self._require(
            actor,
            Action.READ,
            AuditAction.READ,
            self._patient_of(assessment_id),
            "social_assessment",
            assessment_id,
        )
        with self._db.session() as session:
            rows, index = self._load_version(session, actor, assessment_id)
            names = self._names(session, [rows[index].author_id])
            view = self._view(actor, rows, index, names)
            self._read_audit(
                session, actor, view.version.patient_id, view.id, f"version {index + 1}"
            )
            return view

    def changes(self, actor: Actor, assessment_id: int) -> list[SectionChange]:
        """What this version changed from the one before (the first: everything filled in)."""
        self._require(
            actor,
            Action.READ,
            AuditAction.READ,
            self._patient_of(assessment_id),
            "social_assessment",
            assessment_id,
        )
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

    def save_assessment(
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
        self._require(actor, Action.WRITE, AuditAction.CREATE, patient_id, "social_assessment")
        values, texts = _clean_assessment(data)
        if not values and not texts:
            raise ValidationError({"assessment": _("L'évaluation est vide : rien à enregistrer.")})

        def work(session: Session) -> AssessmentView:
            patient = self._patient(session, patient_id, writing=True)
            rows = self._versions(session, patient_id)
            latest = rows[-1] if rows else None
            if (latest.id if latest else None) != based_on:
                names = self._names(session, [latest.author_id] if latest else [])
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
            self._audit.add(
                session,
                actor,
                AuditAction.CREATE,
                patient_id=patient_id,
                compartment=Compartment.SOCIAL,
                object_type="social_assessment",
                object_id=row.id,
                detail=f"version {len(rows) + 1}",
            )
            rows.append(row)
            return self._view(actor, rows, len(rows) - 1, {row.author_id: actor.display_name})

        return self._guard.run(actor, work)

    @staticmethod
    def _check_appointment(session: Session, patient_id: int, appointment_id: int) -> None:
        appointment = session.get(Appointment, appointment_id)
        if appointment is None or appointment.patient_id != patient_id:
            raise ValidationError(
                {"appointment_id": _("Ce rendez-vous n'est pas un rendez-vous de ce patient.")}
            )

    # ---- action plan --------------------------------------------------------------------
    def _action_view(
        self,
        actor: Actor,
        row: SocialAction,
        names: dict[int, str],
        partners: dict[int, str],
        today: date,
    ) -> SocialActionView:
        status = ActionStatus(row.status)
        open_ = status not in CLOSED_STATUSES
        sealed = SOCIAL_ACTION.read(self._codec, actor, row)
        partner_id = sealed["partner_id"]
        detail = ""
        if row.detail:
            detail = self._codec.open(
                actor,
                Compartment.SOCIAL,
                row.detail,
                context=action_context(row.patient_id, row.id),
            )
        return SocialActionView(
            id=row.id,
            patient_id=row.patient_id,
            owner_id=row.owner_id,
            owner_name=names.get(row.owner_id, "?"),
            kind=ActionKind(sealed["kind"]),
            partner_id=partner_id,
            partner_name=partners.get(partner_id, "") if partner_id else "",
            status=status,
            due_on=row.due_on,
            remind_on=row.remind_on,
            detail=detail,
            created_at=aware(row.created_at),
            updated_at=aware(row.updated_at),
            done_at=aware(row.done_at),
            overdue=open_ and row.due_on is not None and row.due_on < today,
            reminder_due=open_ and row.remind_on is not None and row.remind_on <= today,
            version=row.version,
        )

    def _views(
        self, session: Session, actor: Actor, rows: list[SocialAction]
    ) -> list[SocialActionView]:
        names = self._names(session, [r.owner_id for r in rows])
        partner_ids = {
            pid for r in rows if (pid := SOCIAL_ACTION.read(self._codec, actor, r)["partner_id"])
        }
        partners = (
            {
                p.id: p.name
                for p in session.scalars(select(Partner).where(Partner.id.in_(partner_ids)))
            }
            if partner_ids
            else {}
        )
        today = self._today()
        return [self._action_view(actor, r, names, partners, today) for r in rows]

    def actions(
        self, actor: Actor, patient_id: int, *, include_closed: bool = True
    ) -> list[SocialActionView]:
        """The patient's action plan: open actions first (by due date), then closed ones."""
        self._require(actor, Action.READ, AuditAction.READ, patient_id, "social_action")
        with self._db.session() as session:
            self._patient(session, patient_id)
            query = select(SocialAction).where(SocialAction.patient_id == patient_id)
            if not include_closed:
                query = query.where(SocialAction.status.not_in([str(s) for s in CLOSED_STATUSES]))
            rows = list(session.scalars(query))
            views = self._views(session, actor, rows)
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                compartment=Compartment.SOCIAL,
                object_type="social_action",
                detail=f"{len(views)} démarche(s)",
            )
        views.sort(
            key=lambda v: (
                v.closed,
                v.due_on is None,
                v.due_on or date.max,
                -v.created_at.timestamp(),
            )
        )
        return views

    def _clean_action(self, session: Session, data: SocialActionInput) -> tuple:
        errors: dict[str, str] = {}
        try:
            kind = ActionKind(data.kind)
        except ValueError:
            errors["kind"] = _("Choisissez la démarche.")
            kind = ActionKind.OTHER
        try:
            status = ActionStatus(data.status)
        except ValueError:
            errors["status"] = _("Ce statut de démarche n'existe pas.")
            status = ActionStatus.PLANNED
        if data.partner_id is not None:
            partner = session.get(Partner, data.partner_id)
            if partner is None:
                errors["partner_id"] = _("Ce partenaire n'existe pas.")
        for name in ("due_on", "remind_on"):
            value = getattr(data, name)
            if value is not None and not isinstance(value, date):
                errors[name] = _("Date incorrecte.")
        detail = clean_text(data.detail or "")
        if len(detail) > MAX_ACTION_DETAIL:
            limit = f"{MAX_ACTION_DETAIL:,}".replace(",", " ")
            errors["detail"] = _("Le détail est trop long ({limit} caractères au plus).").format(
                limit=limit
            )
        if errors:
            raise ValidationError(errors)
        return kind, status, detail

    def _seal_detail(self, actor: Actor, row: SocialAction, detail: str) -> bytes | None:
        if not detail:
            return None
        return self._codec.seal(
            actor, Compartment.SOCIAL, detail, context=action_context(row.patient_id, row.id)
        )

    def add_action(
        self, actor: Actor, patient_id: int, data: SocialActionInput
    ) -> SocialActionView:
        """A new action, owned by the actor (its reminders go to her inbox)."""
        self._require(actor, Action.WRITE, AuditAction.CREATE, patient_id, "social_action")
        with self._db.session() as session:
            patient = self._patient(session, patient_id, writing=True)
            kind, status, detail = self._clean_action(session, data)
            now = self._clock()
            row = SocialAction(
                patient_id=patient_id,
                owner_id=actor.user_id,
                status=str(status),
                due_on=data.due_on,
                remind_on=data.remind_on,
                created_at=now,
                updated_at=now,
                done_at=now if status in CLOSED_STATUSES else None,
            )
            session.add(row)
            session.flush()
            row.detail = self._seal_detail(actor, row, detail)
            SOCIAL_ACTION.write(
                self._codec, actor, row, {"kind": str(kind), "partner_id": data.partner_id}
            )
            mark_activity(session, patient.id, now)
            session.flush()
            self._audit.add(
                session,
                actor,
                AuditAction.CREATE,
                patient_id=patient_id,
                compartment=Compartment.SOCIAL,
                object_type="social_action",
                object_id=row.id,
                detail=str(status),  # never the kind: it tells the patient's situation
            )
            return self._views(session, actor, [row])[0]

    def _action_patient(self, action_id: int) -> int | None:
        with self._db.session(write=False) as session:
            return session.scalar(
                select(SocialAction.patient_id).where(SocialAction.id == action_id)
            )

    def update_action(
        self,
        actor: Actor,
        action_id: int,
        data: SocialActionInput,
        *,
        expected_version: int,
    ) -> SocialActionView:
        """Change an action (status, dates, partner, detail). A new date brings its reminder
        back to the inbox. Someone else's change since: :class:`ConflictError`."""
        patient_id = self._action_patient(action_id)
        self._require(
            actor, Action.WRITE, AuditAction.UPDATE, patient_id, "social_action", action_id
        )

        def work(session: Session) -> SocialActionView:
            row = session.get(SocialAction, action_id)
            if row is None:
                raise NotFound(_("Cette démarche n'existe plus."))
            patient = self._patient(session, row.patient_id, writing=True)
            if row.version != expected_version:
                theirs = self._views(session, actor, [row])[0]
                raise Conflict(
                    ConflictError(
                        _("Cette démarche"),
                        mine=data,
                        theirs=theirs,
                        theirs_at=theirs.updated_at,
                        extra={"action": theirs},
                    ),
                    patient_id=row.patient_id,
                    compartment=Compartment.SOCIAL,
                    object_type="social_action",
                    object_id=row.id,
                )
            kind, status, detail = self._clean_action(session, data)
            previous = row.status
            now = self._clock()
            SOCIAL_ACTION.write(
                self._codec, actor, row, {"kind": str(kind), "partner_id": data.partner_id}
            )
            row.status = str(status)
            row.due_on = data.due_on
            row.remind_on = data.remind_on
            row.detail = self._seal_detail(actor, row, detail)
            row.updated_at = now
            if status in CLOSED_STATUSES and row.done_at is None:
                row.done_at = now
            elif status not in CLOSED_STATUSES:
                row.done_at = None
            mark_activity(session, patient.id, now)
            session.flush()
            self._audit.add(
                session,
                actor,
                AuditAction.UPDATE,
                patient_id=row.patient_id,
                compartment=Compartment.SOCIAL,
                object_type="social_action",
                object_id=row.id,
                detail=f"{previous} → {status}" if previous != str(status) else "",
            )
            return self._views(session, actor, [row])[0]

        return self._guard.run(actor, work)

    def set_action_status(
        self,
        actor: Actor,
        action_id: int,
        status: ActionStatus | str,
        *,
        expected_version: int,
    ) -> SocialActionView:
        """Only the status changes (e.g. « Terminée »)."""
        patient_id = self._action_patient(action_id)
        self._require(
            actor, Action.WRITE, AuditAction.UPDATE, patient_id, "social_action", action_id
        )
        with self._db.session(write=False) as session:
            row = session.get(SocialAction, action_id)
            if row is None:
                raise NotFound(_("Cette démarche n'existe plus."))
            current = self._views(session, actor, [row])[0]
        return self.update_action(
            actor,
            action_id,
            SocialActionInput(
                current.kind,
                current.partner_id,
                status,
                current.due_on,
                current.remind_on,
                current.detail,
            ),
            expected_version=expected_version,
        )

    # ---- inbox source -------------------------------------------------------------------
    @staticmethod
    def _trigger(row: SocialAction, today: date) -> tuple[str, date] | None:
        """The latest date that brought this action to the inbox (kind, date), if any."""
        if ActionStatus(row.status) in CLOSED_STATUSES:
            return None
        found: list[tuple[date, str]] = []
        if row.due_on is not None and row.due_on < today:
            found.append((date.fromordinal(row.due_on.toordinal() + 1), "social_action_overdue"))
        if row.remind_on is not None and row.remind_on <= today:
            found.append((row.remind_on, "social_action_reminder"))
        if not found:
            return None
        day, kind = max(found)
        return kind, day

    def inbox_items(self, actor: Actor) -> list[InboxItem]:
        """The actor's overdue actions and reminders whose date has come. Read (marked
        seen) until the next date comes. Text: the kind label and the date, nothing else."""
        if actor.user_id is None or not policy.allows(actor.role, Resource.SOCIAL, Action.READ):
            return []
        today = self._today()
        closed = [str(s) for s in CLOSED_STATUSES]
        with self._db.session(write=False) as session:
            rows = session.execute(
                select(
                    SocialAction,
                    Patient.birth_name,
                    Patient.used_name,
                    Patient.first_names,
                    Patient.sex,
                    Patient.birth_date,
                )
                .join(Patient, Patient.id == SocialAction.patient_id)
                .where(
                    SocialAction.owner_id == actor.user_id,
                    SocialAction.status.not_in(closed),
                    or_(SocialAction.due_on < today, SocialAction.remind_on <= today),
                )
                .limit(MAX_HISTORY)
            ).all()
        items = []
        for row, birth, used, first, sex, born in rows:
            trigger = self._trigger(row, today)
            if trigger is None:
                continue
            kind, day = trigger
            try:
                code = SOCIAL_ACTION.read(self._codec, actor, row)["kind"]
                label = ACTION_KIND_LABELS[ActionKind(code)]
            except (RelaisError, ValueError):
                label = _("Démarche")
            if kind == "social_action_overdue":
                text = _("{label} : échéance du {due_on} dépassée.").format(
                    label=label, due_on=fmt_date(row.due_on)
                )
            else:
                text = _("{label} : rappel du {remind_on}.").format(
                    label=label, remind_on=fmt_date(row.remind_on)
                )
            items.append(
                reminder_item(
                    SOURCE,
                    row.id,
                    kind,
                    text,
                    since=start_of_day(day),
                    seen_at=row.reminder_seen_at,
                    patient_id=row.patient_id,
                    patient_name=PatientSummary(
                        row.patient_id, birth, used, first, Sex(sex), born, None, ""
                    ).display_name,
                )
            )
        return items

    def mark_item_read(self, actor: Actor, item_id: int) -> bool:
        """Record that the owner saw the reminder (the action's version does not change)."""
        return mark_reminder_seen(self._db, SocialAction.owner_id, item_id, actor, self._clock())
