"""« Sauvegarder maintenant » (coordination): the encrypted backup on the task runner, with
its progress and « Annuler » (the service then removes what it wrote), and the French result."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QMessageBox, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.views.admin.ports import BackupInfoLike, BackupsPort
from app.views.common.progress_task import ProgressTask
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import show_message


class BackupRun(QObject):
    """One backup at a time; ``message`` is the result box last shown."""

    def __init__(
        self,
        backups: BackupsPort,
        actor: Actor,
        runner: TaskRunner | None,
        parent: QWidget,
    ) -> None:
        super().__init__(parent)
        self._backups = backups
        self._actor = actor
        self._parent = parent
        self.task = ProgressTask(
            parent,
            runner,
            title=self.tr("Sauvegarde"),
            label=self.tr("Sauvegarde chiffrée en cours…"),
            name="backupProgress",
        )
        self.message: QMessageBox | None = None
        self.cancel_pressed = False

    @property
    def running(self) -> bool:
        return self.task.running

    def start(self) -> bool:
        backups, actor = self._backups, self._actor

        def work(
            report: Callable[[int, int], None], cancelled: Callable[[], bool]
        ) -> BackupInfoLike:
            return backups.create(actor, report, cancelled=cancelled)

        if not self.task.start(work, success=self._done, failure=self._failed):
            return False
        self.cancel_pressed = False
        if self.task.dialog is not None:  # None when it already ran here (no runner)
            self.task.dialog.canceled.connect(self._note_cancel)
        return True

    def cancel(self) -> None:
        """What « Annuler » does: the service stops and removes what it wrote."""
        self._note_cancel()
        self.task.cancel()

    def _note_cancel(self) -> None:
        self.cancel_pressed = True

    def _show(self, message: str, icon: QMessageBox.Icon) -> None:
        box = show_message(self._parent, message, title=self.tr("Sauvegarde"), icon=icon)
        box.setObjectName("backupResult")
        self.message = box

    def _done(self, info: BackupInfoLike) -> None:
        self._show(
            self.tr("Sauvegarde chiffrée enregistrée :\n{path}").format(path=str(info.path)),
            QMessageBox.Icon.Information,
        )

    def _failed(self, error: BaseException) -> None:
        message = getattr(error, "message", "") or str(error)
        if self.cancel_pressed and isinstance(error, RelaisError):
            # The service's own « Sauvegarde annulée : … » (nothing written), not a failure.
            self._show(message, QMessageBox.Icon.Information)
            return
        self._show(
            self.tr("La sauvegarde a échoué : {error}").format(error=message),
            QMessageBox.Icon.Warning,
        )
