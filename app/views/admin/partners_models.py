"""The partners directory's lists: the organisations and their contacts."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QHeaderView, QTableView

from app.services.partners.records import PartnerContactInfo, PartnerInfo
from app.views.common.rows import RowsModel
from app.views.common.widgets import fit_capped, record_table


class PartnersModel(RowsModel[PartnerInfo]):
    KIND, NAME, SERVICE, COMMUNES, PHONE = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Type"),
        QT_TRANSLATE_NOOP("Headers", "Organisme"),
        QT_TRANSLATE_NOOP("Headers", "Service"),
        QT_TRANSLATE_NOOP("Headers", "Communes"),
        QT_TRANSLATE_NOOP("Headers", "Téléphone"),
    )

    def cell(self, row: PartnerInfo, column: int) -> str:
        return {
            self.KIND: row.kind_label,
            self.NAME: row.name
            + ("" if row.active else QCoreApplication.translate("PartnersDialog", " (désactivé)")),
            self.SERVICE: row.service,
            self.COMMUNES: ", ".join(row.communes)
            or QCoreApplication.translate("PartnersDialog", "tout le secteur"),
            self.PHONE: row.phone,
        }[column]

    def tooltip(self, row: PartnerInfo, column: int) -> str | None:
        """What the partner handles; in a column that may be cut short, its whole text first."""
        whole = self.cell(row, column) if column in PARTNER_COLUMN_CAPS else ""
        return "\n".join(text for text in (whole, row.handles) if text) or None


# The widest the partners list's type, organisation and communes get: beyond, cut short (the
# whole text in the tooltip and in the form beside the list). « Service » takes the width
# left, and the list does not scroll sideways at the dialog's size.
PARTNER_COLUMN_CAPS = {
    PartnersModel.KIND: 150,
    PartnersModel.NAME: 230,
    PartnersModel.COMMUNES: 150,
}


def partners_table(model: PartnersModel) -> QTableView:
    """The partners list: the capped columns (``PARTNER_COLUMN_CAPS``) as wide as their
    content, sized again whenever the rows change; « Service » the rest; the telephone whole."""
    table = record_table(model, name="partnersTable")
    header = table.horizontalHeader()
    header.setStretchLastSection(False)
    header.setSectionResizeMode(PartnersModel.SERVICE, QHeaderView.ResizeMode.Stretch)
    fit_capped(table, PARTNER_COLUMN_CAPS)
    model.modelReset.connect(lambda: fit_capped(table, PARTNER_COLUMN_CAPS))
    return table


class ContactsModel(RowsModel[PartnerContactInfo]):
    NAME, TITLE, PHONE, EMAIL, SOCIAL = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Nom"),
        QT_TRANSLATE_NOOP("Headers", "Fonction"),
        QT_TRANSLATE_NOOP("Headers", "Téléphone"),
        QT_TRANSLATE_NOOP("Headers", "E-mail"),
        QT_TRANSLATE_NOOP("Headers", "Assistante sociale"),
    )

    def cell(self, row: PartnerContactInfo, column: int) -> str:
        return {
            self.NAME: row.name
            + ("" if row.active else QCoreApplication.translate("PartnersDialog", " (désactivé)")),
            self.TITLE: row.title,
            self.PHONE: row.phone,
            self.EMAIL: row.email,
            self.SOCIAL: QCoreApplication.translate("PartnersDialog", "Oui")
            if row.social_worker
            else "",
        }[column]


def _table(name: str, model: RowsModel) -> QTableView:
    table = record_table(model, name=name)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table
