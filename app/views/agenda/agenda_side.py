"""The panel beside the agenda for those who book: « Orientations à planifier » (urgent
first, then the newest) and the waiting list. Return or a double click on a row books it;
after the booking dialog the focus comes back to the list, on the next row to schedule."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.side_models import ToScheduleModel, WaitingModel
from app.views.agenda.slot_picker import SlotPickerDialog
from app.views.agenda.ui import fit_columns, focus_later
from app.views.agenda.waiting_add import WaitingAddDialog
from app.views.common.keyboard import on_activate
from app.views.common.widgets import columns_width, record_table


class AgendaSidePanel(QTabWidget):
    """Referrals to schedule and the waiting list of the agenda's professional."""

    booked = Signal()  # an appointment was booked: the agenda reloads
    failed = Signal(str)  # a French message for the agenda's error line

    TO_SCHEDULE, WAITING = range(2)

    def __init__(
        self,
        ports: AgendaPorts,
        actor: Actor,
        *,
        professional: Callable[[], int | None],
        open_dialog: Callable[[QDialog], QDialog],
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agendaSide")
        self._ports = ports
        self._actor = actor
        self._professional = professional
        self._open = open_dialog
        self._debounce = debounce_ms
        self.to_schedule_model = ToScheduleModel(self)
        self.to_schedule_model.failed.connect(self.failed)  # a later page could not be read
        self.waiting_model = WaitingModel(self)
        self.addTab(self._to_schedule_page(), self.tr("Orientations à planifier"))
        self.addTab(self._waiting_page(), self.tr("Liste d'attente"))

    # ---- builders -------------------------------------------------------------------------
    def _to_schedule_page(self) -> QWidget:
        self.to_schedule = self._table(self.to_schedule_model, "toScheduleTable")
        self.to_schedule.setAccessibleName(self.tr("Orientations à planifier"))
        on_activate(self.to_schedule, lambda _i: self.schedule_referral())
        self.schedule_button = self._button(
            self.tr("Fixer un &rendez-vous…"), "scheduleReferral", self.schedule_referral
        )
        return self._page(self.to_schedule, self.schedule_button)

    def _waiting_page(self) -> QWidget:
        self.waiting = self._table(self.waiting_model, "waitingTable")
        self.waiting.setAccessibleName(self.tr("Liste d'attente"))
        on_activate(self.waiting, lambda _i: self.book_waiting())
        self.add_waiting_button = self._button(
            self.tr("I&nscrire…"), "addWaiting", self.add_waiting
        )
        self.book_waiting_button = self._button(
            self.tr("Fixer un rende&z-vous…"), "bookWaiting", self.book_waiting
        )
        self.remove_waiting_button = self._button(
            self.tr("Re&tirer de la liste"), "removeWaiting", self.remove_waiting
        )
        return self._page(
            self.waiting,
            self.add_waiting_button,
            self.book_waiting_button,
            self.remove_waiting_button,
        )

    @staticmethod
    def _table(model, name: str) -> QTableView:
        return fit_columns(record_table(model, name=name), model.PATIENT)

    @staticmethod
    def _button(text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    @staticmethod
    def _page(table: QTableView, *buttons: QPushButton) -> QWidget:
        page = QWidget()
        column = QVBoxLayout(page)
        column.addWidget(table, 1)
        row = QHBoxLayout()
        for button in buttons:
            row.addWidget(button)
        row.addStretch(1)
        column.addLayout(row)
        return page

    # ---- loading --------------------------------------------------------------------------
    def reload(self) -> None:
        scheduling = self._ports.scheduling
        pid = self._professional()
        actor = self._actor
        kept = [
            getattr(self._selected(self.to_schedule, self.to_schedule_model), "id", None),
            getattr(self._selected(self.waiting, self.waiting_model), "id", None),
        ]
        try:
            total = self.to_schedule_model.start(
                lambda offset, limit: scheduling.referrals_to_schedule(
                    actor, offset=offset, limit=limit
                )
            ).total
            waiting = scheduling.waiting_list(actor, pid) if pid is not None else []
        except RelaisError as exc:
            total, waiting = 0, []
            self.to_schedule_model.clear()
            self.failed.emit(exc.message)
        referrals = self.to_schedule_model.rows()
        # « Pour » tells whose agenda each referral waits for: nothing to tell when every one
        # is the reader's own (the social worker's list), and her day needs the width.
        own = bool(referrals) and all(r.receiver_id == actor.user_id for r in referrals)
        self.to_schedule.setColumnHidden(ToScheduleModel.WITH, own)
        self.waiting_model.set_rows(waiting)
        self.setTabText(self.TO_SCHEDULE, self.tr("Orientations à planifier ({n})").format(n=total))
        self.setTabText(self.WAITING, self.tr("Liste d'attente ({n})").format(n=len(waiting)))
        # The row the user was on stays selected (a refresh from another workstation).
        for table, rows, kept_id in (
            (self.to_schedule, referrals, kept[0]),
            (self.waiting, waiting, kept[1]),
        ):
            row = table.model().row_of(kept_id) if kept_id is not None else -1
            if rows:
                table.selectRow(max(row, 0))
        self.schedule_button.setEnabled(bool(referrals))
        self.book_waiting_button.setEnabled(bool(waiting))
        self.remove_waiting_button.setEnabled(bool(waiting))

    def least_width(self) -> int:
        """The panel's width that shows the referrals to schedule whole, names included."""
        table = self.to_schedule
        chrome = self.width() - table.viewport().width()  # frames, margins, scroll bar
        return max(self.minimumSizeHint().width(), columns_width(table) + chrome)

    def _selected(self, table: QTableView, model):
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    # ---- actions --------------------------------------------------------------------------
    def book_selected(self) -> QDialog | None:
        """« Fixer un rendez-vous » for the selected row of the current list (the first
        referral to schedule when nothing is selected) — the menu bar's « Fixer un
        rendez-vous… » calls this."""
        if self.currentIndex() == self.WAITING and self.waiting_model.rowCount():
            return self.book_waiting()
        self.setCurrentIndex(self.TO_SCHEDULE)
        if (
            not self.to_schedule.selectionModel().hasSelection()
            and self.to_schedule_model.rowCount()
        ):
            self.to_schedule.selectRow(0)
        return self.schedule_referral()

    def schedule_referral(self) -> QDialog | None:
        summary = self._selected(self.to_schedule, self.to_schedule_model)
        if summary is None:
            return None
        dialog = SlotPickerDialog(
            self._ports,
            self._actor,
            patient_id=summary.patient_id,
            patient_name=summary.patient_name,
            professional_id=summary.receiver_id,
            referral_id=summary.id,
            parent=self,
        )
        return self._open_booking(dialog, self.to_schedule)

    def book_waiting(self) -> QDialog | None:
        entry = self._selected(self.waiting, self.waiting_model)
        if entry is None:
            return None
        dialog = SlotPickerDialog(
            self._ports,
            self._actor,
            patient_id=entry.patient_id,
            patient_name=entry.patient_name,
            professional_id=entry.professional_id,
            referral_id=entry.referral_id,
            waiting_entry_id=entry.id,
            parent=self,
        )
        return self._open_booking(dialog, self.waiting)

    def _open_booking(self, dialog: SlotPickerDialog, back_to: QTableView) -> QDialog:
        dialog.booked.connect(lambda _a: self.booked.emit())
        dialog.slot_taken.connect(self.booked.emit)
        dialog.finished.connect(lambda _r: self._after_dialog(back_to))
        return self._open(dialog)

    def _after_dialog(self, table: QTableView) -> None:
        """Back to the list, on the row where the work continues."""
        self.reload()
        if table.model().rowCount() and not table.selectionModel().hasSelection():
            table.selectRow(0)
        focus_later(table)

    def add_waiting(self) -> QDialog:
        dialog = WaitingAddDialog(
            self._ports,
            self._actor,
            professional_id=self._professional(),
            debounce_ms=self._debounce,
            parent=self,
        )
        dialog.added.connect(lambda _e: self.reload())
        dialog.finished.connect(lambda _r: focus_later(self.waiting))
        return self._open(dialog)

    def remove_waiting(self) -> None:
        entry = self._selected(self.waiting, self.waiting_model)
        if entry is None:
            return
        try:
            self._ports.scheduling.remove_from_waiting_list(
                self._actor, entry.id, expected_version=entry.version
            )
        except RelaisError as exc:
            self.failed.emit(exc.message)
            return
        self.reload()
