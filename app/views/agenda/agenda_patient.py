"""The patient file's « Rendez-vous » tab: the patient's appointments (newest first), missed
appointments counted, « Fixer un rendez-vous… » and the slip for those who book."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import PatientRecord
from app.services.scheduling.records import AppointmentRecord
from app.views.agenda.agenda_actions import PENDING, AppointmentDialog, start_consultation
from app.views.agenda.booking_dialog import SlotPickerDialog, open_slip
from app.views.agenda.ports import AgendaPorts
from app.views.agenda.scheduling_model import AppointmentsModel
from app.views.agenda.ui import focus_later, keyboard_friendly
from app.views.common import pdf_view
from app.views.common.keyboard import on_activate
from app.views.common.patient_tab import LazyTab
from app.views.common.widgets import error_label, record_table


class AppointmentsTab(LazyTab):
    changed = Signal()  # a slip was archived, an appointment changed
    open_patient = Signal(int)

    def __init__(
        self,
        services,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient.id, name="appointmentsTab", parent=parent)
        self._ports = AgendaPorts.of(services)
        self._patient = patient
        self.can_book = self._ports.scheduling.capabilities(actor).book and not read_only
        self.dialog: QDialog | None = None
        self.consultation: QWidget | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.message = QLabel()
        self.message.setObjectName("appointmentsMessage")
        self.message.setWordWrap(True)
        self.book_button = QPushButton(self.tr("Fixer un &rendez-vous…"), self)
        self.book_button.setObjectName("bookAppointmentButton")
        self.print_button = QPushButton(self.tr("Imprimer la con&vocation…"), self)
        self.print_button.setObjectName("printSlipButton")
        self.details_button = QPushButton(self.tr("Dé&tail / annuler…"), self)
        self.details_button.setObjectName("appointmentDetails")
        for button in (self.book_button, self.print_button, self.details_button):
            button.setAutoDefault(False)
        if not self.can_book:  # never setVisible(True) before the buttons have a parent
            self.book_button.hide()
            self.print_button.hide()
        self.book_button.clicked.connect(self.book)
        self.print_button.clicked.connect(self.print_slip)
        self.details_button.clicked.connect(self.open_selected)
        self.model = AppointmentsModel(self)
        self.table = record_table(self.model, name="appointmentsTable")
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        keyboard_friendly(self.table)
        on_activate(self.table, lambda _i: self.open_selected())
        self.error = error_label()
        self.error.setObjectName("appointmentsError")
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.book_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.details_button)
        bottom.addWidget(self.print_button)
        bottom.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.error)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self._update_buttons()

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.ensure_loaded()

    def reload(self) -> None:
        self._loaded = True
        scheduling = self._ports.scheduling
        try:
            rows = scheduling.patient_appointments(self._actor, self._patient.id)
            missed = scheduling.no_show_count(self._actor, self._patient.id)
        except RelaisError as exc:
            self.model.set_rows([])
            self.message.setText(exc.message)
            self._update_buttons()
            return
        self.model.set_rows(rows)
        coming = sum(1 for a in rows if a.status in PENDING)
        text = (
            self.tr("%n rendez-vous, dont {coming} à venir.", "", len(rows)).format(coming=coming)
            if rows
            else self.tr("Aucun rendez-vous pour ce patient.")
        )
        if missed:
            text += " " + self.tr(
                "<span style='color:#b71c1c'>Absences non excusées : <b>{n}</b>.</span>"
            ).format(n=missed)
        self.message.setText(text)
        first_pending = next((i for i, a in enumerate(rows) if a.status in PENDING), 0)
        if rows:
            self.table.selectRow(first_pending)
        self._update_buttons()

    def selected(self) -> AppointmentRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        appointment = self.selected()
        self.details_button.setEnabled(appointment is not None)
        self.print_button.setEnabled(appointment is not None and appointment.status in PENDING)

    def _open(self, dialog: QDialog) -> QDialog:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.finished.connect(lambda _r: (setattr(self, "dialog", None), focus_later(self.table)))
        dialog.open()
        return dialog

    def book(self) -> QDialog:
        dialog = SlotPickerDialog(
            self._ports,
            self._actor,
            patient_id=self._patient.id,
            patient_name=self._patient.summary.display_name,
            parent=self,
        )
        dialog.booked.connect(lambda _a: (self.reload(), self.changed.emit()))
        return self._open(dialog)

    def open_selected(self) -> QDialog | None:
        appointment = self.selected()
        if appointment is None:
            return None
        dialog = AppointmentDialog(
            self._ports, self._actor, appointment, can_book=self.can_book, parent=self
        )
        dialog.open_button.hide()  # already in the file
        dialog.changed.connect(lambda _a: (self.reload(), self.changed.emit()))
        dialog.consult.connect(self._consult)
        return self._open(dialog)

    def _consult(self, appointment: AppointmentRecord) -> None:
        self.consultation = start_consultation(
            self,
            self._ports,
            self._actor,
            appointment,
            lambda _a: (self.reload(), self.changed.emit()),
        )

    def print_slip(self) -> None:
        appointment = self.selected()
        if appointment is None:
            return
        try:
            self.preview = open_slip(self, self._ports.scheduling, self._actor, appointment.id)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        self.error.hide()
        self.changed.emit()
