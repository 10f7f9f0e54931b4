"""Preview, print and save PDF documents produced by the services — in memory only.

PySide6-Essentials has no QtPdf: pages are rendered with pypdfium2 straight from the bytes
(no temporary file), shown as images in the preview and painted on a ``QPrinter`` for
« Imprimer ». « Enregistrer en PDF… » writes where the user chooses (a file they own).

The file and print dialogs go through ``ask_save_path`` and ``ask_printer``, which tests
replace (``monkeypatch``) to stay non-interactive.

« Imprimer » in one action: :func:`print_now` prints on the last printer used on this
workstation (remembered in ``QSettings``: a printer's name, or the PDF file chosen in the print
dialog's « print to file »); the first time, or when that printer is gone, it asks.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QRect, QSettings, QStandardPaths, Qt
from PySide6.QtGui import QImage, QPainter, QPixmap
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from app.lazy import on_first_use
from app.views.common.widgets import show_message

if TYPE_CHECKING:
    import pypdfium2 as pdfium
else:
    pdfium = on_first_use("pypdfium2")  # loaded with the first preview or print

PREVIEW_DPI = 96
LAST_PRINTER_KEY = "printing/last_printer"
LAST_OUTPUT_KEY = "printing/last_output_file"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pdf", text)


def page_count(data: bytes) -> int:
    document = pdfium.PdfDocument(data)
    try:
        return len(document)
    finally:
        document.close()


def render_pages(data: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``data`` as an image (rendered in memory)."""
    images: list[QImage] = []
    document = pdfium.PdfDocument(data)
    try:
        for index in range(len(document)):
            page = document[index]
            bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
            image = QImage(
                bitmap.buffer,
                bitmap.width,
                bitmap.height,
                bitmap.stride,
                QImage.Format.Format_RGB888,
            ).copy()  # own the pixels before pdfium frees its buffer
            images.append(image)
            bitmap.close()
            page.close()
    finally:
        document.close()
    return images


# ---- dialogs (replaced in tests) ---------------------------------------------------------
def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF holding every page of ``parts``, in order (a batch of forms to print at once).
    Pure computation: may run on the task runner."""
    merged = pdfium.PdfDocument.new()
    for data in parts:
        merged.import_pages(pdfium.PdfDocument(data))
    buffer = io.BytesIO()
    merged.save(buffer)
    return buffer.getvalue()


def _documents_folder() -> str:
    return QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)


def ask_save_path(parent: QWidget | None, suggested: str, filter_text: str) -> Path | None:
    path, _ = QFileDialog.getSaveFileName(
        parent,
        QCoreApplication.translate("Pdf", "Enregistrer"),
        str(Path(_documents_folder()) / suggested),
        filter_text,
    )
    return Path(path) if path else None


def ask_printer(parent: QWidget | None, title: str) -> QPrinter | None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setDocName(title)
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(QCoreApplication.translate("Pdf", "Imprimer"))
    return printer if dialog.exec() == QDialog.DialogCode.Accepted else None


# ---- actions -----------------------------------------------------------------------------
def paint_pdf(printer: QPrinter, data: bytes) -> int:
    """Paint every page of ``data`` on ``printer``; returns the number of pages."""
    resolution = printer.resolution() or 300
    images = render_pages(data, dpi=min(resolution, 300))
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("Pdf", "L'imprimante n'a pas pu être ouverte."))
    try:
        for number, image in enumerate(images):
            if number:
                printer.newPage()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), size), image)
    finally:
        painter.end()
    return len(images)


def remembered_printer(settings: QSettings | None = None) -> QPrinter | None:
    """The last printer used on this workstation, if it is still there."""
    qs = settings or QSettings()
    output = str(qs.value(LAST_OUTPUT_KEY, "") or "")
    name = str(qs.value(LAST_PRINTER_KEY, "") or "")
    if output and Path(output).parent.is_dir():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(output)
        return printer
    if name and not QPrinterInfo.printerInfo(name).isNull():
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPrinterName(name)
        return printer
    return None


def remember_printer(printer: QPrinter, settings: QSettings | None = None) -> None:
    qs = settings or QSettings()
    if printer.outputFormat() == QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        qs.setValue(LAST_OUTPUT_KEY, printer.outputFileName())
        qs.remove(LAST_PRINTER_KEY)
    elif printer.printerName():
        qs.setValue(LAST_PRINTER_KEY, printer.printerName())
        qs.remove(LAST_OUTPUT_KEY)
    qs.sync()


def _paint(parent: QWidget | None, printer: QPrinter, data: bytes) -> bool:
    try:
        paint_pdf(printer, data)
    except OSError as exc:
        show_message(parent, str(exc))
        return False
    remember_printer(printer)
    return True


def print_pdf(parent: QWidget | None, data: bytes, title: str) -> bool:
    """« Imprimer… »: the print dialog, then the printer is remembered."""
    printer = ask_printer(parent, title)
    return printer is not None and _paint(parent, printer, data)


def print_now(parent: QWidget | None, data: bytes, title: str) -> bool:
    """« Imprimer » in one action: on the last printer used; the first time, the dialog."""
    printer = remembered_printer()
    if printer is None:
        return print_pdf(parent, data, title)
    printer.setDocName(title)
    return _paint(parent, printer, data)


def save_bytes(
    parent: QWidget | None, data: bytes, suggested: str, filter_text: str | None = None
) -> Path | None:
    """Ask where to save ``data`` and write it there; None when cancelled or failed."""
    path = ask_save_path(
        parent, suggested, filter_text or QCoreApplication.translate("Pdf", "Document PDF (*.pdf)")
    )
    if path is None:
        return None
    try:
        path.write_bytes(data)
    except OSError as exc:
        show_message(
            parent,
            QCoreApplication.translate(
                "Pdf", "Le fichier n'a pas pu être enregistré ({error})."
            ).format(error=exc.strerror),
        )
        return None
    return path


def save_pdf(parent: QWidget | None, data: bytes, suggested: str) -> Path | None:
    if not suggested.lower().endswith(".pdf"):
        suggested += ".pdf"
    return save_bytes(parent, data, suggested)


class PdfButtons(QWidget):
    """« Imprimer » and « Enregistrer en PDF… » for a document produced on demand."""

    def __init__(
        self,
        produce: Callable[[], bytes | None],
        title: str,
        file_name: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._produce = produce
        self._title = title
        self._file_name = file_name
        self.print_button = QPushButton(self.tr("&Imprimer…"))
        self.print_button.setObjectName("printButton")
        self.save_button = QPushButton(self.tr("&Enregistrer en PDF…"))
        self.save_button.setObjectName("savePdfButton")
        for button in (self.print_button, self.save_button):
            button.setAutoDefault(False)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.print_button)
        layout.addWidget(self.save_button)
        layout.addStretch(1)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.saved_to: Path | None = None
        self.printed = False

    def print_document(self) -> None:
        data = self._produce()
        if data is not None:
            self.printed = print_pdf(self, data, self._title) or self.printed

    def save_document(self) -> None:
        data = self._produce()
        if data is not None:
            self.saved_to = save_pdf(self, data, self._file_name) or self.saved_to


class PdfPreviewDialog(QDialog):
    """« Aperçu » of a PDF: its pages as images, with print and save buttons."""

    def __init__(
        self, data: bytes, title: str, file_name: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.resize(880, 900)
        self._data = data
        pages = QWidget()
        column = QVBoxLayout(pages)
        column.setSpacing(12)
        self.page_labels: list[QLabel] = []
        for image in render_pages(data):
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(image))
            label.setFrameShape(QLabel.Shape.Box)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            column.addWidget(label, alignment=Qt.AlignmentFlag.AlignHCenter)
            self.page_labels.append(label)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #808080; }")
        self.buttons = PdfButtons(lambda: self._data, title, file_name)
        close = QPushButton(self.tr("&Fermer"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.buttons, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)

    def done(self, result: int) -> None:
        self._data = b""  # drop the document's bytes with the dialog
        for label in self.page_labels:
            label.clear()
        super().done(result)
