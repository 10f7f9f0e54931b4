"""What the main window prepares while its login screen waits for the user.

Relais shows the login screen before importing its features. Once it is shown, the workspace's
modules are imported, the first search panel is built and the container's services are built,
one step per turn of the event loop (each a few tens of ms at most), so that neither the start
nor the login pays for them, and the window never stalls while the user types.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer

DELAY_MS = 100  # after the login screen is shown: the user is typing
# What the workspace needs, in the order it needs it.
MODULES = (
    "app.views.common.pdf_view",
    "app.views.shell.search_panel",
    "app.views.patient_file.file_view",
    "app.views.referrals.referrals_view",
    "app.views.agenda.booking_dialog",
    "app.views.home_care.home_care_tab",
    "app.views.social.consultation_screen",
    "app.views.admin.audit_dialog",
    "app.views.shell.workspace",
    "app.views.shell.password_dialog",
)
SEARCH_PANEL = "search panel"


class WarmUp(QObject):
    """The steps left (:attr:`left`), run one per turn of the event loop once started."""

    def __init__(self, services: object, parent: QObject) -> None:
        super().__init__(parent)
        self._services = services
        later: Callable[[], tuple[str, ...]] = getattr(services, "built_later", tuple)
        self.left: list[str] = [*MODULES, SEARCH_PANEL, *later()]  # a test double builds none

    def start(self) -> None:
        QTimer.singleShot(DELAY_MS, self, self._step)

    def _step(self) -> None:
        if not self.left:
            return
        step = self.left.pop(0)
        if step == SEARCH_PANEL:
            from app.views.shell.search_panel import warm_up as warm_up_search

            warm_up_search()
        elif step.startswith("app."):
            importlib.import_module(step)
        else:  # a service the container builds at first use
            getattr(self._services, step)
        QTimer.singleShot(0, self, self._step)
