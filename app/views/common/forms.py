"""Small form builders shared by the dialogs: named line edits, date edits and their
conversions, multi-line fields that Tab leaves."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QDateEdit,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

DATE_FORMAT = "dd/MM/yyyy"


def qdate(value: date) -> QDate:
    """A Python day as a ``QDate``."""
    return QDate(value.year, value.month, value.day)


def to_date(edit: QDateEdit) -> date:
    """The day shown in a ``QDateEdit``."""
    d = edit.date()
    return date(d.year(), d.month(), d.day())


def date_edit(name: str, value: date | None = None) -> QDateEdit:
    """A French date field with a calendar popup."""
    edit = QDateEdit()
    edit.setObjectName(name)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat(DATE_FORMAT)
    compact(edit)
    if value is not None:
        edit.setDate(qdate(value))
    return edit


def line(name: str, placeholder: str = "", max_length: int | None = None) -> QLineEdit:
    """A named one-line field."""
    edit = QLineEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    if max_length is not None:
        edit.setMaxLength(max_length)
    return edit


def text_area(name: str, placeholder: str = "", min_height: int = 0) -> QPlainTextEdit:
    """A named multi-line field; Tab moves to the next field instead of typing a tab."""
    edit = QPlainTextEdit()
    edit.setObjectName(name)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    if min_height:
        edit.setMinimumHeight(min_height)
    return edit


def buddy(text: str, field: QWidget) -> QLabel:
    """A label whose mnemonic (« &Patient ») moves the focus to ``field``."""
    label = QLabel(text)
    label.setBuddy(field)
    return label


def form_box(title: str) -> tuple[QGroupBox, QFormLayout]:
    """A titled group holding a form whose fields take the width."""
    box = QGroupBox(title)
    form = QFormLayout(box)
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return box, form


def align_labels(*forms: QFormLayout) -> None:
    """Forms in boxes stacked one below the other start their fields at the same place: every
    label column as wide as the widest label of them all (call once their rows are added)."""
    labels = [
        item.widget()
        for form in forms
        for row in range(form.rowCount())
        if (item := form.itemAt(row, QFormLayout.ItemRole.LabelRole)) is not None
        and item.widget() is not None
    ]
    width = max((label.sizeHint().width() for label in labels), default=0)
    for label in labels:
        label.setMinimumWidth(width)


def compact(*widgets: QWidget) -> None:
    """As wide as what they hold (a date, a number of days), not as the form: a short value
    stretched across a dialog reads as a text field."""
    for widget in widgets:
        widget.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
