"""One base for the patient file's feature tabs (home care, social follow-up, consents…).

It holds what each tab used to copy: the actor and the patient, ``can_write`` (what the
service says the actor may do, and never on an archived file), loading on first show
(``ensure_loaded``), the error line, the step runner (call a service, show its French message
in the step's dialog or under the tab, nothing else changes on failure), the generation of a
document on the task runner and its PDF preview.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QLabel, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.views.common import pdf_view, steps
from app.views.common.steps import GeneratedLike, StepLike
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label

T = TypeVar("T")
G = TypeVar("G", bound="GeneratedLike")


class LazyTab(QWidget):
    """A tab of one patient's file, read when first shown: subclasses implement
    :meth:`reload` (which sets ``_loaded``); ``ensure_loaded`` calls it the first time."""

    def __init__(
        self, actor: Actor, patient_id: int, *, name: str = "", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        if name:
            self.setObjectName(name)
        self._actor = actor
        self._patient_id = patient_id
        self._loaded = False

    @property
    def loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def show_loaded(self) -> None:
        """The tab is being shown: read it if it was not (a tab may read on the task runner
        here and fill when the read ends; :meth:`ensure_loaded` reads at once)."""
        self.ensure_loaded()

    def reload(self) -> None:  # pragma: no cover - every tab overrides it
        raise NotImplementedError


class PatientTab(LazyTab):
    """Subclasses implement :meth:`reload`; ``changed`` tells the file something changed."""

    changed = Signal()

    def __init__(
        self,
        actor: Actor,
        patient_id: int,
        *,
        can_write: bool,
        read_only: bool = False,
        name: str = "",
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name=name, parent=parent)
        self.runner = runner
        self.generating = False
        self.read_only = read_only
        self.can_write = can_write and not read_only
        self.error: QLabel = error_label()
        if name:
            self.error.setObjectName(f"{name}Error")
        self.step_dialog: QDialog | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None

    # ---- errors -------------------------------------------------------------------------
    def fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    def clear_error(self) -> None:
        self.error.hide()

    # ---- steps --------------------------------------------------------------------------
    def run_step(
        self, call: Callable[[], T], dialog: StepLike | None = None, field: str = ""
    ) -> T | None:
        """``call()``; its refusal shows in ``dialog`` (under ``field``) or under the tab.
        The dialog is accepted on success; the result is returned (None on failure)."""
        return steps.run_step(call, dialog, self.fail, field, succeeded=self.clear_error)

    def open_step(
        self, dialog: QDialog, confirm: Callable[[], object], attribute: str = "step_dialog"
    ) -> None:
        """Open ``dialog`` (it has an ``ok`` button, wired to ``confirm``), kept in
        ``attribute`` while it is open."""
        steps.open_step(self, dialog, confirm, attribute)

    # ---- documents ----------------------------------------------------------------------
    def generate(
        self,
        produce: Callable[[], G],
        done: Callable[[G], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Build a document (PDF) off the UI thread when the tab has a runner: ``done`` gets
        it on the UI thread; a refusal's French message goes to ``failed`` (or under the
        tab). One document at a time."""
        if self.generating:
            return
        report = failed or self.fail

        def success(generated: G) -> None:
            self.generating = False
            self.clear_error()
            done(generated)

        def failure(error: BaseException) -> None:
            self.generating = False
            report(error.message if isinstance(error, RelaisError) else str(error))

        self.generating = True
        if self.runner is None:
            try:
                result = produce()
            except RelaisError as exc:
                failure(exc)
            else:
                success(result)
            return
        self.runner.run(lambda _report: produce(), success=success, failure=failure, write=True)

    def show_preview(self, generated: GeneratedLike) -> pdf_view.PdfPreviewDialog:
        """The preview of a document just generated (and archived in the file)."""
        return steps.open_preview(self, generated)
