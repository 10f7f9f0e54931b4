"""What the menu bar's context actions do on the screen in front of the user.

Each command delegates to the screen's own buttons and methods (the open patient file, its
« Orientations » tab, the agenda), so a shortcut does exactly what the mouse would. Each returns
an empty string when it acted, or a French sentence saying what to do first.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QPushButton

if TYPE_CHECKING:
    from app.views.patient_file.file_view import PatientFileWidget
    from app.views.shell.workspace import Workspace

BOOK_ACTION = "book"


def current_file(ws: Workspace) -> PatientFileWidget | None:
    # Imported here: a workspace (hence this module, already) exists once a command runs.
    from app.views.patient_file.file_view import PatientFileWidget

    widget = ws.files.currentWidget()
    return widget if isinstance(widget, PatientFileWidget) else None


def _shown(button: QPushButton | None) -> bool:
    return button is not None and not button.isHidden() and button.isEnabled()


def can_new_note(ws: Workspace) -> bool:
    file = current_file(ws)
    return file is not None and file.can_new_note()


def new_note(ws: Workspace) -> str:
    """« Nouvelle note »: the open file's note editor, focused (the file chooses the tab)."""
    file = current_file(ws)
    if file is None or not file.new_note():
        return QCoreApplication.translate(
            "ShellCommands",
            "Ouvrez d'abord le dossier d'un patient où vous pouvez écrire une note.",
        )
    return ""


def can_refer(ws: Workspace) -> bool:
    file = current_file(ws)
    return file is not None and file.can_refer()


def refer(ws: Workspace) -> str:
    """« Orienter… »: the referral form of the open file."""
    file = current_file(ws)
    if file is None or not file.start_referral():
        return QCoreApplication.translate(
            "ShellCommands", "Ouvrez d'abord le dossier du patient à orienter."
        )
    return ""


def _referral_button(ws: Workspace, pick) -> tuple[PatientFileWidget, QPushButton] | None:
    file = current_file(ws)
    tab = file.referrals_tab if file is not None else None
    if file is None or tab is None:
        return None
    tab.ensure_loaded()
    button = pick(tab.detail)
    return (file, button) if _shown(button) else None


def _print_button(detail) -> QPushButton:
    return detail.print_form_button


def _book_button(detail) -> QPushButton | None:
    return next((b for a, b in detail.action_buttons.items() if str(a) == BOOK_ACTION), None)


def print_current(ws: Workspace) -> str:
    """The referral form of the referral shown in the open file."""
    found = _referral_button(ws, _print_button)
    if found is None:
        return QCoreApplication.translate(
            "ShellCommands",
            "Rien à imprimer ici : ouvrez un dossier et choisissez une orientation dans "
            "l'onglet « Orientations ».",
        )
    file, button = found
    file.tabs.setCurrentWidget(file.referrals_tab)
    button.click()
    return ""


def book(ws: Workspace) -> str:
    """Book the referral shown in the open file, or the first referral waiting in the agenda."""
    found = _referral_button(ws, _book_button)
    if found is not None:
        file, button = found
        file.tabs.setCurrentWidget(file.referrals_tab)
        button.click()
        return ""
    if ws.agenda_button is None:
        return QCoreApplication.translate(
            "ShellCommands",
            "Choisissez d'abord une orientation à planifier dans le dossier du patient.",
        )
    agenda = ws.open_agenda()
    if agenda.book_selected() is None:
        return QCoreApplication.translate(
            "ShellCommands", "Aucune orientation n'attend de rendez-vous."
        )
    return ""


def close_file(ws: Workspace) -> str:
    index = ws.files.currentIndex()
    if index > 0:
        ws.close_file_at(index)
    return ""


def _done(call) -> Callable[[Workspace], str]:
    def run(ws: Workspace) -> str:
        call(ws)
        return ""

    return run


# The menu bar's entries that act in the workspace on screen (by ``ActionSpec.key``).
WORKSPACE_COMMANDS: dict[str, Callable[[Workspace], str]] = {
    "search": _done(lambda ws: ws.focus_search()),
    "new_patient": _done(lambda ws: ws.new_patient()),
    "new_note": new_note,
    "print": print_current,
    "close_file": close_file,
    "refer": refer,
    "referral_inbox": _done(lambda ws: ws.open_orientations()),
    "agenda": _done(lambda ws: ws.open_agenda()),
    "book": book,
    "inbox": _done(lambda ws: ws.open_inbox()),
    "partners": _done(lambda ws: ws.open_partners()),
    "statistics": _done(lambda ws: ws.open_statistics()),
    "audit": _done(lambda ws: ws.open_audit()),
    "archive": _done(lambda ws: ws.open_archive()),
    "backup": _done(lambda ws: ws.backup_now()),
}


def enabled_in(ws: Workspace) -> dict[str, bool]:
    """Which context entries the screen in front allows."""
    file = current_file(ws)
    return {
        "new_note": can_new_note(ws),
        "refer": can_refer(ws),
        "print": file is not None and file.referrals_tab is not None,
        "close_file": ws.files.currentIndex() > 0,
    }
