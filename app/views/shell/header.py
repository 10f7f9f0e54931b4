"""The workspace's header: who is logged in, the clinic (elided « … » with a tooltip), and the
buttons of the screens this user's role reaches (asked of the services, never the policy)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMenu, QPushButton, QSizePolicy, QWidget

from app.services.clinic.records import ClinicPublic
from app.views.common.icons import icon
from app.views.common.labels import role_label
from app.views.common.language import LanguageDialog
from app.views.common.responsive import flow_row

if TYPE_CHECKING:
    from app.views.shell.workspace import Workspace


class ElidedLabel(QLabel):
    """A one-line label that shows « … » when it lacks room; the tooltip has the whole text."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.setMinimumWidth(40)
        self.setText(text)

    def text(self) -> str:
        """The whole text (what the label stands for), not its elided display."""
        return self._full

    def shown_text(self) -> str:
        return super().text()

    def setText(self, text: str) -> None:
        self._full = text
        self.setToolTip(text)
        self.setAccessibleName(text)
        self._elide()

    def sizeHint(self) -> QSize:
        hint = super().sizeHint()
        return QSize(self.fontMetrics().horizontalAdvance(self._full) + 4, hint.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(self.minimumWidth(), super().minimumSizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, self.width())
        super().setText(shown)


def header_button(text: str, name: str, icon_name: str, tooltip: str = "") -> QPushButton:
    button = QPushButton(icon(icon_name), text)
    button.setObjectName(name)
    button.setAutoDefault(False)
    if tooltip:
        button.setToolTip(tooltip)
    return button


def icon_only(button: QPushButton | None, name: str) -> None:
    """A header button shown as its icon (the header must fit 960 px at 200 %): its name goes
    to the tooltip and to screen readers."""
    if button is None:
        return
    tip = button.toolTip()
    button.setText("")
    button.setAccessibleName(name)
    button.setToolTip(f"{name} — {tip}" if tip else name)


def menu_button(text: str, name: str, icon_name: str) -> tuple[QPushButton, QMenu]:
    """A push button opening a menu: Qt keeps room for its arrow (a QToolButton in instant
    popup mode drew the arrow over the text)."""
    button = header_button(text, name, icon_name)
    menu = QMenu(button)
    button.setMenu(menu)
    return button, menu


def header_row(*widgets: QWidget | None, stretch_after: QWidget | None = None) -> QHBoxLayout:
    row = QHBoxLayout()
    row.setSpacing(6)
    for widget in widgets:
        if widget is None:
            continue
        row.addWidget(widget, 1 if widget is stretch_after else 0)
    return row


def build_header(ws: Workspace, clinic: ClinicPublic | None) -> QHBoxLayout:
    """Build the header's widgets as attributes of ``ws`` (its tests and actions use them)."""
    _build_labels(ws, clinic)
    _build_screen_buttons(ws)
    _build_admin_buttons(ws)
    _build_session_buttons(ws)
    for button in (
        ws.statistics_button,
        ws.partners_button,
        ws.accounts_button,
        ws.settings_button,
        ws.lock_button,
        ws.switch_button,
        ws.logout_button,
    ):
        if button is not None:
            icon_only(button, button.text())
    _build_account_menu(ws)
    _build_coordination_menu(ws)
    # The buttons wrap onto a second row when the window is narrow (200 % on a laptop).
    ws.header_buttons = flow_row(
        ws.inbox_button,
        ws.orientations_button,
        ws.agenda_button,
        ws.statistics_button,
        ws.partners_button,
        ws.account_button,
        ws.coordination_button,
        ws.accounts_button,
        ws.settings_button,
        ws.lock_button,
        ws.switch_button,
        ws.logout_button,
        align_right=True,
    )
    ws.header_buttons.setObjectName("headerButtons")
    row = header_row(ws.user_label, ws.clinic_label, stretch_after=ws.clinic_label)
    row.insertSpacing(1, 12)
    row.addWidget(ws.header_buttons)
    return row


def _build_labels(ws: Workspace, clinic: ClinicPublic | None) -> None:
    actor = ws.actor
    ws.clinic_label = ElidedLabel(clinic.name if clinic else "")
    ws.clinic_label.setObjectName("headerClinic")
    ws.clinic_label.setStyleSheet("font-weight: 600;")
    ws.user_label = ElidedLabel(
        QCoreApplication.translate("Workspace", "{name} — {role}").format(
            name=actor.display_name, role=role_label(actor.role)
        )
    )
    ws.user_label.setObjectName("headerUser")
    ws.user_label.setMinimumWidth(ws.fontMetrics().horizontalAdvance(actor.display_name))
    ws.user_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Preferred)


def _build_screen_buttons(ws: Workspace) -> None:
    caps = ws.capabilities
    ws.inbox_button = header_button(
        "",
        "inboxButton",
        "inbox",
        QCoreApplication.translate(
            "Workspace", "Vos messages : accès exceptionnels, orientations…"
        ),
    )
    ws.inbox_button.clicked.connect(ws.open_inbox)
    ws.orientations_button = _optional_button(
        caps.referral_inbox,
        QCoreApplication.translate("Workspace", "Orientations"),
        "orientationsButton",
        "directions",
        QCoreApplication.translate(
            "Workspace", "Les orientations qui vous attendent, et les retours sur les vôtres."
        ),
        ws.open_orientations,
    )
    ws.agenda_button = _optional_button(
        caps.agenda,
        QCoreApplication.translate("Workspace", "Agenda"),
        "agendaButton",
        "calendar",
        QCoreApplication.translate(
            "Workspace", "Permanences et rendez-vous : jour, semaine, appels de la veille"
        ),
        ws.open_agenda,
    )
    ws.statistics_button = _optional_button(
        caps.statistics,
        QCoreApplication.translate("Workspace", "Statistiques"),
        "statisticsButton",
        "chart-bar",
        QCoreApplication.translate(
            "Workspace", "Tableau de bord d'activité et rapport annuel (chiffres sans noms)"
        ),
        ws.open_statistics,
    )
    ws.partners_button = header_button(
        QCoreApplication.translate("Workspace", "Annuaire"),
        "partnersButton",
        "address-book",
        QCoreApplication.translate("Workspace", "Annuaire des partenaires"),
    )
    ws.partners_button.clicked.connect(ws.open_partners)
    if not caps.partners:  # (showing a widget before it has a parent would open a window)
        ws.partners_button.hide()


def _build_admin_buttons(ws: Workspace) -> None:
    caps = ws.capabilities
    ws.account_button, ws.account_menu = menu_button(
        QCoreApplication.translate("Workspace", "Mon compte"), "accountMenuButton", "user-circle"
    )
    ws.coordination_button: QPushButton | None = None
    ws.coordination_menu: QMenu | None = None
    if caps.audit:
        ws.coordination_button, ws.coordination_menu = menu_button(
            QCoreApplication.translate("Workspace", "Coordination"),
            "coordinationMenuButton",
            "shield-check",
        )
    ws.accounts_button = _optional_button(
        caps.accounts,
        QCoreApplication.translate("Workspace", "Comptes"),
        "accountsButton",
        "users",
        "",
        ws.accounts_requested,
    )
    ws.settings_button = _optional_button(
        caps.settings,
        QCoreApplication.translate("Workspace", "Paramètres"),
        "settingsButton",
        "settings",
        "",
        ws.settings_requested,
    )


def _optional_button(shown, text, name, icon_name, tooltip, slot) -> QPushButton | None:
    if not shown:
        return None
    button = header_button(text, name, icon_name, tooltip)
    button.clicked.connect(slot)
    return button


def _build_session_buttons(ws: Workspace) -> None:
    ws.lock_button = header_button(
        QCoreApplication.translate("Workspace", "Verrouiller"),
        "lockButton",
        "lock",
        QCoreApplication.translate(
            "Workspace", "Masquer l'écran ; votre travail en cours est gardé."
        ),
    )
    ws.switch_button = header_button(
        QCoreApplication.translate("Workspace", "Changer d'utilisateur"),
        "switchButton",
        "arrows-exchange",
    )
    ws.logout_button = header_button(
        QCoreApplication.translate("Workspace", "Se déconnecter"), "logoutButton", "logout"
    )
    for button in (ws.lock_button, ws.switch_button, ws.logout_button):
        button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
    ws.lock_button.clicked.connect(ws.lock_requested)
    ws.switch_button.clicked.connect(ws.switch_requested)
    ws.logout_button.clicked.connect(ws.logout_requested)


def _build_account_menu(ws: Workspace) -> None:
    menu = ws.account_menu
    ws.change_password_action = menu.addAction(
        QCoreApplication.translate("Workspace", "Changer le mot de passe…")
    )
    ws.change_password_action.triggered.connect(ws.open_change_password)
    ws.second_factor_action = menu.addAction(
        QCoreApplication.translate("Workspace", "Double authentification…")
    )
    ws.second_factor_action.triggered.connect(ws.open_second_factor)
    ws.language_action = menu.addAction(
        QCoreApplication.translate("Workspace", "Langue de l'interface…")
    )
    ws.language_action.triggered.connect(lambda: LanguageDialog(ws).exec())
    menu.addSeparator()
    ws.about_action = menu.addAction(
        icon("info-circle"), QCoreApplication.translate("Workspace", "À propos de Relais…")
    )
    ws.about_action.triggered.connect(ws.about_requested)


def _build_coordination_menu(ws: Workspace) -> None:
    menu = ws.coordination_menu
    if menu is None:
        return
    menu.addAction(
        icon("shield-check"), QCoreApplication.translate("Workspace", "Journal d'audit…")
    ).triggered.connect(ws.open_audit)
    menu.addAction(
        icon("archive"), QCoreApplication.translate("Workspace", "Archivage des dossiers…")
    ).triggered.connect(ws.open_archive)
    menu.addSeparator()
    menu.addAction(
        icon("database-export"), QCoreApplication.translate("Workspace", "Sauvegarder maintenant")
    ).triggered.connect(ws.backup_now)
