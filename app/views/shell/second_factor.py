"""Second factor (TOTP): enrolment with a QR code, and the one-time recovery codes."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from app.lazy import on_first_use
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.views.common.buttons import confirm_buttons
from app.views.common.pdf_view import PdfButtons
from app.views.common.responsive import scrolled_content
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, password_edit
from app.views.ports import DocumentsPort
from app.views.shell.login import code_edit
from app.views.shell.ports import AuthPort

if TYPE_CHECKING:
    import segno
else:  # the QR code's library (~25 ms), loaded when an enrolment first shows one
    segno = on_first_use("segno")


def qr_image(uri: str, scale: int = 6) -> QImage:
    """The QR code of ``uri``, rendered in memory (no network, no file)."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="png", scale=scale, border=3)
    image = QImage()
    image.loadFromData(buffer.getvalue(), "PNG")
    return image


def grouped(secret: str) -> str:
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


class RecoveryCodesPage(QWidget):
    """The recovery codes, shown once, with print/save; « Terminer » after the tick."""

    finished = Signal()

    def __init__(
        self,
        codes: list[str],
        produce_sheet,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveryCodesPage")
        self.codes = list(codes)
        title = QLabel(self.tr("Vos codes de secours"))
        title.setStyleSheet("font-size: 14pt; font-weight: 600;")
        explain = QLabel(
            self.tr(
                "Si vous perdez votre téléphone, chacun de ces codes remplace une fois le code à "
                "6 chiffres. Ils ne seront plus jamais affichés : imprimez-les ou notez-les, et "
                "gardez-les à l'écart de votre téléphone."
            )
        )
        explain.setWordWrap(True)
        half = (len(codes) + 1) // 2
        self.codes_label = QLabel(
            "\n".join(
                f"{a}      {b}" for a, b in zip(codes[:half], [*codes[half:], ""], strict=False)
            )
        )
        self.codes_label.setObjectName("recoveryCodes")
        self.codes_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.codes_label.setStyleSheet(
            "font-family: monospace; font-size: 13pt; padding: 10px; background: #fff8e1;"
            "border: 1px solid #c9a227;"
        )
        self.codes_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pdf_buttons = PdfButtons(
            produce_sheet,
            self.tr("Codes de secours Relais"),
            self.tr("codes-de-secours-relais.pdf"),
        )
        self.confirm = QCheckBox(self.tr("J'ai imprimé ou noté mes codes de secours"))
        self.confirm.setObjectName("codesConfirm")
        self.done_button = QPushButton(self.tr("Terminer"))
        self.done_button.setObjectName("codesDone")
        self.done_button.setEnabled(False)
        self.done_button.setDefault(True)
        bottom = QHBoxLayout()
        bottom.addWidget(self.confirm, 1)
        bottom.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(explain)
        layout.addWidget(self.codes_label)
        layout.addWidget(self.pdf_buttons)
        layout.addStretch(1)
        layout.addLayout(bottom)
        self.confirm.toggled.connect(self.done_button.setEnabled)
        self.done_button.clicked.connect(self._done)

    def _done(self) -> None:
        self.codes_label.clear()
        self.codes = []
        self.finished.emit()


class EnrolmentDialog(QDialog):
    """Register Relais in an authenticator app, confirm with a first code, then show the
    recovery codes. ``password`` None asks for it (voluntary enrolment from the menu).

    Emits ``enrolled(actor)`` once the codes are acknowledged.
    """

    enrolled = Signal(object)

    def __init__(
        self,
        auth: AuthPort,
        documents: DocumentsPort | None,
        username: str,
        secret: str,
        uri: str,
        *,
        password: str | None = None,
        mandatory: bool = False,
        session_actor: Actor | None = None,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("enrolmentDialog")
        self._runner = runner
        self._busy = False
        # A logged-in user changing phone proves it with their session, not the password alone.
        self._session_actor = session_actor
        self._auth = auth
        self._documents = documents
        self._username = username
        self._secret = secret
        self._password = password
        self.actor: Actor | None = None
        self.codes_page: RecoveryCodesPage | None = None
        self.setWindowTitle(self.tr("Double authentification"))
        self.setModal(True)
        self.setMinimumWidth(620)

        cancel = self._build_form_page(self._intro(mandatory), uri, secret, password)
        layout = QVBoxLayout(scrolled_content(self))  # scrolls on a small screen
        layout.addWidget(self.pages)
        cancel.clicked.connect(self.reject)
        self.confirm_button.clicked.connect(self.confirm)
        self.code.returnPressed.connect(self.confirm)
        (self.password_field if password is None else self.code).setFocus()

    def _intro(self, mandatory: bool) -> QLabel:
        intro = QLabel(
            (
                self.tr(
                    "<b>La maison de santé exige une double authentification pour votre "
                    "compte.</b> "
                )
                if mandatory
                else ""
            )
            + self.tr(
                "1. Ouvrez votre application d'authentification (FreeOTP, Google "
                "Authenticator, Microsoft Authenticator…) et scannez ce code QR.<br>"
                "2. Saisissez le code à 6 chiffres qu'elle affiche."
            )
        )
        intro.setWordWrap(True)
        intro.setTextFormat(Qt.TextFormat.RichText)
        return intro

    def _build_form_page(
        self, intro: QLabel, uri: str, secret: str, password: str | None
    ) -> QPushButton:
        """The QR code, the secret, the fields and the buttons; returns « Annuler »."""
        self.qr_label = QLabel()
        self.qr_label.setObjectName("qrCode")
        self.qr_label.setPixmap(QPixmap.fromImage(qr_image(uri)))
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        manual = QLabel(self.tr("Sans appareil photo, saisissez cette clé dans l'application :"))
        manual.setWordWrap(True)
        self.secret_label = QLabel(grouped(secret))
        self.secret_label.setObjectName("totpSecret")
        self.secret_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.secret_label.setStyleSheet("font-family: monospace; font-size: 12pt;")
        self.secret_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.password_field = password_edit()
        self.password_field.setObjectName("enrolPassword")
        self.code = code_edit(self.tr("6 chiffres"))
        self.code.setObjectName("enrolCode")
        form = QFormLayout()
        if password is None:
            form.addRow(self.tr("Votre mot de passe"), self.password_field)
        form.addRow(self.tr("Code affiché"), self.code)
        self.error = error_label()
        self.error.setObjectName("enrolError")
        buttons, self.confirm_button, cancel = confirm_buttons(
            self.tr("Activer la double authentification"), self.tr("Annuler"), name="enrolButton"
        )
        self.form_page = QWidget()
        column = QVBoxLayout(self.form_page)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(intro)
        column.addWidget(self.qr_label)
        column.addWidget(manual)
        column.addWidget(self.secret_label)
        column.addLayout(form)
        column.addWidget(self.error)
        column.addWidget(buttons)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.form_page)
        return cancel

    @property
    def busy(self) -> bool:
        """The password and code are being checked (Argon2: in the background)."""
        return self._busy

    def confirm(self) -> None:
        if self._busy:
            return
        password = self._password if self._password is not None else self.password_field.text()
        code = self.code.text().strip()
        if not code:
            self.error.setText(self.tr("Saisissez le code affiché par l'application."))
            self.error.show()
            return
        auth, username, secret = self._auth, self._username, self._secret
        session_actor = self._session_actor

        def check(_report) -> tuple[Actor, list[str]]:
            return auth.enrol_second_factor(username, password, secret, code, actor=session_actor)

        if self._runner is None:
            try:
                result = check(None)
            except RelaisError as exc:
                self._refused(exc)
                return
            self._enrolled(result)
            return
        self._set_busy(True)
        self._runner.run(check, success=self._enrolled, failure=self._refused, owner=self)

    def _set_busy(self, busy: bool) -> None:
        self._busy = busy
        self.code.setReadOnly(busy)
        self.password_field.setReadOnly(busy)
        self.confirm_button.setEnabled(not busy)

    def _refused(self, exc: BaseException) -> None:
        self._set_busy(False)
        if not isinstance(exc, RelaisError):
            raise exc  # a bug: the crash dialog reports it
        self.code.clear()
        self.error.setText(exc.message)
        self.error.show()

    def _enrolled(self, result: tuple[Actor, list[str]]) -> None:
        self._set_busy(False)
        actor, codes = result
        self.actor = actor
        self._password = None
        self.password_field.clear()
        self._secret = ""
        self.secret_label.clear()
        self.qr_label.clear()
        page = RecoveryCodesPage(codes, self._sheet, self)
        page.finished.connect(self._finish)
        self.codes_page = page
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        self.pages.removeWidget(self.form_page)  # the QR page is done: fit the codes
        self.form_page.hide()
        self.adjustSize()

    def _sheet(self) -> bytes | None:
        if self._documents is None or self.actor is None or self.codes_page is None:
            return None
        try:
            return self._documents.recovery_codes_sheet(self.actor, self.codes_page.codes)
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            return None

    def _finish(self) -> None:
        self.accept()
        self.enrolled.emit(self.actor)

    def reject(self) -> None:
        if self.actor is not None:
            return  # enrolled: the codes must be acknowledged first
        super().reject()


class SecondFactorStatusDialog(QDialog):
    """« Double authentification » from the workspace menu: status and (re)enrolment."""

    def __init__(
        self,
        auth: AuthPort,
        documents: DocumentsPort | None,
        actor: Actor,
        parent: QWidget | None = None,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("secondFactorStatus")
        self._runner = runner
        self._auth = auth
        self._documents = documents
        self._actor = actor
        self.enrolment: EnrolmentDialog | None = None
        self.setWindowTitle(self.tr("Double authentification"))
        self.setMinimumWidth(520)
        self.status = QLabel()
        self.status.setObjectName("secondFactorState")
        self.status.setWordWrap(True)
        self.enrol_button = QPushButton()
        self.enrol_button.setObjectName("startEnrolButton")
        close = QPushButton(self.tr("Fermer"))
        close.setAutoDefault(False)
        buttons = QDialogButtonBox()
        buttons.addButton(self.enrol_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(close, QDialogButtonBox.ButtonRole.RejectRole)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        close.clicked.connect(self.accept)
        self.enrol_button.clicked.connect(self.start)
        self.refresh()

    def refresh(self) -> None:
        enrolled, remaining = self._auth.second_factor_status(self._actor)
        if enrolled:
            self.status.setText(
                self.tr(
                    "La double authentification est <b>activée</b> pour votre compte. Codes de "
                    "secours encore utilisables : {n}.<br>Vous pouvez enregistrer un nouveau "
                    "téléphone : l'ancien et les anciens codes de secours ne fonctionneront plus."
                ).format(n=remaining)
            )
            self.enrol_button.setText(self.tr("Changer de téléphone…"))
        else:
            self.status.setText(
                self.tr(
                    "La double authentification n'est <b>pas activée</b>. Activez-la : en plus "
                    "du mot de passe, Relais demandera le code à 6 chiffres de votre téléphone."
                )
            )
            self.enrol_button.setText(self.tr("Activer…"))

    def start(self) -> None:
        secret, uri = self._auth.new_second_factor(self._actor.username)
        dialog = EnrolmentDialog(
            self._auth,
            self._documents,
            self._actor.username,
            secret,
            uri,
            session_actor=self._actor,
            runner=self._runner,
            parent=self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.enrolment = dialog
        dialog.enrolled.connect(lambda _actor: self.refresh())
        dialog.finished.connect(lambda _r: setattr(self, "enrolment", None))
        dialog.open()
