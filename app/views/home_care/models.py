"""The home-care tab's lists: the requests and the discharge plans."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QColor

from app.services.home_care.records import DischargePlanRecord, HomeCareRecord
from app.services.home_care.rules import ArdhVerdict, HomeCareStatus
from app.views.common.labels import date_fr
from app.views.common.rows import RowsModel

OVERDUE = QColor("#b00020")
DONE = QColor("#607d8b")


class HomeCareRequestsModel(RowsModel[HomeCareRecord]):
    CARE, PARTNER, START, STATUS = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Soins"),
        QT_TRANSLATE_NOOP("Headers", "Partenaire"),
        QT_TRANSLATE_NOOP("Headers", "Début"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
    )

    def cell(self, row: HomeCareRecord, column: int) -> str:
        if column == self.CARE:
            return row.care_label
        if column == self.PARTNER:
            return row.partner_name or "—"
        if column == self.START:
            return date_fr(row.start_date)
        status = row.status_label
        if row.status is HomeCareStatus.ACCEPTED and row.accepted_by:
            status += f" ({row.accepted_by})"
        return status + (
            QCoreApplication.translate("HomeCareTab", " — en attente") if row.overdue else ""
        )

    def foreground(self, row: HomeCareRecord, column: int) -> QColor | None:
        if row.overdue:
            return OVERDUE
        if row.status in (HomeCareStatus.FINISHED, HomeCareStatus.CANCELLED):
            return DONE
        return None

    def tooltip(self, row: HomeCareRecord, column: int) -> str | None:
        return row.overdue or None


class DischargePlansModel(RowsModel[DischargePlanRecord]):
    TARGET, DESTINATION, HOSPITAL, STATUS, ARDH = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Sortie prévue"),
        QT_TRANSLATE_NOOP("Headers", "Destination"),
        QT_TRANSLATE_NOOP("Headers", "Établissement"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
        QT_TRANSLATE_NOOP("Headers", "ARDH"),
    )

    def cell(self, row: DischargePlanRecord, column: int) -> str:
        if column == self.TARGET:
            return date_fr(row.target_date)
        if column == self.DESTINATION:
            return row.destination_label
        if column == self.HOSPITAL:
            return " — ".join(x for x in (row.hospital, row.ward) if x)
        if column == self.STATUS:
            return row.status_label
        return {
            ArdhVerdict.ELIGIBLE: QCoreApplication.translate("HomeCareTab", "éligible"),
            ArdhVerdict.NOT_ELIGIBLE: QCoreApplication.translate("HomeCareTab", "non éligible"),
            ArdhVerdict.UNKNOWN: QCoreApplication.translate("HomeCareTab", "à vérifier"),
        }[row.ardh.verdict]
