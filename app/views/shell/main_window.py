"""The main window: login, lock screen, and one hidden-or-shown workspace per logged-in user."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QCoreApplication, Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, SessionExpired
from app.views.admin.accounts_dialog import AccountsDialog
from app.views.admin.settings_dialog import SettingsDialog
from app.views.common.data_changed import DataChangedHub, LiveRefresh
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, show_message
from app.views.ports import ServicesPort
from app.views.shell.about_dialog import AboutDialog
from app.views.shell.lock import InactivityWatcher, LockWidget
from app.views.shell.login import DemoAccountLike, LoginWidget
from app.views.shell.password_dialog import ChangePasswordDialog
from app.views.shell.workspace import Workspace

DEFAULT_INACTIVITY_MINUTES = 5
TICK_MS = 2 * 60_000  # key grants, inbox counts, session lifetime
SCHEDULED_BACKUP_MS = 60 * 60_000  # the backup itself runs once a day (services decide)
AuditKeySetter = Callable[[str], None]


def parse_audit_key(text: str) -> bytes:
    """64 hexadecimal characters → the 32-byte audit key (French error otherwise)."""
    cleaned = "".join(text.split()).lower()
    try:
        key = bytes.fromhex(cleaned)
    except ValueError:
        key = b""
    if len(key) != 32:
        raise RelaisError(
            QCoreApplication.translate(
                "MainWindow", "La clé d'audit doit comporter 64 caractères hexadécimaux (0-9, a-f)."
            )
        )
    return key


class AuditKeyBanner(QFrame):
    """Shown when no audit key was found: entries are written unsealed until one is given."""

    def __init__(self, use_key: AuditKeySetter, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("auditKeyBanner")
        self._use_key = use_key
        self.setStyleSheet(
            "QFrame#auditKeyBanner { background: #fff3e0; border: 1px solid #e65100; }"
        )
        text = QLabel(
            self.tr(
                "<b>Trousseau sécurisé indisponible :</b> la clé d'audit de ce poste est "
                "introuvable, le journal d'audit est écrit <b>sans scellement</b> et la "
                "vérification du journal signalera ces entrées, invérifiables. Saisissez la "
                "clé d'audit (notée à l'installation) pour cette session, ou demandez à votre "
                "informaticien de la fournir par RELAIS_AUDIT_KEY."
            )
        )
        text.setWordWrap(True)
        text.setObjectName("auditKeyText")
        self.key = QLineEdit()
        self.key.setObjectName("auditKeyField")
        self.key.setEchoMode(QLineEdit.EchoMode.Password)
        self.key.setPlaceholderText(self.tr("64 caractères hexadécimaux"))
        self.button = QPushButton(self.tr("Utiliser cette clé"))
        self.button.setObjectName("auditKeyButton")
        self.button.setAutoDefault(False)
        self.error = error_label()
        self.error.setObjectName("auditKeyError")
        row = QHBoxLayout()
        row.addWidget(self.key, 1)
        row.addWidget(self.button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(10, 6, 10, 6)
        layout.addWidget(text)
        layout.addLayout(row)
        layout.addWidget(self.error)
        self.button.clicked.connect(self.apply)
        self.key.returnPressed.connect(self.apply)

    def apply(self) -> None:
        try:
            self._use_key(self.key.text())
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return
        finally:
            self.key.clear()
        self.error.hide()
        self.hide()


class MainWindow(QMainWindow):
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
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        self._services = services
        self.runner = runner or TaskRunner(self)
        self._use_audit_key = use_audit_key or self._set_audit_key
        self.expired_box: QMessageBox | None = None
        self._idle_override = idle_ms
        self._debounce_ms = debounce_ms
        self._force_close = False
        self.workspaces: dict[int, Workspace] = {}
        self.current: Workspace | None = None
        self.password_dialog: ChangePasswordDialog | None = None
        self.accounts_dialog: AccountsDialog | None = None
        self.settings_dialog: SettingsDialog | None = None
        self.about_dialog: AboutDialog | None = None
        self._log_folder = log_folder
        self.about_action = QAction(self.tr("À propos de Relais"), self)
        self.about_action.setShortcut(QKeySequence(Qt.Key.Key_F1))
        self.about_action.triggered.connect(self.open_about)
        self.addAction(self.about_action)

        clinic = services.clinic.public()
        self._clinic_name = clinic.name if clinic else ""
        self.stack = QStackedWidget()
        self.login = LoginWidget(
            services.auth,
            self._clinic_name,
            demo=bool(clinic and clinic.demo),
            demo_accounts=demo_accounts,
            demo_password=demo_password,
            documents=services.documents,
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
        self.lock_screen = LockWidget(services.auth)
        self.stack.addWidget(self.login)
        self.stack.addWidget(self.lock_screen)
        self.audit_banner = AuditKeyBanner(self._use_audit_key)
        self.audit_banner.setVisible(
            services.audit.key is None and not (clinic is not None and clinic.demo)
        )
        # Changes from this workstation and the others (LISTEN/NOTIFY), one hub for the window.
        self.hub = hub or DataChangedHub(getattr(services, "changes", None), self)
        self.live = LiveRefresh(self.hub, lambda: list(self.workspaces.values()))
        central = QWidget()
        column = QVBoxLayout(central)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(0)
        column.addWidget(self.live.banner)
        column.addWidget(self.audit_banner)
        column.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self.resize(1200, 780)

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

        self.login.logged_in.connect(self._logged_in)
        self.lock_screen.unlocked.connect(self._unlocked)
        self.lock_screen.expired.connect(self._expired_on_unlock)
        self.lock_screen.switch_user.connect(self.switch_user)
        self.show_login()

    # ---- audit key ----------------------------------------------------------------------
    def _set_audit_key(self, text: str) -> None:
        self._services.audit.key = parse_audit_key(text)

    # ---- periodic work ------------------------------------------------------------------
    def tick(self) -> None:
        """Every few minutes: end sessions past their lifetime, seal pending key grants to
        colleagues (background), refresh the inbox counts."""
        auth = self._services.auth
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
        if drafts:
            text += "\n\n" + self.tr(
                "Les notes non enregistrées de cette session n'ont pas pu être gardées."
            )
        box = show_message(
            self,
            self.tr("{name} : {message}").format(name=workspace.actor.display_name, message=text),
            title=self.tr("Session expirée"),
        )
        box.setObjectName("sessionExpired")
        self.expired_box = box

    def _session_hours(self) -> int:
        clinic = self._services.clinic.public()
        return clinic.session_hours if clinic else 12

    # ---- state --------------------------------------------------------------------------
    def _idle_delay(self) -> int:
        if self._idle_override is not None:
            return self._idle_override
        clinic = self._services.clinic.public()
        minutes = clinic.inactivity_minutes if clinic else DEFAULT_INACTIVITY_MINUTES
        return minutes * 60_000

    @property
    def locked(self) -> bool:
        return self.stack.currentWidget() is self.lock_screen

    def _set_title(self, user: str = "") -> None:
        parts = [self.tr("Relais")]
        if self._clinic_name:
            parts.append(self._clinic_name)
        if user:
            parts.append(user)
        self.setWindowTitle(" — ".join(parts))

    def _suspended_names(self) -> list[str]:
        return [w.actor.display_name for w in self.workspaces.values() if w is not self.current]

    def show_login(self) -> None:
        self.watcher.stop()
        self.login.set_suspended(self._suspended_names())
        self.stack.setCurrentWidget(self.login)
        self.login.reset()
        self._set_title()

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

    # ---- login --------------------------------------------------------------------------
    def _logged_in(self, actor: Actor) -> None:
        try:
            must_change = self._services.accounts.own_account(actor).must_change_password
        except RelaisError:
            must_change = False
        if must_change:
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
            workspace = Workspace(
                self._services,
                actor,
                self._services.clinic.public(),
                debounce_ms=self._debounce_ms,
                runner=self.runner,
            )
            workspace.lock_requested.connect(self.lock)
            workspace.switch_requested.connect(self.switch_user)
            workspace.logout_requested.connect(self.logout)
            workspace.accounts_requested.connect(self.open_accounts)
            workspace.settings_requested.connect(self.open_settings)
            workspace.about_requested.connect(self.open_about)
            self.workspaces[actor.user_id] = workspace
            self.stack.addWidget(workspace)
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
            box = QMessageBox(self)
            box.setObjectName("logoutConfirm")
            box.setIcon(QMessageBox.Icon.Warning)
            box.setWindowTitle(self.tr("Se déconnecter"))
            box.setText(
                self.tr(
                    "Vous avez des notes non enregistrées. Si vous vous déconnectez, elles "
                    "seront perdues."
                )
            )
            discard = box.addButton(
                self.tr("Se déconnecter sans enregistrer"), QMessageBox.ButtonRole.DestructiveRole
            )
            box.addButton(self.tr("Revenir aux notes"), QMessageBox.ButtonRole.RejectRole)
            box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            box.buttonClicked.connect(
                lambda button: self._close_session(workspace) if button is discard else None
            )
            box.open()
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

    # ---- coordination dialogs -----------------------------------------------------------
    def open_accounts(self) -> None:
        if self.current is None:
            return
        if self.accounts_dialog is None:
            dialog = AccountsDialog(self._services.accounts, self.current.actor, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "accounts_dialog", None))
            self.accounts_dialog = dialog
        self.accounts_dialog.open()

    def open_about(self) -> None:
        """« À propos de Relais » (F1, or « Mon compte »): the version, for support."""
        if self.about_dialog is None:
            dialog = AboutDialog(self._log_folder, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "about_dialog", None))
            self.about_dialog = dialog
        self.about_dialog.open()

    def open_settings(self) -> None:
        if self.current is None:
            return
        if self.settings_dialog is None:
            dialog = SettingsDialog(self._services.clinic, self.current.actor, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
            dialog.saved.connect(self._settings_saved)
            self.settings_dialog = dialog
        self.settings_dialog.open()

    def _settings_saved(self) -> None:
        clinic = self._services.clinic.public()
        if clinic is not None:
            self._clinic_name = clinic.name
            self.login.set_clinic_name(clinic.name)
            for workspace in self.workspaces.values():
                workspace.clinic_label.setText(clinic.name)
        self.watcher.set_delay_ms(self._idle_delay())
        if self.current is not None:
            self._set_title(self.current.actor.display_name)

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
        for workspace in list(self.workspaces.values()):
            self._services.auth.logout(workspace.actor)
        self.workspaces.clear()
        self.hub.close()
        self.tick_timer.stop()
        self.backup_timer.stop()
        self.watcher.stop()
        self.watcher.uninstall()
        super().closeEvent(event)
