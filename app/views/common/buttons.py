"""The row of dialog buttons: a ``QDialogButtonBox`` with French texts and mnemonics.

``DialogButtons(dialog, self.tr("&Enregistrer"))`` gives « Annuler » (Échap, rejects the
dialog) and the confirm button (``ok``, the default button: Return). The confirm button is
not wired: the dialog connects it to its own "validate, then accept". ``close=True`` gives a
single « Fermer » that closes the dialog.
"""

from __future__ import annotations

from collections.abc import Iterable

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPushButton,
    QWidget,
)


def cancel_text() -> str:
    return QCoreApplication.translate("DialogButtons", "&Annuler")


def close_text() -> str:
    return QCoreApplication.translate("DialogButtons", "&Fermer")


class DialogButtons(QDialogButtonBox):
    """« Annuler » and a confirm button, or « Fermer » alone."""

    def __init__(
        self,
        dialog: QDialog,
        ok_text: str | None = None,
        *,
        ok_name: str = "",
        cancel: bool = True,
        close: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialogButtons")
        self.ok: QPushButton | None = None
        self.cancel: QPushButton | None = None
        self.close_button: QPushButton | None = None
        if ok_text is not None:
            self.ok = self.addButton(ok_text, QDialogButtonBox.ButtonRole.AcceptRole)
            self.ok.setObjectName(ok_name or "okButton")
            self.ok.setDefault(True)
        if close:
            self.close_button = self.addButton(close_text(), QDialogButtonBox.ButtonRole.RejectRole)
            self.close_button.setObjectName("closeButton")
            self.close_button.setAutoDefault(False)
        elif cancel:
            self.cancel = self.addButton(cancel_text(), QDialogButtonBox.ButtonRole.RejectRole)
            self.cancel.setObjectName("cancelButton")
            self.cancel.setAutoDefault(False)
        self.rejected.connect(dialog.reject)


def add_mnemonics(buttons: Iterable[QAbstractButton]) -> None:
    """Give each button of a row without a mnemonic one (« &Envoyer »): the first letter of
    its text not taken by another button of the row, so Alt+letter presses it."""
    items = list(buttons)
    used = {_mnemonic(b.text()) for b in items} - {""}
    for button in items:
        text = button.text()
        if "&" in text:
            continue
        for i, char in enumerate(text):
            if char.isalnum() and char.lower() not in used:
                used.add(char.lower())
                button.setText(text[:i] + "&" + text[i:])
                break


def _mnemonic(text: str) -> str:
    i = text.find("&")
    while i >= 0 and i + 1 < len(text):
        if text[i + 1] != "&":
            return text[i + 1].lower()
        i = text.find("&", i + 2)
    return ""


def plain(text: str) -> str:
    """A button's text without its mnemonic marker."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&")


def assign_mnemonics(root: QWidget) -> None:
    """Mnemonics for a whole window: every push button, check box and labelled field of
    ``root`` without one gets the first free letter of its text (the ones already chosen by
    hand are kept). A form's label points at its field, so Alt+letter reaches the field."""
    _buddy_form_labels(root)
    targets: list[QAbstractButton | QLabel] = [
        w for w in root.findChildren(QAbstractButton) if w.text() and not _in_tab_bar(w)
    ]
    targets += [w for w in root.findChildren(QLabel) if w.buddy() is not None and w.text()]
    used = {_mnemonic(w.text()) for w in targets} - {""}
    for widget in targets:
        text = widget.text()
        if "&" in text or text.lstrip().startswith("<"):
            continue
        for i, char in enumerate(text):
            if char.isalnum() and char.lower() not in used:
                used.add(char.lower())
                widget.setText(text[:i] + "&" + text[i:])
                break


def _in_tab_bar(widget: QWidget) -> bool:
    parent = widget.parentWidget()
    return parent is not None and parent.inherits("QTabBar")


def _buddy_form_labels(root: QWidget) -> None:
    """A form row's label gets the row's input as buddy (through the error-label box)."""
    for form in root.findChildren(QFormLayout):
        for row in range(form.rowCount()):
            label_item = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field_item = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label_item is None or field_item is None:
                continue
            label, field = label_item.widget(), field_item.widget()
            if not isinstance(label, QLabel) or field is None:
                continue
            target = _focus_target(field)
            if target is not None:
                if target is not field and field.focusProxy() is None:
                    field.setFocusProxy(target)
                label.setBuddy(target)


def _focus_target(widget: QWidget) -> QWidget | None:
    """The first child of ``widget`` (or itself) that takes the keyboard focus."""
    if widget.focusPolicy() != Qt.FocusPolicy.NoFocus and not isinstance(widget, QLabel):
        return widget
    for child in widget.findChildren(QWidget):
        if child.focusPolicy() != Qt.FocusPolicy.NoFocus and not isinstance(child, QLabel):
            return child
    return None
