"""An inbox item and the French names of its kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.i18n import N_, Labels

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
