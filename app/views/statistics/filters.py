"""The dashboard's filters: a period (the last twelve months, a calendar year, or chosen
dates), whose activity (the whole clinic, « mes orientations », or — for the coordinator —
one professional's) and which reason category."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QWidget

from app.i18n import _
from app.services.statistics.labels import CATEGORY_LABELS, EVERY_CATEGORY, WHOLE_CLINIC
from app.services.statistics.model import Professional, StatsFilter
from app.services.statistics.periods import year_period
from app.views.common.forms import buddy, date_edit, qdate

LAST_MONTHS = "last"
CUSTOM = "custom"
YEARS_BACK = 4


class FilterBar(QWidget):
    """Emits ``changed`` when the user picks another period, activity or category."""

    changed = Signal()

    def __init__(
        self, default: StatsFilter, professionals: list[Professional], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._default = default
        self.preset = QComboBox()
        self.preset.setObjectName("statisticsPeriod")
        self.preset.addItem(self.tr("12 derniers mois"), LAST_MONTHS)
        for year in range(default.end.year, default.end.year - YEARS_BACK, -1):
            self.preset.addItem(self.tr("Année {year}").format(year=year), year)
        self.preset.addItem(self.tr("Période choisie"), CUSTOM)
        self.start = date_edit("statisticsStart", default.start)
        self.end = date_edit("statisticsEnd", default.end)
        for edit in (self.start, self.end):
            edit.dateChanged.connect(self._dates_edited)
        self.scope = QComboBox()
        self.scope.setObjectName("statisticsScope")
        self.scope.addItem(_(WHOLE_CLINIC), None)  # service labels: gettext
        for professional in professionals:
            self.scope.addItem(professional.label, professional.id)
        self.category = QComboBox()
        self.category.setObjectName("statisticsCategory")
        self.category.addItem(_(EVERY_CATEGORY), None)
        for key, label in CATEGORY_LABELS.items():
            self.category.addItem(label, key)
        for combo in (self.scope, self.category):  # long names do not widen the window
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(16)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for label, widget in (
            (self.tr("&Période"), self.preset),
            (self.tr("&du"), self.start),
            (self.tr("a&u"), self.end),
            (self.tr("Ac&tivité"), self.scope),
            (self.tr("&Motifs"), self.category),
        ):
            row.addWidget(buddy(label, widget))
            row.addWidget(widget)
        row.addStretch(1)
        self._applying = False
        self.preset.currentIndexChanged.connect(self._preset_chosen)
        self.scope.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.category.currentIndexChanged.connect(lambda _i: self.changed.emit())

    def _preset_chosen(self, _index: int) -> None:
        choice = self.preset.currentData()
        if choice == CUSTOM:
            return
        if choice == LAST_MONTHS:
            start, end = self._default.start, self._default.end
        else:
            period = year_period(int(choice))
            start, end = period.start, period.end
        self._applying = True
        self.start.setDate(qdate(start))
        self.end.setDate(qdate(end))
        self._applying = False
        self.changed.emit()

    def _dates_edited(self) -> None:
        if self._applying:
            return
        self.preset.blockSignals(True)
        self.preset.setCurrentIndex(self.preset.findData(CUSTOM))
        self.preset.blockSignals(False)
        self.changed.emit()

    def value(self) -> StatsFilter:
        return StatsFilter(
            self.start.date().toPython(),
            self.end.date().toPython(),
            self.scope.currentData(),
            self.category.currentData(),
        )

    def choose_year(self, year: int) -> None:
        self.preset.setCurrentIndex(self.preset.findData(year))

    def choose_scope(self, professional_id: int | None) -> None:
        self.scope.setCurrentIndex(self.scope.findData(professional_id))

    def choose_category(self, key: str | None) -> None:
        self.category.setCurrentIndex(self.category.findData(key))
