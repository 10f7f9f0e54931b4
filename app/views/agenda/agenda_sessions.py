"""The consultation sessions (*permanences*): list with their one-line summary, create/edit
(weekday, every N weeks, hours, slot length, place, room, first/last date), cancel or add a
date, stop a session. The coordinator edits everyone's, a social worker her own; the others
read."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.models.enums import Role
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.scheduling.records import SessionRecord
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.scheduling_model import SessionsModel, weekday
from app.views.agenda.session_form import SessionFormDialog, next_weekday
from app.views.agenda.ui import fit_columns, form_row
from app.views.common.keyboard import on_activate
from app.views.common.labels import date_fr
from app.views.common.step_dialog import StepDialog
from app.views.common.widgets import error_label, record_table, show_message

DAY_ROLE = Qt.ItemDataRole.UserRole + 1


class DayDialog(StepDialog):
    """Cancel one date of a session (reason; its appointments too, if asked) or add one."""

    def __init__(
        self,
        services,
        actor: Actor,
        session: SessionRecord,
        *,
        cancel: bool,
        parent: QWidget | None = None,
    ) -> None:
        title = self.tr("Annuler une date") if cancel else self.tr("Ajouter une date")
        super().__init__(title, title, parent)
        self.setObjectName("cancelDayDialog" if cancel else "addDayDialog")
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.session = session
        self.cancelling = cancel
        intro = QLabel(f"<b>{session.summary}</b>")
        intro.setWordWrap(True)
        self.column.insertWidget(0, intro)
        start = clinic_today(self._ports.clock)
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
        form_row(self.errors, self.form, "day", self.tr("&Date"), self.day, self.with_appointments)
        form_row(self.errors, self.form, "reason", self.tr("&Motif"), self.reason)
        self.booked = 0
        if cancel:
            self.day.dateChanged.connect(lambda _d: self._count())
            self._count()

    def _count(self) -> None:
        """How many patients are expected that day in this session (they need a call)."""
        day = self.day.date().toPython()
        try:
            days = self._ports.scheduling.agenda(
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
                "Annuler aussi le(s) %n rendez-vous de ce jour (les patients seront à prévenir)",
                "",
                self.booked,
            )
        )
        self.with_appointments.setChecked(False)
        self.with_appointments.setVisible(self.booked > 0)


class SessionsDialog(QDialog):
    changed = Signal()

    def __init__(self, services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sessionsDialog")
        self.setWindowTitle(self.tr("Permanences"))
        self.resize(1000, 620)
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.can_edit = self._ports.scheduling.capabilities(actor).edit_sessions
        self.form: SessionFormDialog | None = None
        self.day_dialog: DayDialog | None = None
        try:
            self.professionals = self._ports.scheduling.professionals(actor)
        except RelaisError:
            self.professionals = []
        self.show_inactive = QCheckBox(self.tr("Afficher les permanences a&rrêtées"))
        self.show_inactive.setObjectName("showInactiveSessions")
        self.show_inactive.toggled.connect(lambda _c: self.reload())
        self.error = error_label()
        self.error.setObjectName("sessionsError")
        layout = QVBoxLayout(self)
        layout.addWidget(self._intro())
        layout.addWidget(self.show_inactive)
        layout.addWidget(self._lists(), 1)
        layout.addWidget(self.error)
        layout.addWidget(self._buttons())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.reload()
        self.table.setFocus()

    def _intro(self) -> QLabel:
        intro = QLabel(
            self.tr(
                "Les permanences reviennent chaque semaine ou une semaine sur N ; les jours "
                "fériés sont sautés d'office. Annulez ou ajoutez une date ponctuellement."
            )
            if self.can_edit
            else self.tr("Les permanences de la maison de santé (lecture seule).")
        )
        intro.setWordWrap(True)
        return intro

    def _lists(self) -> QSplitter:
        self.model = SessionsModel(self)
        self.table = fit_columns(
            record_table(self.model, name="sessionsTable"), SessionsModel.SUMMARY
        )
        self.table.setAccessibleName(self.tr("Permanences"))
        on_activate(self.table, lambda _i: self.edit_session())
        self.exceptions = QListWidget()
        self.exceptions.setObjectName("sessionExceptions")
        self.exceptions_title = QLabel(self.tr("Dates annulées ou a&joutées"))
        self.exceptions_title.setBuddy(self.exceptions)
        self.exceptions_title.setStyleSheet("font-weight: 600;")
        self.remove_exception_button = self._button(
            self.tr("Rétablir / retirer la &date"), "removeException", self.remove_exception
        )
        if not self.can_edit:  # never setVisible(True) before the button has a parent
            self.remove_exception_button.hide()
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
        return splitter

    @staticmethod
    def _button(text: str, name: str, slot) -> QPushButton:
        button = QPushButton(text)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _buttons(self) -> QDialogButtonBox:
        self.new_button = self._button(
            self.tr("&Nouvelle permanence…"), "newSession", self.new_session
        )
        self.edit_button = self._button(self.tr("&Modifier…"), "editSession", self.edit_session)
        self.cancel_day_button = self._button(
            self.tr("&Annuler une date…"), "cancelDay", lambda: self.open_day(cancel=True)
        )
        self.add_day_button = self._button(
            self.tr("A&jouter une date…"), "addDay", lambda: self.open_day(cancel=False)
        )
        self.deactivate_button = self._button(
            self.tr("A&rrêter la permanence…"), "deactivateSession", self.deactivate
        )
        box = QDialogButtonBox(self)
        for button in (
            self.new_button,
            self.edit_button,
            self.cancel_day_button,
            self.add_day_button,
            self.deactivate_button,
        ):
            box.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
            button.setVisible(self.can_edit)  # after addButton, which shows it
        close = box.addButton(self.tr("&Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.accept)
        return box

    # ---- list ---------------------------------------------------------------------------
    def reload(self, select_id: int | None = None) -> None:
        keep = select_id if select_id is not None else getattr(self.selected(), "id", None)
        own = self._actor.user_id if self._actor.role == Role.SOCIAL_WORKER else None
        try:
            rows = self._ports.scheduling.sessions(
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
            self._ports, self._actor, self.professionals, session, parent=self
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
        dialog = DayDialog(self._ports, self._actor, session, cancel=cancel, parent=self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.day_dialog = dialog
        dialog.ok.clicked.connect(lambda: self._apply_day(dialog))
        dialog.finished.connect(lambda _r: setattr(self, "day_dialog", None))
        dialog.open()

    def _apply_day(self, dialog: DayDialog) -> None:
        scheduling, session = self._ports.scheduling, dialog.session
        day = dialog.day.date().toPython()
        reason = dialog.reason.text()
        if dialog.cancelling and dialog.booked and not dialog.with_appointments.isChecked():
            dialog.errors.show(
                {
                    "day": self.tr(
                        "%n rendez-vous est/sont pris ce jour-là : cochez la case pour le(s) "
                        "annuler aussi (à prévenir), ou choisissez une autre date.",
                        "",
                        dialog.booked,
                    )
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
            record = self._ports.scheduling.remove_exception(self._actor, session.id, day)
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
            record = self._ports.scheduling.deactivate_session(
                self._actor, session.id, expected_version=session.version
            )
        except RelaisError as exc:
            show_message(self, exc.message)
            return
        self._done(record)
