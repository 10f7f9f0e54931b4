"""GUI fixtures: a main window on the test database, and helpers to drive it."""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QWidget

from app.container import Services
from app.views.common.garbage import collect_on_ui_thread
from app.views.common.tasks import TaskRunner
from app.views.shell.main_window import MainWindow

# Long enough never to fire during a test unless the test asks for it.
NEVER_MS = 3_600_000
ROOT_CONFTEST = Path(__file__).resolve().parent.parent / "conftest.py"


def _root_conftest(config: pytest.Config) -> ModuleType:
    """tests/conftest.py (not importable by name: tests/ is not a package)."""
    for plugin in config.pluginmanager.get_plugins():
        if (
            isinstance(plugin, ModuleType)
            and Path(plugin.__file__ or "").resolve() == ROOT_CONFTEST
        ):
            return plugin
    raise LookupError("tests/conftest.py is not loaded")


@pytest.fixture(scope="session", autouse=True)
def ui_thread_garbage(qapp) -> Iterator[None]:
    """Garbage collected on the UI thread only, as in the application (make_application)."""
    timer = collect_on_ui_thread(qapp)
    yield
    timer.stop()
    gc.unfreeze()
    gc.enable()


@pytest.fixture(scope="session", autouse=True)
def french_plurals(qapp) -> Iterator[None]:
    """French plural forms (« 2 notes », not « 2 note(s) »), as the application loads them."""
    from app.views.common.language import load_catalogue

    translator = load_catalogue(qapp, "fr")
    yield
    if translator is not None:
        qapp.removeTranslator(translator)


@pytest.fixture
def passwords(pytestconfig: pytest.Config) -> Callable[[str], str]:
    """The test password of a team member, by username."""
    root = _root_conftest(pytestconfig)
    return lambda username: root.COORDINATOR_PASSWORD if username == "coord" else root.PASSWORD


@pytest.fixture
def root_conftest(pytestconfig: pytest.Config) -> ModuleType:
    return _root_conftest(pytestconfig)


@pytest.fixture
def make_window(qtbot, services: Services) -> Iterator[Callable[..., MainWindow]]:
    windows: list[MainWindow] = []

    def _make(**kwargs) -> MainWindow:
        kwargs.setdefault("idle_ms", NEVER_MS)
        kwargs.setdefault("debounce_ms", 0)
        window = MainWindow(services, **kwargs)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        windows.append(window)
        return window

    yield _make
    # Every background task ends before the database closes (the services' teardown): a read
    # still running after the login on a disposed engine crashed the process once.
    TaskRunner.wait_all()
    for window in windows:
        window.watcher.stop()
        window.watcher.uninstall()
        window._force_close = True


@pytest.fixture
def runner(qtbot):
    """A task runner of the test's own, joined when the test ends."""
    runner = TaskRunner()
    yield runner
    runner.shutdown()


@pytest.fixture
def parent(qtbot) -> QWidget:
    """A shown top-level widget to parent a dialog under test."""
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def settings(tmp_path):
    """QSettings of this test only (the remembered printer, geometry)."""
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "qs"))
    QSettings().clear()
    yield QSettings()
    QSettings().clear()
    QSettings.setDefaultFormat(QSettings.Format.NativeFormat)


@pytest.fixture
def liaison_consent(services: Services, team) -> Callable[[int], None]:
    """Record the patient's oral consent to liaison sharing (liaison notes need it)."""

    def _give(patient_id: int) -> None:
        services.consents.record(team.secretary, patient_id, "liaison", "given")

    return _give


@pytest.fixture
def window(make_window, team) -> MainWindow:
    return make_window()


# Platform noise of the offscreen plugin (no window manager), not a Relais problem.
OFFSCREEN_NOISE = r"This plugin does not support propagateSizeHints\(\)"
GUI_DIR = Path(__file__).resolve().parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if GUI_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.qt_log_ignore(OFFSCREEN_NOISE))
