"""The audit trail as the coordinator's viewer sees it, and the report of a verification."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.services.kernel.audit_actions import ACTION_LABELS, OUTCOME_LABELS


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
    patient_name: str = ""  # shown instead of the file's internal number (viewer only)

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
    """Result of a walk over the audit chain (``app.services.audit.chain.verify``)."""

    ok: bool
    checked: int
    last_seq: int
    last_mac: str
    problem: str = ""
    first_bad_seq: int | None = None
    first_bad_id: int | None = None
    # Entries written before the audit key existed (only ever at the start of the chain).
    unsealed: int = 0
    # The head this workstation kept in its keyring (``app.services.audit.anchor``):
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
