"""The dashboard's charts (QtCharts), readable in black and white: each series has its own
pattern (solid, hatched, crossed, dotted) as well as its colour; lines differ by style (solid,
dashed) and by marker (circle, square). Masked figures are not drawn."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QStackedBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QBrush, QColor, QPainter, QPen

from app.services.statistics.model import MASKED_PART, StatTable, Value

Values = Sequence[float | None]
P = Qt.BrushStyle
BRUSHES = (
    (QColor("#1f4e79"), P.SolidPattern),
    (QColor("#2e7d32"), P.BDiagPattern),
    (QColor("#6d4c41"), P.CrossPattern),
    (QColor("#b71c1c"), P.HorPattern),
    (QColor("#455a64"), P.Dense4Pattern),
)
MASKED_SERIES = MASKED_PART
MASKED_BRUSH = (QColor("#616161"), P.Dense6Pattern)
LINES = (
    (QColor("#1f4e79"), Qt.PenStyle.SolidLine, QScatterSeries.MarkerShape.MarkerShapeCircle),
    (QColor("#b71c1c"), Qt.PenStyle.DashLine, QScatterSeries.MarkerShape.MarkerShapeRectangle),
)


def _view(chart: QChart, name: str) -> QChartView:
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
    view = QChartView(chart)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(260)
    return view


def _bar_set(name: str, values: Values, index: int) -> QBarSet:
    bars = QBarSet(name)
    color, pattern = MASKED_BRUSH if name == MASKED_SERIES else BRUSHES[index % len(BRUSHES)]
    bars.setBrush(QBrush(color, pattern))
    bars.setPen(QPen(color, 1))
    for v in values:
        bars.append(float(v or 0))
    return bars


def _value_axis(top: float, title: str = "") -> QValueAxis:
    axis = QValueAxis()
    axis.setRange(0, max(1.0, top * 1.05))
    axis.applyNiceNumbers()
    axis.setLabelFormat("%.0f")
    if title:
        axis.setTitleText(title)
    return axis


def stacked_bars(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Values]], name: str
) -> QChartView:
    chart = QChart()
    chart.setTitle(title)
    stack = QStackedBarSeries()
    for index, (series_name, values) in enumerate(series):
        stack.append(_bar_set(series_name, values, index))
    chart.addSeries(stack)
    categories = QBarCategoryAxis()
    categories.append(list(labels))
    chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
    stack.attachAxis(categories)
    totals = [sum(v[i] or 0 for _n, v in series) for i in range(len(labels))]
    values_axis = _value_axis(max(totals, default=0))
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    stack.attachAxis(values_axis)
    return _view(chart, name)


def lines(
    title: str, labels: Sequence[str], series: Sequence[tuple[str, Values]], name: str
) -> QChartView:
    """One line per series, broken where a month is not measured (fewer than 5)."""
    chart = QChart()
    chart.setTitle(title)
    categories = QBarCategoryAxis()
    categories.append(list(labels))
    chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
    top = max((v for _n, vs in series for v in vs if v is not None), default=0)
    values_axis = _value_axis(top, "jours")
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
    for index, (series_name, values) in enumerate(series):
        color, style, shape = LINES[index % len(LINES)]
        runs: list[list[tuple[int, float]]] = [[]]
        for x, v in enumerate(values):
            if v is None:
                runs.append([])
            else:
                runs[-1].append((x, v))
        for run in (r for r in runs if r):
            line = QLineSeries()
            line.setName(series_name)
            line.setPen(QPen(color, 2.2, style))
            for x, v in run:
                line.append(x, v)
            _attach(chart, line, categories, values_axis, legend=False)
        markers = QScatterSeries()
        markers.setName(series_name)
        markers.setMarkerShape(shape)
        markers.setMarkerSize(8)
        markers.setColor(color)
        for x, v in enumerate(values):
            if v is not None:
                markers.append(x, v)
        _attach(chart, markers, categories, values_axis, legend=True)
    return _view(chart, name)


def _attach(chart: QChart, series, categories, values_axis, *, legend: bool) -> None:  # type: ignore[no-untyped-def]
    chart.addSeries(series)
    series.attachAxis(categories)
    series.attachAxis(values_axis)
    for marker in chart.legend().markers(series):
        marker.setVisible(legend)


def horizontal_bars(title: str, labels: Sequence[str], values: Sequence[Value | None],
                    name: str) -> QChartView:  # fmt: skip
    """One bar per label, the first at the top (as in the table); a masked figure has no bar
    and its label says « < 5 » or « masqué »."""
    chart = QChart()
    chart.setTitle(title)
    series = QHorizontalBarSeries()
    shown = [_masked_label(label[:40], v) for label, v in zip(labels, values, strict=True)]
    numbers = [v.number if v is not None else None for v in values]
    series.append(_bar_set(title, numbers[::-1], 0))
    chart.addSeries(series)
    categories = QBarCategoryAxis()
    categories.append(shown[::-1])
    chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(categories)
    values_axis = _value_axis(max((v or 0 for v in numbers), default=0))
    chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
    series.attachAxis(values_axis)
    chart.legend().hide()
    return _view(chart, name)


def _masked_label(label: str, value: Value | None) -> str:
    return f"{label} ({value.text})" if value is not None and value.masked else label


def short_month(label: str) -> str:
    """« janv. 2026 » → « janv. 26 »: twelve months or more side by side stay readable."""
    month, _space, year = label.rpartition(" ")
    return f"{month} {year[2:]}" if month and len(year) == 4 and year.isdigit() else label


def column(table: StatTable, name: str) -> list[float | None]:
    return [v.number for v in table.column(name)]
