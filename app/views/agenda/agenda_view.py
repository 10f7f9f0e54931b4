"""« Agenda »: a professional's consultation sessions by day or by week, with the referrals
to schedule and the waiting list beside them.

Everyone on the team reads times and names; the social worker and the secretariat book,
confirm and cancel (``Resource.APPOINTMENT`` write) — for the others the agenda is read-only,
without booking buttons or panels. The « Motif » column exists only for the appointment's
professional (the service leaves the reason empty for everyone else).
"""

from __future__ import annotations

import contextlib
from datetime import date, timedelta

from PySide6.QtCore import QCoreApplication, QDate, QModelIndex, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.policy import Action, Resource
from app.services.scheduling.records import (
    AgendaDay,
    AppointmentRecord,
    SlotRecord,
    fr_date,
    month_name,
)
from app.views.agenda.agenda_actions import AppointmentDialog, start_consultation
from app.views.agenda.agenda_calls import CallListDialog
from app.views.agenda.agenda_sessions import SessionsDialog
from app.views.agenda.booking_dialog import BookSlotDialog, SlotPickerDialog, WaitingAddDialog
from app.views.agenda.scheduling_model import (
    AgendaRow,
    DayModel,
    ToScheduleModel,
    WaitingModel,
    WeekModel,
    agenda_rows,
)
from app.views.common import pdf_view
from app.views.common.widgets import error_label, record_table
from app.views.ports import ServicesPort

DAY, WEEK = "day", "week"


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


def _list(model, name: str, stretch: int) -> QTableView:
    table = record_table(model, name=name)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    return table


class ExportDialog(QDialog):
    """« Exporter (iCalendar)… »: a date range, then where to save the .ics file."""

    def __init__(
        self, services: ServicesPort, actor: Actor, professional_id: int, name: str, parent=None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("icsExportDialog")
        self.setWindowTitle(self.tr("Exporter l'agenda (iCalendar)"))
        self._services = services
        self._actor = actor
        self.professional_id = professional_id
        self.professional_name = name
        self.saved_to = None
        start = clinic_today(services.clock)
        self.start = QDateEdit(QDate(start))
        self.start.setObjectName("icsFrom")
        self.end = QDateEdit(QDate(start + timedelta(days=90)))
        self.end.setObjectName("icsTo")
        for edit in (self.start, self.end):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        intro = QLabel(
            self.tr(
                "Les permanences et rendez-vous de <b>{name}</b>, à importer dans un agenda "
                "(Outlook, Thunderbird, téléphone). Les noms des patients n'y figurent que "
                "pour le professionnel lui-même ; jamais de motif."
            ).format(name=name)
        )
        intro.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("Du"), self.start)
        form.addRow(self.tr("Au"), self.end)
        self.error = error_label()
        self.error.setObjectName("icsError")
        self.ok = QPushButton(self.tr("Enregistrer le fichier…"))
        self.ok.setObjectName("icsSave")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.export)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.setMinimumWidth(520)

    def export(self) -> None:
        start, end = self.start.date().toPython(), self.end.date().toPython()
        if end < start:
            self.error.setText(self.tr("La date de fin précède la date de début."))
            self.error.show()
            return
        try:
            data = self._services.scheduling.icalendar(
                self._actor, self.professional_id, start, end
            )
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        suggested = f"agenda-{start:%Y%m%d}-{end:%Y%m%d}.ics"
        path = pdf_view.save_bytes(self, data, suggested, self.tr("Agenda iCalendar (*.ics)"))
        if path is not None:
            self.saved_to = path
            self.accept()


class AgendaWidget(QWidget):
    """The agenda tab of the workspace."""

    open_patient = Signal(int)

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        *,
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("agenda")
        self._services = services
        self._actor = actor
        self._debounce = debounce_ms
        self.can_book = policy.allows(actor.role, Resource.APPOINTMENT, Action.WRITE)
        self.mode = DAY
        self.day = clinic_today(services.clock)
        self.days: list[AgendaDay] = []
        self.dialog: QDialog | None = None  # the one dialog opened from here
        self.consultation: QWidget | None = None

        # ---- toolbar --------------------------------------------------------------------
        self.professional = QComboBox()
        self.professional.setObjectName("agendaProfessional")
        self.professional.setMinimumWidth(200)
        self.day_button = QPushButton(self.tr("Jour"))
        self.day_button.setObjectName("agendaDayButton")
        self.week_button = QPushButton(self.tr("Semaine"))
        self.week_button.setObjectName("agendaWeekButton")
        group = QButtonGroup(self)
        for button in (self.day_button, self.week_button):
            button.setCheckable(True)
            group.addButton(button)
        self.day_button.setChecked(True)
        self.previous_button = QPushButton("◀")
        self.previous_button.setObjectName("agendaPrevious")
        self.previous_button.setToolTip(self.tr("Jour ou semaine précédente"))
        self.today_button = QPushButton(self.tr("Aujourd'hui"))
        self.today_button.setObjectName("agendaToday")
        self.next_button = QPushButton("▶")
        self.next_button.setObjectName("agendaNext")
        self.next_button.setToolTip(self.tr("Jour ou semaine suivante"))
        for button in (self.previous_button, self.next_button):
            button.setFixedWidth(36)
        self.date_edit = QDateEdit(QDate(self.day))
        self.date_edit.setObjectName("agendaDate")
        self.date_edit.setToolTip(self.tr("Jour affiché"))  # also its accessible name
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("dd/MM/yyyy")
        self.title = QLabel()
        self.title.setObjectName("agendaTitle")
        self.title.setStyleSheet("font-size: 13pt; font-weight: 600;")
        self.calls_button = QPushButton(self.tr("Appels de la veille…"))
        self.calls_button.setObjectName("callListButton")
        self.calls_button.setVisible(self.can_book)
        self.sessions_button = QPushButton(self.tr("Permanences…"))
        self.sessions_button.setObjectName("sessionsButton")
        self.export_button = QPushButton(self.tr("Exporter (iCalendar)…"))
        self.export_button.setObjectName("icsExportButton")
        for button in (
            self.day_button,
            self.week_button,
            self.previous_button,
            self.today_button,
            self.next_button,
            self.calls_button,
            self.sessions_button,
            self.export_button,
        ):
            button.setAutoDefault(False)
        toolbar = QHBoxLayout()
        toolbar.addWidget(QLabel(self.tr("Agenda de")))
        toolbar.addWidget(self.professional)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.day_button)
        toolbar.addWidget(self.week_button)
        toolbar.addSpacing(12)
        toolbar.addWidget(self.previous_button)
        toolbar.addWidget(self.today_button)
        toolbar.addWidget(self.next_button)
        toolbar.addWidget(self.date_edit)
        toolbar.addStretch(1)
        toolbar.addWidget(self.calls_button)
        toolbar.addWidget(self.sessions_button)
        toolbar.addWidget(self.export_button)

        # ---- the day and the week -------------------------------------------------------
        self.banner = QLabel()
        self.banner.setObjectName("agendaBanner")
        self.banner.setWordWrap(True)
        self.banner.setStyleSheet(
            "background: #fff8e1; border: 1px solid #ffb300; padding: 6px; color: #3e2723;"
        )
        self.banner.hide()
        self.day_model = DayModel(self)
        self.day_table = record_table(self.day_model, name="agendaDayTable")
        header = self.day_table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(DayModel.PATIENT, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(60)
        self.day_table.doubleClicked.connect(self._day_activated)
        self.day_table.activated.connect(self._day_activated)
        self.week_model = WeekModel(self)
        self.week_table = QTableView()
        self.week_table.setObjectName("agendaWeekTable")
        self.week_table.setModel(self.week_model)
        self.week_table.setEditTriggers(QTableView.EditTrigger.NoEditTriggers)
        self.week_table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.week_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.week_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.week_table.setWordWrap(True)
        self.week_table.doubleClicked.connect(self._week_activated)
        self.week_table.activated.connect(self._week_activated)
        self.stack = QStackedWidget()
        self.stack.addWidget(self.day_table)
        self.stack.addWidget(self.week_table)
        self.hint = QLabel(
            self.tr(
                "Double-cliquez sur un créneau libre pour fixer un rendez-vous, sur un "
                "rendez-vous pour le confirmer, l'annuler ou imprimer la convocation."
            )
            if self.can_book
            else self.tr(
                "Agenda en lecture seule. Double-cliquez sur un rendez-vous pour le détail."
            )
        )
        self.hint.setObjectName("agendaHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #455a64;")
        self.error = error_label()
        self.error.setObjectName("agendaError")
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(0, 0, 0, 0)
        centre_layout.addWidget(self.title)
        centre_layout.addWidget(self.banner)
        centre_layout.addWidget(self.stack, 1)
        centre_layout.addWidget(self.hint)

        # ---- side panel: referrals to schedule, waiting list ------------------------------
        self.side: QTabWidget | None = None
        self.to_schedule_model = ToScheduleModel(self)
        self.waiting_model = WaitingModel(self)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(centre)
        if self.can_book:
            self.side = self._side_panel()
            splitter.addWidget(self.side)
            splitter.setStretchFactor(0, 3)
            splitter.setStretchFactor(1, 2)
            splitter.setSizes([950, 520])
        splitter.setChildrenCollapsible(False)

        layout = QVBoxLayout(self)
        layout.addLayout(toolbar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)

        self._load_professionals()
        self.professional.currentIndexChanged.connect(lambda _i: self.reload())
        self.day_button.clicked.connect(lambda: self.set_mode(DAY))
        self.week_button.clicked.connect(lambda: self.set_mode(WEEK))
        self.previous_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.go_to(clinic_today(self._services.clock)))
        self.date_edit.dateChanged.connect(lambda d: self.go_to(d.toPython()))
        self.calls_button.clicked.connect(self.open_calls)
        self.sessions_button.clicked.connect(self.open_sessions)
        self.export_button.clicked.connect(self.open_export)
        self.reload()

    def _side_panel(self) -> QTabWidget:
        side = QTabWidget()
        side.setObjectName("agendaSide")
        # referrals to schedule
        page = QWidget()
        column = QVBoxLayout(page)
        self.to_schedule = _list(self.to_schedule_model, "toScheduleTable", ToScheduleModel.PATIENT)
        self.to_schedule.doubleClicked.connect(lambda _i: self.schedule_referral())
        self.schedule_button = QPushButton(self.tr("Fixer un rendez-vous…"))
        self.schedule_button.setObjectName("scheduleReferral")
        self.schedule_button.clicked.connect(self.schedule_referral)
        column.addWidget(self.to_schedule, 1)
        row = QHBoxLayout()
        row.addWidget(self.schedule_button)
        row.addStretch(1)
        column.addLayout(row)
        side.addTab(page, self.tr("Orientations à planifier"))
        # waiting list
        page = QWidget()
        column = QVBoxLayout(page)
        self.waiting = _list(self.waiting_model, "waitingTable", WaitingModel.PATIENT)
        self.waiting.doubleClicked.connect(lambda _i: self.book_waiting())
        self.add_waiting_button = QPushButton(self.tr("Inscrire…"))
        self.add_waiting_button.setObjectName("addWaiting")
        self.book_waiting_button = QPushButton(self.tr("Fixer un rendez-vous…"))
        self.book_waiting_button.setObjectName("bookWaiting")
        self.remove_waiting_button = QPushButton(self.tr("Retirer de la liste"))
        self.remove_waiting_button.setObjectName("removeWaiting")
        self.add_waiting_button.clicked.connect(self.add_waiting)
        self.book_waiting_button.clicked.connect(self.book_waiting)
        self.remove_waiting_button.clicked.connect(self.remove_waiting)
        row = QHBoxLayout()
        for button in (
            self.add_waiting_button,
            self.book_waiting_button,
            self.remove_waiting_button,
            self.schedule_button,
        ):
            button.setAutoDefault(False)
        row.addWidget(self.add_waiting_button)
        row.addWidget(self.book_waiting_button)
        row.addWidget(self.remove_waiting_button)
        row.addStretch(1)
        column.addWidget(self.waiting, 1)
        column.addLayout(row)
        side.addTab(page, self.tr("Liste d'attente"))
        return side

    # ---- state --------------------------------------------------------------------------
    def _load_professionals(self) -> None:
        try:
            professionals = self._services.scheduling.professionals(self._actor)
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
        pid = self.professional_id()
        return pid is not None and policy.allows(
            self._actor.role,
            Resource.APPOINTMENT_REASON,
            Action.READ,
            is_own=pid == self._actor.user_id,
        )

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
                self.days = self._services.scheduling.agenda(
                    self._actor, start, end, professional_id=pid
                )
            except RelaisError as exc:
                self.days = []
                self._fail(exc.message)
        self.day_model.set_show_reason(self.shows_reason())
        if self.mode == DAY:
            self._show_day()
        else:
            self._show_week(start)
        self.reload_side()

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
        if self.side is None:
            return
        scheduling = self._services.scheduling
        pid = self.professional_id()
        try:
            referrals = scheduling.referrals_to_schedule(self._actor)
            waiting = scheduling.waiting_list(self._actor, pid) if pid is not None else []
        except RelaisError as exc:
            referrals, waiting = [], []
            self._fail(exc.message)
        self.to_schedule_model.set_rows(referrals)
        self.waiting_model.set_rows(waiting)
        self.side.setTabText(0, self.tr("Orientations à planifier ({n})").format(n=len(referrals)))
        self.side.setTabText(1, self.tr("Liste d'attente ({n})").format(n=len(waiting)))
        if referrals and not self.to_schedule.selectionModel().hasSelection():
            self.to_schedule.selectRow(0)
        if waiting and not self.waiting.selectionModel().hasSelection():
            self.waiting.selectRow(0)
        self.schedule_button.setEnabled(bool(referrals))
        self.book_waiting_button.setEnabled(bool(waiting))
        self.remove_waiting_button.setEnabled(bool(waiting))

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
        if row.starts_at <= self._services.clock():
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
            self._services,
            self._actor,
            slot,
            self.professional.currentText(),
            debounce_ms=self._debounce,
            parent=self,
        )
        dialog.booked.connect(lambda _a: self.reload())
        dialog.slot_taken.connect(self.reload)
        return self._open(dialog)

    def row_for(self, starts_at) -> AgendaRow | None:
        """The day view's line starting at ``starts_at`` (tests, keyboard users)."""
        return next(
            (r for r in self.day_model.rows() if r.starts_at == starts_at and not r.cancelled),
            None,
        )

    def open_appointment(self, appointment: AppointmentRecord) -> QDialog:
        with contextlib.suppress(RelaisError):  # else show what the agenda had
            appointment = self._services.scheduling.appointment(self._actor, appointment.id)
        dialog = AppointmentDialog(
            self._services, self._actor, appointment, can_book=self.can_book, parent=self
        )
        dialog.changed.connect(lambda _a: self.reload())
        dialog.open_patient.connect(self.open_patient)
        dialog.consult.connect(self.consult)
        return self._open(dialog)

    def consult(self, appointment: AppointmentRecord) -> QWidget | None:
        """« Démarrer la consultation » (the appointment's social worker)."""
        self.consultation = start_consultation(
            self, self._services, self._actor, appointment, lambda _a: self.reload()
        )
        return self.consultation

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r, d=dialog: self._closed(d))
        dialog.open()
        return dialog

    def _closed(self, dialog: QDialog) -> None:
        if self.dialog is dialog:
            self.dialog = None

    # ---- side panel actions ----------------------------------------------------------------
    def _selected(self, table: QTableView, model):
        rows = table.selectionModel().selectedRows()
        return model.row_at(rows[0].row()) if rows else None

    def schedule_referral(self) -> QDialog | None:
        summary = self._selected(self.to_schedule, self.to_schedule_model)
        if summary is None:
            return None
        dialog = SlotPickerDialog(
            self._services,
            self._actor,
            patient_id=summary.patient_id,
            patient_name=summary.patient_name,
            professional_id=summary.receiver_id,
            referral_id=summary.id,
            parent=self,
        )
        dialog.booked.connect(lambda _a: self.reload())
        dialog.slot_taken.connect(self.reload)
        dialog.finished.connect(lambda _r: self.reload_side())
        return self._open(dialog)

    def book_waiting(self) -> QDialog | None:
        entry = self._selected(self.waiting, self.waiting_model)
        if entry is None:
            return None
        dialog = SlotPickerDialog(
            self._services,
            self._actor,
            patient_id=entry.patient_id,
            patient_name=entry.patient_name,
            professional_id=entry.professional_id,
            referral_id=entry.referral_id,
            waiting_entry_id=entry.id,
            parent=self,
        )
        dialog.booked.connect(lambda _a: self.reload())
        dialog.slot_taken.connect(self.reload)
        return self._open(dialog)

    def add_waiting(self) -> QDialog:
        dialog = WaitingAddDialog(
            self._services,
            self._actor,
            professional_id=self.professional_id(),
            debounce_ms=self._debounce,
            parent=self,
        )
        dialog.added.connect(lambda _e: self.reload_side())
        return self._open(dialog)

    def remove_waiting(self) -> None:
        entry = self._selected(self.waiting, self.waiting_model)
        if entry is None:
            return
        try:
            self._services.scheduling.remove_from_waiting_list(
                self._actor, entry.id, expected_version=entry.version
            )
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.reload_side()

    # ---- other windows ----------------------------------------------------------------------
    def open_calls(self) -> QDialog:
        dialog = CallListDialog(self._services, self._actor, self)
        dialog.changed.connect(self.reload)
        return self._open(dialog)

    def open_sessions(self) -> QDialog:
        dialog = SessionsDialog(self._services, self._actor, self)

        def changed() -> None:
            current = self.professional_id()
            self.professional.blockSignals(True)
            self.professional.clear()
            self.professional.blockSignals(False)
            self._load_professionals()
            index = self.professional.findData(current)
            if index >= 0:
                self.professional.setCurrentIndex(index)
            self.reload()

        dialog.changed.connect(changed)
        return self._open(dialog)

    def open_export(self) -> QDialog | None:
        pid = self.professional_id()
        if pid is None:
            return None
        dialog = ExportDialog(
            self._services, self._actor, pid, self.professional.currentText(), self
        )
        return self._open(dialog)
