"""The reason picker of the referral form: the reasons in two columns, one click picks one."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QSize, Qt, Signal
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QListView,
    QListWidget,
    QListWidgetItem,
    QWidget,
)

from app.services.referrals.records import (
    REASON_AXIS,
    REFERRAL_REASON_LABELS,
    ReferralReason,
)

REASON_ROLE = Qt.ItemDataRole.UserRole
REASON_ROWS = 6  # the reasons in two columns of six: one click picks one
_CELLS: dict[tuple[str, tuple[str, ...]], QSize] = {}  # a reason's cell, by font and labels


class ReasonList(QListWidget):
    """The referral reasons, all in sight (two columns): one click picks one, and typing a
    reason's first words finds it (each item is the reason's own words; its axis is in the
    tooltip). The guide's proposals come first, in bold. ``picked`` is a user's choice."""

    picked = Signal(bool)  # by the mouse (True: the message comes next) or the keyboard

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFlow(QListView.Flow.TopToBottom)
        self.setWrapping(True)
        self.setResizeMode(QListView.ResizeMode.Adjust)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.fill(())
        self.itemClicked.connect(lambda _item: self.picked.emit(True))

    def fill(self, proposed: tuple[ReferralReason, ...]) -> None:
        self.blockSignals(True)
        self.clear()
        order = [*proposed, *(r for r in REFERRAL_REASON_LABELS if r not in proposed)]
        for value in order:
            item = QListWidgetItem(REFERRAL_REASON_LABELS[value])
            item.setData(REASON_ROLE, str(value))
            axis = QCoreApplication.translate("ReferralDialog", REASON_AXIS[value])
            tip = f"{REFERRAL_REASON_LABELS[value]} ({axis})"
            if value in proposed:
                font = QFont()
                font.setBold(True)
                item.setFont(font)
                tip += QCoreApplication.translate("ReferralDialog", " — proposé par le guide")
            item.setToolTip(tip)
            self.addItem(item)
        self.setCurrentRow(-1)
        self.blockSignals(False)
        self._apply_grid()

    def _cell(self) -> QSize:
        texts = tuple(self.item(r).text() for r in range(self.count())) or ("",)
        key = (self.font().key(), texts)
        size = _CELLS.get(key)
        if size is None:  # measured once per font and labels (each form asks three times)
            bold = QFont(self.font())
            bold.setBold(True)
            metrics = QFontMetrics(bold)
            width = max(metrics.horizontalAdvance(text) for text in texts)
            size = _CELLS[key] = QSize(width + 24, metrics.height() + 8)  # whole labels
        return QSize(size)

    def _apply_grid(self) -> None:
        """Two columns, six rows, for the font the list has now: whole labels when there is
        room, otherwise each column half the list (long labels elided, whole in the tooltip)."""
        cell, frame = self._cell(), 2 * self.frameWidth() + 8
        half = max(120, (self.viewport().width() - 4) // 2)
        self.setGridSize(QSize(min(cell.width(), half), cell.height()))
        self.setMinimumWidth(240 + frame)
        self.setFixedHeight(cell.height() * REASON_ROWS + frame)

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._apply_grid()

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._apply_grid()

    def showEvent(self, event) -> None:  # the font is final once shown
        self._apply_grid()
        super().showEvent(event)

    def keyPressEvent(self, event) -> None:
        """Arrows or a reason's first letters choose it (the focus stays here); Return
        confirms it and goes on to the message (it never presses a dialog button)."""
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if self.currentData() is not None:
                self.picked.emit(True)
            event.accept()
            return
        before = self.currentData()
        super().keyPressEvent(event)
        now = self.currentData()
        if now is not None and now != before:
            self.picked.emit(False)

    def currentData(self) -> str | None:
        """The chosen reason (selected, not merely the row the focus landed on)."""
        items = self.selectedItems()
        return items[0].data(REASON_ROLE) if items else None

    def findData(self, value: str) -> int:
        for row in range(self.count()):
            if self.item(row).data(REASON_ROLE) == value:
                return row
        return -1

    def setCurrentIndex(self, row: int) -> None:
        self.blockSignals(True)
        self.setCurrentRow(row)
        self.blockSignals(False)
