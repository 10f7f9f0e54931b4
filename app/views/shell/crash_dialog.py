"""Unexpected exceptions: a French dialog, a report to copy, and Relais goes on running.

PySide hands an exception raised in a slot, a timer or an overridden Qt method (``paintEvent``…)
to ``sys.excepthook`` and goes on with the event loop. :class:`CrashHandler` installs that hook
(and ``threading.excepthook`` for Python threads): it writes the report
(:mod:`app.crash_report`: no message, no local value, no patient data) to the log, and shows
:class:`CrashDialog` — one at a time; further errors are added to the open dialog.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import sys
import threading
from collections.abc import Callable, Mapping
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import QObject, Qt, QTimer, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app import crash_report
from app.crash_report import CrashReport

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]
POLL_MS = 250  # reports from other threads reach the screen within this delay
FULL_LOGS_PER_REFERENCE = 3  # the same error again and again (a paintEvent): logged briefly


class CrashDialog(QDialog):
    """What happened, what was saved, how to report it; the details can be copied."""

    quit_requested = Signal()

    def __init__(
        self, report: CrashReport, log_file: Path | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(self.tr("Relais — erreur inattendue"))
        self.reports: list[CrashReport] = [report]
        explanations = self._build_explanations(report, log_file)
        self._build_details(report)
        buttons = self._build_buttons()
        layout = QVBoxLayout(self)
        for label in explanations:
            layout.addWidget(label)
        layout.addWidget(self.more)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.copied)
        layout.addWidget(buttons)
        self.resize(640, 300)

    def _build_explanations(self, report: CrashReport, log_file: Path | None) -> list[QLabel]:
        """What happened, what is saved, how to report it."""
        what = QLabel(
            self.tr(
                "<b>Une erreur inattendue s'est produite.</b> Relais continue de fonctionner, "
                "mais l'action en cours n'a peut-être pas abouti."
            )
        )
        saved = QLabel(
            self.tr(
                "<b>Ce qui est enregistré :</b> tout ce que vous aviez enregistré avant l'erreur "
                "est conservé. Une modification est enregistrée entière ou pas du tout : si "
                "l'action en cours n'a pas abouti, rien n'en a été écrit ; vérifiez-la, puis "
                "refaites-la si besoin. Les notes en cours de saisie restent ouvertes : "
                "enregistrez-les."
            )
        )
        where = (
            self.tr(" Le journal de Relais se trouve dans : {folder}").format(
                folder=str(log_file.parent)
            )
            if log_file is not None
            else ""
        )
        how = QLabel(
            self.tr(
                "<b>Pour signaler le problème :</b> cliquez sur « Copier le rapport » et "
                "collez-le dans un message à votre référent informatique (référence {ref}). "
                "Le rapport ne contient aucune donnée de patient : ni nom, ni texte saisi, "
                "seulement le type d'erreur et l'endroit du programme où elle s'est produite."
            ).format(ref=report.reference)
            + where
        )
        how.setObjectName("crashHowToReport")
        for label in (what, saved, how):
            label.setWordWrap(True)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        return [what, saved, how]

    def _build_details(self, report: CrashReport) -> None:
        """The report's text (hidden until asked for) and the « copied » note."""
        self.more = QLabel()
        self.more.setObjectName("crashMore")
        self.more.hide()
        self.details = QPlainTextEdit()
        self.details.setObjectName("crashDetails")
        self.details.setReadOnly(True)
        self.details.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.details.setPlainText(report.text)
        self.details.setMinimumHeight(220)
        self.details.hide()
        self.copied = QLabel(self.tr("Rapport copié dans le presse-papiers."))
        self.copied.setObjectName("crashCopied")
        self.copied.hide()

    def _build_buttons(self) -> QDialogButtonBox:
        self.details_button = QPushButton(self.tr("Afficher les détails"))
        self.details_button.setObjectName("crashDetailsButton")
        self.details_button.setCheckable(True)
        self.details_button.toggled.connect(self._toggle_details)
        self.copy_button = QPushButton(self.tr("Copier le rapport"))
        self.copy_button.setObjectName("crashCopy")
        self.copy_button.clicked.connect(self.copy_report)
        self.quit_button = QPushButton(self.tr("Quitter Relais"))
        self.quit_button.setObjectName("crashQuit")
        self.quit_button.setAutoDefault(False)
        self.quit_button.clicked.connect(self._quit)
        self.continue_button = QPushButton(self.tr("Continuer"))
        self.continue_button.setObjectName("crashContinue")
        self.continue_button.setDefault(True)
        self.continue_button.clicked.connect(self.accept)
        buttons = QDialogButtonBox()
        buttons.addButton(self.details_button, QDialogButtonBox.ButtonRole.HelpRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.quit_button, QDialogButtonBox.ButtonRole.DestructiveRole)
        buttons.addButton(self.continue_button, QDialogButtonBox.ButtonRole.AcceptRole)
        return buttons

    def report_text(self) -> str:
        return "\n".join(r.text for r in self.reports)

    def add_report(self, report: CrashReport) -> None:
        """Another error while this dialog is open: one dialog, every report in it."""
        self.reports.append(report)
        self.details.setPlainText(self.report_text())
        self.more.setText(
            self.tr(
                "%n autre(s) erreur(s) depuis ; le rapport les contient toutes.",
                "",
                len(self.reports) - 1,
            )
        )
        self.more.show()

    def copy_report(self) -> None:
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(self.report_text())
        self.copied.show()

    def _toggle_details(self, shown: bool) -> None:
        self.details.setVisible(shown)
        self.details_button.setText(
            self.tr("Masquer les détails") if shown else self.tr("Afficher les détails")
        )
        self.adjustSize()

    def _quit(self) -> None:
        self.accept()
        self.quit_requested.emit()


class CrashHandler(QObject):
    """Installs the hooks; logs each report and shows it in one :class:`CrashDialog`."""

    shown = Signal(object)  # the CrashDialog, when it appears

    def __init__(
        self,
        log: logging.Logger,
        *,
        log_file: Path | None = None,
        context: Callable[[], Mapping[str, str]] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._log = log
        self._log_file = log_file
        self._context = context or qt_context
        self.dialog: CrashDialog | None = None
        self._counts: dict[str, int] = {}
        self._busy = False
        self._previous_hook: Callable[..., object] | None = None
        self._previous_thread_hook: Callable[..., object] | None = None
        self._waiting: queue.SimpleQueue[CrashReport] = queue.SimpleQueue()
        self._timer = QTimer(self)
        self._timer.setInterval(POLL_MS)
        self._timer.timeout.connect(self.drain)

    # ---- hooks ----------------------------------------------------------------------------
    def install(self) -> None:
        self._previous_hook = sys.excepthook
        self._previous_thread_hook = threading.excepthook
        sys.excepthook = self.excepthook
        threading.excepthook = self.thread_excepthook
        self._timer.start()

    def uninstall(self) -> None:
        if sys.excepthook == self.excepthook and self._previous_hook is not None:
            sys.excepthook = self._previous_hook
        if threading.excepthook == self.thread_excepthook and self._previous_thread_hook:
            threading.excepthook = self._previous_thread_hook
        self._timer.stop()

    def excepthook(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if issubclass(exc_type, KeyboardInterrupt | SystemExit) or self._busy:
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
            return
        self._busy = True
        try:
            report = self.record(exc, tb)
            self.show(report)
        except Exception:  # never an error loop: the interpreter's own hook then
            (self._previous_hook or sys.__excepthook__)(exc_type, exc, tb)
        finally:
            self._busy = False

    def thread_excepthook(self, args: threading.ExceptHookArgs) -> None:
        if args.exc_value is None or issubclass(args.exc_type, SystemExit):
            return
        thread = args.thread.name if args.thread is not None else None
        try:
            report = self.record(args.exc_value, args.exc_traceback, thread=thread)
        except Exception:
            if self._previous_thread_hook is not None:
                self._previous_thread_hook(args)
            return
        self._waiting.put(report)  # shown by the UI thread (drain)

    # ---- reports --------------------------------------------------------------------------
    def record(
        self, exc: BaseException, tb: TracebackType | None = None, *, thread: str | None = None
    ) -> CrashReport:
        """Build the report, write it to the log and to the console (no patient data)."""
        if tb is not None and exc.__traceback__ is None:
            exc = exc.with_traceback(tb)
        report = crash_report.build(exc, context=self._context(), thread=thread)
        count = self._counts[report.reference] = self._counts.get(report.reference, 0) + 1
        if count <= FULL_LOGS_PER_REFERENCE:
            self._log.error(
                "unexpected error %s: %s\n%s", report.reference, report.summary, report.text
            )
        elif count % 100 == 0:
            self._log.error("unexpected error %s again (%d times)", report.reference, count)
        if sys.stderr is not None and count <= FULL_LOGS_PER_REFERENCE:
            with contextlib.suppress(OSError, ValueError):
                sys.stderr.write(report.text)
        return report

    def show(self, report: CrashReport) -> CrashDialog | None:
        if QApplication.instance() is None:
            return None
        if self.dialog is not None:
            self.dialog.add_report(report)
            return self.dialog
        dialog = CrashDialog(report, self._log_file, QApplication.activeWindow())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._closed)
        dialog.quit_requested.connect(QApplication.closeAllWindows)
        self.dialog = dialog
        dialog.show()
        self.shown.emit(dialog)
        return dialog

    def drain(self) -> None:
        while True:
            try:
                report = self._waiting.get_nowait()
            except queue.Empty:
                return
            self.show(report)

    def _closed(self, _result: int) -> None:
        self.dialog = None


def qt_context() -> dict[str, str]:
    """Versions for the report (no data): Qt, PySide6, the Qt platform."""
    import PySide6
    from PySide6.QtCore import qVersion

    app = QGuiApplication.instance()
    platform = app.platformName() if isinstance(app, QGuiApplication) else "?"
    return {"Qt": f"{qVersion()} (PySide6 {PySide6.__version__}, plateforme {platform})"}
