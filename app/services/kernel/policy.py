"""The one access-policy table (DESIGN.md §3) and the function every service asks.

The table is data: ``POLICY[resource][role]`` is a ``Grant`` saying how a role may read and
write a resource. Services call :func:`require` (raises and lets the caller audit the refusal)
or :func:`allows`; views never decide on their own, they ask :func:`visible_compartments` and
friends through the services.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from app.models.enums import Compartment, Role
from app.services.kernel.errors import PermissionDenied


class Resource(StrEnum):
    ADMINISTRATIVE = "administrative"
    MEDICAL = "medical"
    SOCIAL = "social"
    LIAISON = "liaison"
    CONSENT = "consent"
    REFERRAL = "referral"
    REFERRAL_CONTENT = "referral_content"
    SESSIONS = "sessions"
    APPOINTMENT = "appointment"
    APPOINTMENT_REASON = "appointment_reason"
    HOME_CARE = "home_care"
    STATISTICS = "statistics"
    AUDIT = "audit"
    ACCOUNTS = "accounts"
    SETTINGS = "settings"
    PARTNERS = "partners"


class Action(StrEnum):
    READ = "read"
    WRITE = "write"


class Scope(StrEnum):
    """How far a grant reaches."""

    ALL = "all"  # every item of the resource
    OWN = "own"  # only items the user authored / is the professional of
    PARTY = "party"  # only items the user sent or received (referral content)
    AGGREGATE = "aggregate"  # counts and statistics, no names
    SCHEDULING = "scheduling"  # what is needed to schedule, nothing else


@dataclass(frozen=True)
class Grant:
    read: Scope | None = None
    write: Scope | None = None

    def scope(self, action: Action) -> Scope | None:
        return self.read if action is Action.READ else self.write

    def label(self) -> str:
        parts = []
        if self.read:
            parts.append("L" if self.read is Scope.ALL else f"L ({SCOPE_LABELS[self.read]})")
        if self.write:
            parts.append("É" if self.write is Scope.ALL else f"É ({SCOPE_LABELS[self.write]})")
        return " ".join(parts) or "–"


NONE = Grant()
R = Grant(read=Scope.ALL)
RW = Grant(read=Scope.ALL, write=Scope.ALL)

G, P, S, SEC, C = (
    Role.GP,
    Role.PARAMEDICAL,
    Role.SOCIAL_WORKER,
    Role.SECRETARY,
    Role.COORDINATOR,
)

POLICY: dict[Resource, dict[Role, Grant]] = {
    Resource.ADMINISTRATIVE: {G: RW, P: R, S: RW, SEC: RW, C: RW},
    Resource.MEDICAL: {
        G: RW,
        P: Grant(read=Scope.ALL, write=Scope.OWN),
        S: NONE,
        SEC: NONE,
        C: NONE,
    },
    Resource.SOCIAL: {G: NONE, P: NONE, S: RW, SEC: NONE, C: NONE},
    Resource.LIAISON: {G: RW, P: R, S: RW, SEC: NONE, C: NONE},
    # Secretaries collect signed consent forms at the desk; the coordinator only reads.
    Resource.CONSENT: {G: RW, P: RW, S: RW, SEC: RW, C: R},
    Resource.REFERRAL: {
        G: RW,
        P: RW,
        S: RW,
        SEC: Grant(read=Scope.SCHEDULING),
        C: Grant(read=Scope.AGGREGATE),
    },
    Resource.REFERRAL_CONTENT: {
        G: Grant(read=Scope.PARTY, write=Scope.PARTY),
        P: Grant(read=Scope.PARTY, write=Scope.PARTY),
        S: Grant(read=Scope.PARTY, write=Scope.PARTY),
        SEC: NONE,
        C: NONE,
    },
    # The coordinator or the social worker defines the consultation sessions (permanences).
    Resource.SESSIONS: {G: R, P: R, S: RW, SEC: R, C: RW},
    Resource.APPOINTMENT: {G: R, P: R, S: RW, SEC: RW, C: R},
    Resource.APPOINTMENT_REASON: {
        G: Grant(read=Scope.OWN, write=Scope.OWN),
        P: Grant(read=Scope.OWN, write=Scope.OWN),
        S: Grant(read=Scope.OWN, write=Scope.OWN),
        SEC: NONE,
        C: NONE,
    },
    Resource.HOME_CARE: {G: RW, P: RW, S: RW, SEC: R, C: R},
    Resource.STATISTICS: {
        G: Grant(read=Scope.AGGREGATE),
        P: NONE,
        S: Grant(read=Scope.AGGREGATE),
        SEC: NONE,
        C: Grant(read=Scope.AGGREGATE),
    },
    Resource.AUDIT: {G: NONE, P: NONE, S: NONE, SEC: NONE, C: R},
    Resource.ACCOUNTS: {G: NONE, P: NONE, S: NONE, SEC: NONE, C: RW},
    Resource.SETTINGS: {G: NONE, P: NONE, S: NONE, SEC: NONE, C: RW},
    Resource.PARTNERS: {G: R, P: R, S: RW, SEC: RW, C: RW},
}

# Conditions the services check on top of the role grant.
CONDITIONS: dict[Resource, str] = {
    Resource.LIAISON: "seulement tant que le consentement du patient est actif",
    Resource.REFERRAL_CONTENT: "émetteur et destinataire de l'orientation seulement",
    Resource.APPOINTMENT_REASON: (
        "le professionnel du rendez-vous seulement ; omis des agendas des autres rôles"
    ),
}

# What a list leaves out for the roles the table refuses, by design and without an audit row
# (the list shows what the role may see; nothing is asked that could be refused). Asking for
# the item itself is refused and audited like any other refusal.
OMITTED: dict[Resource, str] = {
    Resource.APPOINTMENT_REASON: "the agenda and appointment lists show no reason to the "
    "roles that may not read it (blank column), without an audit row: designed behaviour",
}

RESOURCE_LABELS: dict[Resource, str] = {
    Resource.ADMINISTRATIVE: "Volet administratif (identité, contact, médecin traitant)",
    Resource.MEDICAL: "Notes médicales",
    Resource.SOCIAL: "Évaluation et notes sociales",
    Resource.LIAISON: "Notes de liaison (médecin ↔ assistante sociale)",
    Resource.CONSENT: "Consentement du patient (recueil, refus, retrait)",
    Resource.REFERRAL: "Orientation : qui, quand, statut, destination",
    Resource.REFERRAL_CONTENT: "Orientation : motif, message, éléments partagés, retour",
    Resource.SESSIONS: "Permanences (jours, horaires, salle, exceptions)",
    Resource.APPOINTMENT: "Rendez-vous : horaire, professionnel",
    Resource.APPOINTMENT_REASON: "Motif du rendez-vous",
    Resource.HOME_CARE: "Soins à domicile et sorties d'hospitalisation",
    Resource.STATISTICS: "Statistiques (agrégats, sans noms)",
    Resource.AUDIT: "Journal d'audit",
    Resource.ACCOUNTS: "Comptes utilisateurs",
    Resource.SETTINGS: "Paramètres de la maison de santé",
    Resource.PARTNERS: "Annuaire des partenaires",
}

SCOPE_LABELS: dict[Scope, str] = {
    Scope.ALL: "tout",
    Scope.OWN: "les siens",
    Scope.PARTY: "émetteur/destinataire",
    Scope.AGGREGATE: "agrégats",
    Scope.SCHEDULING: "pour planifier",
}

COMPARTMENT_RESOURCE: dict[Compartment, Resource] = {
    Compartment.ADMINISTRATIVE: Resource.ADMINISTRATIVE,
    Compartment.MEDICAL: Resource.MEDICAL,
    Compartment.SOCIAL: Resource.SOCIAL,
    Compartment.LIAISON: Resource.LIAISON,
}

NOTE_COMPARTMENTS = (Compartment.MEDICAL, Compartment.SOCIAL, Compartment.LIAISON)

# Sealing domains: one data key each (compartment_key rows), held by the roles that may read
# the resource, so that a copied database reads nothing without a password. The notes'
# compartments, plus the home-care and discharge details (« care ») and the administrative
# papers and scheduling wishes (« administrative »), which every role reads but no file
# thief should. Referral contents have a key of their own per referral (record keys).
KEY_DOMAINS: dict[str, Resource] = {
    str(Compartment.MEDICAL): Resource.MEDICAL,
    str(Compartment.SOCIAL): Resource.SOCIAL,
    str(Compartment.LIAISON): Resource.LIAISON,
    "care": Resource.HOME_CARE,
    str(Compartment.ADMINISTRATIVE): Resource.ADMINISTRATIVE,
}
CARE_DOMAIN = "care"
ADMINISTRATIVE_DOMAIN = str(Compartment.ADMINISTRATIVE)


def holds_key(role: Role | str, domain: str) -> bool:
    """True when ``role`` is given the data key of ``domain`` (it may read what it seals)."""
    return allows(role, KEY_DOMAINS[domain], Action.READ)


def escrow_domains() -> tuple[str, ...]:
    """Domains whose key professionals outside them hold in escrow for an exceptional access."""
    return tuple(str(c) for c in NOTE_COMPARTMENTS)


def grant(role: Role | str, resource: Resource | Compartment) -> Grant:
    if isinstance(resource, Compartment):
        resource = COMPARTMENT_RESOURCE[resource]
    return POLICY[Resource(resource)][Role(role)]


def allows(
    role: Role | str,
    resource: Resource | Compartment,
    action: Action,
    *,
    is_own: bool = False,
    is_party: bool = False,
) -> bool:
    """True when ``role`` may perform ``action`` on ``resource`` (in the given item context)."""
    scope = grant(role, resource).scope(action)
    if scope is None:
        return False
    if scope is Scope.OWN:
        return is_own
    if scope is Scope.PARTY:
        return is_party
    return True


def scope_of(role: Role | str, resource: Resource | Compartment, action: Action) -> Scope | None:
    return grant(role, resource).scope(action)


def require(
    role: Role | str,
    resource: Resource | Compartment,
    action: Action,
    *,
    is_own: bool = False,
    is_party: bool = False,
) -> None:
    if not allows(role, resource, action, is_own=is_own, is_party=is_party):
        raise PermissionDenied()


def readable_compartments(role: Role | str) -> list[Compartment]:
    """Compartments whose tab a role may see at all (in DESIGN.md order)."""
    return [c for c in Compartment if grant(role, c).read is not None]


def writable_compartments(role: Role | str) -> list[Compartment]:
    return [c for c in Compartment if grant(role, c).write is not None]


def table_rows() -> list[tuple[str, list[str], str]]:
    """The table in printable form: (resource label, one cell per role, condition)."""
    rows = []
    for resource, by_role in POLICY.items():
        cells = [by_role[role].label() for role in Role]
        rows.append((RESOURCE_LABELS[resource], cells, CONDITIONS.get(resource, "")))
    return rows
