"""The patient file's slow work (export, previews, the access report) through the window's
one task runner (``app.views.common.tasks``), with a progress dialog that appears when the
work lasts more than a second and a « Annuler » that stops it before anything is saved (or
the progress handed to a screen that shows it itself: the export dialog).

Without a runner (a widget built alone) the work runs at once, on the calling thread.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.views.common.tasks import TaskRunner

PROGRESS_AFTER_MS = 1000


class SlowWork:
    """One piece of slow work: ``task(progress, cancelled)`` off the UI thread."""

    def __init__(
        self,
        parent: QWidget,
        runner: TaskRunner | None,
        task: Callable[[Callable[[int, int], None], Callable[[], bool]], Any],
        *,
        success: Callable[[Any], None],
        failure: Callable[[BaseException], None],
        label: str | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        self._cancel = threading.Event()
        self._success = success
        self._failure = failure
        self._on_progress = progress  # a screen showing the progress itself (no dialog here)
        self.progress: QProgressDialog | None = None
        self.done = False
        if label is not None:
            self.progress = self._progress_dialog(parent, label)
        if runner is None:
            self._run_here(task)
            return
        runner.run(
            lambda report: task(report, lambda: self._cancel.is_set() or report.cancelled),
            success=self._succeeded,
            failure=self._failed,
            progress=self._progressed,
            owner=parent,  # a closed file stops its work (nothing saved) and hears no outcome
        )

    def _progress_dialog(self, parent: QWidget, label: str) -> QProgressDialog:
        cancel = QCoreApplication.translate("SlowWork", "Annuler")
        dialog = QProgressDialog(label, cancel, 0, 0, parent)
        dialog.setObjectName("slowWorkProgress")
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(PROGRESS_AFTER_MS)  # shown only past a second
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        dialog.canceled.connect(self.cancel)
        return dialog

    def _run_here(self, task) -> None:
        try:
            result = task(lambda _d, _t: None, self._cancel.is_set)
        except Exception as exc:  # handed to the failure callback, as the runner does
            self._failed(exc)
        else:
            self._succeeded(result)

    def cancel(self) -> None:
        """Stop before the next step; the task raises and nothing is saved."""
        self._cancel.set()

    @property
    def cancelled(self) -> bool:
        return self._cancel.is_set()

    def _progressed(self, done: int, total: int) -> None:
        if self._on_progress is not None and not self.done:
            self._on_progress(done, total)
        if self.progress is not None and not self.done:
            self.progress.setMaximum(total)
            self.progress.setValue(done)

    def _close(self) -> None:
        self.done = True
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _succeeded(self, result: Any) -> None:
        self._close()
        self._success(result)

    def _failed(self, error: BaseException) -> None:
        self._close()
        self._failure(error)
