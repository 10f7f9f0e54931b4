"""What one section of the dashboard shows: its charts, then its tables with their notes."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QGridLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.i18n import _
from app.services.statistics.labels import OUTCOME_LABELS
from app.services.statistics.masking import TOTAL
from app.services.statistics.model import Dashboard, Headline, Section, StatTable
from app.views.statistics import charts
from app.views.statistics.table_model import StatTableModel


def _section_charts(section: Section, dashboard: Dashboard) -> list[QWidget]:
    if section.key == "orientations":
        months = dashboard.table("orientations_par_mois")
        labels = [charts.short_month(r.label) for r in months.body()]
        names = list(OUTCOME_LABELS)
        series = [(name, charts.column(months, name)) for name in names]
        rest = months.masked_rest(names, TOTAL)
        if any(rest):
            series.append((charts.MASKED_SERIES, list(rest)))
        return [
            charts.stacked_bars(
                QCoreApplication.translate("StatisticsCharts", "Orientations par mois, par issue"),
                labels,
                series,
                "referralsChart",
            ),
            charts.horizontal_bars(
                QCoreApplication.translate("StatisticsCharts", "Issue des orientations"),
                names,
                [months.total(name) for name in names],
                "outcomesChart",
            ),
        ]
    if section.key == "delais":
        monthly = dashboard.table("delais_par_mois")
        series = [(c.split(" (")[0], charts.column(monthly, c)) for c in monthly.columns[1:]]
        labels = [charts.short_month(r.label) for r in monthly.body()]
        title = QCoreApplication.translate("StatisticsCharts", "Délai envoi → patient reçu (jours)")
        return [charts.lines(title, labels, series, "delaysChart")]
    if section.key == "erreurs":
        services = dashboard.table("reorientations_par_service")
        return [
            charts.horizontal_bars(
                QCoreApplication.translate("StatisticsCharts", "Réorientations, par service"),
                [r.label for r in services.body()],
                services.column(_("Réorientations")),  # the service's column, translated
                "reorientationsChart",
            )
        ]
    return []


def table_view(table: StatTable) -> QTableView:
    view = QTableView()
    view.setObjectName(f"table_{table.key}")
    view.setModel(StatTableModel(table, view))
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
    view.verticalHeader().hide()
    view.setVerticalScrollBarPolicy(view.verticalScrollBarPolicy().ScrollBarAlwaysOff)
    view.setHorizontalScrollBarPolicy(view.horizontalScrollBarPolicy().ScrollBarAlwaysOff)
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for index in range(1, header.count()):  # room for « masqué », equal value columns
        header.resizeSection(index, max(header.sectionSize(index), 90))
    width = sum(header.sectionSize(i) for i in range(header.count())) + 2 * view.frameWidth()
    height = header.sizeHint().height() + 2 * view.frameWidth()
    height += sum(view.rowHeight(r) for r in range(len(table.rows)))
    view.setFixedSize(width, height)
    return view


def section_page(section: Section, dashboard: Dashboard) -> QScrollArea:
    """A scrollable page: note, charts, then each table with its title and note."""
    page = QWidget()
    column = QVBoxLayout(page)
    if section.note:
        note = QLabel(section.note)
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        column.addWidget(note)
    for chart in _section_charts(section, dashboard):
        column.addWidget(chart)
    for table in section.tables:
        title = QLabel(table.title)
        title.setStyleSheet("font-weight: 600; margin-top: 8px;")
        column.addWidget(title)
        column.addWidget(table_view(table), 0, Qt.AlignmentFlag.AlignLeft)
        if table.note:
            note = QLabel(table.note)
            note.setWordWrap(True)
            note.setStyleSheet("color: #555;")
            column.addWidget(note)
    column.addStretch(1)
    scroll = QScrollArea()
    scroll.setObjectName(f"section_{section.key}")
    scroll.setWidgetResizable(True)
    scroll.setWidget(page)
    return scroll


def headlines_panel(dashboard: Dashboard, columns: int = 5) -> QFrame:
    """The key figures of every section, side by side."""
    frame = QFrame()
    frame.setObjectName("statisticsHeadlines")
    frame.setFrameShape(QFrame.Shape.StyledPanel)
    grid = QGridLayout(frame)
    grid.setVerticalSpacing(4)
    items: list[Headline] = [h for s in dashboard.sections for h in s.headlines]
    for index, headline in enumerate(items):
        cell = QLabel(
            f"<span style='color:#555'>{escape(headline.label)}</span><br>"
            f"<b style='font-size:12pt'>{escape(headline.value.text)}</b>"
        )
        cell.setObjectName("statisticsHeadline")
        cell.setWordWrap(True)  # long labels take two lines rather than widen the window
        cell.setMinimumWidth(120)
        cell.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        if headline.detail:
            cell.setToolTip(headline.detail)
        grid.addWidget(cell, index // columns, index % columns)
    for column in range(columns):
        grid.setColumnStretch(column, 1)
    return frame
