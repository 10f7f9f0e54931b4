"""The consultation sessions (*permanences*): list with their one-line summary, create/edit
(weekday, every N weeks, hours, slot length, place, room, first/last date), cancel or add a
date, stop a session. The coordinator edits everyone's, a social worker her own; the others
read."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, Qt, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.models.enums import Role
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.scheduling.records import SessionInput, SessionRecord
from app.views.agenda.scheduling_model import WEEKDAYS, SessionsModel, weekday
from app.views.common.labels import date_fr
from app.views.common.widgets import FieldErrors, error_label, record_table, show_message
from app.views.ports import ServicesPort
from app.views.referrals.referral_actions import StepDialog

DAY_ROLE = Qt.ItemDataRole.UserRole + 1


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


class SessionFormDialog(QDialog):
    """Create or edit a session; the service's French messages appear under each field."""

    saved = Signal(object)  # SessionRecord

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        professionals: list[tuple[int, str]],
        session: SessionRecord | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("sessionForm")
        self.setWindowTitle(
            self.tr("Modifier la permanence") if session else self.tr("Nouvelle permanence")
        )
        self.setMinimumWidth(600)
        self._services = services
        self._actor = actor
        self.session = session
        self.general_error = error_label()
        self.general_error.setObjectName("sessionFormError")
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        self.professional = QComboBox()
        self.professional.setObjectName("sessionProfessional")
        for pid, name in professionals:
            self.professional.addItem(name, pid)
        if actor.role == Role.SOCIAL_WORKER:
            index = self.professional.findData(actor.user_id)
            if index < 0:
                self.professional.addItem(actor.display_name, actor.user_id)
                index = self.professional.count() - 1
            self.professional.setCurrentIndex(index)
            self.professional.setEnabled(False)
        self.label = QLineEdit()
        self.label.setObjectName("sessionLabel")
        self.label.setPlaceholderText(self.tr("ex. : Permanence CARSAT"))
        self.place = QLineEdit()
        self.place.setObjectName("sessionPlace")
        self.place.setPlaceholderText(self.tr("ex. : MSP des Tilleuls, 12 rue des Tilleuls"))
        self.room = QLineEdit()
        self.room.setObjectName("sessionRoom")
        self.room.setPlaceholderText(self.tr("ex. : salle 2"))
        self.weekday = QComboBox()
        self.weekday.setObjectName("sessionWeekday")
        for number in range(len(WEEKDAYS)):
            self.weekday.addItem(weekday(number).capitalize(), number)
        self.every_weeks = QSpinBox()
        self.every_weeks.setObjectName("sessionEveryWeeks")
        self.every_weeks.setRange(1, 8)
        self.every_weeks.setPrefix(self.tr("une semaine sur "))
        self.every_weeks.setSpecialValueText(self.tr("chaque semaine"))
        self.opens = QTimeEdit(QTime(9, 0))
        self.opens.setObjectName("sessionOpens")
        self.closes = QTimeEdit(QTime(12, 0))
        self.closes.setObjectName("sessionCloses")
        for edit in (self.opens, self.closes):
            edit.setDisplayFormat("HH:mm")
        hours = QWidget()
        row = QHBoxLayout(hours)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(QLabel(self.tr("de")))
        row.addWidget(self.opens)
        row.addWidget(QLabel(self.tr("à")))
        row.addWidget(self.closes)
        row.addStretch(1)
        self.slot_minutes = QSpinBox()
        self.slot_minutes.setObjectName("sessionSlotMinutes")
        self.slot_minutes.setRange(5, 480)
        self.slot_minutes.setSingleStep(5)
        self.slot_minutes.setValue(30)
        self.slot_minutes.setSuffix(self.tr(" min"))
        start = clinic_today(services.clock)
        self.first_date = QDateEdit(QDate(next_weekday(start, 1)))
        self.first_date.setObjectName("sessionFirstDate")
        self.has_end = QCheckBox(self.tr("jusqu'au"))
        self.has_end.setObjectName("sessionHasEnd")
        self.last_date = QDateEdit(QDate(next_weekday(start, 1) + timedelta(days=182)))
        self.last_date.setObjectName("sessionLastDate")
        self.last_date.setEnabled(False)
        self.has_end.toggled.connect(self.last_date.setEnabled)
        for edit in (self.first_date, self.last_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")
        end = QWidget()
        row = QHBoxLayout(end)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.has_end)
        row.addWidget(self.last_date)
        row.addStretch(1)
        self.weekday.setCurrentIndex(1)
        self.weekday.currentIndexChanged.connect(self._weekday_changed)
        add = self.errors.add_row
        add(form, "professional_id", self.tr("Professionnel"), self.professional)
        add(form, "label", self.tr("Intitulé"), self.label)
        add(form, "weekday", self.tr("Jour"), self.weekday)
        add(form, "every_weeks", self.tr("Périodicité"), self.every_weeks)
        add(form, "opens", self.tr("Horaires"), hours)
        self.errors.alias("closes", "opens")
        add(form, "slot_minutes", self.tr("Durée d'un créneau"), self.slot_minutes)
        add(form, "place", self.tr("Lieu"), self.place)
        add(form, "room", self.tr("Salle"), self.room)
        add(form, "first_date", self.tr("Première date"), self.first_date)
        add(form, "last_date", self.tr("Dernière date"), end)
        self.ok = QPushButton(self.tr("Enregistrer"))
        self.ok.setObjectName("sessionSave")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.save)
        cancel = QPushButton(self.tr("Annuler"))
        cancel.setAutoDefault(False)
        cancel.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(cancel)
        buttons.addWidget(self.ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addLayout(buttons)
        if session is not None:
            self._fill(session)

    def _fill(self, s: SessionRecord) -> None:
        index = self.professional.findData(s.professional_id)
        if index >= 0:
            self.professional.setCurrentIndex(index)
        self.professional.setEnabled(False)
        self.label.setText(s.label)
        self.place.setText(s.place)
        self.room.setText(s.room)
        self.weekday.blockSignals(True)
        self.weekday.setCurrentIndex(s.weekday)
        self.weekday.blockSignals(False)
        self.every_weeks.setValue(s.every_weeks)
        self.opens.setTime(QTime(s.opens.hour, s.opens.minute))
        self.closes.setTime(QTime(s.closes.hour, s.closes.minute))
        self.slot_minutes.setValue(s.slot_minutes)
        self.first_date.setDate(QDate(s.first_date))
        self.has_end.setChecked(s.last_date is not None)
        if s.last_date is not None:
            self.last_date.setDate(QDate(s.last_date))

    def _weekday_changed(self, index: int) -> None:
        """Keep the first date on the chosen weekday (the next one)."""
        first = self.first_date.date().toPython()
        if first.weekday() != index:
            self.first_date.setDate(QDate(next_weekday(first, index)))

    def value(self) -> SessionInput:
        return SessionInput(
            professional_id=self.professional.currentData(),
            label=self.label.text(),
            place=self.place.text(),
            room=self.room.text(),
            weekday=self.weekday.currentData(),
            opens=self.opens.time().toPython(),
            closes=self.closes.time().toPython(),
            slot_minutes=self.slot_minutes.value(),
            every_weeks=self.every_weeks.value(),
            first_date=self.first_date.date().toPython(),
            last_date=self.last_date.date().toPython() if self.has_end.isChecked() else None,
        )

    def save(self) -> None:
        if self.professional.currentData() is None:
            self.errors.show({"professional_id": self.tr("Choisissez le professionnel.")})
            return
        scheduling = self._services.scheduling
        try:
            if self.session is None:
                record = scheduling.create_session(self._actor, self.value())
            else:
                record = scheduling.update_session(
                    self._actor,
                    self.session.id,
                    self.value(),
                    expected_version=self.session.version,
                )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.saved.emit(record)
        self.accept()


class DayDialog(StepDialog):
    """Cancel one date of a session (reason; its appointments too, if asked) or add one."""

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        session: SessionRecord,
        *,
        cancel: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Annuler une date") if cancel else self.tr("Ajouter une date")
        super().__init__(title, title, parent)
        self.setObjectName("cancelDayDialog" if cancel else "addDayDialog")
        self._services = services
        self._actor = actor
        self.session = session
        self.cancelling = cancel
        intro = QLabel(f"<b>{session.summary}</b>")
        intro.setWordWrap(True)
        self.column.insertWidget(0, intro)
        start = clinic_today(services.clock)
        first = next_weekday(max(start, session.first_date), session.weekday)
        self.day = QDateEdit(QDate(first))
        self.day.setObjectName("dayDate")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.reason = QLineEdit()
        self.reason.setObjectName("dayReason")
        self.reason.setPlaceholderText(
            self.tr("ex. : formation, congés")
            if cancel
            else self.tr("ex. : permanence de rattrapage")
        )
        self.with_appointments = QCheckBox()
        self.with_appointments.setObjectName("cancelAppointments")
        self.with_appointments.hide()
        self.errors.add_row(self.form, "day", self.tr("Date"), self.day, self.with_appointments)
        self.errors.add_row(self.form, "reason", self.tr("Motif"), self.reason)
        self.booked = 0
        if cancel:
            self.day.dateChanged.connect(lambda _d: self._count())
            self._count()

    def _count(self) -> None:
        """How many patients are expected that day in this session (they need a call)."""
        day = self.day.date().toPython()
        try:
            days = self._services.scheduling.agenda(
                self._actor, day, day, professional_id=self.session.professional_id
            )
        except RelaisError:
            days = []
        self.booked = sum(
            1
            for d in days
            for s in d.slots
            if s.session_id == self.session.id and s.appointment and s.appointment.active
        )
        self.with_appointments.setText(
            self.tr(
                "Annuler aussi les {n} rendez-vous de ce jour (les patients seront à prévenir)"
            ).format(n=self.booked)
        )
        self.with_appointments.setChecked(False)
        self.with_appointments.setVisible(self.booked > 0)


class SessionsDialog(QDialog):
    changed = Signal()

    def __init__(self, services: ServicesPort, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionsDialog")
        self.setWindowTitle(self.tr("Permanences"))
        self.resize(1000, 620)
        self._services = services
        self._actor = actor
        self.can_edit = policy.allows(actor.role, Resource.SESSIONS, Action.WRITE)
        self.form: SessionFormDialog | None = None
        self.day_dialog: DayDialog | None = None
        try:
            self.professionals = services.scheduling.professionals(actor)
        except RelaisError:
            self.professionals = []
        intro = QLabel(
            self.tr(
                "Les permanences reviennent chaque semaine ou une semaine sur N ; les jours "
                "fériés sont sautés d'office. Annulez ou ajoutez une date ponctuellement."
            )
            if self.can_edit
            else self.tr("Les permanences de la maison de santé (lecture seule).")
        )
        intro.setWordWrap(True)
        self.show_inactive = QCheckBox(self.tr("Afficher les permanences arrêtées"))
        self.show_inactive.setObjectName("showInactiveSessions")
        self.show_inactive.toggled.connect(lambda _c: self.reload())
        self.model = SessionsModel(self)
        self.table = record_table(self.model, name="sessionsTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(SessionsModel.SUMMARY, QHeaderView.ResizeMode.Stretch)
        self.table.doubleClicked.connect(lambda _i: self.edit_session())
        self.exceptions = QListWidget()
        self.exceptions.setObjectName("sessionExceptions")
        self.exceptions_title = QLabel(self.tr("Dates annulées ou ajoutées"))
        self.exceptions_title.setStyleSheet("font-weight: 600;")
        self.error = error_label()
        self.error.setObjectName("sessionsError")
        self.new_button = QPushButton(self.tr("Nouvelle permanence…"))
        self.new_button.setObjectName("newSession")
        self.edit_button = QPushButton(self.tr("Modifier…"))
        self.edit_button.setObjectName("editSession")
        self.cancel_day_button = QPushButton(self.tr("Annuler une date…"))
        self.cancel_day_button.setObjectName("cancelDay")
        self.add_day_button = QPushButton(self.tr("Ajouter une date…"))
        self.add_day_button.setObjectName("addDay")
        self.remove_exception_button = QPushButton(self.tr("Rétablir / retirer la date"))
        self.remove_exception_button.setObjectName("removeException")
        self.deactivate_button = QPushButton(self.tr("Arrêter la permanence…"))
        self.deactivate_button.setObjectName("deactivateSession")
        edit_buttons = (
            self.new_button,
            self.edit_button,
            self.cancel_day_button,
            self.add_day_button,
            self.deactivate_button,
        )
        buttons = QHBoxLayout()
        for button in edit_buttons:
            button.setAutoDefault(False)
            button.setVisible(self.can_edit)
            buttons.addWidget(button)
        buttons.addStretch(1)
        close = QPushButton(self.tr("Fermer"))
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        self.remove_exception_button.setVisible(self.can_edit)
        self.remove_exception_button.setAutoDefault(False)
        self.new_button.clicked.connect(self.new_session)
        self.edit_button.clicked.connect(self.edit_session)
        self.cancel_day_button.clicked.connect(lambda: self.open_day(cancel=True))
        self.add_day_button.clicked.connect(lambda: self.open_day(cancel=False))
        self.remove_exception_button.clicked.connect(self.remove_exception)
        self.deactivate_button.clicked.connect(self.deactivate)
        lower = QWidget()
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(self.exceptions_title)
        lower_layout.addWidget(self.exceptions, 1)
        lower_layout.addWidget(self.remove_exception_button, alignment=Qt.AlignmentFlag.AlignLeft)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(lower)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.show_inactive)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.reload()

    # ---- list ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        own = self._actor.user_id if self._actor.role == Role.SOCIAL_WORKER else None
        try:
            rows = self._services.scheduling.sessions(
                self._actor,
                professional_id=own,
                include_inactive=self.show_inactive.isChecked(),
            )
        except RelaisError as exc:
            rows = []
            self._fail(exc.message)
        self.model.set_rows(rows)
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self.table.selectRow(row)
        self._selected()

    def selected(self) -> SessionRecord | None:
        if not hasattr(self, "table"):
            return None
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _selected(self) -> None:
        session = self.selected()
        self.exceptions.clear()
        for exception in session.exceptions if session else ():
            label = exception.kind_label or (
                self.tr("annulée") if exception.kind == "cancelled" else self.tr("ajoutée")
            )
            text = f"{weekday(exception.day.weekday())} {date_fr(exception.day)} — {label}"
            if exception.reason:
                text += f" : {exception.reason}"
            item = QListWidgetItem(text)
            item.setData(DAY_ROLE, exception.day.isoformat())
            self.exceptions.addItem(item)
        usable = session is not None and session.active
        for button in (self.edit_button, self.cancel_day_button, self.add_day_button):
            button.setEnabled(usable)
        self.deactivate_button.setEnabled(usable)
        self.remove_exception_button.setEnabled(self.exceptions.count() > 0)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _done(self, record: SessionRecord | None = None) -> None:
        self.error.hide()
        self.reload(select_id=record.id if record is not None else None)
        self.changed.emit()

    # ---- editing ------------------------------------------------------------------------
    def _open_form(self, session: SessionRecord | None) -> None:
        dialog = SessionFormDialog(
            self._services, self._actor, self.professionals, session, parent=self
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._done)
        self.form = dialog
        dialog.finished.connect(lambda _r: setattr(self, "form", None))
        dialog.open()

    def new_session(self) -> None:
        self._open_form(None)

    def edit_session(self) -> None:
        session = self.selected()
        if session is not None and self.can_edit and session.active:
            self._open_form(session)

    def open_day(self, *, cancel: bool) -> None:
        session = self.selected()
        if session is None:
            return
        dialog = DayDialog(self._services, self._actor, session, cancel=cancel, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.day_dialog = dialog
        dialog.ok.clicked.connect(lambda: self._apply_day(dialog))
        dialog.finished.connect(lambda _r: setattr(self, "day_dialog", None))
        dialog.open()

    def _apply_day(self, dialog: DayDialog) -> None:
        scheduling, session = self._services.scheduling, dialog.session
        day = dialog.day.date().toPython()
        reason = dialog.reason.text()
        if dialog.cancelling and dialog.booked and not dialog.with_appointments.isChecked():
            dialog.errors.show(
                {
                    "day": self.tr(
                        "{n} rendez-vous sont pris ce jour-là : cochez la case pour les annuler "
                        "aussi (les patients seront à prévenir), ou choisissez une autre date."
                    ).format(n=dialog.booked)
                }
            )
            return
        try:
            if dialog.cancelling:
                record = scheduling.cancel_day(
                    self._actor,
                    session.id,
                    day,
                    reason,
                    cancel_appointments=dialog.with_appointments.isChecked(),
                )
            else:
                record = scheduling.add_day(self._actor, session.id, day, reason)
        except ValidationError as exc:
            dialog.errors.show(exc.fields)
            return
        except RelaisError as exc:
            dialog.errors.show_general(exc.message)
            dialog._count()
            return
        dialog.accept()
        self._done(record)

    def remove_exception(self) -> None:
        session = self.selected()
        item = self.exceptions.currentItem() or self.exceptions.item(0)
        if session is None or item is None:
            return
        day = date.fromisoformat(item.data(DAY_ROLE))
        try:
            record = self._services.scheduling.remove_exception(self._actor, session.id, day)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self._done(record)

    def deactivate(self) -> None:
        session = self.selected()
        if session is None:
            return
        box = QMessageBox(
            QMessageBox.Icon.Question,
            self.tr("Arrêter la permanence"),
            self.tr(
                "Arrêter « {summary} » ? Plus aucun créneau ne sera proposé. Les rendez-vous "
                "à venir doivent d'abord être annulés ou déplacés."
            ).format(summary=session.summary),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            self,
        )
        box.setObjectName("deactivateConfirm")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.button(QMessageBox.StandardButton.Yes).setText(self.tr("Arrêter"))
        box.button(QMessageBox.StandardButton.No).setText(self.tr("Garder"))
        box.button(QMessageBox.StandardButton.Yes).clicked.connect(
            lambda: self._deactivate(session)
        )
        self.confirm_box = box
        box.open()

    def _deactivate(self, session: SessionRecord) -> None:
        try:
            record = self._services.scheduling.deactivate_session(
                self._actor, session.id, expected_version=session.version
            )
        except RelaisError as exc:
            show_message(self, exc.message)
            return
        self._done(record)
