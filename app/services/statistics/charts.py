"""The report's charts, drawn as vector graphics (reportlab.graphics) and readable in black and
white: each series has its own shade of grey *and* pattern (hatching, or a line style and a
marker), repeated in the legend. A masked figure has no bar of its own: what a month's masked
cells add up to is one plain light-grey « masqué » part; a masked bar shows its text.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from reportlab.graphics.shapes import Drawing, Line, Polygon, PolyLine, Rect, String
from reportlab.lib import colors

from app.services.kernel import pdf
from app.services.statistics.model import MASKED_PART

Values = Sequence[float | None]
GRID = colors.Color(0.82, 0.82, 0.82)
TEXT = colors.Color(0.15, 0.15, 0.15)


@dataclass(frozen=True)
class Look:
    """How one series is drawn: fill shade, hatching (« h » horizontal, « v » vertical,
    « d » diagonal, « x » both), line dash and marker for line charts."""

    fill: colors.Color
    hatch: str = ""
    dash: tuple[float, ...] = ()
    marker: str = "circle"


LOOKS = (
    Look(colors.Color(0.96, 0.96, 0.96), "h", (), "circle"),
    Look(colors.Color(0.30, 0.36, 0.45), "", (4, 2), "square"),
    Look(colors.Color(0.75, 0.80, 0.86), "v", (1, 2), "triangle"),
    Look(colors.Color(1, 1, 1), "x", (6, 2, 1, 2), "diamond"),
    Look(colors.Color(0.55, 0.58, 0.62), "d", (2, 2), "circle"),
)
MASKED_LOOK = Look(colors.Color(0.86, 0.86, 0.86))  # plain light grey: the « masqué » part


def _look(index: int, name: str = "") -> Look:
    return MASKED_LOOK if name == MASKED_PART else LOOKS[index % len(LOOKS)]


def nice_max(value: float) -> float:
    """1, 2, 2.5 or 5 times a power of ten, at least ``value``."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _hatch(d: Drawing, x: float, y: float, w: float, h: float, kind: str) -> None:
    gap = 3.0
    stroke = {"strokeColor": TEXT, "strokeWidth": 0.35}
    if kind in ("h", "x"):
        yy = y + gap / 2
        while yy < y + h:
            d.add(Line(x, yy, x + w, yy, **stroke))
            yy += gap
    if kind in ("v", "x"):
        xx = x + gap / 2
        while xx < x + w:
            d.add(Line(xx, y, xx, y + h, **stroke))
            xx += gap
    if kind == "d":  # 45° lines clipped to the box
        c = -h
        while c < w:
            x0, y0 = max(x, x + c), y + max(0.0, -c)
            x1 = min(x + w, x + c + h)
            y1 = y + (x1 - x - c)
            if x1 > x0:
                d.add(Line(x0, y0, x1, y1, **stroke))
            c += gap * 1.4


def _box(d: Drawing, x: float, y: float, w: float, h: float, look: Look) -> None:
    if w <= 0 or h <= 0:
        return
    d.add(Rect(x, y, w, h, fillColor=look.fill, strokeColor=TEXT, strokeWidth=0.4))
    if look.hatch:
        _hatch(d, x, y, w, h, look.hatch)


def _marker(d: Drawing, x: float, y: float, look: Look) -> None:
    s = 2.2
    style = {"fillColor": look.fill if look.fill != colors.white else TEXT, "strokeColor": TEXT,
             "strokeWidth": 0.5}  # fmt: skip
    if look.marker == "square":
        d.add(Rect(x - s, y - s, 2 * s, 2 * s, **style))
    elif look.marker == "triangle":
        d.add(Polygon([x - s, y - s, x + s, y - s, x, y + s], **style))
    elif look.marker == "diamond":
        d.add(Polygon([x, y - s, x + s, y, x, y + s, x - s, y], **style))
    else:
        d.add(Rect(x - s * 0.8, y - s * 0.8, 1.6 * s, 1.6 * s, rx=s, ry=s, **style))


def _axis(d: Drawing, x0: float, y0: float, w: float, h: float, top: float, unit: str) -> None:
    for i in range(5):
        y = y0 + h * i / 4
        d.add(Line(x0, y, x0 + w, y, strokeColor=GRID, strokeWidth=0.4))
        label = pdf_number(top * i / 4)
        d.add(String(x0 - 3, y - 2.5, label, fontName=pdf.FONT, fontSize=6.5,
                     fillColor=TEXT, textAnchor="end"))  # fmt: skip
    if unit:
        d.add(String(x0 - 3, y0 + h + 6, unit, fontName=pdf.FONT, fontSize=6.5, fillColor=TEXT,
                     textAnchor="end"))  # fmt: skip


def pdf_number(value: float) -> str:
    return (f"{value:.1f}" if value % 1 else f"{value:.0f}").replace(".", ",")


def _categories(d: Drawing, x0: float, y0: float, step: float, labels: Sequence[str]) -> None:
    every = max(1, math.ceil(len(labels) / 14))
    for i, label in enumerate(labels):
        if i % every == 0:
            d.add(String(x0 + step * (i + 0.5), y0 - 9, label, fontName=pdf.FONT,
                         fontSize=6.5, fillColor=TEXT, textAnchor="middle"))  # fmt: skip


def _legend(d: Drawing, x: float, y: float, names: Sequence[str], line: bool = False) -> None:
    for i, name in enumerate(names):
        look = _look(i, name)
        if line:
            d.add(Line(x, y + 3, x + 14, y + 3, strokeColor=TEXT, strokeWidth=1,
                       strokeDashArray=list(look.dash) or None))  # fmt: skip
            _marker(d, x + 7, y + 3, look)
        else:
            _box(d, x, y, 10, 7, look)
        d.add(String(x + 17, y + 0.5, name, fontName=pdf.FONT, fontSize=7, fillColor=TEXT))
        x += 24 + 4.2 * len(name)


def stacked_bars(
    labels: Sequence[str], series: Sequence[tuple[str, Values]], width: float, height: float
) -> Drawing:
    """One bar per label, its segments stacked in series order."""
    pdf.styles()  # registers the fonts
    d = Drawing(width, height)
    x0, y0, w, h = 34, 28, width - 44, height - 52
    totals = [sum(v[i] or 0 for _n, v in series) for i in range(len(labels))]
    top = nice_max(max(totals, default=0))
    _axis(d, x0, y0, w, h, top, "")
    step = w / max(1, len(labels))
    for i in range(len(labels)):
        base = y0
        for s, (name, values) in enumerate(series):
            part = (values[i] or 0) / top * h
            _box(d, x0 + step * (i + 0.15), base, step * 0.7, part, _look(s, name))
            base += part
    _categories(d, x0, y0, step, labels)
    _legend(d, x0, height - 12, [name for name, _v in series])
    return d


def lines(
    labels: Sequence[str],
    series: Sequence[tuple[str, Values]],
    width: float,
    height: float,
    unit: str = "jours",
) -> Drawing:
    """One line per series; a missing value breaks the line."""
    pdf.styles()
    d = Drawing(width, height)
    x0, y0, w, h = 34, 28, width - 44, height - 52
    top = nice_max(max((v for _n, vs in series for v in vs if v is not None), default=0))
    _axis(d, x0, y0, w, h, top, unit)
    step = w / max(1, len(labels))
    for s, (_name, values) in enumerate(series):
        look = LOOKS[(s + 1) % len(LOOKS)] if s else LOOKS[0]
        run: list[float] = []
        points = []
        for i, v in enumerate([*values, None]):
            if v is None:
                if len(run) >= 4:
                    d.add(PolyLine(run, strokeColor=TEXT, strokeWidth=1.1,
                                   strokeDashArray=list(look.dash) or None))  # fmt: skip
                run = []
                continue
            point = (x0 + step * (i + 0.5), y0 + v / top * h)
            run += point
            points.append(point)
        for x, y in points:
            _marker(d, x, y, look)
    _categories(d, x0, y0, step, labels)
    names = [name for name, _v in series]
    _legend_lines(d, x0, height - 12, names)
    return d


def _legend_lines(d: Drawing, x: float, y: float, names: Sequence[str]) -> None:
    for s, name in enumerate(names):
        look = LOOKS[(s + 1) % len(LOOKS)] if s else LOOKS[0]
        d.add(Line(x, y + 3, x + 16, y + 3, strokeColor=TEXT, strokeWidth=1.1,
                   strokeDashArray=list(look.dash) or None))  # fmt: skip
        _marker(d, x + 8, y + 3, look)
        d.add(String(x + 20, y + 0.5, name, fontName=pdf.FONT, fontSize=7, fillColor=TEXT))
        x += 28 + 4.2 * len(name)


def hbars(labels: Sequence[str], values: Sequence[float | str | None], width: float,
          row: float = 14) -> Drawing:  # fmt: skip
    """Horizontal bars with their value at the end; a masked value (its text, « < 5 » or
    « masqué », or None) has no bar and shows its text."""
    pdf.styles()
    left = min(190.0, 10 + 4.1 * max((len(s) for s in labels), default=0))
    height = row * len(labels) + 20
    d = Drawing(width, height)
    top = nice_max(max((v for v in values if isinstance(v, int | float)), default=0))
    w = width - left - 40
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = height - 10 - row * (i + 1)
        d.add(String(left - 5, y + row * 0.3, label[:48], fontName=pdf.FONT, fontSize=7,
                     fillColor=TEXT, textAnchor="end"))  # fmt: skip
        if value is None or isinstance(value, str):
            d.add(String(left + 2, y + row * 0.3, value or "masqué", fontName=pdf.FONT_ITALIC,
                         fontSize=7, fillColor=TEXT))  # fmt: skip
            continue
        length = value / top * w
        _box(d, left, y + row * 0.15, length, row * 0.7, LOOKS[i % len(LOOKS)])
        d.add(String(left + length + 3, y + row * 0.3, pdf_number(value), fontName=pdf.FONT,
                     fontSize=7, fillColor=TEXT))  # fmt: skip
    return d
