"""User accounts, for the coordination's accounts dialog."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor

from app.services.records import UserInfo
from app.views.labels import datetime_fr, profession_label, role_label

AnyIndex = QModelIndex | QPersistentModelIndex


class AccountsModel(QAbstractTableModel):
    NAME, USERNAME, ROLE, PROFESSION, RPPS, ACTIVE, LAST_LOGIN = range(7)
    COLUMN_COUNT = 7

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._users: list[UserInfo] = []
        self._headers = [
            self.tr("Nom"),
            self.tr("Identifiant"),
            self.tr("Rôle"),
            self.tr("Profession"),
            self.tr("RPPS"),
            self.tr("Actif"),
            self.tr("Dernière connexion"),
        ]

    def set_users(self, users: list[UserInfo]) -> None:
        self.beginResetModel()
        self._users = list(users)
        self.endResetModel()

    def user(self, row: int) -> UserInfo | None:
        return self._users[row] if 0 <= row < len(self._users) else None

    def row_of(self, user_id: int) -> int:
        return next((i for i, u in enumerate(self._users) if u.id == user_id), -1)

    def rowCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._users)

    def columnCount(self, parent: AnyIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMN_COUNT

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._users):
            return None
        user = self._users[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            values = {
                self.NAME: f"{user.last_name.upper()} {user.first_name}",
                self.USERNAME: user.username,
                self.ROLE: role_label(user.role),
                self.PROFESSION: profession_label(user.profession),
                self.RPPS: user.rpps or "",
                self.ACTIVE: self.tr("Oui") if user.active else self.tr("Non (désactivé)"),
                self.LAST_LOGIN: datetime_fr(user.last_login_at) or self.tr("jamais"),
            }
            return values.get(column)
        if role == Qt.ItemDataRole.ForegroundRole and not user.active:
            return QColor(Qt.GlobalColor.gray)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            role == Qt.ItemDataRole.DisplayRole
            and orientation == Qt.Orientation.Horizontal
            and 0 <= section < self.COLUMN_COUNT
        ):
            return self._headers[section]
        return None
