"""Running one step of a workflow from a row of actions (a patient tab, the agenda's
appointment actions, a referral's detail): the service call, its French refusal shown in the
step's dialog or under the row, the dialog kept while open, a generated document's preview."""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, TypeVar

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QDialog, QWidget

from app.services.kernel.errors import RelaisError, ValidationError
from app.views.common import pdf_view
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
) -> T | None:
    """``call()``; on success the dialog is accepted, ``succeeded()`` called (it hides the
    row's error line) and the result returned; a refusal is shown (:func:`show_refusal`) and
    None returned."""
    try:
        result = call()
    except RelaisError as exc:
        show_refusal(exc, dialog, fail, field)
        return None
    if dialog is not None:
        dialog.accept()
    if succeeded is not None:
        succeeded()
    return result


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
