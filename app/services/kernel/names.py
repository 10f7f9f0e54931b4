"""Who acted, by name: the display names of users, each read once per unit of work."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.i18n import N_, _
from app.models import User

ADMINISTRATION = N_("Administration (relais-admin)")


class UserNames:
    """The display names of the users who acted (« ? » for a deleted account, the
    administration for ``relais-admin``), each read once."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.users: dict[int, str] = {}

    def user(self, user_id: int | None) -> str:
        if user_id is None:
            return _(ADMINISTRATION)
        if user_id not in self.users:
            user = self.session.get(User, user_id)
            self.users[user_id] = user.display_name if user else "?"
        return self.users[user_id]
