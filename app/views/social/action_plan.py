"""The action plan (*démarches*) of the social worker's consultation: the list (overdue in red,
reminders due in bold), « Nouvelle démarche… », « Modifier… », « Marquer terminée »."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from app.clock import Clock
from app.services.kernel.actor import Actor
from app.services.kernel.errors import ConflictError, RelaisError, ValidationError
from app.services.partners.records import PartnerInfo
from app.services.social.records import (
    ACTION_KIND_LABELS,
    ACTION_STATUS_LABELS,
    ActionStatus,
    SocialActionInput,
    SocialActionView,
)
from app.views.common.clock import today
from app.views.common.forms import date_edit, qdate, to_date
from app.views.common.labels import date_fr
from app.views.common.patient_tab import LazyTab
from app.views.common.ports import PartnerListPort
from app.views.common.rows import RowsModel
from app.views.common.widgets import error_label, record_table
from app.views.referrals.referral_actions import StepDialog
from app.views.social.ports import ConsultationsPort

OVERDUE_COLOUR = QColor("#b71c1c")
CLOSED_COLOUR = QColor("#757575")


class ActionsModel(RowsModel[SocialActionView]):
    KIND, PARTNER, STATUS, DUE, REMIND = range(5)
    HEADERS = (
        QT_TRANSLATE_NOOP("Headers", "Démarche"),
        QT_TRANSLATE_NOOP("Headers", "Partenaire"),
        QT_TRANSLATE_NOOP("Headers", "Statut"),
        QT_TRANSLATE_NOOP("Headers", "Échéance"),
        QT_TRANSLATE_NOOP("Headers", "Rappel"),
    )

    def cell(self, row: SocialActionView, column: int) -> str:
        if column == self.KIND:
            return row.kind_label
        if column == self.PARTNER:
            return row.partner_name
        if column == self.STATUS:
            return row.status_label + (self.tr(" — en retard") if row.overdue else "")
        if column == self.DUE:
            return date_fr(row.due_on)
        return date_fr(row.remind_on)

    def foreground(self, row: SocialActionView, column: int) -> QColor | None:
        if row.overdue:
            return OVERDUE_COLOUR
        return CLOSED_COLOUR if row.closed else None

    def bold(self, row: SocialActionView) -> bool:
        return row.reminder_due or row.overdue

    def tooltip(self, row: SocialActionView, column: int) -> str | None:
        return row.detail or None


class _OptionalDate(QWidget):
    """A date that may be left empty: a check box and a date field."""

    def __init__(self, name: str, label: str, value: date | None, today: date) -> None:
        super().__init__()
        self.check = QCheckBox(label)
        self.check.setObjectName(f"{name}Set")
        self.edit = date_edit(name, value or today)
        self.check.toggled.connect(self.edit.setEnabled)
        self.check.setChecked(value is not None)
        self.edit.setEnabled(value is not None)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.check)
        row.addWidget(self.edit, 1)

    def value(self) -> date | None:
        return to_date(self.edit) if self.check.isChecked() else None

    def set_value(self, value: date | None) -> None:
        self.check.setChecked(value is not None)
        if value is not None:
            self.edit.setDate(qdate(value))


class ActionDialog(StepDialog):
    """One action: kind, partner from the directory, status, due date, reminder, detail."""

    def __init__(
        self,
        partners: list[PartnerInfo],
        today: date,
        action: SocialActionView | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            self.tr("Nouvelle démarche") if action is None else self.tr("Modifier la démarche"),
            self.tr("Enregistrer"),
            parent,
        )
        self.setObjectName("actionDialog")
        self.action = action
        self.kind = QComboBox()
        self.kind.setObjectName("actionKind")
        self.kind.addItem(self.tr("— choisir —"), None)
        for kind, label in ACTION_KIND_LABELS.items():
            self.kind.addItem(self.tr(label), str(kind))
        self.partner = QComboBox()
        self.partner.setObjectName("actionPartner")
        self.partner.addItem(self.tr("— aucun —"), None)
        for partner in partners:
            self.partner.addItem(f"{partner.display_name} ({partner.kind_label})", partner.id)
        self.status = QComboBox()
        self.status.setObjectName("actionStatus")
        for status, label in ACTION_STATUS_LABELS.items():
            self.status.addItem(self.tr(label), str(status))
        self.due = _OptionalDate("actionDue", self.tr("Échéance le"), None, today)
        self.remind = _OptionalDate("actionRemind", self.tr("Me le rappeler le"), None, today)
        self.detail = QPlainTextEdit()
        self.detail.setObjectName("actionDetail")
        self.detail.setPlaceholderText(
            self.tr("Pièces demandées, interlocuteur, numéro de dossier… (visible de vous seule)")
        )
        self.detail.setMinimumHeight(100)
        self.errors.add_row(self.form, "kind", self.tr("Démarche"), self.kind)
        self.errors.add_row(self.form, "partner_id", self.tr("Partenaire"), self.partner)
        self.errors.add_row(self.form, "status", self.tr("Statut"), self.status)
        self.errors.add_row(self.form, "due_on", self.tr("Échéance"), self.due)
        self.errors.add_row(self.form, "remind_on", self.tr("Rappel"), self.remind)
        self.errors.add_row(self.form, "detail", self.tr("Détail"), self.detail)
        if action is not None:
            self._select(self.kind, str(action.kind))
            self._select(self.partner, action.partner_id)
            self._select(self.status, str(action.status))
            self.due.set_value(action.due_on)
            self.remind.set_value(action.remind_on)
            self.detail.setPlainText(action.detail)

    @staticmethod
    def _select(combo: QComboBox, data) -> None:
        index = combo.findData(data)
        if index >= 0:
            combo.setCurrentIndex(index)

    def value(self) -> SocialActionInput | None:
        kind = self.kind.currentData()
        if kind is None:
            self.errors.show({"kind": self.tr("Choisissez la démarche.")})
            return None
        return SocialActionInput(
            kind=kind,
            partner_id=self.partner.currentData(),
            status=self.status.currentData(),
            due_on=self.due.value(),
            remind_on=self.remind.value(),
            detail=self.detail.toPlainText(),
        )


class ActionPlanWidget(LazyTab):
    changed = Signal()

    def __init__(
        self,
        consultations: ConsultationsPort,
        partners: PartnerListPort,
        actor: Actor,
        patient_id: int,
        *,
        clock: Clock,
        read_only: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(actor, patient_id, name="actionPlan", parent=parent)
        self._consultations = consultations
        self._partners = partners
        self._clock = clock
        self.dialog: ActionDialog | None = None
        self.model = ActionsModel(self)
        self.table = self._build_table()
        self.message = QLabel()
        self.message.setObjectName("actionsMessage")
        self.message.setWordWrap(True)
        self.show_closed = QCheckBox(self.tr("&Afficher les démarches terminées ou abandonnées"))
        self.show_closed.setObjectName("showClosedActions")
        self.show_closed.setChecked(True)
        self.new_button = QPushButton(self.tr("&Nouvelle démarche…"), self)
        self.new_button.setObjectName("newActionButton")
        self.edit_button = QPushButton(self.tr("&Modifier…"), self)
        self.edit_button.setObjectName("editActionButton")
        self.done_button = QPushButton(self.tr("Marquer &terminée"), self)
        self.done_button.setObjectName("doneActionButton")
        for button in (self.new_button, self.edit_button, self.done_button):
            button.setAutoDefault(False)
            button.setVisible(not read_only)
        self.error = error_label()
        self.error.setObjectName("actionsError")
        top = QHBoxLayout()
        top.addWidget(self.message, 1)
        top.addWidget(self.show_closed)
        buttons = QHBoxLayout()
        buttons.addWidget(self.error, 1)
        buttons.addWidget(self.done_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.new_button.clicked.connect(self.new_action)
        self.edit_button.clicked.connect(self.edit_action)
        self.done_button.clicked.connect(self.mark_done)
        # Return (or a double click) on a row opens it.
        self.table.doubleClicked.connect(lambda _i: self.edit_action())
        self.table.selectionModel().selectionChanged.connect(lambda *_a: self._update_buttons())
        self.show_closed.toggled.connect(lambda _c: self.reload())
        self._update_buttons()

    def _build_table(self) -> QTableView:
        table = record_table(self.model, name="actionsTable")
        header = table.horizontalHeader()
        header.setSectionResizeMode(ActionsModel.KIND, QHeaderView.ResizeMode.Stretch)
        for column in (ActionsModel.DUE, ActionsModel.REMIND):
            table.setColumnWidth(column, 100)
        table.setColumnWidth(ActionsModel.STATUS, 190)
        table.setColumnWidth(ActionsModel.PARTNER, 220)
        return table

    def reload(self, select_id: int | None = None) -> None:
        self._loaded = True
        try:
            actions = self._consultations.actions(
                self._actor, self._patient_id, include_closed=self.show_closed.isChecked()
            )
        except RelaisError as exc:
            self.model.set_rows([])
            self.message.setText(exc.message)
            self._update_buttons()
            return
        self.model.set_rows(actions)
        late = sum(1 for a in actions if a.overdue)
        open_ = sum(1 for a in actions if not a.closed)
        if not actions:
            self.message.setText(self.tr("Aucune démarche pour l'instant."))
        else:
            text = self.tr("%n démarche(s) en cours", "", open_)
            if late:
                text += self.tr(", dont %n en retard", "", late)
            self.message.setText(text + ".")
        if select_id is not None and (row := self.model.row_of(select_id)) >= 0:
            self.table.selectRow(row)
        self._update_buttons()

    def current(self) -> SocialActionView | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.row_at(rows[0].row()) if rows else None

    def _update_buttons(self) -> None:
        action = self.current()
        self.edit_button.setEnabled(action is not None)
        self.done_button.setEnabled(action is not None and not action.closed)

    def _open_dialog(self, action: SocialActionView | None) -> None:
        if self.dialog is not None:
            self.dialog.raise_()
            return
        try:
            partners = self._partners.list(self._actor)
        except RelaisError:
            partners = []
        dialog = ActionDialog(partners, today(self._clock), action, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.dialog = dialog
        dialog.ok.clicked.connect(self._save)
        dialog.finished.connect(lambda _r: setattr(self, "dialog", None))
        dialog.open()

    def new_action(self) -> None:
        self._open_dialog(None)

    def edit_action(self) -> None:
        action = self.current()
        if action is not None and self.edit_button.isVisible():
            self._open_dialog(action)

    def _save(self) -> None:
        dialog = self.dialog
        if dialog is None:
            return
        data = dialog.value()
        if data is None:
            return
        try:
            if dialog.action is None:
                saved = self._consultations.add_action(self._actor, self._patient_id, data)
            else:
                saved = self._consultations.update_action(
                    self._actor, dialog.action.id, data, expected_version=dialog.action.version
                )
        except ValidationError as exc:
            dialog.errors.show(exc.fields)
            return
        except ConflictError as exc:
            theirs = exc.extra.get("action")
            dialog.errors.show_general(exc.message)
            if isinstance(theirs, SocialActionView):
                dialog.action = theirs  # saving again overwrites their version knowingly
            return
        except RelaisError as exc:
            dialog.errors.show_general(exc.message)
            return
        dialog.accept()
        self.reload(select_id=saved.id)
        self.changed.emit()

    def mark_done(self) -> None:
        action = self.current()
        if action is None or action.closed:
            return
        try:
            saved = self._consultations.set_action_status(
                self._actor, action.id, ActionStatus.DONE, expected_version=action.version
            )
        except RelaisError as exc:
            self.error.setText(exc.message)
            self.error.show()
            self.reload(select_id=action.id)
            return
        self.error.hide()
        self.reload(select_id=saved.id)
        self.changed.emit()
