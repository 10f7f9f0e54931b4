"""The consent dialogs: « Enregistrer un consentement » (scope, decision, how, when,
partner) and the choice of the consent form to print."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QDialog, QFormLayout, QLabel, QVBoxLayout, QWidget

from app.services.partners.records import PartnerInfo
from app.services.patient_file.records import (
    CONSENT_METHOD_LABELS,
    CONSENT_SCOPE_LABELS,
    CONSENT_STATUS_LABELS,
    ConsentMethod,
    ConsentScope,
    ConsentStatus,
)
from app.views.common.buttons import DialogButtons
from app.views.common.forms import date_edit, qdate, to_date
from app.views.common.widgets import FieldErrors, error_label


def _partner_combo(partners: list[PartnerInfo], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(30)  # a long partner name must not widen the dialog
    combo.addItem(QCoreApplication.translate("ConsentDialog", "— choisir —"), None)
    for partner in partners:
        combo.addItem(f"{partner.display_name} ({partner.kind_label})", partner.id)
    return combo


class ConsentDialog(QDialog):
    """« Enregistrer un consentement »: scope, decision, how, when, partner."""

    def __init__(
        self,
        partners: list[PartnerInfo],
        *,
        scope: ConsentScope = ConsentScope.LIAISON,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consentDialog")
        self.setWindowTitle(self.tr("Enregistrer un consentement"))
        self.setMinimumWidth(620)
        self.general_error = error_label()
        self.errors = FieldErrors(self.general_error)
        self.scope = QComboBox()
        self.scope.setObjectName("consentScope")
        for value, label in CONSENT_SCOPE_LABELS.items():
            self.scope.addItem(self.tr(label), str(value))
        self.partner = _partner_combo(partners, "consentPartner")
        self.status = QComboBox()
        self.status.setObjectName("consentStatus")
        for value, label in CONSENT_STATUS_LABELS.items():
            self.status.addItem(self.tr(label), str(value))
        self.method = QComboBox()
        self.method.setObjectName("consentMethod")
        for value, label in CONSENT_METHOD_LABELS.items():
            self.method.addItem(self.tr(label), str(value))
        self.decided_on = date_edit("consentDate", today)
        self.decided_on.setMaximumDate(qdate(today))
        self._layout(self._build_form())
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())
        self.set_scope(scope)

    def _build_form(self) -> QFormLayout:
        form = QFormLayout()
        self.errors.add_row(form, "scope", self.tr("Partage concerné"), self.scope)
        self.errors.add_row(form, "partner_id", self.tr("Partenaire"), self.partner)
        self.errors.add_row(form, "status", self.tr("Décision du patient"), self.status)
        self.errors.add_row(form, "method", self.tr("Recueilli"), self.method)
        self.errors.add_row(form, "decided_on", self.tr("Date de la décision"), self.decided_on)
        self.errors.alias("document_id", "method")
        return form

    def _layout(self, form: QFormLayout) -> None:
        explanation = QLabel(
            self.tr(
                "Le refus est enregistré comme tel : il sera respecté et compté. Un retrait prend "
                "effet immédiatement, y compris pour les orientations pas encore reçues."
            )
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #455a64;")
        self.buttons = DialogButtons(self, self.tr("&Enregistrer"), ok_name="consentSave")
        self.save_button = self.buttons.ok
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.general_error)
        layout.addWidget(self.buttons)

    def set_scope(self, scope: ConsentScope) -> None:
        self.scope.setCurrentIndex(self.scope.findData(str(scope)))
        self._scope_changed()

    def set_status(self, status: ConsentStatus) -> None:
        self.status.setCurrentIndex(self.status.findData(str(status)))

    def _scope_changed(self) -> None:
        self.partner.setEnabled(self.scope.currentData() == ConsentScope.PARTNER)

    def values(self) -> dict:
        scope = ConsentScope(self.scope.currentData())
        return {
            "scope": scope,
            "status": ConsentStatus(self.status.currentData()),
            "method": ConsentMethod(self.method.currentData()),
            "decided_on": to_date(self.decided_on),
            "partner_id": self.partner.currentData() if scope is ConsentScope.PARTNER else None,
        }


class ConsentFormDialog(QDialog):
    """Which consent form to print (scope and, for a partner, which one)."""

    def __init__(self, partners: list[PartnerInfo], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("consentFormDialog")
        self.setWindowTitle(self.tr("Imprimer le formulaire de consentement"))
        self.setMinimumWidth(560)
        self.scope = QComboBox()
        self.scope.setObjectName("consentFormScope")
        for value, label in CONSENT_SCOPE_LABELS.items():
            self.scope.addItem(self.tr(label), str(value))
        self.partner = _partner_combo(partners, "consentFormPartner")
        self.error = error_label()
        form = QFormLayout()
        form.addRow(self.tr("Partage concerné"), self.scope)
        form.addRow(self.tr("Partenaire"), self.partner)
        self.buttons = DialogButtons(
            self, self.tr("&Aperçu du formulaire"), ok_name="consentFormOk"
        )
        self.ok = self.buttons.ok
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.scope.currentIndexChanged.connect(
            lambda _i: self.partner.setEnabled(self.scope.currentData() == ConsentScope.PARTNER)
        )
        self.partner.setEnabled(False)
