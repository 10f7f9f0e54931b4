"""The partners directory: organisations the clinic refers patients to, and their contacts.

Read by every professional of the clinic (to refer, the orientation guide pre-selects a kind),
maintained by social workers, secretaries and the coordinator (``Resource.PARTNERS``). Edits use
optimistic locking; refusals are audited. The directory holds no patient data: reading it is
not audited.
"""

from __future__ import annotations

import re
from dataclasses import replace

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.clock import Clock
from app.i18n import N_, Labels, _
from app.models import Partner, PartnerContact
from app.models.db import Database
from app.services.audit.writer import AuditWriter
from app.services.kernel.actor import Actor
from app.services.kernel.audit_actions import AuditAction
from app.services.kernel.errors import ConflictError, NotFound, ValidationError
from app.services.kernel.guard import Conflict, Guard
from app.services.kernel.policy import Action, Resource
from app.services.kernel.text import clean_line, clean_text, search_key, search_tokens
from app.services.kernel.validation import email_error, phone_error, unencodable_error
from app.services.partners import defaults as partner_defaults
from app.services.partners.records import (
    PartnerContactInfo,
    PartnerContactInput,
    PartnerInfo,
    PartnerInput,
    PartnerKind,
)

WRITE_REFUSED = "Votre rôle ne permet pas de modifier l'annuaire des partenaires."
READ_REFUSED = "Votre rôle ne permet pas de consulter l'annuaire des partenaires."
MAX_COMMUNES = 300
MAX_HANDLES = 4_000
# Short national numbers are valid partner phones: 115, 119, 3919, 3646…
_SHORT_NUMBER = re.compile(r"^[0-9]{3,4}$")
_COMMUNE_SPLIT = re.compile(r"[\n;,]+")
_LIMITS = {"name": 200, "service": 200, "address": 300, "phone": 30, "email": 200}
_LABELS = Labels(
    {
        "name": N_("Le nom"),
        "service": N_("Le service"),
        "address": N_("L'adresse"),
        "phone": N_("Le téléphone"),
        "email": N_("L'e-mail"),
        "title": N_("La fonction"),
    }
)
# Names and numbers are refused with a character that cannot be stored; the other fields keep
# the text with « � » in its place (app.services.kernel.text).
_STRICT = ("name", "phone", "email")


def _phone_error(value: str) -> str | None:
    return None if _SHORT_NUMBER.match(value) else phone_error(value)


def _clean_fields(data, names: tuple[str, ...], errors: dict[str, str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for name in names:
        raw = str(getattr(data, name) or "")
        value = clean_line(raw)
        limit = _LIMITS.get(name, 200)
        if name in _STRICT and (message := unencodable_error(raw, _LABELS[name])):
            errors[name] = message
        elif len(value) > limit:
            errors[name] = _("{value} est trop long ({limit} caractères au plus).").format(
                value=_LABELS[name], limit=limit
            )
        values[name] = value
    if not values["name"]:
        errors.setdefault("name", "Le nom est obligatoire.")
    if "phone" not in errors and (message := _phone_error(values["phone"])):
        errors["phone"] = message
    if "email" not in errors and (message := email_error(values["email"])):
        errors["email"] = message
    return values


def split_communes(value: list[str] | tuple[str, ...] | str) -> list[str]:
    """Communes from a list or from text (one per line, or separated by , or ;), deduplicated."""
    items = _COMMUNE_SPLIT.split(value) if isinstance(value, str) else list(value)
    out: list[str] = []
    seen: set[str] = set()
    for item in items:
        name = clean_line(str(item))[:100]
        if name and search_key(name) not in seen:
            seen.add(search_key(name))
            out.append(name)
    return out


def validate_partner(data: PartnerInput) -> PartnerInput:
    errors: dict[str, str] = {}
    values = _clean_fields(data, ("name", "service", "address", "phone", "email"), errors)
    try:
        kind = PartnerKind(data.kind)
    except ValueError:
        errors["kind"] = _("Type de partenaire inconnu.")
        kind = PartnerKind.OTHER
    communes = split_communes(data.communes)
    if len(communes) > MAX_COMMUNES:
        errors["communes"] = _("{MAX_COMMUNES} communes au plus par partenaire.").format(
            MAX_COMMUNES=MAX_COMMUNES
        )
    handles = clean_text(data.handles or "")
    if len(handles) > MAX_HANDLES:
        errors["handles"] = _(
            "Ce que le partenaire prend en charge : {MAX_HANDLES} caractères au plus."
        ).format(MAX_HANDLES=MAX_HANDLES)
    if errors:
        raise ValidationError(errors)
    return replace(data, **values, kind=kind, communes=communes, handles=handles)


def validate_contact(data: PartnerContactInput) -> PartnerContactInput:
    errors: dict[str, str] = {}
    values = _clean_fields(data, ("name", "title", "phone", "email"), errors)
    if errors:
        raise ValidationError(errors)
    return replace(data, **values, social_worker=bool(data.social_worker))


def _contact_info(c: PartnerContact) -> PartnerContactInfo:
    return PartnerContactInfo(
        id=c.id,
        partner_id=c.partner_id,
        name=c.name,
        title=c.title,
        phone=c.phone,
        email=c.email,
        social_worker=c.social_worker,
        active=c.active,
        version=c.version,
    )


def _info(p: Partner, contacts: list[PartnerContact]) -> PartnerInfo:
    return PartnerInfo(
        id=p.id,
        name=p.name,
        kind=PartnerKind(p.kind) if p.kind in set(PartnerKind) else PartnerKind.OTHER,
        service=p.service,
        address=p.address,
        phone=p.phone,
        email=p.email,
        communes=[line for line in p.communes.split("\n") if line],
        handles=p.handles,
        active=p.active,
        version=p.version,
        contacts=[
            _contact_info(c) for c in sorted(contacts, key=lambda c: (search_key(c.name), c.id))
        ],
    )


def _apply(row: Partner, data: PartnerInput) -> None:
    row.name, row.kind, row.service = data.name, str(data.kind), data.service
    row.address, row.phone, row.email = data.address, data.phone, data.email
    row.communes = "\n".join(data.communes)
    row.handles = data.handles


def _apply_contact(row: PartnerContact, data: PartnerContactInput) -> None:
    row.name, row.title, row.phone, row.email = data.name, data.title, data.phone, data.email
    row.social_worker = data.social_worker


def _matches(info: PartnerInfo, commune: str | None, query: str | None) -> bool:
    if commune:
        wanted = search_key(clean_line(commune))
        # A partner with no commune listed serves the whole sector (national lines, generic
        # entries of the pre-filled directory).
        if info.communes and wanted not in {search_key(c) for c in info.communes}:
            return False
    if query:
        words = search_tokens(
            info.name,
            info.service,
            info.handles,
            info.kind_label,
            " ".join(info.communes),
            *(c.name for c in info.contacts),
            *(c.title for c in info.contacts),
        )
        for token in search_tokens(query):
            if not any(word.startswith(token) for word in words):
                return False
    return True


class PartnerService:
    def __init__(self, db: Database, audit: AuditWriter, clock: Clock) -> None:
        self._db = db
        self._audit = audit
        self._clock = clock
        self._guard = Guard(db, audit)

    # ---- helpers ------------------------------------------------------------------------
    def can_write(self, actor: Actor) -> bool:
        """Whether the actor maintains the directory (the views show the edit buttons)."""
        return self._guard.allows(actor, Resource.PARTNERS, Action.WRITE)

    def can_read(self, actor: Actor) -> bool:
        return self._guard.allows(actor, Resource.PARTNERS, Action.READ)

    def _require(
        self, actor: Actor, action: Action, object_type: str = "partner", object_id=None
    ) -> None:
        writing = action is Action.WRITE
        self._guard.require(
            actor,
            Resource.PARTNERS,
            action,
            AuditAction.PARTNER_UPDATE if writing else AuditAction.READ,
            message=WRITE_REFUSED if writing else READ_REFUSED,
            object_type=object_type,
            object_id=object_id,
        )

    @staticmethod
    def _contacts(session: Session, partner_ids: list[int], include_inactive: bool):
        query = select(PartnerContact).where(PartnerContact.partner_id.in_(partner_ids))
        if not include_inactive:
            query = query.where(PartnerContact.active.is_(True))
        by_partner: dict[int, list[PartnerContact]] = {}
        for contact in session.scalars(query):
            by_partner.setdefault(contact.partner_id, []).append(contact)
        return by_partner

    def _load(self, session: Session, partner_id: int, include_inactive: bool = True):
        row = session.get(Partner, partner_id)
        if row is None:
            raise NotFound(_("Ce partenaire n'existe pas (ou plus) dans l'annuaire."))
        return _info(row, self._contacts(session, [row.id], include_inactive).get(row.id, []))

    def _write(self, session: Session, actor: Actor, action: str, object_type: str, object_id):
        self._audit.add(session, actor, action, object_type=object_type, object_id=object_id)

    # ---- read ---------------------------------------------------------------------------
    def list(
        self,
        actor: Actor,
        *,
        kind: PartnerKind | str | None = None,
        commune: str | None = None,
        query: str | None = None,
        include_inactive: bool = False,
    ) -> list[PartnerInfo]:
        """The directory sorted by kind then name. ``commune``: partners serving it (or the
        whole sector: no commune listed); ``query``: word prefixes of the name, service, what
        it handles, communes or contacts. Inactive partners and contacts only on request."""
        self._require(actor, Action.READ)
        with self._db.session(write=False) as session:
            stmt = select(Partner)
            if kind is not None:
                stmt = stmt.where(Partner.kind == str(PartnerKind(kind)))
            if not include_inactive:
                stmt = stmt.where(Partner.active.is_(True))
            rows = list(session.scalars(stmt))
            contacts = self._contacts(session, [r.id for r in rows], include_inactive)
            infos = [_info(r, contacts.get(r.id, [])) for r in rows]
        order = list(PartnerKind)
        infos = [i for i in infos if _matches(i, commune, query)]
        return sorted(infos, key=lambda i: (order.index(i.kind), search_key(i.name), i.id))

    def get(self, actor: Actor, partner_id: int) -> PartnerInfo:
        """One partner with all its contacts (inactive ones too)."""
        self._require(actor, Action.READ, object_id=partner_id)
        with self._db.session(write=False) as session:
            return self._load(session, partner_id)

    def contact(self, actor: Actor, contact_id: int) -> PartnerContactInfo:
        self._require(actor, Action.READ, "partner_contact", contact_id)
        with self._db.session(write=False) as session:
            row = session.get(PartnerContact, contact_id)
            if row is None:
                raise NotFound(_("Ce contact n'existe pas (ou plus) dans l'annuaire."))
            return _contact_info(row)

    # ---- write: partners ----------------------------------------------------------------
    def create(self, actor: Actor, data: PartnerInput) -> PartnerInfo:
        self._require(actor, Action.WRITE)
        data = validate_partner(data)
        with self._db.session() as session:
            row = Partner(created_at=self._clock(), active=True)
            _apply(row, data)
            session.add(row)
            session.flush()
            self._write(session, actor, AuditAction.PARTNER_CREATE, "partner", row.id)
            return _info(row, [])

    def update(
        self, actor: Actor, partner_id: int, data: PartnerInput, expected_version: int
    ) -> PartnerInfo:
        """Save; if someone saved meanwhile, raise ConflictError with both versions."""
        self._require(actor, Action.WRITE, object_id=partner_id)
        data = validate_partner(data)

        def work(session: Session) -> PartnerInfo:
            row = session.get(Partner, partner_id)
            if row is None:
                raise NotFound(_("Ce partenaire n'existe pas (ou plus) dans l'annuaire."))
            if row.version != expected_version:
                theirs = self._load(session, partner_id)
                error = ConflictError(_("Ce partenaire"), mine=data, theirs=theirs)
                raise Conflict(error, object_type="partner", object_id=partner_id)
            _apply(row, data)
            session.flush()
            self._write(session, actor, AuditAction.PARTNER_UPDATE, "partner", row.id)
            return self._load(session, partner_id)

        return self._guard.run(actor, work)

    def set_active(self, actor: Actor, partner_id: int, active: bool) -> PartnerInfo:
        """Deactivate (hidden from new referrals, kept for history) or reactivate."""
        self._require(actor, Action.WRITE, object_id=partner_id)
        return self._toggle(
            actor,
            Partner,
            partner_id,
            active,
            _("Ce partenaire n'existe pas (ou plus) dans l'annuaire."),
            lambda session, _row: self._load(session, partner_id),
        )

    def _toggle(
        self, actor: Actor, model: type, object_id: int, active: bool, missing: str, result
    ):
        """Deactivate or reactivate a partner or a contact, in one unit of work (audited)."""

        def work(session: Session):
            row = session.get(model, object_id)
            if row is None:
                raise NotFound(missing)
            if row.active != bool(active):
                row.active = bool(active)
                session.flush()
                self._audit.add(
                    session,
                    actor,
                    AuditAction.PARTNER_UPDATE,
                    object_type=row.__tablename__,
                    object_id=row.id,
                    detail="réactivé" if active else "désactivé",
                )
            return result(session, row)

        return self._guard.run(actor, work)

    def ensure_defaults(self, actor: Actor) -> int:
        """Add the pre-filled entries of the kinds the directory lacks (databases created
        before the directory existed); returns how many were added."""
        self._require(actor, Action.WRITE)
        with self._db.session() as session:
            added = partner_defaults.insert_defaults(session, self._clock())
            for row in added:
                self._audit.add(
                    session,
                    actor,
                    AuditAction.PARTNER_CREATE,
                    object_type="partner",
                    object_id=row.id,
                    detail="annuaire pré-rempli",
                )
            return len(added)

    # ---- write: contacts ----------------------------------------------------------------
    def add_contact(
        self, actor: Actor, partner_id: int, data: PartnerContactInput
    ) -> PartnerContactInfo:
        self._require(actor, Action.WRITE, "partner_contact")
        data = validate_contact(data)
        with self._db.session() as session:
            if session.get(Partner, partner_id) is None:
                raise NotFound(_("Ce partenaire n'existe pas (ou plus) dans l'annuaire."))
            row = PartnerContact(partner_id=partner_id, active=True)
            _apply_contact(row, data)
            session.add(row)
            session.flush()
            self._write(session, actor, AuditAction.PARTNER_CREATE, "partner_contact", row.id)
            return _contact_info(row)

    def update_contact(
        self, actor: Actor, contact_id: int, data: PartnerContactInput, expected_version: int
    ) -> PartnerContactInfo:
        self._require(actor, Action.WRITE, "partner_contact", contact_id)
        data = validate_contact(data)

        def work(session: Session) -> PartnerContactInfo:
            row = session.get(PartnerContact, contact_id)
            if row is None:
                raise NotFound(_("Ce contact n'existe pas (ou plus) dans l'annuaire."))
            if row.version != expected_version:
                error = ConflictError(_("Ce contact"), mine=data, theirs=_contact_info(row))
                raise Conflict(error, object_type="partner_contact", object_id=contact_id)
            _apply_contact(row, data)
            session.flush()
            self._write(session, actor, AuditAction.PARTNER_UPDATE, "partner_contact", row.id)
            return _contact_info(row)

        return self._guard.run(actor, work)

    def set_contact_active(self, actor: Actor, contact_id: int, active: bool) -> PartnerContactInfo:
        self._require(actor, Action.WRITE, "partner_contact", contact_id)
        return self._toggle(
            actor,
            PartnerContact,
            contact_id,
            active,
            _("Ce contact n'existe pas (ou plus) dans l'annuaire."),
            lambda _session, row: _contact_info(row),
        )
