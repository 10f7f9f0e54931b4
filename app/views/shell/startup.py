"""What happens when Relais starts: demo data, first-run setup, then the login screen."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QSettings, Qt, Signal
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from app.views.common.tasks import ProgressCallback, TaskRunner
from app.views.shell.login import DemoAccountLike
from app.views.shell.main_window import MainWindow

if TYPE_CHECKING:  # the set-up wizard is imported on the first run only
    from app.views.ports import ServicesPort
    from app.views.shell.setup_wizard import SetupDialog

DemoFiller = Callable[[ProgressCallback], Any]


class Startup(QObject):
    """Drives the first screens; emits ``failed(message)`` or ``cancelled`` to stop the app."""

    ready = Signal(object)  # the MainWindow
    failed = Signal(str)
    cancelled = Signal()

    def __init__(
        self,
        services: ServicesPort,
        runner: TaskRunner,
        *,
        demo: bool = False,
        fill_demo: DemoFiller | None = None,
        demo_accounts: Sequence[DemoAccountLike] = (),
        demo_password: str = "",
        window_options: dict[str, Any] | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self._window_options = dict(window_options or {})
        # The window's size and splitters, remembered on this workstation (unless told).
        self._window_options.setdefault("settings", QSettings())
        self._services = services
        self._runner = runner
        self._demo = demo
        self._fill_demo = fill_demo
        self._demo_accounts = demo_accounts
        self._demo_password = demo_password
        self.window: MainWindow | None = None
        self.setup_dialog: SetupDialog | None = None
        self.progress: QProgressDialog | None = None
        self.error_box: QMessageBox | None = None

    def start(self) -> None:
        if self._services.clinic.is_set_up():
            self._show_main()
        elif self._demo and self._fill_demo is not None:
            self._make_demo()
        else:
            self._setup()

    # ---- demo ---------------------------------------------------------------------------
    def _make_demo(self) -> None:
        progress = QProgressDialog(
            self.tr("Création des données de démonstration (patients fictifs)…"), "", 0, 0
        )
        progress.setObjectName("demoProgress")
        progress.setWindowTitle(self.tr("Relais — démonstration"))
        progress.setCancelButton(None)
        progress.setMinimumDuration(0)
        progress.setWindowModality(Qt.WindowModality.ApplicationModal)
        progress.setAutoClose(False)
        progress.setAutoReset(False)
        progress.show()
        self.progress = progress
        assert self._fill_demo is not None
        self._runner.run(
            self._fill_demo,
            success=self._demo_done,
            failure=self._demo_failed,
            progress=self._demo_progress,
            write=True,
        )

    def _demo_progress(self, done: int, total: int) -> None:
        if self.progress is not None:
            self.progress.setMaximum(max(total, 1))
            self.progress.setValue(min(done, max(total, 1)))
            self.progress.setLabelText(
                self.tr(
                    "Création des données de démonstration : {done} / {total} patients…"
                ).format(done=done, total=total)
            )

    def _close_progress(self) -> None:
        if self.progress is not None:
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None

    def _demo_done(self, _summary: object) -> None:
        self._show_main()  # before closing the progress: never zero windows on screen
        self._close_progress()

    def _demo_failed(self, error: BaseException) -> None:
        self._close_progress()
        message = getattr(error, "message", "") or str(error)
        self.failed.emit(
            self.tr("Les données de démonstration n'ont pas pu être créées :\n{error}").format(
                error=message
            )
        )

    # ---- first run ----------------------------------------------------------------------
    def _setup(self) -> None:
        from app.views.shell.setup_wizard import SetupDialog

        dialog = SetupDialog(self._services.clinic, self._services.documents, runner=self._runner)
        self.setup_dialog = dialog
        dialog.completed.connect(lambda _username: self._show_main())
        dialog.rejected.connect(self.cancelled)
        dialog.show()

    # ---- main window --------------------------------------------------------------------
    def _show_main(self) -> None:
        if self.setup_dialog is not None:
            self.setup_dialog.deleteLater()
            self.setup_dialog = None
        window = MainWindow(
            self._services,
            demo_accounts=self._demo_accounts,
            demo_password=self._demo_password,
            runner=self._runner,
            **self._window_options,
        )
        self.window = window
        window.show()
        self.ready.emit(window)
