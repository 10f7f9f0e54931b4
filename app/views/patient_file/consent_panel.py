"""The patient's consent: the one-line summary of the file header and the « Consentements » tab
(history, « Enregistrer un consentement », the printed form and « Formulaire signé reçu »)."""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.records import GeneratedDocument
from app.services.partners.records import PartnerInfo
from app.services.patient_file.records import (
    CONSENT_METHOD_LABELS,
    ConsentMethod,
    ConsentRecord,
    ConsentScope,
    ConsentStatus,
    ConsentSummary,
)
from app.views.common.clock import today
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.patient_tab import PatientTab
from app.views.common.rows import RowsModel
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import record_table
from app.views.patient_file.consent_dialogs import ConsentDialog, ConsentFormDialog
from app.views.patient_file.form_ports import ConsentPorts

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

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


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


class ConsentsTab(PatientTab):
    """History of the patient's decisions and the actions to record a new one."""

    def __init__(
        self,
        ports: ConsentPorts | ServicesPort,
        actor: Actor,
        patient_id: int,
        *,
        read_only: bool = False,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        ports = ConsentPorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(
            actor,
            patient_id,
            can_write=ports.consents.can_write(actor),
            read_only=read_only,
            name="consentsTab",
            runner=runner,
            parent=parent,
        )
        self.error.setObjectName("consentError")
        self._ports = ports
        self.summary: ConsentSummary | None = None
        self.dialog: ConsentDialog | None = None
        self.form_dialog: ConsentFormDialog | None = None
        # The last consent form printed here: « Formulaire signé reçu » links to it.
        self.printed: tuple[int, str, ConsentScope, int | None] | None = None
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
        self._layout(self._build_buttons())

    def _build_buttons(self) -> QHBoxLayout:
        self.record_button = QPushButton(self.tr("&Enregistrer un consentement…"), self)
        self.record_button.setObjectName("recordConsentButton")
        self.print_button = QPushButton(self.tr("&Imprimer le formulaire…"), self)
        self.print_button.setObjectName("printConsentFormButton")
        self.signed_button = QPushButton(self.tr("Formulaire &signé reçu"), self)
        self.signed_button.setObjectName("signedFormButton")
        self.signed_button.setToolTip(
            self.tr("Enregistre l'accord du patient sur le formulaire imprimé (le lien est gardé).")
        )
        self.signed_button.setEnabled(False)
        for button in (self.record_button, self.print_button, self.signed_button):
            button.setAutoDefault(False)
            button.setVisible(self.can_write)
        self.record_button.clicked.connect(lambda: self.ask_record())
        self.print_button.clicked.connect(self.ask_print)
        self.signed_button.clicked.connect(self.signed_form_received)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.signed_button)
        return buttons

    def _layout(self, buttons: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(self.glance)
        history = QLabel(self.tr("<b>&Historique des décisions</b> (la plus récente en haut)"))
        history.setBuddy(self.table)
        layout.addWidget(history)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    # ---- data ---------------------------------------------------------------------------
    def reload(self) -> None:
        self._loaded = True
        try:
            history = self._ports.consents.history(self._actor, self._patient_id)
            self.summary = self._ports.consents.current(self._actor, self._patient_id)
        except RelaisError as exc:
            self.fail(exc.message)
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
            return list(self._ports.partners.list(self._actor))
        except RelaisError:
            return []

    # ---- record -------------------------------------------------------------------------
    def ask_record(
        self, scope: ConsentScope = ConsentScope.LIAISON, status: ConsentStatus | None = None
    ) -> ConsentDialog:
        dialog = ConsentDialog(
            self._partners(),
            scope=scope,
            today=today(self._ports.clock),
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
        if dialog.errors.succeeds(
            lambda: self._ports.consents.record(
                self._actor,
                self._patient_id,
                values["scope"],
                values["status"],
                method=values["method"],
                decided_on=values["decided_on"],
                partner_id=values["partner_id"],
            )
        ):
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

    def print_form(self, scope: ConsentScope | str, partner_id: int | None = None) -> None:
        """The consent form, generated on the task runner, archived and previewed."""
        scope = ConsentScope(scope)
        actor, patient_id, forms = self._actor, self._patient_id, self._ports.forms
        self.generate(
            lambda: forms.consent_form(actor, patient_id, scope, partner_id),
            lambda generated: self._printed(generated, scope, partner_id),
            self._print_failed,
        )

    def _print_failed(self, message: str) -> None:
        if self.form_dialog is not None:
            self.form_dialog.error.setText(message)
            self.form_dialog.error.show()
        else:
            self.fail(message)

    def _printed(
        self, generated: GeneratedDocument, scope: ConsentScope, partner_id: int | None
    ) -> None:
        if self.form_dialog is not None:
            self.form_dialog.accept()
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
        self.show_preview(generated)

    def signed_form_received(self) -> None:
        if self.printed is None:
            return
        document_id, number, scope, partner_id = self.printed
        try:
            self._ports.consents.record(
                self._actor,
                self._patient_id,
                scope,
                ConsentStatus.GIVEN,
                method=ConsentMethod.SIGNED_FORM,
                partner_id=partner_id,
                document_id=document_id,
            )
        except ValidationError as exc:
            self.fail("\n".join(exc.fields.values()))
            return
        except RelaisError as exc:
            self.fail(exc.message)
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


__all__ = [
    "ConsentDialog",
    "ConsentFormDialog",
    "ConsentHistoryModel",
    "ConsentsTab",
    "consent_glance",
]
