"""Create or edit a consultation session (*permanence*): professional, title, weekday, every
N weeks, hours, slot length, place, room, first and last date. The service's French messages
appear under each field."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import QDate, QTime, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.models.enums import Role
from app.services.kernel.actor import Actor
from app.services.scheduling.records import SessionInput, SessionRecord
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.scheduling_model import WEEKDAYS, weekday
from app.views.agenda.ui import button_box, form_row
from app.views.common.widgets import FieldErrors, error_label


def next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7)


def _row(*widgets: QWidget) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    box.setFocusProxy(next(w for w in widgets if not isinstance(w, QLabel)))
    return box


class SessionFormDialog(QDialog):
    """Create or edit a session; the service's French messages appear under each field."""

    saved = Signal(object)  # SessionRecord

    def __init__(
        self,
        services,
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
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.session = session
        self.general_error = error_label()
        self.general_error.setObjectName("sessionFormError")
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        self._who_and_where(form, professionals)
        self._when(form)
        buttons, self.ok = button_box(
            self, self.tr("&Enregistrer"), self.save, ok_name="sessionSave"
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.general_error)
        layout.addWidget(buttons)
        if session is not None:
            self._fill(session)

    # ---- builders -------------------------------------------------------------------------
    def _who_and_where(self, form: QFormLayout, professionals: list[tuple[int, str]]) -> None:
        self.professional = QComboBox()
        self.professional.setObjectName("sessionProfessional")
        for pid, name in professionals:
            self.professional.addItem(name, pid)
        if self._actor.role == Role.SOCIAL_WORKER:
            index = self.professional.findData(self._actor.user_id)
            if index < 0:
                self.professional.addItem(self._actor.display_name, self._actor.user_id)
                index = self.professional.count() - 1
            self.professional.setCurrentIndex(index)
            self.professional.setEnabled(False)
        self.label = self._line("sessionLabel", self.tr("ex. : Permanence CARSAT"))
        self.place = self._line(
            "sessionPlace", self.tr("ex. : MSP des Tilleuls, 12 rue des Tilleuls")
        )
        self.room = self._line("sessionRoom", self.tr("ex. : salle 2"))
        form_row(self.errors, form, "professional_id", self.tr("&Professionnel"), self.professional)
        form_row(self.errors, form, "label", self.tr("&Intitulé"), self.label)
        self._form = form

    @staticmethod
    def _line(name: str, placeholder: str) -> QLineEdit:
        edit = QLineEdit()
        edit.setObjectName(name)
        edit.setPlaceholderText(placeholder)
        return edit

    def _when(self, form: QFormLayout) -> None:
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
        self.closes.setAccessibleName(self.tr("Heure de fin"))
        for edit in (self.opens, self.closes):
            edit.setDisplayFormat("HH:mm")
        self.slot_minutes = QSpinBox()
        self.slot_minutes.setObjectName("sessionSlotMinutes")
        self.slot_minutes.setRange(5, 480)
        self.slot_minutes.setSingleStep(5)
        self.slot_minutes.setValue(30)
        self.slot_minutes.setSuffix(self.tr(" min"))
        hours = _row(QLabel(self.tr("de")), self.opens, QLabel(self.tr("à")), self.closes)
        self._dates()
        end = _row(self.has_end, self.last_date)
        self.weekday.setCurrentIndex(1)
        self.weekday.currentIndexChanged.connect(self._weekday_changed)
        add = self._add
        add("weekday", self.tr("&Jour"), self.weekday)
        add("every_weeks", self.tr("Pé&riodicité"), self.every_weeks)
        add("opens", self.tr("&Horaires"), hours)
        self.errors.alias("closes", "opens")
        add("slot_minutes", self.tr("&Durée d'un créneau"), self.slot_minutes)
        add("place", self.tr("&Lieu"), self.place)
        add("room", self.tr("&Salle"), self.room)
        add("first_date", self.tr("Pre&mière date"), self.first_date)
        add("last_date", self.tr("Dernière da&te"), end)

    def _add(self, name: str, label: str, field: QWidget) -> None:
        form_row(self.errors, self._form, name, label, field)

    def _dates(self) -> None:
        start = clinic_today(self._ports.clock)
        self.first_date = QDateEdit(QDate(next_weekday(start, 1)))
        self.first_date.setObjectName("sessionFirstDate")
        self.has_end = QCheckBox(self.tr("jusqu'au"))
        self.has_end.setObjectName("sessionHasEnd")
        self.last_date = QDateEdit(QDate(next_weekday(start, 1) + timedelta(days=182)))
        self.last_date.setObjectName("sessionLastDate")
        self.last_date.setAccessibleName(self.tr("Dernière date"))
        self.last_date.setEnabled(False)
        self.has_end.toggled.connect(self.last_date.setEnabled)
        for edit in (self.first_date, self.last_date):
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("dd/MM/yyyy")

    # ---- values ---------------------------------------------------------------------------
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
        scheduling, session = self._ports.scheduling, self.session
        record = self.errors.attempt(
            lambda: (
                scheduling.create_session(self._actor, self.value())
                if session is None
                else scheduling.update_session(
                    self._actor, session.id, self.value(), expected_version=session.version
                )
            )
        )
        if record is None:
            return
        self.saved.emit(record)
        self.accept()
