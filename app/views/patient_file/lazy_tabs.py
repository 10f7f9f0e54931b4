"""Tabs built when first shown: a light placeholder stands in for each tab until the user
(or the code) asks for it, then the real widget takes its place at the same index."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QTabWidget, QWidget

KEY = "compartment"  # the property naming each tab (kept from the tabs' first version)


class LazyTabs(QObject):
    """``add(key, title, factory)``; ``widget(key)`` builds on demand, ``built(key)`` never
    builds. Showing a tab builds it and calls its ``show_loaded()`` (or ``ensure_loaded()``:
    lists read then, on the task runner for the tabs that read there)."""

    tab_built = Signal(str, QWidget)

    def __init__(self, tabs: QTabWidget) -> None:
        super().__init__(tabs)
        self.tabs = tabs
        self._factories: dict[str, Callable[[], QWidget]] = {}
        self._widgets: dict[str, QWidget] = {}
        tabs.currentChanged.connect(self._current_changed)

    def add(
        self, key: str, title: str, factory: Callable[[], QWidget], *, before: str | None = None
    ) -> None:
        placeholder = QWidget()
        placeholder.setProperty(KEY, key)
        self._factories[key] = factory
        index = self.index_of(before) if before is not None else -1
        if index < 0:
            self.tabs.addTab(placeholder, title)
        else:
            self.tabs.insertTab(index, placeholder, title)

    def add_built(self, key: str, title: str, widget: QWidget, *, before: str | None = None) -> int:
        widget.setProperty(KEY, key)
        self._widgets[key] = widget
        index = self.index_of(before) if before is not None else -1
        if index < 0:
            return self.tabs.addTab(widget, title)
        return self.tabs.insertTab(index, widget, title)

    def keys(self) -> list[str]:
        return [str(self.tabs.widget(i).property(KEY)) for i in range(self.tabs.count())]

    def index_of(self, key: str) -> int:
        return next((i for i, k in enumerate(self.keys()) if k == key), -1)

    def offered(self, key: str) -> bool:
        return key in self._widgets or key in self._factories

    def built(self, key: str) -> QWidget | None:
        return self._widgets.get(key)

    def built_widgets(self) -> list[QWidget]:
        return list(self._widgets.values())

    def widget(self, key: str) -> QWidget | None:
        """The tab's widget, built now if it was not yet (None when not offered)."""
        if key in self._widgets:
            return self._widgets[key]
        if key not in self._factories:
            return None
        return self._build(key)

    def remove(self, key: str) -> None:
        index = self.index_of(key)
        self._factories.pop(key, None)
        widget = self._widgets.pop(key, None)
        if index >= 0:
            page = self.tabs.widget(index)
            self.tabs.removeTab(index)
            page.deleteLater()
        elif widget is not None:
            widget.deleteLater()

    def _build(self, key: str) -> QWidget:
        widget = self._factories.pop(key)()
        widget.setProperty(KEY, key)
        self._widgets[key] = widget
        index = self.index_of(key)
        current = self.tabs.currentIndex() == index
        placeholder = self.tabs.widget(index)
        title, tip = self.tabs.tabText(index), self.tabs.tabToolTip(index)
        blocked = self.tabs.blockSignals(True)
        try:
            self.tabs.insertTab(index, widget, title)
            self.tabs.setTabToolTip(index, tip)
            self.tabs.removeTab(index + 1)
            if current:
                self.tabs.setCurrentIndex(index)
        finally:
            self.tabs.blockSignals(blocked)
        placeholder.deleteLater()
        self.tab_built.emit(key, widget)
        return widget

    def _current_changed(self, index: int) -> None:
        if index < 0:
            return
        widget = self.widget(str(self.tabs.widget(index).property(KEY)))
        load = getattr(widget, "show_loaded", None) or getattr(widget, "ensure_loaded", None)
        if callable(load):
            load()
