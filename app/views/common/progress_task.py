"""Long work with a progress dialog and « Annuler », run through the task runner.

``ProgressTask.start(work, success=…, failure=…)`` shows a window-modal progress dialog and
runs ``work(report, cancelled)`` on the runner's write pool (or at once without a runner):
``report(done, total)`` moves the bar, ``cancelled()`` turns true when the user presses
« Annuler ». The service called by ``work`` checks it and undoes everything it did (a rolled
back unit of work, a removed partial file) before raising its own French « … annulé » error,
which reaches ``failure`` like any other.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.views.common.tasks import TaskRunner

Work = Callable[[Callable[[int, int], None], Callable[[], bool]], Any]


class ProgressTask(QObject):
    """One run at a time; ``running`` while the dialog is shown."""

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner | None,
        *,
        title: str,
        label: str,
        name: str,
    ) -> None:
        super().__init__(parent)
        self._parent = parent
        self._runner = runner
        self._title = title
        self._label = label
        self._name = name
        self._cancel: threading.Event | None = None
        self.dialog: QProgressDialog | None = None

    @property
    def running(self) -> bool:
        return self._cancel is not None

    def start(
        self,
        work: Work,
        *,
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None],
    ) -> bool:
        """Start ``work``; False when a run is already going on."""
        if self.running:
            return False
        cancel = threading.Event()
        self._cancel = cancel
        self._show()

        def done(result: Any) -> None:
            self._finish()
            success(result)

        def failed(error: BaseException) -> None:
            self._finish()
            failure(error)

        def task(report: Callable[[int, int], None]) -> Any:
            return work(report, cancel.is_set)

        if self._runner is None:
            try:
                result = task(lambda _d, _t: None)
            except Exception as exc:  # handed to ``failure`` like the background case
                failed(exc)
            else:
                done(result)
            return True
        self._runner.run(task, success=done, failure=failed, progress=self._step, write=True)
        return True

    def cancel(self) -> None:
        """What « Annuler » does: the work stops at its next check and undoes itself."""
        if self._cancel is not None:
            self._cancel.set()
            if self.dialog is not None:
                self.dialog.setLabelText(
                    QCoreApplication.translate("ProgressTask", "Annulation en cours…")
                )

    def _show(self) -> None:
        dialog = QProgressDialog(
            self._label,
            QCoreApplication.translate("ProgressTask", "&Annuler"),
            0,
            0,
            self._parent,
        )
        dialog.setObjectName(self._name)
        dialog.setWindowTitle(self._title)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.canceled.connect(self.cancel)
        dialog.show()
        self.dialog = dialog

    def _step(self, done: int, total: int) -> None:
        if self.dialog is not None and total > 0:
            self.dialog.setMaximum(total)
            self.dialog.setValue(min(done, total))

    def _finish(self) -> None:
        self._cancel = None
        if self.dialog is not None:
            self.dialog.canceled.disconnect(self.cancel)
            self.dialog.close()
            self.dialog.deleteLater()
            self.dialog = None
