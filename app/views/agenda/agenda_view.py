"""« Agenda »: a professional's consultation sessions by day or by week, with the referrals
to schedule and the waiting list beside them (``agenda_side``).

Everyone on the team reads times and names; the social worker and the secretariat book,
confirm and cancel — for the others the agenda is read-only, without booking buttons or
panels (``SchedulingService.capabilities``). The « Motif » column exists only for the
appointment's professional (the service leaves the reason empty for everyone else).

By keyboard: Return on a free slot books it, on an appointment opens it; Return on a row of
« Orientations à planifier » opens the slot picker. The shell's menu bar calls
:meth:`AgendaWidget.book_selected`.
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHeaderView,
    QLabel,
    QSplitter,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    SlotRecord,
    fr_date,
    month_name,
)
from app.views.agenda.agenda_actions import AppointmentDialog, start_consultation
from app.views.agenda.agenda_calls import CallListDialog
from app.views.agenda.agenda_export import ExportDialog
from app.views.agenda.agenda_sessions import SessionsDialog
from app.views.agenda.agenda_side import AgendaSidePanel
from app.views.agenda.agenda_toolbar import agenda_toolbar
from app.views.agenda.booking_dialog import BookSlotDialog
from app.views.agenda.day_width import REASON_LEAST_WIDTH, stretch_reason
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.scheduling_model import AgendaRow, DayModel, WeekModel, agenda_rows
from app.views.agenda.ui import fit_columns, focus_later, keyboard_friendly
from app.views.common.keyboard import on_activate
from app.views.common.responsive import stack_when_narrow, widen_first_pane
from app.views.common.widgets import error_label, record_table

DAY, WEEK = "day", "week"

__all__ = ["DAY", "WEEK", "AgendaWidget", "ExportDialog", "week_title"]


def week_title(monday: date) -> str:
    sunday = monday + timedelta(days=6)
    end = f"{sunday.day} {month_name(sunday.month)} {sunday.year}"
    start = str(monday.day)
    if monday.month != sunday.month:
        start += f" {month_name(monday.month)}"
        if monday.year != sunday.year:
            start += f" {monday.year}"
    return QCoreApplication.translate("Agenda", "Semaine du {start} au {end}").format(
        start=start, end=end
    )


class AgendaWidget(QWidget):
    """The agenda tab of the workspace."""

    open_patient = Signal(int)

    def __init__(
        self,
        services,
        actor: Actor,
        *,
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agenda")
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self._debounce = debounce_ms
        self.capabilities = self._ports.scheduling.capabilities(actor)
        self.can_book = self.capabilities.book
        self.mode = DAY
        self.day = clinic_today(self._ports.clock)
        self.days: list[AgendaDay] = []
        self.dialog: QDialog | None = None  # the one dialog opened from here
        self.consultation: QWidget | None = None
        self._shown = False
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(self._centre())
        self.side = self._side_panel(splitter) if self.can_book else None
        stack_when_narrow(splitter)  # the side panel goes below the day when narrow
        self.error = error_label()
        self.error.setObjectName("agendaError")
        layout = QVBoxLayout(self)
        layout.addLayout(agenda_toolbar(self))
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        self._load_professionals()
        self._connect()
        self.reload()

    # ---- builders -------------------------------------------------------------------------
    def _centre(self) -> QWidget:
        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.banner = QLabel()
        self.banner.setObjectName("agendaBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffb300; padding: 6px; color: #3e2723;"
        )
        self.banner.hide()
        self.stack = QStackedWidget()
        self.stack.addWidget(self._day_table())
        self.stack.addWidget(self._week_table())
        self.hint = QLabel(self._hint_text())
        self.hint.setObjectName("agendaHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #455a64;")
        centre = QWidget()
        column = QVBoxLayout(centre)
        column.setContentsMargins(0, 0, 0, 0)
        for widget, stretch in ((self.title, 0), (self.banner, 0), (self.stack, 1), (self.hint, 0)):
            column.addWidget(widget, stretch)
        return centre

    def _hint_text(self) -> str:
        if self.can_book:
            return self.tr(
                "Entrée ou double-clic sur un créneau libre pour fixer un rendez-vous, sur un "
                "rendez-vous pour le confirmer, l'annuler ou imprimer la convocation."
            )
        return self.tr(
            "Agenda en lecture seule. Entrée ou double-clic sur un rendez-vous pour le détail."
        )

    def _day_table(self) -> QTableView:
        self.day_model = DayModel(self)
        self.day_table = fit_columns(
            record_table(self.day_model, name="agendaDayTable"), DayModel.PATIENT
        )
        self.day_table.setAccessibleName(self.tr("Créneaux du jour"))
        self.day_table.horizontalHeader().setMinimumSectionSize(60)
        # Return and the double click (once per gesture).
        on_activate(self.day_table, self._day_activated)
        return self.day_table

    def _week_table(self) -> QTableView:
        self.week_model = WeekModel(self)
        self.week_table = QTableView()
        self.week_table.setObjectName("agendaWeekTable")
        self.week_table.setAccessibleName(self.tr("Créneaux de la semaine"))
        self.week_table.setModel(self.week_model)
        self.week_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.week_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.week_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.week_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.week_table.setWordWrap(True)
        keyboard_friendly(self.week_table)
        on_activate(self.week_table, self._week_activated)
        return self.week_table

    def _side_panel(self, splitter: QSplitter) -> AgendaSidePanel:
        side = AgendaSidePanel(
            self._ports,
            self._actor,
            professional=self.professional_id,
            open_dialog=self._open,
            debounce_ms=self._debounce,
        )
        side.booked.connect(self.reload)
        side.failed.connect(self._fail)
        # The names the shell, the screenshots and the tests reach.
        self.to_schedule, self.to_schedule_model = side.to_schedule, side.to_schedule_model
        self.waiting, self.waiting_model = side.waiting, side.waiting_model
        self.schedule_button = side.schedule_button
        self.add_waiting_button = side.add_waiting_button
        self.book_waiting_button = side.book_waiting_button
        self.remove_waiting_button = side.remove_waiting_button
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        splitter.setSizes([820, max(620, side.sizeHint().width())])
        return side

    def _connect(self) -> None:
        for keys, direction in ((QKeySequence("Alt+Left"), -1), (QKeySequence("Alt+Right"), 1)):
            shortcut = QShortcut(keys, self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda d=direction: self.step(d))
        self.professional.currentIndexChanged.connect(lambda _i: self.reload())
        self.day_button.clicked.connect(lambda: self.set_mode(DAY))
        self.week_button.clicked.connect(lambda: self.set_mode(WEEK))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.go_to(clinic_today(self._ports.clock)))
        self.date_edit.dateChanged.connect(lambda d: self.go_to(d.toPython()))
        self.calls_button.clicked.connect(self.open_calls)
        self.sessions_button.clicked.connect(self.open_sessions)
        self.export_button.clicked.connect(self.open_export)

    # ---- state --------------------------------------------------------------------------
    def _load_professionals(self) -> None:
        try:
            professionals = self._ports.scheduling.professionals(self._actor)
        except RelaisError as exc:
            professionals = []
            self._fail(exc.message)
        self.professional.blockSignals(True)
        for pid, name in professionals:
            self.professional.addItem(name, pid)
        own = self.professional.findData(self._actor.user_id)
        self.professional.setCurrentIndex(own if own >= 0 else 0)
        self.professional.blockSignals(False)

    def professional_id(self) -> int | None:
        return self.professional.currentData()

    def shows_reason(self) -> bool:
        return self.capabilities.sees_reason(self.professional_id())

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.day_button.setChecked(mode == DAY)
        self.week_button.setChecked(mode == WEEK)
        self.stack.setCurrentIndex(0 if mode == DAY else 1)
        self.reload()

    def step(self, direction: int) -> None:
        self.go_to(self.day + timedelta(days=direction * (1 if self.mode == DAY else 7)))

    def go_to(self, day: date) -> None:
        self.day = day
        if self.date_edit.date().toPython() != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(QDate(day))
            self.date_edit.blockSignals(False)
        self.reload()

    def period(self) -> tuple[date, date]:
        if self.mode == DAY:
            return self.day, self.day
        monday = self.day - timedelta(days=self.day.weekday())
        return monday, monday + timedelta(days=6)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- loading ------------------------------------------------------------------------
    def reload(self) -> None:
        pid = self.professional_id()
        start, end = self.period()
        self.error.hide()
        if pid is None:
            self.days = []
            self.title.setText(self.tr("Aucune permanence n'est encore définie."))
        else:
            try:
                self.days = self._ports.scheduling.agenda(
                    self._actor, start, end, professional_id=pid
                )
            except RelaisError as exc:
                self.days = []
                self._fail(exc.message)
        self.day_model.set_show_reason(self.shows_reason())
        stretch_reason(self.day_table, self.day_model)
        if self.mode == DAY:
            self._show_day()
        else:
            self._show_week(start)
        self.reload_side()
        if self.day_model.show_reason and self.mode == DAY:
            QTimer.singleShot(0, self, self._widen_day)

    def _widen_day(self) -> None:
        """Her own day takes once from the side panel what its columns need (all but
        « Motif », which gives way) and ``REASON_LEAST_WIDTH``."""
        if self.side is not None:
            widen_first_pane(
                self.splitter,
                [self.day_table],
                room=REASON_LEAST_WIDTH,
                leaving_out=self.day_model.column_of(DayModel.REASON),
                second_least=self.side.least_width,
            )

    def _show_day(self) -> None:
        day = next((d for d in self.days if d.day == self.day), None)
        rows = agenda_rows(day) if day is not None else []
        self.day_model.set_rows(rows)
        self.title.setText(fr_date(self.day).capitalize())
        if day is not None and day.skipped:
            self.banner.setText(
                self.tr("Pas de permanence ce jour : {why}.").format(why=day.skipped)
            )
        elif not rows:
            self.banner.setText(self.tr("Aucune permanence ce jour."))
        else:
            free = sum(1 for r in rows if r.free)
            self.banner.setText("")
            self.title.setText(
                self.tr(
                    "{day} — %n créneau(x), {free}", "", sum(1 for r in rows if not r.cancelled)
                ).format(
                    day=fr_date(self.day).capitalize(),
                    free=self.tr("%n libre(s)", "", free),
                )
            )
        self.banner.setVisible(bool(self.banner.text()))

    def _show_week(self, monday: date) -> None:
        self.week_model.set_days(self.days)
        self.title.setText(week_title(monday))
        skipped = [d for d in self.days if d.skipped]
        if skipped:
            self.banner.setText(
                "\n".join(
                    self.tr("Pas de permanence le {day} : {why}.").format(
                        day=fr_date(d.day), why=d.skipped
                    )
                    for d in skipped
                )
            )
        elif not self.week_model.rowCount():
            self.banner.setText(self.tr("Aucune permanence cette semaine."))
        else:
            self.banner.setText("")
        self.banner.setVisible(bool(self.banner.text()))

    def reload_side(self) -> None:
        if self.side is not None:
            self.side.reload()

    # ---- the slots ----------------------------------------------------------------------
    def _day_activated(self, index: QModelIndex) -> None:
        self.activate(self.day_model.row_at(index.row()))

    def _week_activated(self, index: QModelIndex) -> None:
        self.activate(self.week_model.row_at(index))

    def activate(self, row: AgendaRow | None) -> QDialog | None:
        """A free slot → book it (roles that book); an appointment → its dialog."""
        if row is None:
            return None
        if row.appointment is not None:
            return self.open_appointment(row.appointment)
        if not self.can_book:
            return None
        if row.starts_at <= self._ports.clock():
            self._fail(self.tr("Ce créneau est déjà passé."))
            return None
        slot = SlotRecord(
            row.session_id or 0,
            row.professional_id,
            row.starts_at,
            row.ends_at,
            row.place,
            row.room,
        )
        dialog = BookSlotDialog(
            self._ports,
            self._actor,
            slot,
            self.professional.currentText(),
            debounce_ms=self._debounce,
            parent=self,
        )
        dialog.booked.connect(lambda _a: self.reload())
        dialog.slot_taken.connect(self.reload)
        return self._open(dialog, back_to=self.stack.currentWidget())

    def row_for(self, starts_at) -> AgendaRow | None:
        """The day view's line starting at ``starts_at`` (tests, keyboard users)."""
        return next(
            (r for r in self.day_model.rows() if r.starts_at == starts_at and not r.cancelled),
            None,
        )

    def open_appointment(self, appointment: AppointmentRecord) -> QDialog:
        with contextlib.suppress(RelaisError):  # else show what the agenda had
            appointment = self._ports.scheduling.appointment(self._actor, appointment.id)
        dialog = AppointmentDialog(
            self._ports, self._actor, appointment, can_book=self.can_book, parent=self
        )
        dialog.changed.connect(lambda _a: self.reload())
        dialog.open_patient.connect(self.open_patient)
        dialog.consult.connect(self.consult)
        return self._open(dialog, back_to=self.stack.currentWidget())

    def consult(self, appointment: AppointmentRecord) -> QWidget | None:
        """« Démarrer la consultation » (the appointment's social worker)."""
        self.consultation = start_consultation(
            self, self._ports, self._actor, appointment, lambda _a: self.reload()
        )
        return self.consultation

    def _open(self, dialog: QDialog, back_to: QWidget | None = None) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d, back_to))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog, back_to: QWidget | None) -> None:
        if self.dialog is dialog:
            self.dialog = None
        focus_later(back_to)

    # ---- for the menu bar and the keyboard ----------------------------------------------------
    def showEvent(self, event) -> None:
        super().showEvent(event)
        if not self._shown:
            self._shown = True
            focus_later(self.work_widget())

    def work_widget(self) -> QWidget:
        """Where the work starts: the referrals to schedule when some wait for those who
        book, the day's slots otherwise."""
        if self.side is not None and self.to_schedule_model.rowCount():
            self.side.setCurrentIndex(self.side.TO_SCHEDULE)
            if not self.to_schedule.selectionModel().hasSelection():
                self.to_schedule.selectRow(0)
            return self.to_schedule
        return self.stack.currentWidget()

    def book_selected(self) -> QDialog | None:
        """« Fixer un rendez-vous… »: the selected referral to schedule (or waiting-list
        entry) gets the slot picker — the first referral when none is selected. None when
        there is nothing to book or the user does not book."""
        if self.side is None:
            return None
        return self.side.book_selected()

    def schedule_referral(self) -> QDialog | None:
        """The slot picker for the selected row of « Orientations à planifier »."""
        return self.side.schedule_referral() if self.side is not None else None

    def book_waiting(self) -> QDialog | None:
        return self.side.book_waiting() if self.side is not None else None

    def add_waiting(self) -> QDialog | None:
        return self.side.add_waiting() if self.side is not None else None

    def remove_waiting(self) -> None:
        if self.side is not None:
            self.side.remove_waiting()

    # ---- other windows ----------------------------------------------------------------------
    def open_calls(self) -> QDialog:
        dialog = CallListDialog(self._ports, self._actor, self)
        dialog.changed.connect(self.reload)
        return self._open(dialog, back_to=self.calls_button)

    def open_sessions(self) -> QDialog:
        dialog = SessionsDialog(self._ports, self._actor, self)
        dialog.changed.connect(self._sessions_changed)
        return self._open(dialog, back_to=self.sessions_button)

    def _sessions_changed(self) -> None:
        current = self.professional_id()
        self.professional.blockSignals(True)
        self.professional.clear()
        self.professional.blockSignals(False)
        self._load_professionals()
        index = self.professional.findData(current)
        if index >= 0:
            self.professional.setCurrentIndex(index)
        self.reload()

    def open_export(self) -> QDialog | None:
        pid = self.professional_id()
        if pid is None:
            return None
        dialog = ExportDialog(self._ports, self._actor, pid, self.professional.currentText(), self)
        return self._open(dialog, back_to=self.export_button)
