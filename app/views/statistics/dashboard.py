"""The activity dashboard: « Is the GP – social worker collaboration working? »

Filters at the top; the figures are computed by the statistics service off the UI thread
(``TaskRunner``), with a progress bar and a « Annuler » button that stops the computation
between two queries; then the key figures, and one tab per section (charts and tables).
The tables export as CSV files (one per table) and the whole as the activity report (PDF).
Every figure arrives masked from the service: this view shows what it is given.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)
from shiboken6 import isValid

from app.i18n import _
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.statistics.model import MASKING_NOTE, Dashboard, StatisticsCancelled
from app.views.common.tasks import TaskRunner
from app.views.statistics.filters import FilterBar
from app.views.statistics.ports import StatisticsPort
from app.views.statistics.sections import headlines_panel, section_page


class StatisticsDashboard(QWidget):
    """``finished`` is emitted each time a computation or an export ends (tests wait on it)."""

    finished = Signal()

    def __init__(
        self,
        statistics: StatisticsPort,
        actor: Actor,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("statisticsDashboard")
        self._statistics = statistics
        self._actor = actor
        self._runner = runner
        self._cancel: threading.Event | None = None
        self.dashboard: Dashboard | None = None
        self.last_export: list[Path] = []
        self._closed = False
        try:
            professionals = statistics.professionals(actor)
        except RelaisError:  # refused (and audited): the status line says why
            professionals = []
        self.filters = FilterBar(statistics.default_filter(actor), professionals)
        self.filters.changed.connect(self.refresh)
        self.csv_button = QPushButton(self.tr("&Exporter les tableaux (CSV)…"))
        self.csv_button.setObjectName("statisticsCsv")
        self.csv_button.clicked.connect(self.export_csv)
        self.pdf_button = QPushButton(self.tr("&Rapport d'activité (PDF)…"))
        self.pdf_button.setObjectName("statisticsPdf")
        self.pdf_button.clicked.connect(self.export_pdf)
        self.progress = QProgressBar()
        self.progress.setObjectName("statisticsProgress")
        self.cancel_button = QPushButton(self.tr("&Annuler"))
        self.cancel_button.setObjectName("statisticsCancel")
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel()
        self.status.setObjectName("statisticsStatus")
        self.status.setWordWrap(True)
        self.headlines = QWidget()
        self.tabs = QTabWidget()
        self.tabs.setObjectName("statisticsTabs")
        note = QLabel(_(MASKING_NOTE))  # a service message: gettext
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")

        actions = QHBoxLayout()
        actions.addWidget(self.progress, 1)
        actions.addWidget(self.cancel_button)
        actions.addWidget(self.status, 2)
        actions.addWidget(self.csv_button)
        actions.addWidget(self.pdf_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filters)
        layout.addLayout(actions)
        layout.addWidget(self.headlines)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(note)
        self._set_running(False)
        self.refresh()

    # ---- computing ----------------------------------------------------------------------
    @property
    def running(self) -> bool:
        return self._cancel is not None

    def _set_running(self, running: bool) -> None:
        self.progress.setVisible(running)
        self.cancel_button.setVisible(running)
        for button in (self.csv_button, self.pdf_button):
            button.setEnabled(not running and self.dashboard is not None)

    def _run(self, task: Callable, success: Callable, *, progress: bool = False) -> None:
        if self._runner is None:
            try:
                result = task(lambda _d, _t: None)
            except Exception as exc:  # shown in French, like the background case
                self._failed(exc)
            else:
                success(result)
            return
        self._runner.run(
            task,
            success=self._alive(success),
            failure=self._alive(self._failed),
            progress=self._alive(self._progressed) if progress else None,
            write=True,  # each reading is audited
        )

    def _alive(self, callback: Callable) -> Callable:
        """``callback``, unless the dashboard was closed meanwhile (its tab, the session)."""

        def call(*args) -> None:  # type: ignore[no-untyped-def]
            if not self._closed and isValid(self):
                callback(*args)

        return call

    def close_down(self) -> None:
        """Closing: stop the computation; what is still running reports to no one."""
        self._closed = True
        if self._cancel is not None:
            self._cancel.set()

    def refresh(self) -> None:
        """Compute the figures for the filters shown (a running computation is cancelled)."""
        if self._cancel is not None:
            self._cancel.set()
        cancel = threading.Event()
        self._cancel = cancel
        flt = self.filters.value()
        statistics, actor = self._statistics, self._actor
        self.progress.setRange(0, 0)
        self.status.setText(self.tr("Calcul des statistiques…"))
        self._set_running(True)

        def task(report):
            return statistics.dashboard(actor, flt, progress=report, cancelled=cancel.is_set)

        def done(dashboard: Dashboard) -> None:
            if self._cancel is cancel:
                self._cancel = None
                self.show_dashboard(dashboard)

        self._run(task, done, progress=True)

    def cancel(self) -> None:
        if self._cancel is not None:
            self._cancel.set()
            self.status.setText(self.tr("Annulation…"))

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, total)
        self.progress.setValue(done)

    def _failed(self, error: BaseException) -> None:
        superseded = self._cancel is not None and not self._cancel.is_set()
        if isinstance(error, StatisticsCancelled) and superseded:
            return  # an earlier computation, stopped for a newer one
        self._cancel = None
        self._set_running(False)
        if isinstance(error, StatisticsCancelled):
            self.status.setText(
                self.tr("Calcul annulé : les chiffres affichés sont les précédents.")
            )
        elif isinstance(error, RelaisError):
            self.status.setText(error.message)
        else:
            self.status.setText(self.tr("Les statistiques n'ont pas pu être calculées."))
        self.finished.emit()

    def show_dashboard(self, dashboard: Dashboard) -> None:
        self.dashboard = dashboard
        self._set_running(False)
        self.status.setText(
            self.tr("{scope}, {period} — {category}").format(
                scope=dashboard.scope_label,
                period=dashboard.period_label,
                category=dashboard.category_label,
            )
        )
        panel = headlines_panel(dashboard)
        self.layout().replaceWidget(self.headlines, panel)
        _discard(self.headlines)
        self.headlines = panel
        current = self.tabs.currentIndex()
        while self.tabs.count():
            page = self.tabs.widget(0)
            self.tabs.removeTab(0)
            _discard(page)
        for section in dashboard.sections:
            self.tabs.addTab(section_page(section, dashboard), section.title)
        self.tabs.setCurrentIndex(max(0, current))
        self.finished.emit()

    # ---- exports ------------------------------------------------------------------------
    def export_csv(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Dossier des tableaux CSV"))
        if folder:
            self.export_csv_to(Path(folder))

    def export_csv_to(self, folder: Path) -> None:
        if self.dashboard is None:
            return
        statistics, actor, dashboard = self._statistics, self._actor, self.dashboard

        def done(paths: list[Path]) -> None:
            self.last_export = paths
            self.status.setText(
                self.tr("{n} tableaux enregistrés dans {folder}").format(
                    n=len(paths), folder=folder
                )
            )
            self.finished.emit()

        self._run(lambda _r: statistics.export_csv(actor, dashboard, folder), done)

    def export_pdf(self) -> None:
        name, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Rapport d'activité"), "rapport-activite.pdf", self.tr("PDF (*.pdf)")
        )
        if name:
            self.export_pdf_to(Path(name))

    def export_pdf_to(self, path: Path) -> None:
        if self.dashboard is None:
            return
        statistics, actor, dashboard = self._statistics, self._actor, self.dashboard

        def task(_report) -> list[Path]:
            data = statistics.report_pdf(actor, dashboard)
            try:
                path.write_bytes(data)
            except OSError as exc:
                raise RelaisError(
                    f"Le rapport n'a pas pu être enregistré : {exc.strerror}."
                ) from exc
            return [path]

        def done(paths: list[Path]) -> None:
            self.last_export = paths
            self.status.setText(self.tr("Rapport d'activité enregistré : {path}").format(path=path))
            self.finished.emit()

        self._run(task, done)


def _discard(widget: QWidget) -> None:
    """Out of the dashboard at once (``findChild`` no longer finds it), deleted later."""
    widget.hide()
    widget.setParent(None)
    widget.deleteLater()
