"""Notes of the medical, social and liaison compartments, through the content codec."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, _, ngettext
from app.models import Note, Patient, User
from app.models.db import Database
from app.models.driver_rows import driver_rows
from app.models.enums import Compartment
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, PermissionDenied, ValidationError
from app.services.kernel.guard import Conflict, Guard, Refusal
from app.services.kernel.patient_rows import mark_activity
from app.services.kernel.policy import (
    NOTE_COMPARTMENTS,
    Action,
    Scope,
    readable_compartments,
    scope_of,
    writable_compartments,
)
from app.services.kernel.records import Page, built
from app.services.kernel.text import clean_text
from app.services.patient_file.break_glass import ExceptionalAccessService
from app.services.patient_file.consents import consent_active
from app.services.patient_file.note_pages import (
    LIAISON_KINDS,
    count_of,
    display_name,
    page_of,
    shown_for,
)
from app.services.patient_file.records import ConsentScope, NoteView
from app.services.security.codec import ContentCodec, note_context

MAX_NOTE_LENGTH = 100_000
NOTE_PAGE = 50  # notes decrypted per page of a compartment's list
LIAISON_HIDDEN = (
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : les notes de liaison ne sont visibles que de leur auteur."
)
LIAISON_NO_WRITE = N_(
    "Le patient n'a pas donné son accord au partage entre médecins et assistante sociale (ou "
    "l'a retiré) : aucune note de liaison ne peut être enregistrée. Recueillez d'abord son "
    "consentement."
)


class NoteService:
    def __init__(
        self,
        db: Database,
        audit: AuditWriter,
        codec: ContentCodec,
        clock: Clock,
        exceptional: ExceptionalAccessService,
    ) -> None:
        self._db = db
        self._audit = audit
        self._codec = codec
        self._clock = clock
        self._exceptional = exceptional
        self._guard = Guard(db, audit)

    @staticmethod
    def _compartment(compartment: Compartment | str) -> Compartment:
        compartment = Compartment(compartment)
        if compartment not in NOTE_COMPARTMENTS:
            raise ValidationError({"compartment": _("Ce volet ne contient pas de notes.")})
        return compartment

    def visible_compartments(self, actor: Actor) -> list[Compartment]:
        """Compartments whose tab the actor may see at all (in DESIGN.md order)."""
        return readable_compartments(actor.role)

    def writable_compartments(self, actor: Actor) -> list[Compartment]:
        """Compartments in which the actor may write notes (their own at least)."""
        return writable_compartments(actor.role)

    @staticmethod
    def _refusal(
        action: str,
        patient_id: int,
        compartment,
        note_id=None,
        *,
        message: str | None = None,
    ) -> Refusal:
        """A note refused: without consent, with ``message``; else the generic refusal."""
        return Refusal(
            PermissionDenied(message) if message else PermissionDenied(),
            action,
            patient_id=patient_id,
            compartment=compartment,
            object_type="note",
            object_id=note_id,
            detail="sans consentement actif" if message else "",
        )

    @staticmethod
    def _consent_missing(session: Session, patient_id: int, compartment: Compartment) -> bool:
        """Liaison notes are shared only while the patient's liaison consent is active."""
        return compartment is Compartment.LIAISON and not consent_active(
            session, patient_id, ConsentScope.LIAISON
        )

    def _can_edit(self, actor: Actor, note: Note) -> bool:
        return self._guard.allows(
            actor,
            Compartment(note.compartment),
            Action.WRITE,
            is_own=note.author_id == actor.user_id,
        )

    @staticmethod
    def _clean(text: str) -> str:
        text = clean_text(text)
        if not text:
            raise ValidationError({"text": _("La note est vide.")})
        if len(text) > MAX_NOTE_LENGTH:
            limit = f"{MAX_NOTE_LENGTH:,}".replace(",", " ")
            message = _("La note est trop longue ({limit} caractères au plus).").format(limit=limit)
            raise ValidationError({"text": message})
        return text

    def _view(
        self,
        session: Session,
        actor: Actor,
        note: Note,
        names: dict[int, str],
        *,
        escrow: bool = False,
    ) -> NoteView:
        for user_id in (note.author_id, note.updated_by_id):
            if user_id not in names:
                user = session.get(User, user_id)
                names[user_id] = user.display_name if user else "?"
        compartment = Compartment(note.compartment)
        return NoteView(
            id=note.id,
            patient_id=note.patient_id,
            compartment=compartment,
            author_id=note.author_id,
            author_name=names[note.author_id],
            created_at=note.created_at,
            updated_at=note.updated_at,
            updated_by_name=names[note.updated_by_id],
            text=self._codec.open(
                actor,
                compartment,
                note.content,
                context=note_context(note.patient_id),
                escrow=escrow,
            ),
            version=note.version,
            can_edit=self._can_edit(actor, note),
        )

    def list(self, actor: Actor, patient_id: int, compartment: Compartment | str) -> list[NoteView]:
        """The compartment's notes, newest first (every one: see :meth:`page`)."""
        return self.page(actor, patient_id, compartment, limit=None).items

    def page(
        self,
        actor: Actor,
        patient_id: int,
        compartment: Compartment | str,
        *,
        offset: int = 0,
        limit: int | None = NOTE_PAGE,
    ) -> Page[NoteView]:
        """The compartment's notes, newest first, ``limit`` from ``offset`` (all when
        ``limit`` is None), with their total counted in SQL. A note's author always reads
        their own; only the notes of the page are decrypted, and each page read is audited.

        Liaison notes are shared only while the patient's liaison consent is active
        (``ConsentScope.LIAISON``). Without it (never given, refused or withdrawn) this returns
        only the notes the actor wrote, with no error; an actor who wrote none gets
        ``PermissionDenied`` with the French message ``LIAISON_HIDDEN`` (audited as refused),
        whether or not others' notes exist. Views that want a banner ask
        ``consents.current(actor, patient_id).is_active(ConsentScope.LIAISON)``.
        """
        compartment = self._compartment(compartment)
        scope = scope_of(actor.role, compartment, Action.READ)
        offset = max(0, offset)

        def work(session: Session) -> Page[NoteView]:
            if session.get(Patient, patient_id) is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            exceptional = scope is not Scope.ALL and self._exceptional.is_active(
                session, actor, patient_id, compartment
            )
            seen = Scope.ALL if exceptional else scope
            shown = shown_for(actor, seen, compartment)
            params = {"patient": patient_id, "compartment": str(compartment), "me": actor.user_id}
            if shown in LIAISON_KINDS and (session.new or session.deleted or session.dirty):
                session.flush()  # a consent recorded in this unit of work counts (``_latest``)
            # Plain rows with their authors' names, in one statement: no ORM object per note.
            rows = driver_rows(session.connection(), page_of(shown, limit, offset), params)
            # Without the patient's consent, even an exceptional access shows authors only
            # their own liaison notes: the patient's word prevails.
            no_consent = False
            if shown in LIAISON_KINDS:
                if rows:
                    no_consent = not rows[0][-1]
                    rows = [row[:-1] for row in rows if row[0] is not None]
                else:  # no row to tell (a page past the end): asked apart
                    no_consent = self._consent_missing(session, patient_id, compartment)
            # Counted in SQL only when the page does not tell (a full page, or past the end).
            if limit is not None and (len(rows) == limit or (offset and not rows)):
                total = int(session.connection().execute(count_of(shown), params).scalar() or 0)
            else:
                total = offset + len(rows)
            if (no_consent or seen is not Scope.ALL) and not total:
                message = LIAISON_HIDDEN if no_consent else None
                raise self._refusal(AuditAction.READ, patient_id, compartment, message=message)
            views = self._page_views(actor, patient_id, compartment, rows, escrow=exceptional)
            self._audit.add(
                session,
                actor,
                AuditAction.READ,
                patient_id=patient_id,
                compartment=compartment,
                object_type="note",
                detail=ngettext("{n} note", "{n} notes", len(views)).format(n=len(views))
                + (_(" (à partir de la {n}e)").format(n=offset + 1) if offset else "")
                + (_(" — accès exceptionnel") if exceptional else "")
                + ("" if seen is Scope.ALL else _(" (les siennes)"))
                + (_(" — sans consentement actif : les siennes") if no_consent else ""),
            )
            return Page(views, total, offset)

        return self._guard.read(actor, work)

    def _page_views(
        self,
        actor: Actor,
        patient_id: int,
        compartment: Compartment,
        rows,
        *,
        escrow: bool,
    ) -> list[NoteView]:
        """Rows of ``note_pages.COLUMNS`` as views: what depends on the page alone (the policy's
        answer for one's own notes and for others', the decryption's associated data and
        ciphers) is worked out once, not per note."""
        open_text = self._codec.opener(
            actor, compartment, context=note_context(patient_id), escrow=escrow
        )
        may_edit = {
            own: self._guard.allows(actor, compartment, Action.WRITE, is_own=own)
            for own in (True, False)
        }
        me = actor.user_id
        names: dict[tuple[str | None, str | None], str] = {}

        def name(first: str | None, last: str | None) -> str:
            found = names.get((first, last))
            if found is None:
                found = names[first, last] = display_name(first, last)
            return found

        return [
            built(
                NoteView,
                {
                    "id": note_id,
                    "patient_id": patient_id,
                    "compartment": compartment,
                    "author_id": author_id,
                    "author_name": name(author_first, author_last),
                    "created_at": created_at,
                    "updated_at": updated_at,
                    "updated_by_name": name(editor_first, editor_last),
                    "text": open_text(content),
                    "version": version,
                    "can_edit": may_edit[author_id == me],
                },
            )
            for (
                note_id,
                author_id,
                created_at,
                updated_at,
                content,
                version,
                author_first,
                author_last,
                editor_first,
                editor_last,
            ) in rows
        ]

    def add(
        self, actor: Actor, patient_id: int, compartment: Compartment | str, text: str
    ) -> NoteView:
        compartment = self._compartment(compartment)
        if not self._guard.allows(actor, compartment, Action.WRITE, is_own=True):
            raise self._guard.refuse(
                actor, self._refusal(AuditAction.CREATE, patient_id, compartment)
            )
        text = self._clean(text)

        def work(session: Session) -> NoteView:
            patient = session.get(Patient, patient_id)
            if patient is None:
                raise NotFound(_("Ce dossier patient n'existe pas."))
            if patient.archived_at is not None:
                raise PermissionDenied(_("Ce dossier est archivé : il ne peut plus être modifié."))
            if self._consent_missing(session, patient_id, compartment):
                raise self._refusal(
                    AuditAction.CREATE, patient_id, compartment, message=_(LIAISON_NO_WRITE)
                )
            now = self._clock()
            note = Note(
                patient_id=patient_id,
                compartment=str(compartment),
                author_id=actor.user_id,
                updated_by_id=actor.user_id,
                created_at=now,
                updated_at=now,
                content=self._codec.seal(
                    actor, compartment, text, context=note_context(patient_id)
                ),
            )
            session.add(note)
            mark_activity(session, patient.id, now)
            session.flush()
            self._audit.add(
                session,
                actor,
                AuditAction.CREATE,
                patient_id=patient_id,
                compartment=compartment,
                object_type="note",
                object_id=note.id,
            )
            return self._view(session, actor, note, {})

        return self._guard.run(actor, work)

    def edit(self, actor: Actor, note_id: int, text: str, expected_version: int) -> NoteView:
        """Save a new text; if someone saved meanwhile, raise ConflictError with both texts."""
        with self._db.session(write=False) as session:
            note = session.get(Note, note_id)
            if note is None:
                raise NotFound(_("Cette note n'existe plus."))
            compartment = Compartment(note.compartment)
            patient_id = note.patient_id
            allowed = self._can_edit(actor, note)
        if not allowed:
            refusal = self._refusal(AuditAction.UPDATE, patient_id, compartment, note_id)
            raise self._guard.refuse(actor, refusal)
        text = self._clean(text)

        def work(session: Session) -> NoteView:
            note = session.get(Note, note_id)
            if note is None:
                raise NotFound(_("Cette note n'existe plus."))
            patient = session.get(Patient, note.patient_id)
            if patient is not None and patient.archived_at is not None:
                raise PermissionDenied(_("Ce dossier est archivé : il ne peut plus être modifié."))
            if self._consent_missing(session, note.patient_id, compartment):
                raise self._refusal(
                    AuditAction.UPDATE,
                    note.patient_id,
                    compartment,
                    note_id,
                    message=_(LIAISON_NO_WRITE),
                )
            if note.version != expected_version:
                theirs = self._view(session, actor, note, {})
                error = ConflictError(
                    _("Cette note"),
                    mine=text,
                    theirs=theirs.text,
                    theirs_by=theirs.updated_by_name,
                    theirs_at=theirs.updated_at,
                    extra={"note": theirs},
                )
                raise Conflict(
                    error,
                    patient_id=note.patient_id,
                    compartment=compartment,
                    object_type="note",
                    object_id=note_id,
                )
            note.content = self._codec.seal(
                actor, compartment, text, context=note_context(note.patient_id)
            )
            note.updated_at = self._clock()
            note.updated_by_id = actor.user_id
            if patient is not None:
                mark_activity(session, patient.id, note.updated_at)
            session.flush()
            self._audit.add(
                session,
                actor,
                AuditAction.UPDATE,
                patient_id=note.patient_id,
                compartment=compartment,
                object_type="note",
                object_id=note_id,
            )
            return self._view(session, actor, note, {})

        return self._guard.run(actor, work)
