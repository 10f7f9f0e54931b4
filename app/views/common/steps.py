"""Running one step of a workflow from a row of actions (a patient tab, the agenda's
appointment actions, a referral's detail): the service call, its French refusal shown in the
step's dialog or under the row, the dialog kept while open, a generated document's preview."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterable
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.services.kernel.errors import RelaisError, ValidationError
from app.views.common import pdf_view
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import FieldErrors

T = TypeVar("T")


class StepLike(Protocol):
    """A small dialog asking one step (``StepDialog`` and its kin)."""

    errors: FieldErrors

    def accept(self) -> None: ...


class GeneratedLike(Protocol):
    @property
    def pdf(self) -> bytes: ...
    @property
    def title(self) -> str: ...
    @property
    def number(self) -> str: ...


def show_refusal(
    error: RelaisError,
    dialog: StepLike | None,
    fail: Callable[[str], None],
    field: str = "",
) -> None:
    """Show a step's refusal in ``dialog`` (every message under ``field`` when given) or,
    without a dialog, through ``fail`` (the row's error line)."""
    if isinstance(error, ValidationError):
        message = "\n".join(error.fields.values())
        if dialog is None:
            fail(message)
        elif field:
            dialog.errors.show({field: message})
        else:
            dialog.errors.show(error.fields)
    elif dialog is None:
        fail(error.message)
    else:
        dialog.errors.show_general(error.message)


def run_step(
    call: Callable[[], T],
    dialog: StepLike | None,
    fail: Callable[[str], None],
    field: str = "",
    *,
    succeeded: Callable[[], object] | None = None,
    refused: Callable[[RelaisError], object] | None = None,
    runner: TaskRunner | None = None,
    done: Callable[[T], object] | None = None,
    busy: Iterable[QWidget] = (),
    write: bool = True,
    owner: QObject | None = None,
) -> T | None:
    """``call()``; on success the dialog is accepted, ``succeeded()`` called (it hides the
    row's error line), ``done(result)`` called and the result returned; a refusal is shown
    (:func:`show_refusal`, or given to ``refused`` when the caller shows it its own way) and
    None returned.

    With a ``runner`` (the window's task runner) ``call()`` runs off the UI thread and this
    returns None at once: the ``busy`` widgets (the buttons that would start the step again)
    are disabled meanwhile, and the same outcome — dialog accepted, ``succeeded()``,
    ``done(result)``, or the refusal in the same place — follows on the UI thread when the
    task ends (not at all once ``owner``, the widget showing it, is destroyed). ``write``:
    False for a read (the runner's read pool). An error that is not a ``RelaisError`` is
    raised again on the UI thread, as it would have been without a runner."""
    if runner is None:
        try:
            result = call()
        except RelaisError as exc:
            if refused is not None:
                refused(exc)
            else:
                show_refusal(exc, dialog, fail, field)
            return None
        _succeeded(result, dialog, succeeded, done)
        return result
    shown: list[StepLike] = [dialog] if dialog is not None else []
    if isinstance(dialog, QObject):  # closed meanwhile: a refusal goes under the row
        dialog.destroyed.connect(lambda *_: shown.clear())
    widgets = list(busy)
    for widget in widgets:
        _hold(widget)

    def settle() -> None:
        for widget in widgets:
            with contextlib.suppress(RuntimeError):  # a button closed with its dialog
                _release(widget)

    def success(result: T) -> None:
        settle()
        _succeeded(result, shown[0] if shown else None, succeeded, done)

    def failure(error: BaseException) -> None:
        settle()
        if not isinstance(error, RelaisError):
            raise error
        if refused is not None:
            refused(error)
        else:
            show_refusal(error, shown[0] if shown else None, fail, field)

    runner.run(lambda _report: call(), success=success, failure=failure, write=write, owner=owner)
    return None


BUSY = "relaisBusySteps"  # how many running steps hold a widget disabled
WAS_ENABLED = "relaisEnabledBeforeSteps"


def _hold(widget: QWidget) -> None:
    """Disabled while a step runs; several steps may hold it (the last one gives it back)."""
    held = int(widget.property(BUSY) or 0)
    if held == 0:
        widget.setProperty(WAS_ENABLED, widget.isEnabled())
    widget.setProperty(BUSY, held + 1)
    widget.setEnabled(False)


def _release(widget: QWidget) -> None:
    held = max(0, int(widget.property(BUSY) or 0) - 1)
    widget.setProperty(BUSY, held)
    if held == 0:
        widget.setEnabled(bool(widget.property(WAS_ENABLED)))


def _succeeded(
    result: T,
    dialog: StepLike | None,
    succeeded: Callable[[], object] | None,
    done: Callable[[T], object] | None,
) -> None:
    if dialog is not None:
        dialog.accept()
    if succeeded is not None:
        succeeded()
    if done is not None:
        done(result)


def open_step(
    owner: QObject, dialog: QDialog, confirm: Callable[[], object], attribute: str = "step_dialog"
) -> None:
    """Open ``dialog`` (it has an ``ok`` button, wired to ``confirm``), kept in
    ``owner.<attribute>`` while it is open."""
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    setattr(owner, attribute, dialog)
    dialog.ok.clicked.connect(confirm)  # type: ignore[attr-defined]
    dialog.finished.connect(lambda _r: setattr(owner, attribute, None))
    dialog.open()


def open_preview(owner: QWidget, generated: GeneratedLike) -> pdf_view.PdfPreviewDialog:
    """The preview of a document just generated, kept in ``owner.preview`` while open."""
    dialog = pdf_view.PdfPreviewDialog(
        generated.pdf,
        f"{generated.title} — {generated.number}",
        f"{generated.number}.pdf",
        owner,
    )
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    owner.preview = dialog  # type: ignore[attr-defined]
    dialog.finished.connect(lambda _r: setattr(owner, "preview", None))
    dialog.open()
    return dialog
