"""An inbox item and the French names of its kinds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

INBOX_KIND_LABELS: dict[str, str] = {
    "break_glass": "Accès exceptionnel",
    "key_grant": "Clé de volet transmise",
    "referral": "Orientation",
    "feedback": "Retour d'orientation",
    "reminder": "Rappel",
    "referral_new": "Nouvelle orientation",
    "referral_feedback": "Retour d'orientation",
    "referral_overdue": "Orientation en retard",
    "home_care_overdue": "Soins à domicile en attente",
    "discharge_follow_up": "Suivi de sortie d'hospitalisation",
    "slot_freed": "Créneau libéré",
    "appointment_to_call": "Rendez-vous annulé : patient à prévenir",
    "social_action_overdue": "Démarche en retard",
    "social_action_reminder": "Rappel de démarche",
}


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
