"""The lists beside the agenda and in the booking dialogs: the waiting list and the
referrals to schedule (who and when, never why). Urgency is a word and a sign, not only a
colour."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from app.services.kernel.timefmt import local
from app.services.referrals.records import ReferralSummary, Urgency
from app.services.scheduling.records import WaitingEntryRecord, WaitingUrgency
from app.views.agenda.scheduling_model import URGENT_COLOUR
from app.views.common.labels import date_fr
from app.views.common.paging import PagedRowsModel
from app.views.common.rows import RowsModel


class WaitingModel(RowsModel[WaitingEntryRecord]):
    PATIENT, PHONE, URGENCY, PREFERENCES, SINCE = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Patient"),
        QT_TRANSLATE_NOOP("Headers", "Téléphone"),
        QT_TRANSLATE_NOOP("Headers", "Urgence"),
        QT_TRANSLATE_NOOP("Headers", "Disponibilités"),
        QT_TRANSLATE_NOOP("Headers", "Inscrit(e) le"),
    )

    def cell(self, row: WaitingEntryRecord, column: int) -> str:
        return {
            self.PATIENT: row.patient_name,
            self.PHONE: row.patient_phone,
            self.URGENCY: (
                self.tr("⚠ Urgente") if row.urgency == WaitingUrgency.URGENT else row.urgency_label
            ),
            self.PREFERENCES: row.preferences,
            self.SINCE: date_fr(local(row.created_at).date()),
        }[column]

    def foreground(self, row: WaitingEntryRecord, column: int) -> QColor | None:
        if column == self.URGENCY and row.urgency == WaitingUrgency.URGENT:
            return URGENT_COLOUR
        return None

    def bold(self, row: WaitingEntryRecord) -> bool:
        return row.urgency == WaitingUrgency.URGENT


# Short urgency labels for the narrow lists beside the agenda (the full label in the
# tooltip); a sign besides the colour, so that colour is never the only signal.
URGENCY_SHORT = {
    str(Urgency.NORMAL): QT_TRANSLATE_NOOP("ToScheduleModel", "Normale"),
    str(Urgency.URGENT): QT_TRANSLATE_NOOP("ToScheduleModel", "⚠ Urgente"),
    str(Urgency.EMERGENCY): QT_TRANSLATE_NOOP("ToScheduleModel", "⚠⚠ Situation d'urgence"),
}


class ToScheduleModel(PagedRowsModel[ReferralSummary]):
    """Referrals waiting for an appointment: who and when, never why (read a page at a time,
    the most urgent and newest first)."""

    PAGE = 100

    PATIENT, WITH, URGENCY, SENT, STATUS = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Patient"),
        QT_TRANSLATE_NOOP("Headers", "Pour"),
        QT_TRANSLATE_NOOP("Headers", "Urgence"),
        QT_TRANSLATE_NOOP("Headers", "Envoyée le"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
    )

    def cell(self, row: ReferralSummary, column: int) -> str:
        return {
            self.PATIENT: row.patient_name,
            self.WITH: row.destination_name,
            self.URGENCY: self.tr(URGENCY_SHORT.get(str(row.urgency), "Normale")),
            self.SENT: date_fr(local(row.sent_at).date()) if row.sent_at else "",
            self.STATUS: row.status_label + (self.tr(" — en retard") if row.overdue else ""),
        }[column]

    def tooltip(self, row: ReferralSummary, column: int) -> str | None:
        return row.urgency_label if column == self.URGENCY else None

    def foreground(self, row: ReferralSummary, column: int) -> QColor | None:
        if column == self.URGENCY and row.urgency is not Urgency.NORMAL:
            return URGENT_COLOUR
        if row.overdue:
            return QColor("#b71c1c")
        return None

    def bold(self, row: ReferralSummary) -> bool:
        return row.urgency is not Urgency.NORMAL
