"""Accounts: the roles' professions and the account records exchanged with the views."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from app.i18n import N_, Labels
from app.models.enums import Profession, Role

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
        Profession.SOCIAL_WORKER: N_("Assistante sociale (CARSAT)"),
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
