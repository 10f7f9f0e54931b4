"""The statements of a page of notes (``NoteService.page``): which notes a reader sees, as SQL
built once per kind of page, with the authors' and editors' names joined.

A liaison page asks the patient's liaison consent in its own statement (one round trip fewer
on a clinic's network): while the consent is active, the reader sees every note
(``LIAISON_ALL``) or those they wrote or edited last (``LIAISON_TOUCHED``); without it, only
those they wrote, whatever their scope — the patient's word prevails.
"""

from __future__ import annotations

from functools import lru_cache

from sqlalchemy import and_, bindparam, func, or_, select
from sqlalchemy.orm import aliased

from app.models import Note, User
from app.models.enums import Compartment
from app.services.kernel.actor import Actor
from app.services.kernel.policy import Scope
from app.services.patient_file.consents import consent_clause
from app.services.patient_file.records import ConsentScope

_AUTHOR = aliased(User)
_EDITOR = aliased(User)
# A page of notes as the list shows it, its authors' and editors' names joined (a deleted
# account has none: « ? »). A liaison page's rows end with the consent, one more column.
COLUMNS = (
    Note.id,
    Note.author_id,
    Note.created_at,
    Note.updated_at,
    Note.content,
    Note.version,
    _AUTHOR.first_name,
    _AUTHOR.last_name,
    _EDITOR.first_name,
    _EDITOR.last_name,
)

# Which notes of a compartment a page shows: all of them, those the actor wrote or edited
# last, or none (an actor without an account); for liaison notes, the same two read with the
# patient's consent (module docstring).
ALL, TOUCHED, NONE = "all", "touched", "none"
LIAISON_ALL, LIAISON_TOUCHED = "liaison-all", "liaison-touched"
LIAISON_KINDS = frozenset((LIAISON_ALL, LIAISON_TOUCHED))


def shown_for(actor: Actor, scope: Scope | None, compartment: Compartment) -> str:
    """Which of the compartment's notes the actor sees, by their scope of reading."""
    if compartment is Compartment.LIAISON:  # the consent is read with the page
        return LIAISON_ALL if scope is Scope.ALL else LIAISON_TOUCHED
    if scope is Scope.ALL:
        return ALL
    return NONE if actor.user_id is None else TOUCHED


def _visible(shown: str, consented=None) -> list:
    """The conditions selecting the notes ``shown``, for the parameters ``patient``,
    ``compartment`` and ``me`` (the actor's user id); ``consented``: the liaison consent's
    truth (by default ``consent_clause``)."""
    where = [Note.patient_id == bindparam("patient"), Note.compartment == bindparam("compartment")]
    me = bindparam("me")
    if shown in LIAISON_KINDS and consented is None:
        consented = consent_clause(ConsentScope.LIAISON)
    if shown == TOUCHED:
        where.append(or_(Note.author_id == me, Note.updated_by_id == me))
    elif shown == NONE:
        where.append(Note.id.is_(None))
    elif shown == LIAISON_ALL:
        where.append(or_(consented, Note.author_id == me))
    elif shown == LIAISON_TOUCHED:
        where.append(or_(Note.author_id == me, and_(consented, Note.updated_by_id == me)))
    return where


@lru_cache(maxsize=64)
def page_of(shown: str, limit: int | None, offset: int):
    """A page's statement, built once per kind of page (opening a file builds nothing).

    A liaison page starts from the patient's consent (one row) and joins the notes it lets
    the actor see: its rows end with the consent, and a compartment without such notes still
    tells it, in one row whose note columns are NULL."""
    if shown in LIAISON_KINDS:
        consent = select(consent_clause(ConsentScope.LIAISON).label("consented")).subquery()
        query = (
            select(*COLUMNS, consent.c.consented)
            .select_from(consent)
            .outerjoin(Note, and_(*_visible(shown, consent.c.consented)))
        )
    else:
        query = select(*COLUMNS).where(*_visible(shown))
    ordered = (
        query.outerjoin(_AUTHOR, _AUTHOR.id == Note.author_id)
        .outerjoin(_EDITOR, _EDITOR.id == Note.updated_by_id)
        .order_by(Note.created_at.desc(), Note.id.desc())
        .offset(offset)
    )
    return ordered if limit is None else ordered.limit(limit)


@lru_cache(maxsize=4)
def count_of(shown: str):
    """How many notes ``shown`` there are, for the same parameters as :func:`page_of`."""
    return select(func.count()).select_from(Note).where(*_visible(shown))


def display_name(first: str | None, last: str | None) -> str:
    """``User.display_name`` of a joined row; « ? » for an account that no longer exists."""
    if first is None and last is None:
        return "?"
    return f"{first or ''} {last or ''}".strip()
