"""« Journal d'audit » (coordination): filters, lazy list, chain verification, head export."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.services.audit.records import AuditPage
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.timefmt import fmt_date
from app.views.admin.audit_model import AuditModel
from app.views.admin.ports import AuditPorts
from app.views.common import pdf_view
from app.views.common.buttons import DialogButtons
from app.views.common.clock import today
from app.views.common.forms import buddy, date_edit, to_date
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import error_label, record_table

PATIENT_MATCHES = 30

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class AuditDialog(QDialog):
    def __init__(
        self,
        ports: AuditPorts | ServicesPort,
        actor: Actor,
        runner: TaskRunner | None,
        parent: QWidget | None = None,
    ) -> None:
        ports = AuditPorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(parent)
        self.setObjectName("auditDialog")
        self._ports = ports
        self._log = ports.audit_log
        self._actor = actor
        self._runner = runner
        self.verifying = False
        self.last_report = None
        self.head_text = ""
        self.setWindowTitle(self.tr("Journal d'audit"))
        self.resize(1200, 680)

        filters = self._build_filters()
        self._build_list()
        self._layout(filters, self._build_chain())
        self.apply_button.clicked.connect(self.apply)
        self.patient_query.returnPressed.connect(self.find_patients)
        self.verify_button.clicked.connect(self.verify)
        self.head_button.clicked.connect(self.export_head)
        self.model.rowsInserted.connect(lambda *_: self._count())
        self.model.modelReset.connect(self._count)
        self._load_users()
        self.apply()

    # ---- building -----------------------------------------------------------------------
    def _build_filters(self) -> QGroupBox:
        t = self.tr
        self.user = QComboBox()
        self.user.setObjectName("auditUser")
        self.user.addItem(t("Tous les utilisateurs"), None)
        self.action = QComboBox()
        self.action.setObjectName("auditAction")
        self.action.addItem(t("Toutes les actions"), None)
        for code, label in self._log.actions():
            self.action.addItem(label, code)
        self.patient_query = QLineEdit()
        self.patient_query.setObjectName("auditPatientQuery")
        self.patient_query.setPlaceholderText(t("nom, date de naissance ou NIR, puis Entrée"))
        self.patient = QComboBox()
        self.patient.setObjectName("auditPatient")
        self.patient.setToolTip(t("Patient choisi parmi ceux trouvés"))  # its accessible name
        self.patient.addItem(t("Tous les patients"), None)
        self.patient.setMinimumContentsLength(28)
        self.use_from = QCheckBox(t("&Du"))
        self.use_from.setObjectName("auditUseFrom")
        day = today(self._ports.clock)
        self.date_from = date_edit("auditDateFrom", day)
        self.date_from.setEnabled(False)
        self.use_to = QCheckBox(t("au"))
        self.use_to.setObjectName("auditUseTo")
        self.date_to = date_edit("auditDateTo", day)
        self.date_to.setEnabled(False)
        self.use_from.toggled.connect(self.date_from.setEnabled)
        self.use_to.toggled.connect(self.date_to.setEnabled)
        self.apply_button = QPushButton(t("A&fficher"))
        self.apply_button.setObjectName("auditApply")
        self.apply_button.setDefault(True)
        filters = QGroupBox(t("Filtres"))
        grid = QGridLayout(filters)
        grid.addWidget(buddy(t("&Utilisateur"), self.user), 0, 0)
        grid.addWidget(self.user, 0, 1)
        grid.addWidget(buddy(t("A&ction"), self.action), 0, 2)
        grid.addWidget(self.action, 0, 3)
        grid.addWidget(buddy(t("&Patient"), self.patient_query), 1, 0)
        grid.addWidget(self.patient_query, 1, 1)
        grid.addWidget(self.patient, 1, 2, 1, 2)
        dates = QHBoxLayout()
        dates.addWidget(self.use_from)
        dates.addWidget(self.date_from)
        dates.addSpacing(12)
        dates.addWidget(self.use_to)
        dates.addWidget(self.date_to)
        dates.addStretch(1)
        dates.addWidget(self.apply_button)
        grid.addWidget(QLabel(t("Période")), 2, 0)
        grid.addLayout(dates, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        return filters

    def _build_list(self) -> None:
        self.model = AuditModel(self)
        self.table = record_table(self.model, name="auditTable", single=False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        for column, width in (
            (AuditModel.WHEN, 140),
            (AuditModel.WHO, 100),
            (AuditModel.ROLE, 90),
            (AuditModel.ACTION, 190),
            (AuditModel.OUTCOME, 70),
            (AuditModel.PATIENT, 180),  # the patient's name (tooltip: whole)
            (AuditModel.PART, 80),
            (AuditModel.WORKSTATION, 90),
        ):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.count_label = QLabel()
        self.count_label.setObjectName("auditCount")
        self.error = error_label()
        self.error.setObjectName("auditError")

    def _build_chain(self) -> QHBoxLayout:
        t = self.tr
        self.verify_button = QPushButton(t("&Vérifier l'intégrité"))
        self.verify_button.setObjectName("auditVerify")
        self.verify_button.setToolTip(
            t(
                "Recalcule le chaînage de toutes les entrées : une entrée modifiée, supprimée, "
                "insérée ou déplacée est signalée."
            )
        )
        self.head_button = QPushButton(t("&Exporter l'empreinte…"))
        self.head_button.setObjectName("auditHead")
        self.head_button.setToolTip(
            t(
                "L'empreinte résume tout le journal à cet instant ; conservez-la ailleurs "
                "(papier, autre support) pour détecter plus tard une suppression de la fin du "
                "journal."
            )
        )
        self.progress = QProgressBar()
        self.progress.setObjectName("auditVerifyProgress")
        self.progress.setRange(0, 0)
        self.progress.setMaximumWidth(220)
        self.progress.hide()
        self.result_label = QLabel()
        self.result_label.setObjectName("auditVerifyResult")
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.buttons = DialogButtons(self, close=True)
        for button in (self.verify_button, self.head_button):
            button.setAutoDefault(False)
        chain = QHBoxLayout()
        chain.addWidget(self.verify_button)
        chain.addWidget(self.head_button)
        chain.addWidget(self.progress)
        chain.addWidget(self.result_label, 1)
        chain.addWidget(self.buttons)
        return chain

    def _layout(self, filters: QGroupBox, chain: QHBoxLayout) -> None:
        layout = QVBoxLayout(self)
        layout.addWidget(filters)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        layout.addWidget(self.error)
        layout.addLayout(chain)

    # ---- filters ------------------------------------------------------------------------
    def _load_users(self) -> None:
        try:
            users = self._log.users(self._actor)
        except RelaisError as exc:
            self._show_error(exc.message)
            return
        for user_id, name in users:
            self.user.addItem(name, user_id)

    def find_patients(self) -> None:
        query = self.patient_query.text().strip()
        self.patient.clear()
        self.patient.addItem(self.tr("Tous les patients"), None)
        if not query:
            return
        try:
            found = self._ports.patients.search(self._actor, query, limit=PATIENT_MATCHES)
        except RelaisError as exc:
            self._show_error(exc.message)
            return
        for summary in found.patients:
            self.patient.addItem(
                f"{summary.display_name} — {summary.birth_date:%d/%m/%Y}",
                summary.id,
            )
        if found.patients:
            self.patient.setCurrentIndex(1)
        else:
            self.patient.setItemText(0, self.tr("Aucun patient trouvé — tous les patients"))

    def select_combo(self, combo: QComboBox, value: object) -> None:
        index = combo.findData(value)
        if index >= 0:
            combo.setCurrentIndex(index)

    def filters(self) -> dict:
        return {
            "user_id": self.user.currentData(),
            "patient_id": self.patient.currentData(),
            "action": self.action.currentData(),
            "date_from": to_date(self.date_from) if self.use_from.isChecked() else None,
            "date_to": to_date(self.date_to) if self.use_to.isChecked() else None,
        }

    def apply(self) -> None:
        self.error.hide()
        filters = self.filters()
        log, actor = self._log, self._actor

        def fetch(offset: int, limit: int) -> AuditPage:
            return log.search(actor, limit=limit, offset=offset, **filters)

        self.model.set_source(fetch)
        if self.model.error:
            self._show_error(self.model.error)

    def _count(self) -> None:
        n = self.model.rowCount()
        if n == 0:
            self.count_label.setText(self.tr("Aucune entrée ne correspond à ces filtres."))
        elif self.model.has_more:
            self.count_label.setText(
                self.tr(
                    "{n} entrées affichées, les plus récentes d'abord (faites défiler pour "
                    "voir les suivantes)."
                ).format(n=n)
            )
        else:
            self.count_label.setText(self.tr("%n entrée(s), les plus récentes d'abord.", "", n))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- chain --------------------------------------------------------------------------
    def verify(self) -> None:
        if self.verifying:
            return
        self.verifying = True
        self.verify_button.setEnabled(False)
        self.result_label.setStyleSheet("")
        self.result_label.setText(self.tr("Vérification du journal en cours…"))
        self.progress.setRange(0, 0)
        self.progress.show()
        log, actor = self._log, self._actor

        def task(report):
            return log.verify(actor, progress=lambda n: report(n, 0))

        if self._runner is None:
            try:
                result = task(lambda _d, _t: None)
            except Exception as exc:  # shown in French, like the background case
                self._verify_failed(exc)
            else:
                self._verified(result)
            return
        self._runner.run(
            task,
            success=self._verified,
            failure=self._verify_failed,
            progress=self._verify_progress,
            write=True,
        )

    def _verify_progress(self, done: int, _total: int) -> None:
        self.result_label.setText(
            self.tr("Vérification du journal en cours… {n} entrées vérifiées").format(n=done)
        )

    def _end_verify(self) -> None:
        self.verifying = False
        self.verify_button.setEnabled(True)
        self.progress.hide()

    def _verified(self, report) -> None:
        self._end_verify()
        self.last_report = report
        self.result_label.setText(report.message())
        self.result_label.setStyleSheet(
            "color: #1b5e20; font-weight: 600;"
            if report.ok
            else "color: #b00020; font-weight: 600;"
        )

    def _verify_failed(self, error: BaseException) -> None:
        self._end_verify()
        message = getattr(error, "message", "") or str(error)
        self.result_label.setText(message)
        self.result_label.setStyleSheet("color: #b00020;")

    def export_head(self) -> None:
        try:
            head = self._log.head(self._actor)
        except RelaisError as exc:
            self._show_error(exc.message)
            return
        self.head_text = head
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.setText(head)
        self.result_label.setStyleSheet("")
        self.result_label.setText(
            self.tr("Empreinte du journal (copiée dans le presse-papiers) : {head}").format(
                head=head
            )
        )
        text = self.tr("Empreinte du journal d'audit Relais\n{head}\nExportée le {when}\n").format(
            head=head, when=fmt_date(today(self._ports.clock))
        )
        pdf_view.save_bytes(
            self,
            text.encode("utf-8"),
            "empreinte-journal-relais.txt",
            self.tr("Fichier texte (*.txt)"),
        )
