"""One open patient file: identity header and one tab per compartment the role may read."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from app.models.enums import Compartment
from app.services import policy
from app.services.actor import Actor
from app.services.errors import RelaisError
from app.services.records import COMPARTMENT_LABELS, PatientRecord
from app.views.admin_tab import AdministrativeTab
from app.views.history_tab import HistoryTab
from app.views.identity_form import IdentityDialog
from app.views.labels import age_label, date_fr, nir_display, status_label
from app.views.notes_tab import NotesTab
from app.views.ports import ServicesPort

HISTORY_TAB = "history"


class PatientFileWidget(QWidget):
    """Built from a record already read by the caller (so opening errors surface there)."""

    title_changed = Signal(str)
    open_patient = Signal(int)

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        record: PatientRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("patientFile")
        self._services = services
        self._actor = actor
        self.record = record
        self.identity_dialog: IdentityDialog | None = None

        self.name_label = QLabel()
        self.name_label.setObjectName("patientName")
        self.name_label.setStyleSheet("font-size: 15pt; font-weight: 600;")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details_label = QLabel()
        self.details_label.setObjectName("patientDetails")
        self.details_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.tabs = QTabWidget()
        self.tabs.setObjectName("compartmentTabs")
        self.notes_tabs: dict[Compartment, NotesTab] = {}
        self.admin_tab: AdministrativeTab | None = None
        readable = policy.readable_compartments(actor.role)
        writable = policy.writable_compartments(actor.role)
        for compartment in readable:
            label = self.tr(COMPARTMENT_LABELS[compartment])
            if compartment == Compartment.ADMINISTRATIVE:
                self.admin_tab = AdministrativeTab(can_edit=compartment in writable)
                self.admin_tab.edit_requested.connect(self.edit_identity)
                self.tabs.addTab(self.admin_tab, label)
            else:
                tab = NotesTab(
                    services.notes,
                    actor,
                    record.id,
                    compartment,
                    can_write=compartment in writable,
                )
                tab.changed.connect(self.refresh_history)
                self.notes_tabs[compartment] = tab
                self.tabs.addTab(tab, label)
            self.tabs.widget(self.tabs.count() - 1).setProperty("compartment", str(compartment))
        self.history_tab = HistoryTab()
        self.history_tab.setProperty("compartment", HISTORY_TAB)
        self._history_loaded = False
        self.tabs.addTab(self.history_tab, self.tr("Historique"))
        self.tabs.currentChanged.connect(self._tab_changed)

        layout = QVBoxLayout(self)
        layout.addWidget(self.name_label)
        layout.addWidget(self.details_label)
        layout.addWidget(self.tabs, 1)
        self.show_record(record)

    # ---- display ------------------------------------------------------------------------
    @property
    def patient_id(self) -> int:
        return self.record.id

    def tab_titles(self) -> list[str]:
        return [self.tabs.tabText(i) for i in range(self.tabs.count())]

    def tab_keys(self) -> list[str]:
        return [str(self.tabs.widget(i).property("compartment")) for i in range(self.tabs.count())]

    def short_title(self) -> str:
        r = self.record
        return f"{(r.used_name or r.birth_name).upper()} {r.first_names.split(' ')[0]}"

    def show_record(self, record: PatientRecord) -> None:
        self.record = record
        self.name_label.setText(record.summary.display_name)
        parts = [
            self.tr("né(e) le {date} ({age})").format(
                date=date_fr(record.birth_date), age=age_label(record.birth_date)
            ),
            self.tr("NIR {nir}").format(nir=nir_display(record.nir))
            if record.nir
            else self.tr("NIR non renseigné"),
            status_label(record.identity_status),
        ]
        if record.archived:
            parts.append(self.tr("dossier archivé"))
        self.details_label.setText(" · ".join(parts))
        if self.admin_tab is not None:
            self.admin_tab.show_record(record)
        self.title_changed.emit(self.short_title())

    def _tab_changed(self, index: int) -> None:
        widget = self.tabs.widget(index)
        if isinstance(widget, NotesTab):
            widget.ensure_loaded()
        elif widget is self.history_tab and not self._history_loaded:
            self.refresh_history()

    def refresh_history(self) -> None:
        try:
            items = self._services.patients.history(self._actor, self.record.id)
        except RelaisError:
            items = []
        self._history_loaded = True
        self.history_tab.show_items(items)

    def select_tab(self, key: str) -> bool:
        for i in range(self.tabs.count()):
            if self.tabs.widget(i).property("compartment") == key:
                self.tabs.setCurrentIndex(i)
                return True
        return False

    # ---- drafts -------------------------------------------------------------------------
    def has_draft(self) -> bool:
        return any(tab.has_draft for tab in self.notes_tabs.values())

    # ---- identity -----------------------------------------------------------------------
    def edit_identity(self) -> None:
        if self.identity_dialog is not None:
            self.identity_dialog.raise_()
            return
        dialog = IdentityDialog(self._services, self._actor, self.record, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.identity_dialog = dialog
        dialog.saved.connect(self._identity_saved)
        dialog.open_existing.connect(self.open_patient)
        dialog.finished.connect(lambda _result: setattr(self, "identity_dialog", None))
        dialog.open()

    def _identity_saved(self, record: PatientRecord) -> None:
        self.show_record(record)
        if self._history_loaded:
            self.refresh_history()
