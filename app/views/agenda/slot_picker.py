"""« Fixer un rendez-vous » for one patient (from a referral, the waiting list or the patient
file): the next free slots of a professional, by day. By keyboard: the arrow keys move from
slot to slot (the day lines are skipped), Return books the slot."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from app.clock import clinic_today
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import local
from app.services.scheduling.records import SlotRecord, fr_date, fr_time
from app.views.agenda.booking_base import BookingDialogBase
from app.views.agenda.ui import keyboard_friendly
from app.views.agenda.waiting_add import WaitingAddDialog
from app.views.common.steps import run_step
from app.views.common.tasks import runner_of

SLOT_ROLE = Qt.ItemDataRole.UserRole + 1


class SlotPickerDialog(BookingDialogBase):
    """The next free slots of a professional, by day, for one patient."""

    def __init__(
        self,
        services,
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
        self.patient_name = patient_name
        self.referral_id = referral_id
        self.waiting_entry_id = waiting_entry_id
        self.slots: list[SlotRecord] = []
        self.waiting_dialog: WaitingAddDialog | None = None
        intro = QLabel(
            self.tr(
                "Rendez-vous pour <b>{name}</b>. Choisissez un créneau libre (flèches, "
                "double-clic) puis Entrée."
            ).format(name=patient_name)
        )
        intro.setWordWrap(True)
        self.choose.insertWidget(0, intro)
        # With the window's task runner the professionals and free slots are read there: the
        # dialog shows at once and its tree fills when the read ends.
        self._runner = runner_of(parent)
        self._reads = 0  # the latest read of the slots (an older one is dropped)
        self.loading = False
        self.choose.insertLayout(1, self._top_row(professional_id))
        self.choose.insertWidget(2, self._slot_tree(), 1)
        self.empty = QLabel()
        self.empty.setObjectName("freeSlotsEmpty")
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.choose.insertWidget(3, self.empty)
        self._waiting_button(waiting_entry_id is None)
        self.professional.currentIndexChanged.connect(lambda _i: self.refresh())
        self.start.dateChanged.connect(lambda _d: self.refresh())
        self.refresh()
        self.tree.setFocus()

    # ---- builders -------------------------------------------------------------------------
    def _top_row(self, professional_id: int | None) -> QHBoxLayout:
        self.professional = QComboBox()
        self.professional.setObjectName("slotProfessional")
        self._wanted = professional_id
        if self._runner is None:
            try:
                professionals = self._ports.scheduling.professionals(self._actor)
            except RelaisError as exc:
                professionals = []
                self._fail(exc.message)
            self._fill_professionals(professionals)
        self.start = QDateEdit(QDate(clinic_today(self._ports.clock)))
        self.start.setObjectName("slotFrom")
        self.start.setCalendarPopup(True)
        self.start.setDisplayFormat("dd/MM/yyyy")
        top = QHBoxLayout()
        for text, widget in (
            (self.tr("A&vec"), self.professional),
            (self.tr("À &partir du"), self.start),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            top.addWidget(label)
            top.addWidget(widget, 1 if widget is self.professional else 0)
        return top

    def _fill_professionals(self, professionals: list[tuple[int, str]]) -> None:
        blocked = self.professional.blockSignals(True)
        self.professional.clear()
        for pid, name in professionals:
            self.professional.addItem(name, pid)
        if self._wanted is not None:
            index = self.professional.findData(self._wanted)
            if index >= 0:
                self.professional.setCurrentIndex(index)
            self.professional.setEnabled(self.referral_id is None)
        self.professional.blockSignals(blocked)

    def _slot_tree(self) -> QTreeWidget:
        self.tree = QTreeWidget()
        self.tree.setObjectName("freeSlots")
        self.tree.setAccessibleName(self.tr("Créneaux libres"))
        self.tree.setColumnCount(2)
        self.tree.setHeaderLabels([self.tr("Créneau libre"), self.tr("Lieu")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.header().setStretchLastSection(True)
        keyboard_friendly(self.tree)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._double_clicked(item))
        self.tree.currentItemChanged.connect(self._current_changed)
        return self.tree

    def _waiting_button(self, visible: bool) -> None:
        self.waiting_button = QPushButton(self.tr("Mettre en &liste d'attente…"), self)
        self.waiting_button.setObjectName("toWaitingList")
        self.waiting_button.setAutoDefault(False)
        self.waiting_button.setToolTip(
            self.tr(
                "Aucun créneau ne convient : le patient sera proposé au prochain créneau libéré."
            )
        )
        self.waiting_button.clicked.connect(self.to_waiting_list)
        self.buttons.addButton(self.waiting_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.waiting_button.setVisible(visible)  # after addButton, which shows it

    # ---- the slots ------------------------------------------------------------------------
    def professional_id(self) -> int | None:
        return self.professional.currentData()

    def refresh(self) -> None:
        """Read the free slots (on the task runner when there is one, with the professionals
        the first time) and show them by day."""
        self.tree.clear()
        self.slots = []
        start = self.start.date().toPython()
        scheduling, actor = self._ports.scheduling, self._actor
        first = self._runner is not None and self.professional.count() == 0
        pid = self._wanted if first else self.professional_id()
        if pid is None and not first:
            self._show_slots([])
            return

        def read() -> tuple[list[tuple[int, str]] | None, list[SlotRecord]]:
            if not first:
                return None, scheduling.free_slots(actor, pid, start=start)
            professionals = list(scheduling.professionals(actor))
            ids = [p for p, _name in professionals]
            chosen = pid if pid in ids else (ids[0] if ids else None)  # the combo's choice
            slots = [] if chosen is None else scheduling.free_slots(actor, chosen, start=start)
            return professionals, slots

        self._reads += 1
        reads = self._reads
        self.loading = self._runner is not None
        self._update_ok()
        run_step(
            read,
            None,
            lambda message: self._read_failed(reads, message),
            runner=self._runner,
            done=lambda found: self._read(reads, *found),
            write=False,
            owner=self,
        )

    def _read_failed(self, reads: int, message: str) -> None:
        if reads == self._reads:
            self.loading = False
            self._fail(message)
            self._show_slots([])

    def _read(
        self, reads: int, professionals: list[tuple[int, str]] | None, slots: list[SlotRecord]
    ) -> None:
        if reads != self._reads:  # a later read is on its way
            return
        self.loading = False
        if professionals is not None:
            self._fill_professionals(professionals)
        self._show_slots(slots)

    def _show_slots(self, slots: list[SlotRecord]) -> None:
        self.tree.clear()
        self.slots = slots
        if self.professional_id() is None:
            self.empty.setText(self.tr("Aucune permanence n'est définie."))
            self.empty.show()
            self._update_ok()
            return
        days = self._fill_tree()
        if self.slots:
            self.empty.hide()
            self.tree.setCurrentItem(next(iter(days.values())).child(0))
        else:
            self.empty.setText(
                self.tr(
                    "Aucun créneau libre dans les six semaines à venir. Mettez le patient en "
                    "liste d'attente : il sera proposé au prochain créneau libéré."
                )
            )
            self.empty.show()
        self._update_ok()

    def _fill_tree(self) -> dict[object, QTreeWidgetItem]:
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
            parent.setText(0, parent.text(0) + self.tr(" — %n créneau(x) libre(s)", "", count))
        self.tree.expandAll()
        return days

    def _current_changed(self, current, previous) -> None:
        """A day line is never the current line: the arrow keys go on to the next slot (down)
        or back to the previous day's last slot (up)."""
        if current is not None and current.data(0, SLOT_ROLE) is None and current.childCount():
            index = self.tree.indexOfTopLevelItem(current)
            going_up = previous is not None and previous.parent() is current
            if going_up and index > 0:
                above = self.tree.topLevelItem(index - 1)
                target = above.child(above.childCount() - 1)
            else:
                target = previous if going_up else current.child(0)
            if target is not None:
                self.tree.setCurrentItem(target)
                return
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
        self.ok.setEnabled(not self.loading and self.selected_slot() is not None)

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
            lambda: self._ports.scheduling.book(
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
            self._ports,
            self._actor,
            patient_id=self.patient_id,
            patient_name=self.patient_name,
            professional_id=self.professional_id(),
            referral_id=self.referral_id,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.waiting_dialog = dialog
        dialog.added.connect(lambda _e: self.accept())
        dialog.finished.connect(lambda _r: setattr(self, "waiting_dialog", None))
        dialog.open()
