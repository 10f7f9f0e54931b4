"""Referrals: the patient file's « Orientations » tab (list, detail, receiver's actions), the
detail panel shared with the workspace's « Orientations » window, and that window.

The detail shows only what the service returns for this user: for a secretary, who, when,
status and destination; the reason, message, items and feedback only to the sender and the
receiver. The buttons are the ``allowed_actions`` the service computed.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.patient_file.records import PatientRecord
from app.services.referrals.records import (
    ReferralView,
)
from app.views.common import pdf_view
from app.views.common.patient_tab import LazyTab
from app.views.common.progress_task import ProgressTask
from app.views.common.responsive import ResponsivePage
from app.views.common.steps import run_step
from app.views.common.tasks import TaskRunner, runner_of
from app.views.common.widgets import record_table, show_message
from app.views.referrals.ports import ReferralViewsPort
from app.views.referrals.referral_detail import (
    ACTION_BUTTONS,
    PRINTABLE,
    SCHEDULABLE,
    ReferralDetail,
)
from app.views.referrals.referral_html import referral_html
from app.views.referrals.referrals_model import ReferralsModel

# Moved to their own modules (size rules); still importable from here.
__all__ = [
    "ACTION_BUTTONS",
    "PRINTABLE",
    "SCHEDULABLE",
    "OrientationsDialog",
    "ReferralDetail",
    "ReferralsTab",
    "referral_html",
]


def _table(name: str, model: ReferralsModel, *, single: bool = True) -> QTableView:
    table = record_table(model, name=name, single=single)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    table.horizontalHeader().setStretchLastSection(True)
    return table


class ReferralsTab(LazyTab):
    """The patient's referrals; « Orienter… » (guide) and « Nouvelle orientation… »."""

    changed = Signal()
    guide_requested = Signal()
    new_requested = Signal()
    edit_requested = Signal(object)

    def __init__(
        self,
        services: ReferralViewsPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient.id, name="referralsTab", parent=parent)
        self._services = services
        self._patient = patient
        self._reads = 0  # the latest read of the list (an older one's rows are dropped)
        self._selecting = False
        self._select_id: int | None = None  # asked for while a read was on its way
        self.can_refer = services.referrals.capabilities(actor).can_refer and not read_only
        self.message = QLabel()
        self.message.setObjectName("referralsMessage")
        self.message.setWordWrap(True)
        self.guide_button = QPushButton(self.tr("Orienter avec le &guide…"), self)
        self.guide_button.setObjectName("referralGuideButton")
        self.new_button = QPushButton(self.tr("Nouvelle &orientation…"), self)
        self.new_button.setObjectName("newReferralButton")
        for button in (self.guide_button, self.new_button):
            button.setAutoDefault(False)
            button.setVisible(self.can_refer)
        self.guide_button.clicked.connect(self.guide_requested)
        self.new_button.clicked.connect(self.new_requested)
        self.model = ReferralsModel(self)
        self.table = _table("referralsTable", self.model)
        self.table.hideColumn(ReferralsModel.PATIENT)
        self.table.setMaximumHeight(180)
        self.detail = ReferralDetail(services, actor)
        self.detail.changed.connect(self._detail_changed)
        self.detail.edit_draft.connect(self.edit_requested)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 3)
        splitter.setChildrenCollapsible(False)
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.guide_button)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.table.activated.connect(lambda _i: self.open_current())

    def start_referral(self) -> bool:
        """« Orienter… » from the open file (menu action, shortcut, the tab's button): opens
        the referral form. False when this user may not refer this patient."""
        if not self.can_refer:
            return False
        self.new_requested.emit()
        return True

    def open_current(self) -> None:
        """Return (or a double click) on a row: its referral, and the focus on its first
        action (or its text)."""
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is None:
            return
        if self.detail.view is None or self.detail.view.id != summary.id:
            self.detail.load(summary.id)
        self.detail.focus_first_action()

    def ensure_loaded(self) -> None:
        """Read now if never read (the window's « Imprimer » and « Fixer un rendez-vous »
        act on the referral this shows)."""
        if not self._loaded:
            self.reload(at_once=True)

    def show_loaded(self) -> None:
        """Shown for the first time: read on the task runner (:meth:`reload`)."""
        if not self._loaded:
            self.reload()

    def reload(self, select_id: int | None = None, *, at_once: bool = False) -> None:
        """Read the patient's referrals again (on the window's task runner when there is
        one, unless ``at_once``: the list fills when the read ends), keeping the shown one
        or ``select_id``."""
        self._loaded = True
        if select_id is not None:
            self._select_id = select_id  # kept until a read is shown (a later one included)
        select_id = self._select_id
        keep = (
            select_id
            if select_id is not None
            else (self.detail.view.id if self.detail.view else None)
        )
        self._reads += 1
        reads, referrals = self._reads, self._services.referrals
        actor, patient_id = self._actor, self._patient.id
        run_step(
            lambda: referrals.for_patient(actor, patient_id),
            None,
            lambda message: self._failed(reads, message),
            runner=None if at_once else runner_of(self),
            done=lambda rows: self._show_rows(reads, rows, keep, select_id, at_once),
            write=False,
            owner=self,
        )

    def _failed(self, reads: int, message: str) -> None:
        if reads != self._reads:
            return
        self._select_id = None
        self.model.set_rows([])
        self.message.setText(message)
        self.detail.show_view(None)

    def _show_rows(
        self, reads: int, rows: list, keep: int | None, select_id: int | None, at_once: bool
    ) -> None:
        if reads != self._reads:  # a later read is on its way
            return
        self._select_id = None
        self.model.set_rows(rows)
        self.message.setText(
            self.tr("%n orientation(s), la plus récente en haut.", "", len(rows))
            if rows
            else self.tr("Aucune orientation pour ce patient.")
        )
        row = self.model.row_of(keep) if keep is not None else -1
        if row < 0 and rows:
            row = 0
        if row >= 0:
            self._selecting = True
            try:
                self.table.selectRow(row)
            finally:
                self._selecting = False
            stale = self.detail.view is None or self.detail.view.id != rows[row].id
            if stale or select_id is not None:
                self.detail.load(rows[row].id, at_once=at_once)
        else:
            self.detail.show_view(None)

    def select_referral(self, referral_id: int) -> bool:
        """Show ``referral_id``: True when it is shown — or, with a task runner, on its way
        (the list and the detail fill when their reads end)."""
        self.reload(select_id=referral_id)
        if runner_of(self) is not None:
            return True
        return self.detail.view is not None and self.detail.view.id == referral_id

    def _selected(self) -> None:
        if self._selecting:  # the list is being filled: the detail follows from there
            return
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None and (self.detail.view is None or self.detail.view.id != summary.id):
            self.detail.load(summary.id)

    def _detail_changed(self, view: ReferralView) -> None:
        self.reload(select_id=view.id)
        self.changed.emit()


class OrientationsDialog(QDialog):
    """« Orientations »: what awaits this user (new for them, feedback on theirs, overdue).
    Double-click opens the referral in the patient file."""

    open_referral = Signal(int, int)  # patient id, referral id

    def __init__(
        self,
        services: ReferralViewsPort,
        actor: Actor,
        parent: QWidget | None = None,
        *,
        runner: TaskRunner | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("orientationsDialog")
        self.setWindowTitle(self.tr("Orientations en cours"))
        self.resize(1100, 720)
        self._services = services
        self._actor = actor
        self.model = ReferralsModel(self)
        self.table = _table("orientationsTable", self.model, single=False)
        self.detail = ReferralDetail(services, actor)
        self.detail.changed.connect(lambda view: self.reload(view.id))
        self.batch = ProgressTask(
            self,
            runner,
            title=self.tr("Fiches d'orientation"),
            label=self.tr("Préparation des fiches d'orientation…"),
            name="referralFormsProgress",
        )
        self.preview: pdf_view.PdfPreviewDialog | None = None
        layout = QVBoxLayout(self)
        layout.addWidget(ResponsivePage(self._build_content()), 1)  # scrolls below its minimum
        layout.addLayout(self._build_buttons())
        self.table.activated.connect(lambda _i: self._open())
        self.table.selectionModel().selectionChanged.connect(lambda *_: self._selected())
        self.reload()

    def _build_content(self) -> QWidget:
        intro = QLabel(
            self.tr(
                "Les orientations qui vous attendent : reçues, retours sur celles que vous avez "
                "envoyées, et celles en retard. Double-cliquez (ou Entrée) pour ouvrir le "
                "dossier ; sélectionnez-en plusieurs (Maj, Ctrl, Ctrl+A) pour imprimer leurs "
                "fiches en une fois."
            )
        )
        intro.setWordWrap(True)
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.detail)
        splitter.setStretchFactor(1, 2)
        content = QWidget()
        column = QVBoxLayout(content)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(intro)
        column.addWidget(splitter, 1)
        return content

    def _build_buttons(self) -> QHBoxLayout:
        self.open_button = QPushButton(self.tr("&Ouvrir dans le dossier"))
        self.open_button.setObjectName("openReferralFile")
        self.print_forms_button = QPushButton(self.tr("Imprimer les fic&hes…"))
        self.print_forms_button.setObjectName("printReferralForms")
        self.print_forms_button.setToolTip(
            self.tr("Les fiches d'orientation des lignes sélectionnées, en un seul document")
        )
        close = QPushButton(self.tr("&Fermer"))
        for button in (self.open_button, self.print_forms_button, close):
            button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.print_forms_button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        close.clicked.connect(self.accept)
        self.open_button.clicked.connect(self._open)
        self.print_forms_button.clicked.connect(self.print_forms)
        return buttons

    def reload(self, select_id: int | None = None) -> None:
        try:
            rows = self._services.referrals.inbox(self._actor)
        except RelaisError as exc:
            rows = []
            self.detail._fail(exc.message)
        self.model.set_rows(rows)
        row = self.model.row_of(select_id) if select_id is not None else (0 if rows else -1)
        if row >= 0:
            self.table.selectRow(row)
        self.open_button.setEnabled(bool(rows))
        self._count_forms()

    def _selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None:
            self.detail.load(summary.id)
        self._count_forms()

    def _count_forms(self) -> None:
        """« Imprimer les fiches (3)… »: how many forms the selection prints."""
        count = len(self.printable_selection())
        self.print_forms_button.setEnabled(count > 0)
        self.print_forms_button.setText(
            self.tr("Imprimer les fic&hes (%n)…", "", count)
            if count > 1
            else self.tr("Imprimer les fic&hes…")
        )

    def printable_selection(self) -> list[int]:
        """The selected referrals whose form this user may print, top to bottom."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        summaries = [self.model.row_at(row) for row in rows]
        return [
            s.id
            for s in summaries
            if s is not None and s.can_read_content and s.status in PRINTABLE
        ]

    def print_forms(self) -> None:
        """The selected referrals' forms, made (and archived) on the task runner with progress
        and « Annuler », merged into one document shown in the preview to print."""
        ids = self.printable_selection()
        if not ids:
            return
        actor, documents = self._actor, self._services.referral_documents

        def work(report, cancelled) -> tuple[int, bytes]:  # type: ignore[no-untyped-def]
            made = documents.referral_forms(actor, ids, progress=report, cancelled=cancelled)
            return len(made), pdf_view.merge_pdfs([d.pdf for d in made])

        self.batch.start(work, success=self._forms_ready, failure=self._forms_failed)

    def _forms_ready(self, result: tuple[int, bytes]) -> None:
        count, data = result
        title = self.tr("Fiches d'orientation (%n)", "", count)
        dialog = pdf_view.PdfPreviewDialog(data, title, "fiches-orientation.pdf", self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()

    def _forms_failed(self, error: BaseException) -> None:
        message = error.message if isinstance(error, RelaisError) else str(error)
        show_message(self, message, title=self.tr("Fiches d'orientation"))

    def _open(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        summary = self.model.row_at(rows[0].row()) if rows else None
        if summary is not None:
            self.open_referral.emit(summary.patient_id, summary.id)
            self.accept()
