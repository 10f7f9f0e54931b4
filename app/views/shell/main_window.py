"""The main window: login, lock screen, and one hidden-or-shown workspace per logged-in user."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt, QTimer
from PySide6.QtGui import QCloseEvent, QGuiApplication
from PySide6.QtWidgets import (
    QApplication,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, SessionExpired
from app.views.common.data_changed import DataChangedHub, LiveRefresh
from app.views.common.responsive import ResponsivePage, size_to_current_page
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import show_message
from app.views.shell.actions import ShellActions
from app.views.shell.audit_key_banner import AuditKeyBanner, AuditKeySetter, parse_audit_key
from app.views.shell.commands import WORKSPACE_COMMANDS, enabled_in
from app.views.shell.dialogs_mixin import ShellDialogsMixin
from app.views.shell.lock import InactivityWatcher, LockWidget
from app.views.shell.login import DemoAccountLike, LoginWidget
from app.views.shell.prompts import confirm_logout, session_expired
from app.views.shell.warm_up import WarmUp
from app.views.shell.window_state import WindowState

if TYPE_CHECKING:  # imported once the login screen is shown (``warm_up``), or at first use
    from app.views.admin.accounts_dialog import AccountsDialog
    from app.views.admin.settings_dialog import SettingsDialog
    from app.views.ports import ServicesPort
    from app.views.shell.about_dialog import AboutDialog
    from app.views.shell.password_dialog import ChangePasswordDialog
    from app.views.shell.shortcuts_dialog import ShortcutsDialog
    from app.views.shell.workspace import Workspace

DEFAULT_INACTIVITY_MINUTES = 5
TICK_MS = 2 * 60_000  # key grants, inbox counts, session lifetime
SCHEDULED_BACKUP_MS = 60 * 60_000  # the backup itself runs once a day (services decide)


class MainWindow(ShellDialogsMixin, QMainWindow):
    """``idle_ms`` overrides the clinic's inactivity delay (tests); ``debounce_ms`` the search's."""

    def __init__(
        self,
        services: ServicesPort,
        *,
        demo_accounts: Sequence[DemoAccountLike] = (),
        demo_password: str = "",
        idle_ms: int | None = None,
        debounce_ms: int | None = None,
        runner: TaskRunner | None = None,
        use_audit_key: AuditKeySetter | None = None,
        scheduled_backups: bool = False,
        log_folder: Path | None = None,
        connect_server: Callable[[], None] | None = None,
        hub: DataChangedHub | None = None,
        settings: QSettings | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._services = services
        self.runner = runner or TaskRunner(self)
        self._use_audit_key = use_audit_key or self._set_audit_key
        self._idle_override = idle_ms
        self._debounce_ms = debounce_ms
        self._force_close = False
        self._log_folder = log_folder
        self._no_dialogs_yet()
        self.shell_actions = ShellActions(self, self.run_action)
        self.about_action = self.shell_actions.actions["about"]

        # The clinic's settings, read again every few minutes (tick) and when they are saved.
        self._clinic = clinic = services.clinic.public()
        self._clinic_name = clinic.name if clinic else ""
        self._build_screens(services, demo_accounts, demo_password, connect_server)
        self.audit_banner = AuditKeyBanner(self._use_audit_key)
        # Changes from this workstation and the others (LISTEN/NOTIFY), one hub for the window.
        self.hub = hub or DataChangedHub(getattr(services, "changes", None), self)
        self.live = LiveRefresh(self.hub, lambda: list(self.workspaces.values()))
        self._build_central()
        self.shell_actions.build_menus(self.menuBar())
        for menu in self.shell_actions.menus.values():
            menu.aboutToShow.connect(self.update_actions)
        self.resize(1200, 780)
        self.window_state = WindowState(settings)
        self.window_state.restore_geometry(self)

        self._build_timers(scheduled_backups)
        self._connect_screens()
        self.show_login()
        if not (clinic is not None and clinic.demo):
            self._check_audit_key()
        # Once the login screen is on screen: the workspace's modules and services, ahead.
        self.warm_up = WarmUp(services, self)
        self.warm_up.start()

    # ---- building -----------------------------------------------------------------------
    def _no_dialogs_yet(self) -> None:
        """No workspace yet, none of the window's single-instance dialogs open."""
        self.expired_box: QMessageBox | None = None
        self.workspaces: dict[int, Workspace] = {}
        self.current: Workspace | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.accounts_dialog: AccountsDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self.shortcuts_dialog: ShortcutsDialog | None = None

    def _build_screens(
        self,
        services: ServicesPort,
        demo_accounts: Sequence[DemoAccountLike],
        demo_password: str,
        connect_server: Callable[[], None] | None,
    ) -> None:
        """The login and lock screens, in the window's stack."""
        clinic = self._clinic
        self.stack = QStackedWidget()
        self.login = LoginWidget(
            services.auth,
            self._clinic_name,
            demo=bool(clinic and clinic.demo),
            demo_accounts=demo_accounts,
            demo_password=demo_password,
            documents=services.documents,
            runner=self.runner,
        )
        self.server_button: QPushButton | None = None
        if connect_server is not None:  # « Connexion au serveur… » before login
            self.server_button = QPushButton(self.tr("Connexion au serveur…"))
            self.server_button.setObjectName("serverButton")
            self.server_button.setFlat(True)
            self.server_button.clicked.connect(connect_server)
            self.login.card.layout().addWidget(
                self.server_button, alignment=Qt.AlignmentFlag.AlignLeft
            )
        self.lock_screen = LockWidget(services.auth, self.runner)
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.lock_screen)
        size_to_current_page(self.stack)  # the screen shown, not the largest one, sets its size

    def _check_audit_key(self) -> None:
        """The banner asking for the audit key, if this workstation has none: the keyring is
        asked on the task runner (its first use costs a tenth of a second)."""
        audit = self._services.audit
        self.runner.run(
            lambda _report: audit.key is None,
            success=self.audit_banner.setVisible,
            write=False,
            owner=self,
        )

    def _build_central(self) -> None:
        """The live-refresh and audit-key banners above the stack of screens."""
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.live.banner)
        column.addWidget(self.audit_banner)
        # Below its minimum size (200 % on a small screen) the screen scrolls, never clips.
        column.addWidget(ResponsivePage(self.stack), 1)
        # Shown only once it has a parent (a parentless widget shown opens as a window).
        self.audit_banner.setVisible(False)
        self.setCentralWidget(central)

    def _connect_screens(self) -> None:
        self.login.logged_in.connect(self._logged_in)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.expired.connect(self._expired_on_unlock)
        self.lock_screen.switch_user.connect(self.switch_user)

    def _build_timers(self, scheduled_backups: bool) -> None:
        self.tick_timer = QTimer(self)
        self.tick_timer.setInterval(TICK_MS)
        self.tick_timer.timeout.connect(self.tick)
        self.tick_timer.start()
        self.backup_timer = QTimer(self)
        self.backup_timer.setInterval(SCHEDULED_BACKUP_MS)
        self.backup_timer.timeout.connect(self.scheduled_backup)
        if scheduled_backups:
            self.backup_timer.start()

        self.watcher = InactivityWatcher(self._idle_delay(), self)
        app = QApplication.instance()
        if app is not None:
            self.watcher.install(app)
        self.watcher.timed_out.connect(self.lock)

    # ---- audit key ----------------------------------------------------------------------
    def _set_audit_key(self, text: str) -> None:
        self._services.audit.key = parse_audit_key(text)

    # ---- periodic work ------------------------------------------------------------------
    def tick(self) -> None:
        """Every few minutes: end sessions past their lifetime, seal pending key grants to
        colleagues (background), refresh the inbox counts."""
        auth = self._services.auth
        with contextlib.suppress(RelaisError):
            self._clinic = self._services.clinic.public()
        for workspace in list(self.workspaces.values()):
            try:
                expired = auth.session_expired(workspace.actor)
            except RelaisError:
                expired = False
            if expired:
                self.end_expired(workspace)
                continue
            self.grant_pending(workspace.actor)
            self.count_unread(workspace)

    def count_unread(self, workspace) -> None:
        """The inbox counter, counted off the UI thread (the periodic refresh: items come
        due with time; changes are refreshed by the data-changed hub)."""
        inbox, actor = self._services.inbox, workspace.actor

        def show(count: int) -> None:
            if self.workspaces.get(actor.user_id or -1) is workspace:
                workspace.show_unread(count)

        self.runner.run(lambda _report: inbox.unread_count(actor), success=show, write=False)

    def grant_pending(self, actor: Actor) -> None:
        auth = self._services.auth
        self.runner.run(lambda _report: auth.grant_pending(actor), write=True)

    def scheduled_backup(self) -> None:
        backups = self._services.backups
        self.runner.run(lambda _report: backups.run_scheduled(None), write=True)

    def _expired_on_unlock(self, actor: Actor, message: str) -> None:
        workspace = self.workspaces.get(actor.user_id or -1)
        if workspace is not None:
            self.end_expired(workspace, message)

    def end_expired(self, workspace: Workspace, message: str | None = None) -> None:
        """The absolute session lifetime is over: log out; its owner logs in again."""
        drafts = workspace.has_drafts()
        shown = self.stack.currentWidget()
        locked_here = self.locked and self.lock_screen.actor == workspace.actor
        if workspace is self.current and shown is workspace:
            self._hide_current()
        self._services.auth.logout(workspace.actor)
        self.workspaces.pop(workspace.actor.user_id or -1, None)
        self.stack.removeWidget(workspace)
        workspace.deleteLater()
        if self.current is workspace:
            self.current = None
        if shown is workspace or locked_here:
            self.show_login()
        elif shown is self.login:
            self.login.set_suspended(self._suspended_names())
        text = message or SessionExpired(self._session_hours()).message
        self.expired_box = session_expired(self, workspace.actor.display_name, text, drafts)

    def _session_hours(self) -> int:
        clinic = self._clinic
        return clinic.session_hours if clinic else 12

    # ---- state --------------------------------------------------------------------------
    def _idle_delay(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        clinic = self._clinic
        minutes = clinic.inactivity_minutes if clinic else DEFAULT_INACTIVITY_MINUTES
        return minutes * 60_000

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def _set_title(self, user: str = "") -> None:
        """« Maison de santé … — user »: the platform adds the application's name (« — Relais »)
        after the title; say it only where it does not (so « Relais » appears once)."""
        name = self.tr("Relais")
        parts = [] if QGuiApplication.applicationDisplayName() == name else [name]
        parts += [part for part in (self._clinic_name, user) if part]
        self.setWindowTitle(" — ".join(parts))

    def _suspended_names(self) -> list[str]:
        return [w.actor.display_name for w in self.workspaces.values() if w is not self.current]

    def show_login(self) -> None:
        self.watcher.stop()
        self.login.set_suspended(self._suspended_names())
        self.stack.setCurrentWidget(self.login)
        self.login.reset()
        self._set_title()
        self.update_actions()

    def _hide_current(self) -> None:
        """Take the current user's workspace off the screen (kept, with its drafts)."""
        if self.current is not None:
            self.current.hide_dialogs()
        for dialog in (self.accounts_dialog, self.settings_dialog):
            if dialog is not None:
                dialog.close()

    def _show_workspace(self, workspace: Workspace) -> None:
        self.current = workspace
        self.stack.setCurrentWidget(workspace)
        self._set_title(workspace.actor.display_name)
        workspace.restore_dialogs()
        workspace.focus_search()
        self.watcher.set_delay_ms(self._idle_delay())
        self.watcher.start()
        self.window_state.watch(workspace)
        self.update_actions()

    # ---- login --------------------------------------------------------------------------
    def _logged_in(self, actor: Actor) -> None:
        """Whether a temporary password must be changed first, read in the background."""
        accounts = self._services.accounts

        def must_change(_report) -> bool:
            try:
                return accounts.own_account(actor).must_change_password
            except RelaisError:
                return False

        self.runner.run(
            must_change,
            success=lambda must: self._enter_or_change(actor, must),
            failure=lambda _exc: self._enter_or_change(actor, False),
            write=False,
            owner=self,
        )

    def _enter_or_change(self, actor: Actor, must_change: bool) -> None:
        if must_change:
            from app.views.shell.password_dialog import ChangePasswordDialog

            dialog = ChangePasswordDialog(self._services.accounts, actor, forced=True, parent=self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self.password_dialog = dialog

            def done(result: int) -> None:
                self.password_dialog = None
                if result == ChangePasswordDialog.DialogCode.Accepted:
                    self._enter(actor)
                else:
                    self._services.auth.logout(actor)
                    self.show_login()

            dialog.finished.connect(done)
            dialog.open()
            return
        self._enter(actor)

    def _enter(self, actor: Actor) -> None:
        assert actor.user_id is not None
        workspace = self.workspaces.get(actor.user_id)
        if workspace is None:
            from app.views.shell.workspace import Workspace

            workspace = Workspace(
                self._services,
                actor,
                self._clinic,
                debounce_ms=self._debounce_ms,
                runner=self.runner,
            )
            workspace.lock_requested.connect(self.lock)
            workspace.switch_requested.connect(self.switch_user)
            workspace.logout_requested.connect(self.logout)
            workspace.accounts_requested.connect(self.open_accounts)
            workspace.settings_requested.connect(self.open_settings)
            workspace.about_requested.connect(self.open_about)
            workspace.files.currentChanged.connect(lambda _i: self._screen_changed())
            self.workspaces[actor.user_id] = workspace
            self.stack.addWidget(workspace)
            size_to_current_page(workspace.files)  # a narrow screen: its open tab counts
        self._show_workspace(workspace)

    # ---- lock, switch, logout -----------------------------------------------------------
    def lock(self) -> None:
        if self.current is None or self.stack.currentWidget() is not self.current:
            return
        self.watcher.stop()
        self._hide_current()
        self.lock_screen.lock_for(self.current.actor)
        self.stack.setCurrentWidget(self.lock_screen)
        self._set_title()
        self.update_actions()

    def _unlocked(self, actor: Actor) -> None:
        if self.current is not None and self.current.actor.user_id == actor.user_id:
            self._show_workspace(self.current)
            self.grant_pending(actor)
            self.current.refresh_inbox()

    def switch_user(self) -> None:
        """Keep the current workspace aside (hidden) and let someone else log in."""
        if self.current is not None and self.stack.currentWidget() is self.current:
            self._hide_current()
        self.current = None
        self.show_login()

    def logout(self) -> None:
        workspace = self.current
        if workspace is None:
            return
        if workspace.has_drafts():
            confirm_logout(self, lambda: self._close_session(workspace))
            return
        self._close_session(workspace)

    def _close_session(self, workspace: Workspace) -> None:
        self._services.auth.logout(workspace.actor)
        self.workspaces.pop(workspace.actor.user_id or -1, None)
        self.stack.removeWidget(workspace)
        workspace.deleteLater()
        if self.current is workspace:
            self.current = None
        self.show_login()

    # ---- menu bar -----------------------------------------------------------------------
    def shown_workspace(self) -> Workspace | None:
        """The logged-in user's workspace when it is on screen (not locked, not at login)."""
        current = self.current
        return current if current is not None and self.stack.currentWidget() is current else None

    def update_actions(self) -> None:
        workspace = self.shown_workspace()
        if workspace is None:
            self.shell_actions.apply(None, {})
            return
        self.shell_actions.apply(workspace.capabilities, enabled_in(workspace))

    def _screen_changed(self) -> None:
        workspace = self.shown_workspace()
        if workspace is not None:
            self.window_state.watch(workspace)
        self.update_actions()

    def run_action(self, key: str) -> None:
        """A menu entry or its shortcut: the window's own, or a command in the workspace."""
        window_commands = {
            "lock": self.lock,
            "switch": self.switch_user,
            "logout": self.logout,
            "quit": self.close,
            "shortcuts": self.open_shortcuts,
            "about": self.open_about,
            "accounts": self.open_accounts,
            "settings": self.open_settings,
        }
        if key in window_commands:
            window_commands[key]()
            return
        workspace = self.shown_workspace()
        command = WORKSPACE_COMMANDS.get(key)
        if workspace is None or command is None:
            return
        message = command(workspace)
        if message:
            show_message(self, message).setObjectName("actionHint")
        self._screen_changed()

    # ---- closing ------------------------------------------------------------------------
    def closeEvent(self, event: QCloseEvent) -> None:
        if not self._force_close and any(w.has_drafts() for w in self.workspaces.values()):
            event.ignore()
            box = show_message(
                self,
                self.tr(
                    "Des notes non enregistrées sont ouvertes dans une session. Enregistrez-les "
                    "ou abandonnez-les avant de quitter Relais."
                ),
            )
            box.setObjectName("closeWarning")
            return
        self.runner.wait()  # the tasks started from this window end before its sessions do
        for workspace in list(self.workspaces.values()):
            self._services.auth.logout(workspace.actor)
        self.workspaces.clear()
        self.window_state.save_geometry(self)
        self.hub.close()
        self.tick_timer.stop()
        self.backup_timer.stop()
        self.watcher.stop()
        self.watcher.uninstall()
        super().closeEvent(event)
