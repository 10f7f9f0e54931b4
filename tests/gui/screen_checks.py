"""Checks over a shown window, for the accessibility and 200 % layout tests (issue 14).

* :func:`unnamed_inputs`: the inputs a screen reader could not name (no accessible name, no
  buddy label pointing at them);
* :func:`layout_problems`: visible widgets cut by their parent, squeezed below their minimum
  size, or overlapping a sibling of the same layout;
* :func:`tour`: the screenshot script's walk through every screen (``make_screenshots``), with
  its ``shot`` replaced by a check, on a small demo.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

import keyring
from keyring.backend import KeyringBackend
from PySide6.QtCore import QEvent, QMargins, QObject, QPoint, QRect, QSize
from PySide6.QtWidgets import (
    QAbstractScrollArea,
    QApplication,
    QCheckBox,
    QDialog,
    QFormLayout,
    QLabel,
    QLayout,
    QLineEdit,
    QMainWindow,
    QMenu,
    QRadioButton,
    QScrollArea,
    QScrollBar,
    QSizeGrip,
    QSizePolicy,
    QStackedLayout,
    QTabBar,
    QWidget,
)

from app.views.common.accessibility import apply, install_accessibility, is_input

TOLERANCE = 2  # px: rounding at 200 %


def _path(widget: QWidget) -> str:
    parts: list[str] = []
    current: QWidget | None = widget
    while current is not None:
        parts.append(current.objectName() or type(current).__name__)
        if current.isWindow():
            break
        current = current.parentWidget()
    return "/".join(reversed(parts))


def _shown(widget: QWidget, top: QWidget) -> bool:
    return widget.isVisible() and widget.window() is top


# ---- names ----------------------------------------------------------------------------------
def unnamed_inputs(top: QWidget) -> list[str]:
    """Visible, enabled inputs of ``top`` without accessible name nor buddy label."""
    buddies = {id(label.buddy()) for label in top.findChildren(QLabel) if label.buddy()}
    missing: list[str] = []
    for widget in top.findChildren(QWidget):
        if not (_shown(widget, top) and is_input(widget)):
            continue
        if widget.accessibleName() or id(widget) in buddies:
            continue
        if isinstance(widget, QCheckBox | QRadioButton) and widget.text():
            continue
        missing.append(_path(widget))
    return missing


def unnamed_icon_buttons(top: QWidget) -> list[str]:
    from PySide6.QtWidgets import QAbstractButton

    return [
        _path(button)
        for button in top.findChildren(QAbstractButton)
        if _shown(button, top)
        and not button.text()
        and not button.icon().isNull()
        and not (button.accessibleName() or button.toolTip())
        and button.parentWidget() is not None
        and not isinstance(button.parentWidget(), QTabBar | QScrollBar | QLineEdit)
        and not button.objectName().startswith("qt_")
    ]


# ---- layout ----------------------------------------------------------------------------------
def _managed(layout: QLayout) -> Iterator[QWidget]:
    """The widgets a layout (or its inner layouts) places itself; a stacked layout shows one
    at a time: none. Read through ``indexOf``, never ``itemAt`` (see
    ``app.views.common.accessibility``)."""
    parent = layout.parentWidget()
    if parent is None:
        return
    layouts = [
        lay
        for lay in [layout, *layout.findChildren(QLayout)]
        if not isinstance(lay, QStackedLayout)
    ]
    for child in parent.children():
        if (
            isinstance(child, QWidget)
            and not child.isWindow()
            and any(lay.indexOf(child) >= 0 for lay in layouts)
        ):
            yield child


def _scrolled(widget: QWidget, top: QWidget) -> bool:
    """Inside the viewport of a scroll area (tables, scrolled forms): cut on purpose."""
    current = widget.parentWidget()
    while current is not None and current is not top:
        parent = current.parentWidget()
        if isinstance(parent, QAbstractScrollArea) and current is parent.viewport():
            return True
        current = parent
    return False


def _internal(widget: QWidget) -> bool:
    name = widget.objectName()
    return (
        name.startswith("qt_")
        or isinstance(widget, QScrollBar | QSizeGrip)
        or isinstance(widget.parentWidget(), QTabBar | QAbstractScrollArea)
    )


def layout_problems(top: QWidget) -> list[str]:
    problems: list[str] = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not _shown(widget, top) or _internal(widget):
            continue
        if widget is not top and not _scrolled(widget, top):
            parent_rect = (
                widget.parentWidget().rect().adjusted(-TOLERANCE, -TOLERANCE, TOLERANCE, TOLERANCE)
            )
            if not parent_rect.contains(widget.geometry()):
                problems.append(f"cut by its parent: {_path(widget)} {widget.geometry()}")
        layout = widget.layout()
        if layout is None:
            continue
        children = [c for c in _managed(layout) if _shown(c, top) and not _internal(c)]
        for child in children:
            hint = child.minimumSizeHint().boundedTo(child.maximumSize())
            hint = hint.expandedTo(child.minimumSize())
            policy = child.sizePolicy()
            ignored = QSizePolicy.Policy.Ignored  # made to shrink (an eliding header, …)
            if (
                child.width() + TOLERANCE < hint.width() and policy.horizontalPolicy() != ignored
            ) or (
                child.height() + TOLERANCE < hint.height() and policy.verticalPolicy() != ignored
            ):
                problems.append(
                    f"squeezed: {_path(child)} {child.size().toTuple()} < {hint.toTuple()}"
                )
        for i, first in enumerate(children):
            for second in children[i + 1 :]:
                overlap: QRect = first.geometry().intersected(second.geometry())
                if overlap.width() > TOLERANCE and overlap.height() > TOLERANCE:
                    problems.append(f"overlap: {_path(first)} and {_path(second)}")
    return problems


def scrolled_sideways(top: QWidget) -> list[str]:
    """Visible screen pages (``ResponsivePage``) wider than their view: a row that does not
    wrap, a splitter that does not stack."""
    return [
        f"{_path(area)} {area.widget().width()} > {area.viewport().width()}"
        for area in top.findChildren(QScrollArea, "responsivePage")
        if _shown(area, top)
        and area.widget() is not None
        and area.widget().width() > area.viewport().width() + TOLERANCE
    ]


def _minimum(top: QWidget) -> QSize:
    minimum = top.minimumSizeHint().expandedTo(top.minimumSize())
    central = top.centralWidget() if isinstance(top, QMainWindow) else None
    if central is not None:  # QMainWindow's own hint lags behind a page just shown
        extra = max(top.height() - central.height(), 0)
        minimum = minimum.expandedTo(central.minimumSizeHint().grownBy(QMargins(0, 0, 0, extra)))
    return minimum


def too_wide(top: QWidget, limit: int) -> list[str]:
    """The innermost visible widgets needing more than ``limit`` px of width: where a window
    too wide for the screen gets its width (a row of buttons, a long label…)."""
    wide = [
        w
        for w in [top, *top.findChildren(QWidget)]
        if _shown(w, top) and w.minimumSizeHint().width() > limit
    ]
    return [
        f"{_path(w)} {w.minimumSizeHint().width()}"
        for w in wide
        if not any(other is not w and w.isAncestorOf(other) for other in wide)
    ]


# ---- the tour --------------------------------------------------------------------------------
def misaligned_forms(top: QWidget) -> list[str]:
    """Forms that start at the same place (one box below the other) but whose fields do not:
    each column of forms, by its left edge, with the places its fields start at. Forms in
    hidden parts are left out."""
    columns: dict[int, dict[int, list[str]]] = {}
    for form in top.findChildren(QFormLayout):
        owner = form.parentWidget()
        if owner is None or (owner is not top and not _shown(owner, top)):
            continue
        origin = owner.mapTo(top, QPoint(0, 0)).x()
        for row in range(form.rowCount()):
            label = form.itemAt(row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(row, QFormLayout.ItemRole.FieldRole)
            if label is None or label.widget() is None or field is None:
                continue
            if not label.widget().isVisible():  # a row shown only when needed
                continue
            starts = columns.setdefault(origin + form.geometry().left(), {})
            starts.setdefault(origin + field.geometry().left(), []).append(
                label.widget().text() if isinstance(label.widget(), QLabel) else "?"
            )
    return [
        f"x={left}: "
        + " | ".join(f"{x}: {', '.join(labels)}" for x, labels in sorted(starts.items()))
        for left, starts in sorted(columns.items())
        if len(starts) > 1
    ]


def tour(check: Callable[[QWidget, str], None], *, patients: int = 40) -> None:
    """Walk every screen of ``make_screenshots`` on a small demo, calling ``check(widget,
    name)`` where the script would take a screenshot. Run it in a process of its own (the
    script creates its windows and its application)."""
    from tests.gui import make_screenshots as script

    create_demo = script.demo.create_demo

    def small_demo(services, **kwargs):
        kwargs.update(patients=patients, notes_per_patient=1)
        return create_demo(services, **kwargs)

    def shot(widget: QWidget, name: str) -> None:
        script.settled(widget)
        check(widget, name)

    from app.views.common.language import install_language

    app = QApplication.instance() or QApplication([])
    install_language(app, "fr")  # French plural forms (« 2 notes »), as the application
    script.QApplication = lambda *_args: app  # the script makes its own: use this one
    script.shot = shot
    script.OUT = Path(tempfile.mkdtemp())
    script.demo.create_demo = small_demo
    script.main()


class _MemoryKeyring(KeyringBackend):
    priority = 1  # type: ignore[assignment]

    def __init__(self) -> None:
        super().__init__()
        self.store: dict[tuple[str, str], str] = {}

    def get_password(self, service: str, username: str) -> str | None:
        return self.store.get((service, username))

    def set_password(self, service: str, username: str, password: str) -> None:
        self.store[(service, username)] = password

    def delete_password(self, service: str, username: str) -> None:
        self.store.pop((service, username), None)


class StrayWindows(QObject):
    """Widgets shown while they had no parent: each becomes a window of its own for a moment
    (the desktop flashes it and the main window loses the keyboard focus)."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.Show
            and isinstance(watched, QWidget)
            and watched.isWindow()
            and watched.parent() is None
            and not isinstance(watched, QDialog | QMainWindow | QMenu)
        ):
            self.names.add(f"{type(watched).__name__} {watched.objectName()}".strip())
        return False


def run(kind: str, out: Path) -> None:
    """``kind`` = « names » (accessibility rules installed, names checked on every screen) or
    « layout » (widgets that do not fit, at the window's minimum size on this screen)."""
    keyring.set_keyring(_MemoryKeyring())
    found: dict[str, dict[str, object]] = {}
    installed: list[object] = []

    def check(widget: QWidget, name: str) -> None:
        app = QApplication.instance()
        if not installed:
            installed.append(install_accessibility(app))
        top = widget.window()
        if kind == "names":
            apply(top)
            found[name] = {
                "inputs": unnamed_inputs(top),
                "icon_buttons": unnamed_icon_buttons(top),
                "misaligned_forms": misaligned_forms(top),
            }
            return
        screen = app.primaryScreen().availableGeometry()
        previous = top.size()
        minimum = QSize(0, 0)
        for _ in range(4):  # a page just shown posts layout requests, level by level
            QApplication.processEvents()
            if top.layout() is not None:
                top.layout().invalidate()
                top.layout().activate()
            now = _minimum(top)
            if now == minimum:
                break
            minimum = minimum.expandedTo(now)
            top.resize(
                max(min(screen.width(), previous.width()), minimum.width()),
                max(min(screen.height(), previous.height()), minimum.height()),
            )
        for _ in range(4):  # a scrolled page fits its content after its layout requests
            QApplication.processEvents()
        found[name] = {
            "minimum": list(minimum.toTuple()),
            "size": list(top.size().toTuple()),
            "screen": [screen.width(), screen.height()],
            "problems": layout_problems(top),
            "sideways": scrolled_sideways(top),
            "too_wide": too_wide(top, screen.width()),
        }
        top.resize(previous)

    if QApplication.instance() is None:
        QApplication([])
    strays = StrayWindows()
    QApplication.instance().installEventFilter(strays)
    try:
        tour(check)
    finally:
        found["_stray_windows"] = {"windows": sorted(strays.names)}
        out.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")


def run_tour(kind: str, out: Path, **env: str) -> dict[str, dict]:
    """:func:`run` in a process of its own (the walk builds its windows and application; the
    scale factor must be set before the application exists)."""
    root = Path(__file__).resolve().parents[2]
    environment = {**os.environ, "PYTHONPATH": str(root), "QT_QPA_PLATFORM": "offscreen", **env}
    done = subprocess.run(
        [sys.executable, "-m", "tests.gui.screen_checks", kind, str(out)],
        cwd=root,
        env=environment,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    return json.loads(out.read_text(encoding="utf-8"))


if __name__ == "__main__":
    run(sys.argv[1], Path(sys.argv[2]))
