"""« Guide d'orientation »: a few questions about the patient's situation, the services the
rules table proposes (``app.services.referrals.orientation_guide``), and which rule fired for each.

The dialog asks and shows; every decision comes from ``orientation.propose``.
"""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.services.referrals import orientation_guide as orientation
from app.services.referrals.orientation_guide import (
    ACTIVITY_LABELS,
    NEED_LABELS,
    Activity,
    Need,
    Proposal,
    Situation,
)
from app.views.common.labels import age_years
from app.views.common.responsive import scrolled_content, stack_when_narrow
from app.views.common.rows import RowsModel
from app.views.common.widgets import record_table

URGENT_COLOUR = QColor("#b71c1c")


class ProposalsModel(RowsModel[Proposal]):
    SERVICE, RULE, REASON = range(3)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Service proposé"),
        QT_TRANSLATE_NOOP("Headers", "Règle"),
        QT_TRANSLATE_NOOP("Headers", "Pourquoi"),
    )

    def cell(self, row: Proposal, column: int) -> str:
        if column == self.SERVICE:
            return (self.tr("URGENT — ") if row.urgent else "") + row.label
        if column == self.RULE:
            return row.rule
        return row.reason

    def foreground(self, row: Proposal, column: int) -> QColor | None:
        return URGENT_COLOUR if row.urgent else None

    def bold(self, row: Proposal) -> bool:
        return row.urgent

    def tooltip(self, row: Proposal, column: int) -> str | None:
        return row.reason


class OrientationGuideDialog(QDialog):
    """Emits ``chosen(proposal, situation)`` on « Orienter vers ce service »."""

    chosen = Signal(object, object)

    def __init__(
        self,
        birth_date: date | None = None,
        *,
        today: date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orientationGuide")
        self.setWindowTitle(self.tr("Guide d'orientation"))
        self.resize(1080, 700)  # the situation and the needs side by side

        intro = QLabel(
            self.tr(
                "Répondez à quelques questions : le guide propose le ou les services adaptés "
                "et indique la règle appliquée. Rien n'est enregistré ni envoyé ici."
            )
        )
        intro.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self._build_situation(birth_date, today), 2)
        top.addWidget(self._build_needs(), 3)
        self._build_table()
        buttons = QDialogButtonBox()
        self.orient_button = buttons.addButton(
            self.tr("&Orienter vers ce service…"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.orient_button.setObjectName("orientButton")
        self.orient_button.setDefault(True)
        close = buttons.addButton(self.tr("&Fermer"), QDialogButtonBox.ButtonRole.RejectRole)
        close.setAutoDefault(False)
        proposed = QLabel(self.tr("<b>Services &proposés</b> (du plus urgent au moins urgent)"))
        proposed.setBuddy(self.table)
        stack_when_narrow(top)  # the needs below the situation on a small screen
        layout = QVBoxLayout(scrolled_content(self))  # scrolls on a small screen
        layout.addWidget(intro)
        layout.addLayout(top)
        layout.addWidget(proposed)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

        close.clicked.connect(self.reject)
        self.orient_button.clicked.connect(self._orient)
        self.table.activated.connect(lambda _i: self._orient())  # double click or Return
        for spin in (self.age, self.sick_leave):
            spin.valueChanged.connect(self.update_proposals)
        for combo in (self.activity, self.gir):
            combo.currentIndexChanged.connect(self.update_proposals)
        for box in (self.invalidity, self.emergency, *self.need_boxes.values()):
            box.toggled.connect(self.update_proposals)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._update_buttons())
        self.update_proposals()

    def _build_situation(self, birth_date: date | None, today: date) -> QGroupBox:
        self.age = QSpinBox()
        self.age.setObjectName("guideAge")
        self.age.setRange(0, 120)
        self.age.setSuffix(self.tr(" ans"))
        if birth_date is not None:
            self.age.setValue(age_years(birth_date, today))
        self.activity = QComboBox()
        self.activity.setObjectName("guideActivity")
        for activity, label in ACTIVITY_LABELS.items():
            self.activity.addItem(self.tr(label), str(activity))
        self.sick_leave = QSpinBox()
        self.sick_leave.setObjectName("guideSickLeave")
        self.sick_leave.setRange(0, 3 * 365)
        self.sick_leave.setSuffix(self.tr(" jours"))
        self.sick_leave.setSpecialValueText(self.tr("pas d'arrêt de travail"))
        self.invalidity = QCheckBox(self.tr("&Invalidité reconnue"))
        self.invalidity.setObjectName("guideInvalidity")
        self.gir = QComboBox()
        self.gir.setObjectName("guideGir")
        self.gir.addItem(self.tr("Non évalué"), None)
        for level in range(1, 7):
            self.gir.addItem(
                self.tr("GIR {n}").format(n=level)
                + (self.tr(" (très dépendant)") if level == 1 else "")
                + (self.tr(" (autonome)") if level == 6 else ""),
                level,
            )
        self.emergency = QCheckBox(self.tr("Situation d'&urgence"))
        self.emergency.setObjectName("guideEmergency")
        # Not by colour alone: the text says it, the colour and weight underline it.
        self.emergency.setStyleSheet("color: #b71c1c; font-weight: 600;")
        situation = QFormLayout()
        situation.addRow(self.tr("Â&ge"), self.age)
        situation.addRow(self.tr("&Activité"), self.activity)
        situation.addRow(self.tr("A&rrêt de travail en cours"), self.sick_leave)
        situation.addRow("", self.invalidity)
        situation.addRow(self.tr("&Dépendance (GIR)"), self.gir)
        situation.addRow("", self.emergency)
        box = QGroupBox(self.tr("Situation"))
        box.setLayout(situation)
        return box

    def _build_needs(self) -> QGroupBox:
        self.need_boxes: dict[Need, QCheckBox] = {}
        needs = QGridLayout()
        for i, (need, label) in enumerate(NEED_LABELS.items()):
            box = QCheckBox(self.tr(label))
            box.setObjectName(f"need_{need}")
            self.need_boxes[need] = box
            needs.addWidget(box, i // 2, i % 2)
        group = QGroupBox(self.tr("Besoins repérés"))
        group.setLayout(needs)
        return group

    def _build_table(self) -> None:
        self.model = ProposalsModel(self)
        self.table = record_table(self.model, name="proposalsTable")
        self.table.setWordWrap(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(ProposalsModel.SERVICE, QHeaderView.ResizeMode.Interactive)
        header.setSectionResizeMode(ProposalsModel.RULE, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ProposalsModel.REASON, QHeaderView.ResizeMode.Stretch)
        self.table.setColumnWidth(ProposalsModel.SERVICE, 330)

    # ---- situation and proposals --------------------------------------------------------
    def situation(self) -> Situation:
        return Situation(
            age=self.age.value(),
            activity=Activity(self.activity.currentData()),
            needs=frozenset(n for n, box in self.need_boxes.items() if box.isChecked()),
            sick_leave_days=self.sick_leave.value(),
            invalidity=self.invalidity.isChecked(),
            gir=self.gir.currentData(),
            emergency=self.emergency.isChecked(),
        )

    def set_activity(self, activity: Activity) -> None:
        self.activity.setCurrentIndex(self.activity.findData(str(activity)))

    def set_gir(self, gir: int | None) -> None:
        self.gir.setCurrentIndex(self.gir.findData(gir) if gir is not None else 0)

    def update_proposals(self) -> None:
        self.model.set_rows(orientation.propose(self.situation()))
        self.table.resizeRowsToContents()
        if self.model.rowCount():
            self.table.selectRow(0)
        self._update_buttons()

    def proposals(self) -> list[Proposal]:
        return self.model.rows()

    def selected(self) -> Proposal | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        self.orient_button.setEnabled(self.selected() is not None)

    def showEvent(self, event) -> None:
        super().showEvent(event)
        self.table.resizeRowsToContents()

    def _orient(self) -> None:
        proposal = self.selected()
        if proposal is None:
            return
        self.chosen.emit(proposal, self.situation())
        self.accept()
