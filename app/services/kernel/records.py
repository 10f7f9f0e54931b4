"""Plain records and labels shared by several features (no SQLAlchemy: the views import
them). A record used by one feature lives in that feature's ``records`` module."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Generic, NamedTuple, TypeVar

from app.i18n import N_, Labels
from app.models.enums import Compartment, Role, Sex

ROLE_LABELS: dict[Role, str] = Labels(
    {
        Role.GP: N_("Médecin généraliste"),
        Role.SOCIAL_WORKER: N_("Assistante sociale (CARSAT)"),
        Role.PARAMEDICAL: N_("Paramédical"),
        Role.SECRETARY: N_("Secrétariat / accueil"),
        Role.COORDINATOR: N_("Coordination"),
    }
)
COMPARTMENT_LABELS = Labels(
    {
        Compartment.ADMINISTRATIVE: N_("Administratif"),
        Compartment.MEDICAL: N_("Médical"),
        Compartment.SOCIAL: N_("Social"),
        Compartment.LIAISON: N_("Liaison"),
    }
)


Item = TypeVar("Item")
Record = TypeVar("Record")
_new = object.__new__
_set = object.__setattr__


def built(cls: type[Record], fields: dict[str, object]) -> Record:
    """``cls(**fields)`` for a frozen dataclass whose ``__init__`` only stores its fields (no
    default left out, no ``__post_init__``), without its one ``object.__setattr__`` per
    field: lists of hundreds of records (a search page, a file's notes) are built twice as
    fast. ``fields`` names every field (``tests/unit/test_statement_budget.py`` checks the
    records built this way against their constructor)."""
    record = _new(cls)
    _set(record, "__dict__", fields)
    return record


@dataclass(frozen=True)
class Page(Generic[Item]):
    """One page of a list read in SQL order: ``items`` from position ``offset`` of ``total``
    (notes, history, documents, the referrals to schedule…)."""

    items: list[Item]
    total: int
    offset: int = 0

    @property
    def has_more(self) -> bool:
        return self.offset + len(self.items) < self.total


class PatientSummary(NamedTuple):
    """One row of the search list. A named tuple, not a frozen dataclass like the other
    records: every search keystroke builds a page of up to 100 of them, and a tuple is built
    from its row in one step (:func:`~app.services.kernel.patient_rows.summaries_of`, about
    0.2 µs a summary against 0.6 µs for a dataclass, even one built without its
    ``__init__``). It is as immutable, and equal to another summary of the same values."""

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
class GeneratedDocument:
    """A document just produced (and archived: ``id`` is its archive row)."""

    id: int
    number: str
    title: str
    pdf: bytes
