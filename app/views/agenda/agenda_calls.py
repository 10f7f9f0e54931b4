"""« Appels de la veille »: the patients expected on a day (tomorrow by default), to call
and mark as called (reached and confirmed, or not reached); and the clinic's cancellations
whose patients must be warned."""

from __future__ import annotations

from datetime import timedelta

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local
from app.services.scheduling.records import AppointmentRecord, fr_date
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.scheduling_model import CallListModel
from app.views.agenda.ui import keyboard_friendly
from app.views.common.widgets import error_label, record_table


def _table(model: CallListModel, name: str) -> QTableView:
    table = record_table(model, name=name)
    keyboard_friendly(table)
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(True)
    return table


class CallListDialog(QDialog):
    changed = Signal()

    def __init__(self, services, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("callListDialog")
        self.setWindowTitle(self.tr("Appels de la veille"))
        self.resize(980, 640)
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.error = error_label()
        self.error.setObjectName("callError")
        layout = QVBoxLayout(self)
        layout.addLayout(self._day_row())
        layout.addWidget(self._calls(), 1)
        layout.addLayout(self._call_buttons())
        self._to_notify(layout)
        layout.addWidget(self.error)
        self.reload()
        self.table.setFocus()

    def _day_row(self) -> QHBoxLayout:
        self.day = QDateEdit(QDate(clinic_today(self._ports.clock) + timedelta(days=1)))
        self.day.setObjectName("callDay")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("dd/MM/yyyy")
        self.day.dateChanged.connect(lambda _d: self.reload())
        self.title = QLabel()
        self.title.setObjectName("callTitle")
        self.title.setStyleSheet("font-weight: 600;")
        label = QLabel(self.tr("Rendez-vous &du"))
        label.setBuddy(self.day)
        top = QHBoxLayout()
        top.addWidget(label)
        top.addWidget(self.day)
        top.addSpacing(16)
        top.addWidget(self.title, 1)
        return top

    def _calls(self) -> QTableView:
        self.model = CallListModel(self)
        self.table = _table(self.model, "callListTable")
        self.table.setAccessibleName(self.tr("Patients à appeler"))
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        return self.table

    def _call_buttons(self) -> QHBoxLayout:
        self.reached = QPushButton(self.tr("&Joint : rendez-vous confirmé"))
        self.reached.setObjectName("callConfirmed")
        self.not_reached = QPushButton(self.tr("&Non joint / message laissé"))
        self.not_reached.setObjectName("callNotReached")
        self.reached.clicked.connect(lambda: self.mark(self.table, self.model, confirmed=True))
        self.not_reached.clicked.connect(lambda: self.mark(self.table, self.model, confirmed=False))
        buttons = QHBoxLayout()
        for button in (self.reached, self.not_reached):
            button.setAutoDefault(False)
            buttons.addWidget(button)
        buttons.addStretch(1)
        return buttons

    def _to_notify(self, layout: QVBoxLayout) -> None:
        """Clinic cancellations to warn, and the dialog's closing row."""
        self.notify_title = QLabel(self.tr("Rendez-vous annulés par la maison de santé : prévenir"))
        self.notify_title.setStyleSheet("font-weight: 600; color: #b71c1c;")
        self.notify_model = CallListModel(self, with_date=True)
        self.notify = _table(self.notify_model, "notifyTable")
        self.notify.setAccessibleName(self.tr("Patients à prévenir"))
        self.notify.setMaximumHeight(170)
        box = QDialogButtonBox(self)
        self.notified = box.addButton(
            self.tr("Patient &prévenu"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.notified.setObjectName("patientNotified")
        self.notified.setAutoDefault(False)
        self.notified.clicked.connect(
            lambda: self.mark(self.notify, self.notify_model, confirmed=False)
        )
        close = box.addButton(self.tr("&Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.clicked.connect(self.accept)
        layout.addWidget(self.notify_title)
        layout.addWidget(self.notify)
        layout.addWidget(box)

    def reload(self) -> None:
        day = self.day.date().toPython()
        scheduling = self._ports.scheduling
        try:
            rows = scheduling.call_list(self._actor, day)
            notify = [
                a
                for a in scheduling.to_notify(self._actor)
                if a.called_at is None and local(a.starts_at).date() != day
            ]
        except RelaisError as exc:
            rows, notify = [], []
            self.error.setText(exc.message)
            self.error.show()
        self._keep(self.table, self.model, rows)
        self._keep(self.notify, self.notify_model, notify)
        left = sum(1 for a in rows if a.called_at is None)
        if rows:
            self.title.setText(
                self.tr("{day} : %n rendez-vous, {left}", "", len(rows)).format(
                    day=fr_date(day).capitalize(),
                    left=self.tr("%n patient(s) à appeler", "", left),
                )
            )
        else:
            self.title.setText(
                self.tr("{day} : aucun rendez-vous").format(day=fr_date(day).capitalize())
            )
        for widget in (self.notify_title, self.notify, self.notified):
            widget.setVisible(bool(notify))
        self._update_buttons()

    def _update_buttons(self) -> None:
        """A cancelled appointment is not confirmed: the patient is told (« prévenu »)."""
        selected = self.table.selectionModel().selectedRows()
        appointment = self.model.row_at(selected[0].row()) if selected else None
        cancelled = appointment is not None and not appointment.active
        self.reached.setEnabled(appointment is not None and not cancelled)
        self.not_reached.setEnabled(appointment is not None)
        self.not_reached.setText(
            self.tr("Patient prévenu de l'annulation")
            if cancelled
            else self.tr("Non joint(e) / message laissé")
        )

    @staticmethod
    def _keep(table: QTableView, model: CallListModel, rows: list[AppointmentRecord]) -> None:
        selected = table.selectionModel().selectedRows()
        keep = model.row_at(selected[0].row()) if selected else None
        model.set_rows(rows)
        row = model.row_of(keep.id) if keep is not None else -1
        if row < 0:
            row = next((i for i, a in enumerate(rows) if a.called_at is None), 0 if rows else -1)
        if row >= 0:
            table.selectRow(row)

    def mark(self, table: QTableView, model: CallListModel, *, confirmed: bool) -> None:
        selected = table.selectionModel().selectedRows()
        appointment = model.row_at(selected[0].row()) if selected else None
        if appointment is None:
            return
        try:
            self._ports.scheduling.mark_called(self._actor, appointment.id, confirmed=confirmed)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        self.reload()
        # Move on to the next patient still to call.
        row = next(
            (i for i, a in enumerate(model.rows()) if a.called_at is None),
            -1,
        )
        if row >= 0:
            table.selectRow(row)
        table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.changed.emit()
