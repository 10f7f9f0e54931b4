"""French labels for enum values and formatting helpers shared by the views (translatable)."""

from __future__ import annotations

from datetime import date, datetime

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject

from app.models.enums import IdentityDocument, IdentityStatus, Profession, Role, Sex
from app.services.accounts.records import PROFESSION_LABELS
from app.services.kernel.records import ROLE_LABELS
from app.services.kernel.timefmt import fmt_date, local
from app.services.kernel.validation import format_nir

CONTEXT = "Labels"

SEX_LABELS: dict[Sex, str] = {
    Sex.FEMALE: QT_TRANSLATE_NOOP("Labels", "Féminin"),
    Sex.MALE: QT_TRANSLATE_NOOP("Labels", "Masculin"),
    Sex.UNDETERMINED: QT_TRANSLATE_NOOP("Labels", "Indéterminé"),
}
STATUS_LABELS: dict[IdentityStatus, str] = {
    IdentityStatus.PROVISIONAL: QT_TRANSLATE_NOOP("Labels", "Identité provisoire"),
    IdentityStatus.VALIDATED: QT_TRANSLATE_NOOP("Labels", "Identité validée"),
}
DOCUMENT_LABELS: dict[IdentityDocument, str] = {
    IdentityDocument.NATIONAL_ID_CARD: QT_TRANSLATE_NOOP("Labels", "Carte nationale d'identité"),
    IdentityDocument.PASSPORT: QT_TRANSLATE_NOOP("Labels", "Passeport"),
    IdentityDocument.RESIDENCE_PERMIT: QT_TRANSLATE_NOOP("Labels", "Titre de séjour"),
    IdentityDocument.BIRTH_CERTIFICATE: QT_TRANSLATE_NOOP("Labels", "Extrait d'acte de naissance"),
}


def tr(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def sex_label(sex: Sex) -> str:
    return tr(SEX_LABELS[Sex(sex)])


def status_label(status: IdentityStatus) -> str:
    return tr(STATUS_LABELS[IdentityStatus(status)])


def document_label(document: IdentityDocument | None) -> str:
    return tr(DOCUMENT_LABELS[IdentityDocument(document)]) if document else ""


def role_label(role: Role) -> str:
    return ROLE_LABELS[Role(role)]


def profession_label(profession: Profession) -> str:
    return PROFESSION_LABELS[Profession(profession)]


def date_fr(value: date | None) -> str:
    """dd/mm/yyyy; an instant (services store UTC) is dated in the clinic's time zone: a
    referral created at 00:29 in Paris is of that day, not of the day before in UTC."""
    return fmt_date(value)


def datetime_fr(value: datetime | None) -> str:
    """Local time, dd/mm/yyyy à HHhMM (services store UTC)."""
    if value is None:
        return ""
    if value.tzinfo is not None:
        value = local(value)
    return QCoreApplication.translate("Labels", "{date} à {time}").format(
        date=value.strftime("%d/%m/%Y"), time=value.strftime("%H:%M")
    )


def age_years(birth: date, today: date) -> int:
    return today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))


class _Plurals(QObject):
    """Labels with Qt's plural forms (``self.tr`` with ``%n``; the context is the class name)."""

    def years(self, n: int) -> str:
        return self.tr("%n an(s)", "", n)

    def months(self, n: int) -> str:
        return self.tr("%n mois", "", n)


def age_label(birth: date, today: date) -> str:
    years = age_years(birth, today)
    if years < 2:
        months = (today.year - birth.year) * 12 + today.month - birth.month
        months -= today.day < birth.day
        return _Plurals().months(max(months, 0))
    return _Plurals().years(years)


def nir_display(nir: str | None) -> str:
    return format_nir(nir) if nir else ""
