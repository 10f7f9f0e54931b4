"""The patient's consent: the one-line summary of the file header and the « Consentements » tab
(history, « Enregistrer un consentement », the printed form and « Formulaire signé reçu »)."""

from __future__ import annotations

import html
from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.partners.records import PartnerInfo
from app.services.patient_file.records import (
    CONSENT_METHOD_LABELS,
    CONSENT_SCOPE_LABELS,
    CONSENT_STATUS_LABELS,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentStatus,
    ConsentSummary,
)
from app.views.common import pdf_view
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.rows import RowsModel
from app.views.common.widgets import FieldErrors, error_label, record_table
from app.views.ports import ServicesPort

STATUS_COLOURS: dict[ConsentStatus | None, str] = {
    ConsentStatus.GIVEN: "#1b5e20",
    ConsentStatus.REFUSED: "#b71c1c",
    ConsentStatus.WITHDRAWN: "#e65100",
    None: "#616161",
}
# Short names for the header line (the full labels are in records.py).
SHORT_SCOPES: dict[ConsentScope, str] = {
    ConsentScope.LIAISON: QT_TRANSLATE_NOOP("Consents", "Liaison"),
    ConsentScope.REFERRAL_CARSAT: QT_TRANSLATE_NOOP("Consents", "Orientation CARSAT"),
    ConsentScope.PARTNER: QT_TRANSLATE_NOOP("Consents", "Partenaire"),
}
NOT_ASKED = QT_TRANSLATE_NOOP("Consents", "non recueilli")


def _tr(text: str) -> str:  # strings marked with QT_TRANSLATE_NOOP("Consents", …)
    return QCoreApplication.translate("Consents", text)


def _short_status(record: ConsentRecord) -> str:
    when = record.decided_on.strftime("%d/%m/%Y")
    method = CONSENT_METHOD_LABELS[record.method].lower()
    if record.status is ConsentStatus.GIVEN:
        return _tr(QT_TRANSLATE_NOOP("Consents", "accord donné le {when} ({method})")).format(
            when=when, method=method
        )
    if record.status is ConsentStatus.REFUSED:
        return _tr(QT_TRANSLATE_NOOP("Consents", "refus le {when}")).format(when=when)
    return _tr(QT_TRANSLATE_NOOP("Consents", "accord retiré le {when}")).format(when=when)


def consent_glance(summary: ConsentSummary | None) -> str:
    """Rich text: the current decision per scope, coloured (green given, red refused, orange
    withdrawn, grey not asked). Liaison and CARSAT are always named, partners when recorded."""
    if summary is None:
        return ""
    parts: list[str] = []
    for scope in (ConsentScope.LIAISON, ConsentScope.REFERRAL_CARSAT):
        record = next(
            (r for r in summary.current if r.scope is scope and r.partner_id is None), None
        )
        text = _short_status(record) if record else _tr(NOT_ASKED)
        colour = STATUS_COLOURS[record.status if record else None]
        span = f"<span style='color:{colour}'>{html.escape(text)}</span>"
        parts.append(f"<b>{_tr(SHORT_SCOPES[scope])}</b> : {span}")
    for record in summary.current:
        if record.scope is ConsentScope.PARTNER:
            colour = STATUS_COLOURS[record.status]
            parts.append(
                f"<b>{html.escape(record.partner_name or _tr(SHORT_SCOPES[record.scope]))}</b> : "
                f"<span style='color:{colour}'>{html.escape(_short_status(record))}</span>"
            )
    return " · ".join(parts)


class ConsentHistoryModel(RowsModel[ConsentRecord]):
    DECIDED, SCOPE, STATUS, METHOD, RECORDED_BY, RECORDED_AT = range(6)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Décision du"),
        QT_TRANSLATE_NOOP("Headers", "Partage concerné"),
        QT_TRANSLATE_NOOP("Headers", "Décision"),
        QT_TRANSLATE_NOOP("Headers", "Recueil"),
        QT_TRANSLATE_NOOP("Headers", "Enregistré par"),
        QT_TRANSLATE_NOOP("Headers", "Le"),
    )

    def cell(self, row: ConsentRecord, column: int) -> str:
        return {
            self.DECIDED: date_fr(row.decided_on),
            self.SCOPE: row.scope_label,
            self.STATUS: row.status_label,
            self.METHOD: row.method_label,
            self.RECORDED_BY: row.recorded_by_name,
            self.RECORDED_AT: datetime_fr(row.recorded_at),
        }[column]

    def foreground(self, row: ConsentRecord, column: int) -> QColor | None:
        return QColor(STATUS_COLOURS[row.status]) if column == self.STATUS else None


def _partner_combo(partners: list[PartnerInfo], name: str) -> QComboBox:
    combo = QComboBox()
    combo.setObjectName(name)
    combo.addItem("— choisir —", None)
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
        self.decided_on = QDateEdit()
        self.decided_on.setObjectName("consentDate")
        self.decided_on.setDisplayFormat("dd/MM/yyyy")
        self.decided_on.setCalendarPopup(True)
        day = today
        self.decided_on.setDate(QDate(day.year, day.month, day.day))
        self.decided_on.setMaximumDate(QDate(day.year, day.month, day.day))
        form = QFormLayout()
        self.errors.add_row(form, "scope", self.tr("Partage concerné"), self.scope)
        self.errors.add_row(form, "partner_id", self.tr("Partenaire"), self.partner)
        self.errors.add_row(form, "status", self.tr("Décision du patient"), self.status)
        self.errors.add_row(form, "method", self.tr("Recueilli"), self.method)
        self.errors.add_row(form, "decided_on", self.tr("Date de la décision"), self.decided_on)
        self.errors.alias("document_id", "method")
        explanation = QLabel(
            self.tr(
                "Le refus est enregistré comme tel : il sera respecté et compté. Un retrait prend "
                "effet immédiatement, y compris pour les orientations pas encore reçues."
            )
        )
        explanation.setWordWrap(True)
        explanation.setStyleSheet("color: #455a64;")
        self.save_button = QPushButton(self.tr("Enregistrer"))
        self.save_button.setObjectName("consentSave")
        self.save_button.setDefault(True)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(explanation)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        self.scope.currentIndexChanged.connect(lambda _i: self._scope_changed())
        self.set_scope(scope)

    def set_scope(self, scope: ConsentScope) -> None:
        self.scope.setCurrentIndex(self.scope.findData(str(scope)))
        self._scope_changed()

    def set_status(self, status: ConsentStatus) -> None:
        self.status.setCurrentIndex(self.status.findData(str(status)))

    def _scope_changed(self) -> None:
        self.partner.setEnabled(self.scope.currentData() == ConsentScope.PARTNER)

    def values(self) -> dict:
        day = self.decided_on.date()
        scope = ConsentScope(self.scope.currentData())
        return {
            "scope": scope,
            "status": ConsentStatus(self.status.currentData()),
            "method": ConsentMethod(self.method.currentData()),
            "decided_on": date(day.year(), day.month(), day.day()),
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
        self.ok = QPushButton(self.tr("Aperçu du formulaire"))
        self.ok.setObjectName("consentFormOk")
        self.ok.setDefault(True)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.scope.currentIndexChanged.connect(
            lambda _i: self.partner.setEnabled(self.scope.currentData() == ConsentScope.PARTNER)
        )
        self.partner.setEnabled(False)


class ConsentsTab(QWidget):
    """History of the patient's decisions and the actions to record a new one."""

    changed = Signal()

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        patient_id: int,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("consentsTab")
        self._services = services
        self._actor = actor
        self._patient_id = patient_id
        self._loaded = False
        self.summary: ConsentSummary | None = None
        self.dialog: ConsentDialog | None = None
        self.form_dialog: ConsentFormDialog | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        # The last consent form printed here: « Formulaire signé reçu » links to it.
        self.printed: tuple[int, str, ConsentScope, int | None] | None = None
        can_write = policy.allows(actor.role, Resource.CONSENT, Action.WRITE) and not read_only

        self.glance = QLabel()
        self.glance.setObjectName("consentTabGlance")
        self.glance.setWordWrap(True)
        self.glance.setTextFormat(Qt.TextFormat.RichText)
        self.model = ConsentHistoryModel(self)
        self.table = record_table(self.model, name="consentTable", single=False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConsentHistoryModel.SCOPE, QHeaderView.ResizeMode.Stretch)
        self.message = QLabel()
        self.message.setObjectName("consentMessage")
        self.message.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("consentError")
        self.record_button = QPushButton(self.tr("Enregistrer un consentement…"))
        self.record_button.setObjectName("recordConsentButton")
        self.print_button = QPushButton(self.tr("Imprimer le formulaire…"))
        self.print_button.setObjectName("printConsentFormButton")
        self.signed_button = QPushButton(self.tr("Formulaire signé reçu"))
        self.signed_button.setObjectName("signedFormButton")
        self.signed_button.setToolTip(
            self.tr("Enregistre l'accord du patient sur le formulaire imprimé (le lien est gardé).")
        )
        self.signed_button.setEnabled(False)
        for button in (self.record_button, self.print_button, self.signed_button):
            button.setAutoDefault(False)
            button.setVisible(can_write)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.signed_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.glance)
        layout.addWidget(
            QLabel(self.tr("<b>Historique des décisions</b> (la plus récente en haut)"))
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.record_button.clicked.connect(lambda: self.ask_record())
        self.print_button.clicked.connect(self.ask_print)
        self.signed_button.clicked.connect(self.signed_form_received)

    # ---- data ---------------------------------------------------------------------------
    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        self._loaded = True
        try:
            history = self._services.consents.history(self._actor, self._patient_id)
            self.summary = self._services.consents.current(self._actor, self._patient_id)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.model.set_rows(history)
        self.glance.setText(consent_glance(self.summary))
        if not history:
            self.message.setText(
                self.tr("Aucune décision enregistrée : le patient n'a pas encore été interrogé.")
            )
        else:
            self.message.clear()

    def _partners(self) -> list[PartnerInfo]:
        try:
            return list(self._services.partners.list(self._actor))
        except RelaisError:
            return []

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- record -------------------------------------------------------------------------
    def ask_record(
        self, scope: ConsentScope = ConsentScope.LIAISON, status: ConsentStatus | None = None
    ) -> ConsentDialog:
        dialog = ConsentDialog(
            self._partners(),
            scope=scope,
            today=clinic_today(self._services.clock),
            parent=self,
        )
        if status is not None:
            dialog.set_status(status)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.save_button.clicked.connect(self._save)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()
        return dialog

    def _save(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        values = dialog.values()
        try:
            self._services.consents.record(
                self._actor,
                self._patient_id,
                values["scope"],
                values["status"],
                method=values["method"],
                decided_on=values["decided_on"],
                partner_id=values["partner_id"],
            )
        except ValidationError as exc:
            dialog.errors.show(exc.fields)
            return
        except RelaisError as exc:
            dialog.errors.show_general(exc.message)
            return
        dialog.accept()
        self.error.hide()
        self.reload()
        self.changed.emit()

    # ---- printed form -------------------------------------------------------------------
    def ask_print(self) -> None:
        dialog = ConsentFormDialog(self._partners(), self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.form_dialog = dialog
        dialog.ok.clicked.connect(self._print)
        dialog.finished.connect(lambda _r: setattr(self, "form_dialog", None))
        dialog.open()

    def _print(self) -> None:
        dialog = self.form_dialog
        if dialog is None:
            return
        scope = ConsentScope(dialog.scope.currentData())
        partner_id = dialog.partner.currentData() if scope is ConsentScope.PARTNER else None
        if scope is ConsentScope.PARTNER and partner_id is None:
            dialog.error.setText(self.tr("Choisissez le partenaire concerné."))
            dialog.error.show()
            return
        self.print_form(scope, partner_id)
        if self.printed is not None:
            dialog.accept()

    def print_form(self, scope: ConsentScope, partner_id: int | None = None) -> None:
        try:
            generated = self._services.referral_documents.consent_form(
                self._actor, self._patient_id, scope, partner_id
            )
        except RelaisError as exc:
            if self.form_dialog is not None:
                self.form_dialog.error.setText(exc.message)
                self.form_dialog.error.show()
            else:
                self._fail(exc.message)
            return
        self.printed = (generated.id, generated.number, scope, partner_id)
        self.signed_button.setEnabled(True)
        self.signed_button.setText(
            self.tr("Formulaire signé reçu (n° {number})").format(number=generated.number)
        )
        self.message.setText(
            self.tr(
                "Formulaire n° {number} archivé dans le dossier. Quand le patient l'a signé, "
                "cliquez sur « Formulaire signé reçu »."
            ).format(number=generated.number)
        )
        self.changed.emit()
        preview = pdf_view.PdfPreviewDialog(
            generated.pdf,
            f"{generated.title} — {generated.number}",
            f"{generated.number}.pdf",
            self,
        )
        preview.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = preview
        preview.finished.connect(lambda _r: setattr(self, "preview", None))
        preview.open()

    def signed_form_received(self) -> None:
        if self.printed is None:
            return
        document_id, number, scope, partner_id = self.printed
        try:
            self._services.consents.record(
                self._actor,
                self._patient_id,
                scope,
                ConsentStatus.GIVEN,
                method=ConsentMethod.SIGNED_FORM,
                partner_id=partner_id,
                document_id=document_id,
            )
        except ValidationError as exc:
            self._fail("\n".join(exc.fields.values()))
            return
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.printed = None
        self.signed_button.setEnabled(False)
        self.signed_button.setText(self.tr("Formulaire signé reçu"))
        self.error.hide()
        self.reload()
        self.message.setText(
            self.tr("Accord enregistré sur le formulaire signé n° {number}.").format(number=number)
        )
        self.changed.emit()
