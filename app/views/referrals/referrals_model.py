"""Referral lists (patient file, « Orientations ») and a referral's event timeline."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP
from PySide6.QtGui import QColor

from app.services.referrals.records import (
    ReferralEventView,
    ReferralStatus,
    ReferralSummary,
    Urgency,
)
from app.views.common.labels import datetime_fr
from app.views.common.rows import RowsModel

FINISHED_COLOUR = QColor("#616161")
OVERDUE_COLOUR = QColor("#b71c1c")
URGENT_COLOUR = QColor("#e65100")
FINISHED = {
    ReferralStatus.CLOSED,
    ReferralStatus.REORIENTED,
    ReferralStatus.REFUSED_BY_PATIENT,
    ReferralStatus.CANCELLED,
}


class ReferralsModel(RowsModel[ReferralSummary]):
    """Who, when, status, destination: what every role allowed to see a referral sees.
    Unread referrals in bold, overdue in red."""

    STATUS, PATIENT, SENDER, DESTINATION, URGENCY, CREATED, SENT, UPDATED = range(8)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Statut"),
        QT_TRANSLATE_NOOP("Headers", "Patient"),
        QT_TRANSLATE_NOOP("Headers", "Émetteur"),
        QT_TRANSLATE_NOOP("Headers", "Destinataire"),
        QT_TRANSLATE_NOOP("Headers", "Urgence"),
        QT_TRANSLATE_NOOP("Headers", "Créée le"),
        QT_TRANSLATE_NOOP("Headers", "Envoyée le"),
        QT_TRANSLATE_NOOP("Headers", "Dernière étape"),
    )

    def cell(self, row: ReferralSummary, column: int) -> str:
        if column == self.STATUS:
            text = row.status_label
            if row.overdue:
                text += self.tr(" — en retard")
            return ("● " if row.unread else "") + text
        return {
            self.PATIENT: row.patient_name,
            self.SENDER: row.sender_name,
            self.DESTINATION: row.destination_name,
            self.URGENCY: row.urgency_label,
            self.CREATED: datetime_fr(row.created_at),
            self.SENT: datetime_fr(row.sent_at),
            self.UPDATED: datetime_fr(row.updated_at),
        }[column]

    def foreground(self, row: ReferralSummary, column: int) -> QColor | None:
        if row.overdue:
            return OVERDUE_COLOUR
        if column == self.URGENCY and row.urgency is not Urgency.NORMAL:
            return URGENT_COLOUR
        if row.status in FINISHED:
            return FINISHED_COLOUR
        return None

    def bold(self, row: ReferralSummary) -> bool:
        return row.unread

    def tooltip(self, row: ReferralSummary, column: int) -> str | None:
        if column == self.STATUS and row.unread:
            return self.tr("Nouveau pour vous (non lu)")
        return None

    def row_of(self, referral_id: int) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == referral_id), -1)


class ReferralEventsModel(RowsModel[ReferralEventView]):
    WHEN, STEP, WHO, DETAIL = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Date"),
        QT_TRANSLATE_NOOP("Headers", "Étape"),
        QT_TRANSLATE_NOOP("Headers", "Par"),
        QT_TRANSLATE_NOOP("Headers", "Précision"),
    )

    def cell(self, row: ReferralEventView, column: int) -> str:
        if column == self.WHEN:
            return datetime_fr(row.at)
        if column == self.STEP:
            return f"{row.from_label} → {row.to_label}" if row.from_label else row.to_label
        if column == self.WHO:
            return row.actor_name
        return row.detail
