"""The small dialogs of a home-care request's steps: who accepted, why refused or cancelled
(one line), or which partner to address it to instead."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtWidgets import QComboBox, QLineEdit, QWidget

from app.services.home_care.rules import HomeCareAction
from app.services.partners.records import PartnerInfo
from app.views.common.step_dialog import StepDialog

# action: (title, confirm button, field label, field, service method)
TEXT_STEPS: dict[HomeCareAction, tuple[str, str, str, str, str]] = {
    HomeCareAction.ACCEPT: (
        QT_TRANSLATE_NOOP("HomeCareTab", "Demande acceptée"),
        QT_TRANSLATE_NOOP("HomeCareTab", "&Enregistrer"),
        QT_TRANSLATE_NOOP("HomeCareTab", "&Acceptée par (chez le partenaire)"),
        "accepted_by",
        "accept",
    ),
    HomeCareAction.REFUSE: (
        QT_TRANSLATE_NOOP("HomeCareTab", "Demande refusée par le partenaire"),
        QT_TRANSLATE_NOOP("HomeCareTab", "&Enregistrer le refus"),
        QT_TRANSLATE_NOOP("HomeCareTab", "&Motif du refus"),
        "reason",
        "refuse",
    ),
    HomeCareAction.CANCEL: (
        QT_TRANSLATE_NOOP("HomeCareTab", "Annuler la demande"),
        QT_TRANSLATE_NOOP("HomeCareTab", "Annuler la &demande"),
        QT_TRANSLATE_NOOP("HomeCareTab", "&Motif (facultatif)"),
        "reason",
        "cancel",
    ),
}


class AskDialog(StepDialog):
    """One line to fill (who accepted, why refused, why cancelled) or a partner to choose."""

    def __init__(
        self,
        title: str,
        confirm: str,
        label: str,
        *,
        field: str,
        partners: list | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, confirm, parent)
        self.setObjectName("homeCareStep")
        self.field = field
        self.line = QLineEdit()
        self.line.setObjectName("stepLine")
        self.partner: QComboBox | None = None
        if partners is not None:
            self.partner = QComboBox()
            self.partner.setObjectName("stepPartner")
            for p in partners:
                self.partner.addItem(p.name, p.id)
            self.errors.add_row(self.form, field, label, self.partner)
        else:
            self.errors.add_row(self.form, field, label, self.line)


def text_step_dialog(action: HomeCareAction, parent: QWidget) -> AskDialog:
    title, confirm, label, field, _method = TEXT_STEPS[action]
    return AskDialog(
        QCoreApplication.translate("HomeCareTab", title),
        QCoreApplication.translate("HomeCareTab", confirm),
        QCoreApplication.translate("HomeCareTab", label),
        field=field,
        parent=parent,
    )


def readdress_dialog(partners: list[PartnerInfo], parent: QWidget) -> AskDialog:
    return AskDialog(
        QCoreApplication.translate("HomeCareTab", "Adresser à un autre partenaire"),
        QCoreApplication.translate("HomeCareTab", "&Créer la nouvelle demande"),
        QCoreApplication.translate("HomeCareTab", "&Partenaire"),
        field="partner_id",
        partners=partners,
        parent=parent,
    )
