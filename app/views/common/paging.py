"""A list model that reads its rows one page at a time, as the view scrolls (``canFetchMore``
/ ``fetchMore``): the service counts and sorts in SQL and returns a ``Page``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Signal

from app.services.kernel.errors import RelaisError
from app.services.kernel.records import Page
from app.views.common.rows import RowsModel

AnyIndex = QModelIndex | QPersistentModelIndex
Row = TypeVar("Row")
Fetch = Callable[[int, int], Page[Any]]


class PagedRowsModel(RowsModel[Row]):
    """``start(fetch)`` reads the first page; the view asks for the next ones by scrolling.
    ``fetch(offset, limit)`` returns a ``Page``; a failure ends the list (``failed``)."""

    PAGE = 50
    failed = Signal(str)

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._fetch: Fetch | None = None
        self._total = 0

    @property
    def total(self) -> int:
        """How many rows the whole list holds (counted by the service)."""
        return self._total

    def start(self, fetch: Fetch) -> Page[Row]:
        """Read the first page again (raises the service's ``RelaisError``)."""
        page = fetch(0, self.PAGE)
        self.show_first(page, fetch)
        return page

    def show_first(self, page: Page[Row], fetch: Fetch) -> None:
        """Show ``page``, the first one, read already (on the task runner); ``fetch`` reads
        the next ones as the view scrolls."""
        self._fetch = fetch
        self._total = page.total
        self.set_rows(page.items)

    def clear(self) -> None:
        self._fetch = None
        self._total = 0
        self.set_rows([])

    def canFetchMore(self, parent: AnyIndex = QModelIndex()) -> bool:  # noqa: B008
        return not parent.isValid() and self._fetch is not None and len(self._rows) < self._total

    def fetchMore(self, parent: AnyIndex = QModelIndex()) -> None:  # noqa: B008
        if not self.canFetchMore(parent) or self._fetch is None:
            return
        first = len(self._rows)
        try:
            page = self._fetch(first, self.PAGE)
        except RelaisError as exc:
            self._total = first
            self.failed.emit(exc.message)
            return
        self._total = page.total
        if not page.items:
            self._total = first
            return
        self.beginInsertRows(QModelIndex(), first, first + len(page.items) - 1)
        self._rows.extend(page.items)
        self.endInsertRows()

    def fetch_until(self, found: Callable[[], bool]) -> None:
        """Fetch pages until ``found()`` or the end (e.g. to select a given row)."""
        while not found() and self.canFetchMore():
            before = len(self._rows)
            self.fetchMore()
            if len(self._rows) == before:
                return
