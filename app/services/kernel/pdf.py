"""The one PDF layout module (reportlab, A4, French).

Every printed document goes through :func:`render`: the clinic's letterhead, the title and
document number, the author, "Page n/N", and a confidentiality footer on every page. Callers
build the body from the small helpers below (paragraphs, key/value tables, tables, signature
boxes) and pass only what the reader of that paper may see.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.lib.utils import simpleSplit
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from app import __version__
from app.i18n import _
from app.resources import RESOURCES
from app.services.kernel.timefmt import fmt_datetime

FONT = "RelaisSans"
FONT_BOLD = "RelaisSans-Bold"
FONT_ITALIC = "RelaisSans-Oblique"
_RESOURCES = RESOURCES / "fonts"
_FONT_CANDIDATES = (
    (
        _RESOURCES / "DejaVuSans.ttf",
        _RESOURCES / "DejaVuSans-Bold.ttf",
        _RESOURCES / "DejaVuSans-Oblique.ttf",
    ),
    (
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
        Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Oblique.ttf"),
    ),
)
CONFIDENTIAL = (
    "Document confidentiel — secret professionnel (art. L1110-4 du code de la santé publique). "
    "Ne pas transmettre à un tiers non autorisé."
)
MARGIN = 18 * mm
ACCENT = colors.HexColor("#1f4e79")


def _register_fonts() -> None:
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    import reportlab

    vera = Path(reportlab.__file__).parent / "fonts"
    candidates = [
        *_FONT_CANDIDATES,
        (vera / "Vera.ttf", vera / "VeraBd.ttf", vera / "VeraIt.ttf"),
    ]
    for regular, bold, italic in candidates:
        if regular.exists() and bold.exists() and italic.exists():
            pdfmetrics.registerFont(TTFont(FONT, str(regular)))
            pdfmetrics.registerFont(TTFont(FONT_BOLD, str(bold)))
            pdfmetrics.registerFont(TTFont(FONT_ITALIC, str(italic)))
            pdfmetrics.registerFontFamily(
                FONT, normal=FONT, bold=FONT_BOLD, italic=FONT_ITALIC, boldItalic=FONT_BOLD
            )
            return
    raise RuntimeError(_("no usable TrueType font for PDF documents"))


@dataclass(frozen=True)
class Letterhead:
    clinic_name: str
    clinic_address: str = ""
    clinic_phone: str = ""
    clinic_finess: str = ""


@dataclass(frozen=True)
class DocumentMeta:
    title: str
    number: str
    author: str
    created_at: datetime
    letterhead: Letterhead
    confidentiality: str = CONFIDENTIAL
    subject: str = ""


# ---- styles and helpers -------------------------------------------------------------------
def styles() -> Mapping[str, ParagraphStyle]:
    """The documents' paragraph styles, built once per process (they are never modified:
    a variant is a new ``ParagraphStyle`` whose parent is one of these)."""
    return _styles()


@lru_cache(maxsize=1)
def _styles() -> Mapping[str, ParagraphStyle]:
    _register_fonts()
    base = getSampleStyleSheet()
    body = ParagraphStyle("body", parent=base["BodyText"], fontName=FONT, fontSize=10, leading=13.5)
    return MappingProxyType(
        {
            "body": body,
            "small": ParagraphStyle("small", parent=body, fontSize=8.5, leading=11),
            "muted": ParagraphStyle("muted", parent=body, fontSize=8.5, textColor=colors.grey),
            "h1": ParagraphStyle(
                "h1",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=15,
                leading=19,
                textColor=ACCENT,
                spaceAfter=4 * mm,
            ),
            "h2": ParagraphStyle(
                "h2",
                parent=body,
                fontName=FONT_BOLD,
                fontSize=11.5,
                leading=15,
                textColor=ACCENT,
                spaceBefore=4 * mm,
                spaceAfter=2 * mm,
            ),
            "label": ParagraphStyle("label", parent=body, fontName=FONT_BOLD),
            "small_label": ParagraphStyle(
                "small_label", parent=body, fontName=FONT_BOLD, fontSize=8.5, leading=11
            ),
            "tiny_label": ParagraphStyle(
                "tiny_label", parent=body, fontName=FONT_BOLD, fontSize=7.5, leading=9.5
            ),
            "right": ParagraphStyle("right", parent=body, alignment=TA_RIGHT),
            "mono": ParagraphStyle(
                "mono", parent=body, fontName=FONT_BOLD, fontSize=13, leading=18
            ),
        }
    )


def text(value: str, style: str = "body") -> Paragraph:
    """A paragraph of user text: escaped, line breaks kept."""
    safe = escape(value).replace("\n", "<br/>")
    return Paragraph(safe, styles()[style])


def paragraphs(value: str, style: str = "body") -> list[Flowable]:
    """Long user text split on blank lines so that it flows across pages without being cut."""
    blocks = [b for b in value.replace("\r\n", "\n").split("\n\n")]
    out: list[Flowable] = []
    for block in blocks:
        lines = block.split("\n")
        # Very long paragraphs are split further: a single Paragraph taller than a page
        # cannot be laid out.
        chunk: list[str] = []
        size = 0
        for line in lines:
            chunk.append(line)
            size += len(line)
            if size > 2500:
                out.append(text("\n".join(chunk), style))
                chunk, size = [], 0
        if chunk:
            out.append(text("\n".join(chunk), style))
        out.append(Spacer(1, 2 * mm))
    return out


def heading(value: str, level: int = 2) -> Paragraph:
    return Paragraph(escape(value), styles()["h1" if level == 1 else "h2"])


def key_values(
    rows: Sequence[tuple[str, str]], widths: tuple[float, float] = (55 * mm, 112 * mm)
) -> Table:
    st = styles()
    data = [[Paragraph(escape(k), st["label"]), text(v or "—")] for k, v in rows]
    table = Table(data, colWidths=list(widths), hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
            ]
        )
    )
    return table


def table(
    header: Sequence[str],
    rows: Sequence[Sequence[str]],
    widths: Sequence[float] | None = None,
    header_style: str = "label",
) -> Table:
    st = styles()
    data = [[Paragraph(escape(h), st[header_style]) for h in header]]
    data += [[text(str(cell), "small") for cell in row] for row in rows]
    t = Table(data, colWidths=list(widths) if widths else None, repeatRows=1, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                ("LINEBELOW", (0, 0), (-1, 0), 0.6, ACCENT),
                ("ROWBACKGROUNDS", (0, 1), (-1, -1), [colors.white, colors.HexColor("#f6f8fa")]),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return t


def signature_boxes(labels: Sequence[str], height: float = 25 * mm) -> Flowable:
    st = styles()
    cells = [[Paragraph(escape(label), st["small"]) for label in labels]]
    cells.append(["" for _ in labels])
    width = (A4[0] - 2 * MARGIN) / max(1, len(labels))
    t = Table(cells, colWidths=[width] * len(labels), rowHeights=[None, height])
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 1), (-1, 1), 0.6, colors.grey),
                ("INNERGRID", (0, 1), (-1, 1), 0.6, colors.grey),
            ]
        )
    )
    return KeepTogether([Spacer(1, 4 * mm), t])


class _Section(KeepTogether):
    """Kept on one page when it fits. Otherwise it moves to the next page only when it is
    short (``short``) or when less than ``room`` is left at the foot of this one; a long
    content starts under its heading and flows on (no half-empty page, no orphan heading)."""

    def __init__(self, content: list[Flowable], room: float, short: float) -> None:
        # A nested KeepTogether reports a huge height (to force its split): flatten it so
        # that the section measures its real height.
        flat: list[Flowable] = []
        for item in content:
            flat.extend(item._content if isinstance(item, KeepTogether) else [item])
        super().__init__(flat)
        self._room = room
        self._short = short

    def split(self, aW, aH):
        if getattr(self, "_wrapInfo", None) != (aW, aH):
            self.wrap(aW, aH)
        content = self._content[:]
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        if aH < self._H and not at_top and (aH < self._room or self._short >= self._H):
            from reportlab.platypus.doctemplate import FrameBreak

            content.insert(0, FrameBreak())
        return content


def section(
    title: str, content: Sequence[Flowable], room: float = 45 * mm, short: float = 90 * mm
) -> list[Flowable]:
    """A heading with its content, laid out as described in ``_Section``."""
    return [_Section([heading(title), *content], room, short)]


def checkboxes(labels: Sequence[str], style: str = "label") -> Flowable:
    """Empty boxes to tick by hand, side by side (« ☐ J'accepte   ☐ Je refuse »)."""
    st = styles()
    cells = [Paragraph(f"☐&nbsp;&nbsp;{escape(label)}", st[style]) for label in labels]
    width = (A4[0] - 2 * MARGIN) / max(1, len(labels))
    t = Table([cells], colWidths=[width] * len(labels), hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return t


def framed(content: Sequence[Flowable]) -> Flowable:
    """A light frame around a short block (a statement the reader must not miss). Keep it
    short: a table cell cannot be split across pages."""
    t = Table([[list(content)]], colWidths=[A4[0] - 2 * MARGIN], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 0.6, ACCENT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f6f8fa")),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 3 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 3 * mm),
            ]
        )
    )
    return t


def columns(blocks: Sequence[Sequence[Flowable]], gap: float = 6 * mm) -> Flowable:
    """Short blocks side by side (e.g. sender and receiver), each taking an equal share of the
    width. A row cannot be split across pages: keep the blocks short."""
    n = max(1, len(blocks))
    width = (A4[0] - 2 * MARGIN - gap * (n - 1)) / n
    cells = [list(b) for b in blocks]
    widths: list[float] = []
    for i in range(n):
        widths.append(width + (gap if i < n - 1 else 0))
    t = Table([cells], colWidths=widths, hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-2, -1), gap),
            ]
        )
    )
    return t


def half_width_key_values(rows: Sequence[tuple[str, str]], label: float = 28 * mm) -> Table:
    """Key/value rows sized for one of two ``columns``."""
    half = (A4[0] - 2 * MARGIN - 6 * mm) / 2
    return key_values(rows, widths=(label, half - label))


MONO = "Courier-Bold"  # built-in PDF font: enough for codes and keys (ASCII only)


def secret_box(lines: Sequence[str], size: float = 17) -> Flowable:
    """A secret to copy by hand (recovery key): large monospaced lines in a framed box."""
    style = ParagraphStyle(
        "secret", parent=styles()["mono"], fontName=MONO, fontSize=size, leading=size * 1.5
    )
    box = Table([[Paragraph("<br/>".join(escape(x) for x in lines), style)]], hAlign="CENTER")
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, ACCENT),
                ("BACKGROUND", (0, 0), (-1, -1), colors.HexColor("#f6f8fa")),
                ("TOPPADDING", (0, 0), (-1, -1), 4 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4 * mm),
                ("LEFTPADDING", (0, 0), (-1, -1), 6 * mm),
                ("RIGHTPADDING", (0, 0), (-1, -1), 6 * mm),
            ]
        )
    )
    return box


def code_checklist(codes: Sequence[str]) -> Flowable:
    """Numbered one-time codes in a grid, each with a box to tick once used."""
    st = styles()
    code_style = ParagraphStyle("code", parent=st["mono"], fontName=MONO, fontSize=14, leading=18)
    data = [
        [Paragraph(str(i), st["body"]), Paragraph(escape(code), code_style), text("☐")]
        for i, code in enumerate(codes, start=1)
    ]
    t = Table(data, colWidths=[12 * mm, 70 * mm, 15 * mm], hAlign="LEFT")
    t.setStyle(
        TableStyle(
            [
                ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2 * mm),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 2 * mm),
            ]
        )
    )
    return t


# ---- page furniture ------------------------------------------------------------------------
def _numbered_canvas(meta: DocumentMeta):
    class NumberedCanvas(Canvas):
        """Defers page output until the total page count is known (Page n/N)."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self) -> None:
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._furniture(total)
                super().showPage()
            super().save()

        def _furniture(self, total: int) -> None:
            width, height = A4
            lh = meta.letterhead
            self.saveState()
            self.setFillColor(ACCENT)
            self.setFont(FONT_BOLD, 11)
            self.drawString(MARGIN, height - 14 * mm, lh.clinic_name)
            self.setFillColor(colors.black)
            self.setFont(FONT, 8)
            details = " · ".join(
                p
                for p in (
                    lh.clinic_address,
                    lh.clinic_phone
                    and _("Tél. {clinic_phone}").format(clinic_phone=lh.clinic_phone),
                    lh.clinic_finess and f"FINESS {lh.clinic_finess}",
                )
                if p
            )
            self.drawString(MARGIN, height - 18.5 * mm, details)
            self.drawRightString(width - MARGIN, height - 14 * mm, f"N° {meta.number}")
            self.drawRightString(width - MARGIN, height - 18.5 * mm, fmt_datetime(meta.created_at))
            self.setStrokeColor(ACCENT)
            self.setLineWidth(0.8)
            self.line(MARGIN, height - 21 * mm, width - MARGIN, height - 21 * mm)
            self.setFont(FONT, 7.5)
            self.setFillColor(colors.grey)
            self.line(MARGIN, 17 * mm, width - MARGIN, 17 * mm)
            lines = simpleSplit(meta.confidentiality, FONT, 7.5, width - 2 * MARGIN)
            for i, line in enumerate(lines[:2]):
                self.drawString(MARGIN, (13 - 3 * i) * mm, line)
            self.drawString(
                MARGIN,
                6.5 * mm,
                _("{title} — établi par {author}").format(title=meta.title, author=meta.author),
            )
            self.drawRightString(
                width - MARGIN,
                6.5 * mm,
                _("Page {pageNumber} / {total}").format(pageNumber=self._pageNumber, total=total),
            )
            self.restoreState()

    return NumberedCanvas


def render(
    meta: DocumentMeta, body: Sequence[Flowable], target: Path | io.BytesIO | None = None
) -> bytes:
    """Lay out ``body`` with the letterhead and footer; returns the PDF bytes (and writes
    them to ``target`` if given)."""
    _register_fonts()
    buffer = io.BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=MARGIN,
        rightMargin=MARGIN,
        topMargin=27 * mm,
        bottomMargin=22 * mm,
        title=meta.title,
        author=meta.author,
        subject=meta.subject or meta.title,
        creator=_("Relais {version}").format(version=__version__),
    )
    story: list[Flowable] = [heading(meta.title, 1), *body]
    doc.build(story, canvasmaker=_numbered_canvas(meta))
    data = buffer.getvalue()
    if isinstance(target, Path):
        target.write_bytes(data)
    elif target is not None:
        target.write(data)
    return data
