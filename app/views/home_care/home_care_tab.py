"""The patient file's « Soins à domicile » tab: the home-care requests (care, partner, start,
status) and the discharge plans, the detail of the one selected, the actions its status allows
(envoyer, acceptée par…, en cours, terminée, refusée → autre partenaire, annuler) and the
printed form / summary. Secretaries and the coordinator read: no button at all."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.home_care.records import DischargePlanRecord, HomeCareRecord
from app.services.home_care.rules import HOME_CARE_ACTION_LABELS, HomeCareAction, PlanStatus
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError
from app.services.kernel.records import GeneratedDocument
from app.services.patient_file.records import PatientRecord
from app.views.common.labels import date_fr
from app.views.common.patient_tab import PatientTab
from app.views.common.responsive import stack_when_narrow, widen_first_pane
from app.views.common.tasks import TaskRunner
from app.views.common.widgets import record_table
from app.views.home_care.detail import plan_html, request_html
from app.views.home_care.discharge_dialog import DischargeDialog
from app.views.home_care.home_care_dialog import HomeCareDialog
from app.views.home_care.models import DischargePlansModel, HomeCareRequestsModel
from app.views.home_care.ports import HomeCarePorts
from app.views.home_care.steps import TEXT_STEPS, AskDialog, readdress_dialog, text_step_dialog

if TYPE_CHECKING:
    from app.views.ports import ServicesPort


class HomeCareTab(PatientTab):
    def __init__(
        self,
        ports: HomeCarePorts | ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        runner: TaskRunner | None = None,
        parent: QWidget | None = None,
    ) -> None:
        ports = HomeCarePorts.of(ports)  # the view keeps its feature's ports only
        super().__init__(
            actor,
            patient.id,
            can_write=ports.home_care.can_write(actor),
            read_only=read_only,
            name="homeCareTab",
            runner=runner,
            parent=parent,
        )
        self.error.setObjectName("homeCareTabError")
        self._ports = ports
        self._patient = patient
        self.request: HomeCareRecord | None = None
        self.plan: DischargePlanRecord | None = None
        self.dialog: HomeCareDialog | DischargeDialog | None = None
        self.message = QLabel()
        self.message.setObjectName("homeCareMessage")
        self.message.setWordWrap(True)
        self._build_lists()
        self._build_detail()
        actions = self._build_request_actions()
        plan_actions = self._build_plan_actions()
        self._layout(actions, plan_actions)
        self.show_request(None)

    # ---- building -----------------------------------------------------------------------
    def _button(self, text: str, name: str, slot: Callable[[], object]) -> QPushButton:
        button = QPushButton(text, self)  # parented: never a window of its own
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(lambda _c=False: slot())
        return button

    def _build_lists(self) -> None:
        self.new_request_button = self._button(
            self.tr("&Nouvelle demande de soins…"),
            "newHomeCareButton",
            lambda: self.open_request_dialog(),
        )
        self.new_plan_button = self._button(
            self.tr("Nouveau &plan de sortie…"),
            "newDischargePlanButton",
            lambda: self.open_plan_dialog(),
        )
        self.new_request_button.setVisible(self.can_write)
        self.new_plan_button.setVisible(self.can_write)
        self.requests_model = HomeCareRequestsModel(self)
        self.requests_table = record_table(self.requests_model, name="homeCareTable")
        self.plans_model = DischargePlansModel(self)
        self.plans_table = record_table(self.plans_model, name="dischargePlansTable")
        self.requests_table.clicked.connect(lambda _i: self._request_selected())
        self.requests_table.selectionModel().selectionChanged.connect(
            lambda *_: self._request_selected()
        )
        self.plans_table.clicked.connect(lambda _i: self._plan_selected())
        self.plans_table.selectionModel().selectionChanged.connect(lambda *_: self._plan_selected())
        # Return (or a double click) on a row opens it: the form when it may be changed.
        self.requests_table.doubleClicked.connect(lambda _i: self.open_current_request())
        self.plans_table.doubleClicked.connect(lambda _i: self.open_current_plan())

    def _build_detail(self) -> None:
        self.detail_title = QLabel()
        self.detail_title.setObjectName("homeCareDetailTitle")
        self.detail_title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.detail = QTextBrowser()
        self.detail.setObjectName("homeCareDetail")

    def _build_request_actions(self) -> QHBoxLayout:
        self.action_buttons: dict[HomeCareAction, QPushButton] = {}
        row = QHBoxLayout()
        for action in HomeCareAction:
            button = self._button(
                self.tr(HOME_CARE_ACTION_LABELS[action]),
                f"homeCare_{action}",
                lambda a=action: self.run_action(a),
            )
            self.action_buttons[action] = button
            row.addWidget(button)
        self.print_request_button = self._button(
            self.tr("&Imprimer la demande…"), "printHomeCareForm", self.print_request
        )
        row.addStretch(1)
        row.addWidget(self.print_request_button)
        return row

    def _build_plan_actions(self) -> QHBoxLayout:
        self.edit_plan_button = self._button(
            self.tr("&Modifier le plan…"),
            "editDischargePlan",
            lambda: self.open_plan_dialog(self.plan),
        )
        self.plan_request_button = self._button(
            self.tr("&Demande de soins pour ce plan…"), "planHomeCareButton", self.request_for_plan
        )
        self.follow_up_button = self._button(
            self.tr("Suivi &fait"), "followUpDone", self.follow_up_done
        )
        self.plan_done_button = self._button(
            self.tr("&Sortie réalisée"), "planDone", self.plan_done
        )
        self.print_plan_button = self._button(
            self.tr("Imprimer &le plan…"), "printDischargePlan", self.print_plan
        )
        self.plan_buttons = [
            self.edit_plan_button,
            self.plan_request_button,
            self.follow_up_button,
            self.plan_done_button,
            self.print_plan_button,
            self.print_request_button,
        ]
        row = QHBoxLayout()
        for button in self.plan_buttons[:4]:
            row.addWidget(button)
        row.addStretch(1)
        row.addWidget(self.print_plan_button)
        return row

    def _layout(self, actions: QHBoxLayout, plan_actions: QHBoxLayout) -> None:
        lists = QWidget()
        lists_column = QVBoxLayout(lists)
        lists_column.setContentsMargins(0, 0, 0, 0)
        requests_label = QLabel(self.tr("<b>Dem&andes de soins à domicile</b>"))
        requests_label.setBuddy(self.requests_table)
        plans_label = QLabel(self.tr("<b>Plans de sortie d'&hospitalisation</b>"))
        plans_label.setBuddy(self.plans_table)
        lists_column.addWidget(requests_label)
        lists_column.addWidget(self.requests_table, 3)
        lists_column.addWidget(plans_label)
        lists_column.addWidget(self.plans_table, 2)
        detail = QWidget()
        detail_column = QVBoxLayout(detail)
        detail_column.setContentsMargins(0, 0, 0, 0)
        detail_column.addWidget(self.detail_title)
        detail_column.addWidget(self.detail, 1)
        detail_column.addWidget(self.error)
        detail_column.addLayout(actions)
        detail_column.addLayout(plan_actions)
        self.splitter = splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(lists)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 560])
        stack_when_narrow(splitter)  # the detail below the lists on a small screen
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.new_request_button)
        top.addWidget(self.new_plan_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

    # ---- loading ----------------------------------------------------------------------------
    def reload(self, *, request_id: int | None = None, plan_id: int | None = None) -> None:
        self._loaded = True
        try:
            requests = self._ports.home_care.for_patient(self._actor, self._patient.id)
            plans = self._ports.discharge.plans_for(self._actor, self._patient.id)
        except RelaisError as exc:
            self.requests_model.set_rows([])
            self.plans_model.set_rows([])
            self.message.setText(exc.message)
            self.show_request(None)
            return
        self.requests_model.set_rows(requests)
        self.plans_model.set_rows(plans)
        waiting = sum(1 for r in requests if r.overdue)
        text = self.tr("%n demande(s) de soins, {plans}.", "", len(requests)).format(
            plans=self.tr("%n plan(s) de sortie", "", len(plans))
        )
        if waiting:
            text += " " + self.tr("%n en attente depuis trop longtemps.", "", waiting)
        if not self.can_write:
            text += " " + self.tr("Consultation seule.")
        self.message.setText(text)
        tables = [self.requests_table, self.plans_table]  # their columns whole, once
        QTimer.singleShot(0, self, lambda: widen_first_pane(self.splitter, tables))
        if plan_id is not None:
            self.select_plan(plan_id)
        elif request_id is not None or self.request is not None:
            self.select_request(request_id if request_id is not None else self.request.id)
        elif self.plan is not None:
            self.select_plan(self.plan.id)
        elif requests:
            self.select_request(requests[0].id)
        elif plans:
            self.select_plan(plans[0].id)
        else:
            self.show_request(None)

    def select_request(self, request_id: int) -> bool:
        row = self.requests_model.row_of(request_id)
        if row < 0:
            self.show_request(None)
            return False
        self.plans_table.clearSelection()
        self.requests_table.selectRow(row)
        self.show_request(self.requests_model.row_at(row))
        return True

    def select_plan(self, plan_id: int) -> bool:
        row = self.plans_model.row_of(plan_id)
        if row < 0:
            return False
        self.requests_table.clearSelection()
        self.plans_table.selectRow(row)
        self.show_plan(self.plans_model.row_at(row))
        return True

    def _request_selected(self) -> None:
        rows = self.requests_table.selectionModel().selectedRows()
        if rows:
            record = self.requests_model.row_at(rows[0].row())
            if record is not None and (self.request is None or self.request.id != record.id):
                self.plans_table.clearSelection()
                self.show_request(record)

    def _plan_selected(self) -> None:
        rows = self.plans_table.selectionModel().selectedRows()
        if rows:
            plan = self.plans_model.row_at(rows[0].row())
            if plan is not None and (self.plan is None or self.plan.id != plan.id):
                self.requests_table.clearSelection()
                self.show_plan(plan)

    # ---- display ----------------------------------------------------------------------------
    def _hide_actions(self) -> None:
        for button in (*self.action_buttons.values(), *self.plan_buttons):
            button.hide()

    def show_request(self, record: HomeCareRecord | None) -> None:
        self.request = record
        self.plan = None
        self.error.hide()
        self._hide_actions()
        if record is None:
            self.detail_title.setText(self.tr("Choisissez une demande ou un plan dans la liste."))
            self.detail.clear()
            return
        self.detail_title.setText(
            self.tr("Demande de soins — {care} — {status}").format(
                care=record.care_label, status=record.status_label
            )
        )
        self.detail.setHtml(request_html(record))
        if self.can_write:
            for action in record.allowed_actions:
                self.action_buttons[action].show()
            self.print_request_button.show()

    def show_plan(self, plan: DischargePlanRecord | None) -> None:
        self.plan = plan
        self.request = None
        self.error.hide()
        self._hide_actions()
        if plan is None:
            return
        self.detail_title.setText(
            self.tr("Plan de sortie — {date} — {status}").format(
                date=date_fr(plan.target_date), status=plan.status_label
            )
        )
        self.detail.setHtml(plan_html(plan))
        if self.can_write:
            self.edit_plan_button.show()
            self.print_plan_button.show()
            if plan.status is PlanStatus.OPEN:
                self.plan_request_button.show()
                self.plan_done_button.show()
            pending = [f for f in plan.follow_ups if not f.done]
            if pending:
                self.follow_up_button.setText(
                    self.tr("{label} du {date} : fait").format(
                        label=pending[0].label, date=date_fr(pending[0].due_on)
                    )
                )
            self.follow_up_button.setVisible(bool(pending))

    def visible_actions(self) -> list[str]:
        return [str(a) for a, b in self.action_buttons.items() if not b.isHidden()]

    # ---- dialogs ----------------------------------------------------------------------------
    def open_current_request(self) -> None:
        """Return on a request: its form when it may still be changed."""
        r = self.request
        if r is not None and self.can_write and HomeCareAction.EDIT in r.allowed_actions:
            self.open_request_dialog(record=r)

    def open_current_plan(self) -> None:
        """Return on a plan: its form."""
        if self.plan is not None and self.can_write:
            self.open_plan_dialog(self.plan)

    def open_request_dialog(self, record: HomeCareRecord | None = None, defaults=None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        try:
            dialog = HomeCareDialog(
                self._ports,
                self._actor,
                self._patient,
                record=record,
                defaults=defaults,
                parent=self,
            )
        except RelaisError as exc:
            self.fail(exc.message)
            return
        self._open(dialog, lambda r: self.reload(request_id=r.id))

    def open_plan_dialog(self, plan: DischargePlanRecord | None = None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        dialog = DischargeDialog(self._ports, self._actor, self._patient, plan=plan, parent=self)
        self._open(dialog, lambda p: self.reload(plan_id=p.id))

    def _open(self, dialog, on_saved: Callable) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.saved.connect(on_saved)
        dialog.saved.connect(lambda _x: self.changed.emit())
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def request_for_plan(self) -> None:
        if self.plan is None:
            return
        try:
            defaults = self._ports.discharge.request_defaults(self._actor, self.plan.id)
        except RelaisError as exc:
            self.fail(exc.message)
            return
        self.open_request_dialog(defaults=defaults)

    # ---- actions ----------------------------------------------------------------------------
    def _apply(self, call: Callable[[], HomeCareRecord], dialog: AskDialog | None = None) -> bool:
        record = self.run_step(call, dialog, dialog.field if dialog is not None else "")
        if record is None:
            return False
        self.reload(request_id=record.id)
        self.changed.emit()
        return True

    def _text_step(self, action: HomeCareAction, r: HomeCareRecord) -> None:
        """A step that asks one line (who accepted, why refused…) and then calls the service."""
        d = text_step_dialog(action, self)
        method = getattr(self._ports.home_care, str(TEXT_STEPS[action][4]))
        actor, rid, version = self._actor, r.id, r.version
        self.open_step(
            d,
            lambda: self._apply(
                lambda: method(actor, rid, d.line.text(), expected_version=version), d
            ),
        )

    def run_action(self, action: HomeCareAction) -> None:
        r = self.request
        if r is None:
            return
        svc, actor, rid, version = self._ports.home_care, self._actor, r.id, r.version
        if action is HomeCareAction.EDIT:
            self.open_request_dialog(record=r)
        elif action in (HomeCareAction.SEND, HomeCareAction.START, HomeCareAction.FINISH):
            method = {
                HomeCareAction.SEND: svc.send,
                HomeCareAction.START: svc.start,
                HomeCareAction.FINISH: svc.finish,
            }[action]
            self._apply(lambda: method(actor, rid, expected_version=version))
        elif action is HomeCareAction.READDRESS:
            self._readdress(r)
        else:
            self._text_step(action, r)

    def _readdress(self, r: HomeCareRecord) -> None:
        svc, actor = self._ports.home_care, self._actor
        try:
            choices = svc.partner_choices(actor, r.care_kind, self._patient.city or None)
        except RelaisError:
            choices = []
        d = readdress_dialog([p for p in choices if p.id != r.partner_id], self)

        def confirm() -> None:
            partner_id = d.partner.currentData() if d.partner is not None else None
            if partner_id is None:
                d.errors.show({"partner_id": self.tr("Choisissez le partenaire.")})
                return
            self._apply(lambda: svc.readdress(actor, r.id, partner_id), d)

        self.open_step(d, confirm)

    # ---- plans ------------------------------------------------------------------------------
    def follow_up_done(self) -> None:
        if self.plan is None:
            return
        pending = [f for f in self.plan.follow_ups if not f.done]
        if not pending:
            return
        try:
            self._ports.discharge.complete_follow_up(self._actor, pending[0].id)
        except RelaisError as exc:
            self.fail(exc.message)
            return
        self.reload(plan_id=self.plan.id)

    def plan_done(self) -> None:
        if self.plan is None:
            return
        try:
            plan = self._ports.discharge.set_status(
                self._actor, self.plan.id, PlanStatus.DONE, expected_version=self.plan.version
            )
        except RelaisError as exc:
            self.fail(exc.message)
            return
        self.reload(plan_id=plan.id)

    # ---- printing ---------------------------------------------------------------------------
    def _preview(self, produce: Callable[[], GeneratedDocument]) -> None:
        """The document built on the task runner, then previewed (it is archived in the file)."""

        def show(generated: GeneratedDocument) -> None:
            self.show_preview(generated)
            self.changed.emit()

        self.generate(produce, show)

    def print_request(self) -> None:
        if self.request is not None:
            rid = self.request.id
            self._preview(lambda: self._ports.documents.request_form(self._actor, rid))

    def print_plan(self) -> None:
        if self.plan is not None:
            pid = self.plan.id
            self._preview(lambda: self._ports.documents.discharge_summary(self._actor, pid))
