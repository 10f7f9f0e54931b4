"""User accounts, for the coordination's accounts dialog."""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt
from PySide6.QtGui import QColor

from app.services.accounts.records import UserInfo
from app.views.common.labels import datetime_fr, profession_label, role_label
from app.views.common.rows import RowsModel


class AccountsModel(RowsModel[UserInfo]):
    NAME, USERNAME, ROLE, PROFESSION, RPPS, ACTIVE, LAST_LOGIN = range(7)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Nom"),
        QT_TRANSLATE_NOOP("Headers", "Identifiant"),
        QT_TRANSLATE_NOOP("Headers", "Rôle"),
        QT_TRANSLATE_NOOP("Headers", "Profession"),
        QT_TRANSLATE_NOOP("Headers", "RPPS"),
        QT_TRANSLATE_NOOP("Headers", "Actif"),
        QT_TRANSLATE_NOOP("Headers", "Dernière connexion"),
    )
    COLUMN_COUNT = len(HEADERS)

    def set_users(self, users: list[UserInfo]) -> None:
        self.set_rows(users)

    def user(self, row: int) -> UserInfo | None:
        return self.row_at(row)

    def cell(self, user: UserInfo, column: int) -> str:
        return {
            self.NAME: f"{user.last_name.upper()} {user.first_name}",
            self.USERNAME: user.username,
            self.ROLE: role_label(user.role),
            self.PROFESSION: profession_label(user.profession),
            self.RPPS: user.rpps or "",
            self.ACTIVE: self.tr("Oui") if user.active else self.tr("Non (désactivé)"),
            self.LAST_LOGIN: datetime_fr(user.last_login_at) or self.tr("jamais"),
        }[column]

    def foreground(self, user: UserInfo, column: int) -> QColor | None:
        return None if user.active else QColor(Qt.GlobalColor.gray)
