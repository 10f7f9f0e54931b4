"""The partners directory's records: kinds of partner and their labels, partners, contacts."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


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


PARTNER_KIND_LABELS: dict[PartnerKind, str] = {
    PartnerKind.CARSAT: "CARSAT — service social",
    PartnerKind.CCAS: "CCAS (centre communal d'action sociale)",
    PartnerKind.CD_APA: "Conseil départemental — APA",
    PartnerKind.CD_ASE: "Conseil départemental — ASE",
    PartnerKind.CD_PMI: "Conseil départemental — PMI",
    PartnerKind.MDPH: "MDPH",
    PartnerKind.CAF: "CAF",
    PartnerKind.CPAM: "CPAM",
    PartnerKind.FRANCE_TRAVAIL: "France Travail",
    PartnerKind.SIAO_115: "SIAO — 115",
    PartnerKind.VIOLENCE_3919: "3919 — Violences Femmes Info",
    PartnerKind.CHILD_119: "119 — Allô Enfance en Danger",
    PartnerKind.EHPAD: "EHPAD",
    PartnerKind.SMR: "SMR (soins médicaux et de réadaptation)",
    PartnerKind.HAD: "HAD (hospitalisation à domicile)",
    PartnerKind.HOME_NURSE: "Infirmier(ère)s à domicile",
    PartnerKind.HOME_PHYSIO: "Masseurs-kinésithérapeutes à domicile",
    PartnerKind.HOME_MIDWIFE: "Sages-femmes à domicile",
    PartnerKind.OTHER: "Autre partenaire",
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
