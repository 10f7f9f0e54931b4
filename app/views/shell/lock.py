"""Inactivity watch (application-wide event filter) and the lock screen."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QFrame, QLabel, QPushButton, QVBoxLayout, QWidget

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, SessionExpired
from app.views.common.labels import role_label
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, password_edit

if TYPE_CHECKING:
    from app.views.shell.ports import AuthPort

ACTIVITY_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class InactivityWatcher(QObject):
    """Emits ``timed_out`` after ``delay_ms`` without keyboard or mouse input anywhere."""

    timed_out = Signal()

    def __init__(self, delay_ms: int, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(max(1, delay_ms))
        self._timer.timeout.connect(self.timed_out)
        self._target: QObject | None = None

    def install(self, target: QObject) -> None:
        """Watch every event of ``target`` (normally the QApplication)."""
        self._target = target
        target.installEventFilter(self)

    def uninstall(self) -> None:
        if self._target is not None:
            self._target.removeEventFilter(self)
            self._target = None

    @property
    def delay_ms(self) -> int:
        return self._timer.interval()

    def set_delay_ms(self, delay_ms: int) -> None:
        self._timer.setInterval(max(1, delay_ms))
        if self._timer.isActive():
            self._timer.start()

    def start(self) -> None:
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()

    @property
    def active(self) -> bool:
        return self._timer.isActive()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in ACTIVITY_EVENTS and self._timer.isActive():
            self._timer.start()  # restart the countdown
        return False


class LockWidget(QWidget):
    """Shows no patient data: only who locked, a password field, and « Changer d'utilisateur »."""

    unlocked = Signal(object)
    expired = Signal(object, str)  # (actor, French message): the session must end
    switch_user = Signal()

    def __init__(
        self, auth: AuthPort, runner: TaskRunner | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lockWidget")
        self._auth = auth
        self._runner = runner
        self._busy = False
        self._actor: Actor | None = None

        self.title = QLabel(self.tr("Session verrouillée"))
        self.title.setStyleSheet("font-size: 18pt; font-weight: 600;")
        self.who = QLabel()
        self.who.setObjectName("lockedUser")
        self.who.setStyleSheet("font-weight: 600;")
        self.hint = QLabel(
            self.tr(
                "Saisissez votre mot de passe pour reprendre votre travail là où vous l'avez "
                "laissé, ou laissez la place à un collègue : votre travail en cours est gardé."
            )
        )
        self.hint.setWordWrap(True)
        self.password = password_edit(self.tr("Votre mot de passe"))
        self.password.setObjectName("unlockPassword")
        self.error = error_label()
        self.error.setObjectName("unlockError")
        self.unlock_button = QPushButton(self.tr("Déverrouiller"))
        self.unlock_button.setObjectName("unlockButton")
        self.unlock_button.setDefault(True)
        self.switch_button = QPushButton(self.tr("Changer d'utilisateur"))
        self.switch_button.setObjectName("switchUserButton")

        card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setFixedWidth(460)
        # Wrapped labels in an aligned (centred) layout do not get their height-for-width:
        # reserve it explicitly so the text is never clipped.
        self.hint.setMinimumHeight(self.hint.heightForWidth(460 - 2 * 24 - 4))
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 24, 24, 24)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.who)
        inner.addWidget(self.hint)
        inner.addWidget(self.password)
        inner.addWidget(self.error)
        inner.addWidget(self.unlock_button)
        inner.addWidget(self.switch_button)

        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.password.returnPressed.connect(self.attempt)
        self.unlock_button.clicked.connect(self.attempt)
        self.switch_button.clicked.connect(self.switch_user)

    @property
    def actor(self) -> Actor | None:
        return self._actor

    def lock_for(self, actor: Actor) -> None:
        self._actor = actor
        self.who.setText(
            self.tr("Session de {name} ({role})").format(
                name=actor.display_name, role=role_label(actor.role)
            )
        )
        self.password.clear()
        self.error.hide()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    @property
    def busy(self) -> bool:
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        # Read-only rather than disabled: the focus (and the window's activation) stays.
        self.password.setReadOnly(busy)
        self.switch_button.setEnabled(not busy)
        self.unlock_button.setText(self.tr("Vérification…") if busy else self.tr("Déverrouiller"))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def attempt(self) -> None:
        """Check the password (Argon2: in the background when a runner was given)."""
        if self._actor is None or self._busy:
            return
        actor, password, auth = self._actor, self.password.text(), self._auth

        def check(_report) -> Actor:
            return auth.unlock(actor, password)

        if self._runner is None:
            try:
                unlocked = check(None)
            except RelaisError as exc:
                self._refused(actor, exc)
                return
            self._unlocked(unlocked)
            return
        self._set_busy(True)
        self._runner.run(
            check, success=self._unlocked, failure=lambda exc: self._refused(actor, exc)
        )

    def _refused(self, actor: Actor, exc: BaseException) -> None:
        self._set_busy(False)
        self.password.clear()
        if isinstance(exc, SessionExpired):
            self.expired.emit(actor, exc.message)
            return
        if not isinstance(exc, RelaisError):
            raise exc  # a bug: the crash dialog reports it
        self.error.setText(exc.message)
        self.error.show()
        self.password.setFocus(Qt.FocusReason.OtherFocusReason)

    def _unlocked(self, actor: Actor) -> None:
        self._set_busy(False)
        self.password.clear()
        self.error.hide()
        self.unlocked.emit(actor)
