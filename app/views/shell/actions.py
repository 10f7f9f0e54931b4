"""The window's actions: one table gives the menu bar, the shortcuts and the list of shortcuts
in « Aide › Raccourcis clavier » (so the list cannot drift from what the keys do).

What a role may reach comes from the services (``CapabilityService``): entries out of reach are
hidden; entries that need a screen not in front (an open file, a referral) are disabled.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMenu, QMenuBar, QWidget

from app.services.accounts.capabilities import Capabilities
from app.views.common.icons import icon

Key = QKeySequence.StandardKey
CONTEXT = "ShellActions"


@dataclass(frozen=True)
class MenuSpec:
    key: str
    title: str
    session_only: bool = True  # hidden on the login and lock screens


@dataclass(frozen=True)
class ActionSpec:
    key: str
    menu: str
    text: str
    icon: str = ""
    shortcut: Key | str | None = None
    needs: str = ""  # a Capabilities field; "" for everyone
    session: bool = True  # needs a logged-in user's workspace on screen
    separator_before: bool = False


MENUS: tuple[MenuSpec, ...] = (
    MenuSpec("file", QT_TRANSLATE_NOOP("ShellActions", "&Fichier"), session_only=False),
    MenuSpec("patient", QT_TRANSLATE_NOOP("ShellActions", "&Patient")),
    MenuSpec("referrals", QT_TRANSLATE_NOOP("ShellActions", "Orientation&s")),
    MenuSpec("agenda", QT_TRANSLATE_NOOP("ShellActions", "Ag&enda")),
    MenuSpec("coordination", QT_TRANSLATE_NOOP("ShellActions", "Coordina&tion")),
    MenuSpec("help", QT_TRANSLATE_NOOP("ShellActions", "Ai&de"), session_only=False),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec(
        key="search",
        menu="file",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Rechercher un patient"),
        icon="search",
        shortcut=Key.Find,
        needs="search_patients",
    ),
    ActionSpec(
        key="lock",
        menu="file",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Verrouiller"),
        icon="lock",
        shortcut="Ctrl+L",
        separator_before=True,
    ),
    ActionSpec(
        key="switch",
        menu="file",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Changer d'utilisateur"),
        icon="arrows-exchange",
        shortcut="Ctrl+Shift+U",
    ),
    ActionSpec(
        key="logout",
        menu="file",
        text=QT_TRANSLATE_NOOP("ShellActions", "Se &déconnecter"),
        icon="logout",
    ),
    ActionSpec(
        key="quit",
        menu="file",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Quitter"),
        icon="door-exit",
        shortcut="Ctrl+Q",
        session=False,
        separator_before=True,
    ),
    ActionSpec(
        key="new_patient",
        menu="patient",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Nouveau patient…"),
        icon="user-plus",
        shortcut=Key.New,
        needs="create_patients",
    ),
    ActionSpec(
        key="new_note",
        menu="patient",
        text=QT_TRANSLATE_NOOP("ShellActions", "Nouvelle &note"),
        icon="pencil-plus",
        shortcut="Ctrl+Shift+N",
        needs="write_notes",
    ),
    ActionSpec(
        key="print",
        menu="patient",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Imprimer la fiche d'orientation"),
        icon="printer",
        shortcut=Key.Print,
    ),
    ActionSpec(
        key="close_file",
        menu="patient",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Fermer le dossier"),
        icon="x",
        shortcut="Ctrl+W",
        separator_before=True,
    ),
    ActionSpec(
        key="refer",
        menu="referrals",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Orienter…"),
        icon="send",
        shortcut="Ctrl+O",
        needs="refer",
    ),
    ActionSpec(
        key="referral_inbox",
        menu="referrals",
        text=QT_TRANSLATE_NOOP("ShellActions", "Orientations en &attente…"),
        icon="directions",
        shortcut="Ctrl+Shift+O",
        needs="referral_inbox",
    ),
    ActionSpec(
        key="agenda",
        menu="agenda",
        text=QT_TRANSLATE_NOOP("ShellActions", "Ouvrir l'&agenda"),
        icon="calendar",
        shortcut="Ctrl+G",
        needs="agenda",
    ),
    ActionSpec(
        key="book",
        menu="agenda",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Fixer un rendez-vous…"),
        icon="calendar-plus",
        shortcut="Ctrl+R",
        needs="book",
    ),
    ActionSpec(
        key="inbox",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Messages"),
        icon="inbox",
        shortcut="Ctrl+M",
    ),
    ActionSpec(
        key="partners",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "A&nnuaire des partenaires"),
        icon="address-book",
        needs="partners",
    ),
    ActionSpec(
        key="statistics",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Statistiques"),
        icon="chart-bar",
        shortcut="Ctrl+Shift+S",
        needs="statistics",
    ),
    ActionSpec(
        key="audit",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Journal d'audit…"),
        icon="shield-check",
        needs="audit",
        separator_before=True,
    ),
    ActionSpec(
        key="archive",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "A&rchivage des dossiers…"),
        icon="archive",
        needs="audit",
    ),
    ActionSpec(
        key="backup",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "Sa&uvegarder maintenant"),
        icon="database-export",
        needs="audit",
    ),
    ActionSpec(
        key="accounts",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Comptes…"),
        icon="users",
        needs="accounts",
        separator_before=True,
    ),
    ActionSpec(
        key="settings",
        menu="coordination",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Paramètres…"),
        icon="settings",
        needs="settings",
    ),
    ActionSpec(
        key="shortcuts",
        menu="help",
        text=QT_TRANSLATE_NOOP("ShellActions", "&Raccourcis clavier…"),
        icon="keyboard",
        shortcut="Shift+F1",
        session=False,
    ),
    ActionSpec(
        key="about",
        menu="help",
        text=QT_TRANSLATE_NOOP("ShellActions", "À &propos de Relais…"),
        icon="info-circle",
        shortcut="F1",
        session=False,
    ),
)


def translated(text: str) -> str:
    return QCoreApplication.translate(CONTEXT, text)


def plain(text: str) -> str:
    """A menu text without its mnemonic marker and ellipsis (« &Imprimer… » → « Imprimer »)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip("…")


def key_sequence(shortcut: Key | str | None) -> QKeySequence:
    if shortcut is None:
        return QKeySequence()
    return QKeySequence(shortcut)


@dataclass(frozen=True)
class ShortcutRow:
    menu: str
    action: str
    keys: str


class ShellActions(QObject):
    """The window's QActions by key, its menus, and the shortcut list built from them."""

    def __init__(self, window: QWidget, run: Callable[[str], None]) -> None:
        super().__init__(window)
        self.actions: dict[str, QAction] = {}
        self.menus: dict[str, QMenu] = {}
        self.specs = {spec.key: spec for spec in ACTIONS}
        for spec in ACTIONS:
            action = QAction(icon(spec.icon), translated(spec.text), window)
            action.setObjectName(f"action_{spec.key}")
            action.setShortcut(key_sequence(spec.shortcut))
            action.setIconVisibleInMenu(True)
            action.triggered.connect(lambda _checked=False, key=spec.key: run(key))
            self.actions[spec.key] = action

    def build_menus(self, bar: QMenuBar) -> None:
        for menu_spec in MENUS:
            menu = bar.addMenu(translated(menu_spec.title))
            menu.setObjectName(f"menu_{menu_spec.key}")
            self.menus[menu_spec.key] = menu
            for spec in ACTIONS:
                if spec.menu != menu_spec.key:
                    continue
                if spec.separator_before and not menu.isEmpty():
                    menu.addSeparator()
                menu.addAction(self.actions[spec.key])

    def apply(self, capabilities: Capabilities | None, enabled: dict[str, bool]) -> None:
        """Show what the role reaches (none of the session's entries without a session) and
        enable what the screen in front allows."""
        for key, spec in self.specs.items():
            action = self.actions[key]
            reachable = not spec.session or capabilities is not None
            if reachable and spec.needs and capabilities is not None:
                reachable = bool(getattr(capabilities, spec.needs))
            action.setVisible(reachable)
            action.setEnabled(reachable and enabled.get(key, True))
        for menu_spec in MENUS:
            menu = self.menus.get(menu_spec.key)
            if menu is not None:
                shown = any(a.isVisible() for a in menu.actions() if not a.isSeparator())
                menu.menuAction().setVisible(shown)

    def shortcut_rows(self) -> list[ShortcutRow]:
        """Every action with a shortcut, in menu order (what « Raccourcis clavier » lists)."""
        titles = {m.key: plain(translated(m.title)) for m in MENUS}
        rows = []
        for spec in ACTIONS:
            keys = self.actions[spec.key].shortcut()
            if keys.isEmpty():
                continue
            rows.append(
                ShortcutRow(
                    titles[spec.menu],
                    plain(translated(spec.text)),
                    keys.toString(QKeySequence.SequenceFormat.NativeText),
                )
            )
        return rows
