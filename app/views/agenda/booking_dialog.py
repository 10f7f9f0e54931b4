"""Booking an appointment: pick a free slot for a patient (from a referral, the waiting list
or the patient file), or pick the patient for a free slot of the agenda; then offer to print
the appointment slip (« convocation ») through the PDF preview/print/save dialog."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTabWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.timefmt import local
from app.services.scheduling.records import (
    WAITING_URGENCY_LABELS,
    AppointmentRecord,
    SlotRecord,
    SlotTaken,
    WaitingUrgency,
    fr_date,
    fr_datetime,
    fr_time,
)
from app.views.agenda.scheduling_model import ToScheduleModel, WaitingModel
from app.views.common import pdf_view
from app.views.common.widgets import FieldErrors, error_label, record_table
from app.views.ports import SchedulingPort, ServicesPort
from app.views.shell.search_panel import SearchPanel

SLOT_ROLE = Qt.ItemDataRole.UserRole + 1


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


class _BookingBase(QDialog):
    """Two pages: choosing (subclasses), then « Rendez-vous fixé » with the slip button."""

    booked = Signal(object)  # AppointmentRecord
    slot_taken = Signal()  # someone else took a slot: lists showing it must refresh

    def __init__(self, services: ServicesPort, actor: Actor, parent: QWidget | None) -> None:
        super().__init__(parent)
        self._services = services
        self._actor = actor
        self.appointment: AppointmentRecord | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None
        self.resize(760, 620)
        self.pages = QStackedWidget()
        self.choose_page = QWidget()
        self.choose = QVBoxLayout(self.choose_page)
        self.choose.setContentsMargins(0, 0, 0, 0)
        self.error = error_label()
        self.error.setObjectName("bookingError")
        self.cancel_button = QPushButton(self.tr("Annuler"))
        self.cancel_button.setAutoDefault(False)
        self.cancel_button.clicked.connect(self.reject)
        self.ok = QPushButton(self.tr("Fixer ce rendez-vous"))
        self.ok.setObjectName("bookSlot")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.book)
        self.buttons = QHBoxLayout()
        self.buttons.addStretch(1)
        self.buttons.addWidget(self.cancel_button)
        self.buttons.addWidget(self.ok)
        self.choose.addWidget(self.error)
        self.choose.addLayout(self.buttons)
        # ---- booked page -------------------------------------------------------------------
        done = QWidget()
        self.done_title = QLabel(self.tr("Rendez-vous fixé"))
        self.done_title.setStyleSheet("font-size: 13pt; font-weight: 600; color: #1b5e20;")
        self.done_text = QLabel()
        self.done_text.setObjectName("bookedSummary")
        self.done_text.setWordWrap(True)
        self.done_text.setTextFormat(Qt.TextFormat.RichText)
        self.done_error = error_label()
        self.done_error.setObjectName("slipError")
        self.print_slip_button = QPushButton(self.tr("Imprimer la convocation…"))
        self.print_slip_button.setObjectName("printSlipButton")
        self.print_slip_button.setDefault(True)
        self.print_slip_button.clicked.connect(self.print_slip)
        close = QPushButton(self.tr("Fermer"))
        close.setObjectName("bookedClose")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        done_buttons = QHBoxLayout()
        done_buttons.addStretch(1)
        done_buttons.addWidget(close)
        done_buttons.addWidget(self.print_slip_button)
        done_layout = QVBoxLayout(done)
        done_layout.addWidget(self.done_title)
        done_layout.addWidget(self.done_text)
        done_layout.addWidget(self.done_error)
        done_layout.addStretch(1)
        done_layout.addLayout(done_buttons)
        self.pages.addWidget(self.choose_page)
        self.pages.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages)

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def _book(self, call: Callable[[], AppointmentRecord]) -> bool:
        """Run the booking; on success show the booked page. ``SlotTaken``: message and
        the choices are refreshed (``refresh``)."""
        try:
            appointment = call()
        except SlotTaken as exc:
            self._fail(exc.message)
            self.on_slot_taken()
            self.slot_taken.emit()
            return False
        except ValidationError as exc:
            self._fail("\n".join(exc.fields.values()))
            return False
        except RelaisError as exc:
            self._fail(exc.message)
            return False
        self.appointment = appointment
        self._show_booked(appointment)
        self.booked.emit(appointment)
        return True

    def _show_booked(self, appointment: AppointmentRecord) -> None:
        try:
            papers = self._services.scheduling.papers(self._actor, appointment.id)
        except RelaisError:
            papers = ()
        items = "".join(f"<li>{p}</li>" for p in papers)
        self.done_text.setText(
            self.tr("<p><b>{patient}</b><br>{line}</p>").format(
                patient=appointment.patient_name, line=appointment_line(appointment)
            )
            + (self.tr("<p>Documents à apporter :</p><ul>{items}</ul>").format(items=items))
            * bool(papers)
        )
        self.pages.setCurrentIndex(1)
        self.print_slip_button.setFocus()

    def print_slip(self) -> None:
        if self.appointment is None:
            return
        try:
            self.preview = open_slip(
                self, self._services.scheduling, self._actor, self.appointment.id
            )
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


class SlotPickerDialog(_BookingBase):
    """The next free slots of a professional, by day, for one patient."""

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        *,
        patient_id: int,
        patient_name: str,
        professional_id: int | None = None,
        referral_id: int | None = None,
        waiting_entry_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(services, actor, parent)
        self.setObjectName("slotPicker")
        self.setWindowTitle(self.tr("Fixer un rendez-vous — {name}").format(name=patient_name))
        self.patient_id = patient_id
        self.referral_id = referral_id
        self.waiting_entry_id = waiting_entry_id
        self.slots: list[SlotRecord] = []
        intro = QLabel(
            self.tr("Rendez-vous pour <b>{name}</b>. Double-cliquez sur un créneau libre.").format(
                name=patient_name
            )
        )
        intro.setWordWrap(True)
        self.professional = QComboBox()
        self.professional.setObjectName("slotProfessional")
        try:
            professionals = services.scheduling.professionals(actor)
        except RelaisError as exc:
            professionals = []
            self._fail(exc.message)
        for pid, name in professionals:
            self.professional.addItem(name, pid)
        if professional_id is not None:
            index = self.professional.findData(professional_id)
            if index >= 0:
                self.professional.setCurrentIndex(index)
            self.professional.setEnabled(referral_id is None)
        self.start = QDateEdit(QDate(clinic_today(services.clock)))
        self.start.setObjectName("slotFrom")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy")
        self.tree = QTreeWidget()
        self.tree.setObjectName("freeSlots")
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Créneau libre"), self.tr("Lieu")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._double_clicked(item))
        self.tree.currentItemChanged.connect(lambda *_: self._update_ok())
        self.empty = QLabel()
        self.empty.setObjectName("freeSlotsEmpty")
        self.empty.setWordWrap(True)
        self.empty.hide()
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Avec")))
        top.addWidget(self.professional, 1)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("À partir du")))
        top.addWidget(self.start)
        self.waiting_button = QPushButton(self.tr("Mettre en liste d'attente…"))
        self.waiting_button.setObjectName("toWaitingList")
        self.waiting_button.setAutoDefault(False)
        self.waiting_button.setToolTip(
            self.tr(
                "Aucun créneau ne convient : le patient sera proposé au prochain créneau libéré."
            )
        )
        self.waiting_button.setVisible(waiting_entry_id is None)
        self.waiting_button.clicked.connect(self.to_waiting_list)
        self.buttons.insertWidget(0, self.waiting_button)
        self.waiting_dialog: WaitingAddDialog | None = None
        for index, widget in enumerate((intro,)):
            self.choose.insertWidget(index, widget)
        self.choose.insertLayout(1, top)
        self.choose.insertWidget(2, self.tree, 1)
        self.choose.insertWidget(3, self.empty)
        self.professional.currentIndexChanged.connect(lambda _i: self.refresh())
        self.start.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()

    def professional_id(self) -> int | None:
        return self.professional.currentData()

    def refresh(self) -> None:
        self.tree.clear()
        self.slots = []
        pid = self.professional_id()
        if pid is None:
            self.empty.setText(self.tr("Aucune permanence n'est définie."))
            self.empty.show()
            self._update_ok()
            return
        try:
            self.slots = self._services.scheduling.free_slots(
                self._actor, pid, start=self.start.date().toPython()
            )
        except RelaisError as exc:
            self._fail(exc.message)
        days: dict[object, QTreeWidgetItem] = {}
        for index, slot in enumerate(self.slots):
            day = local(slot.starts_at).date()
            parent = days.get(day)
            if parent is None:
                parent = QTreeWidgetItem([fr_date(day).capitalize(), ""])
                parent.setFlags(Qt.ItemFlag.ItemIsEnabled)
                font = parent.font(0)
                font.setBold(True)
                parent.setFont(0, font)
                days[day] = parent
                self.tree.addTopLevelItem(parent)
            place = ", ".join(p for p in (slot.place, slot.room) if p)
            item = QTreeWidgetItem([f"{fr_time(slot.starts_at)} – {fr_time(slot.ends_at)}", place])
            item.setData(0, SLOT_ROLE, index)
            parent.addChild(item)
        for parent in days.values():
            count = parent.childCount()
            parent.setText(
                0,
                parent.text(0) + self.tr(" — %n créneau(x) libre(s)", "", count),
            )
        self.tree.expandAll()
        if self.slots:
            self.empty.hide()
            first = next(iter(days.values())).child(0)
            self.tree.setCurrentItem(first)
        else:
            self.empty.setText(
                self.tr(
                    "Aucun créneau libre dans les six semaines à venir. Mettez le patient en "
                    "liste d'attente : il sera proposé au prochain créneau libéré."
                )
            )
            self.empty.show()
        self._update_ok()

    def slot_items(self) -> list[QTreeWidgetItem]:
        out = []
        for i in range(self.tree.topLevelItemCount()):
            parent = self.tree.topLevelItem(i)
            out += [parent.child(j) for j in range(parent.childCount())]
        return out

    def selected_slot(self) -> SlotRecord | None:
        item = self.tree.currentItem()
        index = item.data(0, SLOT_ROLE) if item is not None else None
        return self.slots[index] if index is not None and index < len(self.slots) else None

    def select_slot(self, starts_at: datetime) -> bool:
        for item in self.slot_items():
            if self.slots[item.data(0, SLOT_ROLE)].starts_at == starts_at:
                self.tree.setCurrentItem(item)
                return True
        return False

    def _update_ok(self) -> None:
        self.ok.setEnabled(self.selected_slot() is not None)

    def _double_clicked(self, item: QTreeWidgetItem) -> None:
        if item.data(0, SLOT_ROLE) is not None:
            self.tree.setCurrentItem(item)
            self.book()

    def book(self) -> None:
        slot = self.selected_slot()
        if slot is None:
            self._fail(self.tr("Choisissez un créneau libre."))
            return
        self._book(
            lambda: self._services.scheduling.book(
                self._actor,
                patient_id=self.patient_id,
                professional_id=slot.professional_id,
                starts_at=slot.starts_at,
                referral_id=self.referral_id,
                waiting_entry_id=self.waiting_entry_id,
            )
        )

    def to_waiting_list(self) -> None:
        dialog = WaitingAddDialog(
            self._services,
            self._actor,
            patient_id=self.patient_id,
            patient_name=self.windowTitle().split(" — ", 1)[-1],
            professional_id=self.professional_id(),
            referral_id=self.referral_id,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.waiting_dialog = dialog
        dialog.added.connect(lambda _e: self.accept())
        dialog.finished.connect(lambda _r: setattr(self, "waiting_dialog", None))
        dialog.open()


class BookSlotDialog(_BookingBase):
    """Who takes this free slot: a referral to schedule, a patient of the waiting list, or
    any patient found by the search."""

    REFERRALS, WAITING, SEARCH = range(3)

    def __init__(
        self,
        services: ServicesPort,
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
        self.title = title = QLabel(
            self.tr("<b>{when}</b> — {who}").format(
                when=fr_datetime(slot.starts_at).capitalize(), who=professional_name
            )
        )
        title.setObjectName("bookSlotTitle")
        title.setStyleSheet("font-size: 12pt;")
        self.sources = QTabWidget()
        self.sources.setObjectName("bookSources")
        scheduling = services.scheduling
        self.referrals_model = ToScheduleModel(self)
        self.referrals = record_table(self.referrals_model, name="bookReferrals")
        self.referrals.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.referrals.horizontalHeader().setStretchLastSection(True)
        self.waiting_model = WaitingModel(self)
        self.waiting = record_table(self.waiting_model, name="bookWaiting")
        self.waiting.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.waiting.horizontalHeader().setStretchLastSection(True)
        kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
        self.search = SearchPanel(services.patients, actor, can_create=False, **kwargs)
        self.search.open_patient.connect(lambda _pid: self.book())
        self.sources.addTab(self.referrals, self.tr("Orientations à planifier"))
        self.sources.addTab(self.waiting, self.tr("Liste d'attente"))
        self.sources.addTab(self.search, self.tr("Autre patient"))
        self.referrals.doubleClicked.connect(lambda _i: self.book())
        self.waiting.doubleClicked.connect(lambda _i: self.book())
        self.choose.insertWidget(0, title)
        self.choose.insertWidget(1, self.sources, 1)
        self._scheduling = scheduling
        self.refresh()
        if self.referrals_model.rowCount():
            self.sources.setCurrentIndex(self.REFERRALS)
        elif self.waiting_model.rowCount():
            self.sources.setCurrentIndex(self.WAITING)
        else:
            self.sources.setCurrentIndex(self.SEARCH)

    def refresh(self) -> None:
        pid = self.slot.professional_id
        try:
            referrals = [
                r
                for r in self._scheduling.referrals_to_schedule(self._actor)
                if r.receiver_id == pid
            ]
            waiting = self._scheduling.candidates_for(self._actor, pid, self.slot.starts_at)
        except RelaisError as exc:
            referrals, waiting = [], []
            self._fail(exc.message)
        self.referrals_model.set_rows(referrals)
        self.waiting_model.set_rows(waiting)
        self.sources.setTabText(
            self.REFERRALS, self.tr("Orientations à planifier ({n})").format(n=len(referrals))
        )
        self.sources.setTabText(
            self.WAITING, self.tr("Liste d'attente ({n})").format(n=len(waiting))
        )
        if referrals:
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
            lambda: self._scheduling.book(
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


class WaitingAddDialog(QDialog):
    """Put a patient on a professional's waiting list (urgency, when they can come)."""

    added = Signal(object)  # WaitingEntryRecord

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        *,
        patient_id: int | None = None,
        patient_name: str = "",
        professional_id: int | None = None,
        referral_id: int | None = None,
        debounce_ms: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("waitingAddDialog")
        self.setWindowTitle(self.tr("Inscrire en liste d'attente"))
        self.setMinimumWidth(620)
        self._services = services
        self._actor = actor
        self.patient_id = patient_id
        self.referral_id = referral_id
        self.general_error = error_label()
        self.general_error.setObjectName("waitingError")
        self.errors = FieldErrors(self.general_error)
        form = QFormLayout()
        self.search: SearchPanel | None = None
        if patient_id is None:
            kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
            self.search = SearchPanel(services.patients, actor, can_create=False, **kwargs)
            self.search.setMinimumHeight(260)
            self.errors.add_row(form, "patient_id", self.tr("Patient"), self.search)
        else:
            form.addRow(self.tr("Patient"), QLabel(f"<b>{patient_name}</b>"))
        self.professional = QComboBox()
        self.professional.setObjectName("waitingProfessional")
        try:
            for pid, name in services.scheduling.professionals(actor):
                self.professional.addItem(name, pid)
        except RelaisError as exc:
            self.errors.show_general(exc.message)
        if professional_id is not None:
            self.professional.setCurrentIndex(max(self.professional.findData(professional_id), 0))
        self.urgency = QComboBox()
        self.urgency.setObjectName("waitingUrgency")
        for urgency in WaitingUrgency:
            self.urgency.addItem(self.tr(WAITING_URGENCY_LABELS[urgency]), str(urgency))
        self.preferences = QLineEdit()
        self.preferences.setObjectName("waitingPreferences")
        self.preferences.setPlaceholderText(self.tr("ex. : le mardi matin, pas avant 10 h"))
        self.errors.add_row(form, "professional_id", self.tr("Avec"), self.professional)
        self.errors.add_row(form, "urgency", self.tr("Urgence"), self.urgency)
        self.errors.add_row(form, "preferences", self.tr("Disponibilités"), self.preferences)
        self.ok = QPushButton(self.tr("Inscrire"))
        self.ok.setObjectName("waitingConfirm")
        self.ok.setDefault(True)
        self.ok.clicked.connect(self.confirm)
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

    def confirm(self) -> None:
        patient_id = self.patient_id
        if patient_id is None and self.search is not None:
            patient_id = self.search.selected_patient_id()
        if patient_id is None:
            self.errors.show({"patient_id": self.tr("Cherchez puis choisissez le patient.")})
            return
        professional_id = self.professional.currentData()
        if professional_id is None:
            self.errors.show({"professional_id": self.tr("Choisissez le professionnel.")})
            return
        try:
            entry = self._services.scheduling.add_to_waiting_list(
                self._actor,
                patient_id=patient_id,
                professional_id=professional_id,
                referral_id=self.referral_id,
                urgency=self.urgency.currentData(),
                preferences=self.preferences.text(),
            )
        except ValidationError as exc:
            self.errors.show(exc.fields)
            return
        except RelaisError as exc:
            self.errors.show_general(exc.message)
            return
        self.added.emit(entry)
        self.accept()
