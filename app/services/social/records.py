"""The social worker's records: the action plan's kinds and statuses, and the assessment
and action records exchanged with the views (the assessment's form is ``assessment_form``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum

from app.i18n import N_, Labels, _
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.policy import Action, Resource


# ---- the action plan -----------------------------------------------------------------------
class ActionKind(StrEnum):
    C2S = "c2s"
    MDPH = "mdph"
    ARDH = "ardh"
    SOCIAL_HOUSING = "social_housing"
    APA = "apa"
    FSL = "fsl"
    RETIREMENT = "retirement"
    PROTECTION = "protection"
    FRANCE_TRAVAIL = "france_travail"
    OTHER = "other"


ACTION_KIND_LABELS: dict[ActionKind, str] = Labels(
    {
        ActionKind.C2S: N_("Demande de complémentaire santé solidaire (CPAM)"),
        ActionKind.MDPH: N_("Dossier MDPH"),
        ActionKind.ARDH: N_("Demande d'ARDH (aide au retour à domicile)"),
        ActionKind.SOCIAL_HOUSING: N_("Demande de logement social"),
        ActionKind.APA: N_("Dossier APA"),
        ActionKind.FSL: N_("Demande au FSL (fonds de solidarité logement)"),
        ActionKind.RETIREMENT: N_("Retraite anticipée, droits à la retraite"),
        ActionKind.PROTECTION: N_("Signalement, mesure de protection"),
        ActionKind.FRANCE_TRAVAIL: N_("Orientation vers France Travail"),
        ActionKind.OTHER: N_("Autre démarche"),
    }
)


class ActionStatus(StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting"
    DONE = "done"
    CANCELLED = "cancelled"


ACTION_STATUS_LABELS: dict[ActionStatus, str] = Labels(
    {
        ActionStatus.PLANNED: N_("À faire"),
        ActionStatus.IN_PROGRESS: N_("En cours"),
        ActionStatus.WAITING: N_("En attente de réponse"),
        ActionStatus.DONE: N_("Terminée"),
        ActionStatus.CANCELLED: N_("Abandonnée"),
    }
)
CLOSED_STATUSES = frozenset({ActionStatus.DONE, ActionStatus.CANCELLED})
MAX_ACTION_DETAIL = 5_000


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
            empty = _("non renseigné")
            before = _("« {value} »").format(value=c.before) if c.before else empty
            after = _("« {value} »").format(value=c.after) if c.after else empty
            line = _("{label} : {before} → {after}")
            out.append(line.format(label=c.label, before=before, after=after))
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


def may_consult(actor: Actor) -> bool:
    """The social follow-up (consultation screen, « Suivi social »): the social worker only.
    ``ConsultationService.can_consult`` asks the same rule."""
    return policy.allows(actor.role, Resource.SOCIAL, Action.WRITE)
