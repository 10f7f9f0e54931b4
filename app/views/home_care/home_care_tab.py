"""The patient file's « Soins à domicile » tab: the home-care requests (care, partner, start,
status) and the discharge plans, the detail of the one selected, the actions its status allows
(envoyer, acceptée par…, en cours, terminée, refusée → autre partenaire, annuler) and the
printed form / summary. Secretaries and the coordinator read: no button at all."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app.services.home_care.records import DischargePlanRecord, HomeCareRecord
from app.services.home_care.rules import (
    HOME_CARE_ACTION_LABELS,
    ArdhVerdict,
    HomeCareAction,
    HomeCareStatus,
    PlanStatus,
    availability_lines,
)
from app.services.kernel import policy
from app.services.kernel.actor import Actor
from app.services.kernel.errors import RelaisError, ValidationError
from app.services.kernel.policy import Action, Resource
from app.services.patient_file.records import PatientRecord
from app.views.common import pdf_view
from app.views.common.labels import date_fr, datetime_fr
from app.views.common.rows import RowsModel
from app.views.common.widgets import error_label, record_table
from app.views.home_care.discharge_dialog import DischargeDialog
from app.views.home_care.home_care_dialog import HomeCareDialog
from app.views.ports import ServicesPort
from app.views.referrals.referral_actions import StepDialog

OVERDUE = QColor("#b00020")
DONE = QColor("#607d8b")


class HomeCareRequestsModel(RowsModel[HomeCareRecord]):
    CARE, PARTNER, START, STATUS = range(4)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Soins"),
        QT_TRANSLATE_NOOP("Headers", "Partenaire"),
        QT_TRANSLATE_NOOP("Headers", "Début"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
    )

    def cell(self, row: HomeCareRecord, column: int) -> str:
        if column == self.CARE:
            return row.care_label
        if column == self.PARTNER:
            return row.partner_name or "—"
        if column == self.START:
            return date_fr(row.start_date)
        status = row.status_label
        if row.status is HomeCareStatus.ACCEPTED and row.accepted_by:
            status += f" ({row.accepted_by})"
        return status + (
            QCoreApplication.translate("HomeCareTab", " — en attente") if row.overdue else ""
        )

    def foreground(self, row: HomeCareRecord, column: int) -> QColor | None:
        if row.overdue:
            return OVERDUE
        if row.status in (HomeCareStatus.FINISHED, HomeCareStatus.CANCELLED):
            return DONE
        return None

    def tooltip(self, row: HomeCareRecord, column: int) -> str | None:
        return row.overdue or None


class DischargePlansModel(RowsModel[DischargePlanRecord]):
    TARGET, DESTINATION, HOSPITAL, STATUS, ARDH = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Sortie prévue"),
        QT_TRANSLATE_NOOP("Headers", "Destination"),
        QT_TRANSLATE_NOOP("Headers", "Établissement"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
        QT_TRANSLATE_NOOP("Headers", "ARDH"),
    )

    def cell(self, row: DischargePlanRecord, column: int) -> str:
        if column == self.TARGET:
            return date_fr(row.target_date)
        if column == self.DESTINATION:
            return row.destination_label
        if column == self.HOSPITAL:
            return " — ".join(x for x in (row.hospital, row.ward) if x)
        if column == self.STATUS:
            return row.status_label
        return {
            ArdhVerdict.ELIGIBLE: QCoreApplication.translate("HomeCareTab", "éligible"),
            ArdhVerdict.NOT_ELIGIBLE: QCoreApplication.translate("HomeCareTab", "non éligible"),
            ArdhVerdict.UNKNOWN: QCoreApplication.translate("HomeCareTab", "à vérifier"),
        }[row.ardh.verdict]


def _esc(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _rows(rows: list[tuple[str, str]]) -> str:
    return (
        "<table cellspacing='0' cellpadding='2'>"
        + "".join(
            f"<tr><td style='color:#455a64; padding-right:10px'>{_esc(k)}</td>"
            f"<td><b>{_esc(v)}</b></td></tr>"
            for k, v in rows
            if v
        )
        + "</table>"
    )


def request_html(r: HomeCareRecord) -> str:
    rows = [
        (
            QCoreApplication.translate("HomeCareTab", "Statut"),
            r.status_label + (f" — {r.overdue}" if r.overdue else ""),
        ),
        (QCoreApplication.translate("HomeCareTab", "Soins"), r.care_label),
        (QCoreApplication.translate("HomeCareTab", "Actes"), ", ".join(r.act_labels)),
        (QCoreApplication.translate("HomeCareTab", "Précisions"), r.care_detail),
        (
            QCoreApplication.translate("HomeCareTab", "Partenaire"),
            r.partner_name + (f" ({r.partner_contact_name})" if r.partner_contact_name else ""),
        ),
        (QCoreApplication.translate("HomeCareTab", "Acceptée par"), r.accepted_by),
        (QCoreApplication.translate("HomeCareTab", "Motif du refus"), r.refusal_reason),
        (QCoreApplication.translate("HomeCareTab", "Début"), date_fr(r.start_date)),
        (QCoreApplication.translate("HomeCareTab", "Fréquence"), r.frequency_label),
        (
            QCoreApplication.translate("HomeCareTab", "Durée"),
            f"{r.duration_days} jours"
            if r.duration_days
            else QCoreApplication.translate("HomeCareTab", "à préciser"),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Prescripteur"),
            f"{r.prescriber_name} — RPPS {r.prescriber_rpps}",
        ),
        (QCoreApplication.translate("HomeCareTab", "Adresse"), r.address),
        (QCoreApplication.translate("HomeCareTab", "Téléphone"), r.phone),
        (
            QCoreApplication.translate("HomeCareTab", "Code porte / étage"),
            " — ".join(x for x in (r.door_code, r.floor) if x),
        ),
        (QCoreApplication.translate("HomeCareTab", "Accès"), r.access_notes),
        (
            QCoreApplication.translate("HomeCareTab", "Sortie d'hospitalisation"),
            date_fr(r.discharge_date) if r.discharge_date else "",
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Établissement"),
            " — ".join(x for x in (r.hospital, r.ward) if x),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Créée par"),
            QCoreApplication.translate("HomeCareTab", "{created_by_name}, le {created_at}").format(
                created_by_name=r.created_by_name, created_at=datetime_fr(r.created_at)
            ),
        ),
    ]
    parts = [_rows(rows)]
    lines = availability_lines(r.availability)
    if lines:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Disponibilités</h4>") + _rows(lines)
        )
    if r.events:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Étapes</h4><ul>")
            + "".join(
                f"<li>{_esc(datetime_fr(e.at))} — {_esc(e.to_label)}"
                + (f" ({_esc(e.actor_name)})" if e.actor_name else "")
                + (f" : {_esc(e.detail)}" if e.detail else "")
                + "</li>"
                for e in r.events
            )
            + "</ul>"
        )
    return "".join(parts)


def plan_html(p: DischargePlanRecord) -> str:
    rows = [
        (QCoreApplication.translate("HomeCareTab", "Statut"), p.status_label),
        (QCoreApplication.translate("HomeCareTab", "Sortie prévue le"), date_fr(p.target_date)),
        (
            QCoreApplication.translate("HomeCareTab", "Entrée le"),
            date_fr(p.admitted_on) if p.admitted_on else "",
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Établissement"),
            " — ".join(x for x in (p.hospital, p.ward) if x),
        ),
        (
            QCoreApplication.translate("HomeCareTab", "Destination"),
            p.destination_label + (f" — {p.destination_detail}" if p.destination_detail else ""),
        ),
        (QCoreApplication.translate("HomeCareTab", "Aides"), ", ".join(p.aid_labels) or "aucune"),
        (QCoreApplication.translate("HomeCareTab", "Garde d'enfants"), p.child_care),
        (QCoreApplication.translate("HomeCareTab", "Équipement"), ", ".join(p.equipment)),
        (QCoreApplication.translate("HomeCareTab", "Commentaire"), p.comments),
    ]
    parts = [_rows(rows), f"<h4>{_esc(p.ardh.label)}</h4><ul>"]
    parts += [f"<li>{_esc(r)}</li>" for r in p.ardh.reasons]
    parts.append("</ul>")
    if p.ardh.missing:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<p>À renseigner : {value}.</p>").format(
                value=_esc(", ".join(p.ardh.missing))
            )
        )
    if p.requests:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Demandes de soins liées</h4><ul>")
            + "".join(
                f"<li>{_esc(r.care_label)} — {_esc(r.partner_name or '—')} — "
                f"{_esc(r.status_label)}</li>"
                for r in p.requests
            )
            + "</ul>"
        )
    if p.follow_ups:
        parts.append(
            QCoreApplication.translate("HomeCareTab", "<h4>Suivi</h4><ul>")
            + "".join(
                f"<li>{_esc(f.label)} le {_esc(date_fr(f.due_on))}"
                + (" — fait" if f.done else "")
                + "</li>"
                for f in p.follow_ups
            )
            + "</ul>"
        )
    return "".join(parts)


class AskDialog(StepDialog):
    """One line to fill (who accepted, why refused, why cancelled) or a partner to choose."""

    def __init__(
        self,
        title: str,
        confirm: str,
        label: str,
        *,
        field: str,
        partners: list | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, confirm, parent)
        self.setObjectName("homeCareStep")
        self.field = field
        self.line = QLineEdit()
        self.line.setObjectName("stepLine")
        self.partner: QComboBox | None = None
        if partners is not None:
            self.partner = QComboBox()
            self.partner.setObjectName("stepPartner")
            for p in partners:
                self.partner.addItem(p.name, p.id)
            self.errors.add_row(self.form, field, label, self.partner)
        else:
            self.errors.add_row(self.form, field, label, self.line)


class HomeCareTab(QWidget):
    changed = Signal()

    def __init__(
        self,
        services: ServicesPort,
        actor: Actor,
        patient: PatientRecord,
        *,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("homeCareTab")
        self._services = services
        self._actor = actor
        self._patient = patient
        self._loaded = False
        self.can_write = (
            policy.allows(actor.role, Resource.HOME_CARE, Action.WRITE) and not read_only
        )
        self.request: HomeCareRecord | None = None
        self.plan: DischargePlanRecord | None = None
        self.dialog: HomeCareDialog | DischargeDialog | None = None
        self.step_dialog: AskDialog | None = None
        self.preview: pdf_view.PdfPreviewDialog | None = None

        self.message = QLabel()
        self.message.setObjectName("homeCareMessage")
        self.message.setWordWrap(True)
        self.new_request_button = QPushButton(self.tr("Nouvelle demande de soins…"))
        self.new_request_button.setObjectName("newHomeCareButton")
        self.new_plan_button = QPushButton(self.tr("Nouveau plan de sortie…"))
        self.new_plan_button.setObjectName("newDischargePlanButton")
        self.new_request_button.clicked.connect(lambda: self.open_request_dialog())
        self.new_plan_button.clicked.connect(lambda: self.open_plan_dialog())

        self.requests_model = HomeCareRequestsModel(self)
        self.requests_table = self._table("homeCareTable", self.requests_model)
        self.plans_model = DischargePlansModel(self)
        self.plans_table = self._table("dischargePlansTable", self.plans_model)
        self.detail_title = QLabel()
        self.detail_title.setObjectName("homeCareDetailTitle")
        self.detail_title.setStyleSheet("font-size: 12pt; font-weight: 600;")
        self.detail = QTextBrowser()
        self.detail.setObjectName("homeCareDetail")
        self.error = error_label()
        self.error.setObjectName("homeCareTabError")

        self.action_buttons: dict[HomeCareAction, QPushButton] = {}
        actions = QHBoxLayout()
        for action in HomeCareAction:
            button = QPushButton(self.tr(HOME_CARE_ACTION_LABELS[action]))
            button.setObjectName(f"homeCare_{action}")
            button.clicked.connect(lambda _c=False, a=action: self.run_action(a))
            self.action_buttons[action] = button
            actions.addWidget(button)
        self.print_request_button = QPushButton(self.tr("Imprimer la demande…"))
        self.print_request_button.setObjectName("printHomeCareForm")
        self.print_request_button.clicked.connect(self.print_request)
        actions.addStretch(1)
        actions.addWidget(self.print_request_button)
        plan_actions = QHBoxLayout()
        self.edit_plan_button = QPushButton(self.tr("Modifier le plan…"))
        self.edit_plan_button.setObjectName("editDischargePlan")
        self.plan_request_button = QPushButton(self.tr("Demande de soins pour ce plan…"))
        self.plan_request_button.setObjectName("planHomeCareButton")
        self.follow_up_button = QPushButton(self.tr("Suivi fait"))
        self.follow_up_button.setObjectName("followUpDone")
        self.plan_done_button = QPushButton(self.tr("Sortie réalisée"))
        self.plan_done_button.setObjectName("planDone")
        self.print_plan_button = QPushButton(self.tr("Imprimer le plan…"))
        self.print_plan_button.setObjectName("printDischargePlan")
        self.edit_plan_button.clicked.connect(lambda: self.open_plan_dialog(self.plan))
        self.plan_request_button.clicked.connect(self.request_for_plan)
        self.follow_up_button.clicked.connect(self.follow_up_done)
        self.plan_done_button.clicked.connect(self.plan_done)
        self.print_plan_button.clicked.connect(self.print_plan)
        for button in (
            self.edit_plan_button,
            self.plan_request_button,
            self.follow_up_button,
            self.plan_done_button,
        ):
            plan_actions.addWidget(button)
        plan_actions.addStretch(1)
        plan_actions.addWidget(self.print_plan_button)
        for button in (
            self.new_request_button,
            self.new_plan_button,
            *self.action_buttons.values(),
            self.print_request_button,
            self.edit_plan_button,
            self.plan_request_button,
            self.follow_up_button,
            self.plan_done_button,
            self.print_plan_button,
        ):
            button.setAutoDefault(False)
            button.hide()
        self.new_request_button.setVisible(self.can_write)
        self.new_plan_button.setVisible(self.can_write)

        lists = QWidget()
        lists_column = QVBoxLayout(lists)
        lists_column.setContentsMargins(0, 0, 0, 0)
        lists_column.addWidget(QLabel(self.tr("<b>Demandes de soins à domicile</b>")))
        lists_column.addWidget(self.requests_table, 3)
        lists_column.addWidget(QLabel(self.tr("<b>Plans de sortie d'hospitalisation</b>")))
        lists_column.addWidget(self.plans_table, 2)
        detail = QWidget()
        detail_column = QVBoxLayout(detail)
        detail_column.setContentsMargins(0, 0, 0, 0)
        detail_column.addWidget(self.detail_title)
        detail_column.addWidget(self.detail, 1)
        detail_column.addWidget(self.error)
        detail_column.addLayout(actions)
        detail_column.addLayout(plan_actions)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(lists)
        splitter.addWidget(detail)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([640, 560])
        splitter.setChildrenCollapsible(False)
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.new_request_button)
        top.addWidget(self.new_plan_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.requests_table.clicked.connect(lambda _i: self._request_selected())
        self.requests_table.selectionModel().selectionChanged.connect(
            lambda *_: self._request_selected()
        )
        self.plans_table.clicked.connect(lambda _i: self._plan_selected())
        self.plans_table.selectionModel().selectionChanged.connect(lambda *_: self._plan_selected())
        self.show_request(None)

    @staticmethod
    def _table(name: str, model: RowsModel):
        table = record_table(model, name=name)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)
        return table

    # ---- loading ----------------------------------------------------------------------------
    @property
    def loaded(self) -> bool:
        return self._loaded

    def ensure_loaded(self) -> None:
        if not self._loaded:
            self.reload()

    def reload(self, *, request_id: int | None = None, plan_id: int | None = None) -> None:
        self._loaded = True
        try:
            requests = self._services.home_care.for_patient(self._actor, self._patient.id)
            plans = self._services.discharge.plans_for(self._actor, self._patient.id)
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
            text += " " + self.tr("{w} en attente depuis trop longtemps.").format(w=waiting)
        if not self.can_write:
            text += " " + self.tr("Consultation seule.")
        self.message.setText(text)
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
        for button in (
            *self.action_buttons.values(),
            self.print_request_button,
            self.edit_plan_button,
            self.plan_request_button,
            self.follow_up_button,
            self.plan_done_button,
            self.print_plan_button,
        ):
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

    def _fail(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()

    # ---- dialogs ----------------------------------------------------------------------------
    def open_request_dialog(self, record: HomeCareRecord | None = None, defaults=None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        try:
            dialog = HomeCareDialog(
                self._services,
                self._actor,
                self._patient,
                record=record,
                defaults=defaults,
                parent=self,
            )
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self._open(dialog, lambda r: self.reload(request_id=r.id))

    def open_plan_dialog(self, plan: DischargePlanRecord | None = None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        dialog = DischargeDialog(self._services, self._actor, self._patient, plan=plan, parent=self)
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
            defaults = self._services.discharge.request_defaults(self._actor, self.plan.id)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.open_request_dialog(defaults=defaults)

    # ---- actions ----------------------------------------------------------------------------
    def _apply(self, call: Callable[[], HomeCareRecord], dialog: AskDialog | None = None) -> bool:
        try:
            record = call()
        except ValidationError as exc:
            if dialog is not None:
                dialog.errors.show({dialog.field: "\n".join(exc.fields.values())})
            else:
                self._fail("\n".join(exc.fields.values()))
            return False
        except RelaisError as exc:
            if dialog is not None:
                dialog.errors.show_general(exc.message)
            else:
                self._fail(exc.message)
            return False
        if dialog is not None:
            dialog.accept()
        self.reload(request_id=record.id)
        self.changed.emit()
        return True

    def _ask(self, dialog: AskDialog, confirm: Callable[[], None]) -> None:
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.step_dialog = dialog
        dialog.ok.clicked.connect(confirm)
        dialog.finished.connect(lambda _r: setattr(self, "step_dialog", None))
        dialog.open()

    def _text_step(
        self, title: str, button: str, label: str, field: str, call: Callable[[str], HomeCareRecord]
    ) -> None:
        """A step that asks one line (who accepted, why refused…) and then calls the service."""
        d = AskDialog(title, button, label, field=field, parent=self)
        self._ask(d, lambda: self._apply(lambda: call(d.line.text()), d))

    def run_action(self, action: HomeCareAction) -> None:
        r = self.request
        if r is None:
            return
        svc, actor, rid, version = self._services.home_care, self._actor, r.id, r.version
        if action is HomeCareAction.EDIT:
            self.open_request_dialog(record=r)
        elif action is HomeCareAction.SEND:
            self._apply(lambda: svc.send(actor, rid, expected_version=version))
        elif action is HomeCareAction.START:
            self._apply(lambda: svc.start(actor, rid, expected_version=version))
        elif action is HomeCareAction.FINISH:
            self._apply(lambda: svc.finish(actor, rid, expected_version=version))
        elif action is HomeCareAction.ACCEPT:
            self._text_step(
                self.tr("Demande acceptée"),
                self.tr("Enregistrer"),
                self.tr("Acceptée par (chez le partenaire)"),
                "accepted_by",
                lambda text: svc.accept(actor, rid, text, expected_version=version),
            )
        elif action is HomeCareAction.REFUSE:
            self._text_step(
                self.tr("Demande refusée par le partenaire"),
                self.tr("Enregistrer le refus"),
                self.tr("Motif du refus"),
                "reason",
                lambda text: svc.refuse(actor, rid, text, expected_version=version),
            )
        elif action is HomeCareAction.CANCEL:
            self._text_step(
                self.tr("Annuler la demande"),
                self.tr("Annuler la demande"),
                self.tr("Motif (facultatif)"),
                "reason",
                lambda text: svc.cancel(actor, rid, text, expected_version=version),
            )
        elif action is HomeCareAction.READDRESS:
            try:
                partners = [
                    p
                    for p in svc.partner_choices(actor, r.care_kind, self._patient.city or None)
                    if p.id != r.partner_id
                ]
            except RelaisError:
                partners = []
            d = AskDialog(
                self.tr("Adresser à un autre partenaire"),
                self.tr("Créer la nouvelle demande"),
                self.tr("Partenaire"),
                field="partner_id",
                partners=partners,
                parent=self,
            )

            def confirm() -> None:
                partner_id = d.partner.currentData() if d.partner is not None else None
                if partner_id is None:
                    d.errors.show({"partner_id": self.tr("Choisissez le partenaire.")})
                    return
                self._apply(lambda: svc.readdress(actor, rid, partner_id), d)

            self._ask(d, confirm)

    # ---- plans ------------------------------------------------------------------------------
    def follow_up_done(self) -> None:
        if self.plan is None:
            return
        pending = [f for f in self.plan.follow_ups if not f.done]
        if not pending:
            return
        try:
            self._services.discharge.complete_follow_up(self._actor, pending[0].id)
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.reload(plan_id=self.plan.id)

    def plan_done(self) -> None:
        if self.plan is None:
            return
        try:
            plan = self._services.discharge.set_status(
                self._actor, self.plan.id, PlanStatus.DONE, expected_version=self.plan.version
            )
        except RelaisError as exc:
            self._fail(exc.message)
            return
        self.reload(plan_id=plan.id)

    # ---- printing ---------------------------------------------------------------------------
    def _preview(self, produce: Callable[[], object]) -> None:
        try:
            generated = produce()
        except RelaisError as exc:
            self._fail(exc.message)
            return
        dialog = pdf_view.PdfPreviewDialog(
            generated.pdf,
            f"{generated.title} — {generated.number}",
            f"{generated.number}.pdf",
            self,
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.preview = dialog
        dialog.finished.connect(lambda _r: setattr(self, "preview", None))
        dialog.open()
        self.changed.emit()  # a document was archived in the file

    def print_request(self) -> None:
        if self.request is not None:
            rid = self.request.id
            self._preview(lambda: self._services.home_care_documents.request_form(self._actor, rid))

    def print_plan(self) -> None:
        if self.plan is not None:
            pid = self.plan.id
            self._preview(
                lambda: self._services.home_care_documents.discharge_summary(self._actor, pid)
            )
