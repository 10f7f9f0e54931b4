"""« Documents » tab of a patient file: archived documents (preview, print, save), the
patient's access report (coordination) and the export of the file (right of access).

The list reads a page at a time; opening a document, the access report and the export run
through the window's task runner (the export with progress and « Annuler »)."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import COMPARTMENT_LABELS, Page
from app.services.patient_file.records import Cancelled, DocumentInfo, PatientExport
from app.views.common import pdf_view
from app.views.common.labels import datetime_fr
from app.views.common.paging import PagedRowsModel
from app.views.common.patient_tab import LazyTab
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, password_edit, record_table
from app.views.patient_file.background import SlowWork
from app.views.patient_file.ports import DocumentsPort


class DocumentsModel(PagedRowsModel[DocumentInfo]):
    """Newest first, sorted and counted by the service."""

    PAGE = 100
    NUMBER, TITLE, PART, AUTHOR, WHEN = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "N°"),
        QT_TRANSLATE_NOOP("Headers", "Document"),
        QT_TRANSLATE_NOOP("Headers", "Volet"),
        QT_TRANSLATE_NOOP("Headers", "Auteur"),
        QT_TRANSLATE_NOOP("Headers", "Date"),
    )

    def document(self, row: int) -> DocumentInfo | None:
        return self.row_at(row)

    def cell(self, doc: DocumentInfo, column: int) -> str:
        if column == self.NUMBER:
            return doc.number
        if column == self.TITLE:
            return doc.title
        if column == self.PART:
            return COMPARTMENT_LABELS.get(doc.compartment, str(doc.compartment))
        if column == self.AUTHOR:
            return doc.author_name
        return datetime_fr(doc.created_at)


class ExportPasswordDialog(QDialog):
    """Re-authentication before exporting a patient file. The export itself (the password
    checked, every readable note decrypted, the PDF) then runs off the UI thread while this
    dialog shows its progress and stays responsive; « Annuler » (or Échap) stops it before
    anything is archived, and a wrong password comes back here, the input kept."""

    cancel_requested = Signal()

    def __init__(self, patient_name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("exportPasswordDialog")
        self.setWindowTitle(self.tr("Exporter le dossier"))
        self.setMinimumWidth(520)
        self._busy = False
        self._cancelling = False
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
        self.status = QLabel()
        self.status.setObjectName("exportStatus")
        self.status.hide()
        self.progress = QProgressBar()
        self.progress.setObjectName("exportProgress")
        self.progress.setTextVisible(False)
        self.progress.hide()
        form = QFormLayout()
        form.addRow(self.tr("&Mot de passe"), self.password)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button = buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.ok = buttons.addButton(self.tr("E&xporter…"), QDialogButtonBox.ButtonRole.AcceptRole)
        self.ok.setObjectName("exportConfirm")
        self.ok.setDefault(True)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.status)
        layout.addWidget(self.progress)
        layout.addWidget(buttons)

    @property
    def busy(self) -> bool:
        return self._busy

    def set_busy(self, busy: bool) -> None:
        """While the export runs: the password read-only, « Exporter » off, the progress on."""
        self._busy = busy
        self._cancelling = False
        self.password.setReadOnly(busy)
        self.ok.setEnabled(not busy)
        self.status.setVisible(busy)
        self.progress.setVisible(busy)
        if busy:
            self.error.hide()
            self.progress.setRange(0, 0)  # moving until the first step is reported
            self.status.setText(self.tr("Vérification du mot de passe…"))

    def show_progress(self, done: int, total: int) -> None:
        if not self._busy or self._cancelling:
            return
        if total > 0:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        if done >= 1:
            self.status.setText(self.tr("Export du dossier en cours…"))

    def reject(self) -> None:
        """« Annuler »: closes the dialog, or while the export runs stops it first (the
        dialog closes when it has stopped, with nothing archived)."""
        if not self._busy:
            super().reject()
            return
        if not self._cancelling:
            self._cancelling = True
            self.status.setText(self.tr("Annulation en cours…"))
            self.cancel_requested.emit()

    def show_error(self, message: str) -> None:
        """The export refused (a wrong password…): the message here, the input kept."""
        self.set_busy(False)
        self.error.setText(message)
        self.error.show()
        self.password.selectAll()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)


class DocumentsTab(LazyTab):
    changed = Signal()

    def __init__(
        self,
        documents: DocumentsPort,
        actor: Actor,
        patient_id: int,
        patient_name: str,
        *,
        can_access_report: bool = False,
        can_export: bool = False,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name="documentsTab", parent=parent)
        self._documents = documents
        self._patient_name = patient_name
        self._runner = runner
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.export_dialog: ExportPasswordDialog | None = None
        self.work: SlowWork | None = None  # the slow work running, if any
        self.saved: list = []
        self.model = DocumentsModel(self)
        self.model.failed.connect(self._fail)
        self.message = QLabel()
        self.message.setObjectName("documentsMessage")
        self.message.setWordWrap(True)
        self.error = error_label()
        self.error.setObjectName("documentsError")
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(self._build_table(), 1)
        layout.addWidget(self.error)
        layout.addLayout(self._build_buttons(can_access_report, can_export))
        self._update()

    def _build_table(self) -> QWidget:
        self.table = record_table(self.model, name="documentsTable")
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DocumentsModel.TITLE, QHeaderView.ResizeMode.Stretch)
        self.table.activated.connect(lambda _i: self.preview_selected())  # Return, double-click
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update())
        return self.table

    def _build_buttons(self, can_access_report: bool, can_export: bool) -> QHBoxLayout:
        self.preview_button = QPushButton(self.tr("&Aperçu"))
        self.preview_button.setObjectName("previewDocumentButton")
        self.preview_button.clicked.connect(self.preview_selected)
        self.save_button = QPushButton(self.tr("Enregistrer en &PDF…"))
        self.save_button.setObjectName("saveDocumentButton")
        self.save_button.clicked.connect(self.save_selected)
        self.report_button = QPushButton(self.tr("&Rapport d'accès"), self)
        self.report_button.setObjectName("accessReportButton")
        self.report_button.setToolTip(
            self.tr("Qui a consulté ce dossier, quelle partie et quand (droit d'accès du patient).")
        )
        # The services say what the actor may do (and enforce it again).
        self.report_button.setVisible(can_access_report)
        self.report_button.clicked.connect(self.access_report)
        self.export_button = QPushButton(self.tr("E&xporter le dossier…"), self)
        self.export_button.setObjectName("exportPatientButton")
        self.export_button.setVisible(can_export)
        self.export_button.clicked.connect(self.ask_export)
        buttons = QHBoxLayout()
        for button in (self.preview_button, self.save_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        for button in (self.report_button, self.export_button):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        return buttons

    # ---- list ---------------------------------------------------------------------------
    def reload(self) -> None:
        """The first page again (the next ones as the list scrolls)."""
        self._loaded = True
        try:
            self.model.start(self._fetch)
        except RelaisError as exc:
            self.model.clear()
            self._fail(exc.message)
        if self.model.rowCount() and self.selected() is None:
            self.table.selectRow(0)  # Return or « Aperçu » shows the latest document
        total = self.model.total
        self.message.setText(
            self.tr("%n document(s) archivé(s) dans le dossier.", "", total)
            if total
            else self.tr("Aucun document archivé dans ce dossier pour l'instant.")
        )
        self._update()

    def _fetch(self, offset: int, limit: int) -> Page[DocumentInfo]:
        return self._documents.documents_page(
            self._actor, self._patient_id, offset=offset, limit=limit
        )

    def selected(self) -> DocumentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.document(rows[0].row()) if rows else None

    def _update(self) -> None:
        has = self.selected() is not None
        busy = self.work is not None and not self.work.done
        self.preview_button.setEnabled(has and not busy)
        self.save_button.setEnabled(has and not busy)
        self.report_button.setEnabled(not busy)
        self.export_button.setEnabled(not busy)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _failed(self, error: BaseException) -> None:
        self._update()
        self._fail(_message(error, self.tr("L'opération n'a pas abouti.")))

    def _start(
        self, task, success, *, label: str | None = None, failure=None, progress=None
    ) -> None:
        """Run ``task(progress, cancelled)`` through the runner, one at a time."""
        if self.work is not None and not self.work.done:
            return
        self.error.hide()
        self.work = SlowWork(
            self,
            self._runner,
            task,
            success=success,
            failure=failure or self._failed,
            label=label,
            progress=progress,
        )
        self._update()

    # ---- actions ------------------------------------------------------------------------
    def show_preview(self, data: bytes, title: str, file_name: str) -> None:
        dialog = pdf_view.PdfPreviewDialog(data, title, file_name, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()

    def _open_selected(self, then) -> None:
        doc = self.selected()
        if doc is None:
            return
        documents, actor = self._documents, self._actor
        self._start(
            lambda _p, _c: documents.open_document(actor, doc.id),
            lambda data: (self._update(), then(doc, data)),
        )

    def preview_selected(self) -> None:
        self._open_selected(
            lambda doc, data: self.show_preview(
                data, f"{doc.title} — {doc.number}", f"{doc.number}.pdf"
            )
        )

    def save_selected(self) -> None:
        def save(doc: DocumentInfo, data: bytes) -> None:
            path = pdf_view.save_pdf(self, data, f"{doc.number}.pdf")
            if path is not None:
                self.saved.append(path)

        self._open_selected(save)

    def access_report(self) -> None:
        documents, actor, patient_id = self._documents, self._actor, self._patient_id
        self._start(
            lambda _p, _c: documents.access_report(actor, patient_id),
            self._report_ready,
            label=self.tr("Préparation du relevé des accès…"),
        )

    def _report_ready(self, generated) -> None:
        self._update()
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
        dialog.cancel_requested.connect(self._cancel_work)
        dialog.finished.connect(lambda _r: setattr(self, "export_dialog", None))
        dialog.open()

    def export(self, password: str) -> None:
        """Re-authentication, every readable note decrypted, the PDF: one task off the UI
        thread, with progress (in the export dialog when it is open); « Annuler » leaves
        nothing archived and no file written."""
        if self.work is not None and not self.work.done:
            return
        dialog = self.export_dialog
        if dialog is not None:
            dialog.set_busy(True)
        documents, actor, patient_id = self._documents, self._actor, self._patient_id
        self._start(
            lambda progress, cancelled: documents.export_patient(
                actor, patient_id, password, progress=progress, cancelled=cancelled
            ),
            self._exported,
            label=None if dialog is not None else self.tr("Export du dossier en cours…"),
            failure=self._export_failed,
            progress=self._export_progress,
        )

    def _export_progress(self, done: int, total: int) -> None:
        if self.export_dialog is not None:
            self.export_dialog.show_progress(done, total)

    def _cancel_work(self) -> None:
        if self.work is not None and not self.work.done:
            self.work.cancel()

    def _export_failed(self, error: BaseException) -> None:
        self._update()
        message = _message(error, self.tr("L'export n'a pas abouti."))
        dialog = self.export_dialog
        if dialog is not None and not isinstance(error, Cancelled):
            dialog.show_error(message)
            return
        if dialog is not None:  # cancelled: the dialog closes, the tab says so
            dialog.set_busy(False)
            dialog.reject()
        self._fail(message)

    def _exported(self, result: PatientExport) -> None:
        self._update()
        if self.export_dialog is not None:
            self.export_dialog.set_busy(False)
            self.export_dialog.accept()
        base = "dossier-" + "-".join(self._patient_name.split()[:2]).lower()
        pdf_path = pdf_view.save_pdf(self, result.pdf, base + ".pdf")
        if pdf_path is None:
            self.message.setText(self.tr("Export annulé : aucun fichier enregistré."))
            return
        json_path = pdf_path.with_suffix(".json")
        try:
            json_path.write_bytes(result.json)
        except OSError as exc:
            pdf_path.unlink(missing_ok=True)  # both files or neither
            self._fail(
                self.tr("Le fichier JSON n'a pas pu être enregistré ({e}).").format(e=exc.strerror)
            )
            return
        self.saved.extend([pdf_path, json_path])
        self.reload()
        self.message.setText(self._export_summary(result, pdf_path.name, json_path.name))
        self.changed.emit()

    def _export_summary(self, result: PatientExport, pdf_name: str, json_name: str) -> str:
        omitted = ", ".join(COMPARTMENT_LABELS.get(c, str(c)).lower() for c in result.omitted)
        text = self.tr("Dossier exporté : {pdf} et {json}.").format(pdf=pdf_name, json=json_name)
        if omitted:
            text += " " + self.tr("Volets non inclus (hors de votre rôle) : {parts}.").format(
                parts=omitted
            )
        return text


def _message(error: BaseException, fallback: str) -> str:
    return error.message if isinstance(error, RelaisError) else fallback
