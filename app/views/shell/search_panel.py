"""Patient search: results update as you type; Enter or double-click opens the file. With an
empty search box, the patients this user opened lately (newest first)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QFont, QFontMetrics, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Sex
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import PatientSummary
from app.services.patient_file.records import SearchResult
from app.views.common.labels import date_fr, sex_label
from app.views.ports import PatientsPort
from app.views.shell.search_model import PatientIdRole, PatientSearchModel

DEBOUNCE_MS = 150
RecentSource = Callable[[], list[PatientSummary]]


class SearchPanel(QWidget):
    open_patient = Signal(int)
    new_patient = Signal()

    def __init__(
        self,
        patients: PatientsPort,
        actor: Actor,
        *,
        can_create: bool,
        debounce_ms: int = DEBOUNCE_MS,
        recent: RecentSource | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("searchPanel")
        self._patients = patients
        self._actor = actor
        self._recent_source = recent

        self.search = QLineEdit()
        self.search.setObjectName("searchBox")
        self.search.setClearButtonEnabled(True)
        self.search.setPlaceholderText(
            self.tr("Rechercher un patient : nom, prénom, date de naissance (jj/mm/aaaa) ou NIR")
        )
        self.search.setMinimumHeight(32)
        self.new_button = QPushButton(self.tr("Nouveau patient"), self)  # a child: never a window
        self.new_button.setObjectName("newPatientButton")
        if not can_create:  # (showing it before it has a parent would open it as a window)
            self.new_button.hide()
        self.status = QLabel()
        self.status.setObjectName("searchStatus")
        self.status.setWordWrap(True)

        self._build_lists()

        top = QHBoxLayout()
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.status)
        layout.addWidget(self.recent_label)
        layout.addWidget(self.recent, 1)
        layout.addWidget(self.table, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(debounce_ms)
        self._timer.timeout.connect(self.run_search)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.textChanged.connect(lambda _text: self._show_recent())
        self.search.returnPressed.connect(self._open_from_search_box)
        self.search.installEventFilter(self)
        self.table.activated.connect(self._open_index)
        self.table.doubleClicked.connect(self._open_index)
        self.new_button.clicked.connect(self.new_patient)
        self.model.modelReset.connect(self._update_status)
        self.model.rowsInserted.connect(self._update_status)
        self._update_status()
        self._show_recent()

    def _build_lists(self) -> None:
        """The results table and the recent patients' list (shown while nothing is typed)."""
        self.model = PatientSearchModel(self._fetch, parent=self)
        self.table = QTableView()
        self.table.setObjectName("searchResults")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.setTabKeyNavigation(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(PatientSearchModel.NAME, QHeaderView.ResizeMode.Stretch)
        # The other columns as wide as what they show (in this font, at this scale), so the
        # name keeps the room left, in a narrow dialog (« Autre patient ») as in the window.
        metrics = self.table.fontMetrics()
        bold = QFont(self.table.font())
        bold.setBold(True)  # the headers' font, with some styles
        titles = QFontMetrics(bold)
        for column, longest in (
            (PatientSearchModel.BIRTH_DATE, "00/00/0000"),
            (
                PatientSearchModel.SEX,
                max((sex_label(s) for s in Sex), key=metrics.horizontalAdvance),
            ),
            (PatientSearchModel.NIR, "2 00 00 2A 000 000 00"),
            (PatientSearchModel.CITY, "Sotteville-lès-Rouen"),  # longer ones elide
        ):
            title = str(self.model.headerData(column, Qt.Orientation.Horizontal))
            text = max(metrics.horizontalAdvance(longest), titles.horizontalAdvance(title))
            self.table.setColumnWidth(column, text + 4 * metrics.averageCharWidth())

        self.recent_label = QLabel(self.tr("<b>Patients récents</b>"))
        self.recent_label.setObjectName("recentLabel")
        self.recent = QListWidget()
        self.recent.setObjectName("recentPatients")
        self.recent.setAccessibleName(self.tr("Patients récents"))
        self.recent.setToolTip(self.tr("Les derniers dossiers que vous avez ouverts"))
        self.recent.itemActivated.connect(self._open_recent)
        self.recent_label.setBuddy(self.recent)

    # ---- recent patients ----------------------------------------------------------------
    def refresh_recent(self) -> None:
        """Reload the recent patients (shown while the search box is empty)."""
        rows: list[PatientSummary] = []
        if self._recent_source is not None:
            try:
                rows = self._recent_source()
            except RelaisError:
                rows = []
        self.show_recent_patients(rows)

    def show_recent_patients(self, rows: list[PatientSummary]) -> None:
        self.recent.clear()
        for summary in rows:
            item = QListWidgetItem(
                self.tr("{name} — {date}").format(
                    name=summary.display_name, date=date_fr(summary.birth_date)
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, summary.id)
            self.recent.addItem(item)
        self._show_recent()

    def recent_ids(self) -> list[int]:
        return [
            self.recent.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.recent.count())
        ]

    def _show_recent(self) -> None:
        show = not self.search.text().strip() and self.recent.count() > 0
        self.recent.setVisible(show)
        self.recent_label.setVisible(show)
        self.table.setVisible(not show)

    def _open_recent(self, item: QListWidgetItem) -> None:
        patient_id = item.data(Qt.ItemDataRole.UserRole)
        if patient_id is not None:
            self.open_patient.emit(int(patient_id))

    # ---- searching ----------------------------------------------------------------------
    def _fetch(self, query: str, limit: int, offset: int) -> SearchResult:
        return self._patients.search(self._actor, query, limit=limit, offset=offset)

    def run_search(self) -> None:
        self._timer.stop()
        self._show_recent()
        try:
            self.model.set_query(self.search.text())
        except RelaisError as exc:
            self.model.clear()
            self.status.setText(exc.message)
            return
        if self.model.rowCount() > 0:
            self.table.selectRow(0)

    @property
    def pending(self) -> bool:
        return self._timer.isActive()

    def _update_status(self) -> None:
        count = self.model.rowCount()
        if not self.model.query:
            text = self.tr(
                "Tapez les premières lettres du nom et/ou du prénom (« dupre jean »), une date "
                "de naissance ou un NIR."
            )
        elif count == 0:
            text = self.tr("Aucun patient ne correspond à « {query} ».").format(
                query=self.model.query
            )
        elif self.model.has_more:
            text = self.tr("{n} premiers patients (faites défiler pour la suite)").format(n=count)
        elif count == 1:
            text = self.tr("1 patient")
        else:
            text = self.tr("%n patient(s)", "", count)
        self.status.setText(text)

    # ---- opening ------------------------------------------------------------------------
    def focus_search(self) -> None:
        self.search.setFocus(Qt.FocusReason.OtherFocusReason)
        self.search.selectAll()

    def selected_patient_id(self) -> int | None:
        index = self.table.currentIndex()
        if not index.isValid() and self.model.rowCount() > 0:
            index = self.model.index(0, 0)
        if not index.isValid():
            return None
        return self.model.data(index, PatientIdRole)

    def _open_from_search_box(self) -> None:
        if self._timer.isActive():
            self.run_search()
        if not self.recent.isHidden():
            return
        patient_id = self.selected_patient_id()
        if patient_id is not None:
            self.open_patient.emit(patient_id)

    def _open_index(self, index: QModelIndex) -> None:
        patient_id = self.model.data(index, PatientIdRole)
        if patient_id is not None:
            self.open_patient.emit(patient_id)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # Up/Down in the search box move the selection in the results.
        if watched is self.search and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            if event.key() == Qt.Key.Key_Down and not self.recent.isHidden():
                self.recent.setFocus(Qt.FocusReason.OtherFocusReason)
                self.recent.setCurrentRow(0)
                return True
            if event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.model.rowCount():
                row = max(self.table.currentIndex().row(), 0)
                step = 1 if event.key() == Qt.Key.Key_Down else -1
                if self.table.currentIndex().isValid():
                    row += step
                row = min(max(row, 0), self.model.rowCount() - 1)
                if row >= self.model.rowCount() - 1 and self.model.canFetchMore():
                    self.model.fetchMore()
                self.table.selectRow(row)
                return True
        return super().eventFilter(watched, event)


class _NoPatients:
    def search(self, *_args, **_kwargs) -> SearchResult:
        return SearchResult([], False)


def warm_up() -> None:
    """Build and drop one search panel: PySide6 creates its enum classes and Qt its item-view
    machinery on first use (tens of ms); paid at start-up, not when the first user logs in."""
    panel = SearchPanel(_NoPatients(), None, can_create=False)  # type: ignore[arg-type]
    panel.deleteLater()
