"""The main window's single-instance dialogs (shortcuts, accounts, about, settings): each
opens once, is deleted when closed and forgotten when finished. Mixed into ``MainWindow``.
Their modules are imported when first opened (not while Relais starts)."""

from __future__ import annotations

from PySide6.QtCore import Qt


class ShellDialogsMixin:
    """Needs the window's ``_services``, ``current``, ``workspaces``, ``shell_actions``,
    ``login``, ``watcher``, ``_log_folder`` and the ``*_dialog`` attributes it sets to None."""

    def open_shortcuts(self) -> None:
        """« Aide › Raccourcis clavier »: the list, from the menu bar's own actions."""
        if self.shortcuts_dialog is None:
            from app.views.shell.shortcuts_dialog import ShortcutsDialog

            dialog = ShortcutsDialog(self.shell_actions.shortcut_rows(), self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "shortcuts_dialog", None))
            self.shortcuts_dialog = dialog
        self.shortcuts_dialog.open()

    # ---- coordination dialogs -----------------------------------------------------------
    def open_accounts(self) -> None:
        if self.current is None:
            return
        if self.accounts_dialog is None:
            from app.views.admin.accounts_dialog import AccountsDialog

            dialog = AccountsDialog(self._services.accounts, self.current.actor, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "accounts_dialog", None))
            self.accounts_dialog = dialog
        self.accounts_dialog.open()

    def open_about(self) -> None:
        """« À propos de Relais » (F1, or « Mon compte »): the version, for support."""
        if self.about_dialog is None:
            from app.views.shell.about_dialog import AboutDialog

            dialog = AboutDialog(self._log_folder, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "about_dialog", None))
            self.about_dialog = dialog
        self.about_dialog.open()

    def open_settings(self) -> None:
        if self.current is None:
            return
        if self.settings_dialog is None:
            from app.views.admin.settings_dialog import SettingsDialog

            dialog = SettingsDialog(self._services.clinic, self.current.actor, self)
            dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            dialog.finished.connect(lambda _r: setattr(self, "settings_dialog", None))
            dialog.saved.connect(self._settings_saved)
            self.settings_dialog = dialog
        self.settings_dialog.open()

    def _settings_saved(self) -> None:
        self._clinic = clinic = self._services.clinic.public()
        if clinic is not None:
            self._clinic_name = clinic.name
            self.login.set_clinic_name(clinic.name)
            for workspace in self.workspaces.values():
                workspace.clinic_label.setText(clinic.name)
        self.watcher.set_delay_ms(self._idle_delay())
        if self.current is not None:
            self._set_title(self.current.actor.display_name)
