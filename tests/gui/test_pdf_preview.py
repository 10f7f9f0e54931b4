"""The PDF preview (issue 11): the dialog opens at once with « Préparation de l'aperçu… », its
pages are rendered with pypdfium2 on the task runner's read pool and shown page by page; the
worker hands back bytes (every QImage is made on the UI thread); closing the dialog stops the
rendering. Printing and saving keep their behaviour (PDFs read back with pypdf)."""

from __future__ import annotations

import io
import threading
from pathlib import Path

import pytest
from pypdf import PdfReader, PdfWriter
from PySide6.QtGui import QImage
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget

from app.views.common import pdf_view

pytestmark = pytest.mark.gui
A4 = (595, 842)


def blank_pdf(pages: int) -> bytes:
    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(*A4)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


class HeldRendering:
    """The real ``rasterise``, its thread noted, held after its first page until ``go``."""

    def __init__(self, real) -> None:
        self._real = real
        self.threads: list[threading.Thread] = []
        self.first_page = threading.Event()
        self.go = threading.Event()
        self.rendered: list[int] = []

    def __call__(self, data, dpi=pdf_view.PREVIEW_DPI, *, cancelled=None, page_done=None):
        self.threads.append(threading.current_thread())

        def held(page, number, total):
            assert isinstance(page.pixels, bytes)  # plain bytes from the worker, no Qt object
            if page_done is not None:
                page_done(page, number, total)
            if number == 1:
                self.first_page.set()
                assert self.go.wait(30)

        pages = self._real(data, dpi, cancelled=cancelled, page_done=held)
        self.rendered.append(len(pages))
        return pages


@pytest.fixture
def held(monkeypatch) -> HeldRendering:
    held = HeldRendering(pdf_view.rasterise)
    monkeypatch.setattr(pdf_view, "rasterise", held)
    return held


@pytest.fixture
def image_threads(monkeypatch) -> list[threading.Thread]:
    """The thread of every QImage the preview makes."""
    threads: list[threading.Thread] = []

    class RecordingImage(QImage):
        def __init__(self, *args) -> None:
            threads.append(threading.current_thread())
            super().__init__(*args)

    monkeypatch.setattr(pdf_view, "QImage", RecordingImage)
    return threads


def test_the_preview_opens_at_once_and_fills_page_by_page_off_the_ui_thread(
    qtbot, parent, runner, held, image_threads
):
    dialog = pdf_view.PdfPreviewDialog(blank_pdf(3), "Fiche", "fiche.pdf", parent, runner=runner)
    dialog.open()
    assert dialog.isVisible() and not dialog.rendered
    assert dialog.placeholder.text() == "Préparation de l'aperçu…"
    assert dialog.placeholder.isVisible()
    # The worker is held after the first page: that page is shown meanwhile, the UI answers.
    qtbot.waitUntil(lambda: len(dialog.page_labels) == 1, timeout=30000)
    assert not dialog.rendered and dialog.placeholder.isVisible()
    held.go.set()
    qtbot.waitUntil(lambda: dialog.rendered, timeout=30000)
    assert held.threads and held.threads[0] is not threading.main_thread()
    assert len(dialog.page_labels) == 3 and not dialog.placeholder.isVisible()
    pixmap = dialog.page_labels[0].pixmap()
    assert abs(pixmap.width() - 794) <= 2 and abs(pixmap.height() - 1123) <= 2  # A4, 96 dpi
    assert len(image_threads) == 3
    assert all(t is threading.main_thread() for t in image_threads)
    dialog.accept()
    assert dialog.page_labels[0].pixmap().isNull()  # the pages dropped with the dialog


def test_closing_the_preview_stops_the_rendering(qtbot, parent, runner, held):
    dialog = pdf_view.PdfPreviewDialog(blank_pdf(4), "Fiche", "fiche.pdf", parent, runner=runner)
    dialog.open()
    qtbot.waitUntil(held.first_page.is_set, timeout=30000)
    dialog.reject()  # « Fermer » while the second page waits
    held.go.set()
    runner.wait()
    assert held.rendered == [1]  # no page rendered after the close
    assert len(dialog.page_labels) <= 1 and not dialog.rendered


def test_the_preview_finds_the_window_runner_and_two_render_at_once(qtbot, runner):
    window = QWidget()
    window.runner = runner  # as the main window has one
    qtbot.addWidget(window)
    inner = QWidget(window)
    data = blank_pdf(2)
    first = pdf_view.PdfPreviewDialog(data, "Une", "une.pdf", inner)
    second = pdf_view.PdfPreviewDialog(data, "Deux", "deux.pdf", inner)
    for dialog in (first, second):
        dialog.open()
    assert pdf_view.page_count(data) == 2  # the UI thread may call PDFium meanwhile (one lock)
    assert runner.pending == 2  # both on the window's runner
    qtbot.waitUntil(lambda: first.rendered and second.rendered, timeout=30000)
    assert len(first.page_labels) == len(second.page_labels) == 2


def test_a_damaged_pdf_is_told_in_french(qtbot, parent, runner):
    dialog = pdf_view.PdfPreviewDialog(b"pas un PDF", "Fiche", "fiche.pdf", parent, runner=runner)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.rendered, timeout=30000)
    assert dialog.page_labels == []
    assert dialog.placeholder.text() == (
        "L'aperçu n'a pas pu être préparé : enregistrez ou imprimez le document."
    )


def test_printing_and_saving_keep_every_page(qtbot, parent, runner, tmp_path: Path, monkeypatch):
    data = blank_pdf(2)
    assert [image.width() for image in pdf_view.render_pages(data, dpi=72)] == [595, 595]
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printed = tmp_path / "imprime.pdf"
    printer.setOutputFileName(str(printed))
    assert pdf_view.paint_pdf(printer, data) == 2
    assert len(PdfReader(str(printed)).pages) == 2
    dialog = pdf_view.PdfPreviewDialog(data, "Fiche", "fiche.pdf", parent, runner=runner)
    target = tmp_path / "fiche.pdf"
    monkeypatch.setattr(pdf_view, "ask_save_path", lambda *_a: target)
    dialog.buttons.save_button.click()  # available before the pages are shown
    assert target.read_bytes() == data and dialog.buttons.saved_to == target
    qtbot.waitUntil(lambda: dialog.rendered, timeout=30000)
    dialog.accept()


def test_imprimer_in_the_preview_renders_the_pages_on_the_runner(
    qtbot, parent, runner, settings, tmp_path: Path, monkeypatch
):
    threads: list[tuple[threading.Thread, float]] = []
    real = pdf_view.rasterise

    def recording(data, dpi=pdf_view.PREVIEW_DPI, **kwargs):
        threads.append((threading.current_thread(), dpi))
        return real(data, dpi, **kwargs)

    monkeypatch.setattr(pdf_view, "rasterise", recording)
    target = tmp_path / "imprime.pdf"

    def ask(_parent, _title):  # Qt's print dialog, answered « print to file »
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(target))
        return printer

    monkeypatch.setattr(pdf_view, "ask_printer", ask)
    dialog = pdf_view.PdfPreviewDialog(blank_pdf(3), "Fiche", "fiche.pdf", parent, runner=runner)
    dialog.open()
    qtbot.waitUntil(lambda: dialog.rendered, timeout=30000)
    dialog.buttons.print_button.click()
    assert not dialog.buttons.print_button.isEnabled()  # rendering for the printer
    qtbot.waitUntil(lambda: dialog.buttons.printed, timeout=30000)
    assert dialog.buttons.print_button.isEnabled()
    main = threading.main_thread()
    assert [dpi for _t, dpi in threads] == [pdf_view.PREVIEW_DPI, 300]
    assert all(thread is not main for thread, _dpi in threads)
    assert len(PdfReader(str(target)).pages) == 3
    assert settings.value(pdf_view.LAST_OUTPUT_KEY) == str(target)
    dialog.accept()
