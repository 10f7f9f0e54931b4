"""« Documents » tab of a patient file: archived documents (preview, print, save), the
patient's access report (coordination) and the export of the file (right of access)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.policy import Action, Resource
from app.services.kernel.records import COMPARTMENT_LABELS
from app.services.patient_file.records import DocumentInfo
from app.views.common import pdf_view
from app.views.common.labels import datetime_fr
from app.views.common.widgets import error_label, password_edit, record_table
from app.views.ports import DocumentsPort

AnyIndex = QModelIndex | QPersistentModelIndex


class DocumentsModel(QAbstractTableModel):
    NUMBER, TITLE, PART, AUTHOR, WHEN = range(5)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[DocumentInfo] = []
        self._headers = [
            self.tr("N°"),
            self.tr("Document"),
            self.tr("Volet"),
            self.tr("Auteur"),
            self.tr("Date"),
        ]

    def set_rows(self, rows: list[DocumentInfo]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def document(self, row: int) -> DocumentInfo | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else 5

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role != Qt.ItemDataRole.DisplayRole or not index.isValid():
            return None
        doc = self.document(index.row())
        if doc is None:
            return None
        return {
            self.NUMBER: doc.number,
            self.TITLE: doc.title,
            self.PART: COMPARTMENT_LABELS.get(doc.compartment, str(doc.compartment)),
            self.AUTHOR: doc.author_name,
            self.WHEN: datetime_fr(doc.created_at),
        }.get(index.column())

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < 5
        ):
            return self._headers[section]
        return None


class ExportPasswordDialog(QDialog):
    """Re-authentication before exporting a patient file."""

    def __init__(self, patient_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportPasswordDialog")
        self.setWindowTitle(self.tr("Exporter le dossier"))
        self.setMinimumWidth(520)
        intro = QLabel(
            self.tr(
                "Export de tout ce que Relais contient sur {name} et que votre rôle permet de "
                "lire : un PDF à remettre au patient et un fichier JSON pour un autre logiciel. "
                "L'export est tracé dans le journal d'audit.<br><br>Confirmez votre mot de "
                "passe pour continuer."
            ).format(name=patient_name)
        )
        intro.setWordWrap(True)
        self.password = password_edit()
        self.password.setObjectName("exportPassword")
        self.error = error_label()
        self.error.setObjectName("exportError")
        form = QFormLayout()
        form.addRow(self.tr("Mot de passe"), self.password)
        self.ok = QPushButton(self.tr("Exporter…"))
        self.ok.setObjectName("exportConfirm")
        self.ok.setDefault(True)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        cancel.clicked.connect(self.reject)


class DocumentsTab(QWidget):
    changed = Signal()

    def __init__(
        self,
        documents: DocumentsPort,
        actor: Actor,
        patient_id: int,
        patient_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("documentsTab")
        self._documents = documents
        self._actor = actor
        self._patient_id = patient_id
        self._patient_name = patient_name
        self._loaded = False
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.export_dialog: ExportPasswordDialog | None = None
        self.saved: list = []

        self.model = DocumentsModel(self)
        self.table = record_table(self.model, name="documentsTable")
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(
            DocumentsModel.TITLE, QHeaderView.ResizeMode.Stretch
        )
        self.message = QLabel()
        self.message.setObjectName("documentsMessage")
        self.message.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("documentsError")
        self.preview_button = QPushButton(self.tr("Aperçu"))
        self.preview_button.setObjectName("previewDocumentButton")
        self.save_button = QPushButton(self.tr("Enregistrer en PDF…"))
        self.save_button.setObjectName("saveDocumentButton")
        self.report_button = QPushButton(self.tr("Rapport d'accès"))
        self.report_button.setObjectName("accessReportButton")
        self.report_button.setToolTip(
            self.tr("Qui a consulté ce dossier, quelle partie et quand (droit d'accès du patient).")
        )
        # The policy table says who may do what; the services enforce it again.
        self.report_button.setVisible(policy.allows(actor.role, Resource.AUDIT, Action.READ))
        self.export_button = QPushButton(self.tr("Exporter le dossier…"))
        self.export_button.setObjectName("exportPatientButton")
        self.export_button.setVisible(
            policy.allows(actor.role, Resource.ADMINISTRATIVE, Action.READ)
        )
        for button in (
            self.preview_button,
            self.save_button,
            self.report_button,
            self.export_button,
        ):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.preview_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.report_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.preview_button.clicked.connect(self.preview_selected)
        self.save_button.clicked.connect(self.save_selected)
        self.report_button.clicked.connect(self.access_report)
        self.export_button.clicked.connect(self.ask_export)
        self.table.doubleClicked.connect(lambda _i: self.preview_selected())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        self._update()

    # ---- list ---------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self) -> None:
        self._loaded = True
        try:
            rows = self._documents.list_documents(self._actor, self._patient_id)
        except RelaisError as exc:
            rows = []
            self._fail(exc.message)
        self.model.set_rows(rows)
        self.message.setText(
            self.tr("%n document(s) archivé(s) dans le dossier.", "", len(rows))
            if rows
            else self.tr("Aucun document archivé dans ce dossier pour l'instant.")
        )
        self._update()

    def selected(self) -> DocumentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.document(rows[0].row()) if rows else None

    def _update(self) -> None:
        has = self.selected() is not None
        self.preview_button.setEnabled(has)
        self.save_button.setEnabled(has)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _open(self, doc: DocumentInfo) -> bytes | None:
        try:
            return self._documents.open_document(self._actor, doc.id)
        except RelaisError as exc:
            self._fail(exc.message)
            return None

    # ---- actions ------------------------------------------------------------------------
    def show_preview(self, data: bytes, title: str, file_name: str) -> None:
        dialog = pdf_view.PdfPreviewDialog(data, title, file_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()

    def preview_selected(self) -> None:
        doc = self.selected()
        if doc is None:
            return
        data = self._open(doc)
        if data is not None:
            self.error.hide()
            self.show_preview(data, f"{doc.title} — {doc.number}", f"{doc.number}.pdf")

    def save_selected(self) -> None:
        doc = self.selected()
        if doc is None:
            return
        data = self._open(doc)
        if data is not None:
            path = pdf_view.save_pdf(self, data, f"{doc.number}.pdf")
            if path is not None:
                self.saved.append(path)

    def access_report(self) -> None:
        try:
            generated = self._documents.access_report(self._actor, self._patient_id)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.error.hide()
        self.reload()
        self.changed.emit()
        self.show_preview(
            generated.pdf, f"{generated.title} — {generated.number}", f"{generated.number}.pdf"
        )

    def ask_export(self) -> None:
        dialog = ExportPasswordDialog(self._patient_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.export_dialog = dialog
        dialog.ok.clicked.connect(lambda: self.export(dialog.password.text()))
        dialog.finished.connect(lambda _r: setattr(self, "export_dialog", None))
        dialog.open()

    def export(self, password: str) -> None:
        dialog = self.export_dialog
        try:
            result = self._documents.export_patient(self._actor, self._patient_id, password)
        except RelaisError as exc:
            if dialog is not None:
                dialog.password.clear()
                dialog.error.setText(exc.message)
                dialog.error.show()
            else:
                self._fail(exc.message)
            return
        if dialog is not None:
            dialog.accept()
        base = "dossier-" + "-".join(self._patient_name.split()[:2]).lower()
        pdf_path = pdf_view.save_pdf(self, result.pdf, base + ".pdf")
        if pdf_path is None:
            self.message.setText(self.tr("Export annulé : aucun fichier enregistré."))
            return
        json_path = pdf_path.with_suffix(".json")
        try:
            json_path.write_bytes(result.json)
        except OSError as exc:
            self._fail(
                self.tr("Le fichier JSON n'a pas pu être enregistré ({e}).").format(e=exc.strerror)
            )
            return
        self.saved.extend([pdf_path, json_path])
        self.reload()
        omitted = ", ".join(COMPARTMENT_LABELS.get(c, str(c)).lower() for c in result.omitted)
        text = self.tr("Dossier exporté : {pdf} et {json}.").format(
            pdf=pdf_path.name, json=json_path.name
        )
        if omitted:
            text += " " + self.tr("Volets non inclus (hors de votre rôle) : {parts}.").format(
                parts=omitted
            )
        self.message.setText(text)
        self.changed.emit()
