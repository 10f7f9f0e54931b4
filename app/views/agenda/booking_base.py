"""What every booking dialog shares: two pages — choosing (each dialog its own), then
« Rendez-vous fixé » with the slip button — and opening the slip in the PDF preview."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.scheduling.records import AppointmentRecord, SlotTaken, fr_datetime
from app.views.agenda.ports import AgendaPorts, SchedulingPort
from app.views.agenda.ui import button_box
from app.views.common import pdf_view
from app.views.common.steps import run_step
from app.views.common.tasks import runner_of
from app.views.common.widgets import error_label


def open_slip(
    parent: QWidget, scheduling: SchedulingPort, actor: Actor, appointment_id: int
) -> pdf_view.PdfPreviewDialog:
    """The appointment slip in the preview/print/save dialog (errors propagate)."""
    generated = scheduling.slip_pdf(actor, appointment_id)
    dialog = pdf_view.PdfPreviewDialog(
        generated.pdf,
        f"{generated.title} — {generated.number}",
        f"{generated.number}.pdf",
        parent,
    )
    dialog.setObjectName("slipPreview")
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog


def appointment_line(appointment: AppointmentRecord) -> str:
    """« mardi 24 novembre 2026 à 9 h 30, avec Sophie Moreau (salle 2) »."""
    place = ", ".join(p for p in (appointment.place, appointment.room) if p)
    text = f"{fr_datetime(appointment.starts_at)}, avec {appointment.professional_name}"
    return f"{text} ({place})" if place else text


class BookingDialogBase(QDialog):
    """Two pages: choosing (subclasses fill ``choose``), then « Rendez-vous fixé » with the
    slip button. Return books from the first page and prints the slip from the second."""

    booked = Signal(object)  # AppointmentRecord
    slot_taken = Signal()  # someone else took a slot: lists showing it must refresh

    def __init__(self, services, actor: Actor, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._ports = AgendaPorts.of(services)
        self._actor = actor
        self.appointment: AppointmentRecord | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.resize(900, 620)  # « Autre patient »: the search's five columns, names whole
        self.pages = QStackedWidget()
        self.pages.addWidget(self._choose_page())
        self.pages.addWidget(self._booked_page())
        QVBoxLayout(self).addWidget(self.pages)

    def _choose_page(self) -> QWidget:
        self.choose_page = QWidget()
        self.choose = QVBoxLayout(self.choose_page)
        self.choose.setContentsMargins(0, 0, 0, 0)
        self.error = error_label()
        self.error.setObjectName("bookingError")
        self.buttons, self.ok = button_box(
            self, self.tr("&Fixer ce rendez-vous"), self.book, ok_name="bookSlot"
        )
        self.cancel_button = self.buttons.buttons()[-1]
        self.choose.addWidget(self.error)
        self.choose.addWidget(self.buttons)
        return self.choose_page

    def _booked_page(self) -> QWidget:
        done = QWidget()
        self.done_title = QLabel(self.tr("✔ Rendez-vous fixé"))
        self.done_title.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1b5e20;")
        self.done_text = QLabel()
        self.done_text.setObjectName("bookedSummary")
        self.done_text.setWordWrap(True)
        self.done_text.setTextFormat(Qt.TextFormat.RichText)
        self.done_error = error_label()
        self.done_error.setObjectName("slipError")
        box = QDialogButtonBox(done)
        self.print_slip_button = box.addButton(
            self.tr("&Imprimer la convocation…"), QDialogButtonBox.ButtonRole.ActionRole
        )
        self.print_slip_button.setObjectName("printSlipButton")
        self.print_slip_button.clicked.connect(self.print_slip)
        close = box.addButton(self.tr("Fer&mer"), QDialogButtonBox.ButtonRole.AcceptRole)
        close.setObjectName("bookedClose")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        layout = QVBoxLayout(done)
        layout.addWidget(self.done_title)
        layout.addWidget(self.done_text)
        layout.addWidget(self.done_error)
        layout.addStretch(1)
        layout.addWidget(box)
        return done

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _book(self, call: Callable[[], AppointmentRecord]) -> bool:
        """Run the booking (on the window's task runner when there is one: False returned
        at once, « Fixer ce rendez-vous » disabled meanwhile); on success show the booked
        page. ``SlotTaken``: message and the choices are refreshed (``refresh``)."""
        scheduling, actor = self._ports.scheduling, self._actor

        def book() -> tuple[AppointmentRecord, tuple[str, ...]]:
            appointment = call()
            try:
                papers = tuple(scheduling.papers(actor, appointment.id))
            except RelaisError:
                papers = ()
            return appointment, papers

        runner = runner_of(self)
        done: list[bool] = []
        run_step(
            book,
            None,
            self._fail,
            refused=self._refused,
            runner=runner,
            done=lambda booked: done.append(self._booked(*booked)),
            busy=[self.ok],
            owner=self,
        )
        return bool(done)

    def _refused(self, error: RelaisError) -> None:
        if isinstance(error, SlotTaken):
            self._fail(error.message)
            self.on_slot_taken()
            self.slot_taken.emit()
        elif isinstance(error, ValidationError):
            self._fail("\n".join(error.fields.values()))
        else:
            self._fail(error.message)

    def _booked(self, appointment: AppointmentRecord, papers: tuple[str, ...]) -> bool:
        self.appointment = appointment
        self._show_booked(appointment, papers)
        self.booked.emit(appointment)
        return True

    def _show_booked(self, appointment: AppointmentRecord, papers: tuple[str, ...]) -> None:
        items = "".join(f"<li>{p}</li>" for p in papers)
        self.done_text.setText(
            self.tr("<p><b>{patient}</b><br>{line}</p>").format(
                patient=appointment.patient_name, line=appointment_line(appointment)
            )
            + (self.tr("<p>Documents à apporter :</p><ul>{items}</ul>").format(items=items))
            * bool(papers)
        )
        self.ok.setDefault(False)
        self.pages.setCurrentIndex(1)
        self.print_slip_button.setDefault(True)
        self.print_slip_button.setFocus()

    def print_slip(self) -> None:
        if self.appointment is None:
            return
        try:
            self.preview = open_slip(self, self._ports.scheduling, self._actor, self.appointment.id)
        except RelaisError as exc:
            self.done_error.setText(exc.message)
            self.done_error.show()

    # ---- for subclasses ----------------------------------------------------------------
    def refresh(self) -> None:
        """Reload what can be chosen."""

    def on_slot_taken(self) -> None:
        self.refresh()

    def book(self) -> None:
        """Book the chosen slot (each dialog knows for whom: the subclasses say)."""
