"""Plain dataclasses and labels exchanged between services and views.

No SQLAlchemy here (nor anything that imports it): the Qt views import these names without
reaching the persistence layer (the import-linter contract forbids even indirect imports). The
service modules re-export them, so ``app.services.patients.PatientInput`` still works.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum

from app.i18n import N_, Labels
from app.models.enums import Compartment, IdentityDocument, IdentityStatus, Profession, Role, Sex
from app.services.errors import RelaisError
from app.services.orientation import Service

# ---- accounts -----------------------------------------------------------------------------
ROLE_PROFESSIONS: dict[Role, tuple[Profession, ...]] = {
    Role.GP: (Profession.GENERAL_PRACTITIONER,),
    Role.SOCIAL_WORKER: (Profession.SOCIAL_WORKER,),
    Role.PARAMEDICAL: (Profession.NURSE, Profession.PHYSIOTHERAPIST, Profession.MIDWIFE),
    Role.SECRETARY: (Profession.SECRETARY,),
    Role.COORDINATOR: (Profession.COORDINATOR,),
}
# Health professionals registered in the RPPS (the social worker and staff are not).
RPPS_PROFESSIONS = {
    Profession.GENERAL_PRACTITIONER,
    Profession.NURSE,
    Profession.PHYSIOTHERAPIST,
    Profession.MIDWIFE,
}
PROFESSION_LABELS: dict[Profession, str] = Labels(
    {
        Profession.GENERAL_PRACTITIONER: N_("Médecin généraliste"),
        Profession.SOCIAL_WORKER: N_("Assistant(e) de service social"),
        Profession.NURSE: N_("Infirmier(ère)"),
        Profession.PHYSIOTHERAPIST: N_("Masseur-kinésithérapeute"),
        Profession.MIDWIFE: N_("Sage-femme"),
        Profession.SECRETARY: N_("Secrétariat / accueil"),
        Profession.COORDINATOR: N_("Coordination"),
    }
)


@dataclass(frozen=True)
class UserInfo:
    id: int
    username: str
    first_name: str
    last_name: str
    role: Role
    profession: Profession
    rpps: str | None
    active: bool
    must_change_password: bool
    last_login_at: datetime | None
    version: int

    @property
    def display_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(frozen=True)
class UserInput:
    username: str
    first_name: str
    last_name: str
    role: Role
    profession: Profession
    rpps: str = ""


# ---- clinic -------------------------------------------------------------------------------
MIN_INACTIVITY, MAX_INACTIVITY = 1, 60


@dataclass(frozen=True)
class ClinicPublic:
    """What start-up and the login screen need before anyone logs in, readable without an
    actor: the clinic's name, demo mode and the session rules every workstation applies.
    The full settings (``ClinicInfo``) are the coordinator's (policy row "settings")."""

    name: str
    demo: bool
    inactivity_minutes: int
    session_hours: int
    require_totp: bool


@dataclass(frozen=True)
class ClinicInfo:
    name: str
    address: str
    finess: str
    phone: str
    demo: bool
    inactivity_minutes: int
    version: int
    installation_id: str = ""
    require_totp: bool = True
    session_hours: int = 12
    break_glass_enabled: bool = False
    break_glass_minutes: int = 60
    retention_years: int = 5
    backup_dir: str = ""
    backup_keep: int = 14
    language: str = "fr"

    def as_input(self) -> ClinicInput:
        return ClinicInput(
            name=self.name,
            address=self.address,
            finess=self.finess,
            phone=self.phone,
            inactivity_minutes=self.inactivity_minutes,
            require_totp=self.require_totp,
            session_hours=self.session_hours,
            break_glass_enabled=self.break_glass_enabled,
            break_glass_minutes=self.break_glass_minutes,
            retention_years=self.retention_years,
            backup_dir=self.backup_dir,
            language=self.language,
            backup_keep=self.backup_keep,
        )


@dataclass(frozen=True)
class ClinicInput:
    name: str
    address: str = ""
    finess: str = ""
    phone: str = ""
    inactivity_minutes: int = 5
    require_totp: bool = True
    session_hours: int = 12
    break_glass_enabled: bool = False
    break_glass_minutes: int = 60
    retention_years: int = 5
    backup_dir: str = ""
    backup_keep: int = 14
    language: str = "fr"  # printed documents


@dataclass(frozen=True)
class SetupResult:
    """What the first run produced. ``recovery_key`` is shown (and printed) once, never
    stored; ``audit_key`` is set only when no OS keyring could keep it (write it down)."""

    clinic: ClinicInfo
    coordinator: UserInfo
    recovery_key: str
    audit_key: str | None = None


# ---- patients -----------------------------------------------------------------------------
@dataclass(frozen=True)
class PatientSummary:
    """One row of the search list."""

    id: int
    birth_name: str
    used_name: str
    first_names: str
    sex: Sex
    birth_date: date
    nir: str | None
    city: str

    @property
    def display_name(self) -> str:
        family = self.used_name or self.birth_name
        born = (
            f" (née {self.birth_name})"
            if self.used_name and self.used_name != self.birth_name
            else ""
        )
        if born and self.sex == Sex.MALE:
            born = born.replace("née", "né")
        return f"{family.upper()} {self.first_names}{born}"


@dataclass(frozen=True)
class PatientInput:
    """What the identity form sends. Dates may be ``date`` or ``jj/mm/aaaa`` text."""

    birth_name: str
    first_names: str
    sex: Sex | str
    birth_date: date | str | None
    used_name: str = ""
    birth_place_code: str = ""
    identity_status: IdentityStatus | str = IdentityStatus.PROVISIONAL
    identity_document: IdentityDocument | str | None = None
    nir: str = ""
    phone: str = ""
    email: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    attending_gp_id: int | None = None
    attending_gp_other: str = ""
    social_referent_id: int | None = None
    # Or a named social worker outside the clinic (a partner's contact); not both.
    social_referent_contact_id: int | None = None


@dataclass(frozen=True)
class PatientRecord:
    id: int
    birth_name: str
    used_name: str
    first_names: str
    sex: Sex
    birth_date: date
    birth_place_code: str
    identity_status: IdentityStatus
    identity_document: IdentityDocument | None
    nir: str | None
    phone: str
    email: str
    address: str
    postal_code: str
    city: str
    attending_gp_id: int | None
    attending_gp_name: str
    attending_gp_other: str
    social_referent_id: int | None
    social_referent_name: str
    created_at: datetime
    updated_at: datetime
    archived: bool
    version: int
    # The référent social outside the clinic (``social_referent_name`` then names them).
    social_referent_contact_id: int | None = None

    @property
    def summary(self) -> PatientSummary:
        return PatientSummary(
            self.id,
            self.birth_name,
            self.used_name,
            self.first_names,
            self.sex,
            self.birth_date,
            self.nir,
            self.city,
        )

    def as_input(self) -> PatientInput:
        return PatientInput(
            birth_name=self.birth_name,
            first_names=self.first_names,
            sex=self.sex,
            birth_date=self.birth_date,
            used_name=self.used_name,
            birth_place_code=self.birth_place_code,
            identity_status=self.identity_status,
            identity_document=self.identity_document,
            nir=self.nir or "",
            phone=self.phone,
            email=self.email,
            address=self.address,
            postal_code=self.postal_code,
            city=self.city,
            attending_gp_id=self.attending_gp_id,
            attending_gp_other=self.attending_gp_other,
            social_referent_id=self.social_referent_id,
            social_referent_contact_id=self.social_referent_contact_id,
        )


@dataclass(frozen=True)
class SearchResult:
    patients: list[PatientSummary]
    has_more: bool


@dataclass(frozen=True)
class HistoryItem:
    at: datetime
    who: str
    role: str
    action: str
    action_label: str
    compartment: str | None
    object_type: str | None


class DuplicateWarning(RelaisError):
    """Likely duplicates exist; the caller confirms (``confirm_duplicate=True``) or opens one."""

    def __init__(self, candidates: list[PatientSummary]) -> None:
        self.candidates = candidates
        names = "\n".join(
            f"• {c.display_name}, né(e) le {c.birth_date:%d/%m/%Y}" for c in candidates[:5]
        )
        super().__init__(
            "Ce patient existe peut-être déjà :\n"
            f"{names}\n"
            "Vérifiez avant de créer un nouveau dossier (risque de doublon)."
        )


# ---- notes --------------------------------------------------------------------------------
COMPARTMENT_LABELS = Labels(
    {
        Compartment.ADMINISTRATIVE: N_("Administratif"),
        Compartment.MEDICAL: N_("Médical"),
        Compartment.SOCIAL: N_("Social"),
        Compartment.LIAISON: N_("Liaison"),
    }
)


# What a data key opens, for the messages (sealing domains beyond the four compartments).
KEY_LABELS: dict[str, str] = {
    **{str(c): f"du volet {label.lower()}" for c, label in COMPARTMENT_LABELS.items()},
    "care": "des soins à domicile et sorties d'hospitalisation",
    "referral": "de cette orientation",
}


class KeyUnavailable(RelaisError):
    """This session holds no key for the domain yet (not granted by a colleague)."""

    def __init__(self, compartment: Compartment | str) -> None:
        label = KEY_LABELS.get(str(compartment), str(compartment))
        super().__init__(
            f"La clé {label} n'est pas encore disponible pour votre compte. "
            "Elle vous sera transmise automatiquement dès qu'un(e) collègue habilité(e) se "
            "connectera (ou par la coordination avec la clé de secours)."
        )


@dataclass(frozen=True)
class NoteView:
    id: int
    patient_id: int
    compartment: Compartment
    author_id: int
    author_name: str
    created_at: datetime
    updated_at: datetime
    updated_by_name: str
    text: str
    version: int
    can_edit: bool


# ---- audit trail --------------------------------------------------------------------------
class AuditAction:
    """Action codes written in the audit trail (``AuditEntry.action``)."""

    LOGIN = "login"
    LOGIN_FAILED = "login_failed"
    LOGIN_THROTTLED = "login_throttled"
    LOGOUT = "logout"
    UNLOCK = "unlock"
    UNLOCK_FAILED = "unlock_failed"
    REAUTHENTICATE = "reauthenticate"
    READ = "read"
    CREATE = "create"
    UPDATE = "update"
    CONFLICT = "conflict"
    SEARCH = "search"
    ACCOUNT_CREATE = "account_create"
    ACCOUNT_UPDATE = "account_update"
    ACCOUNT_DISABLE = "account_disable"
    ACCOUNT_ENABLE = "account_enable"
    PASSWORD_RESET = "password_reset"
    PASSWORD_CHANGE = "password_change"
    SECOND_FACTOR_ENROL = "second_factor_enrol"
    SECOND_FACTOR_REMOVE = "second_factor_remove"
    CLINIC_SETUP = "clinic_setup"
    CLINIC_UPDATE = "clinic_update"
    KEY_GRANT = "key_grant"
    KEY_GRANT_BREAK_GLASS = "key_grant_break_glass"
    KEY_RECOVER = "key_recover"
    BREAK_GLASS = "break_glass"
    PRINT = "print"
    EXPORT = "export"
    ARCHIVE = "archive"
    UNARCHIVE = "unarchive"
    AUDIT_SEARCH = "audit_search"
    AUDIT_VERIFY = "audit_verify"
    AUDIT_HEAD = "audit_head"
    BACKUP = "backup"
    BACKUP_VERIFY = "backup_verify"
    RESTORE = "restore"
    INBOX_READ = "inbox_read"
    CONSENT_RECORD = "consent_record"
    PARTNER_CREATE = "partner_create"
    PARTNER_UPDATE = "partner_update"
    REFERRAL_CREATE = "referral_create"
    REFERRAL_UPDATE = "referral_update"
    REFERRAL_SEND = "referral_send"
    REFERRAL_PATIENT_REFUSAL = "referral_patient_refusal"
    REFERRAL_ACKNOWLEDGE = "referral_acknowledge"
    REFERRAL_BOOK = "referral_book"
    REFERRAL_SEEN = "referral_seen"
    REFERRAL_CLOSE = "referral_close"
    REFERRAL_REORIENT = "referral_reorient"
    REFERRAL_CANCEL = "referral_cancel"
    REFERRAL_FEEDBACK = "referral_feedback"
    REFERRAL_UNBOOK = "referral_unbook"
    HOME_CARE_CREATE = "home_care_create"
    HOME_CARE_UPDATE = "home_care_update"
    HOME_CARE_STEP = "home_care_step"
    DISCHARGE_CREATE = "discharge_create"
    DISCHARGE_UPDATE = "discharge_update"
    DISCHARGE_FOLLOW_UP = "discharge_follow_up"
    SESSION_CREATE = "session_create"
    SESSION_UPDATE = "session_update"
    SESSION_EXCEPTION = "session_exception"
    APPOINTMENT_BOOK = "appointment_book"
    APPOINTMENT_CONFIRM = "appointment_confirm"
    APPOINTMENT_CANCEL = "appointment_cancel"
    APPOINTMENT_NO_SHOW = "appointment_no_show"
    APPOINTMENT_SEEN = "appointment_seen"
    APPOINTMENT_CALL = "appointment_call"
    WAITING_LIST_ADD = "waiting_list_add"
    WAITING_LIST_REMOVE = "waiting_list_remove"
    AGENDA_EXPORT = "agenda_export"


ACTION_LABELS: dict[str, str] = Labels(
    {
        AuditAction.LOGIN: N_("Connexion"),
        AuditAction.LOGIN_FAILED: N_("Échec de connexion"),
        AuditAction.LOGIN_THROTTLED: N_("Connexion bloquée (trop de tentatives)"),
        AuditAction.LOGOUT: N_("Déconnexion"),
        AuditAction.UNLOCK: N_("Déverrouillage"),
        AuditAction.UNLOCK_FAILED: N_("Échec de déverrouillage"),
        AuditAction.REAUTHENTICATE: N_("Confirmation du mot de passe"),
        AuditAction.READ: N_("Consultation"),
        AuditAction.CREATE: N_("Création"),
        AuditAction.UPDATE: N_("Modification"),
        AuditAction.CONFLICT: N_("Conflit de modification"),
        AuditAction.SEARCH: N_("Recherche"),
        AuditAction.ACCOUNT_CREATE: N_("Création de compte"),
        AuditAction.ACCOUNT_UPDATE: N_("Modification de compte"),
        AuditAction.ACCOUNT_DISABLE: N_("Désactivation de compte"),
        AuditAction.ACCOUNT_ENABLE: N_("Réactivation de compte"),
        AuditAction.PASSWORD_RESET: N_("Réinitialisation du mot de passe"),
        AuditAction.PASSWORD_CHANGE: N_("Changement de mot de passe"),
        AuditAction.SECOND_FACTOR_ENROL: N_("Activation de la double authentification"),
        AuditAction.SECOND_FACTOR_REMOVE: N_("Retrait de la double authentification"),
        AuditAction.CLINIC_SETUP: N_("Installation"),
        AuditAction.CLINIC_UPDATE: N_("Paramètres modifiés"),
        AuditAction.KEY_GRANT: N_("Transmission d'une clé de volet"),
        AuditAction.KEY_GRANT_BREAK_GLASS: N_("Préparation de la clé d'accès exceptionnel"),
        AuditAction.KEY_RECOVER: N_("Restauration des clés (clé de secours)"),
        AuditAction.BREAK_GLASS: N_("Accès exceptionnel"),
        AuditAction.PRINT: N_("Impression d'un document"),
        AuditAction.EXPORT: N_("Export du dossier patient"),
        AuditAction.ARCHIVE: N_("Archivage du dossier"),
        AuditAction.UNARCHIVE: N_("Désarchivage du dossier"),
        AuditAction.AUDIT_SEARCH: N_("Consultation du journal d'audit"),
        AuditAction.AUDIT_VERIFY: N_("Vérification du journal d'audit"),
        AuditAction.AUDIT_HEAD: N_("Export de l'empreinte du journal"),
        AuditAction.BACKUP: N_("Sauvegarde"),
        AuditAction.BACKUP_VERIFY: N_("Vérification d'une sauvegarde"),
        AuditAction.RESTORE: N_("Restauration d'une sauvegarde"),
        AuditAction.INBOX_READ: N_("Messages marqués comme lus"),
        AuditAction.CONSENT_RECORD: N_("Consentement enregistré"),
        AuditAction.PARTNER_CREATE: N_("Ajout à l'annuaire des partenaires"),
        AuditAction.PARTNER_UPDATE: N_("Modification de l'annuaire des partenaires"),
        AuditAction.REFERRAL_CREATE: N_("Orientation créée (brouillon)"),
        AuditAction.REFERRAL_UPDATE: N_("Brouillon d'orientation modifié"),
        AuditAction.REFERRAL_SEND: N_("Orientation envoyée"),
        AuditAction.REFERRAL_PATIENT_REFUSAL: N_("Orientation refusée par le patient"),
        AuditAction.REFERRAL_ACKNOWLEDGE: N_("Orientation reçue"),
        AuditAction.REFERRAL_BOOK: N_("Rendez-vous fixé pour une orientation"),
        AuditAction.REFERRAL_SEEN: N_("Patient reçu (orientation)"),
        AuditAction.REFERRAL_CLOSE: N_("Orientation clôturée"),
        AuditAction.REFERRAL_REORIENT: N_("Réorientation (erreur d'orientation)"),
        AuditAction.REFERRAL_CANCEL: N_("Orientation annulée"),
        AuditAction.REFERRAL_FEEDBACK: N_("Retour d'orientation"),
        AuditAction.REFERRAL_UNBOOK: N_("Rendez-vous de l'orientation annulé ou manqué"),
        AuditAction.HOME_CARE_CREATE: N_("Demande de soins à domicile créée"),
        AuditAction.HOME_CARE_UPDATE: N_("Demande de soins à domicile modifiée"),
        AuditAction.HOME_CARE_STEP: N_("Suivi d'une demande de soins à domicile"),
        AuditAction.DISCHARGE_CREATE: N_("Plan de sortie d'hospitalisation créé"),
        AuditAction.DISCHARGE_UPDATE: N_("Plan de sortie d'hospitalisation modifié"),
        AuditAction.DISCHARGE_FOLLOW_UP: N_("Suivi de sortie d'hospitalisation fait"),
        AuditAction.SESSION_CREATE: N_("Permanence créée"),
        AuditAction.SESSION_UPDATE: N_("Permanence modifiée"),
        AuditAction.SESSION_EXCEPTION: N_("Date de permanence annulée ou ajoutée"),
        AuditAction.APPOINTMENT_BOOK: N_("Rendez-vous fixé"),
        AuditAction.APPOINTMENT_CONFIRM: N_("Rendez-vous confirmé"),
        AuditAction.APPOINTMENT_CANCEL: N_("Rendez-vous annulé"),
        AuditAction.APPOINTMENT_NO_SHOW: N_("Absence au rendez-vous"),
        AuditAction.APPOINTMENT_SEEN: N_("Patient reçu en rendez-vous"),
        AuditAction.APPOINTMENT_CALL: N_("Patient appelé (rappel du rendez-vous)"),
        AuditAction.WAITING_LIST_ADD: N_("Inscription en liste d'attente"),
        AuditAction.WAITING_LIST_REMOVE: N_("Retrait de la liste d'attente"),
        AuditAction.AGENDA_EXPORT: N_("Export de l'agenda (iCalendar)"),
    }
)

OUTCOME_LABELS: dict[str, str] = Labels(
    {"ok": N_("Effectué"), "refused": N_("Refusé"), "failed": N_("Échec")}
)


@dataclass(frozen=True)
class AuditRecord:
    id: int
    at: datetime
    user_id: int | None
    username: str
    role: str
    action: str
    outcome: str
    patient_id: int | None
    compartment: str | None
    object_type: str | None
    object_id: int | None
    workstation: str
    detail: str

    @property
    def action_label(self) -> str:
        return ACTION_LABELS.get(self.action, self.action)

    @property
    def outcome_label(self) -> str:
        return OUTCOME_LABELS.get(self.outcome, self.outcome)


@dataclass(frozen=True)
class AuditPage:
    """One page of the audit viewer, newest first; ``has_more``: ask for the next offset."""

    entries: list[AuditRecord]
    has_more: bool


@dataclass(frozen=True)
class VerifyReport:
    """Result of a walk over the audit chain (``app.services.audit_chain.verify``)."""

    ok: bool
    checked: int
    last_seq: int
    last_mac: str
    problem: str = ""
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    # Entries written before the audit key existed (only ever at the start of the chain).
    unsealed: int = 0
    # The head this workstation kept in its keyring (``app.services.audit_anchor``):
    # "checked" (compared with the chain), "restored" (superseded by the restore recorded at
    # ``restored_seq``), "none" (nothing kept yet), "unavailable" (no keyring on this
    # workstation), "" (not compared).
    stored_head: str = ""
    kept_seq: int = 0
    restored_seq: int = 0

    def message(self) -> str:
        if self.ok:
            extra = (
                f" (les {self.unsealed} premières entrées, écrites avant la clé d'audit, ne "
                "sont pas scellées)"
                if self.unsealed > 1
                else " (la première entrée, écrite avant la clé d'audit, n'est pas scellée)"
                if self.unsealed
                else ""
            )
            intact = f"Journal d'audit intact : {self.checked} entrées vérifiées{extra}."
            return intact + self._kept()
        where = f" (entrée n° {self.first_bad_seq})" if self.first_bad_seq is not None else ""
        return f"Journal d'audit ALTÉRÉ{where} : {self.problem}"

    def _kept(self) -> str:
        exported = (
            "seule une empreinte exportée (« audit head ») permet de détecter une fin de "
            "journal tronquée."
        )
        if self.stored_head == "checked":
            return (
                f" L'entrée n° {self.kept_seq}, la dernière scellée par ce poste (empreinte "
                "conservée dans son trousseau), est intacte à sa place."
            )
        if self.stored_head == "restored":
            return (
                f" Le journal a été restauré depuis une sauvegarde (entrée n° {self.restored_seq}) "
                f"après l'entrée n° {self.kept_seq}, la dernière scellée par ce poste : "
                "l'empreinte conservée dans son trousseau ne s'applique plus ; la prochaine "
                "entrée scellée par ce poste la remplacera."
            )
        if self.stored_head == "none":
            return (
                " Aucune empreinte de fin de chaîne n'est encore conservée dans le trousseau de "
                f"ce poste : {exported}"
            )
        if self.stored_head == "unavailable":
            return (
                " Trousseau du système indisponible sur ce poste : impossible de comparer avec "
                f"l'empreinte de fin de chaîne conservée par ce poste ; {exported}"
            )
        return ""


# ---- printed documents and exports --------------------------------------------------------
@dataclass(frozen=True)
class DocumentInfo:
    """An archived document of a patient file (its content is opened separately)."""

    id: int
    number: str
    kind: str
    title: str
    patient_id: int | None
    compartment: Compartment
    author_name: str
    created_at: datetime
    sha256: str
    size: int


@dataclass(frozen=True)
class GeneratedDocument:
    """A document just produced (and archived: ``id`` is its archive row)."""

    id: int
    number: str
    title: str
    pdf: bytes


@dataclass(frozen=True)
class PatientExport:
    """Right of access / portability: a PDF for the patient and a JSON file for another
    system. ``document_id``/``number``: the archived copy of the PDF (None: not archived)."""

    pdf: bytes
    json: bytes
    included: list[Compartment]
    omitted: list[Compartment]
    document_id: int | None = None
    number: str = ""


# ---- retention ----------------------------------------------------------------------------
@dataclass(frozen=True)
class RetentionCandidate:
    """A patient file for the retention screen (to archive, or already archived)."""

    patient: PatientSummary
    last_activity_at: datetime
    archived_at: datetime | None = None


# ---- inbox --------------------------------------------------------------------------------
INBOX_KIND_LABELS: dict[str, str] = Labels(
    {
        "break_glass": N_("Accès exceptionnel"),
        "key_grant": N_("Clé de volet transmise"),
        "referral": N_("Orientation"),
        "feedback": N_("Retour d'orientation"),
        "reminder": N_("Rappel"),
        "referral_new": N_("Nouvelle orientation"),
        "referral_feedback": N_("Retour d'orientation"),
        "referral_overdue": N_("Orientation en retard"),
        "home_care_overdue": N_("Soins à domicile en attente"),
        "discharge_follow_up": N_("Suivi de sortie d'hospitalisation"),
        "slot_freed": N_("Créneau libéré"),
        "appointment_to_call": N_("Rendez-vous annulé : patient à prévenir"),
        "social_action_overdue": N_("Démarche en retard"),
        "social_action_reminder": N_("Rappel de démarche"),
    }
)


@dataclass(frozen=True)
class InboxItem:
    id: int
    kind: str
    text: str
    created_at: datetime
    read_at: datetime | None
    patient_id: int | None = None
    patient_name: str = ""
    # Referral items (kinds ``referral_*``): the referral; their ``id`` is ``-referral_id``.
    referral_id: int | None = None
    # Items computed by an inbox source (``InboxService.add_source``): its name; ``id`` is
    # then the source's own id.
    source: str = ""

    @property
    def read(self) -> bool:
        return self.read_at is not None

    @property
    def kind_label(self) -> str:
        return INBOX_KIND_LABELS.get(self.kind, self.kind)


# ---- consent ------------------------------------------------------------------------------
class ConsentScope(StrEnum):
    LIAISON = "liaison"  # liaison notes shared between GPs and the social worker
    REFERRAL_CARSAT = "referral_carsat"  # being referred to the CARSAT social worker
    PARTNER = "partner"  # sharing with one named partner (``partner_id``)


class ConsentStatus(StrEnum):
    GIVEN = "given"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ConsentMethod(StrEnum):
    ORAL = "oral"
    SIGNED_FORM = "signed_form"


CONSENT_SCOPE_LABELS: dict[ConsentScope, str] = Labels(
    {
        ConsentScope.LIAISON: N_("Partage entre médecins et assistante sociale (notes de liaison)"),
        ConsentScope.REFERRAL_CARSAT: N_("Orientation vers le service social de la CARSAT"),
        ConsentScope.PARTNER: N_("Partage avec un partenaire"),
    }
)
CONSENT_STATUS_LABELS: dict[ConsentStatus, str] = Labels(
    {
        ConsentStatus.GIVEN: N_("Donné"),
        ConsentStatus.REFUSED: N_("Refusé"),
        ConsentStatus.WITHDRAWN: N_("Retiré"),
    }
)
CONSENT_METHOD_LABELS: dict[ConsentMethod, str] = Labels(
    {
        ConsentMethod.ORAL: N_("Oral"),
        ConsentMethod.SIGNED_FORM: N_("Formulaire signé"),
    }
)


@dataclass(frozen=True)
class ConsentRecord:
    """One recorded decision of the patient (the history is never overwritten)."""

    id: int
    patient_id: int
    scope: ConsentScope
    partner_id: int | None
    partner_name: str
    status: ConsentStatus
    decided_on: date
    method: ConsentMethod
    document_id: int | None
    recorded_by_name: str
    recorded_at: datetime

    @property
    def active(self) -> bool:
        return self.status is ConsentStatus.GIVEN

    @property
    def scope_label(self) -> str:
        label = CONSENT_SCOPE_LABELS[self.scope]
        return f"{label} : {self.partner_name}" if self.partner_name else label

    @property
    def status_label(self) -> str:
        return CONSENT_STATUS_LABELS[self.status]

    @property
    def method_label(self) -> str:
        return CONSENT_METHOD_LABELS[self.method]


@dataclass(frozen=True)
class ConsentSummary:
    """The current consent of a patient: the latest record per (scope, partner)."""

    patient_id: int
    current: list[ConsentRecord] = field(default_factory=list)

    def _find(self, scope: ConsentScope | str, partner_id: int | None) -> ConsentRecord | None:
        scope = ConsentScope(scope)
        for record in self.current:
            if record.scope is scope and record.partner_id == partner_id:
                return record
        return None

    def status_of(
        self, scope: ConsentScope | str, partner_id: int | None = None
    ) -> ConsentStatus | None:
        """None: the patient was never asked (no record) for this scope."""
        record = self._find(scope, partner_id)
        return record.status if record else None

    def is_active(self, scope: ConsentScope | str, partner_id: int | None = None) -> bool:
        return self.status_of(scope, partner_id) is ConsentStatus.GIVEN


# ---- partners directory -------------------------------------------------------------------
class PartnerKind(StrEnum):
    CARSAT = "carsat"
    CCAS = "ccas"
    CD_APA = "cd_apa"
    CD_ASE = "cd_ase"
    CD_PMI = "cd_pmi"
    MDPH = "mdph"
    CAF = "caf"
    CPAM = "cpam"
    FRANCE_TRAVAIL = "france_travail"
    SIAO_115 = "siao_115"
    VIOLENCE_3919 = "violence_3919"
    CHILD_119 = "child_119"
    EHPAD = "ehpad"
    SMR = "smr"
    HAD = "had"
    HOME_NURSE = "home_nurse"
    HOME_PHYSIO = "home_physio"
    HOME_MIDWIFE = "home_midwife"
    OTHER = "other"


PARTNER_KIND_LABELS: dict[PartnerKind, str] = Labels(
    {
        PartnerKind.CARSAT: N_("CARSAT — service social"),
        PartnerKind.CCAS: N_("CCAS (centre communal d'action sociale)"),
        PartnerKind.CD_APA: N_("Conseil départemental — APA"),
        PartnerKind.CD_ASE: N_("Conseil départemental — ASE"),
        PartnerKind.CD_PMI: N_("Conseil départemental — PMI"),
        PartnerKind.MDPH: N_("MDPH"),
        PartnerKind.CAF: N_("CAF"),
        PartnerKind.CPAM: N_("CPAM"),
        PartnerKind.FRANCE_TRAVAIL: N_("France Travail"),
        PartnerKind.SIAO_115: N_("SIAO — 115"),
        PartnerKind.VIOLENCE_3919: N_("3919 — Violences Femmes Info"),
        PartnerKind.CHILD_119: N_("119 — Allô Enfance en Danger"),
        PartnerKind.EHPAD: N_("EHPAD"),
        PartnerKind.SMR: N_("SMR (soins médicaux et de réadaptation)"),
        PartnerKind.HAD: N_("HAD (hospitalisation à domicile)"),
        PartnerKind.HOME_NURSE: N_("Infirmier(ère)s à domicile"),
        PartnerKind.HOME_PHYSIO: N_("Masseurs-kinésithérapeutes à domicile"),
        PartnerKind.HOME_MIDWIFE: N_("Sages-femmes à domicile"),
        PartnerKind.OTHER: N_("Autre partenaire"),
    }
)

# The orientation guide's services and the directory's kinds: pre-selects a partner.
ORIENTATION_KIND: dict[Service, PartnerKind] = {
    Service.CARSAT: PartnerKind.CARSAT,
    Service.CD_APA: PartnerKind.CD_APA,
    Service.CD_ASE: PartnerKind.CD_ASE,
    Service.CD_PMI: PartnerKind.CD_PMI,
    Service.MDPH: PartnerKind.MDPH,
    Service.CCAS: PartnerKind.CCAS,
    Service.CAF: PartnerKind.CAF,
    Service.CPAM: PartnerKind.CPAM,
    Service.FRANCE_TRAVAIL: PartnerKind.FRANCE_TRAVAIL,
    Service.SIAO_115: PartnerKind.SIAO_115,
    Service.VIOLENCE_3919: PartnerKind.VIOLENCE_3919,
    Service.CHILD_119: PartnerKind.CHILD_119,
}


@dataclass(frozen=True)
class PartnerContactInfo:
    id: int
    partner_id: int
    name: str
    title: str
    phone: str
    email: str
    social_worker: bool
    active: bool
    version: int

    def as_input(self) -> PartnerContactInput:
        return PartnerContactInput(
            self.name, self.title, self.phone, self.email, self.social_worker
        )


@dataclass(frozen=True)
class PartnerInfo:
    id: int
    name: str
    kind: PartnerKind
    service: str
    address: str
    phone: str
    email: str
    communes: list[str]
    handles: str
    active: bool
    version: int
    contacts: list[PartnerContactInfo] = field(default_factory=list)

    @property
    def kind_label(self) -> str:
        return PARTNER_KIND_LABELS[self.kind]

    @property
    def display_name(self) -> str:
        return f"{self.name} — {self.service}" if self.service else self.name

    def as_input(self) -> PartnerInput:
        return PartnerInput(
            self.name,
            self.kind,
            self.service,
            self.address,
            self.phone,
            self.email,
            list(self.communes),
            self.handles,
        )


@dataclass(frozen=True)
class PartnerInput:
    """What the directory form sends. ``communes``: a list, or text with one per line (or
    separated by commas or semicolons)."""

    name: str
    kind: PartnerKind | str
    service: str = ""
    address: str = ""
    phone: str = ""
    email: str = ""
    communes: list[str] | tuple[str, ...] | str = ()
    handles: str = ""


@dataclass(frozen=True)
class PartnerContactInput:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""
    social_worker: bool = False


# ---- social follow-up: assessment and action plan (rules in app.services.social_rules) ------
from app.services.social_rules import (  # noqa: E402
    ACTION_KIND_LABELS as ACTION_KIND_LABELS,
)
from app.services.social_rules import (  # noqa: E402
    ACTION_STATUS_LABELS as ACTION_STATUS_LABELS,
)
from app.services.social_rules import ActionKind as ActionKind  # noqa: E402
from app.services.social_rules import ActionStatus as ActionStatus  # noqa: E402

AssessmentValue = str | tuple[str, ...]


@dataclass(frozen=True)
class AssessmentInput:
    """What the assessment form sends: ``values[section][field]`` (a code, a tuple of codes
    for several choices, a line of text, or a date as ``jj/mm/aaaa`` / ISO text) and one free
    text per section (``texts[section]``). Missing keys mean « non renseigné »."""

    values: dict[str, dict[str, AssessmentValue]] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class AssessmentVersion:
    """One saved version of a patient's social assessment, without its content (history)."""

    id: int
    patient_id: int
    number: int  # 1 for the first version
    created_at: datetime
    author_id: int
    author_name: str
    appointment_id: int | None


@dataclass(frozen=True)
class AssessmentView:
    """One version with its content (dates as ISO text, codes as in ``social_rules``)."""

    version: AssessmentVersion
    values: dict[str, dict[str, AssessmentValue]]
    texts: dict[str, str]
    is_latest: bool = True

    @property
    def id(self) -> int:
        return self.version.id

    def value(self, section: str, key: str) -> AssessmentValue:
        return self.values.get(section, {}).get(key, "")

    def as_input(self) -> AssessmentInput:
        return AssessmentInput({s: dict(v) for s, v in self.values.items()}, dict(self.texts))


@dataclass(frozen=True)
class FieldChange:
    label: str  # the field's label, or « Commentaire » for the section's free text
    before: str  # French display value ("" when it was not filled in)
    after: str


@dataclass(frozen=True)
class SectionChange:
    """What changed in one section between two versions (French labels and values)."""

    key: str
    label: str
    changes: tuple[FieldChange, ...]

    def lines(self) -> list[str]:
        out = []
        for c in self.changes:
            before = f"« {c.before} »" if c.before else "non renseigné"
            after = f"« {c.after} »" if c.after else "non renseigné"
            out.append(f"{c.label} : {before} → {after}")
        return out


@dataclass(frozen=True)
class SocialActionInput:
    kind: ActionKind | str
    partner_id: int | None = None
    status: ActionStatus | str = ActionStatus.PLANNED
    due_on: date | None = None
    remind_on: date | None = None
    detail: str = ""


@dataclass(frozen=True)
class SocialActionView:
    """One step of the action plan (*démarche*)."""

    id: int
    patient_id: int
    owner_id: int
    owner_name: str
    kind: ActionKind
    partner_id: int | None
    partner_name: str
    status: ActionStatus
    due_on: date | None
    remind_on: date | None
    detail: str
    created_at: datetime
    updated_at: datetime
    done_at: datetime | None
    overdue: bool  # the due date has passed and it is neither done nor abandoned
    reminder_due: bool  # the reminder date has come and it is neither done nor abandoned
    version: int

    @property
    def kind_label(self) -> str:
        return ACTION_KIND_LABELS[self.kind]

    @property
    def status_label(self) -> str:
        return ACTION_STATUS_LABELS[self.status]

    @property
    def closed(self) -> bool:
        return self.status in (ActionStatus.DONE, ActionStatus.CANCELLED)

    def as_input(self) -> SocialActionInput:
        return SocialActionInput(
            self.kind, self.partner_id, self.status, self.due_on, self.remind_on, self.detail
        )


# ---- referrals (defined in app.services.referral_rules, re-exported here) -----------------
from app.services.referral_rules import (  # noqa: E402
    REASON_AXIS as REASON_AXIS,
)
from app.services.referral_rules import (  # noqa: E402
    REFERRAL_ACTION_LABELS as REFERRAL_ACTION_LABELS,
)
from app.services.referral_rules import (  # noqa: E402
    REFERRAL_REASON_LABELS as REFERRAL_REASON_LABELS,
)
from app.services.referral_rules import (  # noqa: E402
    REFERRAL_STATUS_LABELS as REFERRAL_STATUS_LABELS,
)
from app.services.referral_rules import SHARED_ITEM_LABELS as SHARED_ITEM_LABELS  # noqa: E402
from app.services.referral_rules import TRANSITIONS as TRANSITIONS  # noqa: E402
from app.services.referral_rules import URGENCY_LABELS as URGENCY_LABELS  # noqa: E402
from app.services.referral_rules import ReferralAction as ReferralAction  # noqa: E402
from app.services.referral_rules import ReferralDelays as ReferralDelays  # noqa: E402
from app.services.referral_rules import ReferralEventView as ReferralEventView  # noqa: E402
from app.services.referral_rules import ReferralInput as ReferralInput  # noqa: E402
from app.services.referral_rules import ReferralReason as ReferralReason  # noqa: E402
from app.services.referral_rules import ReferralStatus as ReferralStatus  # noqa: E402
from app.services.referral_rules import ReferralSummary as ReferralSummary  # noqa: E402
from app.services.referral_rules import ReferralView as ReferralView  # noqa: E402
from app.services.referral_rules import SharedItem as SharedItem  # noqa: E402
from app.services.referral_rules import Urgency as Urgency  # noqa: E402
from app.services.referral_rules import reason_title as reason_title  # noqa: E402

# ---- scheduling: consultation sessions, appointments, waiting list ------------------------
from app.services.scheduling_rules import (  # noqa: E402
    APPOINTMENT_ACTION_LABELS as APPOINTMENT_ACTION_LABELS,
)
from app.services.scheduling_rules import (  # noqa: E402
    APPOINTMENT_STATUS_LABELS as APPOINTMENT_STATUS_LABELS,
)
from app.services.scheduling_rules import (  # noqa: E402
    APPOINTMENT_TRANSITIONS as APPOINTMENT_TRANSITIONS,
)
from app.services.scheduling_rules import WAITING_STATUS_LABELS as WAITING_STATUS_LABELS  # noqa: E402
from app.services.scheduling_rules import (  # noqa: E402
    WAITING_URGENCY_LABELS as WAITING_URGENCY_LABELS,
)
from app.services.scheduling_rules import AppointmentAction as AppointmentAction  # noqa: E402
from app.services.scheduling_rules import AppointmentStatus as AppointmentStatus  # noqa: E402
from app.services.scheduling_rules import (  # noqa: E402
    AppointmentTransitionRefused as AppointmentTransitionRefused,
)
from app.services.scheduling_rules import SlotTaken as SlotTaken  # noqa: E402
from app.services.scheduling_rules import WaitingStatus as WaitingStatus  # noqa: E402
from app.services.scheduling_rules import WaitingUrgency as WaitingUrgency  # noqa: E402


@dataclass(frozen=True)
class SessionInput:
    """A recurring consultation session (*permanence*): ``weekday`` 0 = Monday; the first
    date must fall on that weekday; ``last_date`` None = no end."""

    professional_id: int
    label: str
    place: str
    room: str
    weekday: int
    opens: time
    closes: time
    slot_minutes: int
    every_weeks: int
    first_date: date
    last_date: date | None = None


@dataclass(frozen=True)
class SessionExceptionRecord:
    day: date
    kind: str  # "cancelled" or "added"
    reason: str
    kind_label: str = ""


@dataclass(frozen=True)
class SessionRecord:
    id: int
    professional_id: int
    professional_name: str
    label: str
    place: str
    room: str
    weekday: int
    weekday_label: str
    opens: time
    closes: time
    slot_minutes: int
    every_weeks: int
    first_date: date
    last_date: date | None
    active: bool
    summary: str  # « Un mardi sur deux, 9 h – 12 h 30, salle 2, créneaux de 30 min »
    exceptions: tuple[SessionExceptionRecord, ...]
    version: int


@dataclass(frozen=True)
class AppointmentRecord:
    """An appointment as one user may see it: ``reason``/``reason_label`` are empty unless
    the user is the appointment's professional. Times are UTC-aware."""

    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    professional_id: int
    professional_name: str
    session_id: int | None
    referral_id: int | None
    starts_at: datetime
    ends_at: datetime
    place: str
    room: str
    status: AppointmentStatus
    status_label: str
    status_reason: str
    reason: str
    reason_label: str
    booked_by_name: str
    called_at: datetime | None
    confirmed_at: datetime | None
    version: int
    active: bool  # occupies its slot
    no_show_count: int = 0  # the patient's missed appointments (all professionals)
    allowed_actions: tuple[str, ...] = ()
    booked_at: datetime | None = None


@dataclass(frozen=True)
class SlotRecord:
    """A slot of a session; free when ``appointment`` is None."""

    session_id: int
    professional_id: int
    starts_at: datetime
    ends_at: datetime
    place: str
    room: str
    appointment: AppointmentRecord | None = None

    @property
    def free(self) -> bool:
        return self.appointment is None


@dataclass(frozen=True)
class AgendaDay:
    """One day of an agenda: the slots of its sessions, why a regular session does not take
    place (holiday's name, « annulée : … »), and appointments whose slot no longer exists
    (the session changed after booking: never lost)."""

    day: date
    slots: tuple[SlotRecord, ...]
    skipped: str = ""
    appointments_outside: tuple[AppointmentRecord, ...] = ()
    cancelled: tuple[AppointmentRecord, ...] = ()  # cancelled appointments of the day


@dataclass(frozen=True)
class WaitingEntryRecord:
    id: int
    patient_id: int
    patient_name: str
    patient_phone: str
    professional_id: int
    referral_id: int | None
    urgency: WaitingUrgency
    preferences: str
    status: WaitingStatus
    created_at: datetime
    version: int
    urgency_label: str = ""
    status_label: str = ""
    appointment_id: int | None = None


# ---- home care and discharge plans (defined in app.services.home_care_rules) ---------------
from app.services.home_care_rules import (  # noqa: E402
    AID_LABELS as AID_LABELS,
)
from app.services.home_care_rules import (  # noqa: E402
    ARDH_VERDICT_LABELS as ARDH_VERDICT_LABELS,
)
from app.services.home_care_rules import (  # noqa: E402
    CARE_ACTS as CARE_ACTS,
)
from app.services.home_care_rules import (  # noqa: E402
    CARE_KIND_LABELS as CARE_KIND_LABELS,
)
from app.services.home_care_rules import (  # noqa: E402
    DESTINATION_LABELS as DESTINATION_LABELS,
)
from app.services.home_care_rules import (  # noqa: E402
    HOME_CARE_ACTION_LABELS as HOME_CARE_ACTION_LABELS,
)
from app.services.home_care_rules import (  # noqa: E402
    HOME_CARE_STATUS_LABELS as HOME_CARE_STATUS_LABELS,
)
from app.services.home_care_rules import ArdhResult as ArdhResult  # noqa: E402
from app.services.home_care_rules import ArdhVerdict as ArdhVerdict  # noqa: E402
from app.services.home_care_rules import CareKind as CareKind  # noqa: E402
from app.services.home_care_rules import Destination as Destination  # noqa: E402
from app.services.home_care_rules import (  # noqa: E402
    DischargePlanInput as DischargePlanInput,
)
from app.services.home_care_rules import (  # noqa: E402
    DischargePlanRecord as DischargePlanRecord,
)
from app.services.home_care_rules import FollowUpInput as FollowUpInput  # noqa: E402
from app.services.home_care_rules import FollowUpRecord as FollowUpRecord  # noqa: E402
from app.services.home_care_rules import Frequency as Frequency  # noqa: E402
from app.services.home_care_rules import FrequencyPeriod as FrequencyPeriod  # noqa: E402
from app.services.home_care_rules import HomeCareAction as HomeCareAction  # noqa: E402
from app.services.home_care_rules import HomeCareInput as HomeCareInput  # noqa: E402
from app.services.home_care_rules import HomeCareRecord as HomeCareRecord  # noqa: E402
from app.services.home_care_rules import HomeCareStatus as HomeCareStatus  # noqa: E402
from app.services.home_care_rules import PlanStatus as PlanStatus  # noqa: E402
