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
import queue
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
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
from app.views.common.tasks import Report, TaskHandle, TaskRunner, runner_of
from app.views.common.widgets import show_message

if TYPE_CHECKING:
    import pypdfium2 as pdfium
else:
    pdfium = on_first_use("pypdfium2")  # loaded with the first preview or print

PREVIEW_DPI = 96
# PDFium is not thread-safe: every call into it (preview pages on the task runner's threads,
# printing on the UI thread) holds this lock, one page at a time.
_PDFIUM = threading.Lock()
LAST_PRINTER_KEY = "printing/last_printer"
LAST_OUTPUT_KEY = "printing/last_output_file"


def _tr(text: str) -> str:
    return QCoreApplication.translate("Pdf", text)


@dataclass(frozen=True)
class RawPage:
    """One rendered page as plain bytes (RGB, 8 bits a channel): what a worker thread hands
    back; the UI thread makes the ``QImage`` (:meth:`image`)."""

    pixels: bytes
    width: int
    height: int
    stride: int

    def image(self) -> QImage:
        """The page as an image that owns its pixels (UI thread)."""
        return QImage(
            self.pixels, self.width, self.height, self.stride, QImage.Format.Format_RGB888
        ).copy()


def page_count(data: bytes) -> int:
    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        try:
            return len(document)
        finally:
            document.close()


def rasterise(
    data: bytes,
    dpi: float = PREVIEW_DPI,
    *,
    cancelled: Callable[[], bool] | None = None,
    page_done: Callable[[RawPage, int, int], None] | None = None,
) -> list[RawPage]:
    """Every page of ``data`` rendered in memory, as bytes: no Qt object, so it may run on a
    worker thread. ``page_done(page, number, total)`` after each page; ``cancelled()`` true
    stops before the next page (the pages so far are returned)."""
    pages: list[RawPage] = []
    with _PDFIUM:
        document = pdfium.PdfDocument(data)
        total = len(document)
    try:
        for index in range(total):
            if cancelled is not None and cancelled():
                break
            with _PDFIUM:  # one page at a time: another rendering may go between two pages
                page = document[index]
                try:
                    bitmap = page.render(scale=dpi / 72, rev_byteorder=True)
                    try:
                        raw = RawPage(
                            bytes(bitmap.buffer), bitmap.width, bitmap.height, bitmap.stride
                        )
                    finally:
                        bitmap.close()
                finally:
                    page.close()
            pages.append(raw)
            if page_done is not None:
                page_done(raw, index + 1, total)
    finally:
        with _PDFIUM:
            document.close()
    return pages


def render_pages(data: bytes, dpi: float = PREVIEW_DPI) -> list[QImage]:
    """Every page of ``data`` as an image (rendered in memory, on the calling thread)."""
    return [page.image() for page in rasterise(data, dpi)]


# ---- dialogs (replaced in tests) ---------------------------------------------------------
def merge_pdfs(parts: Sequence[bytes]) -> bytes:
    """One PDF holding every page of ``parts``, in order (a batch of forms to print at once).
    Pure computation: may run on the task runner (PDFium behind its lock)."""
    buffer = io.BytesIO()
    with _PDFIUM:  # every document closed here, not by a finaliser outside the lock
        merged = pdfium.PdfDocument.new()
        try:
            for data in parts:
                source = pdfium.PdfDocument(data)
                try:
                    merged.import_pages(source)
                finally:
                    source.close()
            merged.save(buffer)
        finally:
            merged.close()
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
def print_dpi(printer: QPrinter) -> int:
    """The resolution pages are rendered at for ``printer`` (at most 300 dpi)."""
    return min(printer.resolution() or 300, 300)


def paint_pdf(printer: QPrinter, data: bytes) -> int:
    """Paint every page of ``data`` on ``printer``; returns the number of pages."""
    return paint_pages(printer, rasterise(data, print_dpi(printer)))


def paint_pages(printer: QPrinter, pages: list[RawPage]) -> int:
    """Paint pages already rendered (e.g. on a worker thread) on ``printer`` (UI thread)."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError(QCoreApplication.translate("Pdf", "L'imprimante n'a pas pu être ouverte."))
    try:
        for number, page in enumerate(pages):
            if number:
                printer.newPage()
            image = page.image()
            target = painter.viewport()
            size = image.size().scaled(target.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(target.topLeft(), size), image)
    finally:
        painter.end()
    return len(pages)


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


def remembered_print_dpi() -> int | None:
    """The resolution to render for the last printer used (None: the dialog will ask)."""
    printer = remembered_printer()
    return print_dpi(printer) if printer is not None else None


def print_rendered(parent: QWidget | None, data: bytes, pages: list[RawPage], title: str) -> bool:
    """:func:`print_now` with the pages already rendered on the task runner for the last
    printer used (:func:`remembered_print_dpi`): only the painting is left to the UI thread.
    Without them (no printer remembered yet), the dialog path of :func:`print_now`."""
    printer = remembered_printer()
    if printer is None or not pages:
        return print_now(parent, data, title)
    printer.setDocName(title)
    try:
        paint_pages(printer, pages)
    except OSError as exc:
        show_message(parent, str(exc))
        return False
    remember_printer(printer)
    return True


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
        """« Imprimer… »: the print dialog; with a task runner among the parents the pages are
        rendered on it, then painted on the printer here (the UI thread)."""
        data = self._produce()
        if data is None:
            return
        runner = runner_of(self.parentWidget())
        if runner is None:
            self.printed = print_pdf(self, data, self._title) or self.printed
            return
        printer = ask_printer(self, self._title)
        if printer is None:
            return
        dpi = print_dpi(printer)
        self.print_button.setEnabled(False)

        def rendered(pages: list[RawPage]) -> None:
            self.print_button.setEnabled(True)
            try:
                paint_pages(printer, pages)
            except OSError as exc:
                show_message(self, str(exc))
                return
            remember_printer(printer)
            self.printed = True

        def failed(_error: BaseException) -> None:
            self.print_button.setEnabled(True)
            show_message(self, self.tr("Le document n'a pas pu être préparé pour l'impression."))

        runner.run(
            lambda report: rasterise(data, dpi, cancelled=lambda: report.cancelled),
            success=rendered,
            failure=failed,
            write=False,
            owner=self,
        )

    def save_document(self) -> None:
        data = self._produce()
        if data is not None:
            self.saved_to = save_pdf(self, data, self._file_name) or self.saved_to


class PdfPreviewDialog(QDialog):
    """« Aperçu » of a PDF: its pages as images, with print and save buttons.

    The dialog opens at once with « Préparation de l'aperçu… »; the pages are rendered on the
    task runner's read pool (``runner``, else the parent window's ``runner``, else one of its
    own) and shown one by one as they come; closing the dialog stops the rendering."""

    def __init__(
        self,
        data: bytes,
        title: str,
        file_name: str,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pdfPreview")
        self.setWindowTitle(title)
        self.resize(880, 900)
        self._data = data
        pages = QWidget()
        self._column = QVBoxLayout(pages)
        self._column.setSpacing(12)
        self.page_labels: list[QLabel] = []
        self.placeholder = QLabel(self.tr("Préparation de l'aperçu…"))
        self.placeholder.setObjectName("previewPlaceholder")
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._column.addWidget(self.placeholder, alignment=Qt.AlignmentFlag.AlignHCenter)
        self._column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(pages)
        scroll.setWidgetResizable(True)
        scroll.setStyleSheet("QScrollArea { background: #808080; }")
        self.buttons = PdfButtons(lambda: self._data, title, file_name, self)
        close = QPushButton(self.tr("&Fermer"))
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.buttons, 1)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self.rendered = False  # every page shown (or the rendering failed: ``placeholder`` says)
        self._arrived: queue.SimpleQueue[RawPage] = queue.SimpleQueue()
        self.runner = runner or runner_of(parent) or TaskRunner(self)  # its buttons' too
        self._render = self._start_rendering(self.runner)

    def _start_rendering(self, runner: TaskRunner) -> TaskHandle:
        data, arrived = self._data, self._arrived

        def render(report: Report) -> int:
            # No Qt object here: pages go back as bytes, the UI thread makes the images.
            def page_done(page: RawPage, number: int, total: int) -> None:
                arrived.put(page)
                report(number, total)

            return len(rasterise(data, cancelled=lambda: report.cancelled, page_done=page_done))

        return runner.run(
            render,
            success=self._all_shown,
            failure=self._failed,
            progress=lambda _done, _total: self._show_arrived(),
            write=False,
            owner=self,
        )

    def _show_arrived(self) -> None:
        """The pages rendered so far, each under the previous one (UI thread)."""
        while True:
            try:
                page = self._arrived.get_nowait()
            except queue.Empty:
                return
            label = QLabel()
            label.setPixmap(QPixmap.fromImage(page.image()))
            label.setFrameShape(QLabel.Shape.Box)
            label.setAlignment(Qt.AlignmentFlag.AlignHCenter)
            self._column.insertWidget(
                len(self.page_labels), label, alignment=Qt.AlignmentFlag.AlignHCenter
            )
            self.page_labels.append(label)

    def _all_shown(self, _count: int) -> None:
        self._show_arrived()
        self.placeholder.hide()
        self.rendered = True

    def _failed(self, _error: BaseException) -> None:
        self.placeholder.setText(
            self.tr("L'aperçu n'a pas pu être préparé : enregistrez ou imprimez le document.")
        )
        self.rendered = True

    def wait_rendered(self) -> None:
        """Block until every page is shown (scripts: screenshots)."""
        while not self.rendered and self.runner.pending:
            self.runner.wait()

    def done(self, result: int) -> None:
        if not self.rendered:
            self._render.cancel()  # the worker stops before its next page
        self._data = b""  # drop the document's bytes with the dialog
        for label in self.page_labels:
            label.clear()
        super().done(result)
