"""Login screen: clinic name, username, password; demo accounts only in demo mode."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.models.enums import Profession, Role
from app.services.kernel.actor import Actor
from app.services.kernel.errors import (
    RelaisError,
    SecondFactorEnrolmentRequired,
    SecondFactorRequired,
)
from app.views.common.labels import profession_label, role_label
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, password_edit

if TYPE_CHECKING:  # the enrolment dialog (QR code, PDF) is imported when first needed
    from app.views.ports import DocumentsPort
    from app.views.shell.ports import AuthPort
    from app.views.shell.second_factor import EnrolmentDialog


def code_edit(placeholder: str = "") -> QLineEdit:
    """The field of a six-digit code (authenticator) or a recovery code."""
    edit = QLineEdit()
    edit.setPlaceholderText(placeholder)
    edit.setMaxLength(16)
    edit.setStyleSheet("font-family: monospace; font-size: 14pt; letter-spacing: 2px;")
    return edit


class DemoAccountLike(Protocol):
    @property
    def username(self) -> str: ...
    @property
    def display_name(self) -> str: ...
    @property
    def role(self) -> Role: ...
    @property
    def profession(self) -> Profession: ...


class LoginWidget(QWidget):
    """Emits ``logged_in(actor)`` after a successful login."""

    logged_in = Signal(object)

    def __init__(
        self,
        auth: AuthPort,
        clinic_name: str,
        *,
        demo: bool = False,
        demo_accounts: Sequence[DemoAccountLike] = (),
        demo_password: str = "",
        documents: DocumentsPort | None = None,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginWidget")
        self._auth = auth
        self._runner = runner
        self._busy = False
        self._documents = documents
        self.enrolment: EnrolmentDialog | None = None
        self._demo_password = demo_password

        self.demo_list: QListWidget | None = None
        self._build_fields(clinic_name)
        inner = self._build_card()
        if demo and demo_accounts:
            self._build_demo_list(inner, demo_accounts, demo_password)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(self.card, alignment=Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.submit.clicked.connect(self.attempt)
        self.username.returnPressed.connect(self._next)
        self.password.returnPressed.connect(self.attempt)
        self.code.returnPressed.connect(self.attempt)
        self.username.textEdited.connect(lambda _t: self._ask_code(False))
        self.setTabOrder(self.username, self.password)
        self.setTabOrder(self.password, self.code)
        self.setTabOrder(self.code, self.submit)
        self._ask_code(False)

    # ---- building -----------------------------------------------------------------------
    def _build_fields(self, clinic_name: str) -> None:
        self.title = QLabel(self.tr("Relais"))
        self.title.setStyleSheet("font-size: 22pt; font-weight: 600;")
        self.clinic_label = QLabel(clinic_name)
        self.clinic_label.setObjectName("clinicName")
        self.clinic_label.setStyleSheet("font-size: 13pt;")
        self.clinic_label.setWordWrap(True)
        self.suspended_label = QLabel()
        self.suspended_label.setWordWrap(True)
        self.suspended_label.hide()

        self.username = QLineEdit()
        self.username.setObjectName("username")
        self.username.setPlaceholderText(self.tr("ex. : dr.durand"))
        self.password = password_edit()
        self.password.setObjectName("password")
        self.error = error_label()
        self.error.setObjectName("loginError")
        self.submit = QPushButton(self.tr("Se connecter"))
        self.submit.setObjectName("loginButton")
        self.submit.setDefault(True)
        self.submit.setAutoDefault(True)

        self.code = code_edit(self.tr("123456"))
        self.code.setObjectName("totpCode")
        self.code.setToolTip(
            self.tr("Le code à 6 chiffres de votre application, ou un de vos codes de secours.")
        )
        self.code_label = QLabel(self.tr("Code de vérification"))
        self.code_hint = QLabel(
            self.tr(
                "Saisissez le code à 6 chiffres affiché par votre application "
                "d'authentification. Sans votre téléphone : un de vos codes de secours."
            )
        )
        self.code_hint.setObjectName("totpHint")
        self.code_hint.setWordWrap(True)

    def _build_card(self) -> QVBoxLayout:
        form = QFormLayout()
        form.addRow(self.tr("Identifiant"), self.username)
        form.addRow(self.tr("Mot de passe"), self.password)
        form.addRow(self.code_label, self.code)
        self._form = form

        self.card = card = QFrame()
        card.setFrameShape(QFrame.Shape.StyledPanel)
        card.setMinimumWidth(520)
        card.setMaximumWidth(640)
        inner = QVBoxLayout(card)
        inner.setContentsMargins(24, 24, 24, 24)
        inner.setSpacing(10)
        inner.addWidget(self.title)
        inner.addWidget(self.clinic_label)
        inner.addWidget(self.suspended_label)
        inner.addSpacing(8)
        inner.addLayout(form)
        inner.addWidget(self.code_hint)
        inner.addWidget(self.error)
        inner.addWidget(self.submit, alignment=Qt.AlignmentFlag.AlignRight)
        return inner

    def _build_demo_list(
        self, inner: QVBoxLayout, demo_accounts: Sequence[DemoAccountLike], demo_password: str
    ) -> None:
        inner.addSpacing(8)
        note = QLabel(
            self.tr(
                "Mode démonstration : données fictives. Cliquez sur un compte pour "
                "remplir les champs (mot de passe commun : {password})."
            ).format(password=demo_password)
        )
        note.setObjectName("demoNote")
        note.setWordWrap(True)
        inner.addWidget(note)
        self.demo_list = QListWidget()
        self.demo_list.setObjectName("demoAccounts")
        for account in demo_accounts:
            text = self.tr("{name} · {username}").format(
                name=account.display_name, username=account.username
            )
            item = QListWidgetItem(text)
            item.setToolTip(f"{role_label(account.role)} — {profession_label(account.profession)}")
            item.setData(Qt.ItemDataRole.UserRole, account.username)
            self.demo_list.addItem(item)
        self.demo_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        rows = self.demo_list.sizeHintForRow(0) * len(demo_accounts)
        self.demo_list.setFixedHeight(rows + 2 * self.demo_list.frameWidth() + 4)
        self.demo_list.itemClicked.connect(self._fill_demo)
        self.demo_list.itemActivated.connect(self._login_demo)
        inner.addWidget(self.demo_list)

    def demo_usernames(self) -> list[str]:
        if self.demo_list is None:
            return []
        return [
            self.demo_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.demo_list.count())
        ]

    def set_clinic_name(self, name: str) -> None:
        self.clinic_label.setText(name)

    def set_suspended(self, names: Sequence[str]) -> None:
        """Mention sessions kept aside (locked) so their owners know their work waits."""
        if names:
            self.suspended_label.setText(
                self.tr("Session(s) verrouillée(s) en attente : {names}.", "", len(names)).format(
                    names=", ".join(names)
                )
            )
            self.suspended_label.show()
        else:
            self.suspended_label.hide()

    @property
    def asking_code(self) -> bool:
        return not self.code.isHidden()

    def _ask_code(self, ask: bool) -> None:
        self.code.clear()
        for widget in (self.code, self.code_label, self.code_hint):
            widget.setVisible(ask)
        # An aligned card keeps its old size hint unless told: make room for the code row.
        self.card.setMinimumHeight(self.card.sizeHint().height())

    def reset(self) -> None:
        self.username.clear()
        self.password.clear()
        self._ask_code(False)
        self.error.hide()
        self.username.setFocus(Qt.FocusReason.OtherFocusReason)

    def _next(self) -> None:
        if self.password.text():
            self.attempt()
        else:
            self.password.setFocus(Qt.FocusReason.TabFocusReason)

    def _fill_demo(self, item: QListWidgetItem) -> None:
        self.username.setText(item.data(Qt.ItemDataRole.UserRole))
        self.password.setText(self._demo_password)
        self.submit.setFocus(Qt.FocusReason.OtherFocusReason)

    def _login_demo(self, item: QListWidgetItem) -> None:
        self._fill_demo(item)
        self.attempt()

    @property
    def busy(self) -> bool:
        """A login is being checked (in the background: Argon2 takes a quarter of a second)."""
        return self._busy

    def _set_busy(self, busy: bool) -> None:
        # Fields read-only rather than disabled: disabling the focused widget would take the
        # keyboard focus (and the window's activation) away.
        self._busy = busy
        for field in (self.username, self.password, self.code):
            field.setReadOnly(busy)
        if self.demo_list is not None:
            self.demo_list.setEnabled(not busy)
        self.submit.setText(self.tr("Connexion en cours…") if busy else self.tr("Se connecter"))
        if busy:
            self.setCursor(Qt.CursorShape.BusyCursor)
        else:
            self.unsetCursor()

    def attempt(self) -> None:
        if self._busy:
            return
        username = self.username.text().strip()
        password = self.password.text()
        if not username or not password:
            self.error.setText(self.tr("Saisissez votre identifiant et votre mot de passe."))
            self.error.show()
            (self.password if username else self.username).setFocus()
            return
        code = self.code.text().strip() if self.asking_code else None
        if self.asking_code and not code:
            self.error.setText(self.tr("Saisissez le code de vérification."))
            self.error.show()
            self.code.setFocus()
            return
        auth = self._auth

        def check(_report) -> Actor:
            return auth.login(username, password, totp_code=code)

        if self._runner is None:
            try:
                actor = check(None)
            except RelaisError as exc:
                self._refused(exc, username, password)
                return
            self._done(actor)
            return
        self._set_busy(True)
        self._runner.run(
            check,
            success=self._checked,
            failure=lambda exc: self._failed(exc, username, password),
            write=True,
        )

    def _checked(self, actor: Actor) -> None:
        self._set_busy(False)
        self.submit.clearFocus()
        self._done(actor)

    def _failed(self, exc: BaseException, username: str, password: str) -> None:
        self._set_busy(False)
        if not isinstance(exc, RelaisError):
            raise exc  # a bug: the crash dialog reports it
        self._refused(exc, username, password)

    def _refused(self, exc: RelaisError, username: str, password: str) -> None:
        if isinstance(exc, SecondFactorRequired):
            self.error.hide()
            self._ask_code(True)
            self.code.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        if isinstance(exc, SecondFactorEnrolmentRequired):
            self.error.hide()
            self._enrol(username, password, exc)
            return
        if self.asking_code:
            self.code.clear()
            self.code.setFocus(Qt.FocusReason.OtherFocusReason)
        else:
            self.password.clear()
            self.password.setFocus(Qt.FocusReason.OtherFocusReason)
        self.error.setText(exc.message)
        self.error.show()

    def _done(self, actor: Actor) -> None:
        self.password.clear()
        self._ask_code(False)
        self.error.hide()
        self.logged_in.emit(actor)

    def _enrol(self, username: str, password: str, required: SecondFactorEnrolmentRequired) -> None:
        from app.views.shell.second_factor import EnrolmentDialog

        dialog = EnrolmentDialog(
            self._auth,
            self._documents,
            username,
            required.secret,
            required.uri,
            password=password,
            mandatory=True,
            runner=self._runner,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.enrolment = dialog
        dialog.enrolled.connect(self._done)
        dialog.rejected.connect(self.password.clear)
        dialog.finished.connect(lambda _r: setattr(self, "enrolment", None))
        dialog.open()
