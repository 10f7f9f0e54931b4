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
    MenuSpec("file", QT_TRANSLATE_NOOP(CONTEXT, "&Fichier"), session_only=False),
    MenuSpec("patient", QT_TRANSLATE_NOOP(CONTEXT, "&Patient")),
    MenuSpec("referrals", QT_TRANSLATE_NOOP(CONTEXT, "&Orientations")),
    MenuSpec("agenda", QT_TRANSLATE_NOOP(CONTEXT, "&Agenda")),
    MenuSpec("coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Coordination")),
    MenuSpec("help", QT_TRANSLATE_NOOP(CONTEXT, "A&ide"), session_only=False),
)

ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("search", "file", QT_TRANSLATE_NOOP(CONTEXT, "&Rechercher un patient"), "search",
               Key.Find, "search_patients"),
    ActionSpec("lock", "file", QT_TRANSLATE_NOOP(CONTEXT, "&Verrouiller"), "lock", "Ctrl+L",
               separator_before=True),
    ActionSpec("switch", "file", QT_TRANSLATE_NOOP(CONTEXT, "&Changer d'utilisateur"),
               "arrows-exchange"),
    ActionSpec("logout", "file", QT_TRANSLATE_NOOP(CONTEXT, "Se &déconnecter"), "logout"),
    ActionSpec("quit", "file", QT_TRANSLATE_NOOP(CONTEXT, "&Quitter"), "door-exit", "Ctrl+Q",
               session=False, separator_before=True),
    ActionSpec("new_patient", "patient", QT_TRANSLATE_NOOP(CONTEXT, "&Nouveau patient…"),
               "user-plus", Key.New, "create_patients"),
    ActionSpec("new_note", "patient", QT_TRANSLATE_NOOP(CONTEXT, "Nouvelle &note"), "pencil-plus",
               "Ctrl+Shift+N", "write_notes"),
    ActionSpec("print", "patient", QT_TRANSLATE_NOOP(CONTEXT, "&Imprimer la fiche d'orientation"),
               "printer", Key.Print),
    ActionSpec("close_file", "patient", QT_TRANSLATE_NOOP(CONTEXT, "&Fermer le dossier"), "x",
               "Ctrl+W", separator_before=True),
    ActionSpec("refer", "referrals", QT_TRANSLATE_NOOP(CONTEXT, "&Orienter…"), "send", "Ctrl+O",
               "refer"),
    ActionSpec("referral_inbox", "referrals",
               QT_TRANSLATE_NOOP(CONTEXT, "Orientations en &attente…"), "directions",
               "Ctrl+Shift+O", "referral_inbox"),
    ActionSpec("agenda", "agenda", QT_TRANSLATE_NOOP(CONTEXT, "Ouvrir l'&agenda"), "calendar",
               "Ctrl+G", "agenda"),
    ActionSpec("book", "agenda", QT_TRANSLATE_NOOP(CONTEXT, "&Fixer un rendez-vous…"),
               "calendar-plus", "Ctrl+R", "book"),
    ActionSpec("inbox", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Messages"), "inbox",
               "Ctrl+M"),
    ActionSpec("partners", "coordination",
               QT_TRANSLATE_NOOP(CONTEXT, "A&nnuaire des partenaires"), "address-book",
               needs="partners"),
    ActionSpec("statistics", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Statistiques"),
               "chart-bar", "Ctrl+Shift+S", "statistics"),
    ActionSpec("audit", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Journal d'audit…"),
               "shield-check", needs="audit", separator_before=True),
    ActionSpec("archive", "coordination",
               QT_TRANSLATE_NOOP(CONTEXT, "A&rchivage des dossiers…"), "archive", needs="audit"),
    ActionSpec("backup", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "Sa&uvegarder maintenant"),
               "database-export", needs="audit"),
    ActionSpec("accounts", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Comptes…"), "users",
               needs="accounts", separator_before=True),
    ActionSpec("settings", "coordination", QT_TRANSLATE_NOOP(CONTEXT, "&Paramètres…"),
               "settings", needs="settings"),
    ActionSpec("shortcuts", "help", QT_TRANSLATE_NOOP(CONTEXT, "&Raccourcis clavier…"),
               "keyboard", "Shift+F1", session=False),
    ActionSpec("about", "help", QT_TRANSLATE_NOOP(CONTEXT, "À &propos de Relais…"),
               "info-circle", "F1", session=False),
)  # fmt: skip


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
