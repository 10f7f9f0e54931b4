"""The patient file's records: identity, notes, consent, archived documents, retention."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.i18n import N_, Labels
from app.models.enums import Compartment, IdentityDocument, IdentityStatus, Sex
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import PatientSummary


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
    # What was changed, in French (« Note », « Identité »…), never an internal code.
    object_label: str = ""


# What a file's history names as changed (``AuditEntry.object_type``), in French.
HISTORY_OBJECT_LABELS = Labels(
    {
        "patient": N_("Identité"),
        "note": N_("Note"),
        "consent": N_("Consentement"),
        "document": N_("Document"),
        "referral": N_("Orientation"),
        "home_care_request": N_("Soins à domicile"),
        "discharge_plan": N_("Sortie d'hospitalisation"),
        "discharge_follow_up": N_("Suivi après la sortie"),
        "appointment": N_("Rendez-vous"),
        "social_assessment": N_("Bilan social"),
        "social_action": N_("Démarche sociale"),
        "consultation_session": N_("Entretien social"),
        "exceptional_access": N_("Accès exceptionnel"),
    }
)

# The archived documents this feature prints (``Document.kind``), in French.
DOCUMENT_KIND_LABELS = Labels(
    {
        "access_report": N_("Relevé des accès au dossier"),
        "patient_export": N_("Export du dossier (droit d'accès)"),
    }
)


@dataclass(frozen=True)
class PatientFileCapabilities:
    """What one actor may do in one patient file (the views show or hide their buttons by
    it; the services enforce every action again)."""

    readable: tuple[Compartment, ...]  # note/identity compartments whose tab shows
    writable: tuple[Compartment, ...]
    archived: bool
    can_refer: bool
    can_read_consents: bool
    can_read_referrals: bool
    can_read_home_care: bool
    can_read_appointments: bool
    can_access_report: bool
    can_export: bool
    exceptional_offered: tuple[Compartment, ...] = ()

    def can_write(self, compartment: Compartment) -> bool:
        return compartment in self.writable and not self.archived


class Cancelled(RelaisError):
    """Long work stopped by the user before anything was saved or archived."""

    def __init__(self, message: str = N_("Opération annulée : rien n'a été enregistré.")) -> None:
        super().__init__(message)


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
class PatientExport:
    """Right of access / portability: a PDF for the patient and a JSON file for another
    system. ``document_id``/``number``: the archived copy of the PDF (None: not archived)."""

    pdf: bytes
    json: bytes
    included: list[Compartment]
    omitted: list[Compartment]
    document_id: int | None = None
    number: str = ""


@dataclass(frozen=True)
class RetentionCandidate:
    """A patient file for the retention screen (to archive, or already archived)."""

    patient: PatientSummary
    last_activity_at: datetime
    archived_at: datetime | None = None


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
