"""Booking an appointment: pick the patient for a free slot of the agenda (a referral to
schedule, a patient of the waiting list, or any patient found by the search); then offer to
print the appointment slip (« convocation »). Picking a slot for a given patient is
``slot_picker.SlotPickerDialog``; both share ``booking_base``."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.scheduling.records import SlotRecord, fr_datetime
from app.views.agenda.booking_base import BookingDialogBase, appointment_line, open_slip
from app.views.agenda.side_models import ToScheduleModel, WaitingModel
from app.views.agenda.slot_picker import SlotPickerDialog
from app.views.agenda.ui import fit_columns
from app.views.agenda.waiting_add import WaitingAddDialog
from app.views.common.widgets import record_table
from app.views.shell.search_panel import SearchPanel

__all__ = [
    "BookSlotDialog",
    "SlotPickerDialog",
    "WaitingAddDialog",
    "appointment_line",
    "open_slip",
]


class BookSlotDialog(BookingDialogBase):
    """Who takes this free slot: a referral to schedule, a patient of the waiting list, or
    any patient found by the search. Return books the selected row."""

    REFERRALS, WAITING, SEARCH = range(3)

    def __init__(
        self,
        services,
        actor: Actor,
        slot: SlotRecord,
        professional_name: str,
        *,
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, actor, parent)
        self.setObjectName("bookSlotDialog")
        self.slot = slot
        self.setWindowTitle(self.tr("Fixer un rendez-vous"))
        self.title = QLabel(
            self.tr("<b>{when}</b> — {who}").format(
                when=fr_datetime(slot.starts_at).capitalize(), who=professional_name
            )
        )
        self.title.setObjectName("bookSlotTitle")
        self.title.setStyleSheet("font-size: 12pt;")
        self.choose.insertWidget(0, self.title)
        self.choose.insertWidget(1, self._sources(debounce_ms), 1)
        self.refresh()
        if self.referrals_model.rowCount():
            self.sources.setCurrentIndex(self.REFERRALS)
        elif self.waiting_model.rowCount():
            self.sources.setCurrentIndex(self.WAITING)
        else:
            self.sources.setCurrentIndex(self.SEARCH)
        self.sources.currentWidget().setFocus()

    def _sources(self, debounce_ms: int | None) -> QTabWidget:
        self.sources = QTabWidget()
        self.sources.setObjectName("bookSources")
        self.referrals_model = ToScheduleModel(self)
        self.referrals = fit_columns(record_table(self.referrals_model, name="bookReferrals"))
        self.waiting_model = WaitingModel(self)
        self.waiting = fit_columns(record_table(self.waiting_model, name="bookWaiting"))
        kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
        self.search = SearchPanel(self._ports.patients, self._actor, can_create=False, **kwargs)
        self.search.open_patient.connect(lambda _pid: self.book())
        self.sources.addTab(self.referrals, self.tr("&Orientations à planifier"))
        self.sources.addTab(self.waiting, self.tr("&Liste d'attente"))
        self.sources.addTab(self.search, self.tr("Au&tre patient"))
        # Return on a row reaches the dialog's default button (« Fixer ce rendez-vous »).
        self.referrals.doubleClicked.connect(lambda _i: self.book())
        self.waiting.doubleClicked.connect(lambda _i: self.book())
        return self.sources

    def refresh(self) -> None:
        pid = self.slot.professional_id
        scheduling = self._ports.scheduling
        actor = self._actor
        try:
            total = self.referrals_model.start(
                lambda offset, limit: scheduling.referrals_to_schedule(
                    actor, offset=offset, limit=limit, professional_id=pid
                )
            ).total
            waiting = scheduling.candidates_for(actor, pid, self.slot.starts_at)
        except RelaisError as exc:
            total, waiting = 0, []
            self.referrals_model.clear()
            self._fail(exc.message)
        self.waiting_model.set_rows(waiting)
        self.sources.setTabText(
            self.REFERRALS, self.tr("&Orientations à planifier ({n})").format(n=total)
        )
        self.sources.setTabText(
            self.WAITING, self.tr("&Liste d'attente ({n})").format(n=len(waiting))
        )
        if total:
            self.referrals.selectRow(0)
        if waiting:
            self.waiting.selectRow(0)

    def choice(self) -> tuple[int, int | None, int | None] | None:
        """(patient id, referral id, waiting entry id) chosen on the current tab."""
        tab = self.sources.currentIndex()
        if tab == self.REFERRALS:
            rows = self.referrals.selectionModel().selectedRows()
            summary = self.referrals_model.row_at(rows[0].row()) if rows else None
            return (summary.patient_id, summary.id, None) if summary else None
        if tab == self.WAITING:
            rows = self.waiting.selectionModel().selectedRows()
            entry = self.waiting_model.row_at(rows[0].row()) if rows else None
            return (entry.patient_id, entry.referral_id, entry.id) if entry else None
        patient_id = self.search.selected_patient_id()
        return (patient_id, None, None) if patient_id is not None else None

    def book(self) -> None:
        choice = self.choice()
        if choice is None:
            self._fail(self.tr("Choisissez le patient."))
            return
        patient_id, referral_id, entry_id = choice
        self._book(
            lambda: self._ports.scheduling.book(
                self._actor,
                patient_id=patient_id,
                professional_id=self.slot.professional_id,
                starts_at=self.slot.starts_at,
                referral_id=referral_id,
                waiting_entry_id=entry_id,
            )
        )

    def on_slot_taken(self) -> None:
        """This very slot is gone: nothing left to choose here."""
        self.ok.setEnabled(False)
        self.sources.setEnabled(False)
