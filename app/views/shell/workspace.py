"""One logged-in user's workspace: header, search, open patient files, unsaved drafts.

Each user has their own workspace; when the screen locks or another user switches in, the
workspace is hidden (never shown to someone else) but kept, drafts included.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.clinic.records import ClinicPublic
from app.services.inbox.records import InboxItem
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import PatientRecord
from app.views.admin.audit_dialog import AuditDialog
from app.views.admin.backup_run import BackupRun
from app.views.admin.partners_dialog import PartnersDialog
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import show_message
from app.views.patient_file.archive_dialog import ArchiveDialog
from app.views.patient_file.file_view import APPOINTMENTS_TAB, HOME_CARE_TAB, PatientFileWidget
from app.views.patient_file.identity_form import IdentityDialog
from app.views.ports import ServicesPort
from app.views.referrals.referrals_view import OrientationsDialog
from app.views.shell.header import build_header
from app.views.shell.inbox import InboxDialog
from app.views.shell.password_dialog import ChangePasswordDialog
from app.views.shell.search_panel import SearchPanel
from app.views.shell.second_factor import SecondFactorStatusDialog
from app.views.social.consultation_screen import SOCIAL_FOLLOW_UP_TAB

if TYPE_CHECKING:
    from app.views.agenda.agenda_view import AgendaWidget
    from app.views.statistics.dashboard import StatisticsDashboard

# The patient-file tab an item of an inbox source opens on (``InboxService.add_source`` name).
SOURCE_TABS: dict[str, str] = {
    "social_actions": SOCIAL_FOLLOW_UP_TAB,
    "scheduling": APPOINTMENTS_TAB,
    "home_care": HOME_CARE_TAB,
    "discharge": HOME_CARE_TAB,
}
# Sources whose items without a patient (a freed slot) open the agenda.
AGENDA_SOURCES = {"scheduling"}


class Workspace(QWidget):
    lock_requested = Signal()
    switch_requested = Signal()
    logout_requested = Signal()
    accounts_requested = Signal()
    settings_requested = Signal()
    about_requested = Signal()

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        clinic: ClinicPublic | None,
        *,
        debounce_ms: int | None = None,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self._services = services
        self._runner = runner
        self.actor = actor
        self.identity_dialog: IdentityDialog | None = None
        self.inbox_dialog: InboxDialog | None = None
        self.second_factor_dialog: SecondFactorStatusDialog | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.audit_dialog: AuditDialog | None = None
        self.archive_dialog: ArchiveDialog | None = None
        self.partners_dialog: PartnersDialog | None = None
        self.orientations_dialog: OrientationsDialog | None = None
        self.backup_run: BackupRun | None = None
        self.unread = 0
        self._hidden_dialogs: list[QDialog] = []

        self.capabilities = services.capabilities.of(actor)
        self._debounce_ms = debounce_ms
        self.agenda: AgendaWidget | None = None
        self.statistics: StatisticsDashboard | None = None
        header = build_header(self, clinic)

        self.files = self._build_files(services, actor, debounce_ms)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 2, 6, 4)  # the menu bar above: room kept for the files
        layout.setSpacing(4)
        layout.addLayout(header)
        layout.addWidget(self.files, 1)
        # Read in the background: the workspace shows at once, counts and list follow.
        self.show_unread(0)
        self.refresh_inbox(background=True)
        self.refresh_recent(background=True)

    def _build_files(
        self, services: ServicesPort, actor: Actor, debounce_ms: int | None
    ) -> QTabWidget:
        """The open files' tabs, the search first (it cannot be closed)."""
        kwargs = {} if debounce_ms is None else {"debounce_ms": debounce_ms}
        recent = services.recent_patients
        self.search = SearchPanel(
            services.patients,
            actor,
            can_create=self.capabilities.create_patients,
            recent=lambda: recent.recent(actor),
            **kwargs,
        )
        self.search.open_patient.connect(self.open_patient)
        self.search.new_patient.connect(self.new_patient)
        self.files = QTabWidget()
        self.files.setObjectName("openFiles")
        self.files.setDocumentMode(True)
        self.files.setTabsClosable(True)
        self.files.addTab(self.search, self.tr("Recherche"))
        self.files.tabBar().setTabButton(0, self.files.tabBar().ButtonPosition.RightSide, None)
        self.files.tabCloseRequested.connect(self.close_file_at)
        self.files.currentChanged.connect(lambda index: self._tab_changed(index))
        return self.files

    # ---- inbox --------------------------------------------------------------------------
    def refresh_inbox(self, *, background: bool = False) -> None:
        inbox, actor = self._services.inbox, self.actor
        if background and self._runner is not None:
            self._runner.run(
                lambda _report: inbox.unread_count(actor),
                success=self.show_unread,
                failure=lambda _exc: self.show_unread(0),
                write=False,
                owner=self,
            )
            return
        try:
            self.unread = inbox.unread_count(actor)
        except RelaisError:
            self.unread = 0
        self.show_unread(self.unread)

    def refresh_recent(self, *, background: bool = False) -> None:
        """The search screen's recent patients (read again when the search comes back)."""
        recent, actor = self._services.recent_patients, self.actor
        if background and self._runner is not None:
            self._runner.run(
                lambda _report: recent.recent(actor),
                success=self.search.show_recent_patients,
                write=False,
                owner=self,
            )
            return
        self.search.refresh_recent()

    def show_unread(self, count: int) -> None:
        self.unread = count
        if count:
            self.inbox_button.setText(self.tr("Messages ({n})").format(n=count))
            self.inbox_button.setStyleSheet("font-weight: 600; color: #b00020;")
        else:
            self.inbox_button.setText(self.tr("Messages"))
            self.inbox_button.setStyleSheet("")

    def open_inbox(self) -> None:
        if self.inbox_dialog is not None:
            self.inbox_dialog.raise_()
            return
        dialog = InboxDialog(self._services.inbox, self.actor, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.inbox_dialog = dialog
        dialog.changed.connect(self.refresh_inbox)
        dialog.open_patient.connect(self.open_patient)
        dialog.open_referral.connect(self.open_referral)
        dialog.open_source_item.connect(self.open_source_item)
        dialog.finished.connect(lambda _r: (setattr(self, "inbox_dialog", None),))
        dialog.open()

    # ---- referrals and partners ---------------------------------------------------------
    def open_referral(self, patient_id: int, referral_id: int) -> PatientFileWidget | None:
        """The referral, in its patient's file (« Orientations » tab)."""
        file = self.open_patient(patient_id)
        if file is not None:
            file.open_referral(referral_id)
        self.refresh_inbox()
        return file

    def open_source_item(self, item: InboxItem) -> PatientFileWidget | None:
        """An item of an inbox source, in its patient's file, on the source's tab if any; a
        freed slot (no patient) in the agenda."""
        if item.patient_id is None:
            if item.source in AGENDA_SOURCES and self.agenda_button is not None:
                self.open_agenda()
            return None
        file = self.open_patient(item.patient_id)
        if file is not None and item.source in SOURCE_TABS:
            file.select_tab(SOURCE_TABS[item.source])
        return file

    def open_orientations(self) -> None:
        if self.orientations_dialog is not None:
            self.orientations_dialog.raise_()
            return
        dialog = OrientationsDialog(self._services, self.actor, self, runner=self._runner)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.orientations_dialog = dialog
        dialog.open_referral.connect(self.open_referral)
        dialog.finished.connect(lambda _r: setattr(self, "orientations_dialog", None))
        dialog.finished.connect(lambda _r: self.refresh_inbox())
        dialog.open()

    def open_agenda(self) -> AgendaWidget:
        """The agenda, as a tab beside the open files (opened once)."""
        if self.agenda is None:
            from app.views.agenda.agenda_view import AgendaWidget  # built when first opened

            self.agenda = AgendaWidget(self._services, self.actor, debounce_ms=self._debounce_ms)
            self.agenda.open_patient.connect(self.open_patient)
            self.files.insertTab(1, self.agenda, self.tr("Agenda"))
        else:
            self.agenda.reload()
        self.files.setCurrentWidget(self.agenda)
        return self.agenda

    def open_statistics(self) -> StatisticsDashboard:
        """The activity dashboard, as a tab beside the open files (opened once)."""
        if self.statistics is None:
            from app.views.statistics.dashboard import StatisticsDashboard  # QtCharts: lazy

            self.statistics = StatisticsDashboard(
                self._services.statistics, self.actor, self._runner
            )
            self.files.insertTab(1, self.statistics, self.tr("Statistiques"))
        self.files.setCurrentWidget(self.statistics)
        return self.statistics

    def open_partners(self) -> None:
        self._open_once(
            "partners_dialog",
            lambda: PartnersDialog(self._services.partners, self.actor, self),
        )

    # ---- account and coordination -------------------------------------------------------
    def _open_once(self, attribute: str, factory: Callable[[], QDialog]) -> QDialog:
        dialog = getattr(self, attribute)
        if dialog is not None:
            dialog.raise_()
            return dialog
        dialog = factory()
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        setattr(self, attribute, dialog)
        dialog.finished.connect(lambda _r: setattr(self, attribute, None))
        dialog.open()
        return dialog

    def open_second_factor(self) -> None:
        self._open_once(
            "second_factor_dialog",
            lambda: SecondFactorStatusDialog(
                self._services.auth, self._services.documents, self.actor, self, self._runner
            ),
        )

    def open_change_password(self) -> None:
        self._open_once(
            "password_dialog",
            lambda: ChangePasswordDialog(
                self._services.accounts, self.actor, forced=False, parent=self
            ),
        )

    def open_audit(self) -> None:
        self._open_once(
            "audit_dialog",
            lambda: AuditDialog(self._services, self.actor, self._runner, self),
        )

    def open_archive(self) -> None:
        self._open_once(
            "archive_dialog",
            lambda: ArchiveDialog(self._services.retention, self.actor, self, runner=self._runner),
        )

    def backup_now(self) -> None:
        """« Sauvegarder maintenant »: the one backup run (progress, « Annuler »)."""
        if self.backup_run is None:
            self.backup_run = BackupRun(self._services.backups, self.actor, self._runner, self)
        self.backup_run.start()  # False (nothing new) while a backup is already running

    # ---- files --------------------------------------------------------------------------
    def open_files(self) -> list[PatientFileWidget]:
        return [
            w
            for i in range(self.files.count())
            if isinstance(w := self.files.widget(i), PatientFileWidget)
        ]

    def file_for(self, patient_id: int) -> PatientFileWidget | None:
        return next((f for f in self.open_files() if f.patient_id == patient_id), None)

    def open_patient(self, patient_id: int) -> PatientFileWidget | None:
        existing = self.file_for(patient_id)
        if existing is not None:
            self.files.setCurrentWidget(existing)
            return existing
        try:
            # One user action: the identity and the lists the file shows first, one commit.
            with self._services.user_action():
                return self._add_file(self._services.patients.get(self.actor, patient_id))
        except RelaisError as exc:
            show_message(self, exc.message)
            return None

    def _add_file(self, record: PatientRecord) -> PatientFileWidget:
        widget = PatientFileWidget(self._services, self.actor, record, runner=self._runner)
        index = self.files.addTab(widget, widget.short_title())
        widget.title_changed.connect(lambda title, w=widget: self._retitle(w, title))
        widget.open_patient.connect(self.open_patient)
        self.files.setCurrentIndex(index)
        widget.tabs.setFocus(Qt.FocusReason.OtherFocusReason)
        return widget

    def _retitle(self, widget: PatientFileWidget, title: str) -> None:
        index = self.files.indexOf(widget)
        if index >= 0:
            self.files.setTabText(index, title)

    def close_file_at(self, index: int) -> None:
        widget = self.files.widget(index)
        if widget is self.agenda and widget is not None:
            self.files.removeTab(index)
            widget.deleteLater()
            self.agenda = None
            return
        if widget is self.statistics and widget is not None:
            self.statistics.close_down()
            self.files.removeTab(index)
            widget.deleteLater()
            self.statistics = None
            return
        if not isinstance(widget, PatientFileWidget):
            return
        if widget.has_draft():
            box = show_message(
                self,
                self.tr(
                    "Ce dossier contient une note non enregistrée. Enregistrez-la ou "
                    "abandonnez le brouillon avant de fermer le dossier."
                ),
            )
            box.setObjectName("draftWarning")
            self.files.setCurrentIndex(index)
            return
        self.files.removeTab(index)
        widget.deleteLater()
        if self.files.currentIndex() == 0:
            self.search.focus_search()

    def has_drafts(self) -> bool:
        return any(f.has_draft() for f in self.open_files())

    def focus_search(self) -> None:
        if self.files.currentIndex() == 0:
            self.refresh_recent(background=True)
        self.files.setCurrentIndex(0)
        self.search.focus_search()

    def _tab_changed(self, index: int) -> None:
        if index == 0:  # back on the search: the files opened since then are recent
            self.search.refresh_recent()

    # ---- new patient --------------------------------------------------------------------
    def new_patient(self) -> None:
        if self.identity_dialog is not None:
            self.identity_dialog.raise_()
            return
        dialog = IdentityDialog(self._services, self.actor, None, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.identity_dialog = dialog
        dialog.saved.connect(self._add_file)
        dialog.open_existing.connect(self.open_patient)
        dialog.finished.connect(lambda _r: setattr(self, "identity_dialog", None))
        dialog.open()

    # ---- hiding (lock, user switch) -----------------------------------------------------
    def hide_dialogs(self) -> None:
        """Hide this user's open dialogs (they may show patient data); keep them for later."""
        for dialog in self.findChildren(QDialog):
            if dialog.isVisible():
                self._hidden_dialogs.append(dialog)
                dialog.hide()

    def restore_dialogs(self) -> None:
        dialogs, self._hidden_dialogs = self._hidden_dialogs, []
        for dialog in dialogs:
            dialog.show()

    def for_each_file(self, action: Callable[[PatientFileWidget], None]) -> None:
        for widget in self.open_files():
            action(widget)
